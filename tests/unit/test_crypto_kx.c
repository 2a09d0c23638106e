/* Key exchange: RFC 7748 vectors, NIST ECDH and FFDHE agreement, and peer value validation. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include "crypto/crypto.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

static uint8_t pub_a[KEEL_MAX_KX_PUB_LEN], pub_b[KEEL_MAX_KX_PUB_LEN], peer[KEEL_MAX_KX_PUB_LEN + 8];
static uint8_t sec_a[KEEL_MAX_KX_SECRET_LEN], sec_b[KEEL_MAX_KX_SECRET_LEN];

static void rfc7748_case(keel_kx_id id, const char *priv_a_hex, const char *pub_a_hex,
                         const char *priv_b_hex, const char *pub_b_hex, const char *shared_hex)
{
    uint8_t priv[64], want[64], shared[64];
    size_t priv_len, len_a = 0, len_b = 0, want_len, sl;
    keel_kx *a = NULL, *b = NULL;

    priv_len = t_unhex(priv_a_hex, priv, sizeof priv);
    REQUIRE(keel_test_kx_from_private(id, priv, priv_len, &a, pub_a, &len_a) == 0);
    want_len = t_unhex(pub_a_hex, want, sizeof want);
    CHECK_INT(len_a, want_len);
    CHECK_MEM(pub_a, want, want_len);
    priv_len = t_unhex(priv_b_hex, priv, sizeof priv);
    REQUIRE(keel_test_kx_from_private(id, priv, priv_len, &b, pub_b, &len_b) == 0);
    want_len = t_unhex(pub_b_hex, want, sizeof want);
    CHECK_MEM(pub_b, want, want_len);

    want_len = t_unhex(shared_hex, shared, sizeof shared);
    CHECK(keel_kx_derive(a, pub_b, len_b, sec_a, &sl) == 0);
    CHECK_INT(sl, want_len);
    CHECK_MEM(sec_a, shared, want_len);
    CHECK(keel_kx_derive(b, pub_a, len_a, sec_b, &sl) == 0);
    CHECK_MEM(sec_b, shared, want_len);

    /* Wrong lengths. */
    CHECK_INT(keel_kx_derive(a, pub_b, len_b - 1, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    memcpy(peer, pub_b, len_b);
    peer[len_b] = 0;
    CHECK_INT(keel_kx_derive(a, peer, len_b + 1, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* Low-order points (u = 0 and u = 1) give an all-zero secret: refused (RFC 7748 6). */
    memset(peer, 0, len_b);
    CHECK_INT(keel_kx_derive(a, peer, len_b, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    peer[0] = 1;
    CHECK_INT(keel_kx_derive(a, peer, len_b, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    keel_kx_free(a);
    keel_kx_free(b);
}

/* RFC 7748 6.1 */
static void x25519_rfc7748(void)
{
    rfc7748_case(KEEL_KX_X25519,
                 "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                 "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                 "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
                 "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                 "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
}

/* RFC 8448 section 3: the client's and server's ephemeral X25519 keys give the trace's
 * shared secret. */
static void x25519_rfc8448(void)
{
    rfc7748_case(KEEL_KX_X25519,
                 "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005",
                 "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c",
                 "b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e",
                 "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f",
                 "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
}

/* RFC 7748 6.2 */
static void x448_rfc7748(void)
{
    rfc7748_case(KEEL_KX_X448,
                 "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
                 "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
                 "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c"
                 "22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0",
                 "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
                 "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d",
                 "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b430"
                 "27d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
                 "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282b"
                 "b60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
}

/* Two fresh keys agree; returns the public length. */
static size_t agree(keel_kx_id id, size_t want_pub, size_t want_secret, keel_kx **keep)
{
    keel_kx *a = NULL, *b = NULL;
    size_t la = 0, lb = 0, sa = 0, sb = 0;

    *keep = NULL;
    if (keel_kx_generate(id, &a, pub_a, &la) != 0 || keel_kx_generate(id, &b, pub_b, &lb) != 0) {
        CHECK(0);
        keel_kx_free(a);
        return 0;
    }
    CHECK_INT(la, want_pub);
    CHECK_INT(lb, want_pub);
    CHECK(keel_kx_derive(a, pub_b, lb, sec_a, &sa) == 0);
    CHECK(keel_kx_derive(b, pub_a, la, sec_b, &sb) == 0);
    CHECK_INT(sa, want_secret);
    CHECK_INT(sb, want_secret);
    CHECK_MEM(sec_a, sec_b, want_secret);
    CHECK(memcmp(pub_a, pub_b, la) != 0);
    keel_kx_free(b);
    *keep = a;      /* pub_b is still a valid peer value for it */
    return la;
}

static void x25519_x448_generate(void)
{
    keel_kx *k;

    agree(KEEL_KX_X25519, 32, 32, &k);
    keel_kx_free(k);
    agree(KEEL_KX_X448, 56, 56, &k);
    keel_kx_free(k);
}

static void nist_case(keel_kx_id id, size_t coord)
{
    keel_kx *k;
    size_t len = agree(id, 1 + 2 * coord, coord, &k), sl;

    if (k == NULL)
        return;
    CHECK(pub_b[0] == 0x04);
    /* Only the uncompressed form, of exactly the right length (RFC 8446 4.2.8.2). */
    CHECK_INT(keel_kx_derive(k, pub_b, len - 1, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(keel_kx_derive(k, pub_b, 0, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    memcpy(peer, pub_b, len);
    peer[0] = 0x02 | (pub_b[len - 1] & 1);      /* compressed encoding of the same point */
    CHECK_INT(keel_kx_derive(k, peer, 1 + coord, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    peer[0] = 0x04;
    CHECK_INT(keel_kx_derive(k, peer, len + 1, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* Off the curve: y changed. */
    peer[len - 1] ^= 1;
    CHECK_INT(keel_kx_derive(k, peer, len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* The all-zero "point". */
    memset(peer + 1, 0, len - 1);
    CHECK_INT(keel_kx_derive(k, peer, len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* Coordinates of all ones (>= p) are not field elements. */
    memset(peer + 1, 0xff, len - 1);
    CHECK_INT(keel_kx_derive(k, peer, len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* The key still works after rejected peers. */
    CHECK(keel_kx_derive(k, pub_b, len, sec_a, &sl) == 0);
    keel_kx_free(k);
}

static void ecdh_p256(void) { nist_case(KEEL_KX_SECP256R1, 32); }
static void ecdh_p384(void) { nist_case(KEEL_KX_SECP384R1, 48); }
static void ecdh_p521(void) { nist_case(KEEL_KX_SECP521R1, 66); }

/* The prime of an RFC 7919 group, from libcrypto's built-in copy. */
static size_t ffdhe_prime(const char *name, uint8_t *p, size_t cap)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    EVP_PKEY *params = NULL;
    BIGNUM *bp = NULL;
    size_t n = 0;

    if (ctx != NULL && EVP_PKEY_paramgen_init(ctx) > 0 && EVP_PKEY_CTX_set_group_name(ctx, name) > 0
        && EVP_PKEY_paramgen(ctx, &params) > 0
        && EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &bp) && (size_t)BN_num_bytes(bp) <= cap)
        n = (size_t)BN_bn2bin(bp, p);
    BN_free(bp);
    EVP_PKEY_free(params);
    EVP_PKEY_CTX_free(ctx);
    return n;
}

/* 1 < y < p-1 (RFC 7919 5.1), and no longer than p. */
static void dh_peer_checks(keel_kx *k, const uint8_t *p, size_t p_len, const uint8_t *good, size_t good_len)
{
    size_t sl;

    memset(peer, 0, p_len);
    CHECK_INT(keel_kx_derive(k, peer, p_len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER); /* 0 */
    peer[p_len - 1] = 1;
    CHECK_INT(keel_kx_derive(k, peer, p_len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER); /* 1 */
    CHECK_INT(keel_kx_derive(k, peer + p_len - 1, 1, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    memcpy(peer, p, p_len);
    peer[p_len - 1] -= 1;   /* p is odd: p-1 */
    CHECK_INT(keel_kx_derive(k, peer, p_len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    memcpy(peer, p, p_len);
    CHECK_INT(keel_kx_derive(k, peer, p_len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER); /* p */
    memset(peer, 0xff, p_len);
    CHECK_INT(keel_kx_derive(k, peer, p_len, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER); /* > p */
    peer[0] = 0;
    memcpy(peer + 1, good, good_len);
    CHECK_INT(keel_kx_derive(k, peer, good_len + 1, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(keel_kx_derive(k, good, 0, sec_a, &sl), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* y = 2 is in range (2 generates the group) and is accepted. */
    memset(peer, 0, p_len);
    peer[p_len - 1] = 2;
    CHECK(keel_kx_derive(k, peer, p_len, sec_a, &sl) == 0);
    CHECK_INT(sl, p_len);
}

static void ffdhe2048(void)
{
    uint8_t p[256];
    size_t p_len = ffdhe_prime("ffdhe2048", p, sizeof p);
    keel_kx *k;

    REQUIRE(p_len == 256);
    agree(KEEL_KX_FFDHE2048, 256, 256, &k);
    REQUIRE(k != NULL);
    CHECK_INT(keel_kx_prime_bits(k), 2048);
    dh_peer_checks(k, p, p_len, pub_b, 256);
    keel_kx_free(k);
}

static void ffdhe3072(void)
{
    keel_kx *k;

    agree(KEEL_KX_FFDHE3072, 384, 384, &k);
    CHECK(k != NULL);
    keel_kx_free(k);
}

/* TLS 1.2 DHE with explicit p and g (here the ffdhe2048 prime, g = 2). */
static void dh_custom(void)
{
    uint8_t p[256], g = 2, pub[256];
    size_t p_len = ffdhe_prime("ffdhe2048", p, sizeof p), la = 0, lb = 0, sa = 0, sb = 0;
    keel_kx *a = NULL, *b = NULL;

    REQUIRE(p_len == 256);
    REQUIRE(keel_kx_generate_dh(p, p_len, &g, 1, &a, pub, &la) == 0);
    REQUIRE(keel_kx_generate_dh(p, p_len, &g, 1, &b, pub_b, &lb) == 0);
    CHECK_INT(la, 256);
    CHECK_INT(keel_kx_prime_bits(a), 2048);
    CHECK(keel_kx_derive(a, pub_b, lb, sec_a, &sa) == 0);
    CHECK(keel_kx_derive(b, pub, la, sec_b, &sb) == 0);
    CHECK_INT(sa, 256);
    CHECK_INT(sb, 256);
    CHECK_MEM(sec_a, sec_b, 256);
    dh_peer_checks(a, p, p_len, pub_b, lb);
    keel_kx_free(a);
    keel_kx_free(b);

    /* Unusable groups: g = 1, g = p-1, an even p, a tiny p. */
    g = 1;
    CHECK(keel_kx_generate_dh(p, p_len, &g, 1, &a, pub, &la) < 0);
    CHECK(a == NULL);
    memcpy(pub, p, p_len);
    pub[p_len - 1] -= 1;
    CHECK(keel_kx_generate_dh(p, p_len, pub, p_len, &a, pub_a, &la) < 0);
    g = 2;
    memcpy(pub, p, p_len);
    pub[p_len - 1] ^= 1;
    CHECK(keel_kx_generate_dh(pub, p_len, &g, 1, &a, pub_a, &la) < 0);
    CHECK(keel_kx_generate_dh(p + 200, 56, &g, 1, &a, pub_a, &la) < 0);
}

/* Random peer values of random lengths: either a secret or ILLEGAL_PARAMETER, nothing else
 * (the sanitizers and valgrind watch the rest). */
static void random_peers(void)
{
    static const keel_kx_id ids[] = { KEEL_KX_X25519, KEEL_KX_X448, KEEL_KX_SECP256R1,
                                      KEEL_KX_SECP384R1, KEEL_KX_SECP521R1, KEEL_KX_FFDHE2048 };

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(ids); i++) {
        keel_kx *k = NULL;
        size_t len = 0, sl;

        REQUIRE(keel_kx_generate(ids[i], &k, pub_a, &len) == 0);
        for (int r = 0; r < 200; r++) {
            uint16_t pick;
            size_t n;
            int ret;

            REQUIRE(keel_random(&pick, sizeof pick) == 0);
            /* Mostly the right length, sometimes near it, sometimes anything. */
            n = (pick & 3) ? len : (pick & 4) ? len + ((pick >> 3) & 3) - 2 : (size_t)(pick >> 6);
            if (n > sizeof peer)
                n = sizeof peer;
            REQUIRE(keel_random(peer, n) == 0);
            if ((pick & 3) == 1 && n > 0 && ids[i] >= KEEL_KX_SECP256R1 && ids[i] <= KEEL_KX_SECP521R1)
                peer[0] = 0x04;
            ret = keel_kx_derive(k, peer, n, sec_a, &sl);
            CHECK(ret == 0 || ret == GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
            /* Random x and y are (almost surely) not on a NIST curve. */
            if (ids[i] >= KEEL_KX_SECP256R1 && ids[i] <= KEEL_KX_SECP521R1)
                CHECK_INT(ret, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        }
        keel_kx_free(k);
    }
    /* Failures leave no errors queued in libcrypto's per-thread error queue. */
    CHECK(ERR_peek_error() == 0);
}

static void bad_ids(void)
{
    keel_kx *k = NULL;
    size_t len;
    uint8_t priv[32] = { 1 };

    CHECK(keel_kx_generate(KEEL_KX_NONE, &k, pub_a, &len) < 0);
    CHECK(keel_kx_generate(KEEL_KX_DH_CUSTOM, &k, pub_a, &len) < 0);
    CHECK(keel_test_kx_from_private(KEEL_KX_X25519, priv, 31, &k, pub_a, &len) < 0);
    CHECK(k == NULL);
    keel_kx_free(NULL);
}

int main(void)
{
    if (keel_crypto_init() != 0) {
        printf("keel_crypto_init failed\n0 passed, 1 failed\n");
        return 1;
    }
    RUN(x25519_rfc7748);
    RUN(x25519_rfc8448);
    RUN(x448_rfc7748);
    RUN(x25519_x448_generate);
    RUN(ecdh_p256);
    RUN(ecdh_p384);
    RUN(ecdh_p521);
    RUN(ffdhe2048);
    RUN(ffdhe3072);
    RUN(dh_custom);
    RUN(random_peers);
    RUN(bad_ids);
    keel_crypto_deinit();
    return t_done();
}
