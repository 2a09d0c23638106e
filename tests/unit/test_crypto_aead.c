/* AEAD known answers (GCM spec test cases 3, 4, 15, 16; RFC 8439 2.8.2) and tampering. */
#include <openssl/crypto.h>
#include "crypto/crypto.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

struct aead_vec {
    keel_aead_id id;
    const char *key, *nonce, *aad, *pt, *ct, *tag;
};

#define GCM_PT "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
               "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_PT60 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
                 "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"

static const struct aead_vec vecs[] = {
    /* GCM test case 3 */
    { KEEL_AEAD_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "",
      GCM_PT,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
      "4d5c2af327cd64a62cf35abd2ba6fab4" },
    /* GCM test case 4 */
    { KEEL_AEAD_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", GCM_AAD,
      GCM_PT60,
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
      "5bc94fbc3221a5db94fae95ae7121a47" },
    /* GCM test case 15 */
    { KEEL_AEAD_AES_256_GCM,
      "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
      "cafebabefacedbaddecaf888", "", GCM_PT,
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
      "b094dac5d93471bdec1a502270e3cc6c" },
    /* GCM test case 16 */
    { KEEL_AEAD_AES_256_GCM,
      "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
      "cafebabefacedbaddecaf888", GCM_AAD, GCM_PT60,
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
      "76fc6ece0f4e1768cddf8853bb2d551b" },
    /* RFC 8439 2.8.2 */
    { KEEL_AEAD_CHACHA20_POLY1305,
      "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
      "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
      /* "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for
       * the future, sunscreen would be it." */
      "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
      "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
      "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
      "637265656e20776f756c642062652069742e",
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
      "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
      "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116",
      "1ae10b594f09e26a7e902ecbd0600691" },
};

static uint8_t key[32], nonce[12], aad[64], pt[256], ct[256], buf[256], tag[16], want_tag[16];

static void run_vec(const struct aead_vec *v)
{
    keel_aead *enc = NULL, *dec = NULL;
    size_t aad_len, pt_len;

    CHECK_INT(t_unhex(v->key, key, sizeof key), keel_aead_key_len(v->id));
    t_unhex(v->nonce, nonce, sizeof nonce);
    aad_len = t_unhex(v->aad, aad, sizeof aad);
    pt_len = t_unhex(v->pt, pt, sizeof pt);
    CHECK_INT(t_unhex(v->ct, ct, sizeof ct), pt_len);
    t_unhex(v->tag, want_tag, sizeof want_tag);

    REQUIRE(keel_aead_new(v->id, 1, &enc) == 0);
    REQUIRE(keel_aead_new(v->id, 0, &dec) == 0);
    CHECK(keel_aead_set_key(enc, key) == 0);
    CHECK(keel_aead_set_key(dec, key) == 0);

    /* Twice with the same context: the per-record re-init must not carry state over. */
    for (int round = 0; round < 2; round++) {
        memcpy(buf, pt, pt_len);
        CHECK(keel_aead_seal(enc, nonce, aad, aad_len, buf, pt_len, tag) == 0);
        CHECK_MEM(buf, ct, pt_len);
        CHECK_MEM(tag, want_tag, 16);
        CHECK(keel_aead_open(dec, nonce, aad, aad_len, buf, pt_len, tag) == 0);
        CHECK_MEM(buf, pt, pt_len);
    }

    /* Tampered tag, ciphertext, AAD and nonce all fail. */
    memcpy(buf, ct, pt_len);
    tag[15] ^= 1;
    CHECK_INT(keel_aead_open(dec, nonce, aad, aad_len, buf, pt_len, tag), GNUTLS_E_DECRYPTION_FAILED);
    tag[15] ^= 1;
    memcpy(buf, ct, pt_len);
    buf[0] ^= 0x80;
    CHECK_INT(keel_aead_open(dec, nonce, aad, aad_len, buf, pt_len, tag), GNUTLS_E_DECRYPTION_FAILED);
    memcpy(buf, ct, pt_len);
    if (aad_len > 0) {
        aad[aad_len - 1] ^= 1;
        CHECK_INT(keel_aead_open(dec, nonce, aad, aad_len, buf, pt_len, tag), GNUTLS_E_DECRYPTION_FAILED);
        aad[aad_len - 1] ^= 1;
    } else {
        CHECK_INT(keel_aead_open(dec, nonce, (const uint8_t *)"x", 1, buf, pt_len, tag),
                  GNUTLS_E_DECRYPTION_FAILED);
    }
    memcpy(buf, ct, pt_len);
    nonce[11] ^= 1;
    CHECK_INT(keel_aead_open(dec, nonce, aad, aad_len, buf, pt_len, tag), GNUTLS_E_DECRYPTION_FAILED);
    nonce[11] ^= 1;
    /* A failure leaves the context usable. */
    memcpy(buf, ct, pt_len);
    CHECK(keel_aead_open(dec, nonce, aad, aad_len, buf, pt_len, tag) == 0);
    CHECK_MEM(buf, pt, pt_len);

    keel_aead_free(enc);
    keel_aead_free(dec);
}

static void gcm_128(void) { run_vec(&vecs[0]); run_vec(&vecs[1]); }
static void gcm_256(void) { run_vec(&vecs[2]); run_vec(&vecs[3]); }
static void chacha20_poly1305(void) { run_vec(&vecs[4]); }

/* Empty plaintext (TLS 1.3 records always carry a content type, but the AEAD must not care),
 * rekeying, and direction misuse. */
static void edge_cases(void)
{
    static const keel_aead_id ids[] = { KEEL_AEAD_AES_128_GCM, KEEL_AEAD_AES_256_GCM,
                                        KEEL_AEAD_CHACHA20_POLY1305 };
    uint8_t k1[32], k2[32], n[12] = { 0 }, t1[16], t2[16], data[40];

    memset(k1, 1, sizeof k1);
    memset(k2, 2, sizeof k2);
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(ids); i++) {
        keel_aead *enc = NULL, *dec = NULL;

        REQUIRE(keel_aead_new(ids[i], 1, &enc) == 0);
        REQUIRE(keel_aead_new(ids[i], 0, &dec) == 0);
        /* No key yet. */
        CHECK(keel_aead_seal(enc, n, NULL, 0, data, 0, t1) < 0);
        CHECK(keel_aead_set_key(enc, k1) == 0);
        CHECK(keel_aead_set_key(dec, k1) == 0);
        CHECK(keel_aead_seal(enc, n, NULL, 0, NULL, 0, t1) == 0);
        CHECK(keel_aead_open(dec, n, NULL, 0, NULL, 0, t1) == 0);
        /* Wrong direction. */
        CHECK(keel_aead_open(enc, n, NULL, 0, NULL, 0, t1) < 0);
        CHECK(keel_aead_seal(dec, n, NULL, 0, NULL, 0, t1) < 0);
        /* New key: different tag, and the old key no longer opens. */
        CHECK(keel_aead_set_key(enc, k2) == 0);
        memset(data, 7, sizeof data);
        CHECK(keel_aead_seal(enc, n, NULL, 0, data, sizeof data, t2) == 0);
        CHECK_INT(keel_aead_open(dec, n, NULL, 0, data, sizeof data, t2), GNUTLS_E_DECRYPTION_FAILED);
        CHECK(keel_aead_set_key(enc, k1) == 0);
        CHECK(keel_aead_seal(enc, n, NULL, 0, NULL, 0, t2) == 0);
        CHECK_MEM(t1, t2, 16);
        keel_aead_free(enc);
        keel_aead_free(dec);
    }
    {
        keel_aead *x = NULL;

        CHECK(keel_aead_new(KEEL_AEAD_NONE, 1, &x) < 0);
        CHECK(x == NULL);
        keel_aead_free(NULL);
    }
}

/* libcrypto's allocations, counted (installed before libcrypto allocates anything). */
static unsigned long ossl_allocs;
static int counting;

static void *count_malloc(size_t n, const char *file, int line)
{
    (void)file; (void)line;
    __atomic_add_fetch(&ossl_allocs, 1, __ATOMIC_RELAXED);
    return malloc(n);
}

static void *count_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file; (void)line;
    __atomic_add_fetch(&ossl_allocs, 1, __ATOMIC_RELAXED);
    return realloc(p, n);
}

static void count_free(void *p, const char *file, int line)
{
    (void)file; (void)line;
    free(p);
}

/* The record layer's contract: sealing and opening a record allocates nothing. */
static void no_allocation_per_record(void)
{
    static const keel_aead_id ids[] = { KEEL_AEAD_AES_128_GCM, KEEL_AEAD_AES_256_GCM,
                                        KEEL_AEAD_CHACHA20_POLY1305 };
    static uint8_t rec[16384 + 1];
    uint8_t k[32] = { 3 }, n[12] = { 0 }, t[16], hdr[5] = { 23, 3, 3, 0x40, 0x11 };

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(ids); i++) {
        keel_aead *enc = NULL, *dec = NULL;
        unsigned long before;

        REQUIRE(keel_aead_new(ids[i], 1, &enc) == 0 && keel_aead_new(ids[i], 0, &dec) == 0);
        REQUIRE(keel_aead_set_key(enc, k) == 0 && keel_aead_set_key(dec, k) == 0);
        before = ossl_allocs;
        for (int r = 0; r < 100; r++) {
            n[11] = (uint8_t)r;
            CHECK(keel_aead_seal(enc, n, hdr, sizeof hdr, rec, sizeof rec, t) == 0);
            CHECK(keel_aead_open(dec, n, hdr, sizeof hdr, rec, sizeof rec, t) == 0);
        }
        t[0] ^= 1;
        CHECK(keel_aead_open(dec, n, hdr, sizeof hdr, rec, sizeof rec, t) < 0);
        CHECK_INT(ossl_allocs - before, 0);
        CHECK(!counting || ossl_allocs > 0);     /* the counter does count (init allocated) */
        keel_aead_free(enc);
        keel_aead_free(dec);
    }
}

int main(void)
{
    counting = CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free);
    if (keel_crypto_init() != 0) {
        printf("keel_crypto_init failed\n0 passed, 1 failed\n");
        return 1;
    }
    RUN(gcm_128);
    RUN(gcm_256);
    RUN(chacha20_poly1305);
    RUN(edge_cases);
    RUN(no_allocation_per_record);
    keel_crypto_deinit();
    return t_done();
}
