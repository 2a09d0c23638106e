/* The handshake transcript (RFC 8446 4.4.1) and the lifetime of struct keel_hs. Messages
 * are buffered until the negotiated suite names the hash, then hashed incrementally; nothing
 * is hashed twice. */
#include "handshake/handshake.h"

int keel_hs_ensure(gnutls_session_t s)
{
    if (s->hs != NULL)
        return 0;
    s->hs = keel_calloc(1, sizeof *s->hs);
    CHECK(s->hs != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_init_growable(&s->hs->tbuf, 512, KEEL_MAX_HS_MSG * 2);
    return 0;
}

void keel_hs_free(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    if (hs == NULL)
        return;
    keel_hash_free(hs->transcript);
    keel_b_free(&hs->tbuf);
    keel_kx_free(hs->kx);
    if (hs->peer_key != NULL)
        keel_pkey_unref(hs->peer_key);
    keel_free(hs->cookie);
    keel_free_secret(hs, sizeof *hs);
    s->hs = NULL;
}

int keel_hs_transcript_add(gnutls_session_t s, const uint8_t *msg, size_t len)
{
    struct keel_hs *hs = s->hs;

    CHECK(hs != NULL, GNUTLS_E_INTERNAL_ERROR);
    if (hs->transcript != NULL) {
        TRY(keel_hash_update(hs->transcript, msg, len));
        if (!hs->keep_log)
            return 0;
    }
    keel_b_bytes(&hs->tbuf, msg, len);
    return keel_b_finish(&hs->tbuf);
}

int keel_transcript_start(gnutls_session_t s, keel_hash_id id)
{
    struct keel_hs *hs = s->hs;

    CHECK(hs->transcript == NULL, GNUTLS_E_INTERNAL_ERROR);
    TRY(keel_hash_new(id, &hs->transcript));
    hs->hash_id = id;
    hs->hash_len = keel_hash_len(id);
    TRY(keel_hash_update(hs->transcript, hs->tbuf.buf, hs->tbuf.len));
    if (s->version != GNUTLS_TLS1_2)
        hs->keep_log = 0;
    if (!hs->keep_log)
        keel_b_free(&hs->tbuf);
    return 0;
}

int keel_hs_keep_log(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    CHECK(hs->transcript == NULL && hs->tbuf.len == 0, GNUTLS_E_INTERNAL_ERROR);
    hs->keep_log = 1;
    /* Room for both Certificate messages at their largest, and the rest of the flights. */
    hs->tbuf.max = KEEL_MAX_HS_LOG;
    return 0;
}

void keel_hs_log(gnutls_session_t s, const uint8_t **p, size_t *len)
{
    *p = s->hs->tbuf.buf;
    *len = s->hs->keep_log ? s->hs->tbuf.len : 0;
}

void keel_hs_drop_log(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    if (hs->keep_log && hs->transcript != NULL)
        keel_b_free(&hs->tbuf);
    hs->keep_log = 0;
}

int keel_transcript_hash(gnutls_session_t s, uint8_t *out)
{
    CHECK(s->hs->transcript != NULL, GNUTLS_E_INTERNAL_ERROR);
    return keel_hash_peek(s->hs->transcript, out);
}

/* RFC 8446 4.4.1: "When the server responds to a ClientHello with a HelloRetryRequest, the
 * value of ClientHello1 is replaced with a special synthetic handshake message of handshake
 * type "message_hash" containing Hash(ClientHello1)." Called with only ClientHello1 in the
 * transcript (buffered: the hash was not known before the HelloRetryRequest). */
int keel_transcript_restart_hrr(gnutls_session_t s, keel_hash_id id)
{
    struct keel_hs *hs = s->hs;
    uint8_t synthetic[4 + KEEL_MAX_HASH_LEN];
    size_t n = keel_hash_len(id);
    int ret;

    CHECK(n != 0, GNUTLS_E_INTERNAL_ERROR);
    hs->keep_log = 0;                   /* TLS 1.3: no message log */
    if (hs->transcript == NULL)
        TRY(keel_transcript_start(s, id));
    CHECK(hs->hash_id == id, GNUTLS_E_INTERNAL_ERROR);
    synthetic[0] = 254;                 /* HandshakeType message_hash */
    synthetic[1] = 0;
    synthetic[2] = 0;
    synthetic[3] = (uint8_t)n;
    TRY_OUT(keel_hash_peek(hs->transcript, synthetic + 4));
    keel_hash_free(hs->transcript);
    hs->transcript = NULL;
    TRY_OUT(keel_hash_new(id, &hs->transcript));
    TRY_OUT(keel_hash_update(hs->transcript, synthetic, 4 + n));
out:
    keel_wipe(synthetic, sizeof synthetic);
    return ret;
}
