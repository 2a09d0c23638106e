/* An in-memory transport for tests: two byte queues joining a client and a server session
 * in one process, with fault injection.
 *
 *   memt_link *l = memt_new();
 *   memt_attach(l, client, server);          // sets both sessions' pull/push functions
 *   memt_set_again(l, MEMT_CLIENT, 1);       // GNUTLS_E_AGAIN before every other call
 *   memt_set_max_read(l, MEMT_SERVER, 1);    // the server's reads return one byte at a time
 *   int ret = memt_handshake(client, server); // both sides, alternately, until done/failed
 *   ...
 *   memt_free(l);                             // after (or before) gnutls_deinit of both
 *
 * A read from an empty queue reports EAGAIN through gnutls_transport_set_errno (so the
 * session sees GNUTLS_E_AGAIN), unless the writer closed its end (then it returns 0, EOF).
 * Tests may also put raw bytes into a side's input (memt_inject) or take what a side wrote
 * (memt_take) to play a hand-written peer. */
#ifndef KEEL_TESTS_MEMTRANSPORT_H
#define KEEL_TESTS_MEMTRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <gnutls/gnutls.h>

enum { MEMT_CLIENT = 0, MEMT_SERVER = 1 };

typedef struct memt_link memt_link;

memt_link *memt_new(void);
void memt_free(memt_link *l);

/* Wires two sessions (either may be NULL, for a side played by hand). */
void memt_attach(memt_link *l, gnutls_session_t client, gnutls_session_t server);
/* Wires one session as `side` only. */
void memt_attach_one(memt_link *l, int side, gnutls_session_t session);

/* Fault injection on one side's transport calls (pull and push counted together):
 * every == 0: off; every == 1: every other call fails with EAGAIN (fail, pass, fail, ...);
 * every == N > 1: every Nth call fails with EAGAIN. */
void memt_set_again(memt_link *l, int side, unsigned every);
/* Same, but the failing calls report EINTR (GNUTLS_E_INTERRUPTED). */
void memt_set_intr(memt_link *l, int side, unsigned every);
/* At most n bytes per pull (0: unlimited) / per push. */
void memt_set_max_read(memt_link *l, int side, size_t n);
void memt_set_max_write(memt_link *l, int side, size_t n);
/* The side's pushes fail with an error other than EAGAIN/EINTR (EPIPE) once set. */
void memt_set_broken(memt_link *l, int side, int broken);

/* `side` closes its sending end: once its output is drained, the peer's reads return 0. */
void memt_close(memt_link *l, int side);

/* Bytes waiting to be read by side. */
size_t memt_pending(const memt_link *l, int side);
/* Appends raw bytes to what side will read. */
int memt_inject(memt_link *l, int side, const void *data, size_t len);
/* Moves up to cap bytes written by side (not yet read by its peer) into buf; returns the
 * count. */
size_t memt_take(memt_link *l, int side, void *buf, size_t cap);
/* Transport calls made by side so far. */
unsigned long memt_calls(const memt_link *l, int side);

/* Drives gnutls_handshake on client and server alternately until both return 0, or one
 * fails (the other side then keeps running until it fails too or stops making progress, so
 * it can read the alert). GNUTLS_E_AGAIN and GNUTLS_E_INTERRUPTED are retried; any other
 * code stops that side, including non-fatal ones such as GNUTLS_E_GOT_APPLICATION_DATA or
 * GNUTLS_E_WARNING_ALERT_RECEIVED, which the caller has to act on. Returns 0 when both
 * completed, else the first such code (GNUTLS_E_AGAIN if the two stalled); *cret / *sret
 * (may be NULL) receive each side's last return value. */
int memt_handshake2(gnutls_session_t client, gnutls_session_t server, int *cret, int *sret);
int memt_handshake(gnutls_session_t client, gnutls_session_t server);

#endif
