/* The TLS 1.2 key schedule for both sides: master secret (RFC 5246 8.1, RFC 7627 4), key
 * block and record keys for the AEAD suites (RFC 5246 6.3, RFC 5288 3, RFC 7905 2),
 * ChangeCipherSpec and Finished (RFC 5246 7.1, 7.4.9). */
#include "handshake/tls12.h"

#define MASTER_LEN 48
#define VERIFY_LEN 12

int keel_tls12_master_secret(gnutls_session_t s, const uint8_t *pm, size_t pm_len)
{
    struct keel_hs *hs = s->hs;
    uint8_t seed[KEEL_MAX_HASH_LEN > 64 ? KEEL_MAX_HASH_LEN : 64];
    size_t seed_len;
    const char *label;
    int ret;

    if (s->ems) {
        /* RFC 7627 4: session_hash = Hash(handshake_messages), "from the ClientHello up
         * to and including the ClientKeyExchange message". */
        TRY_OUT(keel_transcript_hash(s, seed));
        seed_len = hs->hash_len;
        label = "extended master secret";
    } else {
        memcpy(seed, s->client_random, 32);
        memcpy(seed + 32, s->server_random, 32);
        seed_len = 64;
        label = "master secret";
    }
    /* A new master secret: the key block of the last one is void. */
    keel_wipe(s->hs->tls12_key_block, sizeof s->hs->tls12_key_block);
    s->hs->tls12_key_block_dirs = 0;
    TRY_OUT(keel_tls12_prf(s->suite->prf, pm, pm_len, label, seed, seed_len,
                           s->master_secret, MASTER_LEN));
    keel_keylog(s, "CLIENT_RANDOM", s->master_secret, MASTER_LEN);
out:
    keel_wipe(seed, sizeof seed);
    return ret;
}

/* RFC 5288 3 (GCM: a 4-byte implicit salt) and RFC 7905 2 (ChaCha20-Poly1305: a 12-byte IV). */
static size_t fixed_iv_len(keel_aead_id id)
{
    return id == KEEL_AEAD_CHACHA20_POLY1305 ? 12 : 4;
}

int keel_tls12_install(gnutls_session_t s, int write)
{
    keel_aead_id id = s->suite->aead;
    size_t key_len = keel_aead_key_len(id), iv_len = fixed_iv_len(id);
    uint8_t *block = s->hs->tls12_key_block, seed[64];
    /* Our writes and the client's are the same keys exactly when we are the client. */
    int client_keys = write ? !s->is_server : s->is_server;
    unsigned dir = write ? 4u : 2u;
    const uint8_t *key, *iv;
    int ret = 0;

    CHECK(key_len != 0 && 2 * key_len + 2 * iv_len <= sizeof s->hs->tls12_key_block,
          GNUTLS_E_INTERNAL_ERROR);
    /* RFC 5246 6.3: key_block = PRF(master_secret, "key expansion",
     * server_random + client_random); client_write_key, server_write_key, client_write_IV,
     * server_write_IV (AEAD suites have no MAC keys). Derived once for both directions: the
     * second installation (at the other ChangeCipherSpec) takes its half from here. */
    if (!(s->hs->tls12_key_block_dirs & 1u)) {
        memcpy(seed, s->server_random, 32);
        memcpy(seed + 32, s->client_random, 32);
        TRY_OUT(keel_tls12_prf(s->suite->prf, s->master_secret, MASTER_LEN, "key expansion",
                               seed, sizeof seed, block, 2 * key_len + 2 * iv_len));
        s->hs->tls12_key_block_dirs = 1u;
    }
    key = block + (client_keys ? 0 : key_len);
    iv = block + 2 * key_len + (client_keys ? 0 : iv_len);
    TRY_OUT(keel_rec_set_keys(s, write, GNUTLS_TLS1_2, id, key, iv, iv_len));
    s->hs->tls12_key_block_dirs |= dir;
out:
    if (ret < 0 || (s->hs->tls12_key_block_dirs & 6u) == 6u) {
        keel_wipe(block, sizeof s->hs->tls12_key_block);
        s->hs->tls12_key_block_dirs = 0;
    }
    return ret;
}

int keel_tls12_verify_data(gnutls_session_t s, int client, uint8_t out[VERIFY_LEN])
{
    uint8_t hash[KEEL_MAX_HASH_LEN];
    int ret;

    /* RFC 5246 7.4.9: verify_data = PRF(master_secret, finished_label,
     * Hash(handshake_messages)) [0..verify_data_length-1] */
    TRY_OUT(keel_transcript_hash(s, hash));
    TRY_OUT(keel_tls12_prf(s->suite->prf, s->master_secret, MASTER_LEN,
                           client ? "client finished" : "server finished",
                           hash, s->hs->hash_len, out, VERIFY_LEN));
out:
    keel_wipe(hash, sizeof hash);
    return ret;
}

int keel_tls12_send_ccs_finished(gnutls_session_t s)
{
    static const uint8_t ccs = 1;
    const struct keel_test_hs_params *t = s->hs->test;
    uint8_t vd[VERIFY_LEN];
    keel_builder *b;
    int ret;

    /* RFC 5246 7.1: ChangeCipherSpec, then everything we send is under the new keys. */
    TRY_OUT(keel_rec_queue(s, KEEL_CT_CCS, &ccs, 1));
    TRY_OUT(keel_tls12_install(s, 1));
    TRY_OUT(keel_tls12_verify_data(s, !s->is_server, vd));
    /* RFC 5746 3.1: the verify_data of the Finished messages of this handshake is what the
     * next renegotiation proves it knows. */
    memcpy(s->is_server ? s->server_verify_data : s->client_verify_data, vd, VERIFY_LEN);
    if (t != NULL && (t->corrupt & KEEL_TEST_CORRUPT_FINISHED))
        vd[0] ^= 1;
    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_FINISHED);
    CHECK_OUT(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_bytes(b, vd, VERIFY_LEN);
    TRY_OUT(keel_hs_end(s, 1));
out:
    keel_wipe(vd, sizeof vd);
    return ret;
}

int keel_tls12_next_message(gnutls_session_t s, uint8_t *type, keel_cur *msg, keel_cur *body)
{
    for (;;) {
        gnutls_handshake_description_t last = s->last_in;

        TRY(keel_reneg_skip_hello_requests(s));
        TRY(keel_hs_next(s, type, msg, body));
        if (*type != GNUTLS_HANDSHAKE_HELLO_REQUEST || s->is_server || !s->established)
            return 0;
        /* RFC 5246 7.4.1.1: "This message will be ignored by the client if the client is
         * currently negotiating a session." struct { } HelloRequest; */
        CHECK(cur_empty(body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        keel_hs_consume(s);
        s->last_in = last;
    }
}

int keel_tls12_recv_ccs(gnutls_session_t s)
{
    for (;;) {
        size_t before;
        int ret;

        TRY(keel_reneg_skip_hello_requests(s));
        before = keel_bytes_len(&s->hs_in);
        /* RFC 5246 7.1: ChangeCipherSpec, between whole handshake messages. */
        ret = keel_hs_read_ccs(s);
        /* A renegotiating client may read a HelloRequest instead: ignored (next turn). */
        if (ret == GNUTLS_E_UNEXPECTED_PACKET && before == 0 && !s->is_server &&
            s->established && keel_bytes_len(&s->hs_in) > 0)
            continue;
        TRY(ret);
        /* Everything the peer sends from here is under its new keys. */
        return keel_tls12_install(s, 0);
    }
}

int keel_tls12_recv_finished(gnutls_session_t s)
{
    uint8_t type, expected[VERIFY_LEN];
    keel_cur msg, body;
    int ret;

    TRY(keel_tls12_next_message(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_FINISHED, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_left(&body) == VERIFY_LEN, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* The peer's Finished covers everything before it. */
    TRY_OUT(keel_tls12_verify_data(s, s->is_server, expected));
    /* RFC 5246 7.4.9: "Recipients of Finished messages MUST verify that the contents are
     * correct." A mismatch is decrypt_error (7.2.2). */
    CHECK_OUT(keel_memeq_secret(expected, body.p, VERIFY_LEN), GNUTLS_E_ERROR_IN_FINISHED_PACKET);
    memcpy(s->is_server ? s->client_verify_data : s->server_verify_data, expected, VERIFY_LEN);
    TRY_OUT(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
out:
    keel_wipe(expected, sizeof expected);
    return ret;
}
