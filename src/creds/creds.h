/* Certificate credentials (struct gnutls_certificate_credentials_st): the server's or
 * client's own key pairs, and the choice of pair and signature scheme for a handshake.
 * Built with src/x509/x509.h; no libcrypto here. Read-only while sessions use it (as in
 * GnuTLS, an application does not modify credentials during handshakes). */
#ifndef KEEL_CREDS_H
#define KEEL_CREDS_H

#include "keel.h"
#include "crypto/crypto.h"
#include "x509/x509.h"

/* One certificate chain with its private key. */
struct keel_cert_pair {
    keel_cert **chain;          /* leaf first, in the order of the loaded file */
    unsigned n_chain;           /* >= 1 */
    keel_pkey *key;             /* private key of chain[0] */
    keel_pk_type type;          /* keel_pkey_type(key) */
};

struct gnutls_certificate_credentials_st {
    /* Pairs in the order they were added; each pair is allocated on its own, so a pointer
     * to one stays valid when more are added. */
    struct keel_cert_pair **pairs;
    unsigned n_pairs;
    unsigned flags;             /* gnutls_certificate_flags (gnutls_certificate_set_flags) */
    /* Trust list, verification flags and callbacks come with issue 8. */
};

/* The first signature scheme in peer_sigschemes (the peer's preference order) that pair's key
 * can sign with under version, in *scheme; 0, or GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM when
 * none fits. Schemes Keel does not know are skipped; TLS 1.3 takes only schemes allowed in
 * CertificateVerify (no rsa_pkcs1_*, no SHA-1; RFC 8446 4.4.3), and ECDSA schemes must match
 * the key's curve (keel_pkey_scheme_ok). The caller passes the peer's list already restricted
 * to its own priorities (and, in TLS 1.2 without signature_algorithms, RFC 5246 7.4.1.4.1's
 * defaults). TLS 1.2 servers filtering pairs by their cipher suite's key exchange call this
 * per pair. */
int keel_creds_pair_scheme(const struct keel_cert_pair *pair, const uint16_t *peer_sigschemes,
                           unsigned n, gnutls_protocol_t version, uint16_t *scheme);

/* Policy: the credentials' own pair order decides (the first pair added is preferred, as in
 * GnuTLS), and for that pair the peer's most preferred scheme it can sign with
 * (keel_creds_pair_scheme). NULL when no pair fits; the caller then fails the handshake with
 * GNUTLS_E_INSUFFICIENT_CREDENTIALS (or GNUTLS_E_NO_CIPHER_SUITES). */
const struct keel_cert_pair *keel_creds_select(const gnutls_certificate_credentials_t c,
                                               const uint16_t *peer_sigschemes, unsigned n,
                                               gnutls_protocol_t version,
                                               uint16_t *chosen_scheme);

#endif
