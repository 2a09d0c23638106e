/* keel_crypto_init/deinit: every libcrypto algorithm object Keel uses is fetched here, once,
 * so no call on a hot path does an implicit fetch. */
#include <pthread.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include "crypto/internal.h"

struct keel_ossl_state keel_ossl;

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int initialized;

static const char *const md_names[KEEL_HASH_COUNT] = {
    [KEEL_HASH_SHA1] = "SHA1",
    [KEEL_HASH_SHA256] = "SHA256",
    [KEEL_HASH_SHA384] = "SHA384",
    [KEEL_HASH_SHA512] = "SHA512",
};

static const char *const aead_names[KEEL_AEAD_COUNT] = {
    [KEEL_AEAD_AES_128_GCM] = "AES-128-GCM",
    [KEEL_AEAD_AES_256_GCM] = "AES-256-GCM",
    [KEEL_AEAD_CHACHA20_POLY1305] = "ChaCha20-Poly1305",
};

const char *keel_ossl_md_name(keel_hash_id id)
{
    if ((unsigned)id >= KEEL_HASH_COUNT)
        return NULL;
    return md_names[id];
}

const EVP_MD *keel_ossl_md(keel_hash_id id)
{
    if ((unsigned)id >= KEEL_HASH_COUNT)
        return NULL;
    return keel_ossl.md[id];
}

/* Parameters (a named group) for EC or DH: generated once, then used as the template
 * that every ephemeral key is generated from. */
static EVP_PKEY *group_template(const char *keytype, const char *group)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);
    OSSL_PARAM params[2];

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (ctx == NULL || EVP_PKEY_paramgen_init(ctx) <= 0 || EVP_PKEY_CTX_set_params(ctx, params) <= 0
        || EVP_PKEY_paramgen(ctx, &pkey) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

/* X25519/X448 have no parameters; a throwaway key carries the key manager. */
static EVP_PKEY *ecx_template(const char *keytype)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, keytype, NULL);

    if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &pkey) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

static void free_all(void)
{
    /* This thread's digest contexts and spare buffers (thread_cache.c); other threads free
     * theirs at exit. */
    keel_thread_cache_free();
    for (size_t i = 0; i < KEEL_HASH_COUNT; i++)
        EVP_MD_free(keel_ossl.md[i]);
    for (size_t i = 0; i < KEEL_AEAD_COUNT; i++)
        EVP_CIPHER_free(keel_ossl.aead[i]);
    for (size_t i = 0; i < KEEL_KX_COUNT; i++)
        EVP_PKEY_free(keel_ossl.kx_tmpl[i]);
    memset(&keel_ossl, 0, sizeof keel_ossl);
}

static int fetch_all(void)
{
    for (size_t i = 1; i < KEEL_HASH_COUNT; i++) {
        keel_ossl.md[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
        if (keel_ossl.md[i] == NULL)
            return -1;
    }
    for (size_t i = 1; i < KEEL_AEAD_COUNT; i++) {
        keel_ossl.aead[i] = EVP_CIPHER_fetch(NULL, aead_names[i], NULL);
        if (keel_ossl.aead[i] == NULL)
            return -1;
    }

    keel_ossl.kx_tmpl[KEEL_KX_X25519] = ecx_template("X25519");
    keel_ossl.kx_tmpl[KEEL_KX_X448] = ecx_template("X448");
    keel_ossl.kx_tmpl[KEEL_KX_SECP256R1] = group_template("EC", "P-256");
    keel_ossl.kx_tmpl[KEEL_KX_SECP384R1] = group_template("EC", "P-384");
    keel_ossl.kx_tmpl[KEEL_KX_SECP521R1] = group_template("EC", "P-521");
    keel_ossl.kx_tmpl[KEEL_KX_FFDHE2048] = group_template("DH", "ffdhe2048");
    keel_ossl.kx_tmpl[KEEL_KX_FFDHE3072] = group_template("DH", "ffdhe3072");
    keel_ossl.kx_tmpl[KEEL_KX_FFDHE4096] = group_template("DH", "ffdhe4096");
    keel_ossl.kx_tmpl[KEEL_KX_FFDHE6144] = group_template("DH", "ffdhe6144");
    keel_ossl.kx_tmpl[KEEL_KX_FFDHE8192] = group_template("DH", "ffdhe8192");
    for (size_t i = KEEL_KX_X25519; i < KEEL_KX_DH_CUSTOM; i++)
        if (keel_ossl.kx_tmpl[i] == NULL)
            return -1;
    return 0;
}

int keel_crypto_init(void)
{
    int ret = 0;

    pthread_mutex_lock(&init_lock);
    if (!initialized) {
        if (fetch_all() < 0) {
            free_all();
            ret = keel_ossl_fail(GNUTLS_E_CRYPTO_INIT_FAILED);
        } else {
            initialized = 1;
        }
    }
    pthread_mutex_unlock(&init_lock);
    return ret;
}

void keel_crypto_deinit(void)
{
    pthread_mutex_lock(&init_lock);
    if (initialized) {
        free_all();
        initialized = 0;
    }
    pthread_mutex_unlock(&init_lock);
}
