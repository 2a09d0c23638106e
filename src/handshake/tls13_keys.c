/* The TLS 1.3 key schedule (RFC 8446 7.1), traffic key installation (7.3), Finished
 * (4.4.4) and the CertificateVerify content (4.4.3). Secrets live in fixed arrays in
 * struct keel_hs or the session and are wiped on every exit path. */
#include "handshake/handshake.h"

static const uint8_t zeros[KEEL_MAX_HASH_LEN];

/* SHA-256("") and SHA-384("") (FIPS 180-4 test values), not recomputed per handshake. */
static const uint8_t sha256_empty[32] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};
static const uint8_t sha384_empty[48] = {
    0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e, 0xb1, 0xb1, 0xe3, 0x6a,
    0x21, 0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43, 0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda,
    0x27, 0x4e, 0xde, 0xbf, 0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b,
};

/* Derive-Secret(secret, label, "") uses the hash of the empty string. */
static int derive_empty(keel_hash_id id, const uint8_t *secret, const char *label, uint8_t *out)
{
    uint8_t empty_hash[KEEL_MAX_HASH_LEN];
    const uint8_t *h = empty_hash;

    if (id == KEEL_HASH_SHA256)
        h = sha256_empty;
    else if (id == KEEL_HASH_SHA384)
        h = sha384_empty;
    else
        TRY(keel_hash_oneshot(id, NULL, 0, empty_hash));
    return keel_derive_secret(id, secret, label, h, out);
}

/*   0 -> HKDF-Extract = Early Secret (no PSK: IKM is zeros)
 *   Derive-Secret(., "derived", "") -> salt of HKDF-Extract(ECDHE) = Handshake Secret
 *   client/server handshake traffic secrets over ClientHello...ServerHello
 *   Derive-Secret(., "derived", "") -> salt of HKDF-Extract(0) = Master Secret */
int keel_tls13_handshake_secrets(gnutls_session_t s, const uint8_t *dhe, size_t dhe_len)
{
    struct keel_hs *hs = s->hs;
    keel_hash_id id = hs->hash_id;
    size_t n = hs->hash_len;
    uint8_t early[KEEL_MAX_HASH_LEN], derived[KEEL_MAX_HASH_LEN], th[KEEL_MAX_HASH_LEN];
    int ret;

    TRY_OUT(keel_hkdf_extract(id, zeros, n, zeros, n, early));
    TRY_OUT(derive_empty(id, early, "derived", derived));
    TRY_OUT(keel_hkdf_extract(id, derived, n, dhe, dhe_len, hs->handshake_secret));
    TRY_OUT(keel_transcript_hash(s, th));
    TRY_OUT(keel_derive_secret(id, hs->handshake_secret, "c hs traffic", th, hs->c_hs_secret));
    TRY_OUT(keel_derive_secret(id, hs->handshake_secret, "s hs traffic", th, hs->s_hs_secret));
    TRY_OUT(derive_empty(id, hs->handshake_secret, "derived", derived));
    TRY_OUT(keel_hkdf_extract(id, derived, n, zeros, n, hs->master_secret));
    keel_keylog(s, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", hs->c_hs_secret, n);
    keel_keylog(s, "SERVER_HANDSHAKE_TRAFFIC_SECRET", hs->s_hs_secret, n);
out:
    keel_wipe(early, sizeof early);
    keel_wipe(derived, sizeof derived);
    return ret;
}

/* Over ClientHello...server Finished: the application traffic secrets and the exporter
 * master secret. */
int keel_tls13_app_secrets(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    keel_hash_id id = hs->hash_id;
    uint8_t th[KEEL_MAX_HASH_LEN];

    TRY(keel_transcript_hash(s, th));
    TRY(keel_derive_secret(id, hs->master_secret, "c ap traffic", th, s->client_app_secret));
    TRY(keel_derive_secret(id, hs->master_secret, "s ap traffic", th, s->server_app_secret));
    TRY(keel_derive_secret(id, hs->master_secret, "exp master", th, s->exporter_secret));
    keel_keylog(s, "CLIENT_TRAFFIC_SECRET_0", s->client_app_secret, hs->hash_len);
    keel_keylog(s, "SERVER_TRAFFIC_SECRET_0", s->server_app_secret, hs->hash_len);
    keel_keylog(s, "EXPORTER_SECRET", s->exporter_secret, hs->hash_len);
    return 0;
}

/* Over ClientHello...client Finished. */
int keel_tls13_resumption_secret(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t th[KEEL_MAX_HASH_LEN];

    TRY(keel_transcript_hash(s, th));
    return keel_derive_secret(hs->hash_id, hs->master_secret, "res master", th,
                              s->resumption_secret);
}

/* RFC 8446 7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length),
 * [sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length). */
int keel_tls13_install(gnutls_session_t s, int write, const uint8_t *secret)
{
    keel_hash_id id = s->suite->prf;
    keel_aead_id aead = s->suite->aead;
    uint8_t key[KEEL_MAX_AEAD_KEY_LEN], iv[KEEL_AEAD_NONCE_LEN];
    size_t key_len = keel_aead_key_len(aead);
    int ret;

    CHECK(key_len != 0 && key_len <= sizeof key, GNUTLS_E_INTERNAL_ERROR);
    TRY_OUT(keel_hkdf_expand_label(id, secret, "key", NULL, 0, key, key_len));
    TRY_OUT(keel_hkdf_expand_label(id, secret, "iv", NULL, 0, iv, sizeof iv));
    TRY_OUT(keel_rec_set_keys(s, write, GNUTLS_TLS1_3, aead, key, iv, sizeof iv));
out:
    keel_wipe(key, sizeof key);
    keel_wipe(iv, sizeof iv);
    return ret;
}

/* RFC 8446 4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length);
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*,
 * CertificateVerify*)). */
int keel_tls13_finished(gnutls_session_t s, const uint8_t *base_key, uint8_t *out)
{
    struct keel_hs *hs = s->hs;
    uint8_t finished_key[KEEL_MAX_HASH_LEN], th[KEEL_MAX_HASH_LEN];
    int ret;

    TRY_OUT(keel_hkdf_expand_label(hs->hash_id, base_key, "finished", NULL, 0,
                                   finished_key, hs->hash_len));
    TRY_OUT(keel_transcript_hash(s, th));
    TRY_OUT(keel_hmac(hs->hash_id, finished_key, hs->hash_len, th, hs->hash_len, out));
out:
    keel_wipe(finished_key, sizeof finished_key);
    return ret;
}

/* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, then the transcript hash. */
int keel_tls13_cv_content(gnutls_session_t s, int server, uint8_t *out, size_t *len)
{
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    const char *ctx = server ? server_ctx : client_ctx;
    size_t ctx_len = sizeof server_ctx - 1;

    memset(out, 0x20, 64);
    memcpy(out + 64, ctx, ctx_len);
    out[64 + ctx_len] = 0;
    TRY(keel_transcript_hash(s, out + 64 + ctx_len + 1));
    *len = 64 + ctx_len + 1 + s->hs->hash_len;
    return 0;
}
