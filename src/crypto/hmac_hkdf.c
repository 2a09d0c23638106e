/* HMAC (RFC 2104), HKDF (RFC 5869) and the TLS 1.3 HKDF-Expand-Label / Derive-Secret
 * (RFC 8446 7.1), computed on this thread's reusable digest context (thread_cache.c): no
 * allocation per step. HMAC by hand on EVP_MD_CTX costs ~0.35 us a step against ~0.55 us
 * re-keying one EVP_MAC context and ~0.95 us duplicating a template per step (OpenSSL
 * 3.0.19, SHA-256, 32-byte key). */
#include "crypto/internal.h"
#include "crypto/hmac.h"

#define HMAC_MAX_BLOCK 128

static size_t block_len(keel_hash_id id)
{
    switch (id) {
    case KEEL_HASH_SHA1:
    case KEEL_HASH_SHA256: return 64;
    case KEEL_HASH_SHA384:
    case KEEL_HASH_SHA512: return 128;
    case KEEL_HASH_NONE:
    default: return 0;
    }
}

int keel_hmac_key_init(keel_hmac_key *k, keel_hash_id id, const uint8_t *key, size_t key_len)
{
    unsigned int n;

    k->ctx = NULL;
    k->id = id;
    k->hlen = keel_hash_len(id);
    k->blen = block_len(id);
    CHECK(k->hlen != 0 && k->blen != 0 && k->blen <= sizeof k->k0, GNUTLS_E_INVALID_REQUEST);
    k->ctx = keel_md_borrow(id);
    if (k->ctx == NULL)
        return keel_ossl_fail(GNUTLS_E_MEMORY_ERROR);
    memset(k->k0, 0, k->blen);
    /* RFC 2104 2: a key longer than the block is hashed first. */
    if (key_len > k->blen) {
        if (!EVP_DigestUpdate(k->ctx, key, key_len) || !EVP_DigestFinal_ex(k->ctx, k->k0, &n)
            || !EVP_DigestInit_ex(k->ctx, NULL, NULL)) {
            keel_hmac_key_done(k);
            return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
        }
    } else if (key_len > 0) {
        memcpy(k->k0, key, key_len);
    }
    k->fresh = 1;
    return 0;
}

static int pad_update(keel_hmac_key *k, uint8_t xor)
{
    uint8_t pad[HMAC_MAX_BLOCK];
    int ok;

    for (size_t i = 0; i < k->blen; i++)
        pad[i] = k->k0[i] ^ xor;
    ok = EVP_DigestUpdate(k->ctx, pad, k->blen);
    keel_wipe(pad, k->blen);
    return ok;
}

int keel_hmac_start(keel_hmac_key *k)
{
    if (!k->fresh && !EVP_DigestInit_ex(k->ctx, NULL, NULL))
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    k->fresh = 0;
    if (!pad_update(k, 0x36))
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    return 0;
}

int keel_hmac_update(keel_hmac_key *k, const void *data, size_t n)
{
    if (n > 0 && !EVP_DigestUpdate(k->ctx, data, n))
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    return 0;
}

int keel_hmac_finish(keel_hmac_key *k, uint8_t *out)
{
    uint8_t inner[KEEL_MAX_HASH_LEN];
    int ok;

    ok = EVP_DigestFinal_ex(k->ctx, inner, NULL) && EVP_DigestInit_ex(k->ctx, NULL, NULL)
         && pad_update(k, 0x5c) && EVP_DigestUpdate(k->ctx, inner, k->hlen)
         && EVP_DigestFinal_ex(k->ctx, out, NULL);
    keel_wipe(inner, sizeof inner);
    return ok ? 0 : keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
}

void keel_hmac_key_done(keel_hmac_key *k)
{
    keel_wipe(k->k0, sizeof k->k0);
    if (k->ctx != NULL)
        keel_md_release(k->id, k->ctx);
    k->ctx = NULL;
}

int keel_hmac(keel_hash_id id, const uint8_t *key, size_t key_len,
              const uint8_t *data, size_t data_len, uint8_t *out)
{
    keel_hmac_key k;
    int ret;

    TRY(keel_hmac_key_init(&k, id, key, key_len));
    TRY_OUT(keel_hmac_start(&k));
    TRY_OUT(keel_hmac_update(&k, data, data_len));
    TRY_OUT(keel_hmac_finish(&k, out));
out:
    keel_hmac_key_done(&k);
    return ret;
}

int keel_hkdf_extract(keel_hash_id id, const uint8_t *salt, size_t salt_len,
                      const uint8_t *ikm, size_t ikm_len, uint8_t *prk)
{
    static const uint8_t zeros[KEEL_MAX_HASH_LEN];

    /* RFC 5869 2.2: a missing salt is HashLen zero bytes. */
    if (salt == NULL || salt_len == 0) {
        salt = zeros;
        salt_len = keel_hash_len(id);
    }
    return keel_hmac(id, salt, salt_len, ikm, ikm_len, prk);
}

int keel_hkdf_expand(keel_hash_id id, const uint8_t *prk, size_t prk_len,
                     const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
    size_t hlen = keel_hash_len(id), done = 0;
    uint8_t t[KEEL_MAX_HASH_LEN];
    uint8_t counter = 0;
    keel_hmac_key k;
    int ret;

    CHECK(hlen != 0, GNUTLS_E_INVALID_REQUEST);
    /* RFC 5869 2.3: L <= 255*HashLen. */
    CHECK(out_len <= 255 * hlen, GNUTLS_E_INVALID_REQUEST);
    if (out_len == 0)
        return 0;
    TRY(keel_hmac_key_init(&k, id, prk, prk_len));
    while (done < out_len) {
        size_t n = out_len - done < hlen ? out_len - done : hlen;

        counter++;
        /* T(i) = HMAC(PRK, T(i-1) | info | i) */
        TRY_OUT(keel_hmac_start(&k));
        if (counter > 1)
            TRY_OUT(keel_hmac_update(&k, t, hlen));
        TRY_OUT(keel_hmac_update(&k, info, info_len));
        TRY_OUT(keel_hmac_update(&k, &counter, 1));
        TRY_OUT(keel_hmac_finish(&k, t));
        memcpy(out + done, t, n);
        done += n;
    }
out:
    keel_wipe(t, sizeof t);
    keel_hmac_key_done(&k);
    return ret;
}

int keel_hkdf_expand_label(keel_hash_id id, const uint8_t *secret, const char *label,
                           const uint8_t *context, size_t context_len,
                           uint8_t *out, size_t out_len)
{
    static const char prefix[] = "tls13 ";
    /* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel */
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t label_len = strlen(label), full_len = sizeof prefix - 1 + label_len, n = 0;

    CHECK(full_len <= 255 && context_len <= 255 && out_len <= 0xffff, GNUTLS_E_INVALID_REQUEST);
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)full_len;
    memcpy(info + n, prefix, sizeof prefix - 1);
    n += sizeof prefix - 1;
    memcpy(info + n, label, label_len);
    n += label_len;
    info[n++] = (uint8_t)context_len;
    if (context_len)
        memcpy(info + n, context, context_len);
    n += context_len;
    return keel_hkdf_expand(id, secret, keel_hash_len(id), info, n, out, out_len);
}

int keel_derive_secret(keel_hash_id id, const uint8_t *secret, const char *label,
                       const uint8_t *transcript_hash, uint8_t *out)
{
    size_t hlen = keel_hash_len(id);

    return keel_hkdf_expand_label(id, secret, label, transcript_hash, hlen, out, hlen);
}
