/* Record protection known answers and malformed protected records: RFC 8448 section 3
 * records reproduced byte for byte, TLS 1.2 AES-GCM and ChaCha20-Poly1305 record formats
 * cross-checked with libcrypto directly, padding, size limits, bad tags. */
#include <openssl/evp.h>
#include "record/record.h"
#undef CHECK
#include "harness.h"

/* RFC 8448 section 3 (Simple 1-RTT Handshake). */
static const char *C_APP_KEY = "17422dda596ed5d9acd890e3c63f5051";
static const char *C_APP_IV = "5b78923dee08579033e523d9";
static const char *S_APP_KEY = "9f02283b6c9c07efc26bb9f2ac92e356";
static const char *S_APP_IV = "cf782b88dd83549aadf1e984";
/* {client} send application_data record, payload 00 01 .. 31 */
static const char *C_APP_REC =
    "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b"
    "62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4";
/* {server} send application_data record (server seq 1: the NewSessionTicket was seq 0) */
static const char *S_APP_REC =
    "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a59a8"
    "fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d";
/* {server} send handshake record: NewSessionTicket, server seq 0 */
static const char *S_NST_REC =
    "17030300de3a6b8f90414a97d6959c3487680de5134a2b240e6cffac116e95d41d6af8f6b580dcf3d11d63c758db289a"
    "015940252f55713e061dc13e078891a38efbcf5753ad8ef170ad3c7353d16d9da773b9ca7f2b9fa1b6c0d4a3d03f75e0"
    "9c30ba1e62972ac46f75f7b981be63439b2999ce13064615139891d5e4c5b406f16e3fc181a77ca475840025db2f0a77"
    "f81b5ab05b94c01346755f69232c86519d86cbeeac87aac347d143f9605d64f650db4d023e70e952ca49fe5137121c74"
    "bc2697687e248746d6df353005f3bce18696129c8153556b3b6c6779b37bf15985684f";
/* close_notify alerts: client seq 1, server seq 2 */
static const char *C_ALERT_REC = "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3";
static const char *S_ALERT_REC = "1703030013b58fd67166ebf599d24720cfbe7efa7a8864a9";

static uint8_t buf[KEEL_RECORD_HEADER + KEEL_MAX_CIPHERTEXT12 + 64];

static void dir_init(keel_dir_state *d, gnutls_protocol_t v, keel_aead_id id, int encrypt,
                     const uint8_t *key, const uint8_t *iv, size_t iv_len)
{
    memset(d, 0, sizeof *d);
    d->version = v;
    d->aead_id = id;
    memcpy(d->iv, iv, iv_len);
    if (keel_aead_new(id, encrypt, &d->aead) < 0 || keel_aead_set_key(d->aead, key) < 0)
        abort();
}

static void dir_hex(keel_dir_state *d, int encrypt, const char *key_hex, const char *iv_hex)
{
    uint8_t key[32], iv[12];
    size_t kl = t_unhex(key_hex, key, sizeof key), il = t_unhex(iv_hex, iv, sizeof iv);
    dir_init(d, GNUTLS_TLS1_3, kl == 16 ? KEEL_AEAD_AES_128_GCM : KEEL_AEAD_AES_256_GCM,
             encrypt, key, iv, il);
}

static void rfc8448_client_appdata_seal(void)
{
    keel_dir_state d;
    uint8_t want[128];
    size_t want_len = t_unhex(C_APP_REC, want, sizeof want), rec_len = 0;

    dir_hex(&d, 1, C_APP_KEY, C_APP_IV);
    for (int i = 0; i < 50; i++)
        buf[KEEL_RECORD_HEADER + i] = (uint8_t)i;
    CHECK_INT(keel_rec_seal(&d, KEEL_CT_APPDATA, buf, 50, 0, &rec_len), 0);
    CHECK_INT(rec_len, want_len);
    CHECK_MEM(buf, want, want_len);
    CHECK_INT(d.seq, 1);
    CHECK_INT(d.records_since_key, 1);
    keel_aead_free(d.aead);
}

static void open_hex(keel_dir_state *d, const char *hex, int want_ret, uint8_t want_type,
                     const uint8_t *want_plain, size_t want_len)
{
    size_t n = t_unhex(hex, buf, sizeof buf), plen = 0;
    uint8_t type = 0, *plain = NULL;

    CHECK_INT(keel_rec_open(d, buf, n, &type, &plain, &plen), want_ret);
    if (want_ret == 0) {
        CHECK_INT(type, want_type);
        if (want_plain) {
            CHECK_INT(plen, want_len);
            CHECK_MEM(plain, want_plain, want_len);
        }
    }
}

static void rfc8448_server_records_open(void)
{
    keel_dir_state d;
    uint8_t payload[50], close_notify[2] = { 1, 0 };
    size_t n, plen;
    uint8_t type, *plain;

    for (int i = 0; i < 50; i++)
        payload[i] = (uint8_t)i;
    dir_hex(&d, 0, S_APP_KEY, S_APP_IV);
    /* seq 0: NewSessionTicket (type 4, 0xc9 bytes of body) */
    n = t_unhex(S_NST_REC, buf, sizeof buf);
    CHECK_INT(keel_rec_open(&d, buf, n, &type, &plain, &plen), 0);
    CHECK_INT(type, KEEL_CT_HANDSHAKE);
    CHECK_INT(plen, 4 + 0xc9);
    CHECK_INT(plain[0], 4);
    open_hex(&d, S_APP_REC, 0, KEEL_CT_APPDATA, payload, sizeof payload);
    open_hex(&d, S_ALERT_REC, 0, KEEL_CT_ALERT, close_notify, 2);
    keel_aead_free(d.aead);

    dir_hex(&d, 0, C_APP_KEY, C_APP_IV);
    open_hex(&d, C_APP_REC, 0, KEEL_CT_APPDATA, payload, sizeof payload);
    open_hex(&d, C_ALERT_REC, 0, KEEL_CT_ALERT, close_notify, 2);
    keel_aead_free(d.aead);
}

/* Out of order: the right key with the wrong sequence number fails authentication. */
static void rfc8448_wrong_sequence(void)
{
    keel_dir_state d;

    dir_hex(&d, 0, S_APP_KEY, S_APP_IV);
    open_hex(&d, S_APP_REC, GNUTLS_E_DECRYPTION_FAILED, 0, NULL, 0);
    keel_aead_free(d.aead);
}

static const uint8_t key32[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const uint8_t iv12[12] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab };

/* Decrypts with libcrypto directly; 1 when the tag verifies and the plaintext matches. */
static int evp_check(const EVP_CIPHER *c, const uint8_t *key, const uint8_t nonce[12],
                     const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t n,
                     const uint8_t *tag, const uint8_t *want)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t out[256];
    int l = 0, f = 0, ok;

    ok = EVP_DecryptInit_ex(ctx, c, NULL, key, nonce) &&
         EVP_DecryptUpdate(ctx, NULL, &l, aad, (int)aad_len) &&
         EVP_DecryptUpdate(ctx, out, &l, ct, (int)n) &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag) &&
         EVP_DecryptFinal_ex(ctx, out + l, &f) && memcmp(out, want, n) == 0;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

static void tls12_gcm_format(void)
{
    keel_dir_state d;
    const uint8_t msg[] = "TLS 1.2 GCM record";
    size_t n = sizeof msg, rec_len = 0;
    uint8_t nonce[12], aad[13] = { 0, 0, 0, 0, 0, 0, 0, 7, KEEL_CT_APPDATA, 3, 3, 0, (uint8_t)n };
    uint8_t type, *plain;
    size_t plen;

    dir_init(&d, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM, 1, key32, iv12, 4);
    d.seq = 7;
    memcpy(buf + KEEL_RECORD_HEADER + 8, msg, n);
    CHECK_INT(keel_rec_prefix_len(&d), 8);
    CHECK_INT(keel_rec_seal(&d, KEEL_CT_APPDATA, buf, n, 0, &rec_len), 0);
    /* header | explicit nonce (the sequence number) | ciphertext | tag */
    CHECK_INT(rec_len, 5 + 8 + n + 16);
    CHECK_INT(buf[0], KEEL_CT_APPDATA);
    CHECK_INT(buf[1], 3);
    CHECK_INT(buf[2], 3);
    CHECK_INT((buf[3] << 8) | buf[4], 8 + n + 16);
    CHECK_MEM(buf + 5, "\0\0\0\0\0\0\0\7", 8);
    memcpy(nonce, iv12, 4);
    memcpy(nonce + 4, buf + 5, 8);
    CHECK(evp_check(EVP_aes_128_gcm(), key32, nonce, aad, sizeof aad, buf + 13, n,
                    buf + 13 + n, msg));
    keel_aead_free(d.aead);

    dir_init(&d, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM, 0, key32, iv12, 4);
    d.seq = 7;
    CHECK_INT(keel_rec_open(&d, buf, rec_len, &type, &plain, &plen), 0);
    CHECK_INT(type, KEEL_CT_APPDATA);
    CHECK_INT(plen, n);
    CHECK_MEM(plain, msg, n);
    keel_aead_free(d.aead);
}

/* RFC 7905: nonce = iv XOR seq, no explicit part. */
static void tls12_chacha_format(void)
{
    keel_dir_state d;
    const uint8_t msg[] = "TLS 1.2 ChaCha20-Poly1305 record";
    size_t n = sizeof msg, rec_len = 0;
    uint8_t nonce[12], aad[13] = { 0, 0, 0, 0, 0, 0, 1, 2, KEEL_CT_HANDSHAKE, 3, 3, 0, (uint8_t)n };

    dir_init(&d, GNUTLS_TLS1_2, KEEL_AEAD_CHACHA20_POLY1305, 1, key32, iv12, 12);
    d.seq = 0x102;
    memcpy(buf + KEEL_RECORD_HEADER, msg, n);
    CHECK_INT(keel_rec_prefix_len(&d), 0);
    CHECK_INT(keel_rec_seal(&d, KEEL_CT_HANDSHAKE, buf, n, 0, &rec_len), 0);
    CHECK_INT(rec_len, 5 + n + 16);
    CHECK_INT(buf[0], KEEL_CT_HANDSHAKE);
    memcpy(nonce, iv12, 12);
    nonce[10] ^= 1;
    nonce[11] ^= 2;
    CHECK(evp_check(EVP_chacha20_poly1305(), key32, nonce, aad, sizeof aad, buf + 5, n,
                    buf + 5 + n, msg));
    keel_aead_free(d.aead);
}

static void tls13_padding(void)
{
    keel_dir_state w, r;
    const uint8_t msg[] = "padded";
    size_t rec_len, plen;
    uint8_t type, *plain;

    dir_init(&w, GNUTLS_TLS1_3, KEEL_AEAD_CHACHA20_POLY1305, 1, key32, iv12, 12);
    dir_init(&r, GNUTLS_TLS1_3, KEEL_AEAD_CHACHA20_POLY1305, 0, key32, iv12, 12);
    memcpy(buf + 5, msg, sizeof msg);
    CHECK_INT(keel_rec_seal(&w, KEEL_CT_ALERT, buf, sizeof msg, 300, &rec_len), 0);
    CHECK_INT(rec_len, 5 + sizeof msg + 1 + 300 + 16);
    CHECK_INT(buf[0], KEEL_CT_APPDATA);     /* opaque_type */
    CHECK_INT(keel_rec_open(&r, buf, rec_len, &type, &plain, &plen), 0);
    CHECK_INT(type, KEEL_CT_ALERT);
    CHECK_INT(plen, sizeof msg);
    CHECK_MEM(plain, msg, sizeof msg);
    /* RFC 8446 5.4: content, type and padding together stay within 2^14 + 1. */
    CHECK_INT(keel_rec_seal(&w, KEEL_CT_ALERT, buf, sizeof msg, KEEL_MAX_PLAINTEXT - sizeof msg + 1,
                            &rec_len), GNUTLS_E_INVALID_REQUEST);
    keel_aead_free(w.aead);
    keel_aead_free(r.aead);
}

/* Seals `inner` as a TLS 1.3 record without the record layer's own checks. */
static size_t raw_tls13(keel_dir_state *w, const uint8_t *inner, size_t n)
{
    uint8_t nonce[12];
    buf[0] = KEEL_CT_APPDATA;
    buf[1] = 3;
    buf[2] = 3;
    buf[3] = (uint8_t)((n + 16) >> 8);
    buf[4] = (uint8_t)(n + 16);
    memcpy(buf + 5, inner, n);
    memcpy(nonce, w->iv, 12);   /* seq 0 */
    if (keel_aead_seal(w->aead, nonce, buf, 5, buf + 5, n, buf + 5 + n) < 0)
        abort();
    return 5 + n + 16;
}

static void tls13_bad_inner(void)
{
    keel_dir_state w, r;
    static uint8_t inner[KEEL_MAX_PLAINTEXT + 2];
    size_t len, plen;
    uint8_t type, *plain;

    dir_init(&w, GNUTLS_TLS1_3, KEEL_AEAD_AES_256_GCM, 1, key32, iv12, 12);
    dir_init(&r, GNUTLS_TLS1_3, KEEL_AEAD_AES_256_GCM, 0, key32, iv12, 12);

    /* RFC 8446 5.4: no non-zero byte at all -> unexpected_message. */
    memset(inner, 0, 40);
    len = raw_tls13(&w, inner, 40);
    CHECK_INT(keel_rec_open(&r, buf, len, &type, &plain, &plen), GNUTLS_E_UNEXPECTED_PACKET);

    /* 2^14 + 1 bytes of content -> record_overflow. */
    memset(inner, 'x', KEEL_MAX_PLAINTEXT + 1);
    inner[KEEL_MAX_PLAINTEXT + 1] = KEEL_CT_APPDATA;
    r.seq = 0;
    len = raw_tls13(&w, inner, KEEL_MAX_PLAINTEXT + 2);
    CHECK_INT(keel_rec_open(&r, buf, len, &type, &plain, &plen), GNUTLS_E_RECORD_OVERFLOW);

    /* Exactly 2^14 is fine. */
    inner[KEEL_MAX_PLAINTEXT] = KEEL_CT_APPDATA;
    r.seq = 0;
    len = raw_tls13(&w, inner, KEEL_MAX_PLAINTEXT + 1);
    CHECK_INT(keel_rec_open(&r, buf, len, &type, &plain, &plen), 0);
    CHECK_INT(plen, KEEL_MAX_PLAINTEXT);

    /* RFC 8446 5.4: padding counts too: 2^14 of content, the type and one zero is 2^14 + 2
     * bytes of TLSInnerPlaintext -> record_overflow. */
    inner[KEEL_MAX_PLAINTEXT + 1] = 0;
    r.seq = 0;
    len = raw_tls13(&w, inner, KEEL_MAX_PLAINTEXT + 2);
    CHECK_INT(keel_rec_open(&r, buf, len, &type, &plain, &plen), GNUTLS_E_RECORD_OVERFLOW);

    /* Too short to hold a tag and a content type. */
    r.seq = 0;
    buf[3] = 0;
    buf[4] = 16;
    CHECK_INT(keel_rec_open(&r, buf, 5 + 16, &type, &plain, &plen), GNUTLS_E_DECRYPTION_FAILED);

    /* A flipped bit anywhere -> bad_record_mac. */
    inner[0] = 'a';
    inner[1] = KEEL_CT_APPDATA;
    r.seq = 0;
    len = raw_tls13(&w, inner, 2);
    buf[len - 1] ^= 0x80;
    CHECK_INT(keel_rec_open(&r, buf, len, &type, &plain, &plen), GNUTLS_E_DECRYPTION_FAILED);
    r.seq = 0;
    len = raw_tls13(&w, inner, 2);
    buf[2] ^= 1;    /* the header is authenticated too */
    CHECK_INT(keel_rec_open(&r, buf, len, &type, &plain, &plen), GNUTLS_E_DECRYPTION_FAILED);

    keel_aead_free(w.aead);
    keel_aead_free(r.aead);
}

static void sequence_number_limit(void)
{
    keel_dir_state w;
    size_t rec_len;

    dir_init(&w, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM, 1, key32, iv12, 12);
    w.seq = UINT64_MAX - 1;
    CHECK_INT(keel_rec_seal(&w, KEEL_CT_APPDATA, buf, 1, 0, &rec_len), 0);
    CHECK_INT(keel_rec_seal(&w, KEEL_CT_APPDATA, buf, 1, 0, &rec_len), GNUTLS_E_RECORD_LIMIT_REACHED);
    keel_aead_free(w.aead);
}

int main(void)
{
    RUN(rfc8448_client_appdata_seal);
    RUN(rfc8448_server_records_open);
    RUN(rfc8448_wrong_sequence);
    RUN(tls12_gcm_format);
    RUN(tls12_chacha_format);
    RUN(tls13_padding);
    RUN(tls13_bad_inner);
    RUN(sequence_number_limit);
    return t_done();
}
