/* Randomness: libcrypto's DRBG, or a test-installed source for deterministic traces. */
#include <limits.h>
#include <openssl/rand.h>
#include "crypto/internal.h"

static keel_random_fn test_fn;
static void *test_ctx;

void keel_test_set_random(keel_random_fn fn, void *ctx)
{
    test_fn = fn;
    test_ctx = ctx;
}

int keel_random(void *out, size_t n)
{
    uint8_t *p = out;

    if (test_fn != NULL)
        return test_fn(test_ctx, out, n);
    while (n > 0) {
        int chunk = n > INT_MAX ? INT_MAX : (int)n;

        if (RAND_bytes(p, chunk) != 1)
            return keel_ossl_fail(GNUTLS_E_RANDOM_FAILED);
        p += chunk;
        n -= (size_t)chunk;
    }
    return 0;
}
