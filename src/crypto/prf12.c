/* The TLS 1.2 PRF (RFC 5246 5): P_hash over HMAC with the suite's hash. */
#include "crypto/hmac.h"

int keel_tls12_prf(keel_hash_id id, const uint8_t *secret, size_t secret_len,
                   const char *label, const uint8_t *seed, size_t seed_len,
                   uint8_t *out, size_t out_len)
{
    size_t hlen = keel_hash_len(id), label_len = strlen(label), done = 0;
    uint8_t a[KEEL_MAX_HASH_LEN], block[KEEL_MAX_HASH_LEN];
    keel_hmac_key k;
    int ret;

    CHECK(hlen != 0, GNUTLS_E_INVALID_REQUEST);
    if (out_len == 0)
        return 0;
    TRY(keel_hmac_key_init(&k, id, secret, secret_len));

    /* A(1) = HMAC(secret, label + seed) */
    TRY_OUT(keel_hmac_start(&k));
    TRY_OUT(keel_hmac_update(&k, label, label_len));
    TRY_OUT(keel_hmac_update(&k, seed, seed_len));
    TRY_OUT(keel_hmac_finish(&k, a));
    while (done < out_len) {
        size_t n = out_len - done < hlen ? out_len - done : hlen;

        /* block = HMAC(secret, A(i) + label + seed) */
        TRY_OUT(keel_hmac_start(&k));
        TRY_OUT(keel_hmac_update(&k, a, hlen));
        TRY_OUT(keel_hmac_update(&k, label, label_len));
        TRY_OUT(keel_hmac_update(&k, seed, seed_len));
        TRY_OUT(keel_hmac_finish(&k, block));
        memcpy(out + done, block, n);
        done += n;
        if (done < out_len) {
            /* A(i+1) = HMAC(secret, A(i)) */
            TRY_OUT(keel_hmac_start(&k));
            TRY_OUT(keel_hmac_update(&k, a, hlen));
            TRY_OUT(keel_hmac_finish(&k, a));
        }
    }
out:
    keel_wipe(a, sizeof a);
    keel_wipe(block, sizeof block);
    keel_hmac_key_done(&k);
    return ret;
}
