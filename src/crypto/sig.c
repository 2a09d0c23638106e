/* Signatures by TLS SignatureScheme (RFC 8446 4.2.3, RFC 5246 7.4.1.4.1) and the RSA key
 * exchange's encryption of the premaster secret (RFC 5246 7.4.7.1). */
#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include "crypto/internal.h"

enum sig_padding { PAD_NONE, PAD_PKCS1, PAD_PSS };

struct scheme {
    uint16_t code;
    keel_pk_type key;       /* KEEL_PK_NONE: any EC curve (legacy ecdsa_sha1) */
    keel_hash_id hash;
    enum sig_padding padding;
    int verify_only;        /* SHA-1: accepted from peers, never produced */
};

static const struct scheme schemes[] = {
    { 0x0401, KEEL_PK_RSA, KEEL_HASH_SHA256, PAD_PKCS1, 0 },      /* rsa_pkcs1_sha256 */
    { 0x0501, KEEL_PK_RSA, KEEL_HASH_SHA384, PAD_PKCS1, 0 },      /* rsa_pkcs1_sha384 */
    { 0x0601, KEEL_PK_RSA, KEEL_HASH_SHA512, PAD_PKCS1, 0 },      /* rsa_pkcs1_sha512 */
    { 0x0201, KEEL_PK_RSA, KEEL_HASH_SHA1, PAD_PKCS1, 1 },        /* rsa_pkcs1_sha1 */
    { 0x0804, KEEL_PK_RSA, KEEL_HASH_SHA256, PAD_PSS, 0 },        /* rsa_pss_rsae_sha256 */
    { 0x0805, KEEL_PK_RSA, KEEL_HASH_SHA384, PAD_PSS, 0 },        /* rsa_pss_rsae_sha384 */
    { 0x0806, KEEL_PK_RSA, KEEL_HASH_SHA512, PAD_PSS, 0 },        /* rsa_pss_rsae_sha512 */
    { 0x0809, KEEL_PK_RSA_PSS, KEEL_HASH_SHA256, PAD_PSS, 0 },    /* rsa_pss_pss_sha256 */
    { 0x080a, KEEL_PK_RSA_PSS, KEEL_HASH_SHA384, PAD_PSS, 0 },    /* rsa_pss_pss_sha384 */
    { 0x080b, KEEL_PK_RSA_PSS, KEEL_HASH_SHA512, PAD_PSS, 0 },    /* rsa_pss_pss_sha512 */
    { 0x0403, KEEL_PK_EC_P256, KEEL_HASH_SHA256, PAD_NONE, 0 },   /* ecdsa_secp256r1_sha256 */
    { 0x0503, KEEL_PK_EC_P384, KEEL_HASH_SHA384, PAD_NONE, 0 },   /* ecdsa_secp384r1_sha384 */
    { 0x0603, KEEL_PK_EC_P521, KEEL_HASH_SHA512, PAD_NONE, 0 },   /* ecdsa_secp521r1_sha512 */
    { 0x0203, KEEL_PK_NONE, KEEL_HASH_SHA1, PAD_NONE, 1 },        /* ecdsa_sha1 */
    { 0x0807, KEEL_PK_ED25519, KEEL_HASH_NONE, PAD_NONE, 0 },     /* ed25519 */
    { 0x0808, KEEL_PK_ED448, KEEL_HASH_NONE, PAD_NONE, 0 },       /* ed448 */
};

static int is_ec(keel_pk_type t)
{
    return t == KEEL_PK_EC_P256 || t == KEEL_PK_EC_P384 || t == KEEL_PK_EC_P521;
}

/* The scheme entry, if the scheme exists and fits the key's type. */
static const struct scheme *scheme_for(const keel_pkey *k, uint16_t code, unsigned flags)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(schemes); i++) {
        const struct scheme *s = &schemes[i];

        if (s->code != code)
            continue;
        /* RFC 8446 4.2.3: an RSASSA-PSS key with parameters signs only with their hash. */
        if (k->pss_hash != KEEL_HASH_NONE && s->hash != k->pss_hash)
            return NULL;
        if (s->key == k->type || (s->key == KEEL_PK_NONE && is_ec(k->type)))
            return s;
        /* RFC 5246 7.4.1.4.1: in TLS 1.2 the ECDSA code points name only the hash. */
        if ((flags & KEEL_SIG_TLS12) && is_ec(s->key) && is_ec(k->type))
            return s;
        return NULL;
    }
    return NULL;
}

int keel_pkey_scheme_ok_ex(const keel_pkey *k, uint16_t scheme, unsigned flags)
{
    return scheme_for(k, scheme, flags) != NULL ? 0 : GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
}

int keel_pkey_scheme_ok(const keel_pkey *k, uint16_t scheme)
{
    return keel_pkey_scheme_ok_ex(k, scheme, 0);
}

/* A digest-sign/verify context for the scheme on k. */
static int sig_start(const keel_pkey *k, const struct scheme *s, int sign, EVP_MD_CTX **out)
{
    const char *mdname = keel_ossl_md_name(s->hash);
    EVP_PKEY_CTX *pctx = NULL;
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    int ok;

    *out = NULL;
    if (mctx == NULL)
        return GNUTLS_E_MEMORY_ERROR;
    /* The digest fetched at init, not its name: by name, every call fetches it again. */
    if (sign)
        ok = EVP_DigestSignInit(mctx, &pctx, keel_ossl_md(s->hash), NULL, k->pkey) > 0;
    else
        ok = EVP_DigestVerifyInit(mctx, &pctx, keel_ossl_md(s->hash), NULL, k->pkey) > 0;
    if (ok && s->padding == PAD_PKCS1)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
    /* RFC 8446 4.2.3: the salt is as long as the digest, MGF1 uses the same digest (a key
     * with PSS parameters fixes MGF1 itself, and libcrypto refuses to have it set). */
    if (ok && s->padding == PAD_PSS)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
             && (k->pss_hash != KEEL_HASH_NONE || EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mdname, NULL) > 0)
             && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
    if (!ok) {
        EVP_MD_CTX_free(mctx);
        return sign ? GNUTLS_E_PK_SIGN_FAILED : GNUTLS_E_PK_SIG_VERIFY_FAILED;
    }
    *out = mctx;
    return 0;
}

int keel_sign_ex(const keel_pkey *priv, uint16_t scheme, unsigned flags, const uint8_t *msg,
                 size_t msg_len, uint8_t *sig, size_t *sig_len)
{
    const struct scheme *s = scheme_for(priv, scheme, flags);
    EVP_MD_CTX *mctx;
    size_t need = 0;
    int ret = 0;

    CHECK(s != NULL && !s->verify_only, GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    CHECK(priv->has_private, GNUTLS_E_INVALID_REQUEST);
    ret = sig_start(priv, s, 1, &mctx);
    if (ret < 0)
        return keel_ossl_fail(ret);
    /* The largest signature the key makes (RSA: the modulus; ECDSA: the longest DER). */
    CHECK_OUT(EVP_PKEY_get_size(priv->pkey) > 0, GNUTLS_E_PK_SIGN_FAILED);
    CHECK_OUT((size_t)EVP_PKEY_get_size(priv->pkey) <= *sig_len, GNUTLS_E_SHORT_MEMORY_BUFFER);
    need = *sig_len;
    CHECK_OUT(EVP_DigestSign(mctx, sig, &need, msg, msg_len) > 0, GNUTLS_E_PK_SIGN_FAILED);
    *sig_len = need;
out:
    EVP_MD_CTX_free(mctx);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
}

int keel_sign(const keel_pkey *priv, uint16_t scheme, const uint8_t *msg, size_t msg_len,
              uint8_t *sig, size_t *sig_len)
{
    return keel_sign_ex(priv, scheme, 0, msg, msg_len, sig, sig_len);
}

int keel_verify_ex(const keel_pkey *pub, uint16_t scheme, unsigned flags, const uint8_t *msg,
                   size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    const struct scheme *s = scheme_for(pub, scheme, flags);
    EVP_MD_CTX *mctx;
    int ret;

    CHECK(s != NULL, GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    ret = sig_start(pub, s, 0, &mctx);
    if (ret < 0)
        return keel_ossl_fail(ret);
    ret = EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1 ? 0 : GNUTLS_E_PK_SIG_VERIFY_FAILED;
    EVP_MD_CTX_free(mctx);
    return ret < 0 ? keel_ossl_fail(ret) : 0;
}

int keel_verify(const keel_pkey *pub, uint16_t scheme, const uint8_t *msg, size_t msg_len,
                const uint8_t *sig, size_t sig_len)
{
    return keel_verify_ex(pub, scheme, 0, msg, msg_len, sig, sig_len);
}

static int is_rsa_encryption_key(const keel_pkey *k)
{
    return k->type == KEEL_PK_RSA;
}

int keel_rsa_encrypt(const keel_pkey *pub, const uint8_t *in, size_t in_len,
                     uint8_t *out, size_t *out_len)
{
    EVP_PKEY_CTX *ctx;
    size_t len = *out_len;
    int ok;

    CHECK(is_rsa_encryption_key(pub), GNUTLS_E_INVALID_REQUEST);
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub->pkey, NULL);
    ok = ctx != NULL && EVP_PKEY_encrypt_init(ctx) > 0
         && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0
         && EVP_PKEY_encrypt(ctx, NULL, &len, in, in_len) > 0 && len <= *out_len
         && EVP_PKEY_encrypt(ctx, out, &len, in, in_len) > 0;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return keel_ossl_fail(GNUTLS_E_PK_ENCRYPTION_FAILED);
    *out_len = len;
    return 0;
}

int keel_rsa_decrypt_premaster(const keel_pkey *priv, const uint8_t *in, size_t in_len,
                               uint16_t client_version, uint8_t pm[48])
{
    uint8_t fallback[48], result[48];
    size_t len = sizeof result;
    unsigned int version = client_version;
    OSSL_PARAM params[2];
    EVP_PKEY_CTX *ctx;
    int ok;

    CHECK(is_rsa_encryption_key(priv) && priv->has_private, GNUTLS_E_INVALID_REQUEST);
    /* RFC 5246 7.4.7.1: the random value exists before the decryption starts. */
    TRY(keel_random(fallback + 2, sizeof fallback - 2));
    fallback[0] = (uint8_t)(client_version >> 8);
    fallback[1] = (uint8_t)client_version;

    /* libcrypto's TLS padding mode does the check in constant time and itself substitutes
     * a random premaster when the padding, the length or the version is wrong. */
    params[0] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &version);
    params[1] = OSSL_PARAM_construct_end();
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv->pkey, NULL);
    ok = ctx != NULL && EVP_PKEY_decrypt_init(ctx) > 0
         && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_WITH_TLS_PADDING) > 0
         && EVP_PKEY_CTX_set_params(ctx, params) > 0
         && EVP_PKEY_decrypt(ctx, result, &len, in, in_len) > 0 && len == sizeof result;
    EVP_PKEY_CTX_free(ctx);
    /* Only a wrong ciphertext length (public) or a broken key gets here with !ok. */
    memcpy(pm, ok ? result : fallback, 48);
    keel_wipe(result, sizeof result);
    keel_wipe(fallback, sizeof fallback);
    if (!ok)
        keel_ossl_fail(0);
    return 0;
}
