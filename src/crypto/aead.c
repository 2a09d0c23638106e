/* AEAD record protection: one EVP_CIPHER_CTX per direction, keyed once, re-nonced per record;
 * no allocation per record. */
#include <limits.h>
#include <openssl/core_names.h>
#include "crypto/internal.h"

struct keel_aead {
    EVP_CIPHER_CTX *ctx;
    keel_aead_id id;
    int encrypt;
    int keyed;
};

size_t keel_aead_key_len(keel_aead_id id)
{
    switch (id) {
    case KEEL_AEAD_AES_128_GCM: return 16;
    case KEEL_AEAD_AES_256_GCM: return 32;
    case KEEL_AEAD_CHACHA20_POLY1305: return 32;
    case KEEL_AEAD_NONE:
    default: return 0;
    }
}

int keel_aead_new(keel_aead_id id, int encrypt, keel_aead **out)
{
    keel_aead *a;

    *out = NULL;
    CHECK((unsigned)id < KEEL_AEAD_COUNT && keel_ossl.aead[id] != NULL, GNUTLS_E_INVALID_REQUEST);
    a = keel_calloc(1, sizeof *a);
    CHECK(a != NULL, GNUTLS_E_MEMORY_ERROR);
    a->id = id;
    a->encrypt = encrypt ? 1 : 0;
    a->ctx = EVP_CIPHER_CTX_new();
    /* The default IV length of all three ciphers is 12 bytes, the TLS nonce length. */
    if (a->ctx == NULL
        || !EVP_CipherInit_ex2(a->ctx, keel_ossl.aead[id], NULL, NULL, a->encrypt, NULL)
        || EVP_CIPHER_CTX_get_iv_length(a->ctx) != KEEL_AEAD_NONCE_LEN) {
        keel_aead_free(a);
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    }
    *out = a;
    return 0;
}

int keel_aead_set_key(keel_aead *a, const uint8_t *key)
{
    if (!EVP_CipherInit_ex(a->ctx, NULL, NULL, key, NULL, a->encrypt)) {
        a->keyed = 0;
        return keel_ossl_fail(GNUTLS_E_INTERNAL_ERROR);
    }
    a->keyed = 1;
    return 0;
}

/* The next record's nonce (and, when opening, its tag: tag != NULL). For AES-GCM, one
 * set_params call with the whole nonce as OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED and a length of
 * -1 (the parameter form of EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_IV_FIXED, -1, nonce): "restore
 * the whole IV"): EVP_CipherInit_ex with a nonce asks the provider for the IV length by name on
 * every call in 3.0 (~630 instructions of a ~3,000-instruction 65-byte record). ChaCha20-Poly1305
 * reads that parameter differently (it would not reset its MAC), so it is re-initialised; so is
 * GCM if a provider refuses the parameter. The OSSL_PARAMs are written in place, not returned by
 * OSSL_PARAM_construct_*: a struct returned through memory and read back at once stalls on store
 * forwarding (perf: ~8 % of a 64-byte record pair in that one function). */
static int aead_set_nonce(keel_aead *a, const uint8_t *nonce, const uint8_t *tag)
{
    OSSL_PARAM with_nonce[3] = {
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED, (void *)nonce, (size_t)-1),
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, (void *)tag, KEEL_AEAD_TAG_LEN),
        OSSL_PARAM_END
    };
    OSSL_PARAM *tag_only = with_nonce + 1;

    if (tag == NULL)
        with_nonce[1].key = NULL;       /* the array ends there */
    if (a->id != KEEL_AEAD_CHACHA20_POLY1305) {
        if (EVP_CIPHER_CTX_set_params(a->ctx, with_nonce))
            return 1;
        keel_ossl_fail(0);
    }
    if (!EVP_CipherInit_ex(a->ctx, NULL, NULL, NULL, nonce, a->encrypt))
        return 0;
    return tag == NULL || EVP_CIPHER_CTX_set_params(a->ctx, tag_only);
}

/* Nonce (and the expected tag when opening) and AAD; the caller runs the body and finishes. */
static int aead_begin(keel_aead *a, const uint8_t *nonce, const uint8_t *tag,
                      const uint8_t *aad, size_t aad_len)
{
    int n;

    if (aad_len > INT_MAX)
        return 0;
    if (!aead_set_nonce(a, nonce, tag))
        return 0;
    if (aad_len > 0 && !EVP_CipherUpdate(a->ctx, NULL, &n, aad, (int)aad_len))
        return 0;
    return 1;
}

/* len bytes from in to out (in == out: in place); adds the bytes written to *done. */
static int aead_body(keel_aead *a, const uint8_t *in, uint8_t *out, size_t len, size_t *done)
{
    int outl = 0;

    if (len == 0)
        return 1;
    if (len > INT_MAX || !EVP_CipherUpdate(a->ctx, out, &outl, in, (int)len) || outl < 0)
        return 0;
    *done += (size_t)outl;
    return 1;
}

/* The tag goes through get/set_params: cheaper than EVP_CIPHER_CTX_ctrl(AEAD_GET_TAG) in
 * 3.0.19 (0.251 against 0.276 us per 65-byte AES-128-GCM record, the tag included). */
int keel_aead_seal_from(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                        const uint8_t *aad, size_t aad_len, const uint8_t *src, size_t src_len,
                        uint8_t *buf, size_t len, uint8_t tag[KEEL_AEAD_TAG_LEN])
{
    OSSL_PARAM params[2] = {
        OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, KEEL_AEAD_TAG_LEN), OSSL_PARAM_END
    };
    uint8_t none[1];
    size_t done = 0;
    int finl;

    CHECK(a->encrypt && a->keyed, GNUTLS_E_INVALID_REQUEST);
    CHECK(src_len <= len, GNUTLS_E_INVALID_REQUEST);
    if (src == NULL)
        src = buf;
    if (!aead_begin(a, nonce, NULL, aad, aad_len)
        || !aead_body(a, src, buf, src_len, &done)
        || !aead_body(a, buf + src_len, buf + src_len, len - src_len, &done)
        || !EVP_CipherFinal_ex(a->ctx, len ? buf + done : none, &finl)
        || done + (size_t)finl != len)
        return keel_ossl_fail(GNUTLS_E_ENCRYPTION_FAILED);
    if (!EVP_CIPHER_CTX_get_params(a->ctx, params))
        return keel_ossl_fail(GNUTLS_E_ENCRYPTION_FAILED);
    return 0;
}

int keel_aead_seal(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                   const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                   uint8_t tag[KEEL_AEAD_TAG_LEN])
{
    return keel_aead_seal_from(a, nonce, aad, aad_len, NULL, 0, buf, len, tag);
}

int keel_aead_open_to(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                      const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                      const uint8_t tag[KEEL_AEAD_TAG_LEN], uint8_t *dst, size_t dst_len)
{
    uint8_t none[1];
    size_t done = 0;
    int finl;

    CHECK(!a->encrypt && a->keyed, GNUTLS_E_INVALID_REQUEST);
    CHECK(dst_len <= len && (dst != NULL || dst_len == 0), GNUTLS_E_INVALID_REQUEST);
    if (!aead_begin(a, nonce, tag, aad, aad_len)
        || !aead_body(a, buf, dst, dst_len, &done)
        || !aead_body(a, buf + dst_len, buf + dst_len, len - dst_len, &done)
        || !EVP_CipherFinal_ex(a->ctx, none, &finl)
        || done + (size_t)finl != len) {
        /* Unauthenticated plaintext never leaves. */
        keel_wipe(buf, len);
        if (dst_len)
            keel_wipe(dst, dst_len);
        return keel_ossl_fail(GNUTLS_E_DECRYPTION_FAILED);
    }
    return 0;
}

int keel_aead_open(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                   const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                   const uint8_t tag[KEEL_AEAD_TAG_LEN])
{
    return keel_aead_open_to(a, nonce, aad, aad_len, buf, len, tag, NULL, 0);
}

void keel_aead_free(keel_aead *a)
{
    if (a == NULL)
        return;
    /* EVP_CIPHER_CTX_free cleanses the key schedule. */
    EVP_CIPHER_CTX_free(a->ctx);
    keel_free(a);
}
