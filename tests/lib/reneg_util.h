/* Helpers for the renegotiation tests (tests/session/test_reneg*.c): a connected client and
 * server over the in-memory transport, and a driver that runs one renegotiation the way an
 * application would (record_recv until GNUTLS_E_REHANDSHAKE, then gnutls_handshake), reading
 * any application data that arrives on the way.
 *
 * Public API only, so the same tests also build against the real GnuTLS:
 *   cc -DKEEL_TEST_AGAINST_GNUTLS -Itests tests/session/test_reneg.c tests/lib/memtransport.c \
 *      $(pkg-config --cflags --libs gnutls)
 * A header of static functions: a .c file in tests/lib would be linked into every test
 * program. */
#ifndef KEEL_TESTS_RENEG_UTIL_H
#define KEEL_TESTS_RENEG_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <gnutls/gnutls.h>
#include "lib/memtransport.h"


#define RN_PRIO12 "NORMAL:-VERS-ALL:+VERS-TLS1.2"
#define RN_PRIO13 "NORMAL:-VERS-ALL:+VERS-TLS1.3"

static inline const char *rn_srcdir(void)
{
    const char *d = getenv("KEEL_SRCDIR");
    return d ? d : ".";
}

static inline int rn_transient(long r)
{
    return r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED;
}

/* Bytes of application data one side received, in order. */
typedef struct {
    unsigned char buf[65536];
    size_t len;
} rn_stream;

typedef struct {
    gnutls_session_t c, s;
    memt_link *l;
    gnutls_certificate_credentials_t scred, scred2, ccred;
    gnutls_anon_server_credentials_t sanon;
    gnutls_anon_client_credentials_t canon;
    rn_stream got[2];                   /* got[MEMT_CLIENT]: what the client read */
    rn_stream sent[2];                  /* sent[MEMT_CLIENT]: what the client wrote */
} rn_pair;

static inline gnutls_session_t rn_side(rn_pair *p, int side)
{
    return side == MEMT_CLIENT ? p->c : p->s;
}

static inline int rn_load_cert(gnutls_certificate_credentials_t *cred, const char *name)
{
    char cp[512], kp[512];

    if (gnutls_certificate_allocate_credentials(cred) < 0)
        return -1;
    snprintf(cp, sizeof cp, "%s/tests/data/%s-cert.pem", rn_srcdir(), name);
    snprintf(kp, sizeof kp, "%s/tests/data/%s-key.pem", rn_srcdir(), name);
    return gnutls_certificate_set_x509_key_file(*cred, cp, kp, GNUTLS_X509_FMT_PEM) < 0 ? -1 : 0;
}

/* Creates both sessions with their priority strings and init flags, certificate credentials
 * (server: ECDSA P-256; a second, RSA, one in scred2) and, with anon set, anonymous ones too.
 * No handshake yet. */
static inline int rn_setup(rn_pair *p, const char *cprio, const char *sprio, unsigned cflags,
                           unsigned sflags, int anon)
{
    memset(p, 0, sizeof *p);
    p->l = memt_new();
    if (rn_load_cert(&p->scred, "ecdsa-p256") < 0 || rn_load_cert(&p->scred2, "rsa") < 0 ||
        gnutls_certificate_allocate_credentials(&p->ccred) < 0)
        return -1;
    if (gnutls_init(&p->c, GNUTLS_CLIENT | GNUTLS_NONBLOCK | cflags) < 0 ||
        gnutls_init(&p->s, GNUTLS_SERVER | GNUTLS_NONBLOCK | sflags) < 0)
        return -1;
    if (gnutls_priority_set_direct(p->c, cprio, NULL) < 0 ||
        gnutls_priority_set_direct(p->s, sprio, NULL) < 0)
        return -1;
    if (gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred) < 0 ||
        gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred) < 0)
        return -1;
    if (anon) {
        if (gnutls_anon_allocate_server_credentials(&p->sanon) < 0 ||
            gnutls_anon_allocate_client_credentials(&p->canon) < 0)
            return -1;
        if (gnutls_credentials_set(p->c, GNUTLS_CRD_ANON, p->canon) < 0 ||
            gnutls_credentials_set(p->s, GNUTLS_CRD_ANON, p->sanon) < 0)
            return -1;
    }
    memt_attach(p->l, p->c, p->s);
    return 0;
}

/* A connected pair after a full initial handshake. */
static inline int rn_open(rn_pair *p, const char *cprio, const char *sprio, unsigned cflags,
                          unsigned sflags)
{
    if (rn_setup(p, cprio, sprio, cflags, sflags, 0) < 0)
        return -1;
    return memt_handshake(p->c, p->s);
}

static inline void rn_close(rn_pair *p)
{
    if (p->c)
        gnutls_deinit(p->c);
    if (p->s)
        gnutls_deinit(p->s);
    memt_free(p->l);
    if (p->scred)
        gnutls_certificate_free_credentials(p->scred);
    if (p->scred2)
        gnutls_certificate_free_credentials(p->scred2);
    if (p->ccred)
        gnutls_certificate_free_credentials(p->ccred);
    if (p->sanon)
        gnutls_anon_free_server_credentials(p->sanon);
    if (p->canon)
        gnutls_anon_free_client_credentials(p->canon);
    memset(p, 0, sizeof *p);
}

/* Sends len bytes from side as one record, retrying transient failures; records them in
 * p->sent[side]. 0 or the error. */
static inline int rn_send(rn_pair *p, int side, const void *data, size_t len)
{
    rn_stream *st = &p->sent[side];
    ssize_t r;
    int tries = 0;

    do {
        r = gnutls_record_send(rn_side(p, side), data, len);
    } while (rn_transient(r) && ++tries < 1000);
    if (r < 0)
        return (int)r;
    if ((size_t)r != len)
        return -1;
    if (st->len + len <= sizeof st->buf) {
        memcpy(st->buf + st->len, data, len);
        st->len += len;
    }
    return 0;
}

/* One gnutls_record_recv on side into p->got[side]: >0 bytes read, or the return code. */
static inline long rn_recv_once(rn_pair *p, int side)
{
    rn_stream *st = &p->got[side];
    unsigned char tmp[4096];
    ssize_t r = gnutls_record_recv(rn_side(p, side), tmp, sizeof tmp);

    if (r > 0 && st->len + (size_t)r <= sizeof st->buf) {
        memcpy(st->buf + st->len, tmp, (size_t)r);
        st->len += (size_t)r;
    }
    return (long)r;
}

/* Reads on side until the transport is empty (GNUTLS_E_AGAIN, retried while injected
 * failures may be hiding data); returns GNUTLS_E_AGAIN, or the first other non-data code. */
static inline long rn_drain(rn_pair *p, int side)
{
    long r;
    int again = 0;

    for (;;) {
        r = rn_recv_once(p, side);
        if (r > 0) {
            again = 0;
            continue;
        }
        if (rn_transient(r) && ++again < 64)
            continue;
        return r;
    }
}

/* Sends `text` from one side and checks the other reads exactly everything sent so far. */
static inline int rn_exchange(rn_pair *p, int from, const char *text)
{
    int to = !from;
    long r;

    if (rn_send(p, from, text, strlen(text)) < 0)
        return -1;
    r = rn_drain(p, to);
    if (r != GNUTLS_E_AGAIN)
        return (int)r;
    if (p->got[to].len != p->sent[from].len ||
        memcmp(p->got[to].buf, p->sent[from].buf, p->sent[from].len) != 0)
        return -2;
    return 0;
}

/* Data both ways, checked. */
static inline int rn_ping(rn_pair *p, const char *tag)
{
    char msg[128];

    snprintf(msg, sizeof msg, "client says %s", tag);
    if (rn_exchange(p, MEMT_CLIENT, msg) != 0)
        return -1;
    snprintf(msg, sizeof msg, "server answers %s", tag);
    return rn_exchange(p, MEMT_SERVER, msg) != 0 ? -1 : 0;
}

/* ---- the renegotiation driver ---- */

enum { RN_WAIT = 0, RN_HS, RN_DONE, RN_FAILED };

typedef struct {
    int state[2];               /* start state per side: RN_WAIT or RN_HS */
    int interleave;             /* each side sends a record whenever its handshake waits */
    int got_app_data[2];        /* times gnutls_handshake returned GNUTLS_E_GOT_APPLICATION_DATA */
    int rehandshake_seen[2];    /* times record_recv returned GNUTLS_E_REHANDSHAKE */
    int err[2];                 /* the error a side ended with (0: completed) */
    int ok_stop_on_error;
} rn_run;

/* One step of one side. Returns 1 if it did something (not only GNUTLS_E_AGAIN). */
static inline int rn_step(rn_pair *p, rn_run *r, int side, int *sent_count)
{
    gnutls_session_t s = rn_side(p, side);
    long ret;

    switch (r->state[side]) {
    case RN_WAIT:
        ret = rn_recv_once(p, side);
        if (ret > 0)
            return 1;
        if (ret == GNUTLS_E_REHANDSHAKE) {
            r->rehandshake_seen[side]++;
            r->state[side] = RN_HS;
            return 1;
        }
        if (rn_transient(ret))
            return 0;
        r->err[side] = (int)ret;
        r->state[side] = RN_FAILED;
        return 1;
    case RN_HS:
        ret = gnutls_handshake(s);
        if (ret == 0) {
            r->state[side] = RN_DONE;
            return 1;
        }
        if (ret == GNUTLS_E_GOT_APPLICATION_DATA) {
            /* Read what arrived, then resume the handshake. */
            r->got_app_data[side]++;
            ret = rn_recv_once(p, side);
            if (ret <= 0 && !rn_transient(ret)) {
                r->err[side] = (int)ret;
                r->state[side] = RN_FAILED;
            }
            return 1;
        }
        if (rn_transient(ret)) {
            if (r->interleave && *sent_count < 16) {
                char msg[32];
                snprintf(msg, sizeof msg, "[%s data %d]", side == MEMT_CLIENT ? "client" : "server",
                         *sent_count);
                (*sent_count)++;
                if (rn_send(p, side, msg, strlen(msg)) < 0) {
                    r->err[side] = -1;
                    r->state[side] = RN_FAILED;
                }
                return 1;
            }
            return 0;
        }
        r->err[side] = (int)ret;
        r->state[side] = RN_FAILED;
        return 1;
    default:
        return 0;
    }
}

static inline int rn_finished(int st)
{
    return st == RN_DONE || st == RN_FAILED;
}

/* Runs both sides until both completed, or failed, or nothing moves any more. Returns 0 when
 * both completed the handshake; else the first error seen (r->err has each side's). */
static inline int rn_drive(rn_pair *p, rn_run *r)
{
    int idle = 0, sent[2] = { 0, 0 };
    long rounds = 4000000;

    while (rounds-- > 0 && !(rn_finished(r->state[0]) && rn_finished(r->state[1]))) {
        size_t before = memt_pending(p->l, MEMT_CLIENT) + memt_pending(p->l, MEMT_SERVER);
        int progress = rn_step(p, r, MEMT_CLIENT, &sent[0]);
        progress |= rn_step(p, r, MEMT_SERVER, &sent[1]);
        /* Bytes moving through the transport (1-byte reads) are progress too. */
        if (memt_pending(p->l, MEMT_CLIENT) + memt_pending(p->l, MEMT_SERVER) != before)
            progress = 1;
        idle = progress ? 0 : idle + 1;
        /* With injected EAGAIN, a few idle rounds are normal; many mean a stall. */
        if (idle > 200)
            break;
    }
    if (r->state[0] == RN_DONE && r->state[1] == RN_DONE)
        return 0;
    if (getenv("RN_DEBUG"))
        fprintf(stderr, "  rn_drive: client state %d err %d (%s), server state %d err %d (%s)\n",
                r->state[0], r->err[0], gnutls_strerror_name(r->err[0]), r->state[1], r->err[1],
                gnutls_strerror_name(r->err[1]));
    if (r->err[0])
        return r->err[0];
    if (r->err[1])
        return r->err[1];
    return GNUTLS_E_AGAIN;
}

/* The server asks (gnutls_rehandshake) and both sides renegotiate. */
static inline int rn_server_initiated(rn_pair *p, rn_run *r)
{
    int ret, tries = 0;

    do {
        ret = gnutls_rehandshake(p->s);
    } while (rn_transient(ret) && ++tries < 1000);
    if (ret < 0)
        return ret;
    r->state[MEMT_CLIENT] = RN_WAIT;
    r->state[MEMT_SERVER] = RN_WAIT;
    return rn_drive(p, r);
}

/* The client starts a new handshake on its own. */
static inline int rn_client_initiated(rn_pair *p, rn_run *r)
{
    r->state[MEMT_CLIENT] = RN_HS;
    r->state[MEMT_SERVER] = RN_WAIT;
    return rn_drive(p, r);
}

/* Every byte each side sent was read by the other, in order. */
static inline int rn_streams_match(rn_pair *p)
{
    for (int side = 0; side < 2; side++) {
        rn_stream *sent = &p->sent[side], *got = &p->got[!side];
        if (sent->len != got->len || memcmp(sent->buf, got->buf, sent->len) != 0)
            return 0;
    }
    return 1;
}

#ifdef KEEL_TEST_HARNESS_H
/* Like the harness's REQUIRE for a setup step that returns 0 on success, but frees the pair
 * first, so a failing case leaks nothing. */
#define RN_REQUIRE(p, expr) do { if ((expr) != 0) { \
    fprintf(stderr, "  FAIL %s: %s:%d: required %s\n", t_case_name, __FILE__, __LINE__, #expr); \
    t_case_failed = 1; rn_close(&(p)); return; } } while (0)
#endif

/* Bytes in use on the heap (glibc). */
static inline size_t rn_heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

#endif
