/* TLS 1.3 KeyUpdate (RFC 8446 4.6.3, 5.5, 7.2): the message both ways, the answer owed to
 * update_requested, the flood limit and the automatic rekey before the AEAD limits. */
#ifndef KEEL_HANDSHAKE_KEY_UPDATE_H
#define KEEL_HANDSHAKE_KEY_UPDATE_H

#include "session.h"

/* KeyUpdateRequest values. */
enum { KEEL_KU_NOT_REQUESTED = 0, KEEL_KU_REQUESTED = 1 };

/* GnuTLS's documented flood limit: more KeyUpdates than this within one second of
 * keel_time() end the connection with GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS. */
#define KEEL_KU_MAX_PER_SECOND 8u

/* Automatic rekey: records sent under one write key before a KeyUpdate goes out first.
 * GnuTLS documents 2^24 records (GNUTLS_NO_AUTO_REKEY) whatever the cipher; for AES-GCM
 * that stays below RFC 8446 5.5's 2^24.5 full-size records by about 7 million records,
 * and ChaCha20-Poly1305's limit is far beyond it. */
#define KEEL_KU_REKEY_RECORDS ((uint64_t)1 << 24)

/* A KeyUpdate received after the TLS 1.3 handshake (called from keel_tls13_post_handshake
 * with the message still current in hs_in): switches the read keys, remembers an
 * update_requested for our next data record. */
int keel_tls13_recv_key_update(gnutls_session_t s, keel_cur body);

/* Queues our KeyUpdate(request) and switches the write keys; the message itself is
 * protected under the old keys. Not flushed. */
int keel_tls13_send_key_update(gnutls_session_t s, int request);

/* Called before each application data record is queued: sends the KeyUpdate we owe the
 * peer, or the automatic one when the write key reached its limit. No-op otherwise. */
int keel_tls13_before_app_data(gnutls_session_t s);

/* Test-only, not exported: the automatic rekey threshold of s, in records (0: default). */
void keel_test_set_rekey_threshold(gnutls_session_t s, uint64_t records);
/* Test-only, not exported: queues raw handshake bytes (headers included, as given) under
 * the current write keys as one record, and flushes. Crafts bad KeyUpdates. */
int keel_test_send_handshake(gnutls_session_t s, const uint8_t *msgs, size_t len);

#endif
