/* The crypto layer under concurrency: racing keel_crypto_init calls, one private key shared
 * (reference counted) by several threads, HKDF on each thread's own digest contexts, and the
 * per-thread spare buffers (left with the thread at its exit: freed there, which valgrind
 * checks). */
#include <pthread.h>
#include "crypto/crypto.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

#define THREADS 6
#define ROUNDS 40

static keel_pkey *shared_key;
static int thread_errors;

static void *worker(void *arg)
{
    uint8_t secret[32] = { 7 }, out[32], first[32], msg[64], sig[KEEL_MAX_SIG_LEN], k[16] = { 1 };
    uint8_t n[12] = { 0 }, tag[16], pa[KEEL_MAX_KX_PUB_LEN], pb[KEEL_MAX_KX_PUB_LEN];
    uint8_t sa[KEEL_MAX_KX_SECRET_LEN], sb[KEEL_MAX_KX_SECRET_LEN];
    keel_aead *enc = NULL, *dec = NULL;
    int errors = 0;

    (void)arg;
    if (keel_crypto_init() != 0)
        errors++;
    keel_pkey_ref(shared_key);
    if (keel_aead_new(KEEL_AEAD_AES_128_GCM, 1, &enc) || keel_aead_new(KEEL_AEAD_AES_128_GCM, 0, &dec)
        || keel_aead_set_key(enc, k) || keel_aead_set_key(dec, k))
        errors++;
    for (int r = 0; r < ROUNDS && enc && dec; r++) {
        size_t slen = sizeof sig, la, lb, l1, l2;
        keel_kx *a = NULL, *b = NULL;

        if (keel_hkdf_expand_label(KEEL_HASH_SHA256, secret, "key", NULL, 0, out, 32))
            errors++;
        if (r == 0)
            memcpy(first, out, 32);
        else if (memcmp(first, out, 32) != 0)
            errors++;
        memset(msg, r, sizeof msg);
        if (keel_sign(shared_key, 0x0403, msg, sizeof msg, sig, &slen)
            || keel_verify(shared_key, 0x0403, msg, sizeof msg, sig, slen))
            errors++;
        n[11] = (uint8_t)r;
        if (keel_aead_seal(enc, n, NULL, 0, msg, sizeof msg, tag)
            || keel_aead_open(dec, n, NULL, 0, msg, sizeof msg, tag) || msg[0] != (uint8_t)r)
            errors++;
        if (keel_kx_generate(KEEL_KX_X25519, &a, pa, &la) || keel_kx_generate(KEEL_KX_X25519, &b, pb, &lb)
            || keel_kx_derive(a, pb, lb, sa, &l1) || keel_kx_derive(b, pa, la, sb, &l2)
            || l1 != l2 || memcmp(sa, sb, l1) != 0)
            errors++;
        keel_kx_free(a);
        keel_kx_free(b);
    }
    {
        /* A spare stays with its thread; the thread's exit frees it. */
        size_t cap = 0;
        uint8_t *buf = keel_malloc(1000), *got;

        if (buf == NULL || !keel_spare_give(KEEL_SPARE_IN, buf, 1000))
            errors++;
        got = keel_spare_take(KEEL_SPARE_IN, 2000, 4000, &cap);
        if (got != NULL)
            errors++;
        got = keel_spare_take(KEEL_SPARE_IN, 500, 4000, &cap);
        if (got != buf || cap != 1000 || !keel_spare_give(KEEL_SPARE_IN, got, cap))
            errors++;
    }
    keel_aead_free(enc);
    keel_aead_free(dec);
    keel_pkey_unref(shared_key);
    __atomic_add_fetch(&thread_errors, errors, __ATOMIC_RELAXED);
    return NULL;
}

static void parallel_use(void)
{
    pthread_t th[THREADS];

    for (int i = 0; i < THREADS; i++)
        REQUIRE(pthread_create(&th[i], NULL, worker, NULL) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    CHECK_INT(thread_errors, 0);
    /* The last reference is still main's. */
    CHECK_INT(keel_pkey_type(shared_key), KEEL_PK_EC_P256);
}

/* The test hook replaces the DRBG; NULL restores it. */
static int fixed_random(void *ctx, void *out, size_t n)
{
    memset(out, *(const int *)ctx, n);
    return 0;
}

static void random_hook(void)
{
    uint8_t a[32], b[32], want[32];
    int fill = 0x5a;

    keel_test_set_random(fixed_random, &fill);
    CHECK(keel_random(a, sizeof a) == 0);
    memset(want, 0x5a, sizeof want);
    CHECK_MEM(a, want, 32);
    keel_test_set_random(NULL, NULL);
    CHECK(keel_random(a, sizeof a) == 0);
    CHECK(keel_random(b, sizeof b) == 0);
    CHECK(memcmp(a, b, 32) != 0);
    CHECK(memcmp(a, want, 32) != 0);
    CHECK(keel_random(a, 0) == 0);
}

int main(void)
{
    /* Keys can be made before init; the threads race to initialise. */
    if (keel_test_pkey_generate(KEEL_PK_EC_P256, 0, &shared_key) != 0) {
        printf("key generation failed\n0 passed, 1 failed\n");
        return 1;
    }
    RUN(parallel_use);
    RUN(random_hook);
    keel_pkey_unref(shared_key);
    keel_crypto_deinit();
    /* deinit then init again works (gnutls_global_init after a full deinit). */
    CHECK_INT(keel_crypto_init(), 0);
    keel_crypto_deinit();
    return t_done();
}
