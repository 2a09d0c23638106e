/* Keel's primitive interface. Everything cryptographic goes through here; only src/crypto/
 * and src/x509/ include <openssl/...> headers. Algorithm objects are fetched once in
 * keel_crypto_init(); nothing below fetches implicitly. All functions return 0 or a
 * negative GNUTLS_E_* code. Nothing here logs. */
#ifndef KEEL_CRYPTO_H
#define KEEL_CRYPTO_H

#include "keel.h"

/* Called from gnutls_global_init / gnutls_global_deinit (reference counted there). */
int keel_crypto_init(void);
void keel_crypto_deinit(void);

/* ---- per-thread spare buffers (thread_cache.c) ----
 * A buffer a session has drained is parked with its thread instead of being freed, and the
 * next session of that thread that needs one takes it: idle sessions hold no buffers, busy
 * ones allocate nothing per record. Buffers come from keel_malloc; the cache frees them at
 * thread exit or keel_crypto_deinit. Contents are not wiped here: the giver wipes what
 * may be secret. */
enum {
    KEEL_SPARE_IN, KEEL_SPARE_IN_SMALL, KEEL_SPARE_OUT, KEEL_SPARE_OUT_SMALL, KEEL_SPARE_KINDS
};
/* This thread's spare of `kind` (a KEEL_SPARE_* value) if its size is within [min, max]
 * (*cap = its size); else NULL. */
uint8_t *keel_spare_take(int kind, size_t min, size_t max, size_t *cap);
/* 1: the thread keeps buf; 0: the caller still owns it (and frees it). */
int keel_spare_give(int kind, uint8_t *buf, size_t cap);

/* ---- randomness (libcrypto's DRBG) ---- */
int keel_random(void *out, size_t n);
/* Test-only (not exported): replace the random source for deterministic tests
 * (RFC 8448 traces, fuzzing). fn == NULL restores the DRBG. */
typedef int (*keel_random_fn)(void *ctx, void *out, size_t n);
void keel_test_set_random(keel_random_fn fn, void *ctx);

/* ---- hashes ---- */
typedef enum {
    KEEL_HASH_NONE = 0,
    KEEL_HASH_SHA1,        /* only for legacy signature verification and RSA-PSS mgf params */
    KEEL_HASH_SHA256,
    KEEL_HASH_SHA384,
    KEEL_HASH_SHA512,
} keel_hash_id;

#define KEEL_MAX_HASH_LEN 64

size_t keel_hash_len(keel_hash_id id);

typedef struct keel_hash keel_hash;     /* incremental hash (transcripts) */
int keel_hash_new(keel_hash_id id, keel_hash **out);
int keel_hash_update(keel_hash *h, const void *data, size_t n);
/* Digest of everything so far; h stays usable (transcript snapshots). */
int keel_hash_peek(const keel_hash *h, uint8_t *out);
/* A copy of the running state (e.g. for a transcript fork). */
int keel_hash_clone(const keel_hash *h, keel_hash **out);
void keel_hash_free(keel_hash *h);
int keel_hash_oneshot(keel_hash_id id, const void *data, size_t n, uint8_t *out);

/* ---- HMAC, HKDF (RFC 5869), TLS 1.3 labels (RFC 8446 7.1), TLS 1.2 PRF (RFC 5246 5) ---- */
int keel_hmac(keel_hash_id id, const uint8_t *key, size_t key_len,
              const uint8_t *data, size_t data_len, uint8_t *out);
int keel_hkdf_extract(keel_hash_id id, const uint8_t *salt, size_t salt_len,
                      const uint8_t *ikm, size_t ikm_len, uint8_t *prk);
int keel_hkdf_expand(keel_hash_id id, const uint8_t *prk, size_t prk_len,
                     const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len);
/* HKDF-Expand-Label; label without the "tls13 " prefix. */
int keel_hkdf_expand_label(keel_hash_id id, const uint8_t *secret, const char *label,
                           const uint8_t *context, size_t context_len,
                           uint8_t *out, size_t out_len);
/* Derive-Secret with the transcript hash already computed (hash_len bytes). */
int keel_derive_secret(keel_hash_id id, const uint8_t *secret, const char *label,
                       const uint8_t *transcript_hash, uint8_t *out);
int keel_tls12_prf(keel_hash_id id, const uint8_t *secret, size_t secret_len,
                   const char *label, const uint8_t *seed, size_t seed_len,
                   uint8_t *out, size_t out_len);

/* ---- AEAD, in place, one reusable context per direction ---- */
typedef enum {
    KEEL_AEAD_NONE = 0,
    KEEL_AEAD_AES_128_GCM,
    KEEL_AEAD_AES_256_GCM,
    KEEL_AEAD_CHACHA20_POLY1305,
} keel_aead_id;

#define KEEL_AEAD_TAG_LEN 16
#define KEEL_AEAD_NONCE_LEN 12
#define KEEL_MAX_AEAD_KEY_LEN 32

size_t keel_aead_key_len(keel_aead_id id);

typedef struct keel_aead keel_aead;
/* encrypt: 1 to seal, 0 to open. The key may be set (and reset) with keel_aead_set_key. */
int keel_aead_new(keel_aead_id id, int encrypt, keel_aead **out);
int keel_aead_set_key(keel_aead *a, const uint8_t *key);
/* Encrypts buf[0..len) in place and writes the 16-byte tag. No allocation. */
int keel_aead_seal(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                   const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                   uint8_t tag[KEEL_AEAD_TAG_LEN]);
/* Decrypts in place; GNUTLS_E_DECRYPTION_FAILED on a bad tag (buf contents then undefined). */
int keel_aead_open(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                   const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                   const uint8_t tag[KEEL_AEAD_TAG_LEN]);
/* The same without a copy: seals src[0..src_len) into buf[0..src_len) (src outside buf, or
 * NULL for in place), then buf[src_len..len) in place (e.g. the TLS 1.3 content type). */
int keel_aead_seal_from(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                        const uint8_t *aad, size_t aad_len, const uint8_t *src, size_t src_len,
                        uint8_t *buf, size_t len, uint8_t tag[KEEL_AEAD_TAG_LEN]);
/* Opens buf[0..len): the first dst_len plaintext bytes go to dst (outside buf), the rest stay
 * in place. On a bad tag both are wiped. */
int keel_aead_open_to(keel_aead *a, const uint8_t nonce[KEEL_AEAD_NONCE_LEN],
                      const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                      const uint8_t tag[KEEL_AEAD_TAG_LEN], uint8_t *dst, size_t dst_len);
void keel_aead_free(keel_aead *a);   /* wipes key material */

/* ---- key exchange: X25519, X448, NIST ECDH, finite-field DH ---- */
typedef enum {
    KEEL_KX_NONE = 0,
    KEEL_KX_X25519,
    KEEL_KX_X448,
    KEEL_KX_SECP256R1,
    KEEL_KX_SECP384R1,
    KEEL_KX_SECP521R1,
    KEEL_KX_FFDHE2048,
    KEEL_KX_FFDHE3072,
    KEEL_KX_FFDHE4096,
    KEEL_KX_FFDHE6144,
    KEEL_KX_FFDHE8192,
    KEEL_KX_DH_CUSTOM,      /* TLS 1.2 DHE with explicit p and g */
} keel_kx_id;

#define KEEL_MAX_KX_PUB_LEN 1024    /* ffdhe8192 */
#define KEEL_MAX_KX_SECRET_LEN 1024

typedef struct keel_kx keel_kx;     /* an ephemeral private key */
/* Generates a key pair; writes the public value in TLS encoding (X25519: 32 bytes; NIST:
 * uncompressed point; DH: big-endian padded to the length of p) to pub, *pub_len = length.
 * pub holds KEEL_MAX_KX_PUB_LEN bytes. */
int keel_kx_generate(keel_kx_id id, keel_kx **out, uint8_t *pub, size_t *pub_len);
/* TLS 1.2 DHE with the server's (or the user's) explicit group. */
int keel_kx_generate_dh(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len,
                        keel_kx **out, uint8_t *pub, size_t *pub_len);
/* Shared secret with a peer's public value. The peer value is validated (on the curve,
 * right length, 1 < y < p-1, not an all-zero X25519 result): failures return
 * GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER. DH secrets are padded to the length of p
 * (TLS 1.3); TLS 1.2 callers strip leading zeros themselves. secret holds
 * KEEL_MAX_KX_SECRET_LEN bytes. A DH peer value may be shorter than p (TLS 1.2 senders may
 * strip leading zeros); TLS 1.3 callers check that peer_len is the group's public length
 * (RFC 8446 4.2.8.1). */
int keel_kx_derive(keel_kx *kx, const uint8_t *peer, size_t peer_len,
                   uint8_t *secret, size_t *secret_len);
/* Minimum bits of p accepted by keel_kx_generate_dh on the client side is the caller's
 * check; this reports the size of the group. */
size_t keel_kx_prime_bits(const keel_kx *kx);
void keel_kx_free(keel_kx *kx);
/* Test-only: a key pair from a fixed private key (RFC 8448 traces); X25519 and X448 only. */
int keel_test_kx_from_private(keel_kx_id id, const uint8_t *priv, size_t priv_len,
                              keel_kx **out, uint8_t *pub, size_t *pub_len);

/* ---- public keys and signatures ---- */
typedef enum {
    KEEL_PK_NONE = 0,
    KEEL_PK_RSA,          /* rsaEncryption: PKCS#1 v1.5 and PSS (rsae) */
    KEEL_PK_RSA_PSS,      /* id-RSASSA-PSS keys: PSS (pss) only */
    KEEL_PK_EC_P256,
    KEEL_PK_EC_P384,
    KEEL_PK_EC_P521,
    KEEL_PK_ED25519,
    KEEL_PK_ED448,
} keel_pk_type;

typedef struct keel_pkey keel_pkey;   /* reference counted; public or private */
keel_pk_type keel_pkey_type(const keel_pkey *k);
unsigned keel_pkey_bits(const keel_pkey *k);
int keel_pkey_has_private(const keel_pkey *k);
void keel_pkey_ref(keel_pkey *k);
void keel_pkey_unref(keel_pkey *k);

/* Signature schemes are TLS SignatureScheme code points (RFC 8446 4.2.3), e.g. 0x0804
 * rsa_pss_rsae_sha256, 0x0403 ecdsa_secp256r1_sha256, 0x0807 ed25519, 0x0401
 * rsa_pkcs1_sha256; ECDSA signatures are DER. Returns GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM
 * when the scheme does not fit the key. */
int keel_pkey_scheme_ok(const keel_pkey *k, uint16_t scheme);
#define KEEL_MAX_SIG_LEN 1024
int keel_sign(const keel_pkey *priv, uint16_t scheme, const uint8_t *msg, size_t msg_len,
              uint8_t *sig, size_t *sig_len /* in: capacity, out: length */);
/* GNUTLS_E_PK_SIG_VERIFY_FAILED on a bad signature. */
int keel_verify(const keel_pkey *pub, uint16_t scheme, const uint8_t *msg, size_t msg_len,
                const uint8_t *sig, size_t sig_len);
/* The same, with flags. KEEL_SIG_TLS12: the TLS 1.2 reading of the ECDSA code points
 * (RFC 5246 7.4.1.4.1: e.g. 0x0403 is ECDSA with SHA-256 on any of Keel's curves); without
 * it, TLS 1.3's (the curve is part of the scheme). */
#define KEEL_SIG_TLS12 1u
int keel_pkey_scheme_ok_ex(const keel_pkey *k, uint16_t scheme, unsigned flags);
int keel_sign_ex(const keel_pkey *priv, uint16_t scheme, unsigned flags, const uint8_t *msg,
                 size_t msg_len, uint8_t *sig, size_t *sig_len);
int keel_verify_ex(const keel_pkey *pub, uint16_t scheme, unsigned flags, const uint8_t *msg,
                   size_t msg_len, const uint8_t *sig, size_t sig_len);
/* Public keys from raw values, without libcrypto's (slow) decoders: the fast path for
 * certificate keys. EC: the uncompressed point (0x04 || X || Y) on the curve of type, rejected
 * (GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER) if not on the curve; RSA: big-endian n and e;
 * EdDSA: the raw public key (32 or 57 bytes). */
int keel_pkey_import_ec(keel_pk_type type, const uint8_t *point, size_t len, keel_pkey **out);
int keel_pkey_import_rsa(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                         keel_pkey **out);
int keel_pkey_import_eddsa(keel_pk_type type, const uint8_t *pub, size_t len, keel_pkey **out);
/* Test-only: a fresh private key (bits: RSA modulus size; ignored for the other types). */
int keel_test_pkey_generate(keel_pk_type type, unsigned bits, keel_pkey **out);

/* TLS 1.2 signatures with MD5+SHA1 are never used; RSA key exchange only below. */
int keel_rsa_encrypt(const keel_pkey *pub, const uint8_t *in, size_t in_len,
                     uint8_t *out, size_t *out_len /* in: capacity */);
/* RFC 5246 7.4.7.1: decrypts an encrypted premaster into pm[48] without revealing, by time
 * or result, whether padding or version were wrong: on any failure pm is a random value.
 * Always returns 0 unless the key is unusable. */
int keel_rsa_decrypt_premaster(const keel_pkey *priv, const uint8_t *in, size_t in_len,
                               uint16_t client_version, uint8_t pm[48]);

#endif
