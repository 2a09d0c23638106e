/* TLS 1.2 renegotiation (design section 1, issue 5): the HelloRequest, the client's answer to
 * one, restarting a handshake on an established connection, and the rules that guard a
 * renegotiation (RFC 5746 secure renegotiation and its four priority modes, identity pinning,
 * the extended master secret kept). The TLS 1.2 state machines and the renegotiation_info
 * extension call these; the rules live only here. */
#ifndef KEEL_HANDSHAKE_RENEG_H
#define KEEL_HANDSHAKE_RENEG_H

#include "session.h"

/* RFC 5746 3.3: the signalling cipher suite value. */
#define KEEL_SCSV_RENEGOTIATION 0x00FF

/* Server, TLS 1.2: queues an empty HelloRequest (outside any transcript) and pushes it.
 * After GNUTLS_E_AGAIN/INTERRUPTED the next call only finishes pushing it. */
int keel_tls12_send_hello_request(gnutls_session_t s);

/* gnutls_record_recv on a TLS 1.2 client read a HelloRequest on an established connection
 * with no handshake running: GNUTLS_E_REHANDSHAKE for the application, or, with
 * GNUTLS_AUTO_REAUTH, the renegotiation itself (its result: 0 done, GNUTLS_E_AGAIN, ...). */
int keel_reneg_hello_request(gnutls_session_t s);
/* A HelloRequest received by a client: as with GnuTLS, handshake hooks do not see it. */
int keel_reneg_hello_request_unhooked(gnutls_session_t s, uint8_t type);
/* gnutls_record_recv, before reading: continues a renegotiation GNUTLS_AUTO_REAUTH started.
 * 0 when there is none or it completed; else gnutls_handshake's code. */
int keel_reneg_auto_reauth(gnutls_session_t s);

/* Client during a renegotiation: drops the HelloRequests at the head of s->hs_in (RFC 5246
 * 7.4.1.1: ignored while a handshake is being negotiated). A HelloRequest with a body is
 * GNUTLS_E_UNEXPECTED_PACKET_LENGTH. No-op in every other situation. */
int keel_reneg_skip_hello_requests(gnutls_session_t s);

/* gnutls_handshake on an established TLS 1.2 session: checks that this side may renegotiate
 * (RFC 5746 modes) and prepares the new handshake. The connection keeps its keys until each
 * direction's ChangeCipherSpec. */
int keel_reneg_begin(gnutls_session_t s);

/* ---- RFC 5746 renegotiation_info (src/ext/renegotiation_info.c calls these) ---- */
/* Whether to send renegotiation_info: the client in every ClientHello unless
 * %DISABLE_SAFE_RENEGOTIATION (and not when renegotiating a connection that lacks it); the
 * server when the client signalled support (peer_signalled: extension or SCSV). */
int keel_reneg_info_wanted(gnutls_session_t s, int peer_signalled);
/* Writes the extension body: renegotiated_connection, empty on an initial handshake, the
 * previous verify_data when renegotiating (client: client's; server: client's || server's).
 * Builder errors are left for the caller's keel_b_finish. */
int keel_reneg_info_send(gnutls_session_t s, keel_builder *b);
/* Parses and checks a received extension body (constant-time compare of verify_data):
 * GNUTLS_E_SAFE_RENEGOTIATION_FAILED on a mismatch. */
int keel_reneg_info_recv(gnutls_session_t s, keel_cur body);
/* After the peer's hello is parsed: peer_sent_ri (the extension was there), peer_sent_scsv
 * (server: the SCSV was in cipher_suites). Applies the four modes, records whether the
 * connection is safe (s->safe_renegotiation, GNUTLS_SFLAGS_SAFE_RENEGOTIATION). */
int keel_reneg_check_peer_hello(gnutls_session_t s, int peer_sent_ri, int peer_sent_scsv);
/* Whether a cipher_suites vector (ClientHello) holds the SCSV. */
int keel_reneg_suites_have_scsv(keel_cur suites);

/* ---- what may not change across a renegotiation ---- */
/* The peer's leaf certificate (DER; NULL/0 when the new handshake has none) against the one
 * of the previous handshake: GNUTLS_E_SESSION_USER_ID_CHANGED unless GNUTLS_ALLOW_ID_CHANGE. */
int keel_reneg_check_peer_cert(gnutls_session_t s, const uint8_t *der, size_t len);
/* The extended master secret may not be dropped once used: GNUTLS_E_INSUFFICIENT_SECURITY. */
int keel_reneg_check_ems(gnutls_session_t s, int ems_negotiated);

#endif
