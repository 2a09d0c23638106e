/* Certificate credentials (struct gnutls_certificate_credentials_st): the server's or
 * client's own key pairs, and the choice of pair and signature scheme for a handshake.
 * Built with src/x509/x509.h; no libcrypto here. Read-only while sessions use it (as in
 * GnuTLS, an application does not modify credentials during handshakes). */
#ifndef KEEL_CREDS_H
#define KEEL_CREDS_H

#include "keel.h"
#include "crypto/crypto.h"
#include "x509/x509.h"
#include <gnutls/abstract.h>

/* One certificate chain with its private key. */
struct keel_cert_pair {
    keel_cert **chain;          /* leaf first, in the order of the loaded file */
    unsigned n_chain;           /* >= 1 */
    keel_pkey *key;             /* private key of chain[0] */
    keel_pk_type type;          /* keel_pkey_type(key) */
    gnutls_datum_t leaf_der;    /* chain[0]'s DER (borrowed from it): gnutls_certificate_get_ours */
};

struct gnutls_certificate_credentials_st {
    /* Pairs in the order they were added; each pair is allocated on its own, so a pointer
     * to one stays valid when more are added. */
    struct keel_cert_pair **pairs;
    unsigned n_pairs;
    unsigned flags;             /* gnutls_certificate_flags (gnutls_certificate_set_flags) */
    /* TLS 1.2 (issue 4): DHE parameters, borrowed from the application as in GnuTLS
     * (gnutls_certificate_set_dh_params, src/creds/dh.c). */
    const struct gnutls_dh_params_int *dh_params;

    /* Verification of the peer (src/x509/verify.c, src/api/verify.c). The trust list is
     * filled while the credentials are set up and only read by sessions. */
    keel_trust *trust;          /* NULL until the first trust/CRL function */
    unsigned verify_flags;      /* gnutls_certificate_set_verify_flags */
    gnutls_certificate_verify_function *verify_fn;  /* gnutls_certificate_set_verify_function */
    /* gnutls_certificate_set_retrieve_function2: chooses the pair instead of `pairs`. */
    gnutls_certificate_retrieve_function2 *retrieve_fn2;
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

/* A client's choice of pair for a CertificateRequest: the first pair (in the order added)
 * that can sign with one of peer_sigschemes (keel_creds_pair_scheme) and, when the server
 * named certificate authorities, whose chain has a certificate issued by (or being) one of
 * them. ca_list is the content of the request's certificate_authorities vector
 * (DistinguishedName authorities<3..2^16-1>, without its own length), NULL or empty when the
 * server named none. NULL when no pair fits: the client then sends an empty Certificate. */
const struct keel_cert_pair *keel_creds_select_client(const gnutls_certificate_credentials_t c,
                                                      const uint8_t *ca_list, size_t ca_len,
                                                      const uint16_t *peer_sigschemes, unsigned n,
                                                      gnutls_protocol_t version,
                                                      uint16_t *chosen_scheme);

/* A pair made of what a retrieve function returned (certificates parsed through the peer
 * cache, the key referenced); *out is freed with keel_creds_pair_free. */
int keel_creds_pair_from_pcerts(const gnutls_pcert_st *pcerts, unsigned n,
                                gnutls_privkey_t key, struct keel_cert_pair **out);
void keel_creds_pair_free(struct keel_cert_pair *pair);

/* The credentials' trust list, created on first use. */
int keel_creds_trust(gnutls_certificate_credentials_t c, keel_trust **out);

#endif
