/* The algorithm tables: cipher suites, groups, signature schemes and protocol versions,
 * each with its TLS code point, GnuTLS enum value, name and Keel primitive. One table per
 * kind; every lookup in the library goes through here. */
#ifndef KEEL_ALGS_H
#define KEEL_ALGS_H

#include "keel.h"
#include "crypto/crypto.h"

/* TLS wire versions */
#define KEEL_TLS12_WIRE 0x0303
#define KEEL_TLS13_WIRE 0x0304

typedef struct {
    uint16_t id;                        /* TLS CipherSuite code point */
    const char *name;                   /* GnuTLS name, e.g. "TLS_AES_128_GCM_SHA256" */
    gnutls_cipher_algorithm_t cipher;   /* GNUTLS_CIPHER_AES_128_GCM, ... */
    gnutls_kx_algorithm_t kx;           /* GNUTLS_KX_ECDHE_RSA, ...; GNUTLS_KX_UNKNOWN for TLS 1.3 */
    gnutls_mac_algorithm_t mac;         /* GNUTLS_MAC_AEAD */
    keel_aead_id aead;
    keel_hash_id prf;                   /* TLS 1.2 PRF hash / TLS 1.3 HKDF hash */
    gnutls_protocol_t min_version;      /* GNUTLS_TLS1_2 or GNUTLS_TLS1_3 */
    gnutls_protocol_t max_version;
} keel_suite;

typedef struct {
    uint16_t id;                        /* TLS NamedGroup */
    const char *name;                   /* GnuTLS name, e.g. "X25519", "SECP256R1", "FFDHE2048" */
    gnutls_group_t group;
    keel_kx_id kx;
    int is_ffdhe;
    unsigned bits;                      /* security-relevant size (prime bits, curve bits) */
} keel_group;

typedef struct {
    uint16_t id;                        /* TLS SignatureScheme */
    const char *name;                   /* GnuTLS name, e.g. "RSA-PSS-RSAE-SHA256", "ECDSA-SECP256R1-SHA256" */
    gnutls_sign_algorithm_t sign;
    keel_pk_type pk;                    /* key type that can produce it */
    keel_hash_id hash;
    int tls13_ok;                       /* usable in TLS 1.3 CertificateVerify */
} keel_sigscheme;

const keel_suite *keel_suite_by_id(uint16_t id);
const keel_group *keel_group_by_id(uint16_t id);
const keel_group *keel_group_by_gnutls(gnutls_group_t g);
const keel_sigscheme *keel_sigscheme_by_id(uint16_t id);
const keel_sigscheme *keel_sigscheme_by_gnutls(gnutls_sign_algorithm_t s);

/* Full tables, for iteration (terminated by an entry with id 0). */
extern const keel_suite keel_suites[];
extern const keel_group keel_groups[];
extern const keel_sigscheme keel_sigschemes[];

#endif
