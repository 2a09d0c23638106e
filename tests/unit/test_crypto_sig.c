/* Signatures by TLS SignatureScheme: RFC 8032 Ed25519 vectors, sign/verify round trips for
 * RSA (PKCS#1 v1.5, PSS rsae and pss), ECDSA and EdDSA, scheme/key mismatches, raw public-key
 * imports, and the RSA key exchange's premaster handling. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include "crypto/ossl.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

static const uint8_t msg[] = "Keel signs this: TLS 1.3, server CertificateVerify";
static uint8_t sig[KEEL_MAX_SIG_LEN];

static keel_pkey *rsa_key, *rsa_pss_key, *p256_key, *p384_key, *p521_key, *ed25519_key, *ed448_key;

static keel_pkey *gen(keel_pk_type type, unsigned bits)
{
    keel_pkey *k = NULL;

    if (keel_test_pkey_generate(type, bits, &k) != 0)
        return NULL;
    return k;
}

static void rfc8032_case(const char *priv_hex, const char *pub_hex, const char *msg_hex,
                         const char *sig_hex)
{
    uint8_t priv[32], pub[32], m[128] = { 0 }, want[64];
    size_t mlen = t_unhex(msg_hex, m, sizeof m), slen = sizeof sig;
    keel_pkey *k = NULL, *pk = NULL;

    t_unhex(priv_hex, priv, sizeof priv);
    t_unhex(pub_hex, pub, sizeof pub);
    t_unhex(sig_hex, want, sizeof want);
    REQUIRE(keel_pkey_wrap(EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, priv, 32), &k) == 0);
    CHECK_INT(keel_pkey_type(k), KEEL_PK_ED25519);
    CHECK(keel_pkey_has_private(k));
    CHECK(keel_sign(k, 0x0807, m, mlen, sig, &slen) == 0);
    CHECK_INT(slen, 64);
    CHECK_MEM(sig, want, 64);

    REQUIRE(keel_pkey_import_eddsa(KEEL_PK_ED25519, pub, 32, &pk) == 0);
    CHECK(!keel_pkey_has_private(pk));
    CHECK(keel_verify(pk, 0x0807, m, mlen, want, 64) == 0);
    want[10] ^= 0x20;
    CHECK_INT(keel_verify(pk, 0x0807, m, mlen, want, 64), GNUTLS_E_PK_SIG_VERIFY_FAILED);
    want[10] ^= 0x20;
    CHECK_INT(keel_verify(pk, 0x0807, m, mlen, want, 63), GNUTLS_E_PK_SIG_VERIFY_FAILED);
    m[0] ^= 1;
    CHECK_INT(keel_verify(pk, 0x0807, m, mlen ? mlen : 1, want, 64), GNUTLS_E_PK_SIG_VERIFY_FAILED);
    CHECK_INT(keel_verify(pk, 0x0808, m, mlen, want, 64), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    slen = sizeof sig;
    CHECK(keel_sign(pk, 0x0807, m, mlen, sig, &slen) < 0);     /* no private key */
    keel_pkey_unref(k);
    keel_pkey_unref(pk);
}

/* RFC 8032 7.1 TEST 1 and TEST 2 */
static void ed25519_rfc8032(void)
{
    rfc8032_case("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                 "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                 "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                 "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    rfc8032_case("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                 "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                 "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                 "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

/* Sign with scheme, verify, then: a flipped bit fails, another message fails. */
static void roundtrip(keel_pkey *k, uint16_t scheme)
{
    size_t slen = sizeof sig;

    CHECK_INT(keel_pkey_scheme_ok(k, scheme), 0);
    if (keel_sign(k, scheme, msg, sizeof msg, sig, &slen) != 0) {
        fprintf(stderr, "  sign with scheme 0x%04x failed\n", scheme);
        CHECK(0);
        return;
    }
    CHECK(keel_verify(k, scheme, msg, sizeof msg, sig, slen) == 0);
    sig[slen / 2] ^= 0x01;
    CHECK_INT(keel_verify(k, scheme, msg, sizeof msg, sig, slen), GNUTLS_E_PK_SIG_VERIFY_FAILED);
    sig[slen / 2] ^= 0x01;
    CHECK_INT(keel_verify(k, scheme, msg, sizeof msg - 1, sig, slen), GNUTLS_E_PK_SIG_VERIFY_FAILED);
    CHECK_INT(keel_verify(k, scheme, msg, sizeof msg, sig, slen - 1), GNUTLS_E_PK_SIG_VERIFY_FAILED);
}

static void unsupported(keel_pkey *k, uint16_t scheme)
{
    size_t slen = sizeof sig;

    CHECK_INT(keel_pkey_scheme_ok(k, scheme), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    CHECK_INT(keel_sign(k, scheme, msg, sizeof msg, sig, &slen), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    CHECK_INT(keel_verify(k, scheme, msg, sizeof msg, sig, 64), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
}

/* Signed with one scheme, verified as another that fits the key: fails. */
static void cross(keel_pkey *k, uint16_t sign_scheme, uint16_t verify_scheme)
{
    size_t slen = sizeof sig;

    REQUIRE(keel_sign(k, sign_scheme, msg, sizeof msg, sig, &slen) == 0);
    CHECK_INT(keel_verify(k, verify_scheme, msg, sizeof msg, sig, slen), GNUTLS_E_PK_SIG_VERIFY_FAILED);
}

static void rsa_pkcs1_and_pss_rsae(void)
{
    size_t slen = 10;

    REQUIRE(rsa_key != NULL);
    CHECK_INT(keel_pkey_type(rsa_key), KEEL_PK_RSA);
    CHECK_INT(keel_pkey_bits(rsa_key), 2048);
    CHECK(keel_pkey_has_private(rsa_key));
    roundtrip(rsa_key, 0x0401);
    roundtrip(rsa_key, 0x0501);
    roundtrip(rsa_key, 0x0601);
    roundtrip(rsa_key, 0x0804);
    roundtrip(rsa_key, 0x0805);
    roundtrip(rsa_key, 0x0806);
    cross(rsa_key, 0x0804, 0x0401);
    cross(rsa_key, 0x0401, 0x0804);
    cross(rsa_key, 0x0804, 0x0805);
    cross(rsa_key, 0x0401, 0x0501);
    /* rsa_pss_pss_* need an RSASSA-PSS key; ECDSA and EdDSA schemes do not fit. */
    unsupported(rsa_key, 0x0809);
    unsupported(rsa_key, 0x0403);
    unsupported(rsa_key, 0x0807);
    unsupported(rsa_key, 0x1234);
    /* SHA-1 is verify-only. */
    CHECK_INT(keel_pkey_scheme_ok(rsa_key, 0x0201), 0);
    slen = sizeof sig;
    CHECK_INT(keel_sign(rsa_key, 0x0201, msg, sizeof msg, sig, &slen), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    /* Too small an output buffer. */
    slen = 10;
    CHECK_INT(keel_sign(rsa_key, 0x0804, msg, sizeof msg, sig, &slen), GNUTLS_E_SHORT_MEMORY_BUFFER);
}

static void rsa_pss_pss(void)
{
    REQUIRE(rsa_pss_key != NULL);
    CHECK_INT(keel_pkey_type(rsa_pss_key), KEEL_PK_RSA_PSS);
    CHECK(keel_pkey_has_private(rsa_pss_key));
    roundtrip(rsa_pss_key, 0x0809);
    roundtrip(rsa_pss_key, 0x080a);
    roundtrip(rsa_pss_key, 0x080b);
    cross(rsa_pss_key, 0x0809, 0x080a);
    unsupported(rsa_pss_key, 0x0804);
    unsupported(rsa_pss_key, 0x0401);
}

/* An RSASSA-PSS key restricted to SHA-384 by its parameters fits only rsa_pss_pss_sha384. */
static void rsa_pss_restricted(void)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
    EVP_PKEY *pk = NULL;
    keel_pkey *k = NULL;

    REQUIRE(ctx != NULL && EVP_PKEY_keygen_init(ctx) > 0
            && EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024) > 0
            && EVP_PKEY_CTX_set_rsa_pss_keygen_md_name(ctx, "SHA384", NULL) > 0
            && EVP_PKEY_keygen(ctx, &pk) > 0);
    EVP_PKEY_CTX_free(ctx);
    REQUIRE(keel_pkey_wrap(pk, &k) == 0);
    CHECK_INT(keel_pkey_type(k), KEEL_PK_RSA_PSS);
    roundtrip(k, 0x080a);
    unsupported(k, 0x0809);
    unsupported(k, 0x080b);
    unsupported(k, 0x0805);
    keel_pkey_unref(k);
}

static void ecdsa(void)
{
    REQUIRE(p256_key != NULL && p384_key != NULL && p521_key != NULL);
    CHECK_INT(keel_pkey_type(p256_key), KEEL_PK_EC_P256);
    CHECK_INT(keel_pkey_type(p384_key), KEEL_PK_EC_P384);
    CHECK_INT(keel_pkey_type(p521_key), KEEL_PK_EC_P521);
    CHECK_INT(keel_pkey_bits(p256_key), 256);
    roundtrip(p256_key, 0x0403);
    roundtrip(p384_key, 0x0503);
    roundtrip(p521_key, 0x0603);
    /* TLS 1.3 binds the curve to the hash. */
    unsupported(p256_key, 0x0503);
    unsupported(p384_key, 0x0403);
    unsupported(p256_key, 0x0804);
    unsupported(p256_key, 0x0807);
}

/* TLS 1.2: the ECDSA code points name the hash only (RFC 5246 7.4.1.4.1). */
static void ecdsa_tls12_any_curve(void)
{
    size_t slen = sizeof sig;

    REQUIRE(p384_key != NULL && rsa_key != NULL);
    CHECK_INT(keel_pkey_scheme_ok_ex(p384_key, 0x0403, KEEL_SIG_TLS12), 0);
    CHECK_INT(keel_pkey_scheme_ok_ex(p384_key, 0x0403, 0), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    REQUIRE(keel_sign_ex(p384_key, 0x0403, KEEL_SIG_TLS12, msg, sizeof msg, sig, &slen) == 0);
    CHECK(keel_verify_ex(p384_key, 0x0403, KEEL_SIG_TLS12, msg, sizeof msg, sig, slen) == 0);
    CHECK_INT(keel_verify_ex(p384_key, 0x0503, KEEL_SIG_TLS12, msg, sizeof msg, sig, slen),
              GNUTLS_E_PK_SIG_VERIFY_FAILED);
    CHECK_INT(keel_verify(p384_key, 0x0403, msg, sizeof msg, sig, slen),
              GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    /* Still no ECDSA scheme for an RSA key. */
    CHECK_INT(keel_pkey_scheme_ok_ex(rsa_key, 0x0403, KEEL_SIG_TLS12), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
}

static void eddsa(void)
{
    REQUIRE(ed25519_key != NULL && ed448_key != NULL);
    roundtrip(ed25519_key, 0x0807);
    roundtrip(ed448_key, 0x0808);
    unsupported(ed25519_key, 0x0808);
    unsupported(ed448_key, 0x0807);
    unsupported(ed25519_key, 0x0403);
}

/* SHA-1 signatures (made here with libcrypto directly) verify under the legacy schemes. */
static void sha1_verify_only(void)
{
    keel_pkey *keys[2] = { rsa_key, p256_key };
    uint16_t schemes[2] = { 0x0201, 0x0203 };

    for (int i = 0; i < 2; i++) {
        EVP_MD_CTX *m = EVP_MD_CTX_new();
        size_t slen = sizeof sig;

        REQUIRE(keys[i] != NULL && m != NULL);
        CHECK(EVP_DigestSignInit_ex(m, NULL, "SHA1", NULL, NULL, keel_pkey_ossl(keys[i]), NULL) > 0
              && EVP_DigestSign(m, sig, &slen, msg, sizeof msg) > 0);
        EVP_MD_CTX_free(m);
        CHECK(keel_verify(keys[i], schemes[i], msg, sizeof msg, sig, slen) == 0);
        sig[4] ^= 1;
        CHECK_INT(keel_verify(keys[i], schemes[i], msg, sizeof msg, sig, slen), GNUTLS_E_PK_SIG_VERIFY_FAILED);
        slen = sizeof sig;
        CHECK_INT(keel_sign(keys[i], schemes[i], msg, sizeof msg, sig, &slen),
                  GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    }
}

/* Public keys imported from raw values verify what the private keys signed. */
static void raw_imports(void)
{
    uint8_t n[512], e[8], point[133];
    size_t n_len, e_len, plen = 0, slen = sizeof sig;
    BIGNUM *bn = NULL, *be = NULL;
    keel_pkey *pub = NULL;

    REQUIRE(rsa_key != NULL && p256_key != NULL);
    REQUIRE(EVP_PKEY_get_bn_param(keel_pkey_ossl(rsa_key), OSSL_PKEY_PARAM_RSA_N, &bn)
            && EVP_PKEY_get_bn_param(keel_pkey_ossl(rsa_key), OSSL_PKEY_PARAM_RSA_E, &be));
    n_len = (size_t)BN_bn2bin(bn, n);
    e_len = (size_t)BN_bn2bin(be, e);
    BN_free(bn);
    BN_free(be);
    REQUIRE(keel_pkey_import_rsa(n, n_len, e, e_len, &pub) == 0);
    CHECK_INT(keel_pkey_type(pub), KEEL_PK_RSA);
    CHECK_INT(keel_pkey_bits(pub), 2048);
    CHECK(!keel_pkey_has_private(pub));
    CHECK(keel_sign(rsa_key, 0x0804, msg, sizeof msg, sig, &slen) == 0);
    CHECK(keel_verify(pub, 0x0804, msg, sizeof msg, sig, slen) == 0);
    slen = sizeof sig;
    CHECK(keel_sign(pub, 0x0804, msg, sizeof msg, sig, &slen) < 0);
    keel_pkey_unref(pub);
    n[n_len - 1] &= 0xfe;   /* even modulus */
    CHECK(keel_pkey_import_rsa(n, n_len, e, e_len, &pub) < 0);

    REQUIRE(EVP_PKEY_get_octet_string_param(keel_pkey_ossl(p256_key), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                            point, sizeof point, &plen));
    CHECK_INT(plen, 65);
    REQUIRE(keel_pkey_import_ec(KEEL_PK_EC_P256, point, plen, &pub) == 0);
    CHECK_INT(keel_pkey_type(pub), KEEL_PK_EC_P256);
    CHECK(!keel_pkey_has_private(pub));
    slen = sizeof sig;
    CHECK(keel_sign(p256_key, 0x0403, msg, sizeof msg, sig, &slen) == 0);
    CHECK(keel_verify(pub, 0x0403, msg, sizeof msg, sig, slen) == 0);
    keel_pkey_unref(pub);
    CHECK_INT(keel_pkey_import_ec(KEEL_PK_EC_P384, point, plen, &pub), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    point[64] ^= 1;
    CHECK_INT(keel_pkey_import_ec(KEEL_PK_EC_P256, point, plen, &pub), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK(pub == NULL);
}

/* Random signatures of random lengths never verify and never crash. */
static void random_signatures(void)
{
    keel_pkey *keys[] = { rsa_key, rsa_pss_key, p256_key, p384_key, ed25519_key, ed448_key };
    uint16_t schemes[] = { 0x0804, 0x0809, 0x0403, 0x0503, 0x0807, 0x0808 };

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(keys); i++) {
        REQUIRE(keys[i] != NULL);
        for (int r = 0; r < 100; r++) {
            uint16_t len;

            REQUIRE(keel_random(&len, sizeof len) == 0);
            len %= 600;
            REQUIRE(keel_random(sig, len) == 0);
            if (r & 1)
                sig[0] = 0x30;      /* looks like DER to ECDSA */
            CHECK_INT(keel_verify(keys[i], schemes[i], msg, sizeof msg, sig, len),
                      GNUTLS_E_PK_SIG_VERIFY_FAILED);
        }
    }
    /* Failures leave no errors queued in libcrypto's per-thread error queue. */
    CHECK(ERR_peek_error() == 0);
}

static void refcount(void)
{
    keel_pkey *k = gen(KEEL_PK_EC_P256, 0);

    REQUIRE(k != NULL);
    keel_pkey_ref(k);
    keel_pkey_unref(k);
    CHECK_INT(keel_pkey_type(k), KEEL_PK_EC_P256);     /* still alive */
    keel_pkey_unref(k);
    keel_pkey_unref(NULL);
    /* An EVP_PKEY of a kind Keel does not use is refused (and freed). */
    {
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
        EVP_PKEY *x = NULL;

        REQUIRE(ctx != NULL && EVP_PKEY_keygen_init(ctx) > 0 && EVP_PKEY_keygen(ctx, &x) > 0);
        EVP_PKEY_CTX_free(ctx);
        CHECK_INT(keel_pkey_wrap(x, &k), GNUTLS_E_UNKNOWN_PK_ALGORITHM);
        CHECK(k == NULL);
    }
}

static int all_equal(const uint8_t *a, const uint8_t *b, size_t n) { return memcmp(a, b, n) == 0; }

/* RFC 5246 7.4.7.1 */
static void rsa_premaster(void)
{
    uint8_t pm[48], out[48], out2[48], ct[256], bogus[256];
    size_t ct_len = sizeof ct;

    REQUIRE(rsa_key != NULL);
    REQUIRE(keel_random(pm + 2, 46) == 0);
    pm[0] = 3;
    pm[1] = 3;
    REQUIRE(keel_rsa_encrypt(rsa_key, pm, 48, ct, &ct_len) == 0);
    CHECK_INT(ct_len, 256);

    /* Correct padding and version: the premaster. */
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, ct, ct_len, 0x0303, out), 0);
    CHECK_MEM(out, pm, 48);

    /* Wrong version: a random value, not the plaintext. */
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, ct, ct_len, 0x0302, out), 0);
    CHECK(!all_equal(out, pm, 48));

    /* Bad padding: 48 random bytes, different each time, and still 0. */
    memcpy(bogus, ct, ct_len);
    bogus[0] = 0;
    bogus[1] ^= 0x55;
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, bogus, ct_len, 0x0303, out), 0);
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, bogus, ct_len, 0x0303, out2), 0);
    CHECK(!all_equal(out, out2, 48));
    CHECK(!all_equal(out, pm, 48));

    /* A 47-byte plaintext is the wrong length: random. */
    ct_len = sizeof ct;
    REQUIRE(keel_rsa_encrypt(rsa_key, pm, 47, ct, &ct_len) == 0);
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, ct, ct_len, 0x0303, out), 0);
    CHECK(!all_equal(out, pm, 47));

    /* A ciphertext of the wrong length: random, still 0. */
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, ct, ct_len - 1, 0x0303, out), 0);
    CHECK_INT(keel_rsa_decrypt_premaster(rsa_key, ct, ct_len - 1, 0x0303, out2), 0);
    CHECK(!all_equal(out, out2, 48));

    /* Keys that cannot do RSA key exchange. */
    CHECK(keel_rsa_decrypt_premaster(p256_key, ct, ct_len, 0x0303, out) < 0);
    ct_len = sizeof ct;
    CHECK(keel_rsa_encrypt(rsa_pss_key, pm, 48, ct, &ct_len) < 0);
}

int main(void)
{
    if (keel_crypto_init() != 0) {
        printf("keel_crypto_init failed\n0 passed, 1 failed\n");
        return 1;
    }
    rsa_key = gen(KEEL_PK_RSA, 2048);
    rsa_pss_key = gen(KEEL_PK_RSA_PSS, 2048);
    p256_key = gen(KEEL_PK_EC_P256, 0);
    p384_key = gen(KEEL_PK_EC_P384, 0);
    p521_key = gen(KEEL_PK_EC_P521, 0);
    ed25519_key = gen(KEEL_PK_ED25519, 0);
    ed448_key = gen(KEEL_PK_ED448, 0);

    RUN(ed25519_rfc8032);
    RUN(rsa_pkcs1_and_pss_rsae);
    RUN(rsa_pss_pss);
    RUN(rsa_pss_restricted);
    RUN(ecdsa);
    RUN(ecdsa_tls12_any_curve);
    RUN(eddsa);
    RUN(sha1_verify_only);
    RUN(raw_imports);
    RUN(random_signatures);
    RUN(refcount);
    RUN(rsa_premaster);

    keel_pkey_unref(rsa_key);
    keel_pkey_unref(rsa_pss_key);
    keel_pkey_unref(p256_key);
    keel_pkey_unref(p384_key);
    keel_pkey_unref(p521_key);
    keel_pkey_unref(ed25519_key);
    keel_pkey_unref(ed448_key);
    keel_crypto_deinit();
    return t_done();
}
