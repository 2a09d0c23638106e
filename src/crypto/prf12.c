/* The TLS 1.2 PRF (RFC 5246 5): P_hash over HMAC with the suite's hash. */
#include "crypto/internal.h"

int keel_tls12_prf(keel_hash_id id, const uint8_t *secret, size_t secret_len,
                   const char *label, const uint8_t *seed, size_t seed_len,
                   uint8_t *out, size_t out_len)
{
    static const uint8_t empty[1];
    size_t hlen = keel_hash_len(id), label_len = strlen(label), done = 0, outl;
    uint8_t a[KEEL_MAX_HASH_LEN], block[KEEL_MAX_HASH_LEN];
    EVP_MAC_CTX *ctx = NULL;
    int ret = 0;

    CHECK(hlen != 0 && keel_ossl.hmac_tmpl[id] != NULL, GNUTLS_E_INVALID_REQUEST);
    if (out_len == 0)
        return 0;
    ctx = EVP_MAC_CTX_dup(keel_ossl.hmac_tmpl[id]);
    CHECK_OUT(ctx != NULL, GNUTLS_E_MEMORY_ERROR);

    /* A(1) = HMAC(secret, label + seed) */
    CHECK_OUT(EVP_MAC_init(ctx, secret_len ? secret : empty, secret_len, NULL), GNUTLS_E_INTERNAL_ERROR);
    CHECK_OUT(EVP_MAC_update(ctx, (const uint8_t *)label, label_len), GNUTLS_E_INTERNAL_ERROR);
    CHECK_OUT(seed_len == 0 || EVP_MAC_update(ctx, seed, seed_len), GNUTLS_E_INTERNAL_ERROR);
    CHECK_OUT(EVP_MAC_final(ctx, a, &outl, sizeof a) && outl == hlen, GNUTLS_E_INTERNAL_ERROR);
    while (done < out_len) {
        size_t n = out_len - done < hlen ? out_len - done : hlen;

        /* block = HMAC(secret, A(i) + label + seed) */
        CHECK_OUT(EVP_MAC_init(ctx, NULL, 0, NULL) && EVP_MAC_update(ctx, a, hlen)
                  && EVP_MAC_update(ctx, (const uint8_t *)label, label_len)
                  && (seed_len == 0 || EVP_MAC_update(ctx, seed, seed_len))
                  && EVP_MAC_final(ctx, block, &outl, sizeof block), GNUTLS_E_INTERNAL_ERROR);
        memcpy(out + done, block, n);
        done += n;
        if (done < out_len) {
            /* A(i+1) = HMAC(secret, A(i)) */
            CHECK_OUT(EVP_MAC_init(ctx, NULL, 0, NULL) && EVP_MAC_update(ctx, a, hlen)
                      && EVP_MAC_final(ctx, a, &outl, sizeof a), GNUTLS_E_INTERNAL_ERROR);
        }
    }
out:
    keel_wipe(a, sizeof a);
    keel_wipe(block, sizeof block);
    EVP_MAC_CTX_free(ctx);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
}
