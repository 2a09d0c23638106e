/* CHANGED: last_in is recorded by keel_hs_next (before the PRE hook, as GnuTLS does), not
 * by keel_hs_consume. keel_hs_read_ccs added for TLS 1.2. */
/* The session object (struct gnutls_session_int) and the interfaces between the parts that
 * share it: src/api (entry points, transport), src/record (protection, framing),
 * src/handshake (driver, per-version state machines, transcript, key schedule), src/ext.
 *
 * Layering:
 *   - Only src/record/io.c calls the transport (pull/push). Everything above consumes and
 *     produces bytes in the session's buffers, so every public call can return
 *     GNUTLS_E_AGAIN / GNUTLS_E_INTERRUPTED at any point and be resumed.
 *   - Handshake state handlers are pure with respect to I/O: a receive handler consumes one
 *     complete message; a send handler appends a message to the outgoing queue. The driver
 *     (src/handshake/driver.c) reads messages, calls handlers, flushes output.
 *   - The first fatal error sticks (s->fatal): every later call returns it. */
#ifndef KEEL_SESSION_H
#define KEEL_SESSION_H

#include "keel.h"
#include "crypto/crypto.h"
#include "priority/priority.h"
#include "wire/cursor.h"
#include "wire/builder.h"

/* ---- limits ---- */
#define KEEL_MAX_PLAINTEXT      16384u                  /* RFC 8446 5.1 / RFC 5246 6.2.1 */
#define KEEL_MAX_CIPHERTEXT13   (KEEL_MAX_PLAINTEXT + 256u)   /* RFC 8446 5.2 */
#define KEEL_MAX_CIPHERTEXT12   (KEEL_MAX_PLAINTEXT + 2048u)  /* RFC 5246 6.2.3 */
#define KEEL_RECORD_HEADER      5u
#define KEEL_MAX_HS_MSG         (256u * 1024u)          /* largest handshake message accepted */

/* TLS ContentType */
enum { KEEL_CT_CCS = 20, KEEL_CT_ALERT = 21, KEEL_CT_HANDSHAKE = 22, KEEL_CT_APPDATA = 23 };

/* TLS HandshakeType values are GnuTLS's gnutls_handshake_description_t values. */

/* ---- record protection state of one direction ---- */
typedef struct {
    keel_aead *aead;                    /* NULL: plaintext (epoch 0) */
    keel_aead_id aead_id;
    uint8_t iv[KEEL_AEAD_NONCE_LEN];    /* TLS 1.3 / ChaCha12: full static IV; GCM12: 4-byte salt */
    uint64_t seq;                       /* record sequence number */
    gnutls_protocol_t version;          /* record protection format: TLS1_2 or TLS1_3 */
    uint64_t records_since_key;         /* for the AEAD limits (RFC 8446 5.5) */
} keel_dir_state;

/* A growable byte queue with a read offset (used for incoming handshake bytes, received
 * application data awaiting the user, and protected bytes awaiting the transport). */
typedef struct {
    uint8_t *buf;
    size_t start, end, cap;
} keel_bytes;

/* ---- per-handshake state: allocated at handshake start, freed when it completes ---- */
struct keel_hs;     /* defined by src/handshake (handshake.h) */
struct keel_cert_pair;  /* defined by src/creds (creds.h) */

struct gnutls_session_int {
    unsigned init_flags;                /* gnutls_init flags */
    int is_server;
    void *user_ptr;

    /* transport (src/api/transport.c) */
    gnutls_transport_ptr_t recv_ptr, send_ptr;
    gnutls_pull_func pull;
    gnutls_push_func push;
    gnutls_vec_push_func vec_push;
    gnutls_pull_timeout_func pull_timeout;
    gnutls_errno_func errno_func;
    int transport_errno;                /* gnutls_transport_set_errno */
    int last_direction;                 /* 0 read, 1 write: gnutls_record_get_direction */

    /* configuration */
    struct gnutls_priority_st *prio;    /* referenced (see priority.c refcount) */
    gnutls_certificate_credentials_t cert_cred;
    void *anon_server_cred, *anon_client_cred, *psk_server_cred, *psk_client_cred;
    char server_name[256];
    size_t server_name_len;
    unsigned handshake_timeout_ms;
    gnutls_handshake_hook_func hook;
    unsigned hook_htype;                /* GNUTLS_HANDSHAKE_ANY or one type */
    int hook_when;                      /* GNUTLS_HOOK_PRE / POST / BOTH */

    /* record layer (src/record) */
    keel_dir_state read, write;
    keel_bytes in;                      /* raw bytes from the transport, at most ~2 records */
    keel_bytes out;                     /* protected bytes not yet accepted by the transport */
    keel_bytes appdata;                 /* decrypted application data not yet returned */
    keel_bytes hs_in;                   /* handshake bytes not yet consumed as messages */
    keel_builder hs_out;                /* plaintext handshake bytes queued for the current write epoch */
    int corked;                         /* gnutls_record_cork */
    keel_builder cork_buf;
    size_t max_record_send;             /* negotiated plaintext limit for sending */
    size_t max_record_recv;
    size_t pending_send_len;            /* record_send: bytes accepted into `out` on a previous E_AGAIN */
    size_t in_plain_lo, in_plain_hi;    /* where in.buf may hold opened plaintext: wiped before the
                                         * buffer goes back to its thread (src/record) */
    int ccs_seen_tls13;                 /* middlebox CCS records dropped so far */

    /* connection state */
    gnutls_protocol_t version;          /* negotiated (GNUTLS_VERSION_UNKNOWN before) */
    const keel_suite *suite;
    const keel_group *group;
    uint16_t sig_scheme_local, sig_scheme_peer;
    int established;                    /* initial handshake complete */
    int handshake_in_progress;          /* includes renegotiation */
    int fatal;                          /* sticky error, 0 if none */
    int read_closed;                    /* close_notify received */
    int write_closed;                   /* close_notify sent */
    gnutls_alert_description_t last_alert;
    int last_alert_level;
    gnutls_handshake_description_t last_in, last_out;
    uint8_t client_random[32], server_random[32];
    uint8_t session_id[32];
    size_t session_id_len;
    unsigned sflags;                    /* GNUTLS_SFLAGS_* */

    /* TLS 1.3 secrets kept after the handshake (for KeyUpdate and exporters) */
    uint8_t client_app_secret[KEEL_MAX_HASH_LEN];
    uint8_t server_app_secret[KEEL_MAX_HASH_LEN];
    uint8_t exporter_secret[KEEL_MAX_HASH_LEN];
    uint8_t resumption_secret[KEEL_MAX_HASH_LEN];

    /* TLS 1.2 state kept after the handshake (renegotiation, exporters) */
    uint8_t master_secret[48];
    uint8_t client_verify_data[12], server_verify_data[12];   /* RFC 5746 */
    int safe_renegotiation;             /* peer supports RFC 5746 */
    int ems;                            /* extended master secret in use */
    unsigned dh_prime_bits;             /* TLS 1.2 (issue 4): DHE prime size, for gnutls_dh_get_prime_bits */

    /* peer identity */
    gnutls_datum_t *peer_certs;         /* DER, leaf first */
    unsigned n_peer_certs;

    struct keel_hs *hs;                 /* non-NULL during a handshake */

    /* record layer / API bookkeeping (src/record, src/api/session.c) */
    size_t hs_msg_len;                  /* bytes of hs_in held by keel_hs_next until keel_hs_consume */
    size_t hs_out_start;                /* offset in hs_out of the message keel_hs_begin opened */
    int hs_msg_hooked;                  /* the PRE hook already fired for that message */
    int peer_record_seen;               /* client: a record arrived, so ClientHello records use 0x0303 */
    int alert_pending;                  /* description + 1 of an alert queued but not yet flushed */
    int hs_final_flush;                 /* the state machine finished; only the last flight is pending */
    size_t cork_off;                    /* bytes of cork_buf already sent by gnutls_record_uncork */
    int bye_sent;                       /* gnutls_bye: close_notify queued */
    uint64_t hs_start_ms;               /* monotonic start of the current handshake */

    /* KeyUpdate (src/handshake/key_update.c, src/api/key_update.c; issue 6) */
    struct {
        uint8_t send_pending;           /* our KeyUpdate is queued, keys switched, flush pending */
        uint8_t owed;                   /* peer sent update_requested: answer before our next data */
        uint8_t requested;              /* our update_requested not yet followed by a peer KeyUpdate */
        unsigned window_count;          /* KeyUpdates received in the current one-second window */
        int64_t window_start;           /* keel_time() when that window opened */
        uint64_t rekey_after;           /* records per write key before an automatic KeyUpdate; 0: 2^24 */
    } ku;

    /* Certificate verification and client certificates (src/api/verify.c; issue 8) */
    struct {
        uint8_t auto_verify;            /* gnutls_session_set_verify_cert was called */
        uint8_t status_set;             /* `status` holds the last automatic verification */
        char hostname[256];             /* its hostname ("" for none) */
        unsigned flags;                 /* its flags (added to the credentials' flags) */
        unsigned status;                /* gnutls_session_get_verify_cert_status */
        gnutls_certificate_request_t request;   /* server: gnutls_certificate_server_set_request */
        const struct keel_cert_pair *own_pair;  /* the pair we sent: gnutls_certificate_get_ours */
        struct keel_cert_pair *retrieved;       /* made from a retrieve function's answer */
    } vfy;
};

/* ================= record layer (src/record) ================= */

/* Installs new keys for one direction (0 = read, 1 = write). Pending plaintext handshake
 * bytes are protected under the old write keys first. The secret-derived key and iv are
 * copied; callers wipe theirs. */
int keel_rec_set_keys(gnutls_session_t s, int write, gnutls_protocol_t version,
                      keel_aead_id aead, const uint8_t *key, const uint8_t *iv, size_t iv_len);
/* Queues plaintext of a content type for sending (fragmented into records, protected with
 * the current write state and appended to s->out). Handshake bytes may be coalesced. */
int keel_rec_queue(gnutls_session_t s, uint8_t content_type, const uint8_t *data, size_t len);
/* Pushes s->out to the transport: 0 when empty, else GNUTLS_E_AGAIN/INTERRUPTED/errors. */
int keel_rec_flush(gnutls_session_t s);
/* Reads and unprotects one record. On success *type is the content type and the plaintext
 * is delivered to the right place: handshake bytes appended to s->hs_in, application data
 * to s->appdata, alerts and CCS processed here (warning alerts -> GNUTLS_E_WARNING_ALERT_RECEIVED
 * after recording s->last_alert; fatal -> GNUTLS_E_FATAL_ALERT_RECEIVED; close_notify ->
 * returns 0 with *type = KEEL_CT_ALERT and s->read_closed set). */
int keel_rec_read(gnutls_session_t s, uint8_t *type);
/* Sends an alert (queued + flushed). */
int keel_send_alert(gnutls_session_t s, int level, int desc);
/* Like keel_rec_read, but application data is not copied: *plain points at it inside s->in,
 * valid until the next read (record_recv copies it straight to the caller). Handshake bytes
 * still go to s->hs_in. */
int keel_rec_read_raw(gnutls_session_t s, uint8_t *type, keel_cur *plain);
/* Like keel_rec_read_raw, but application data is opened straight into dst (dst_cap bytes,
 * the caller's buffer) as far as it fits: the data is dst[0..*direct) followed by *plain
 * (the rest, inside s->in). Other content types are handled as by keel_rec_read_raw, with
 * *direct = 0. */
int keel_rec_read_into(gnutls_session_t s, uint8_t *type, keel_cur *plain, uint8_t *dst,
                       size_t dst_cap, size_t *direct);
/* Byte queues (src/record/bytes.c). */
int keel_bytes_append(keel_bytes *q, const uint8_t *p, size_t n);
int keel_bytes_reserve(keel_bytes *q, size_t n);   /* room for n more bytes at q->end */
void keel_bytes_consume(keel_bytes *q, size_t n);
void keel_bytes_free(keel_bytes *q);               /* wipes, then frees */
static inline size_t keel_bytes_len(const keel_bytes *q) { return q->end - q->start; }
/* Frees the idle buffers of a session (empty in/out/appdata/hs_in): idle sessions stay small.
 * Drained in/out buffers go back to the thread's spares (keel_spare_give). */
void keel_rec_release_idle(gnutls_session_t s);
/* At the end of a record call: drained in/out buffers larger than the small first size go
 * back to the thread's spares, so a session that paused after a bulk transfer holds none and
 * the next call of the thread takes them without allocating. */
void keel_rec_release_drained(gnutls_session_t s);
/* Drops record keys and state (deinit). */
void keel_rec_deinit(gnutls_session_t s);

/* ================= handshake message layer (src/handshake/driver.c) ================= */

/* Starts an outgoing handshake message of `type`: returns a builder positioned after the
 * 4-byte header. keel_hs_end fills the length, fires the hook (PRE/POST), records
 * last_out, adds the message to the transcript if `transcript` is set, and queues it. */
keel_builder *keel_hs_begin(gnutls_session_t s, uint8_t type);
int keel_hs_end(gnutls_session_t s, int transcript);

/* The next complete incoming handshake message, reading records as needed. *msg covers the
 * whole message including its 4-byte header (for the transcript); *body the body only.
 * The message stays valid until keel_hs_consume(). Fires the PRE hook. */
int keel_hs_next(gnutls_session_t s, uint8_t *type, keel_cur *msg, keel_cur *body);
/* Marks the current message consumed and fires the POST hook (last_in is set by
 * keel_hs_next, before the PRE hook, as in GnuTLS). */
void keel_hs_consume(gnutls_session_t s);
/* TLS 1.2: reads the peer's ChangeCipherSpec (0 when it arrived; no handshake bytes may be
 * pending). Application data first -> GNUTLS_E_GOT_APPLICATION_DATA when renegotiating. */
int keel_hs_read_ccs(gnutls_session_t s);

/* ================= peer verification (src/api/verify.c; issue 8) ================= */

/* Called by the handshake once the peer's Certificate (and its CertificateVerify) has been
 * accepted, or a requesting server got an empty Certificate: runs gnutls_session_set_verify_cert's
 * check, or else the credentials' verify function. 0, or GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR
 * (status kept for gnutls_session_get_verify_cert_status), or GNUTLS_E_CERTIFICATE_ERROR (no
 * certificate under gnutls_session_set_verify_cert; the application's function refused), or
 * the function's own code below -1. */
int keel_verify_peer_in_handshake(gnutls_session_t s);
/* A client's pair for a CertificateRequest: from gnutls_certificate_set_retrieve_function2's
 * callback when set (given the CAs the server named and the key types of its schemes), else
 * keel_creds_select_client. *pair NULL: send an empty Certificate. ca_list: the content of
 * the request's certificate_authorities (TLS 1.3) or certificate_authorities (TLS 1.2), NULL
 * when absent. Errors: GNUTLS_E_USER_ERROR when the callback fails, GNUTLS_E_MEMORY_ERROR. */
int keel_client_choose_pair(gnutls_session_t s, const uint8_t *ca_list, size_t ca_len,
                            const uint16_t *peer_sigschemes, unsigned n,
                            gnutls_protocol_t version, const struct keel_cert_pair **pair,
                            uint16_t *scheme);
/* A server's pair: from the retrieve function when set (no CA names; the key types of the
 * client's schemes), else keel_creds_select. *pair NULL: no pair fits. Errors as above. */
int keel_server_choose_pair(gnutls_session_t s, const uint16_t *peer_sigschemes, unsigned n,
                            gnutls_protocol_t version, const struct keel_cert_pair **pair,
                            uint16_t *scheme);
/* The CAs a server names in its CertificateRequest (the subjects of its trust anchors, as
 * GnuTLS): keel_ca_names_len is the length of the vector's content, 0 when there are none
 * (or too many to send); keel_write_ca_names writes the 2-byte-prefixed vector
 * (certificate_authorities of TLS 1.2, or the body of TLS 1.3's extension when len > 0). */
size_t keel_ca_names_len(gnutls_session_t s);
void keel_write_ca_names(gnutls_session_t s, keel_builder *b);
/* Replaces the peer's chain (s->peer_certs) with the n certificates of a Certificate
 * message's certificate_list (n may be 0: the chain is dropped). tls13: each entry carries
 * extensions (RFC 8446 4.4.2), which the caller has already checked. The leaf's public key
 * goes to *peer_key. GNUTLS_E_UNEXPECTED_PACKET_LENGTH, GNUTLS_E_MEMORY_ERROR, or the
 * certificate parser's error. */
int keel_set_peer_chain(gnutls_session_t s, keel_cur list, unsigned n, int tls13,
                        keel_pkey **peer_key);
/* Frees what verification and certificate selection keep in the session (gnutls_deinit). */
void keel_verify_session_free(gnutls_session_t s);

/* Maps an error to its alert and sends it once (first error sticks). Returns err. */
int keel_fail(gnutls_session_t s, int err);

/* Appends a whole message (header included) to the running transcript (src/handshake/transcript.c). */
int keel_hs_transcript_add(gnutls_session_t s, const uint8_t *msg, size_t len);

/* SSLKEYLOGFILE (src/handshake/keylog.c): writes "LABEL <client_random hex> <secret hex>" when
 * the environment names a file; no-op otherwise. */
void keel_keylog(gnutls_session_t s, const char *label, const uint8_t *secret, size_t len);

/* Monotonic milliseconds (handshake timeouts). */
uint64_t keel_now_ms(void);

/* ================= per-version handshake (src/handshake) ================= */

/* Advance the handshake as far as possible; 0 when complete. Implemented per version and
 * side; called by gnutls_handshake() in a loop with flushing done by the driver. */
int keel_tls13_client_step(gnutls_session_t s);
int keel_tls13_server_step(gnutls_session_t s);
/* Post-handshake handshake message received by record_recv under TLS 1.3
 * (NewSessionTicket, KeyUpdate, ...). */
int keel_tls13_post_handshake(gnutls_session_t s, uint8_t type, keel_cur *msg, keel_cur *body);
/* Frees everything in s->hs (wiping secrets). */
void keel_hs_free(gnutls_session_t s);

#endif
