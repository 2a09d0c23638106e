/* Keel's certificate and key-file interface: parsed X.509 certificates, the PEM/DER loaders
 * for certificate chains and private keys, and the peer-certificate key import used by the
 * handshake. libcrypto is underneath (the files of src/x509/); no OpenSSL type appears here, so
 * src/creds/ and the handshake use only this header. All functions return 0 or a negative
 * GNUTLS_E_* code. */
#ifndef KEEL_X509_H
#define KEEL_X509_H

#include "keel.h"
#include "crypto/crypto.h"

/* A parsed certificate: its DER bytes and its public key. Reference counted (atomically):
 * one object may be shared by credentials, sessions and the peer cache across threads,
 * and is immutable once made. */
typedef struct keel_cert keel_cert;

/* Parses one DER certificate; the whole of der must be the certificate. Errors:
 * GNUTLS_E_ASN1_TAG_ERROR / GNUTLS_E_ASN1_DER_ERROR for malformed DER (as GnuTLS's
 * gnutls_x509_crt_import reports them), GNUTLS_E_MEMORY_ERROR. A certificate whose key type
 * Keel cannot use (e.g. DSA) still parses; its keel_cert_pubkey() is NULL. */
int keel_cert_from_der(const uint8_t *der, size_t len, keel_cert **out);
const uint8_t *keel_cert_der(const keel_cert *c, size_t *len);
/* Borrowed (valid while c is); NULL when the key type is not one Keel supports. */
keel_pkey *keel_cert_pubkey(const keel_cert *c);
void keel_cert_ref(keel_cert *c);
/* Drops one reference; NULL is ignored. */
void keel_cert_free(keel_cert *c);

/* The DER encodings of c's issuer and subject names (borrowed, valid while c is). */
void keel_cert_names_der(const keel_cert *c, const uint8_t **issuer, size_t *issuer_len,
                         const uint8_t **subject, size_t *subject_len);

/* 0 when key is the private half of leaf's public key, else
 * GNUTLS_E_CERTIFICATE_KEY_MISMATCH (also when the leaf key type is unsupported). */
int keel_cert_key_match(const keel_cert *leaf, const keel_pkey *key);

/* The public key of the peer's leaf certificate, as a new reference (keel_pkey_unref it).
 * Parsed certificates are kept in a small bounded cache keyed by their DER bytes, shared by
 * all threads, so repeated handshakes with the same peer do not parse again. Malformed DER:
 * GNUTLS_E_ASN1_TAG_ERROR or GNUTLS_E_ASN1_DER_ERROR, as GnuTLS returns for a peer
 * certificate it cannot import; an unusable key type: GNUTLS_E_UNKNOWN_PK_ALGORITHM. */
int keel_peer_pubkey_from_der(const uint8_t *der, size_t len, keel_pkey **out);
/* Same, giving the whole certificate (a new reference; keel_cert_free it). */
int keel_peer_cert_from_der(const uint8_t *der, size_t len, keel_cert **out);
/* Empties the peer cache; gnutls_global_deinit calls this before keel_crypto_deinit. */
void keel_x509_deinit(void);
/* Test-only: number of peer-cache hits and misses since start (or the last deinit). */
void keel_test_peer_cache_stats(unsigned long *hits, unsigned long *misses);

/* Loads certificates: PEM gives every CERTIFICATE (or X509 CERTIFICATE) block in order,
 * skipping anything else; DER (as GnuTLS, any fmt other than PEM) gives exactly one. *chain is a keel_malloc'd array of n
 * references, freed with keel_cert_chain_free. Errors as GnuTLS 3.7.9's key-pair loaders
 * report them: PEM without a certificate block: GNUTLS_E_BASE64_DECODING_ERROR; a broken
 * PEM block (bad base64, no end line): GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR; malformed
 * DER: GNUTLS_E_ASN1_TAG_ERROR / GNUTLS_E_ASN1_DER_ERROR. */
int keel_load_cert_chain(const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt,
                         keel_cert ***chain, unsigned *n);
void keel_cert_chain_free(keel_cert **chain, unsigned n);

/* Loads a private key. PEM: the first key block ("RSA PRIVATE KEY" PKCS#1, "EC PRIVATE KEY"
 * SEC1, "PRIVATE KEY" PKCS#8, "ENCRYPTED PRIVATE KEY" PKCS#8 with pass, or a legacy
 * Proc-Type encrypted block with pass), other blocks skipped. DER (any fmt other than PEM):
 * PKCS#8, PKCS#1, SEC1, or encrypted PKCS#8 with pass. Key types: RSA, RSA-PSS, EC P-256/384/521, Ed25519, Ed448.
 * pass may be NULL; it never prompts. Errors as GnuTLS 3.7.9 reports them: no key block:
 * GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE; broken PEM: GNUTLS_E_BASE64_DECODING_ERROR;
 * malformed DER: GNUTLS_E_ASN1_TAG_ERROR / GNUTLS_E_ASN1_DER_ERROR; encrypted without or
 * with a wrong pass: GNUTLS_E_DECRYPTION_FAILED; unsupported type (DSA, other curves):
 * GNUTLS_E_UNKNOWN_PK_ALGORITHM. */
int keel_load_private_key(const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt,
                          const char *pass, keel_pkey **out);

/* ---- <gnutls/abstract.h> objects (src/x509/abstract.c) ---- */

/* The key inside a gnutls_privkey_t (borrowed; NULL before an import). */
keel_pkey *keel_privkey_pkey(gnutls_privkey_t key);

/* ---- trust lists and path validation (src/x509/verify.c) ---- */

/* A trust list: CA certificates and CRLs (a libcrypto X509_STORE underneath). Filled while
 * credentials are being set up; after that it is only read, and one list may serve many
 * sessions in many threads at once (each verification has its own context). */
typedef struct keel_trust keel_trust;

int keel_trust_new(keel_trust **out);
void keel_trust_free(keel_trust *t);
/* Adds every certificate of data (PEM: all CERTIFICATE blocks; DER: one) as a trust anchor;
 * returns how many were added (duplicates count, as in GnuTLS) or an error code as
 * keel_load_cert_chain reports it. */
int keel_trust_add_cas(keel_trust *t, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt);
/* Adds CRLs (PEM: every X509 CRL block; DER: one); returns how many were added. A CRL is
 * used only when its issuer is in the trust list (it is checked then). */
int keel_trust_add_crls(keel_trust *t, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt);
unsigned keel_trust_count(const keel_trust *t);
/* The DER subject names of the trust anchors, in the order they were added, for a
 * CertificateRequest's certificate_authorities: *names points at n datums inside t, valid
 * while t is. */
void keel_trust_ca_names(const keel_trust *t, const gnutls_datum_t **names, unsigned *n);

/* What the verification is asked to check besides the chain. */
typedef struct {
    const char *hostname;       /* RFC 6125 name (or IP literal) for the leaf, or NULL */
    const char *purpose_oid;    /* extended key usage every non-anchor must allow, or NULL */
    unsigned flags;             /* gnutls_certificate_verify_flags (+ profile bits) */
    time_t now;                 /* validity time (keel_time() normally) */
    const char *email;          /* RFC 822 name the leaf must carry, or NULL */
} keel_verify_req;

/* Verifies the peer's chain (DER, leaf first, the rest in any order) against t and sets
 * *status to GnuTLS's gnutls_certificate_status_t bits (0: trusted). Returns 0 when a status
 * was computed (also for untrusted chains), or GNUTLS_E_ASN1_* for a certificate that does
 * not parse, GNUTLS_E_NO_CERTIFICATE_FOUND for n == 0, GNUTLS_E_MEMORY_ERROR. t may be NULL
 * (nothing is trusted). */
int keel_verify_chain(const keel_trust *t, const gnutls_datum_t *certs, unsigned n,
                      const keel_verify_req *req, unsigned *status);

/* RFC 6125 host check of one certificate, as gnutls_x509_crt_check_hostname2: an IP literal
 * against subjectAltName IP addresses only; a name against subjectAltName DNS names (a
 * wildcard only as the whole leftmost label), and against the subject CN only when
 * subjectAltName has neither DNS names nor addresses. flags:
 * GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS, GNUTLS_VERIFY_DO_NOT_ALLOW_IP_MATCHES (an IP literal
 * is then compared as a DNS name). 1 on a match, else 0. */
int keel_cert_check_hostname(const keel_cert *c, const char *hostname, unsigned flags);

#endif
