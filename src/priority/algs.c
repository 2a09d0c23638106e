/* The algorithm tables (suites, groups, signature schemes) and the public name/id functions
 * (gnutls_cipher_get_name, gnutls_group_get_id, ...). Names are GnuTLS's strings, including
 * for algorithms Keel does not implement, so that names print and parse as with GnuTLS. */
#include <strings.h>
#include "priority/algs.h"
#include "priority/names.h"

/* ---- cipher suites: IANA code points (RFC 8446 B.4, RFC 5288, RFC 5289, RFC 5487,
 * RFC 7905), GnuTLS names. ECDH_anon has no AEAD code point, so it has no suite here. ---- */
#define S13_(code, nm, c, a, h) \
    { code, nm, c, GNUTLS_KX_UNKNOWN, GNUTLS_MAC_AEAD, a, h, GNUTLS_TLS1_3, GNUTLS_TLS1_3 }
#define S12_(code, nm, k, c, a, h) \
    { code, nm, c, k, GNUTLS_MAC_AEAD, a, h, GNUTLS_TLS1_2, GNUTLS_TLS1_2 }
#define S13(code, nm, spec) S13_(code, nm, spec)
#define S12(code, nm, k, spec) S12_(code, nm, k, spec)
#define G128 GNUTLS_CIPHER_AES_128_GCM, KEEL_AEAD_AES_128_GCM, KEEL_HASH_SHA256
#define G256 GNUTLS_CIPHER_AES_256_GCM, KEEL_AEAD_AES_256_GCM, KEEL_HASH_SHA384
#define CHP  GNUTLS_CIPHER_CHACHA20_POLY1305, KEEL_AEAD_CHACHA20_POLY1305, KEEL_HASH_SHA256

const keel_suite keel_suites[] = {
    S13(0x1301, "TLS_AES_128_GCM_SHA256", G128),
    S13(0x1302, "TLS_AES_256_GCM_SHA384", G256),
    S13(0x1303, "TLS_CHACHA20_POLY1305_SHA256", CHP),

    S12(0xC02B, "TLS_ECDHE_ECDSA_AES_128_GCM_SHA256", GNUTLS_KX_ECDHE_ECDSA, G128),
    S12(0xC02C, "TLS_ECDHE_ECDSA_AES_256_GCM_SHA384", GNUTLS_KX_ECDHE_ECDSA, G256),
    S12(0xCCA9, "TLS_ECDHE_ECDSA_CHACHA20_POLY1305", GNUTLS_KX_ECDHE_ECDSA, CHP),
    S12(0xC02F, "TLS_ECDHE_RSA_AES_128_GCM_SHA256", GNUTLS_KX_ECDHE_RSA, G128),
    S12(0xC030, "TLS_ECDHE_RSA_AES_256_GCM_SHA384", GNUTLS_KX_ECDHE_RSA, G256),
    S12(0xCCA8, "TLS_ECDHE_RSA_CHACHA20_POLY1305", GNUTLS_KX_ECDHE_RSA, CHP),
    S12(0x009E, "TLS_DHE_RSA_AES_128_GCM_SHA256", GNUTLS_KX_DHE_RSA, G128),
    S12(0x009F, "TLS_DHE_RSA_AES_256_GCM_SHA384", GNUTLS_KX_DHE_RSA, G256),
    S12(0xCCAA, "TLS_DHE_RSA_CHACHA20_POLY1305", GNUTLS_KX_DHE_RSA, CHP),
    S12(0x009C, "TLS_RSA_AES_128_GCM_SHA256", GNUTLS_KX_RSA, G128),
    S12(0x009D, "TLS_RSA_AES_256_GCM_SHA384", GNUTLS_KX_RSA, G256),
    S12(0x00A6, "TLS_DH_ANON_AES_128_GCM_SHA256", GNUTLS_KX_ANON_DH, G128),
    S12(0x00A7, "TLS_DH_ANON_AES_256_GCM_SHA384", GNUTLS_KX_ANON_DH, G256),
    /* PSK suites: in the table for the parser and the names; enabled only by +PSK & co. */
    S12(0x00A8, "TLS_PSK_AES_128_GCM_SHA256", GNUTLS_KX_PSK, G128),
    S12(0x00A9, "TLS_PSK_AES_256_GCM_SHA384", GNUTLS_KX_PSK, G256),
    S12(0xCCAB, "TLS_PSK_CHACHA20_POLY1305", GNUTLS_KX_PSK, CHP),
    S12(0x00AA, "TLS_DHE_PSK_AES_128_GCM_SHA256", GNUTLS_KX_DHE_PSK, G128),
    S12(0x00AB, "TLS_DHE_PSK_AES_256_GCM_SHA384", GNUTLS_KX_DHE_PSK, G256),
    S12(0xCCAD, "TLS_DHE_PSK_CHACHA20_POLY1305", GNUTLS_KX_DHE_PSK, CHP),
    S12(0xCCAC, "TLS_ECDHE_PSK_CHACHA20_POLY1305", GNUTLS_KX_ECDHE_PSK, CHP),
    { 0, NULL, 0, 0, 0, 0, 0, 0, 0 },
};

/* ---- named groups (RFC 8446 4.2.7, RFC 7919), in GnuTLS's gnutls_group_list() order ---- */
const keel_group keel_groups[] = {
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
    { 0, NULL, 0, 0, 0, 0 },
};

/* ---- signature schemes (RFC 8446 4.2.3). The first entry for a code point is the one
 * keel_sigscheme_by_id() returns. GnuTLS also names 0x0403/0x0503/0x0603 without a curve
 * ("ECDSA-SHA256"): that is the TLS 1.2 reading, where the hash is named and the curve is
 * not bound (RFC 8422 5.1.1); those entries come last and are not for TLS 1.3. For ECDSA
 * the pk field names the curve TLS 1.3 binds; whether a key fits in TLS 1.2 is for
 * keel_pkey_scheme_ok(). SHA-1 schemes are kept for verifying TLS 1.2 peers only. ---- */
const keel_sigscheme keel_sigschemes[] = {
    { 0x0804, "RSA-PSS-RSAE-SHA256", GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, KEEL_PK_RSA, KEEL_HASH_SHA256, 1 },
    { 0x0805, "RSA-PSS-RSAE-SHA384", GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, KEEL_PK_RSA, KEEL_HASH_SHA384, 1 },
    { 0x0806, "RSA-PSS-RSAE-SHA512", GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, KEEL_PK_RSA, KEEL_HASH_SHA512, 1 },
    { 0x0809, "RSA-PSS-SHA256", GNUTLS_SIGN_RSA_PSS_SHA256, KEEL_PK_RSA_PSS, KEEL_HASH_SHA256, 1 },
    { 0x080A, "RSA-PSS-SHA384", GNUTLS_SIGN_RSA_PSS_SHA384, KEEL_PK_RSA_PSS, KEEL_HASH_SHA384, 1 },
    { 0x080B, "RSA-PSS-SHA512", GNUTLS_SIGN_RSA_PSS_SHA512, KEEL_PK_RSA_PSS, KEEL_HASH_SHA512, 1 },
    { 0x0403, "ECDSA-SECP256R1-SHA256", GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, KEEL_PK_EC_P256, KEEL_HASH_SHA256, 1 },
    { 0x0503, "ECDSA-SECP384R1-SHA384", GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, KEEL_PK_EC_P384, KEEL_HASH_SHA384, 1 },
    { 0x0603, "ECDSA-SECP521R1-SHA512", GNUTLS_SIGN_ECDSA_SECP521R1_SHA512, KEEL_PK_EC_P521, KEEL_HASH_SHA512, 1 },
    { 0x0807, "EdDSA-Ed25519", GNUTLS_SIGN_EDDSA_ED25519, KEEL_PK_ED25519, KEEL_HASH_NONE, 1 },
    { 0x0808, "EdDSA-Ed448", GNUTLS_SIGN_EDDSA_ED448, KEEL_PK_ED448, KEEL_HASH_NONE, 1 },
    /* RFC 8446 4.2.3: rsa_pkcs1_* only in certificates under TLS 1.3, never in CertificateVerify */
    { 0x0401, "RSA-SHA256", GNUTLS_SIGN_RSA_SHA256, KEEL_PK_RSA, KEEL_HASH_SHA256, 0 },
    { 0x0501, "RSA-SHA384", GNUTLS_SIGN_RSA_SHA384, KEEL_PK_RSA, KEEL_HASH_SHA384, 0 },
    { 0x0601, "RSA-SHA512", GNUTLS_SIGN_RSA_SHA512, KEEL_PK_RSA, KEEL_HASH_SHA512, 0 },
    { 0x0201, "RSA-SHA1", GNUTLS_SIGN_RSA_SHA1, KEEL_PK_RSA, KEEL_HASH_SHA1, 0 },
    { 0x0203, "ECDSA-SHA1", GNUTLS_SIGN_ECDSA_SHA1, KEEL_PK_EC_P256, KEEL_HASH_SHA1, 0 },
    { 0x0403, "ECDSA-SHA256", GNUTLS_SIGN_ECDSA_SHA256, KEEL_PK_EC_P256, KEEL_HASH_SHA256, 0 },
    { 0x0503, "ECDSA-SHA384", GNUTLS_SIGN_ECDSA_SHA384, KEEL_PK_EC_P384, KEEL_HASH_SHA384, 0 },
    { 0x0603, "ECDSA-SHA512", GNUTLS_SIGN_ECDSA_SHA512, KEEL_PK_EC_P521, KEEL_HASH_SHA512, 0 },
    { 0, NULL, 0, 0, 0, 0 },
};

const keel_suite *keel_suite_by_id(uint16_t id)
{
    for (const keel_suite *s = keel_suites; s->name; s++)
        if (s->id == id)
            return s;
    return NULL;
}

const keel_suite *keel_suite_by_algs(gnutls_kx_algorithm_t kx, gnutls_cipher_algorithm_t cipher,
                                     gnutls_mac_algorithm_t mac)
{
    for (const keel_suite *s = keel_suites; s->name; s++)
        if (s->kx == kx && s->cipher == cipher && s->mac == mac)
            return s;
    return NULL;
}

const keel_group *keel_group_by_id(uint16_t id)
{
    for (const keel_group *g = keel_groups; g->name; g++)
        if (g->id == id)
            return g;
    return NULL;
}

const keel_group *keel_group_by_gnutls(gnutls_group_t group)
{
    for (const keel_group *g = keel_groups; g->name; g++)
        if (g->group == group)
            return g;
    return NULL;
}

const keel_sigscheme *keel_sigscheme_by_id(uint16_t id)
{
    for (const keel_sigscheme *s = keel_sigschemes; s->name; s++)
        if (s->id == id)
            return s;
    return NULL;
}

const keel_sigscheme *keel_sigscheme_by_gnutls(gnutls_sign_algorithm_t sign)
{
    for (const keel_sigscheme *s = keel_sigschemes; s->name; s++)
        if (s->sign == sign)
            return s;
    return NULL;
}

int keel_cipher_supported(gnutls_cipher_algorithm_t c)
{
    return c == GNUTLS_CIPHER_AES_128_GCM || c == GNUTLS_CIPHER_AES_256_GCM ||
           c == GNUTLS_CIPHER_CHACHA20_POLY1305;
}

int keel_kx_supported(gnutls_kx_algorithm_t kx)
{
    switch (kx) {
    case GNUTLS_KX_ECDHE_ECDSA: case GNUTLS_KX_ECDHE_RSA: case GNUTLS_KX_DHE_RSA:
    case GNUTLS_KX_RSA: case GNUTLS_KX_ANON_DH: case GNUTLS_KX_ANON_ECDH:
    case GNUTLS_KX_PSK: case GNUTLS_KX_DHE_PSK: case GNUTLS_KX_ECDHE_PSK:
        return 1;
    default:
        return 0;
    }
}

/* ---- GnuTLS's names for every id it has, implemented by Keel or not ---- */

static const keel_name cipher_names[] = {
    { GNUTLS_CIPHER_NULL, "NULL" }, { GNUTLS_CIPHER_ARCFOUR_128, "ARCFOUR-128" },
    { GNUTLS_CIPHER_3DES_CBC, "3DES-CBC" }, { GNUTLS_CIPHER_AES_128_CBC, "AES-128-CBC" },
    { GNUTLS_CIPHER_AES_256_CBC, "AES-256-CBC" }, { GNUTLS_CIPHER_ARCFOUR_40, "ARCFOUR-40" },
    { GNUTLS_CIPHER_CAMELLIA_128_CBC, "CAMELLIA-128-CBC" },
    { GNUTLS_CIPHER_CAMELLIA_256_CBC, "CAMELLIA-256-CBC" },
    { GNUTLS_CIPHER_AES_192_CBC, "AES-192-CBC" }, { GNUTLS_CIPHER_AES_128_GCM, "AES-128-GCM" },
    { GNUTLS_CIPHER_AES_256_GCM, "AES-256-GCM" },
    { GNUTLS_CIPHER_CAMELLIA_192_CBC, "CAMELLIA-192-CBC" },
    { GNUTLS_CIPHER_SALSA20_256, "SALSA20-256" },
    { GNUTLS_CIPHER_ESTREAM_SALSA20_256, "ESTREAM-SALSA20-256" },
    { GNUTLS_CIPHER_CAMELLIA_128_GCM, "CAMELLIA-128-GCM" },
    { GNUTLS_CIPHER_CAMELLIA_256_GCM, "CAMELLIA-256-GCM" },
    { GNUTLS_CIPHER_RC2_40_CBC, "RC2-40" }, { GNUTLS_CIPHER_DES_CBC, "DES-CBC" },
    { GNUTLS_CIPHER_AES_128_CCM, "AES-128-CCM" }, { GNUTLS_CIPHER_AES_256_CCM, "AES-256-CCM" },
    { GNUTLS_CIPHER_AES_128_CCM_8, "AES-128-CCM-8" },
    { GNUTLS_CIPHER_AES_256_CCM_8, "AES-256-CCM-8" },
    { GNUTLS_CIPHER_CHACHA20_POLY1305, "CHACHA20-POLY1305" },
    { GNUTLS_CIPHER_GOST28147_TC26Z_CFB, "GOST28147-TC26Z-CFB" },
    { GNUTLS_CIPHER_GOST28147_CPA_CFB, "GOST28147-CPA-CFB" },
    { GNUTLS_CIPHER_GOST28147_CPB_CFB, "GOST28147-CPB-CFB" },
    { GNUTLS_CIPHER_GOST28147_CPC_CFB, "GOST28147-CPC-CFB" },
    { GNUTLS_CIPHER_GOST28147_CPD_CFB, "GOST28147-CPD-CFB" },
    { GNUTLS_CIPHER_AES_128_CFB8, "AES-128-CFB8" }, { GNUTLS_CIPHER_AES_192_CFB8, "AES-192-CFB8" },
    { GNUTLS_CIPHER_AES_256_CFB8, "AES-256-CFB8" }, { GNUTLS_CIPHER_AES_128_XTS, "AES-128-XTS" },
    { GNUTLS_CIPHER_AES_256_XTS, "AES-256-XTS" },
    { GNUTLS_CIPHER_GOST28147_TC26Z_CNT, "GOST28147-TC26Z-CNT" },
    { GNUTLS_CIPHER_CHACHA20_64, "CHACHA20-64" }, { GNUTLS_CIPHER_CHACHA20_32, "CHACHA20-32" },
    { GNUTLS_CIPHER_AES_128_SIV, "AES-128-SIV" }, { GNUTLS_CIPHER_AES_256_SIV, "AES-256-SIV" },
    { GNUTLS_CIPHER_AES_192_GCM, "AES-192-GCM" },
    { GNUTLS_CIPHER_MAGMA_CTR_ACPKM, "MAGMA-CTR-ACPKM" },
    { GNUTLS_CIPHER_KUZNYECHIK_CTR_ACPKM, "KUZNYECHIK-CTR-ACPKM" },
    { 0, NULL },
};

/* Key sizes in bytes, as gnutls_cipher_get_key_size() reports them. */
static const struct { unsigned id; unsigned char key_size; } cipher_keys[] = {
    { GNUTLS_CIPHER_ARCFOUR_128, 16 }, { GNUTLS_CIPHER_3DES_CBC, 24 },
    { GNUTLS_CIPHER_AES_128_CBC, 16 }, { GNUTLS_CIPHER_AES_256_CBC, 32 },
    { GNUTLS_CIPHER_ARCFOUR_40, 5 }, { GNUTLS_CIPHER_CAMELLIA_128_CBC, 16 },
    { GNUTLS_CIPHER_CAMELLIA_256_CBC, 32 }, { GNUTLS_CIPHER_AES_192_CBC, 24 },
    { GNUTLS_CIPHER_AES_128_GCM, 16 }, { GNUTLS_CIPHER_AES_256_GCM, 32 },
    { GNUTLS_CIPHER_CAMELLIA_192_CBC, 24 }, { GNUTLS_CIPHER_SALSA20_256, 32 },
    { GNUTLS_CIPHER_ESTREAM_SALSA20_256, 32 }, { GNUTLS_CIPHER_CAMELLIA_128_GCM, 16 },
    { GNUTLS_CIPHER_CAMELLIA_256_GCM, 32 }, { GNUTLS_CIPHER_RC2_40_CBC, 5 },
    { GNUTLS_CIPHER_DES_CBC, 8 }, { GNUTLS_CIPHER_AES_128_CCM, 16 },
    { GNUTLS_CIPHER_AES_256_CCM, 32 }, { GNUTLS_CIPHER_AES_128_CCM_8, 16 },
    { GNUTLS_CIPHER_AES_256_CCM_8, 32 }, { GNUTLS_CIPHER_CHACHA20_POLY1305, 32 },
    { GNUTLS_CIPHER_GOST28147_TC26Z_CFB, 32 }, { GNUTLS_CIPHER_GOST28147_CPA_CFB, 32 },
    { GNUTLS_CIPHER_GOST28147_CPB_CFB, 32 }, { GNUTLS_CIPHER_GOST28147_CPC_CFB, 32 },
    { GNUTLS_CIPHER_GOST28147_CPD_CFB, 32 }, { GNUTLS_CIPHER_AES_128_CFB8, 16 },
    { GNUTLS_CIPHER_AES_192_CFB8, 24 }, { GNUTLS_CIPHER_AES_256_CFB8, 32 },
    { GNUTLS_CIPHER_AES_128_XTS, 32 }, { GNUTLS_CIPHER_AES_256_XTS, 64 },
    { GNUTLS_CIPHER_GOST28147_TC26Z_CNT, 32 }, { GNUTLS_CIPHER_CHACHA20_64, 32 },
    { GNUTLS_CIPHER_CHACHA20_32, 32 }, { GNUTLS_CIPHER_AES_128_SIV, 32 },
    { GNUTLS_CIPHER_AES_256_SIV, 64 }, { GNUTLS_CIPHER_AES_192_GCM, 24 },
    { GNUTLS_CIPHER_MAGMA_CTR_ACPKM, 32 }, { GNUTLS_CIPHER_KUZNYECHIK_CTR_ACPKM, 32 },
};

static const keel_name mac_names[] = {
    { GNUTLS_MAC_NULL, "MAC-NULL" }, { GNUTLS_MAC_MD5, "MD5" }, { GNUTLS_MAC_SHA1, "SHA1" },
    { GNUTLS_MAC_RMD160, "RIPEMD160" }, { GNUTLS_MAC_MD2, "MD2" },
    { GNUTLS_MAC_SHA256, "SHA256" }, { GNUTLS_MAC_SHA384, "SHA384" },
    { GNUTLS_MAC_SHA512, "SHA512" }, { GNUTLS_MAC_SHA224, "SHA224" },
    { GNUTLS_MAC_SHA3_224, "SHA3-224" }, { GNUTLS_MAC_SHA3_256, "SHA3-256" },
    { GNUTLS_MAC_SHA3_384, "SHA3-384" }, { GNUTLS_MAC_SHA3_512, "SHA3-512" },
    { GNUTLS_MAC_MD5_SHA1, "MD5+SHA1" }, { GNUTLS_MAC_GOSTR_94, "GOSTR341194" },
    { GNUTLS_MAC_STREEBOG_256, "STREEBOG-256" }, { GNUTLS_MAC_STREEBOG_512, "STREEBOG-512" },
    { GNUTLS_MAC_AEAD, "AEAD" }, { GNUTLS_MAC_UMAC_96, "UMAC-96" },
    { GNUTLS_MAC_UMAC_128, "UMAC-128" }, { GNUTLS_MAC_AES_CMAC_128, "AES-CMAC-128" },
    { GNUTLS_MAC_AES_CMAC_256, "AES-CMAC-256" }, { GNUTLS_MAC_AES_GMAC_128, "AES-GMAC-128" },
    { GNUTLS_MAC_AES_GMAC_192, "AES-GMAC-192" }, { GNUTLS_MAC_AES_GMAC_256, "AES-GMAC-256" },
    { GNUTLS_MAC_GOST28147_TC26Z_IMIT, "GOST28147-TC26Z-IMIT" },
    { GNUTLS_MAC_SHAKE_128, "SHAKE-128" }, { GNUTLS_MAC_SHAKE_256, "SHAKE-256" },
    { GNUTLS_MAC_MAGMA_OMAC, "OMAC-MAGMA" }, { GNUTLS_MAC_KUZNYECHIK_OMAC, "OMAC-KUZNYECHIK" },
    { 0, NULL },
};

/* RSA-EXPORT has a name for the priority parser but no public name (GnuTLS: NULL). */
static const keel_name kx_names[] = {
    { GNUTLS_KX_RSA, "RSA" }, { GNUTLS_KX_DHE_DSS, "DHE-DSS" }, { GNUTLS_KX_DHE_RSA, "DHE-RSA" },
    { GNUTLS_KX_ANON_DH, "ANON-DH" }, { GNUTLS_KX_SRP, "SRP" }, { GNUTLS_KX_SRP_RSA, "SRP-RSA" },
    { GNUTLS_KX_SRP_DSS, "SRP-DSS" }, { GNUTLS_KX_PSK, "PSK" }, { GNUTLS_KX_DHE_PSK, "DHE-PSK" },
    { GNUTLS_KX_ANON_ECDH, "ANON-ECDH" }, { GNUTLS_KX_ECDHE_RSA, "ECDHE-RSA" },
    { GNUTLS_KX_ECDHE_ECDSA, "ECDHE-ECDSA" }, { GNUTLS_KX_ECDHE_PSK, "ECDHE-PSK" },
    { GNUTLS_KX_RSA_PSK, "RSA-PSK" }, { GNUTLS_KX_VKO_GOST_12, "VKO-GOST-12" },
    { 0, NULL },
};

static const keel_name protocol_names[] = {
    { GNUTLS_SSL3, "SSL3.0" }, { GNUTLS_TLS1_0, "TLS1.0" }, { GNUTLS_TLS1_1, "TLS1.1" },
    { GNUTLS_TLS1_2, "TLS1.2" }, { GNUTLS_TLS1_3, "TLS1.3" }, { GNUTLS_DTLS0_9, "DTLS0.9" },
    { GNUTLS_DTLS1_0, "DTLS1.0" }, { GNUTLS_DTLS1_2, "DTLS1.2" },
    { 0, NULL },
};

static const keel_name group_names[] = {
    { GNUTLS_GROUP_SECP192R1, "SECP192R1" }, { GNUTLS_GROUP_SECP224R1, "SECP224R1" },
    { GNUTLS_GROUP_SECP256R1, "SECP256R1" }, { GNUTLS_GROUP_SECP384R1, "SECP384R1" },
    { GNUTLS_GROUP_SECP521R1, "SECP521R1" }, { GNUTLS_GROUP_X25519, "X25519" },
    { GNUTLS_GROUP_GC256A, "GC256A" }, { GNUTLS_GROUP_GC256B, "GC256B" },
    { GNUTLS_GROUP_GC256C, "GC256C" }, { GNUTLS_GROUP_GC256D, "GC256D" },
    { GNUTLS_GROUP_GC512A, "GC512A" }, { GNUTLS_GROUP_GC512B, "GC512B" },
    { GNUTLS_GROUP_GC512C, "GC512C" }, { GNUTLS_GROUP_X448, "X448" },
    { GNUTLS_GROUP_FFDHE2048, "FFDHE2048" }, { GNUTLS_GROUP_FFDHE3072, "FFDHE3072" },
    { GNUTLS_GROUP_FFDHE4096, "FFDHE4096" }, { GNUTLS_GROUP_FFDHE6144, "FFDHE6144" },
    { GNUTLS_GROUP_FFDHE8192, "FFDHE8192" },
    { 0, NULL },
};

/* Curve names accepted after CURVE- in priority strings (EC curves only, no FFDHE). */
static const keel_name curve_names[] = {
    { GNUTLS_ECC_CURVE_SECP192R1, "SECP192R1" }, { GNUTLS_ECC_CURVE_SECP224R1, "SECP224R1" },
    { GNUTLS_ECC_CURVE_SECP256R1, "SECP256R1" }, { GNUTLS_ECC_CURVE_SECP384R1, "SECP384R1" },
    { GNUTLS_ECC_CURVE_SECP521R1, "SECP521R1" }, { GNUTLS_ECC_CURVE_X25519, "X25519" },
    { GNUTLS_ECC_CURVE_ED25519, "Ed25519" }, { GNUTLS_ECC_CURVE_X448, "X448" },
    { GNUTLS_ECC_CURVE_ED448, "Ed448" },
    { GNUTLS_ECC_CURVE_GOST256CPA, "CryptoPro-A" }, { GNUTLS_ECC_CURVE_GOST256CPB, "CryptoPro-B" },
    { GNUTLS_ECC_CURVE_GOST256CPC, "CryptoPro-C" },
    { GNUTLS_ECC_CURVE_GOST256CPXA, "CryptoPro-XchA" },
    { GNUTLS_ECC_CURVE_GOST256CPXB, "CryptoPro-XchB" },
    { GNUTLS_ECC_CURVE_GOST512A, "TC26-512-A" }, { GNUTLS_ECC_CURVE_GOST512B, "TC26-512-B" },
    { GNUTLS_ECC_CURVE_GOST512C, "TC26-512-C" }, { GNUTLS_ECC_CURVE_GOST256A, "TC26-256-A" },
    { GNUTLS_ECC_CURVE_GOST256B, "TC26-256-B" }, { GNUTLS_ECC_CURVE_GOST256C, "TC26-256-C" },
    { GNUTLS_ECC_CURVE_GOST256D, "TC26-256-D" },
    { 0, NULL },
};

static const keel_name sign_names[] = {
    { GNUTLS_SIGN_RSA_SHA1, "RSA-SHA1" }, { GNUTLS_SIGN_DSA_SHA1, "DSA-SHA1" },
    { GNUTLS_SIGN_RSA_MD5, "RSA-MD5" }, { GNUTLS_SIGN_RSA_MD2, "RSA-MD2" },
    { GNUTLS_SIGN_RSA_RMD160, "RSA-RMD160" }, { GNUTLS_SIGN_RSA_SHA256, "RSA-SHA256" },
    { GNUTLS_SIGN_RSA_SHA384, "RSA-SHA384" }, { GNUTLS_SIGN_RSA_SHA512, "RSA-SHA512" },
    { GNUTLS_SIGN_RSA_SHA224, "RSA-SHA224" }, { GNUTLS_SIGN_DSA_SHA224, "DSA-SHA224" },
    { GNUTLS_SIGN_DSA_SHA256, "DSA-SHA256" }, { GNUTLS_SIGN_ECDSA_SHA1, "ECDSA-SHA1" },
    { GNUTLS_SIGN_ECDSA_SHA224, "ECDSA-SHA224" }, { GNUTLS_SIGN_ECDSA_SHA256, "ECDSA-SHA256" },
    { GNUTLS_SIGN_ECDSA_SHA384, "ECDSA-SHA384" }, { GNUTLS_SIGN_ECDSA_SHA512, "ECDSA-SHA512" },
    { GNUTLS_SIGN_DSA_SHA384, "DSA-SHA384" }, { GNUTLS_SIGN_DSA_SHA512, "DSA-SHA512" },
    { GNUTLS_SIGN_ECDSA_SHA3_224, "ECDSA-SHA3-224" }, { GNUTLS_SIGN_ECDSA_SHA3_256, "ECDSA-SHA3-256" },
    { GNUTLS_SIGN_ECDSA_SHA3_384, "ECDSA-SHA3-384" }, { GNUTLS_SIGN_ECDSA_SHA3_512, "ECDSA-SHA3-512" },
    { GNUTLS_SIGN_DSA_SHA3_224, "DSA-SHA3-224" }, { GNUTLS_SIGN_DSA_SHA3_256, "DSA-SHA3-256" },
    { GNUTLS_SIGN_DSA_SHA3_384, "DSA-SHA3-384" }, { GNUTLS_SIGN_DSA_SHA3_512, "DSA-SHA3-512" },
    { GNUTLS_SIGN_RSA_SHA3_224, "RSA-SHA3-224" }, { GNUTLS_SIGN_RSA_SHA3_256, "RSA-SHA3-256" },
    { GNUTLS_SIGN_RSA_SHA3_384, "RSA-SHA3-384" }, { GNUTLS_SIGN_RSA_SHA3_512, "RSA-SHA3-512" },
    { GNUTLS_SIGN_RSA_PSS_SHA256, "RSA-PSS-SHA256" }, { GNUTLS_SIGN_RSA_PSS_SHA384, "RSA-PSS-SHA384" },
    { GNUTLS_SIGN_RSA_PSS_SHA512, "RSA-PSS-SHA512" }, { GNUTLS_SIGN_EDDSA_ED25519, "EdDSA-Ed25519" },
    { GNUTLS_SIGN_RSA_RAW, "RSA-RAW" },
    { GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, "ECDSA-SECP256R1-SHA256" },
    { GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, "ECDSA-SECP384R1-SHA384" },
    { GNUTLS_SIGN_ECDSA_SECP521R1_SHA512, "ECDSA-SECP521R1-SHA512" },
    { GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, "RSA-PSS-RSAE-SHA256" },
    { GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, "RSA-PSS-RSAE-SHA384" },
    { GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, "RSA-PSS-RSAE-SHA512" },
    { GNUTLS_SIGN_GOST_94, "GOSTR341001" }, { GNUTLS_SIGN_GOST_256, "GOSTR341012-256" },
    { GNUTLS_SIGN_GOST_512, "GOSTR341012-512" }, { GNUTLS_SIGN_EDDSA_ED448, "EdDSA-Ed448" },
    { 0, NULL },
};

static const keel_name pk_names[] = {
    { GNUTLS_PK_RSA, "RSA" }, { GNUTLS_PK_DSA, "DSA" }, { GNUTLS_PK_DH, "DH" },
    { GNUTLS_PK_ECDSA, "EC/ECDSA" }, { GNUTLS_PK_ECDH_X25519, "ECDH (X25519)" },
    { GNUTLS_PK_RSA_PSS, "RSA-PSS" }, { GNUTLS_PK_EDDSA_ED25519, "EdDSA (Ed25519)" },
    { GNUTLS_PK_GOST_01, "GOST R 34.10-2001" }, { GNUTLS_PK_GOST_12_256, "GOST R 34.10-2012-256" },
    { GNUTLS_PK_GOST_12_512, "GOST R 34.10-2012-512" }, { GNUTLS_PK_ECDH_X448, "ECDH (X448)" },
    { GNUTLS_PK_EDDSA_ED448, "EdDSA (Ed448)" },
    { 0, NULL },
};

const char *keel_name_of(const keel_name *t, unsigned id)
{
    for (; t->name; t++)
        if (t->id == id)
            return t->name;
    return NULL;
}

int keel_id_of(const keel_name *t, const char *name, size_t len, unsigned *id)
{
    for (; t->name; t++)
        if (strlen(t->name) == len && strncasecmp(t->name, name, len) == 0) {
            *id = t->id;
            return 1;
        }
    return 0;
}

const keel_name *const keel_cipher_names = cipher_names;
const keel_name *const keel_mac_names = mac_names;
const keel_name *const keel_kx_names = kx_names;
const keel_name *const keel_protocol_names = protocol_names;
const keel_name *const keel_group_names = group_names;
const keel_name *const keel_curve_names = curve_names;
const keel_name *const keel_sign_names = sign_names;

static unsigned id_or(const keel_name *t, const char *name, unsigned unknown)
{
    unsigned id;
    if (!name || !keel_id_of(t, name, strlen(name), &id))
        return unknown;
    return id;
}

/* ---- public API ---- */

const char *gnutls_cipher_get_name(gnutls_cipher_algorithm_t algorithm)
{
    return keel_name_of(cipher_names, algorithm);
}

const char *gnutls_mac_get_name(gnutls_mac_algorithm_t algorithm)
{
    return keel_name_of(mac_names, algorithm);
}

const char *gnutls_kx_get_name(gnutls_kx_algorithm_t algorithm)
{
    return keel_name_of(kx_names, algorithm);
}

const char *gnutls_protocol_get_name(gnutls_protocol_t version)
{
    return keel_name_of(protocol_names, version);
}

const char *gnutls_group_get_name(gnutls_group_t group)
{
    return keel_name_of(group_names, group);
}

const char *gnutls_sign_get_name(gnutls_sign_algorithm_t algorithm)
{
    return keel_name_of(sign_names, algorithm);
}

/* GnuTLS answers "Unknown" rather than NULL here. */
const char *gnutls_pk_get_name(gnutls_pk_algorithm_t algorithm)
{
    const char *n = keel_name_of(pk_names, algorithm);
    return n ? n : "Unknown";
}

gnutls_cipher_algorithm_t gnutls_cipher_get_id(const char *name)
{
    return (gnutls_cipher_algorithm_t)id_or(cipher_names, name, GNUTLS_CIPHER_UNKNOWN);
}

gnutls_mac_algorithm_t gnutls_mac_get_id(const char *name)
{
    return (gnutls_mac_algorithm_t)id_or(mac_names, name, GNUTLS_MAC_UNKNOWN);
}

gnutls_kx_algorithm_t gnutls_kx_get_id(const char *name)
{
    return (gnutls_kx_algorithm_t)id_or(kx_names, name, GNUTLS_KX_UNKNOWN);
}

gnutls_protocol_t gnutls_protocol_get_id(const char *name)
{
    return (gnutls_protocol_t)id_or(protocol_names, name, GNUTLS_VERSION_UNKNOWN);
}

gnutls_group_t gnutls_group_get_id(const char *name)
{
    return (gnutls_group_t)id_or(group_names, name, GNUTLS_GROUP_INVALID);
}

gnutls_sign_algorithm_t gnutls_sign_get_id(const char *name)
{
    return (gnutls_sign_algorithm_t)id_or(sign_names, name, GNUTLS_SIGN_UNKNOWN);
}

gnutls_pk_algorithm_t gnutls_pk_get_id(const char *name)
{
    return (gnutls_pk_algorithm_t)id_or(pk_names, name, GNUTLS_PK_UNKNOWN);
}

/* Certificate types: GnuTLS's display names, and the ids its parser takes. */
static const keel_name ctype_names[] = {
    { GNUTLS_CRT_X509, "X.509" }, { GNUTLS_CRT_RAWPK, "Raw Public Key" }, { 0, NULL },
};
static const keel_name ctype_ids[] = {
    { GNUTLS_CRT_X509, "X.509" }, { GNUTLS_CRT_X509, "X509" }, { GNUTLS_CRT_RAWPK, "RAWPK" },
    { GNUTLS_CRT_RAWPK, "Raw Public Key" }, { 0, NULL },
};

const char *gnutls_certificate_type_get_name(gnutls_certificate_type_t type)
{
    return keel_name_of(ctype_names, type);
}

gnutls_certificate_type_t gnutls_certificate_type_get_id(const char *name)
{
    return (gnutls_certificate_type_t)id_or(ctype_ids, name, GNUTLS_CRT_UNKNOWN);
}

size_t gnutls_cipher_get_key_size(gnutls_cipher_algorithm_t algorithm)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(cipher_keys); i++)
        if (cipher_keys[i].id == (unsigned)algorithm)
            return cipher_keys[i].key_size;
    return 0;
}

/* GnuTLS's name without the "TLS_" prefix, e.g. "ECDHE_RSA_AES_128_GCM_SHA256"; kx 0 with
 * a TLS 1.3 cipher names the TLS 1.3 suite. */
const char *gnutls_cipher_suite_get_name(gnutls_kx_algorithm_t kx_algorithm,
                                         gnutls_cipher_algorithm_t cipher_algorithm,
                                         gnutls_mac_algorithm_t mac_algorithm)
{
    const keel_suite *s = keel_suite_by_algs(kx_algorithm, cipher_algorithm, mac_algorithm);
    return s ? s->name + 4 : NULL;
}

const char *gnutls_cipher_suite_info(size_t idx, unsigned char *cs_id,
                                     gnutls_kx_algorithm_t *kx, gnutls_cipher_algorithm_t *cipher,
                                     gnutls_mac_algorithm_t *mac, gnutls_protocol_t *min_version)
{
    if (idx >= KEEL_ARRAY_SIZE(keel_suites) - 1)
        return NULL;
    const keel_suite *s = &keel_suites[idx];
    if (cs_id) {
        cs_id[0] = (unsigned char)(s->id >> 8);
        cs_id[1] = (unsigned char)s->id;
    }
    if (kx)
        *kx = s->kx;
    if (cipher)
        *cipher = s->cipher;
    if (mac)
        *mac = s->mac;
    if (min_version)
        *min_version = s->min_version;
    return s->name;
}

/* The lists of what Keel implements, zero-terminated, in GnuTLS's list order. */
const gnutls_protocol_t *gnutls_protocol_list(void)
{
    static const gnutls_protocol_t list[] = { GNUTLS_TLS1_2, GNUTLS_TLS1_3, 0 };
    return list;
}

const gnutls_cipher_algorithm_t *gnutls_cipher_list(void)
{
    static const gnutls_cipher_algorithm_t list[] = {
        GNUTLS_CIPHER_AES_128_GCM, GNUTLS_CIPHER_AES_256_GCM, GNUTLS_CIPHER_CHACHA20_POLY1305, 0
    };
    return list;
}

const gnutls_kx_algorithm_t *gnutls_kx_list(void)
{
    static const gnutls_kx_algorithm_t list[] = {
        GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_RSA, GNUTLS_KX_DHE_RSA,
        GNUTLS_KX_ANON_DH, GNUTLS_KX_ANON_ECDH, 0
    };
    return list;
}

const gnutls_group_t *gnutls_group_list(void)
{
    static const gnutls_group_t list[] = {
        GNUTLS_GROUP_SECP256R1, GNUTLS_GROUP_SECP384R1, GNUTLS_GROUP_SECP521R1,
        GNUTLS_GROUP_X25519, GNUTLS_GROUP_X448, GNUTLS_GROUP_FFDHE2048, GNUTLS_GROUP_FFDHE3072,
        GNUTLS_GROUP_FFDHE4096, GNUTLS_GROUP_FFDHE6144, GNUTLS_GROUP_FFDHE8192, 0
    };
    return list;
}

const gnutls_sign_algorithm_t *gnutls_sign_list(void)
{
    static const gnutls_sign_algorithm_t list[] = {
        GNUTLS_SIGN_RSA_SHA256, GNUTLS_SIGN_RSA_SHA384, GNUTLS_SIGN_RSA_SHA512,
        GNUTLS_SIGN_RSA_PSS_SHA256, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256,
        GNUTLS_SIGN_RSA_PSS_SHA384, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384,
        GNUTLS_SIGN_RSA_PSS_SHA512, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512,
        GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_SIGN_EDDSA_ED448,
        GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SHA512,
        GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384,
        GNUTLS_SIGN_ECDSA_SECP521R1_SHA512,
        GNUTLS_SIGN_RSA_SHA1, GNUTLS_SIGN_ECDSA_SHA1, 0
    };
    return list;
}
