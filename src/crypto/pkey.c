/* keel_pkey: a reference-counted EVP_PKEY (shared with EVP_PKEY_up_ref, never duplicated:
 * a duplicate loses RSA's cached precomputation), and public-key imports from raw values
 * that skip libcrypto's decoders. */
#include <strings.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include "crypto/internal.h"

static keel_pk_type ec_curve_type(EVP_PKEY *pkey)
{
    char name[64];
    size_t len = 0;

    if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len))
        return KEEL_PK_NONE;
    if (!strcmp(name, "prime256v1") || !strcmp(name, "P-256") || !strcmp(name, "secp256r1"))
        return KEEL_PK_EC_P256;
    if (!strcmp(name, "secp384r1") || !strcmp(name, "P-384"))
        return KEEL_PK_EC_P384;
    if (!strcmp(name, "secp521r1") || !strcmp(name, "P-521"))
        return KEEL_PK_EC_P521;
    return KEEL_PK_NONE;
}

static keel_pk_type pk_type_of(EVP_PKEY *pkey)
{
    if (EVP_PKEY_is_a(pkey, "RSA-PSS"))
        return KEEL_PK_RSA_PSS;
    if (EVP_PKEY_is_a(pkey, "RSA"))
        return KEEL_PK_RSA;
    if (EVP_PKEY_is_a(pkey, "EC"))
        return ec_curve_type(pkey);
    if (EVP_PKEY_is_a(pkey, "ED25519"))
        return KEEL_PK_ED25519;
    if (EVP_PKEY_is_a(pkey, "ED448"))
        return KEEL_PK_ED448;
    return KEEL_PK_NONE;
}

static int bn_param_present(EVP_PKEY *pkey, const char *name)
{
    BIGNUM *bn = NULL;
    int present = EVP_PKEY_get_bn_param(pkey, name, &bn) && bn != NULL;

    BN_clear_free(bn);
    return present;
}

static int private_present(EVP_PKEY *pkey, keel_pk_type type)
{
    size_t len = 0;

    switch (type) {
    case KEEL_PK_RSA:
    case KEEL_PK_RSA_PSS:
        return bn_param_present(pkey, OSSL_PKEY_PARAM_RSA_D);
    case KEEL_PK_EC_P256:
    case KEEL_PK_EC_P384:
    case KEEL_PK_EC_P521:
        return bn_param_present(pkey, OSSL_PKEY_PARAM_PRIV_KEY);
    case KEEL_PK_ED25519:
    case KEEL_PK_ED448:
        return EVP_PKEY_get_raw_private_key(pkey, NULL, &len) && len > 0;
    case KEEL_PK_NONE:
    default:
        return 0;
    }
}

/* The hash an RSASSA-PSS key is restricted to, if its parameters name one. */
static keel_hash_id pss_restriction(EVP_PKEY *pkey)
{
    static const struct { const char *name; keel_hash_id id; } names[] = {
        { "SHA1", KEEL_HASH_SHA1 }, { "SHA-1", KEEL_HASH_SHA1 },
        { "SHA256", KEEL_HASH_SHA256 }, { "SHA2-256", KEEL_HASH_SHA256 }, { "SHA-256", KEEL_HASH_SHA256 },
        { "SHA384", KEEL_HASH_SHA384 }, { "SHA2-384", KEEL_HASH_SHA384 }, { "SHA-384", KEEL_HASH_SHA384 },
        { "SHA512", KEEL_HASH_SHA512 }, { "SHA2-512", KEEL_HASH_SHA512 }, { "SHA-512", KEEL_HASH_SHA512 },
    };
    char name[64], mgf1[64];
    size_t len = 0;
    keel_hash_id id = KEEL_HASH_COUNT;

    if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_RSA_DIGEST, name, sizeof name, &len))
        return KEEL_HASH_NONE;
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(names); i++)
        if (strcasecmp(name, names[i].name) == 0)
            id = names[i].id;
    /* TLS 1.3 uses MGF1 with the signature's hash; a key that says otherwise fits no scheme
     * (nor does one restricted to a hash TLS does not use with PSS: KEEL_HASH_COUNT). */
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_RSA_MGF1_DIGEST, mgf1, sizeof mgf1, &len)
        && strcasecmp(mgf1, name) != 0)
        id = KEEL_HASH_COUNT;
    return id;
}

int keel_pkey_wrap(EVP_PKEY *pkey, keel_pkey **out)
{
    keel_pkey *k;
    keel_pk_type type;

    *out = NULL;
    CHECK(pkey != NULL, GNUTLS_E_INVALID_REQUEST);
    type = pk_type_of(pkey);
    if (type == KEEL_PK_NONE) {
        EVP_PKEY_free(pkey);
        return keel_ossl_fail(GNUTLS_E_UNKNOWN_PK_ALGORITHM);
    }
    k = keel_calloc(1, sizeof *k);
    if (k == NULL) {
        EVP_PKEY_free(pkey);
        return GNUTLS_E_MEMORY_ERROR;
    }
    k->pkey = pkey;
    k->refs = 1;
    k->type = type;
    k->bits = (unsigned)EVP_PKEY_get_bits(pkey);
    k->has_private = private_present(pkey, type);
    if (type == KEEL_PK_RSA_PSS)
        k->pss_hash = pss_restriction(pkey);
    ERR_clear_error();
    *out = k;
    return 0;
}

EVP_PKEY *keel_pkey_ossl(const keel_pkey *k)
{
    return k->pkey;
}

keel_pk_type keel_pkey_type(const keel_pkey *k)
{
    return k->type;
}

unsigned keel_pkey_bits(const keel_pkey *k)
{
    return k->bits;
}

int keel_pkey_has_private(const keel_pkey *k)
{
    return k->has_private;
}

void keel_pkey_ref(keel_pkey *k)
{
    __atomic_add_fetch(&k->refs, 1, __ATOMIC_RELAXED);
}

void keel_pkey_unref(keel_pkey *k)
{
    if (k == NULL)
        return;
    if (__atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    EVP_PKEY_free(k->pkey);
    keel_free(k);
}

int keel_pkey_import_ec(keel_pk_type type, const uint8_t *point, size_t len, keel_pkey **out)
{
    EVP_PKEY *tmpl, *pk;
    size_t coord;

    *out = NULL;
    switch (type) {
    case KEEL_PK_EC_P256: tmpl = keel_ossl.kx_tmpl[KEEL_KX_SECP256R1]; coord = 32; break;
    case KEEL_PK_EC_P384: tmpl = keel_ossl.kx_tmpl[KEEL_KX_SECP384R1]; coord = 48; break;
    case KEEL_PK_EC_P521: tmpl = keel_ossl.kx_tmpl[KEEL_KX_SECP521R1]; coord = 66; break;
    default: return GNUTLS_E_INVALID_REQUEST;
    }
    CHECK(tmpl != NULL, GNUTLS_E_INVALID_REQUEST);
    /* Uncompressed only; setting the point rejects one that is not on the curve. */
    CHECK(len == 1 + 2 * coord && point[0] == 0x04, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    pk = EVP_PKEY_new();
    if (pk == NULL || !EVP_PKEY_copy_parameters(pk, tmpl)
        || !EVP_PKEY_set1_encoded_public_key(pk, point, len)) {
        EVP_PKEY_free(pk);
        return keel_ossl_fail(GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    }
    return keel_pkey_wrap(pk, out);
}

int keel_pkey_import_rsa(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                         keel_pkey **out)
{
    BIGNUM *bn = NULL, *be = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pk = NULL;
    int ret = 0;

    *out = NULL;
    CHECK(n_len > 0 && n_len <= 2048 && e_len > 0 && e_len <= 8, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    bn = BN_bin2bn(n, (int)n_len, NULL);
    be = BN_bin2bn(e, (int)e_len, NULL);
    CHECK_OUT(bn != NULL && be != NULL, GNUTLS_E_MEMORY_ERROR);
    CHECK_OUT(BN_is_odd(bn) && BN_num_bits(bn) >= 512 && BN_is_odd(be) && !BN_is_one(be),
              GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    bld = OSSL_PARAM_BLD_new();
    CHECK_OUT(bld != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn)
              && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be)
              && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL, GNUTLS_E_MEMORY_ERROR);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    CHECK_OUT(ctx != NULL && EVP_PKEY_fromdata_init(ctx) > 0
              && EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) > 0,
              GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    ret = keel_pkey_wrap(pk, out);
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
}

int keel_pkey_import_eddsa(keel_pk_type type, const uint8_t *pub, size_t len, keel_pkey **out)
{
    EVP_PKEY *pk;

    *out = NULL;
    CHECK(type == KEEL_PK_ED25519 || type == KEEL_PK_ED448, GNUTLS_E_INVALID_REQUEST);
    CHECK(len == (type == KEEL_PK_ED25519 ? 32u : 57u), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    pk = EVP_PKEY_new_raw_public_key_ex(NULL, type == KEEL_PK_ED25519 ? "ED25519" : "ED448",
                                        NULL, pub, len);
    CHECK(pk != NULL, keel_ossl_fail(GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER));
    return keel_pkey_wrap(pk, out);
}

int keel_test_pkey_generate(keel_pk_type type, unsigned bits, keel_pkey **out)
{
    const char *keytype, *group = NULL;
    EVP_PKEY_CTX *ctx;
    EVP_PKEY *pk = NULL;
    int ok;

    *out = NULL;
    switch (type) {
    case KEEL_PK_RSA: keytype = "RSA"; break;
    case KEEL_PK_RSA_PSS: keytype = "RSA-PSS"; break;
    case KEEL_PK_EC_P256: keytype = "EC"; group = "P-256"; break;
    case KEEL_PK_EC_P384: keytype = "EC"; group = "P-384"; break;
    case KEEL_PK_EC_P521: keytype = "EC"; group = "P-521"; break;
    case KEEL_PK_ED25519: keytype = "ED25519"; break;
    case KEEL_PK_ED448: keytype = "ED448"; break;
    case KEEL_PK_NONE:
    default: return GNUTLS_E_INVALID_REQUEST;
    }
    ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    ok = ctx != NULL && EVP_PKEY_keygen_init(ctx) > 0;
    if (ok && group != NULL)
        ok = EVP_PKEY_CTX_set_group_name(ctx, group) > 0;
    if (ok && (type == KEEL_PK_RSA || type == KEEL_PK_RSA_PSS))
        ok = EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) > 0;
    ok = ok && EVP_PKEY_keygen(ctx, &pk) > 0;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return keel_ossl_fail(GNUTLS_E_PK_GENERATION_ERROR);
    return keel_pkey_wrap(pk, out);
}
