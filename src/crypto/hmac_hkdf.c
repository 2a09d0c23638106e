/* HMAC, HKDF (RFC 5869) and the TLS 1.3 HKDF-Expand-Label / Derive-Secret (RFC 8446 7.1),
 * all on a per-hash EVP_MAC HMAC template duplicated per operation (half the cost of
 * EVP_KDF HKDF). */
#include "crypto/internal.h"

/* A fresh HMAC context keyed with key (the digest comes from the template). */
static EVP_MAC_CTX *hmac_start(keel_hash_id id, const uint8_t *key, size_t key_len)
{
    EVP_MAC_CTX *ctx;
    static const uint8_t empty[1];

    if ((unsigned)id >= KEEL_HASH_COUNT || keel_ossl.hmac_tmpl[id] == NULL)
        return NULL;
    ctx = EVP_MAC_CTX_dup(keel_ossl.hmac_tmpl[id]);
    if (ctx == NULL)
        return NULL;
    /* A NULL key would mean "keep the previous key"; an empty key is a real key. */
    if (!EVP_MAC_init(ctx, key_len ? key : empty, key_len, NULL)) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

int keel_hmac(keel_hash_id id, const uint8_t *key, size_t key_len,
              const uint8_t *data, size_t data_len, uint8_t *out)
{
    size_t hlen = keel_hash_len(id), outl;
    EVP_MAC_CTX *ctx;
    int ok;

    CHECK(hlen != 0, GNUTLS_E_INVALID_REQUEST);
    ctx = hmac_start(id, key, key_len);
    if (ctx == NULL)
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    ok = (data_len == 0 || EVP_MAC_update(ctx, data, data_len))
         && EVP_MAC_final(ctx, out, &outl, hlen) && outl == hlen;
    EVP_MAC_CTX_free(ctx);
    return ok ? 0 : keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
}

int keel_hkdf_extract(keel_hash_id id, const uint8_t *salt, size_t salt_len,
                      const uint8_t *ikm, size_t ikm_len, uint8_t *prk)
{
    uint8_t zeros[KEEL_MAX_HASH_LEN] = { 0 };

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
    size_t hlen = keel_hash_len(id), done = 0, outl;
    uint8_t t[KEEL_MAX_HASH_LEN];
    uint8_t counter = 0;
    EVP_MAC_CTX *ctx;
    int ret = 0;

    CHECK(hlen != 0, GNUTLS_E_INVALID_REQUEST);
    /* RFC 5869 2.3: L <= 255*HashLen. */
    CHECK(out_len <= 255 * hlen, GNUTLS_E_INVALID_REQUEST);
    if (out_len == 0)
        return 0;
    ctx = hmac_start(id, prk, prk_len);
    if (ctx == NULL)
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    while (done < out_len) {
        size_t n = out_len - done < hlen ? out_len - done : hlen;

        counter++;
        /* T(i) = HMAC(PRK, T(i-1) | info | i); re-init keeps the key. */
        if (counter > 1 && (!EVP_MAC_init(ctx, NULL, 0, NULL) || !EVP_MAC_update(ctx, t, hlen)))
            CHECK_OUT(0, GNUTLS_E_INTERNAL_ERROR);
        CHECK_OUT(info_len == 0 || EVP_MAC_update(ctx, info, info_len), GNUTLS_E_INTERNAL_ERROR);
        CHECK_OUT(EVP_MAC_update(ctx, &counter, 1), GNUTLS_E_INTERNAL_ERROR);
        CHECK_OUT(EVP_MAC_final(ctx, t, &outl, sizeof t) && outl == hlen, GNUTLS_E_INTERNAL_ERROR);
        memcpy(out + done, t, n);
        done += n;
    }
out:
    keel_wipe(t, sizeof t);
    EVP_MAC_CTX_free(ctx);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
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
