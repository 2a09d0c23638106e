/* Record protection formats: TLS 1.3 (RFC 8446 5.2), TLS 1.2 AES-GCM (RFC 5288) and TLS 1.2
 * ChaCha20-Poly1305 (RFC 7905). In place, no allocation, no hashing: one AEAD call a record. */
#include "record/record.h"
#include "priority/algs.h"

static int is_tls13(const keel_dir_state *d) { return d->version == GNUTLS_TLS1_3; }

/* RFC 5288 3: only TLS 1.2 GCM carries an explicit nonce. */
static int has_explicit_nonce(const keel_dir_state *d)
{
    return !is_tls13(d) && d->aead_id != KEEL_AEAD_CHACHA20_POLY1305;
}

size_t keel_rec_prefix_len(const keel_dir_state *d)
{
    return d->aead != NULL && has_explicit_nonce(d) ? 8 : 0;
}

size_t keel_rec_overhead(const keel_dir_state *d)
{
    if (d->aead == NULL)
        return 0;
    return keel_rec_prefix_len(d) + (is_tls13(d) ? 1 : 0) + KEEL_AEAD_TAG_LEN;
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* RFC 8446 5.3 / RFC 7905 2: the 64-bit sequence number, left-padded, XORed into the IV. */
static void xor_nonce(const keel_dir_state *d, uint8_t nonce[KEEL_AEAD_NONCE_LEN])
{
    uint64_t seq = d->seq;

    memcpy(nonce, d->iv, KEEL_AEAD_NONCE_LEN);
    for (int i = KEEL_AEAD_NONCE_LEN - 1; i >= 4; i--) {
        nonce[i] ^= (uint8_t)seq;
        seq >>= 8;
    }
}

/* RFC 5246 6.2.3.3: additional_data = seq_num + type + version + length. */
static void tls12_aad(const keel_dir_state *d, uint8_t type, size_t len, uint8_t aad[13])
{
    put_u64(aad, d->seq);
    aad[8] = type;
    aad[9] = KEEL_TLS12_WIRE >> 8;
    aad[10] = KEEL_TLS12_WIRE & 0xff;
    aad[11] = (uint8_t)(len >> 8);
    aad[12] = (uint8_t)len;
}

static void put_header(uint8_t *rec, uint8_t type, size_t len)
{
    rec[0] = type;
    rec[1] = KEEL_TLS12_WIRE >> 8;
    rec[2] = KEEL_TLS12_WIRE & 0xff;
    rec[3] = (uint8_t)(len >> 8);
    rec[4] = (uint8_t)len;
}

int keel_rec_seal(keel_dir_state *d, uint8_t type, uint8_t *rec, size_t len, size_t pad,
                  size_t *rec_len)
{
    uint8_t nonce[KEEL_AEAD_NONCE_LEN], aad[13];
    uint8_t *body = rec + KEEL_RECORD_HEADER;
    size_t inner;

    /* The sequence number must not wrap (RFC 8446 5.3, RFC 5246 6.1). */
    CHECK(d->seq != UINT64_MAX, GNUTLS_E_RECORD_LIMIT_REACHED);
    CHECK(len <= KEEL_MAX_PLAINTEXT, GNUTLS_E_INTERNAL_ERROR);
    if (is_tls13(d)) {
        /* RFC 8446 5.2: TLSInnerPlaintext = content || type || zeros; outer type is
         * application_data, legacy_record_version 0x0303, AAD the record header. */
        CHECK(pad <= KEEL_MAX_PLAINTEXT + 255 - len, GNUTLS_E_INVALID_REQUEST);
        body[len] = type;
        if (pad)
            memset(body + len + 1, 0, pad);
        inner = len + 1 + pad;
        put_header(rec, KEEL_CT_APPDATA, inner + KEEL_AEAD_TAG_LEN);
        xor_nonce(d, nonce);
        TRY(keel_aead_seal(d->aead, nonce, rec, KEEL_RECORD_HEADER, body, inner, body + inner));
        *rec_len = KEEL_RECORD_HEADER + inner + KEEL_AEAD_TAG_LEN;
    } else if (has_explicit_nonce(d)) {
        /* RFC 5288 3: nonce = salt(4) || explicit(8); we use the sequence number as the
         * explicit part, as RFC 5288 suggests. */
        put_u64(body, d->seq);
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, body, 8);
        tls12_aad(d, type, len, aad);
        put_header(rec, type, 8 + len + KEEL_AEAD_TAG_LEN);
        TRY(keel_aead_seal(d->aead, nonce, aad, sizeof aad, body + 8, len, body + 8 + len));
        *rec_len = KEEL_RECORD_HEADER + 8 + len + KEEL_AEAD_TAG_LEN;
    } else {
        xor_nonce(d, nonce);
        tls12_aad(d, type, len, aad);
        put_header(rec, type, len + KEEL_AEAD_TAG_LEN);
        TRY(keel_aead_seal(d->aead, nonce, aad, sizeof aad, body, len, body + len));
        *rec_len = KEEL_RECORD_HEADER + len + KEEL_AEAD_TAG_LEN;
    }
    d->seq++;
    d->records_since_key++;
    return 0;
}

int keel_rec_open(keel_dir_state *d, uint8_t *rec, size_t rec_len, uint8_t *type,
                  uint8_t **plain, size_t *plain_len)
{
    uint8_t nonce[KEEL_AEAD_NONCE_LEN], aad[13];
    uint8_t *body = rec + KEEL_RECORD_HEADER;
    size_t blen = rec_len - KEEL_RECORD_HEADER, n;

    CHECK(d->seq != UINT64_MAX, GNUTLS_E_RECORD_LIMIT_REACHED);
    if (is_tls13(d)) {
        /* The inner plaintext holds at least the content type. */
        CHECK(blen >= KEEL_AEAD_TAG_LEN + 1, GNUTLS_E_DECRYPTION_FAILED);
        n = blen - KEEL_AEAD_TAG_LEN;
        xor_nonce(d, nonce);
        TRY(keel_aead_open(d->aead, nonce, rec, KEEL_RECORD_HEADER, body, n, body + n));
        /* RFC 8446 5.4: the content type is the last non-zero byte; "If a receiving
         * implementation does not find a non-zero octet in the cleartext, it MUST terminate
         * the connection with an unexpected_message alert." */
        while (n > 0 && body[n - 1] == 0)
            n--;
        CHECK(n > 0, GNUTLS_E_UNEXPECTED_PACKET);
        n--;
        *type = body[n];
        /* RFC 8446 5.4: TLSInnerPlaintext longer than 2^14 + 1 is record_overflow. */
        CHECK(n <= KEEL_MAX_PLAINTEXT, GNUTLS_E_RECORD_OVERFLOW);
        *plain = body;
    } else if (has_explicit_nonce(d)) {
        CHECK(blen >= 8 + KEEL_AEAD_TAG_LEN, GNUTLS_E_DECRYPTION_FAILED);
        n = blen - 8 - KEEL_AEAD_TAG_LEN;
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, body, 8);
        tls12_aad(d, rec[0], n, aad);
        TRY(keel_aead_open(d->aead, nonce, aad, sizeof aad, body + 8, n, body + 8 + n));
        CHECK(n <= KEEL_MAX_PLAINTEXT, GNUTLS_E_RECORD_OVERFLOW);
        *type = rec[0];
        *plain = body + 8;
    } else {
        CHECK(blen >= KEEL_AEAD_TAG_LEN, GNUTLS_E_DECRYPTION_FAILED);
        n = blen - KEEL_AEAD_TAG_LEN;
        xor_nonce(d, nonce);
        tls12_aad(d, rec[0], n, aad);
        TRY(keel_aead_open(d->aead, nonce, aad, sizeof aad, body, n, body + n));
        CHECK(n <= KEEL_MAX_PLAINTEXT, GNUTLS_E_RECORD_OVERFLOW);
        *type = rec[0];
        *plain = body;
    }
    *plain_len = n;
    d->seq++;
    d->records_since_key++;
    return 0;
}
