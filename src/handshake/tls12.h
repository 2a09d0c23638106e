/* TLS 1.2 (RFC 5246) internals shared by the TLS 1.2 client and server, its key schedule
 * (tls12_keys.c), its key exchanges (tls12_kx.c), the TLS 1.2 extensions and the DH
 * parameter objects of src/creds/. Never included by the public API. */
#ifndef KEEL_TLS12_H
#define KEEL_TLS12_H

#include "handshake/handshake.h"
#include "handshake/reneg.h"     /* RFC 5746 rules, the SCSV (issue 5) */

/* Extension code points of the TLS 1.2 extensions (RFC 8422 5.1.2, RFC 7627 5.1,
 * RFC 5077 3.2, RFC 5746 3.2). */
enum {
    KEEL_EXT_EC_POINT_FORMATS = 11,
    KEEL_EXT_EXTENDED_MASTER_SECRET = 23,
    KEEL_EXT_SESSION_TICKET = 35,
    KEEL_EXT_RENEGOTIATION_INFO = 0xff01,
};


/* One state per expected event (hs->tls12_state). */
typedef enum {
    KEEL_T12_START = 0,
    /* client */
    KEEL_T12_C_RECV_SH,
    KEEL_T12_C_RECV_CERT,
    KEEL_T12_C_RECV_SKE,
    KEEL_T12_C_RECV_CR_OR_SHD,
    KEEL_T12_C_RECV_SHD,
    KEEL_T12_C_SEND_FLIGHT,     /* [Certificate] ClientKeyExchange CCS Finished */
    KEEL_T12_C_RECV_CCS,
    KEEL_T12_C_RECV_FIN,
    /* server */
    KEEL_T12_S_RECV_CH,
    KEEL_T12_S_SEND_FLIGHT,     /* ServerHello [Certificate] [ServerKeyExchange]
                                 * [CertificateRequest] ServerHelloDone */
    KEEL_T12_S_RECV_CERT,       /* the client's Certificate, after a CertificateRequest */
    KEEL_T12_S_RECV_CKE,
    KEEL_T12_S_RECV_CV,         /* the client's CertificateVerify, when it sent a chain */
    KEEL_T12_S_RECV_CCS,
    KEEL_T12_S_RECV_FIN,
    KEEL_T12_S_SEND_FIN,        /* CCS Finished */
    KEEL_T12_DONE,
} keel_tls12_state;

/* Step functions: advance the TLS 1.2 handshake as far as possible; 0 when complete.
 * Entered from the version-neutral hello code with the peer's hello not yet consumed
 * (hs->state == KEEL_HS_TLS12), or directly for a handshake on an established TLS 1.2
 * connection (renegotiation, issue 5): the client then sends its ClientHello itself, the
 * server expects the ClientHello in s->hs_in. keel_tls12_step marks the handshake as
 * TLS 1.2 and runs the side's state machine. */
int keel_tls12_step(gnutls_session_t s);
int keel_tls12_client_step(gnutls_session_t s);
int keel_tls12_server_step(gnutls_session_t s);

/* Whether a key exchange authenticates the server with a certificate / sends a
 * ServerKeyExchange. */
int keel_tls12_kx_has_cert(gnutls_kx_algorithm_t kx);
int keel_tls12_kx_has_ske(gnutls_kx_algorithm_t kx);

/* ---- key schedule (tls12_keys.c) ---- */
/* master_secret from the premaster (RFC 5246 8.1; RFC 7627 4 when s->ems, using the
 * transcript hash up to and including ClientKeyExchange). */
int keel_tls12_master_secret(gnutls_session_t s, const uint8_t *pm, size_t pm_len);
/* Installs the AEAD keys of one direction from the key block (RFC 5246 6.3). */
int keel_tls12_install(gnutls_session_t s, int write);
/* verify_data (RFC 5246 7.4.9) of the client's (client = 1) or server's Finished over the
 * transcript so far. */
int keel_tls12_verify_data(gnutls_session_t s, int client, uint8_t out[12]);
/* Sends ChangeCipherSpec, installs our write keys and sends our Finished; keeps the
 * verify_data for RFC 5746. */
int keel_tls12_send_ccs_finished(gnutls_session_t s);
/* keel_hs_next for the TLS 1.2 state machines: a renegotiating client drops HelloRequests
 * (RFC 5246 7.4.1.1). */
int keel_tls12_next_message(gnutls_session_t s, uint8_t *type, keel_cur *msg, keel_cur *body);
/* Reads the peer's ChangeCipherSpec and installs its keys. */
int keel_tls12_recv_ccs(gnutls_session_t s);
/* Reads and checks the peer's Finished (constant time), keeps its verify_data. */
int keel_tls12_recv_finished(gnutls_session_t s);

/* ---- certificate messages (tls12_certauth.c) ---- */
/* Our Certificate: pair's chain, or (a client without a suitable certificate) none. */
int keel_tls12_send_certificate(gnutls_session_t s, const struct keel_cert_pair *pair);
/* The peer's Certificate (msg: whole message, body: its body): the chain replaces
 * s->peer_certs (identity pinned on renegotiation), its leaf's key goes to hs->peer_key;
 * *n the number of certificates (0: an empty list, the caller decides). */
int keel_tls12_recv_certificate(gnutls_session_t s, keel_cur msg, keel_cur body, unsigned *n);
int keel_tls12_send_certificate_request(gnutls_session_t s);
/* Reads the client's CertificateVerify, checks it over the message log, then verifies
 * the client's chain. */
int keel_tls12_recv_certificate_verify(gnutls_session_t s);
/* Client: a CertificateRequest's body; chooses hs->pair (NULL: none fits). */
int keel_tls12_recv_certificate_request(gnutls_session_t s, keel_cur body);
int keel_tls12_send_certificate_verify(gnutls_session_t s);

/* ---- key exchange messages (tls12_kx.c) ---- */
int keel_tls12_send_server_kx(gnutls_session_t s);
int keel_tls12_recv_server_kx(gnutls_session_t s, keel_cur body);
/* Builds ClientKeyExchange and derives the master secret. */
int keel_tls12_send_client_kx(gnutls_session_t s);
/* Reads ClientKeyExchange into the premaster secret pm (KEEL_MAX_KX_SECRET_LEN bytes). */
int keel_tls12_recv_client_kx(gnutls_session_t s, keel_cur body, uint8_t *pm, size_t *pm_len);

/* Test-only bits of keel_test_hs_params.corrupt for TLS 1.2 (next to handshake.h's):
 * KEEL_TEST_CORRUPT_CV flips a bit of the ServerKeyExchange signature. */
#define KEEL_TEST_T12_BAD_POINT     (1u << 8)   /* server: its ECDHE point is off the curve */
#define KEEL_TEST_T12_ANY_GROUP     (1u << 9)   /* server: ignores the client's groups */
#define KEEL_TEST_T12_PM_VERSION    (1u << 10)  /* client: RSA premaster with version 3.1 */
#define KEEL_TEST_T12_PM_PADDING    (1u << 11)  /* client: RSA ciphertext with broken padding */
#define KEEL_TEST_T12_PM_WRONG_KEY  (1u << 12)  /* client: premaster for another RSA key */
#define KEEL_TEST_T12_RI_DATA       (1u << 13)  /* client: non-empty initial renegotiation_info */
#define KEEL_TEST_T12_SENTINEL      (1u << 14)  /* server: downgrade sentinel even if 1.2-only */

/* ---- DH parameters (src/creds/dh.c) ---- */
struct gnutls_dh_params_int {
    const uint8_t *p, *g;               /* big-endian, no leading zeros */
    size_t p_len, g_len;
    const keel_group *group;            /* the RFC 7919 group these are, else NULL */
    int owned;                          /* p and g were allocated (else static RFC 7919 values) */
};
/* The static parameters of an RFC 7919 group (never freed), NULL for other groups. */
const struct gnutls_dh_params_int *keel_ffdhe_params(const keel_group *g);
/* The RFC 7919 group with exactly this p and g, or NULL. */
const keel_group *keel_ffdhe_match(const uint8_t *p, size_t p_len, const uint8_t *g, size_t g_len);
/* The RFC 7919 group GnuTLS uses for a security level (gnutls_*_set_known_dh_params). */
const struct gnutls_dh_params_int *keel_known_dh_params(gnutls_sec_param_t sec_param);
/* The DH parameters set on the credentials the server uses for kx (NULL: none). */
const struct gnutls_dh_params_int *keel_tls12_server_dh_params(gnutls_session_t s,
                                                               gnutls_kx_algorithm_t kx);

/* ---- anonymous credentials (src/creds/anon.c) ---- */
struct gnutls_anon_server_credentials_st {
    const struct gnutls_dh_params_int *dh;  /* borrowed from the application, as in GnuTLS */
};
struct gnutls_anon_client_credentials_st {
    int unused;
};

/* ---- extensions (src/ext/) ---- */
int keel_ext_ec_point_formats_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_ec_point_formats_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_ec_point_formats_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_ems_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_ems_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_ems_recv(gnutls_session_t s, unsigned msg, keel_cur body);
/* After the hello exchange: whether EMS is in use; GNUTLS_E_INSUFFICIENT_SECURITY when
 * %FORCE_SESSION_HASH and the peer did not negotiate it. */
int keel_tls12_ems_decide(gnutls_session_t s);

int keel_ext_renegotiation_info_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_renegotiation_info_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_renegotiation_info_recv(gnutls_session_t s, unsigned msg, keel_cur body);

/* In ext.c: marks an extension as received in the ClientHello (the SCSV stands for an
 * empty renegotiation_info, RFC 5746 3.6), so that the ServerHello answers it. */
void keel_ext_mark_received(gnutls_session_t s, uint16_t type);

#endif
