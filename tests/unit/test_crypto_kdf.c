/* Known answers for hashes, HMAC, HKDF, the TLS 1.3 key schedule (RFC 8448 section 3) and
 * the TLS 1.2 PRF. */
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include "crypto/crypto.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

static uint8_t a[1024], b[1024], c[1024], d[1024];

static void sha2_abc(void)
{
    uint8_t out[64];

    REQUIRE(keel_hash_oneshot(KEEL_HASH_SHA256, "abc", 3, out) == 0);
    t_unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", a, sizeof a);
    CHECK_MEM(out, a, 32);
    REQUIRE(keel_hash_oneshot(KEEL_HASH_SHA384, "abc", 3, out) == 0);
    t_unhex("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7", a, sizeof a);
    CHECK_MEM(out, a, 48);
    REQUIRE(keel_hash_oneshot(KEEL_HASH_SHA512, "abc", 3, out) == 0);
    t_unhex("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", a, sizeof a);
    CHECK_MEM(out, a, 64);
    CHECK_INT(keel_hash_len(KEEL_HASH_SHA1), 20);
    CHECK_INT(keel_hash_len(KEEL_HASH_NONE), 0);
    CHECK(keel_hash_oneshot(KEEL_HASH_NONE, "abc", 3, out) < 0);
}

/* Incremental hashing: peek leaves the state usable, a clone forks it. */
static void hash_incremental(void)
{
    keel_hash *h = NULL, *fork = NULL;
    uint8_t out[32], want[32];

    REQUIRE(keel_hash_new(KEEL_HASH_SHA256, &h) == 0);
    CHECK(keel_hash_update(h, "a", 1) == 0);
    CHECK(keel_hash_peek(h, out) == 0);
    keel_hash_oneshot(KEEL_HASH_SHA256, "a", 1, want);
    CHECK_MEM(out, want, 32);
    CHECK(keel_hash_clone(h, &fork) == 0);
    CHECK(keel_hash_update(h, "bc", 2) == 0);
    CHECK(keel_hash_peek(h, out) == 0);
    t_unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", a, sizeof a);
    CHECK_MEM(out, a, 32);
    CHECK(keel_hash_peek(h, out) == 0);     /* twice gives the same */
    CHECK_MEM(out, a, 32);
    if (fork != NULL) {
        CHECK(keel_hash_update(fork, "x", 1) == 0);
        CHECK(keel_hash_peek(fork, out) == 0);
        keel_hash_oneshot(KEEL_HASH_SHA256, "ax", 2, want);
        CHECK_MEM(out, want, 32);
    }
    keel_hash_free(fork);
    keel_hash_free(h);
}

/* RFC 4231 test cases 1, 2 and 6. */
static void hmac_rfc4231(void)
{
    uint8_t key[20], out[64];

    memset(key, 0x0b, sizeof key);
    REQUIRE(keel_hmac(KEEL_HASH_SHA256, key, 20, (const uint8_t *)"Hi There", 8, out) == 0);
    t_unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", a, sizeof a);
    CHECK_MEM(out, a, 32);
    REQUIRE(keel_hmac(KEEL_HASH_SHA384, key, 20, (const uint8_t *)"Hi There", 8, out) == 0);
    t_unhex("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
            "faea9ea9076ede7f4af152e8b2fa9cb6", a, sizeof a);
    CHECK_MEM(out, a, 48);
    REQUIRE(keel_hmac(KEEL_HASH_SHA512, key, 20, (const uint8_t *)"Hi There", 8, out) == 0);
    t_unhex("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
            "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854", a, sizeof a);
    CHECK_MEM(out, a, 64);

    REQUIRE(keel_hmac(KEEL_HASH_SHA256, (const uint8_t *)"Jefe", 4,
                      (const uint8_t *)"what do ya want for nothing?", 28, out) == 0);
    t_unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", a, sizeof a);
    CHECK_MEM(out, a, 32);
    REQUIRE(keel_hmac(KEEL_HASH_SHA512, (const uint8_t *)"Jefe", 4,
                      (const uint8_t *)"what do ya want for nothing?", 28, out) == 0);
    t_unhex("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", a, sizeof a);
    CHECK_MEM(out, a, 64);

    /* Test case 6: a key longer than the block is hashed first (RFC 2104 2). */
    {
        static const char msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
        uint8_t big[131];

        memset(big, 0xaa, sizeof big);
        REQUIRE(keel_hmac(KEEL_HASH_SHA256, big, sizeof big, (const uint8_t *)msg,
                          sizeof msg - 1, out) == 0);
        t_unhex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", a, sizeof a);
        CHECK_MEM(out, a, 32);
        REQUIRE(keel_hmac(KEEL_HASH_SHA384, big, sizeof big, (const uint8_t *)msg,
                          sizeof msg - 1, out) == 0);
        t_unhex("4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
                "0c2ef6ab4030fe8296248df163f44952", a, sizeof a);
        CHECK_MEM(out, a, 48);
        /* An empty key is a key (all zeros), not "keep the previous one". */
        REQUIRE(keel_hmac(KEEL_HASH_SHA256, NULL, 0, (const uint8_t *)"x", 1, out) == 0);
        t_unhex("4cbc96099a6467ce002461f10549b4898265ebe6188b45efacc44293516e62c4", a, sizeof a);
        CHECK_MEM(out, a, 32);
    }
}

static void hkdf_case(const char *ikm_hex, const char *salt_hex, const char *info_hex,
                      const char *prk_hex, const char *okm_hex)
{
    size_t ikm_len = t_unhex(ikm_hex, a, sizeof a), salt_len = t_unhex(salt_hex, b, sizeof b);
    size_t info_len = t_unhex(info_hex, c, sizeof c), okm_len;
    uint8_t prk[32], want_prk[32], okm[128];

    t_unhex(prk_hex, want_prk, sizeof want_prk);
    okm_len = t_unhex(okm_hex, d, sizeof d);
    REQUIRE(keel_hkdf_extract(KEEL_HASH_SHA256, b, salt_len, a, ikm_len, prk) == 0);
    CHECK_MEM(prk, want_prk, 32);
    REQUIRE(keel_hkdf_expand(KEEL_HASH_SHA256, prk, 32, c, info_len, okm, okm_len) == 0);
    CHECK_MEM(okm, d, okm_len);
}

/* RFC 5869 appendix A.1-A.3. */
static void hkdf_rfc5869(void)
{
    hkdf_case("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
              "000102030405060708090a0b0c",
              "f0f1f2f3f4f5f6f7f8f9",
              "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
              "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
              "34007208d5b887185865");
    hkdf_case("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
              "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
              "404142434445464748494a4b4c4d4e4f",
              "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
              "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
              "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
              "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
              "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
              "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
              "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
              "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
              "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
              "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    hkdf_case("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
              "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
              "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
              "9d201395faa4b61a96c8");
}

static void hkdf_limits(void)
{
    static uint8_t big[255 * 32 + 1];
    uint8_t prk[32] = { 0 }, out[8];

    CHECK(keel_hkdf_expand(KEEL_HASH_SHA256, prk, 32, NULL, 0, big, 255 * 32) == 0);
    CHECK(keel_hkdf_expand(KEEL_HASH_SHA256, prk, 32, NULL, 0, big, 255 * 32 + 1) < 0);
    CHECK(keel_hkdf_expand(KEEL_HASH_NONE, prk, 32, NULL, 0, out, 8) < 0);
    /* A label longer than 255 - 6 bytes does not fit HkdfLabel. */
    memset(c, 'x', 250);
    c[250] = 0;
    CHECK(keel_hkdf_expand_label(KEEL_HASH_SHA256, prk, (const char *)c, NULL, 0, out, 8) < 0);
}

static void expect_label(const char *secret_hex, const char *label, const char *ctx_hex,
                         size_t out_len, const char *want_hex)
{
    uint8_t secret[32], ctx[64], out[64], want[64];
    size_t ctx_len;

    t_unhex(secret_hex, secret, sizeof secret);
    ctx_len = t_unhex(ctx_hex, ctx, sizeof ctx);
    t_unhex(want_hex, want, sizeof want);
    REQUIRE(keel_hkdf_expand_label(KEEL_HASH_SHA256, secret, label, ctx, ctx_len, out, out_len) == 0);
    CHECK_MEM(out, want, out_len);
}

/* RFC 8448 section 3 (Simple 1-RTT Handshake): every secret, from the given ECDHE shared
 * secret and the transcript hashes the trace prints. */
static void tls13_rfc8448_key_schedule(void)
{
    uint8_t zeros[32] = { 0 }, empty_hash[32], early[32], derived[32], ecdhe[32], hs[32];
    uint8_t hash_sh[32], chs[32], shs[32], master[32], hash_sf[32], hash_cf[32], out[32], want[32];

    REQUIRE(keel_hash_oneshot(KEEL_HASH_SHA256, "", 0, empty_hash) == 0);

    /* {server} extract secret "early" */
    REQUIRE(keel_hkdf_extract(KEEL_HASH_SHA256, NULL, 0, zeros, 32, early) == 0);
    t_unhex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a", want, 32);
    CHECK_MEM(early, want, 32);

    /* {server} derive secret for handshake "tls13 derived" */
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, early, "derived", empty_hash, derived) == 0);
    t_unhex("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba", want, 32);
    CHECK_MEM(derived, want, 32);

    /* {server} extract secret "handshake" */
    t_unhex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d", ecdhe, 32);
    REQUIRE(keel_hkdf_extract(KEEL_HASH_SHA256, derived, 32, ecdhe, 32, hs) == 0);
    t_unhex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac", want, 32);
    CHECK_MEM(hs, want, 32);

    /* {server} derive secret "tls13 c hs traffic" / "tls13 s hs traffic" */
    t_unhex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8", hash_sh, 32);
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, hs, "c hs traffic", hash_sh, chs) == 0);
    t_unhex("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21", want, 32);
    CHECK_MEM(chs, want, 32);
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, hs, "s hs traffic", hash_sh, shs) == 0);
    t_unhex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", want, 32);
    CHECK_MEM(shs, want, 32);

    /* {server} derive secret for master "tls13 derived", extract secret "master" */
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, hs, "derived", empty_hash, derived) == 0);
    t_unhex("43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4", want, 32);
    CHECK_MEM(derived, want, 32);
    REQUIRE(keel_hkdf_extract(KEEL_HASH_SHA256, derived, 32, zeros, 32, master) == 0);
    t_unhex("18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919", want, 32);
    CHECK_MEM(master, want, 32);

    /* Application traffic and exporter secrets (transcript through server Finished) */
    t_unhex("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13", hash_sf, 32);
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, master, "c ap traffic", hash_sf, out) == 0);
    t_unhex("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5", want, 32);
    CHECK_MEM(out, want, 32);
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, master, "s ap traffic", hash_sf, out) == 0);
    t_unhex("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643", want, 32);
    CHECK_MEM(out, want, 32);
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, master, "exp master", hash_sf, out) == 0);
    t_unhex("fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50", want, 32);
    CHECK_MEM(out, want, 32);

    /* Resumption master secret (transcript through client Finished) */
    t_unhex("209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d", hash_cf, 32);
    REQUIRE(keel_derive_secret(KEEL_HASH_SHA256, master, "res master", hash_cf, out) == 0);
    t_unhex("7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c", want, 32);
    CHECK_MEM(out, want, 32);
}

/* RFC 8448 section 3: write keys, IVs and finished keys from the traffic secrets. */
static void tls13_rfc8448_traffic_keys(void)
{
    const char *shs = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
    const char *chs = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
    const char *sap = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
    const char *cap = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";

    expect_label(shs, "key", "", 16, "3fce516009c21727d0f2e4e86ee403bc");
    expect_label(shs, "iv", "", 12, "5d313eb2671276ee13000b30");
    expect_label(chs, "key", "", 16, "dbfaa693d1762c5b666af5d950258d01");
    expect_label(chs, "iv", "", 12, "5bd3c71b836e0b76bb73265f");
    expect_label(sap, "key", "", 16, "9f02283b6c9c07efc26bb9f2ac92e356");
    expect_label(sap, "iv", "", 12, "cf782b88dd83549aadf1e984");
    expect_label(cap, "key", "", 16, "17422dda596ed5d9acd890e3c63f5051");
    expect_label(cap, "iv", "", 12, "5b78923dee08579033e523d9");
    expect_label(shs, "finished", "", 32,
                 "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8");
    expect_label(chs, "finished", "", 32,
                 "b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4");
}

/* The TLS 1.2 PRF cross-checked against libcrypto's own TLS1-PRF KDF. */
static void prf_reference(keel_hash_id id, const char *mdname, const uint8_t *secret, size_t slen,
                          const char *label, const uint8_t *seed, size_t seedlen,
                          uint8_t *out, size_t outlen)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
    EVP_KDF_CTX *kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    uint8_t fullseed[256];
    size_t llen = strlen(label);
    OSSL_PARAM params[4];

    (void)id;
    memcpy(fullseed, label, llen);
    memcpy(fullseed + llen, seed, seedlen);
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)mdname, 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)secret, slen);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, fullseed, llen + seedlen);
    params[3] = OSSL_PARAM_construct_end();
    CHECK(kctx != NULL && EVP_KDF_derive(kctx, out, outlen, params) > 0);
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
}

static void tls12_prf(void)
{
    uint8_t secret[48], seed[64], out[200], ref[200];
    size_t slen = t_unhex("9bbe436ba940f017b17652849a71db35", secret, sizeof secret);
    size_t seedlen = t_unhex("a0ba9f936cda311827a6f796ffd5198c", seed, sizeof seed);

    /* The widely published P_SHA256 vector ("test label", 100 bytes). */
    REQUIRE(keel_tls12_prf(KEEL_HASH_SHA256, secret, slen, "test label", seed, seedlen, out, 100) == 0);
    t_unhex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
            "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
            "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
            "87347b66", a, sizeof a);
    CHECK_MEM(out, a, 100);
    prf_reference(KEEL_HASH_SHA256, "SHA256", secret, slen, "test label", seed, seedlen, ref, 100);
    CHECK_MEM(out, ref, 100);

    /* SHA-384 at lengths that do and do not end on a block boundary. */
    for (size_t n = 1; n <= 200; n += 47) {
        memset(out, 0, sizeof out);
        REQUIRE(keel_tls12_prf(KEEL_HASH_SHA384, secret, slen, "master secret", seed, seedlen,
                               out, n) == 0);
        prf_reference(KEEL_HASH_SHA384, "SHA384", secret, slen, "master secret", seed, seedlen,
                      ref, n);
        CHECK_MEM(out, ref, n);
    }
    REQUIRE(keel_tls12_prf(KEEL_HASH_SHA384, secret, slen, "key expansion", seed, seedlen, out, 96) == 0);
    prf_reference(KEEL_HASH_SHA384, "SHA384", secret, slen, "key expansion", seed, seedlen, ref, 96);
    CHECK_MEM(out, ref, 96);
}

static void secret_helpers(void)
{
    uint8_t x[4] = { 1, 2, 3, 4 }, y[4] = { 1, 2, 3, 4 };

    CHECK(keel_memeq_secret(x, y, 4));
    y[3] = 5;
    CHECK(!keel_memeq_secret(x, y, 4));
    CHECK(keel_memeq_secret(x, y, 0));
    keel_wipe(x, sizeof x);
    CHECK(x[0] == 0 && x[3] == 0);
}

int main(void)
{
    if (keel_crypto_init() != 0) {
        printf("keel_crypto_init failed\n0 passed, 1 failed\n");
        return 1;
    }
    CHECK_INT(keel_crypto_init(), 0);    /* idempotent */
    RUN(sha2_abc);
    RUN(hash_incremental);
    RUN(hmac_rfc4231);
    RUN(hkdf_rfc5869);
    RUN(hkdf_limits);
    RUN(tls13_rfc8448_key_schedule);
    RUN(tls13_rfc8448_traffic_keys);
    RUN(tls12_prf);
    RUN(secret_helpers);
    keel_crypto_deinit();
    return t_done();
}
