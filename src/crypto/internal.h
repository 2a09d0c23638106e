/* State shared by the files of src/crypto/: the algorithm objects fetched once by
 * keel_crypto_init() and small helpers. Private to src/crypto/. */
#ifndef KEEL_CRYPTO_INTERNAL_H
#define KEEL_CRYPTO_INTERNAL_H

#include <openssl/evp.h>
#include "crypto/ossl.h"

#define KEEL_HASH_COUNT (KEEL_HASH_SHA512 + 1)
#define KEEL_AEAD_COUNT (KEEL_AEAD_CHACHA20_POLY1305 + 1)
#define KEEL_KX_COUNT (KEEL_KX_DH_CUSTOM + 1)

struct keel_ossl_state {
    EVP_MD *md[KEEL_HASH_COUNT];
    EVP_CIPHER *aead[KEEL_AEAD_COUNT];
    /* Domain parameters of each named group (NIST curves, ffdhe*) and, for X25519/X448,
     * a key whose key manager new keys are generated from. */
    EVP_PKEY *kx_tmpl[KEEL_KX_COUNT];
};

extern struct keel_ossl_state keel_ossl;

/* This thread's digest context for id, initialised and empty (NULL: no memory, or no such
 * hash). Not reentrant: the caller finishes with it and calls keel_md_release before
 * anything else borrows the same hash (thread_cache.c). */
EVP_MD_CTX *keel_md_borrow(keel_hash_id id);
/* Gives the context back, re-initialised (which also overwrites the last state). */
void keel_md_release(keel_hash_id id, EVP_MD_CTX *ctx);
/* This thread's key generation context for a named group (keel_ossl.kx_tmpl[id]), ready for
 * EVP_PKEY_keygen; NULL: no memory, or no such group. keel_keygen_drop frees it (after a
 * failed generation, so that the next one starts afresh). */
EVP_PKEY_CTX *keel_keygen_borrow(keel_kx_id id);
void keel_keygen_drop(keel_kx_id id);
/* Frees the calling thread's caches: digest and key generation contexts and spare buffers
 * (keel_crypto_deinit; other threads free theirs at exit). */
void keel_thread_cache_free(void);

/* Name of a hash for libcrypto ("SHA256", ...), NULL for none. */
const char *keel_ossl_md_name(keel_hash_id id);

/* libcrypto failed: drop its error queue (it is per thread and would otherwise grow)
 * and return code. */
int keel_ossl_fail(int code);

#endif
