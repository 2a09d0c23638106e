/* Ephemeral key exchange: X25519/X448, ECDH on the NIST curves and finite-field DH (RFC 7919
 * groups and TLS 1.2 explicit groups). Keys are generated from templates made at init; peer
 * values are validated on import so the derive step need not validate again. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/param_build.h>
#include "crypto/internal.h"

struct keel_kx {
    keel_kx_id id;
    EVP_PKEY *pkey;
    size_t pub_len;         /* exact length of a public value in TLS encoding */
    BIGNUM *p;              /* DH: the prime, for peer range checks */
};

static int is_dh(keel_kx_id id)
{
    return id >= KEEL_KX_FFDHE2048 && id <= KEEL_KX_DH_CUSTOM;
}

static int is_ecx(keel_kx_id id)
{
    return id == KEEL_KX_X25519 || id == KEEL_KX_X448;
}

static const char *ecx_name(keel_kx_id id)
{
    return id == KEEL_KX_X25519 ? "X25519" : "X448";
}

static size_t ecx_len(keel_kx_id id)
{
    return id == KEEL_KX_X25519 ? 32 : 56;
}

void keel_kx_free(keel_kx *kx)
{
    if (kx == NULL)
        return;
    EVP_PKEY_free(kx->pkey);
    BN_free(kx->p);
    keel_free(kx);
}

size_t keel_kx_prime_bits(const keel_kx *kx)
{
    if (kx->p != NULL)
        return (size_t)BN_num_bits(kx->p);
    return (size_t)EVP_PKEY_get_bits(kx->pkey);
}

/* Fills in pub_len (and p for DH) from kx->pkey and writes the public value. */
static int finish_key(keel_kx *kx, uint8_t *pub, size_t *pub_len)
{
    size_t len = KEEL_MAX_KX_PUB_LEN;

    if (is_ecx(kx->id)) {
        if (!EVP_PKEY_get_raw_public_key(kx->pkey, pub, &len) || len != ecx_len(kx->id))
            return GNUTLS_E_INTERNAL_ERROR;
    } else if (is_dh(kx->id)) {
        BIGNUM *y = NULL;
        int p_len;

        if (!EVP_PKEY_get_bn_param(kx->pkey, OSSL_PKEY_PARAM_FFC_P, &kx->p)
            || !EVP_PKEY_get_bn_param(kx->pkey, OSSL_PKEY_PARAM_PUB_KEY, &y))
            return GNUTLS_E_INTERNAL_ERROR;
        p_len = BN_num_bytes(kx->p);
        len = (size_t)p_len;
        if (len > KEEL_MAX_KX_PUB_LEN || BN_bn2binpad(y, pub, p_len) != p_len) {
            BN_free(y);
            return GNUTLS_E_INTERNAL_ERROR;
        }
        BN_free(y);
    } else {
        if (!EVP_PKEY_get_octet_string_param(kx->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                             pub, len, &len))
            return GNUTLS_E_INTERNAL_ERROR;
    }
    kx->pub_len = len;
    *pub_len = len;
    return 0;
}

/* A new key pair with the parameters (or key manager) of tmpl: a named group's (tmpl NULL)
 * from this thread's context for it, explicit DH parameters from a context of their own. */
static int generate_from(keel_kx_id id, EVP_PKEY *tmpl, keel_kx **out, uint8_t *pub, size_t *pub_len)
{
    EVP_PKEY_CTX *ctx, *own = NULL;
    keel_kx *kx;
    int ret;

    *out = NULL;
    kx = keel_calloc(1, sizeof *kx);
    CHECK(kx != NULL, GNUTLS_E_MEMORY_ERROR);
    kx->id = id;
    if (tmpl == NULL) {
        ctx = keel_keygen_borrow(id);
    } else {
        ctx = own = EVP_PKEY_CTX_new_from_pkey(NULL, tmpl, NULL);
        if (ctx != NULL && EVP_PKEY_keygen_init(ctx) <= 0)
            ctx = NULL;
    }
    if (ctx == NULL || EVP_PKEY_keygen(ctx, &kx->pkey) <= 0) {
        ret = GNUTLS_E_PK_GENERATION_ERROR;
        if (ctx != NULL && own == NULL)
            keel_keygen_drop(id);
    } else {
        ret = finish_key(kx, pub, pub_len);
    }
    EVP_PKEY_CTX_free(own);
    if (ret < 0) {
        keel_kx_free(kx);
        return keel_ossl_fail(ret);
    }
    *out = kx;
    return 0;
}

int keel_kx_generate(keel_kx_id id, keel_kx **out, uint8_t *pub, size_t *pub_len)
{
    *out = NULL;
    CHECK(id > KEEL_KX_NONE && id < KEEL_KX_DH_CUSTOM && keel_ossl.kx_tmpl[id] != NULL,
          GNUTLS_E_INVALID_REQUEST);
    return generate_from(id, NULL, out, pub, pub_len);
}

int keel_kx_generate_dh(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                        keel_kx **out, uint8_t *pub, size_t *pub_len)
{
    BIGNUM *bp = NULL, *bg = NULL, *pm1 = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *domain = NULL;
    int ret = 0;

    *out = NULL;
    CHECK(p_len > 0 && p_len <= KEEL_MAX_KX_PUB_LEN && g_len > 0 && g_len <= p_len,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    bp = BN_bin2bn(p, (int)p_len, NULL);
    bg = BN_bin2bn(g, (int)g_len, NULL);
    pm1 = BN_dup(bp);
    CHECK_OUT(bp != NULL && bg != NULL && pm1 != NULL && BN_sub_word(pm1, 1), GNUTLS_E_MEMORY_ERROR);
    /* An odd prime worth the name, and 1 < g < p-1. */
    CHECK_OUT(BN_is_odd(bp) && BN_num_bits(bp) >= 512 && BN_cmp(bg, BN_value_one()) > 0
              && BN_cmp(bg, pm1) < 0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);

    bld = OSSL_PARAM_BLD_new();
    CHECK_OUT(bld != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, bp)
              && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, bg)
              && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL, GNUTLS_E_MEMORY_ERROR);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    CHECK_OUT(ctx != NULL && EVP_PKEY_fromdata_init(ctx) > 0
              && EVP_PKEY_fromdata(ctx, &domain, EVP_PKEY_KEY_PARAMETERS, params) > 0,
              GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    ret = generate_from(KEEL_KX_DH_CUSTOM, domain, out, pub, pub_len);
out:
    EVP_PKEY_free(domain);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bp);
    BN_free(bg);
    BN_free(pm1);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
}

int keel_test_kx_from_private(keel_kx_id id, const uint8_t *priv, size_t priv_len,
                              keel_kx **out, uint8_t *pub, size_t *pub_len)
{
    keel_kx *kx;
    int ret;

    *out = NULL;
    /* Only the curves whose private key is a plain byte string. */
    CHECK(is_ecx(id) && priv_len == ecx_len(id), GNUTLS_E_INVALID_REQUEST);
    kx = keel_calloc(1, sizeof *kx);
    CHECK(kx != NULL, GNUTLS_E_MEMORY_ERROR);
    kx->id = id;
    kx->pkey = EVP_PKEY_new_raw_private_key_ex(NULL, ecx_name(id), NULL, priv, priv_len);
    ret = kx->pkey != NULL ? finish_key(kx, pub, pub_len) : GNUTLS_E_INTERNAL_ERROR;
    if (ret < 0) {
        keel_kx_free(kx);
        return keel_ossl_fail(ret);
    }
    *out = kx;
    return 0;
}

/* The peer's public value as an EVP_PKEY, validated: exact length, on the curve, or
 * 1 < y < p-1. */
static int import_peer(const keel_kx *kx, const uint8_t *peer, size_t peer_len, EVP_PKEY **out)
{
    EVP_PKEY *pk = NULL;
    int ret = 0;

    *out = NULL;
    if (is_dh(kx->id)) {
        uint8_t padded[KEEL_MAX_KX_PUB_LEN];
        BIGNUM *y = NULL, *pm1 = NULL;

        /* TLS 1.2 peers may strip leading zeros; TLS 1.3 callers check the exact length. */
        CHECK(peer_len > 0 && peer_len <= kx->pub_len, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        y = BN_bin2bn(peer, (int)peer_len, NULL);
        pm1 = BN_dup(kx->p);
        CHECK_OUT(y != NULL && pm1 != NULL && BN_sub_word(pm1, 1), GNUTLS_E_MEMORY_ERROR);
        /* RFC 7919 5.1: 1 < Y < p-1. */
        CHECK_OUT(BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, pm1) < 0,
                  GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        CHECK_OUT(BN_bn2binpad(y, padded, (int)kx->pub_len) == (int)kx->pub_len, GNUTLS_E_INTERNAL_ERROR);
        pk = EVP_PKEY_new();
        CHECK_OUT(pk != NULL && EVP_PKEY_copy_parameters(pk, kx->pkey)
                  && EVP_PKEY_set1_encoded_public_key(pk, padded, kx->pub_len),
                  GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    out:
        BN_free(y);
        BN_free(pm1);
        if (ret < 0) {
            EVP_PKEY_free(pk);
            return ret;
        }
    } else {
        /* NIST curves: only the uncompressed form (RFC 8446 4.2.8.2), of exactly the curve's
         * length; the import rejects points not on the curve. X25519/X448: any string of the
         * right length is a valid u-coordinate. Copying parameters from our own key skips the
         * by-name lookup of a fresh import. */
        CHECK(peer_len == kx->pub_len, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        CHECK(is_ecx(kx->id) || peer[0] == 0x04, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        pk = EVP_PKEY_new();
        if (pk == NULL || !EVP_PKEY_copy_parameters(pk, kx->pkey)
            || !EVP_PKEY_set1_encoded_public_key(pk, peer, peer_len)) {
            EVP_PKEY_free(pk);
            return GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER;
        }
    }
    *out = pk;
    return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

int keel_kx_derive(keel_kx *kx, const uint8_t *peer, size_t peer_len,
                   uint8_t *secret, size_t *secret_len)
{
    EVP_PKEY *peer_key = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    size_t len = KEEL_MAX_KX_SECRET_LEN;
    int ret = 0;

    *secret_len = 0;
    TRY_OUT(import_peer(kx, peer, peer_len, &peer_key));
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, kx->pkey, NULL);
    CHECK_OUT(ctx != NULL && EVP_PKEY_derive_init(ctx) > 0, GNUTLS_E_INTERNAL_ERROR);
    /* TLS 1.3 (RFC 8446 7.4.1) wants the DH secret padded to the length of p. */
    if (is_dh(kx->id))
        CHECK_OUT(EVP_PKEY_CTX_set_dh_pad(ctx, 1) > 0, GNUTLS_E_INTERNAL_ERROR);
    /* The import validated the peer already. */
    CHECK_OUT(EVP_PKEY_derive_set_peer_ex(ctx, peer_key, 0) > 0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* libcrypto refuses an all-zero X25519/X448 result (RFC 7748 6.1); so does the check below. */
    CHECK_OUT(EVP_PKEY_derive(ctx, secret, &len) > 0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    if (is_ecx(kx->id) && all_zero(secret, len)) {
        keel_wipe(secret, len);
        CHECK_OUT(0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    }
    *secret_len = len;
out:
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer_key);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
}
