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

/* Big-endian store: one byte swap and one store where the compiler knows the byte order
 * (gcc -O2 keeps the byte loop, ~50 instructions a record). */
static void put_u64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
    memcpy(p, &v, 8);
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    memcpy(p, &v, 8);
#else
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
#endif
}

/* RFC 8446 5.3 / RFC 7905 2: the 64-bit sequence number, left-padded, XORed into the IV.
 * One 64-bit XOR on the last 8 bytes, not a byte loop. */
static void xor_nonce(const keel_dir_state *d, uint8_t nonce[KEEL_AEAD_NONCE_LEN])
{
    uint8_t seq[8];
    uint64_t a, b;

    put_u64(seq, d->seq);
    memcpy(nonce, d->iv, 4);
    memcpy(&a, d->iv + 4, 8);
    memcpy(&b, seq, 8);
    a ^= b;
    memcpy(nonce + 4, &a, 8);
}

static void put_header(uint8_t *rec, uint8_t type, size_t len)
{
    rec[0] = type;
    rec[1] = KEEL_TLS12_WIRE >> 8;
    rec[2] = KEEL_TLS12_WIRE & 0xff;
    rec[3] = (uint8_t)(len >> 8);
    rec[4] = (uint8_t)len;
}

/* RFC 5246 6.2.3.3: additional_data = seq_num + type + version + length, i.e. the sequence
 * number followed by the header of the plaintext record. */
static void tls12_aad(const keel_dir_state *d, uint8_t type, size_t len, uint8_t aad[13])
{
    put_u64(aad, d->seq);
    put_header(aad + 8, type, len);
}

int keel_rec_seal_from(keel_dir_state *d, uint8_t type, uint8_t *rec, const uint8_t *src,
                       size_t len, size_t pad, size_t *rec_len)
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
        /* RFC 8446 5.4: "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1
         * octets", padding included. */
        CHECK(pad <= KEEL_MAX_PLAINTEXT - len, GNUTLS_E_INVALID_REQUEST);
        body[len] = type;
        if (pad)
            memset(body + len + 1, 0, pad);
        inner = len + 1 + pad;
        put_header(rec, KEEL_CT_APPDATA, inner + KEEL_AEAD_TAG_LEN);
        xor_nonce(d, nonce);
        TRY(keel_aead_seal_from(d->aead, nonce, rec, KEEL_RECORD_HEADER, src, src ? len : 0, body,
                                inner, body + inner));
        *rec_len = KEEL_RECORD_HEADER + inner + KEEL_AEAD_TAG_LEN;
    } else if (has_explicit_nonce(d)) {
        /* RFC 5288 3: nonce = salt(4) || explicit(8); we use the sequence number as the
         * explicit part, as RFC 5288 suggests. */
        put_u64(body, d->seq);
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, body, 8);
        tls12_aad(d, type, len, aad);
        put_header(rec, type, 8 + len + KEEL_AEAD_TAG_LEN);
        TRY(keel_aead_seal_from(d->aead, nonce, aad, sizeof aad, src, src ? len : 0, body + 8, len,
                                body + 8 + len));
        *rec_len = KEEL_RECORD_HEADER + 8 + len + KEEL_AEAD_TAG_LEN;
    } else {
        xor_nonce(d, nonce);
        tls12_aad(d, type, len, aad);
        put_header(rec, type, len + KEEL_AEAD_TAG_LEN);
        TRY(keel_aead_seal_from(d->aead, nonce, aad, sizeof aad, src, src ? len : 0, body, len,
                                body + len));
        *rec_len = KEEL_RECORD_HEADER + len + KEEL_AEAD_TAG_LEN;
    }
    d->seq++;
    d->records_since_key++;
    return 0;
}

int keel_rec_seal(keel_dir_state *d, uint8_t type, uint8_t *rec, size_t len, size_t pad,
                  size_t *rec_len)
{
    return keel_rec_seal_from(d, type, rec, NULL, len, pad, rec_len);
}

/* How much of a record to open straight into the caller's buffer when it cannot take the
 * whole record: below this, one in-place call and a copy cost less than two calls. */
#define KEEL_OPEN_SPLIT_MIN 512u

static size_t direct_len(size_t n, size_t dst_cap)
{
    if (n <= dst_cap)
        return n;
    return dst_cap >= KEEL_OPEN_SPLIT_MIN ? dst_cap : 0;
}

int keel_rec_open_to(keel_dir_state *d, uint8_t *rec, size_t rec_len, uint8_t *dst,
                     size_t dst_cap, uint8_t *type, uint8_t **plain, size_t *plain_len,
                     size_t *direct)
{
    uint8_t nonce[KEEL_AEAD_NONCE_LEN], aad[13];
    uint8_t *body = rec + KEEL_RECORD_HEADER, *payload;
    size_t blen = rec_len - KEEL_RECORD_HEADER, n, head = 0, opened;
    int ret = 0;

    *direct = 0;
    if (dst == NULL)
        dst_cap = 0;
    CHECK(d->seq != UINT64_MAX, GNUTLS_E_RECORD_LIMIT_REACHED);
    if (is_tls13(d)) {
        size_t i;

        /* The inner plaintext holds at least the content type. */
        CHECK(blen >= KEEL_AEAD_TAG_LEN + 1, GNUTLS_E_DECRYPTION_FAILED);
        n = blen - KEEL_AEAD_TAG_LEN;
        /* The true content type is known only once opened: application data is opened
         * straight into dst (the caller's buffer), anything else is moved back below. */
        head = direct_len(n, dst_cap);
        xor_nonce(d, nonce);
        TRY(keel_aead_open_to(d->aead, nonce, rec, KEEL_RECORD_HEADER, body, n, body + n,
                              dst, head));
        payload = body;
        opened = n;
        /* RFC 8446 5.4: "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1
         * octets": content, type and padding together (5.2: record_overflow). */
        CHECK_OUT(n <= KEEL_MAX_PLAINTEXT + 1, GNUTLS_E_RECORD_OVERFLOW);
        /* RFC 8446 5.4: the content type is the last non-zero byte; "If a receiving
         * implementation does not find a non-zero octet in the cleartext, it MUST terminate
         * the connection with an unexpected_message alert." The plaintext is dst[0..head)
         * followed by body[head..n). */
        i = n;
        while (i > head && body[i - 1] == 0)
            i--;
        if (i == head)
            while (i > 0 && dst[i - 1] == 0)
                i--;
        CHECK_OUT(i > 0, GNUTLS_E_UNEXPECTED_PACKET);
        n = i - 1;
        *type = n >= head ? body[n] : dst[n];
        if (head > 0 && *type != KEEL_CT_APPDATA) {
            memcpy(body, dst, head < n ? head : n);
            keel_wipe(dst, head);
            head = 0;
        }
    } else if (has_explicit_nonce(d)) {
        CHECK(blen >= 8 + KEEL_AEAD_TAG_LEN, GNUTLS_E_DECRYPTION_FAILED);
        n = blen - 8 - KEEL_AEAD_TAG_LEN;
        memcpy(nonce, d->iv, 4);
        memcpy(nonce + 4, body, 8);
        tls12_aad(d, rec[0], n, aad);
        payload = body + 8;
        if (rec[0] == KEEL_CT_APPDATA)
            head = direct_len(n, dst_cap);
        TRY(keel_aead_open_to(d->aead, nonce, aad, sizeof aad, payload, n, payload + n, dst, head));
        opened = n;
        CHECK_OUT(n <= KEEL_MAX_PLAINTEXT, GNUTLS_E_RECORD_OVERFLOW);
        *type = rec[0];
    } else {
        CHECK(blen >= KEEL_AEAD_TAG_LEN, GNUTLS_E_DECRYPTION_FAILED);
        n = blen - KEEL_AEAD_TAG_LEN;
        xor_nonce(d, nonce);
        tls12_aad(d, rec[0], n, aad);
        payload = body;
        if (rec[0] == KEEL_CT_APPDATA)
            head = direct_len(n, dst_cap);
        TRY(keel_aead_open_to(d->aead, nonce, aad, sizeof aad, payload, n, payload + n, dst, head));
        opened = n;
        CHECK_OUT(n <= KEEL_MAX_PLAINTEXT, GNUTLS_E_RECORD_OVERFLOW);
        *type = rec[0];
    }
    /* The content is dst[0..head) followed by payload[head..n). */
    if (head > n)
        head = n;
    *direct = head;
    *plain = payload + head;
    *plain_len = n - head;
    d->seq++;
    d->records_since_key++;
    return 0;
out:
    /* Authenticated but refused: the plaintext goes nowhere. */
    if (head > 0)
        keel_wipe(dst, head);
    keel_wipe(payload + head, opened - head);
    return ret;
}

int keel_rec_open(keel_dir_state *d, uint8_t *rec, size_t rec_len, uint8_t *type,
                  uint8_t **plain, size_t *plain_len)
{
    size_t direct;

    return keel_rec_open_to(d, rec, rec_len, NULL, 0, type, plain, plain_len, &direct);
}
