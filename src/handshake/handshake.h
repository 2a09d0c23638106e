/* The per-handshake state (struct keel_hs) shared by the hello code, the TLS 1.3 client and
 * server, the key schedule and the extensions; plus the transcript and key-schedule helpers.
 * Allocated when a handshake starts, wiped and freed by keel_hs_free(). */
#ifndef KEEL_HANDSHAKE_H
#define KEEL_HANDSHAKE_H

#include "session.h"

struct keel_cert_pair;                  /* src/creds/creds.h */

#define KEEL_HS_MAX_LIST 64             /* groups / signature schemes / versions kept from the peer */
#define KEEL_HS_MAX_SHARES 8            /* key shares kept from a ClientHello */

/* Messages an extension may appear in (RFC 8446 4.2 table), one bit each. */
enum {
    KEEL_MSG_CH   = 1u << 0,            /* ClientHello */
    KEEL_MSG_SH   = 1u << 1,            /* TLS 1.3 ServerHello */
    KEEL_MSG_HRR  = 1u << 2,            /* HelloRetryRequest */
    KEEL_MSG_EE   = 1u << 3,            /* EncryptedExtensions */
    KEEL_MSG_CT   = 1u << 4,            /* Certificate (CertificateEntry extensions) */
    KEEL_MSG_CR   = 1u << 5,            /* CertificateRequest */
    KEEL_MSG_NST  = 1u << 6,            /* NewSessionTicket */
    KEEL_MSG_SH12 = 1u << 7,            /* TLS 1.2 ServerHello */
};

/* One state per expected event. Client and server share the enum; each side uses its own. */
typedef enum {
    KEEL_HS_START = 0,
    /* client */
    KEEL_C_RECV_SH,             /* ServerHello or HelloRetryRequest */
    KEEL_C_SEND_CH2,            /* second ClientHello after a HelloRetryRequest */
    KEEL_C_RECV_SH2,            /* ServerHello after a HelloRetryRequest */
    KEEL_C_RECV_EE,
    KEEL_C_RECV_CERT_OR_CR,
    KEEL_C_RECV_CERT,
    KEEL_C_RECV_CV,
    KEEL_C_RECV_FIN,
    KEEL_C_SEND_FLIGHT2,        /* [CCS] [Certificate] Finished */
    /* server */
    KEEL_S_RECV_CH,
    KEEL_S_SEND_HRR,
    KEEL_S_RECV_CH2,
    KEEL_S_SEND_FLIGHT,         /* ServerHello [CCS] EE Certificate CertificateVerify Finished */
    KEEL_S_RECV_FIN,
    KEEL_S_RECV_CERT,           /* issue 8: client Certificate after our CertificateRequest */
    KEEL_S_RECV_CV,             /* issue 8: client CertificateVerify */
    /* TLS 1.2 was negotiated: the hello is parsed (extensions through the table, the peer's
     * lists in struct keel_hs), checked for the downgrade sentinel (client) and left
     * unconsumed for the TLS 1.2 state machine (issue 4); until it exists the step returns
     * GNUTLS_E_UNSUPPORTED_VERSION_PACKET. */
    KEEL_HS_TLS12,
    KEEL_HS_DONE,
} keel_hs_state;

/* A key share received in a ClientHello; points into the message being parsed. */
typedef struct {
    const keel_group *group;
    const uint8_t *pub;
    size_t len;
} keel_peer_share;

/* Test-only (keel_test_*): a fixed extension list for one outgoing message, to reproduce
 * traces such as RFC 8448 byte for byte. raw == NULL: our own encoder for that type. */
typedef struct {
    uint16_t type;
    const uint8_t *raw;
    size_t raw_len;
} keel_test_ext;

struct keel_test_hs_params {
    int set_random;                     /* our ClientHello/ServerHello random */
    uint8_t random[32];
    int set_session_id;
    uint8_t session_id[32];
    size_t session_id_len;
    keel_kx_id kx_id;                   /* fixed key-share private key, if kx_priv_len */
    uint8_t kx_priv[64];
    size_t kx_priv_len;
    const keel_test_ext *ch_exts;       size_t n_ch_exts;      /* first ClientHello only */
    const keel_test_ext *ee_exts;       size_t n_ee_exts;
    unsigned corrupt;                   /* KEEL_TEST_CORRUPT_*: negative tests */
};
#define KEEL_TEST_CORRUPT_FINISHED 1u   /* flip a bit of our Finished */
#define KEEL_TEST_CORRUPT_CV       2u   /* flip a bit of our CertificateVerify signature */

struct keel_hs {
    keel_hs_state state;

    /* Transcript: the messages are buffered until the cipher suite fixes the hash, then
     * hashed incrementally. */
    keel_hash_id hash_id;
    size_t hash_len;
    keel_hash *transcript;
    keel_builder tbuf;
    /* TLS 1.2 client certificates: tbuf also keeps every message once hashing has begun,
     * because CertificateVerify signs the messages themselves (RFC 5246 7.4.8), with a hash
     * of the signer's choice or none (EdDSA). Set before the first message, never in TLS 1.3. */
    int keep_log;

    /* extensions */
    uint64_t ext_sent;                  /* client: table entries sent in the ClientHello */
    uint64_t ext_recv_ch;               /* server: table entries received in the ClientHello */

    /* offers and choices */
    uint16_t versions_sent[4];          unsigned n_versions_sent;
    uint16_t selected_version;          /* supported_versions in SH/HRR (0 if absent) */
    uint16_t peer_versions[KEEL_HS_MAX_LIST]; unsigned n_peer_versions;
    int peer_sent_versions;
    uint16_t peer_groups[KEEL_HS_MAX_LIST];   unsigned n_peer_groups;
    int peer_sent_groups;
    uint16_t peer_sigs[KEEL_HS_MAX_LIST];     unsigned n_peer_sigs;
    int peer_sent_sigs;
    uint16_t peer_sigs_cert[KEEL_HS_MAX_LIST]; unsigned n_peer_sigs_cert;
    int peer_sent_sigs_cert;
    uint16_t peer_suites[KEEL_HS_MAX_LIST];   unsigned n_peer_suites;

    /* key exchange */
    keel_kx *kx;                        /* our ephemeral key (client: the one share offered) */
    const keel_group *kx_group;
    uint8_t kx_pub[KEEL_MAX_KX_PUB_LEN];
    size_t kx_pub_len;
    keel_peer_share peer_shares[KEEL_HS_MAX_SHARES];   /* server: valid during CH parsing */
    unsigned n_peer_shares;
    int peer_sent_key_share;
    uint16_t sh_share_group;            /* client: group in SH key_share / HRR selected_group */
    uint8_t peer_pub[KEEL_MAX_KX_PUB_LEN];
    size_t peer_pub_len;
    const keel_group *hrr_group;        /* group asked for (server) / received (client) by HRR */
    const keel_suite *hrr_suite;
    int hrr;                            /* a HelloRetryRequest was sent/received */
    int ccs_sent;                       /* middlebox-compatibility CCS already sent */

    uint8_t *cookie;                    /* from the HelloRetryRequest, echoed in ClientHello 2 */
    size_t cookie_len;

    uint8_t session_id[32];             /* legacy_session_id (client: sent; server: to echo) */
    size_t session_id_len;

    /* peer authentication */
    keel_pkey *peer_key;
    int cert_requested;                 /* a CertificateRequest was received (client) / sent (server) */

    /* server authentication */
    const struct keel_cert_pair *pair;  /* our key pair: keel_creds_select, or on a client
                                         * keel_client_choose_pair (issue 8) */
    uint16_t sign_scheme;
    /* TLS 1.2 server with gnutls_certificate_set_retrieve_function2: the callback's answer,
     * asked once per handshake and then tried against each candidate suite. */
    int retrieve_asked;
    int retrieve_error;                 /* its error (GNUTLS_E_USER_ERROR, ...), or 0 */
    const struct keel_cert_pair *retrieved_pair;
    uint16_t retrieved_scheme;

    /* key schedule (RFC 8446 7.1) */
    uint8_t handshake_secret[KEEL_MAX_HASH_LEN];
    uint8_t master_secret[KEEL_MAX_HASH_LEN];
    uint8_t c_hs_secret[KEEL_MAX_HASH_LEN];
    uint8_t s_hs_secret[KEEL_MAX_HASH_LEN];

    struct keel_test_hs_params *test;   /* test hooks, NULL normally */

    /* TLS 1.2 (issue 4: src/handshake/tls12_*.c, src/ext/{extended_master_secret,
     * renegotiation_info,ec_point_formats}.c) */
    unsigned tls12_state;               /* keel_tls12_state (handshake/tls12.h) */
    uint16_t client_hello_version;      /* server: ClientHello.client_version (RSA premaster) */
    int peer_sent_ems;                  /* extended_master_secret in the peer's hello */
    int peer_sent_ri;                   /* renegotiation_info (or the SCSV) from the peer */
    int peer_sent_point_formats;        /* ec_point_formats from the peer */
    const struct gnutls_dh_params_int *dh;  /* server: explicit DHE group, if not RFC 7919 */
    /* The key block of the master secret (tls12_keys.c), derived once for both directions
     * and wiped when both are installed; tls12_key_block_dirs: bit 0 set once derived, bits
     * 1 (read) and 2 (write) once installed. */
    uint8_t tls12_key_block[2 * KEEL_MAX_AEAD_KEY_LEN + 2 * KEEL_AEAD_NONCE_LEN];
    unsigned tls12_key_block_dirs;
};

/* ---- transcript (transcript.c) ---- */
/* Starts hashing with the suite's hash, feeding what was buffered. */
int keel_transcript_start(gnutls_session_t s, keel_hash_id id);
/* Current transcript hash into out (hash_len bytes). */
int keel_transcript_hash(gnutls_session_t s, uint8_t *out);
/* RFC 8446 4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by message_hash. */
int keel_transcript_restart_hrr(gnutls_session_t s, keel_hash_id id);
/* Signs content with hs->pair under hs->sign_scheme (flags: keel_sign_ex's) and sends the
 * CertificateVerify (driver.c; KEEL_TEST_CORRUPT_CV flips a bit of the signature). */
int keel_hs_send_certificate_verify(gnutls_session_t s, const uint8_t *content, size_t len,
                                    unsigned flags);
#define KEEL_MAX_HS_LOG (4u * KEEL_MAX_HS_MSG)
/* The message log (keep_log): keel_hs_keep_log before the first message of a handshake that
 * may need it; keel_hs_log the messages so far; keel_hs_drop_log once it cannot be needed. */
int keel_hs_keep_log(gnutls_session_t s);
void keel_hs_log(gnutls_session_t s, const uint8_t **p, size_t *len);
void keel_hs_drop_log(gnutls_session_t s);
/* The per-handshake state, created on first use. */
int keel_hs_ensure(gnutls_session_t s);

/* ---- hello messages (hello.c) ---- */
/* The special ServerHello.random of a HelloRetryRequest (RFC 8446 4.1.3). */
extern const uint8_t keel_hrr_random[32];

typedef struct {
    uint16_t legacy_version;
    const uint8_t *random;              /* 32 bytes */
    keel_cur session_id;
    keel_cur suites;                    /* ClientHello: the cipher_suites vector */
    keel_cur compression;               /* ClientHello: the compression methods */
    uint16_t suite;                     /* ServerHello */
    uint8_t compression_method;         /* ServerHello */
    keel_cur exts;                      /* extensions block (empty if absent) */
    int has_exts;
} keel_hello;

/* Pure structural parsers, allocation-free (fuzzed by tests/fuzz/fuzz_hello.c). */
int keel_parse_client_hello(keel_cur body, keel_hello *h);
int keel_parse_server_hello(keel_cur body, keel_hello *h);
/* Builds and queues the ClientHello from the session's priorities and hs state. */
int keel_send_client_hello(gnutls_session_t s);
/* Builds and queues a ServerHello (or HelloRetryRequest when hrr) for TLS 1.3. */
int keel_send_server_hello13(gnutls_session_t s, int hrr);
/* TLS 1.3 downgrade sentinel (RFC 8446 4.1.3) in a ServerHello.random: 0 if absent. */
int keel_downgrade_sentinel_present(const uint8_t random[32]);

/* ---- extensions (src/ext/ext.c) ---- */
/* Appends the extensions block for message msg (KEEL_MSG_*). */
int keel_ext_write(gnutls_session_t s, unsigned msg, keel_builder *b);
/* Parses an extensions block of message msg: duplicates, placement and solicitation
 * checked, known extensions handed to their parsers. */
int keel_ext_parse(gnutls_session_t s, unsigned msg, keel_cur exts);

/* ---- TLS 1.3 key schedule (tls13_keys.c) ---- */
int keel_tls13_handshake_secrets(gnutls_session_t s, const uint8_t *dhe, size_t dhe_len);
int keel_tls13_app_secrets(gnutls_session_t s);
int keel_tls13_resumption_secret(gnutls_session_t s);
/* Installs the record protection for one direction from a traffic secret. */
int keel_tls13_install(gnutls_session_t s, int write, const uint8_t *secret);
/* verify_data = HMAC(finished_key(base_key), transcript hash) */
int keel_tls13_finished(gnutls_session_t s, const uint8_t *base_key, uint8_t *out);
/* The content a CertificateVerify signs (RFC 8446 4.4.3); *len set. */
int keel_tls13_cv_content(gnutls_session_t s, int server, uint8_t *out, size_t *len);
#define KEEL_CV_CONTENT_MAX (64 + 34 + KEEL_MAX_HASH_LEN)

/* ---- client certificates (tls13_certauth.c; issue 8) ---- */
int keel_tls13_send_certificate_request(gnutls_session_t s);
int keel_tls13_recv_client_certificate(gnutls_session_t s);
int keel_tls13_recv_certificate_verify(gnutls_session_t s, int from_server);
int keel_tls13_choose_client_pair(gnutls_session_t s, keel_cur cr_extensions);
int keel_tls13_send_client_auth(gnutls_session_t s);

/* ---- shared TLS 1.3 helpers ---- */
int keel_tls13_send_ccs(gnutls_session_t s);
int keel_tls13_send_finished(gnutls_session_t s, const uint8_t *base_key);
int keel_tls13_recv_finished(gnutls_session_t s, const uint8_t *base_key);
int keel_tls13_check_key_change(gnutls_session_t s);
const keel_suite *keel_hs_suite_offered(gnutls_session_t s, uint16_t id);
int keel_prio_has_group(gnutls_session_t s, uint16_t id);
int keel_prio_has_sig(gnutls_session_t s, uint16_t id);
const struct gnutls_priority_st *keel_hs_prio(gnutls_session_t s);

/* Test-only: fixed parameters for the next handshake of s (RFC 8448 traces). p must stay
 * valid for the handshake. Not exported from the shared library. */
int keel_test_hs_set_params(gnutls_session_t s, struct keel_test_hs_params *p);

#endif
