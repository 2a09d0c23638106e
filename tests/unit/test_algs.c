/* The algorithm tables and name functions (src/priority/algs.c). Every expected string was
 * read from GnuTLS 3.7.9 (a throwaway program calling the real libgnutls), so these tests
 * pin Keel's names to GnuTLS's. */
#include "priority/algs.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

struct name_case { unsigned id; const char *name; };

/* ids 0..39 (ciphers), 0..15 and 200 (MACs), ...: what gnutls_*_get_name() answers */
static const struct name_case cipher_cases[] = {
    { 0, NULL }, { 1, "NULL" }, { 2, "ARCFOUR-128" }, { 3, "3DES-CBC" }, { 4, "AES-128-CBC" },
    { 5, "AES-256-CBC" }, { 6, "ARCFOUR-40" }, { 7, "CAMELLIA-128-CBC" },
    { 8, "CAMELLIA-256-CBC" }, { 9, "AES-192-CBC" }, { 10, "AES-128-GCM" },
    { 11, "AES-256-GCM" }, { 12, "CAMELLIA-192-CBC" }, { 13, "SALSA20-256" },
    { 14, "ESTREAM-SALSA20-256" }, { 15, "CAMELLIA-128-GCM" }, { 16, "CAMELLIA-256-GCM" },
    { 17, "RC2-40" }, { 18, "DES-CBC" }, { 19, "AES-128-CCM" }, { 20, "AES-256-CCM" },
    { 21, "AES-128-CCM-8" }, { 22, "AES-256-CCM-8" }, { 23, "CHACHA20-POLY1305" },
    { 24, "GOST28147-TC26Z-CFB" }, { 25, "GOST28147-CPA-CFB" }, { 26, "GOST28147-CPB-CFB" },
    { 27, "GOST28147-CPC-CFB" }, { 28, "GOST28147-CPD-CFB" }, { 29, "AES-128-CFB8" },
    { 30, "AES-192-CFB8" }, { 31, "AES-256-CFB8" }, { 32, "AES-128-XTS" },
    { 33, "AES-256-XTS" }, { 34, "GOST28147-TC26Z-CNT" }, { 35, "CHACHA20-64" },
    { 36, "CHACHA20-32" }, { 37, "AES-128-SIV" }, { 38, "AES-256-SIV" }, { 39, "AES-192-GCM" },
};

static const struct name_case mac_cases[] = {
    { 0, NULL }, { 1, "MAC-NULL" }, { 2, "MD5" }, { 3, "SHA1" }, { 4, "RIPEMD160" },
    { 5, "MD2" }, { 6, "SHA256" }, { 7, "SHA384" }, { 8, "SHA512" }, { 9, "SHA224" },
    { 10, "SHA3-224" }, { 11, "SHA3-256" }, { 12, "SHA3-384" }, { 13, "SHA3-512" },
    { 14, "MD5+SHA1" }, { 15, "GOSTR341194" }, { 200, "AEAD" },
};

static const struct name_case kx_cases[] = {
    { 0, NULL }, { 1, "RSA" }, { 2, "DHE-DSS" }, { 3, "DHE-RSA" }, { 4, "ANON-DH" },
    { 5, "SRP" }, { 6, NULL }, { 7, "SRP-RSA" }, { 8, "SRP-DSS" }, { 9, "PSK" },
    { 10, "DHE-PSK" }, { 11, "ANON-ECDH" }, { 12, "ECDHE-RSA" }, { 13, "ECDHE-ECDSA" },
    { 14, "ECDHE-PSK" }, { 15, "RSA-PSK" },
};

static const struct name_case proto_cases[] = {
    { 0, NULL }, { 1, "SSL3.0" }, { 2, "TLS1.0" }, { 3, "TLS1.1" }, { 4, "TLS1.2" },
    { 5, "TLS1.3" }, { 6, NULL }, { 7, NULL }, { 8, NULL }, { 9, NULL }, { 10, NULL },
    { 11, NULL }, { 200, "DTLS0.9" }, { 201, "DTLS1.0" }, { 202, "DTLS1.2" },
};

static const struct name_case group_cases[] = {
    { 0, NULL }, { 1, "SECP224R1" }, { 2, "SECP256R1" }, { 3, "SECP384R1" }, { 4, "SECP521R1" },
    { 5, "SECP192R1" }, { 6, "X25519" }, { 7, NULL }, { 8, NULL }, { 9, NULL }, { 10, NULL },
    { 11, NULL }, { 12, NULL }, { 13, "GC512A" }, { 14, "GC512B" }, { 15, "GC512C" },
    { 16, "GC256A" }, { 17, "GC256B" }, { 18, "GC256C" }, { 19, "GC256D" }, { 20, "X448" },
    { 21, NULL }, { 22, NULL }, { 23, NULL }, { 24, NULL }, { 25, NULL }, { 26, NULL },
    { 27, NULL }, { 28, NULL }, { 29, NULL }, { 30, NULL }, { 31, NULL }, { 32, NULL },
    { 33, NULL }, { 34, NULL }, { 35, NULL }, { 36, NULL }, { 37, NULL }, { 38, NULL },
    { 39, NULL }, { 256, "FFDHE2048" }, { 257, "FFDHE3072" }, { 258, "FFDHE4096" },
    { 259, "FFDHE8192" }, { 260, "FFDHE6144" }, { 261, NULL },
};

static const struct name_case sign_cases[] = {
    { 0, NULL }, { 1, "RSA-SHA1" }, { 2, "DSA-SHA1" }, { 3, "RSA-MD5" }, { 4, "RSA-MD2" },
    { 5, "RSA-RMD160" }, { 6, "RSA-SHA256" }, { 7, "RSA-SHA384" }, { 8, "RSA-SHA512" },
    { 9, "RSA-SHA224" }, { 10, "DSA-SHA224" }, { 11, "DSA-SHA256" }, { 12, "ECDSA-SHA1" },
    { 13, "ECDSA-SHA224" }, { 14, "ECDSA-SHA256" }, { 15, "ECDSA-SHA384" },
    { 16, "ECDSA-SHA512" }, { 17, "DSA-SHA384" }, { 18, "DSA-SHA512" }, { 19, NULL },
    { 20, "ECDSA-SHA3-224" }, { 21, "ECDSA-SHA3-256" }, { 22, "ECDSA-SHA3-384" },
    { 23, "ECDSA-SHA3-512" }, { 24, "DSA-SHA3-224" }, { 25, "DSA-SHA3-256" },
    { 26, "DSA-SHA3-384" }, { 27, "DSA-SHA3-512" }, { 28, "RSA-SHA3-224" },
    { 29, "RSA-SHA3-256" }, { 30, "RSA-SHA3-384" }, { 31, "RSA-SHA3-512" },
    { 32, "RSA-PSS-SHA256" }, { 33, "RSA-PSS-SHA384" }, { 34, "RSA-PSS-SHA512" },
    { 35, "EdDSA-Ed25519" }, { 36, "RSA-RAW" }, { 37, "ECDSA-SECP256R1-SHA256" },
    { 38, "ECDSA-SECP384R1-SHA384" }, { 39, "ECDSA-SECP521R1-SHA512" },
    { 40, "RSA-PSS-RSAE-SHA256" }, { 41, "RSA-PSS-RSAE-SHA384" }, { 42, "RSA-PSS-RSAE-SHA512" },
    { 43, "GOSTR341001" }, { 44, "GOSTR341012-256" }, { 45, "GOSTR341012-512" },
    { 46, "EdDSA-Ed448" }, { 47, NULL }, { 48, NULL }, { 49, NULL },
};

static const struct { unsigned id; size_t size; } key_size_cases[] = {
    { 0, 0 }, { 1, 0 }, { 2, 16 }, { 3, 24 }, { 4, 16 }, { 5, 32 }, { 6, 5 }, { 7, 16 },
    { 8, 32 }, { 9, 24 }, { 10, 16 }, { 11, 32 }, { 12, 24 }, { 13, 32 }, { 14, 32 },
    { 15, 16 }, { 16, 32 }, { 17, 5 }, { 18, 8 }, { 19, 16 }, { 20, 32 }, { 21, 16 },
    { 22, 32 }, { 23, 32 }, { 24, 32 }, { 25, 32 }, { 26, 32 }, { 27, 32 }, { 28, 32 },
    { 29, 16 }, { 30, 24 }, { 31, 32 }, { 32, 32 }, { 33, 64 }, { 34, 32 }, { 35, 32 },
    { 36, 32 }, { 37, 32 }, { 38, 64 }, { 39, 24 },
};

static int same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

#define CHECK_NAMES(cases, fn, type) do { \
    for (size_t i_ = 0; i_ < sizeof(cases) / sizeof(cases[0]); i_++) { \
        const char *got_ = fn((type)cases[i_].id); \
        if (!same(got_, cases[i_].name)) { \
            fprintf(stderr, "  %s(%u) = %s, want %s\n", #fn, cases[i_].id, \
                    got_ ? got_ : "NULL", cases[i_].name ? cases[i_].name : "NULL"); \
            t_case_failed = 1; } } } while (0)

/* Every name maps back to its id, whatever the case of the letters. */
#define CHECK_IDS(cases, fn, type) do { \
    for (size_t i_ = 0; i_ < sizeof(cases) / sizeof(cases[0]); i_++) { \
        if (!cases[i_].name) continue; \
        char lower_[64]; size_t k_; \
        for (k_ = 0; cases[i_].name[k_] && k_ < sizeof lower_ - 1; k_++) \
            lower_[k_] = (char)(cases[i_].name[k_] | 0x20); \
        lower_[k_] = 0; \
        CHECK_INT(fn(cases[i_].name), cases[i_].id); \
        CHECK_INT(fn(lower_), cases[i_].id); } } while (0)

static void cipher_names(void)
{
    CHECK_NAMES(cipher_cases, gnutls_cipher_get_name, gnutls_cipher_algorithm_t);
    CHECK(gnutls_cipher_get_name(GNUTLS_CIPHER_MAGMA_CTR_ACPKM) &&
          strcmp(gnutls_cipher_get_name(GNUTLS_CIPHER_MAGMA_CTR_ACPKM), "MAGMA-CTR-ACPKM") == 0);
    CHECK(gnutls_cipher_get_name(42) == NULL);
    CHECK(gnutls_cipher_get_name(200) == NULL);
}

static void cipher_ids(void)
{
    CHECK_IDS(cipher_cases, gnutls_cipher_get_id, gnutls_cipher_algorithm_t);
    CHECK_INT(gnutls_cipher_get_id("aes-128-gcm"), GNUTLS_CIPHER_AES_128_GCM);
    CHECK_INT(gnutls_cipher_get_id("FOO"), GNUTLS_CIPHER_UNKNOWN);
    CHECK_INT(gnutls_cipher_get_id(""), GNUTLS_CIPHER_UNKNOWN);
    CHECK_INT(gnutls_cipher_get_id("AES-128-GCM "), GNUTLS_CIPHER_UNKNOWN);
    CHECK_INT(gnutls_cipher_get_id(NULL), GNUTLS_CIPHER_UNKNOWN);
}

static void cipher_key_sizes(void)
{
    for (size_t i = 0; i < sizeof key_size_cases / sizeof key_size_cases[0]; i++)
        CHECK_INT(gnutls_cipher_get_key_size((gnutls_cipher_algorithm_t)key_size_cases[i].id),
                  key_size_cases[i].size);
    CHECK_INT(gnutls_cipher_get_key_size(GNUTLS_CIPHER_KUZNYECHIK_CTR_ACPKM), 32);
    CHECK_INT(gnutls_cipher_get_key_size(1000), 0);
}

static void mac_names(void)
{
    CHECK_NAMES(mac_cases, gnutls_mac_get_name, gnutls_mac_algorithm_t);
    CHECK_IDS(mac_cases, gnutls_mac_get_id, gnutls_mac_algorithm_t);
    static const struct name_case more[] = {
        { 16, "STREEBOG-256" }, { 17, "STREEBOG-512" }, { 18, NULL }, { 201, "UMAC-96" },
        { 202, "UMAC-128" }, { 203, "AES-CMAC-128" }, { 204, "AES-CMAC-256" },
        { 205, "AES-GMAC-128" }, { 206, "AES-GMAC-192" }, { 207, "AES-GMAC-256" },
        { 208, "GOST28147-TC26Z-IMIT" }, { 209, "SHAKE-128" }, { 210, "SHAKE-256" },
        { 211, "OMAC-MAGMA" }, { 212, "OMAC-KUZNYECHIK" }, { 213, NULL },
    };
    CHECK_NAMES(more, gnutls_mac_get_name, gnutls_mac_algorithm_t);
    /* "NULL" is a cipher's name; the MAC is "MAC-NULL" */
    CHECK_INT(gnutls_mac_get_id("NULL"), GNUTLS_MAC_UNKNOWN);
    CHECK_INT(gnutls_mac_get_id("FOO"), GNUTLS_MAC_UNKNOWN);
}

static void kx_names(void)
{
    CHECK_NAMES(kx_cases, gnutls_kx_get_name, gnutls_kx_algorithm_t);
    CHECK_IDS(kx_cases, gnutls_kx_get_id, gnutls_kx_algorithm_t);
    CHECK(same(gnutls_kx_get_name(GNUTLS_KX_VKO_GOST_12), "VKO-GOST-12"));
    CHECK(gnutls_kx_get_name(17) == NULL);
    CHECK_INT(gnutls_kx_get_id("RSA-EXPORT"), GNUTLS_KX_UNKNOWN);
    CHECK_INT(gnutls_kx_get_id("FOO"), GNUTLS_KX_UNKNOWN);
}

static void protocol_names(void)
{
    CHECK_NAMES(proto_cases, gnutls_protocol_get_name, gnutls_protocol_t);
    CHECK_IDS(proto_cases, gnutls_protocol_get_id, gnutls_protocol_t);
    CHECK(gnutls_protocol_get_name(GNUTLS_VERSION_UNKNOWN) == NULL);
    CHECK_INT(gnutls_protocol_get_id("VERS-TLS1.2"), GNUTLS_VERSION_UNKNOWN);
    CHECK_INT(gnutls_protocol_get_id("FOO"), GNUTLS_VERSION_UNKNOWN);
}

static void group_names(void)
{
    CHECK_NAMES(group_cases, gnutls_group_get_name, gnutls_group_t);
    CHECK_IDS(group_cases, gnutls_group_get_id, gnutls_group_t);
    CHECK_INT(gnutls_group_get_id("GROUP-X25519"), GNUTLS_GROUP_INVALID);
    CHECK_INT(gnutls_group_get_id("FOO"), GNUTLS_GROUP_INVALID);
}

static void sign_names(void)
{
    CHECK_NAMES(sign_cases, gnutls_sign_get_name, gnutls_sign_algorithm_t);
    CHECK_IDS(sign_cases, gnutls_sign_get_id, gnutls_sign_algorithm_t);
    CHECK_INT(gnutls_sign_get_id("SIGN-RSA-SHA256"), GNUTLS_SIGN_UNKNOWN);
}

static void pk_and_ctype_names(void)
{
    static const struct name_case pk[] = {
        { 1, "RSA" }, { 2, "DSA" }, { 3, "DH" }, { 4, "EC/ECDSA" }, { 5, "ECDH (X25519)" },
        { 6, "RSA-PSS" }, { 7, "EdDSA (Ed25519)" }, { 8, "GOST R 34.10-2001" },
        { 9, "GOST R 34.10-2012-256" }, { 10, "GOST R 34.10-2012-512" }, { 11, "ECDH (X448)" },
        { 12, "EdDSA (Ed448)" }, { 13, "Unknown" }, { 1000, "Unknown" },
    };
    CHECK_NAMES(pk, gnutls_pk_get_name, gnutls_pk_algorithm_t);
    CHECK_INT(gnutls_pk_get_id("RSA"), GNUTLS_PK_RSA);
    CHECK_INT(gnutls_pk_get_id("EC/ECDSA"), GNUTLS_PK_ECDSA);
    CHECK_INT(gnutls_pk_get_id("FOO"), GNUTLS_PK_UNKNOWN);

    static const struct name_case ct[] = {
        { 0, NULL }, { 1, "X.509" }, { 2, NULL }, { 3, "Raw Public Key" }, { 4, NULL },
    };
    CHECK_NAMES(ct, gnutls_certificate_type_get_name, gnutls_certificate_type_t);
    CHECK_INT(gnutls_certificate_type_get_id("X509"), GNUTLS_CRT_X509);
    CHECK_INT(gnutls_certificate_type_get_id("X.509"), GNUTLS_CRT_X509);
    CHECK_INT(gnutls_certificate_type_get_id("RawPK"), GNUTLS_CRT_RAWPK);
    CHECK_INT(gnutls_certificate_type_get_id("OPENPGP"), GNUTLS_CRT_UNKNOWN);
}

/* IANA code points: RFC 8446 B.4, RFC 5288, RFC 5289, RFC 5487, RFC 7905 */
static void suite_table(void)
{
    static const struct {
        uint16_t id; const char *name; gnutls_kx_algorithm_t kx; gnutls_cipher_algorithm_t c;
        keel_hash_id prf; gnutls_protocol_t v;
    } want[] = {
        { 0x1301, "TLS_AES_128_GCM_SHA256", GNUTLS_KX_UNKNOWN, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_3 },
        { 0x1302, "TLS_AES_256_GCM_SHA384", GNUTLS_KX_UNKNOWN, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_3 },
        { 0x1303, "TLS_CHACHA20_POLY1305_SHA256", GNUTLS_KX_UNKNOWN, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_3 },
        { 0xC02B, "TLS_ECDHE_ECDSA_AES_128_GCM_SHA256", GNUTLS_KX_ECDHE_ECDSA, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0xC02C, "TLS_ECDHE_ECDSA_AES_256_GCM_SHA384", GNUTLS_KX_ECDHE_ECDSA, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0xCCA9, "TLS_ECDHE_ECDSA_CHACHA20_POLY1305", GNUTLS_KX_ECDHE_ECDSA, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0xC02F, "TLS_ECDHE_RSA_AES_128_GCM_SHA256", GNUTLS_KX_ECDHE_RSA, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0xC030, "TLS_ECDHE_RSA_AES_256_GCM_SHA384", GNUTLS_KX_ECDHE_RSA, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0xCCA8, "TLS_ECDHE_RSA_CHACHA20_POLY1305", GNUTLS_KX_ECDHE_RSA, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x009E, "TLS_DHE_RSA_AES_128_GCM_SHA256", GNUTLS_KX_DHE_RSA, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x009F, "TLS_DHE_RSA_AES_256_GCM_SHA384", GNUTLS_KX_DHE_RSA, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0xCCAA, "TLS_DHE_RSA_CHACHA20_POLY1305", GNUTLS_KX_DHE_RSA, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x009C, "TLS_RSA_AES_128_GCM_SHA256", GNUTLS_KX_RSA, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x009D, "TLS_RSA_AES_256_GCM_SHA384", GNUTLS_KX_RSA, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0x00A6, "TLS_DH_ANON_AES_128_GCM_SHA256", GNUTLS_KX_ANON_DH, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x00A7, "TLS_DH_ANON_AES_256_GCM_SHA384", GNUTLS_KX_ANON_DH, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0x00A8, "TLS_PSK_AES_128_GCM_SHA256", GNUTLS_KX_PSK, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x00A9, "TLS_PSK_AES_256_GCM_SHA384", GNUTLS_KX_PSK, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0xCCAB, "TLS_PSK_CHACHA20_POLY1305", GNUTLS_KX_PSK, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x00AA, "TLS_DHE_PSK_AES_128_GCM_SHA256", GNUTLS_KX_DHE_PSK, GNUTLS_CIPHER_AES_128_GCM, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0x00AB, "TLS_DHE_PSK_AES_256_GCM_SHA384", GNUTLS_KX_DHE_PSK, GNUTLS_CIPHER_AES_256_GCM, KEEL_HASH_SHA384, GNUTLS_TLS1_2 },
        { 0xCCAD, "TLS_DHE_PSK_CHACHA20_POLY1305", GNUTLS_KX_DHE_PSK, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
        { 0xCCAC, "TLS_ECDHE_PSK_CHACHA20_POLY1305", GNUTLS_KX_ECDHE_PSK, GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_HASH_SHA256, GNUTLS_TLS1_2 },
    };
    size_t n = 0;
    while (keel_suites[n].name)
        n++;
    CHECK_INT(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const keel_suite *s = keel_suite_by_id(want[i].id);
        REQUIRE(s != NULL);
        CHECK(strcmp(s->name, want[i].name) == 0);
        CHECK_INT(s->kx, want[i].kx);
        CHECK_INT(s->cipher, want[i].c);
        CHECK_INT(s->mac, GNUTLS_MAC_AEAD);
        CHECK_INT(s->prf, want[i].prf);
        CHECK_INT(s->min_version, want[i].v);
        CHECK_INT(s->max_version, want[i].v);
        keel_aead_id aead = s->cipher == GNUTLS_CIPHER_AES_128_GCM ? KEEL_AEAD_AES_128_GCM :
                            s->cipher == GNUTLS_CIPHER_AES_256_GCM ? KEEL_AEAD_AES_256_GCM :
                            KEEL_AEAD_CHACHA20_POLY1305;
        CHECK_INT(s->aead, aead);
    }
    CHECK(keel_suite_by_id(0x0000) == NULL);
    CHECK(keel_suite_by_id(0x002F) == NULL);     /* CBC: never */
    CHECK(keel_suite_by_id(0x00FF) == NULL);     /* the SCSV is not a suite */
    CHECK(keel_suite_by_id(0x1304) == NULL);     /* CCM: not in Keel */
}

/* gnutls_cipher_suite_get_name() drops GnuTLS's "TLS_" prefix */
static void suite_names(void)
{
    CHECK(same(gnutls_cipher_suite_get_name(GNUTLS_KX_ECDHE_RSA, GNUTLS_CIPHER_AES_128_GCM,
                                            GNUTLS_MAC_AEAD), "ECDHE_RSA_AES_128_GCM_SHA256"));
    CHECK(same(gnutls_cipher_suite_get_name(GNUTLS_KX_UNKNOWN, GNUTLS_CIPHER_AES_128_GCM,
                                            GNUTLS_MAC_AEAD), "AES_128_GCM_SHA256"));
    CHECK(same(gnutls_cipher_suite_get_name(GNUTLS_KX_ANON_DH, GNUTLS_CIPHER_AES_128_GCM,
                                            GNUTLS_MAC_AEAD), "DH_ANON_AES_128_GCM_SHA256"));
    CHECK(same(gnutls_cipher_suite_get_name(GNUTLS_KX_DHE_RSA, GNUTLS_CIPHER_CHACHA20_POLY1305,
                                            GNUTLS_MAC_AEAD), "DHE_RSA_CHACHA20_POLY1305"));
    CHECK(gnutls_cipher_suite_get_name(GNUTLS_KX_ECDHE_RSA, GNUTLS_CIPHER_AES_128_GCM,
                                       GNUTLS_MAC_SHA256) == NULL);
    CHECK(gnutls_cipher_suite_get_name(GNUTLS_KX_RSA, GNUTLS_CIPHER_CHACHA20_POLY1305,
                                       GNUTLS_MAC_AEAD) == NULL);

    size_t i;
    for (i = 0;; i++) {
        unsigned char id[2];
        gnutls_kx_algorithm_t kx;
        gnutls_cipher_algorithm_t c;
        gnutls_mac_algorithm_t m;
        gnutls_protocol_t v;
        const char *name = gnutls_cipher_suite_info(i, id, &kx, &c, &m, &v);
        if (!name)
            break;
        const keel_suite *s = keel_suite_by_id((uint16_t)(id[0] << 8 | id[1]));
        REQUIRE(s != NULL);
        CHECK(strcmp(s->name, name) == 0);
        CHECK_INT(kx, s->kx);
        CHECK_INT(c, s->cipher);
        CHECK_INT(m, GNUTLS_MAC_AEAD);
        CHECK_INT(v, s->min_version);
    }
    CHECK(keel_suites[i].name == NULL);
    CHECK(gnutls_cipher_suite_info(i, NULL, NULL, NULL, NULL, NULL) == NULL);
    CHECK(gnutls_cipher_suite_info((size_t)-1, NULL, NULL, NULL, NULL, NULL) == NULL);
}

static void group_table(void)
{
    static const struct { uint16_t id; const char *name; gnutls_group_t g; keel_kx_id kx; int ff; unsigned bits; } want[] = {
        { 23, "SECP256R1", GNUTLS_GROUP_SECP256R1, KEEL_KX_SECP256R1, 0, 256 },
        { 24, "SECP384R1", GNUTLS_GROUP_SECP384R1, KEEL_KX_SECP384R1, 0, 384 },
        { 25, "SECP521R1", GNUTLS_GROUP_SECP521R1, KEEL_KX_SECP521R1, 0, 521 },
        { 29, "X25519", GNUTLS_GROUP_X25519, KEEL_KX_X25519, 0, 256 },
        { 30, "X448", GNUTLS_GROUP_X448, KEEL_KX_X448, 0, 448 },
        { 256, "FFDHE2048", GNUTLS_GROUP_FFDHE2048, KEEL_KX_FFDHE2048, 1, 2048 },
        { 257, "FFDHE3072", GNUTLS_GROUP_FFDHE3072, KEEL_KX_FFDHE3072, 1, 3072 },
        { 258, "FFDHE4096", GNUTLS_GROUP_FFDHE4096, KEEL_KX_FFDHE4096, 1, 4096 },
        { 259, "FFDHE6144", GNUTLS_GROUP_FFDHE6144, KEEL_KX_FFDHE6144, 1, 6144 },
        { 260, "FFDHE8192", GNUTLS_GROUP_FFDHE8192, KEEL_KX_FFDHE8192, 1, 8192 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const keel_group *g = keel_group_by_id(want[i].id);
        REQUIRE(g != NULL);
        CHECK(g == keel_group_by_gnutls(want[i].g));
        CHECK(g == &keel_groups[i]);
        CHECK(strcmp(g->name, want[i].name) == 0);
        CHECK(strcmp(g->name, gnutls_group_get_name(g->group)) == 0);
        CHECK_INT(g->kx, want[i].kx);
        CHECK_INT(g->is_ffdhe, want[i].ff);
        CHECK_INT(g->bits, want[i].bits);
    }
    CHECK(keel_groups[sizeof want / sizeof want[0]].name == NULL);
    CHECK(keel_group_by_id(0) == NULL);
    CHECK(keel_group_by_id(19) == NULL);     /* secp192r1 */
    CHECK(keel_group_by_gnutls(GNUTLS_GROUP_SECP192R1) == NULL);
    CHECK(keel_group_by_gnutls(GNUTLS_GROUP_INVALID) == NULL);
}

static void sigscheme_table(void)
{
    static const struct { uint16_t id; gnutls_sign_algorithm_t sign; keel_pk_type pk; keel_hash_id h; int tls13; } want[] = {
        { 0x0401, GNUTLS_SIGN_RSA_SHA256, KEEL_PK_RSA, KEEL_HASH_SHA256, 0 },
        { 0x0501, GNUTLS_SIGN_RSA_SHA384, KEEL_PK_RSA, KEEL_HASH_SHA384, 0 },
        { 0x0601, GNUTLS_SIGN_RSA_SHA512, KEEL_PK_RSA, KEEL_HASH_SHA512, 0 },
        { 0x0201, GNUTLS_SIGN_RSA_SHA1, KEEL_PK_RSA, KEEL_HASH_SHA1, 0 },
        { 0x0804, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, KEEL_PK_RSA, KEEL_HASH_SHA256, 1 },
        { 0x0805, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, KEEL_PK_RSA, KEEL_HASH_SHA384, 1 },
        { 0x0806, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, KEEL_PK_RSA, KEEL_HASH_SHA512, 1 },
        { 0x0809, GNUTLS_SIGN_RSA_PSS_SHA256, KEEL_PK_RSA_PSS, KEEL_HASH_SHA256, 1 },
        { 0x080A, GNUTLS_SIGN_RSA_PSS_SHA384, KEEL_PK_RSA_PSS, KEEL_HASH_SHA384, 1 },
        { 0x080B, GNUTLS_SIGN_RSA_PSS_SHA512, KEEL_PK_RSA_PSS, KEEL_HASH_SHA512, 1 },
        { 0x0403, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, KEEL_PK_EC_P256, KEEL_HASH_SHA256, 1 },
        { 0x0503, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, KEEL_PK_EC_P384, KEEL_HASH_SHA384, 1 },
        { 0x0603, GNUTLS_SIGN_ECDSA_SECP521R1_SHA512, KEEL_PK_EC_P521, KEEL_HASH_SHA512, 1 },
        { 0x0203, GNUTLS_SIGN_ECDSA_SHA1, KEEL_PK_EC_P256, KEEL_HASH_SHA1, 0 },
        { 0x0807, GNUTLS_SIGN_EDDSA_ED25519, KEEL_PK_ED25519, KEEL_HASH_NONE, 1 },
        { 0x0808, GNUTLS_SIGN_EDDSA_ED448, KEEL_PK_ED448, KEEL_HASH_NONE, 1 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const keel_sigscheme *s = keel_sigscheme_by_id(want[i].id);
        REQUIRE(s != NULL);
        CHECK(s == keel_sigscheme_by_gnutls(want[i].sign));
        CHECK(strcmp(s->name, gnutls_sign_get_name(s->sign)) == 0);
        CHECK_INT(s->pk, want[i].pk);
        CHECK_INT(s->hash, want[i].h);
        CHECK_INT(s->tls13_ok, want[i].tls13);
    }
    /* GnuTLS's curve-less ECDSA names share the code points of the curve-bound ones; the
     * code point finds the TLS 1.3 entry */
    const keel_sigscheme *e = keel_sigscheme_by_gnutls(GNUTLS_SIGN_ECDSA_SHA256);
    REQUIRE(e != NULL);
    CHECK_INT(e->id, 0x0403);
    CHECK(strcmp(e->name, "ECDSA-SHA256") == 0);
    CHECK_INT(e->tls13_ok, 0);
    CHECK_INT(keel_sigscheme_by_id(0x0403)->sign, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256);
    CHECK_INT(keel_sigscheme_by_gnutls(GNUTLS_SIGN_ECDSA_SHA384)->id, 0x0503);
    CHECK_INT(keel_sigscheme_by_gnutls(GNUTLS_SIGN_ECDSA_SHA512)->id, 0x0603);
    CHECK(keel_sigscheme_by_id(0x0202) == NULL);     /* DSA */
    CHECK(keel_sigscheme_by_id(0x0000) == NULL);
    CHECK(keel_sigscheme_by_gnutls(GNUTLS_SIGN_DSA_SHA256) == NULL);
    CHECK(keel_sigscheme_by_gnutls(GNUTLS_SIGN_UNKNOWN) == NULL);
}

static void lists(void)
{
    const gnutls_protocol_t *p = gnutls_protocol_list();
    CHECK_INT(p[0], GNUTLS_TLS1_2);
    CHECK_INT(p[1], GNUTLS_TLS1_3);
    CHECK_INT(p[2], 0);
    const gnutls_cipher_algorithm_t *c = gnutls_cipher_list();
    CHECK_INT(c[0], GNUTLS_CIPHER_AES_128_GCM);
    CHECK_INT(c[1], GNUTLS_CIPHER_AES_256_GCM);
    CHECK_INT(c[2], GNUTLS_CIPHER_CHACHA20_POLY1305);
    CHECK_INT(c[3], 0);
    size_t n = 0;
    for (const gnutls_kx_algorithm_t *k = gnutls_kx_list(); *k; k++, n++)
        CHECK(gnutls_kx_get_name(*k) != NULL);
    CHECK_INT(n, 6);
    n = 0;
    for (const gnutls_group_t *g = gnutls_group_list(); *g; g++, n++)
        CHECK(keel_group_by_gnutls(*g) == &keel_groups[n]);
    CHECK_INT(n, 10);
    n = 0;
    for (const gnutls_sign_algorithm_t *s = gnutls_sign_list(); *s; s++, n++)
        CHECK(keel_sigscheme_by_gnutls(*s) != NULL);
    n = 0;
    while (keel_sigschemes[n].name)
        n++;
    size_t m = 0;
    for (const gnutls_sign_algorithm_t *s = gnutls_sign_list(); *s; s++)
        m++;
    CHECK_INT(m, n);
}

int main(void)
{
    RUN(cipher_names);
    RUN(cipher_ids);
    RUN(cipher_key_sizes);
    RUN(mac_names);
    RUN(kx_names);
    RUN(protocol_names);
    RUN(group_names);
    RUN(sign_names);
    RUN(pk_and_ctype_names);
    RUN(suite_table);
    RUN(suite_names);
    RUN(group_table);
    RUN(sigscheme_table);
    RUN(lists);
    return t_done();
}
