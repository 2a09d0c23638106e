/* RFC 5746 secure renegotiation modes (design section 1, issue 5): every pair of
 * %SAFE_RENEGOTIATION / %PARTIAL_RENEGOTIATION / %UNSAFE_RENEGOTIATION /
 * %DISABLE_SAFE_RENEGOTIATION on the client and the server, through the initial handshake and
 * a client- and a server-initiated renegotiation, with the exact error each side ends with.
 * The table was taken from GnuTLS 3.7.9 (build with -DKEEL_TEST_AGAINST_GNUTLS and run with
 * RN_PRINT=1 to print what the library does). Public API only. */
#include <gnutls/gnutls.h>
#include "harness.h"
#include "lib/memtransport.h"
#include "lib/reneg_util.h"

enum { SAFE, PARTIAL, UNSAFE, DISABLE, N_MODES };
static const char *mode_flag[N_MODES] = {
    "%SAFE_RENEGOTIATION", "%PARTIAL_RENEGOTIATION", "%UNSAFE_RENEGOTIATION",
    "%DISABLE_SAFE_RENEGOTIATION",
};

/* What happened to one pair of modes. A renegotiation outcome is "ok" (0) or the error each
 * side ended with; a side still waiting when the other gave up reports GNUTLS_E_AGAIN. */
typedef struct {
    int init_c, init_s;         /* initial handshake */
    int safe_c, safe_s;         /* GNUTLS_SFLAGS_SAFE_RENEGOTIATION after it */
    int cli_c, cli_s;           /* client-initiated renegotiation */
    int srv_c, srv_s;           /* server-initiated renegotiation */
} outcome;

/* What GnuTLS 3.7.9 does, indexed [client mode][server mode]. The side that refuses reports
 * GNUTLS_E_SAFE_RENEGOTIATION_FAILED (initial handshake with a peer that lacks RFC 5746, under
 * %SAFE_RENEGOTIATION) or GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED (renegotiation with such a
 * peer, under %SAFE_RENEGOTIATION or %PARTIAL_RENEGOTIATION). GnuTLS's gnutls_handshake
 * sends no alert, so there the other side is left waiting (GNUTLS_E_AGAIN); Keel sends the
 * error's alert at the error's level, so its peer ends with GNUTLS_E_FATAL_ALERT_RECEIVED
 * or, for a refused renegotiation, GNUTLS_E_WARNING_ALERT_RECEIVED (see peer_error()). */
static const outcome expected[N_MODES][N_MODES] = {
    [0][0] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [0][1] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [0][2] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [0][3] = { GNUTLS_E_SAFE_RENEGOTIATION_FAILED, GNUTLS_E_AGAIN, 0, 0, 0, 0, 0, 0 },
    [1][0] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [1][1] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [1][2] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [1][3] = { 0, 0, 0, 0, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, GNUTLS_E_AGAIN, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, GNUTLS_E_AGAIN },
    [2][0] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [2][1] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [2][2] = { 0, 0, 1, 1, 0, 0, 0, 0 },
    [2][3] = { 0, 0, 0, 0, 0, 0, 0, 0 },
    [3][0] = { GNUTLS_E_AGAIN, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 0, 0, 0, 0, 0, 0 },
    [3][1] = { 0, 0, 0, 0, GNUTLS_E_AGAIN, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, GNUTLS_E_AGAIN, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED },
    [3][2] = { 0, 0, 0, 0, 0, 0, 0, 0 },
    [3][3] = { 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* The outcome for the side that did not refuse (other: what the refusing side got; server:
 * the value is the server's). A client
 * that refuses to renegotiate with a server lacking RFC 5746 does so before sending
 * anything, in Keel as in GnuTLS, so the server is left waiting; every other refusal
 * happens on a received hello, and Keel's alert reaches the peer. */
static int peer_error(int gnutls_value, int other, int server)
{
#ifdef KEEL_TEST_AGAINST_GNUTLS
    (void)other;
    (void)server;
    return gnutls_value;
#else
    int level = GNUTLS_AL_FATAL;

    if (gnutls_value != GNUTLS_E_AGAIN || (server && other == GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED))
        return gnutls_value;
    /* The alert carries the level its error maps to: a refused renegotiation is told
     * with a warning no_renegotiation (RFC 5246 7.2.2), the rest are fatal. */
    (void)gnutls_error_to_alert(other, &level);
    return level == GNUTLS_AL_WARNING ? GNUTLS_E_WARNING_ALERT_RECEIVED : GNUTLS_E_FATAL_ALERT_RECEIVED;
#endif
}

static void prio_for(char *buf, size_t n, int mode)
{
    snprintf(buf, n, "%s:%s", RN_PRIO12, mode_flag[mode]);
}

static int side_result(const rn_run *run, int side)
{
    if (run->state[side] == RN_DONE)
        return 0;
    if (run->state[side] == RN_FAILED)
        return run->err[side];
    return GNUTLS_E_AGAIN;
}

static void run_pair(int cm, int sm, outcome *o)
{
    char cp[128], sp[128];
    rn_pair p;
    int cret = 0, sret = 0;

    memset(o, 0, sizeof *o);
    prio_for(cp, sizeof cp, cm);
    prio_for(sp, sizeof sp, sm);

    /* initial handshake, then a client-initiated renegotiation */
    if (rn_setup(&p, cp, sp, 0, 0, 0) < 0) {
        o->init_c = o->init_s = -1;
        rn_close(&p);
        return;
    }
    memt_handshake2(p.c, p.s, &cret, &sret);
    o->init_c = cret;
    o->init_s = sret;
    if (cret == 0 && sret == 0) {
        rn_run run = { 0 };
        o->safe_c = !!(gnutls_session_get_flags(p.c) & GNUTLS_SFLAGS_SAFE_RENEGOTIATION);
        o->safe_s = !!(gnutls_session_get_flags(p.s) & GNUTLS_SFLAGS_SAFE_RENEGOTIATION);
        /* Both ways of asking agree. */
        CHECK_INT(!!gnutls_safe_renegotiation_status(p.c), o->safe_c);
        CHECK_INT(!!gnutls_safe_renegotiation_status(p.s), o->safe_s);
        rn_client_initiated(&p, &run);
        o->cli_c = side_result(&run, MEMT_CLIENT);
        o->cli_s = side_result(&run, MEMT_SERVER);
    }
    rn_close(&p);

    /* a fresh connection, then a server-initiated renegotiation */
    if (o->init_c == 0 && o->init_s == 0) {
        rn_run run = { 0 };
        if (rn_open(&p, cp, sp, 0, 0) != 0) {
            o->srv_c = o->srv_s = -1;
        } else {
            rn_server_initiated(&p, &run);
            o->srv_c = side_result(&run, MEMT_CLIENT);
            o->srv_s = side_result(&run, MEMT_SERVER);
        }
        rn_close(&p);
    }
}

static const char *nm(int e)
{
    const char *n = gnutls_strerror_name(e);
    return e == 0 ? "0" : n ? n : "?";
}

static void modes(void)
{
    int print = getenv("RN_PRINT") != NULL;

    for (int cm = 0; cm < N_MODES; cm++) {
        for (int sm = 0; sm < N_MODES; sm++) {
            outcome o, want = expected[cm][sm];
            const outcome *e = &want;
            want.init_c = peer_error(want.init_c, want.init_s, 0);
            want.init_s = peer_error(want.init_s, want.init_c, 1);
            want.cli_c = peer_error(want.cli_c, want.cli_s, 0);
            want.cli_s = peer_error(want.cli_s, want.cli_c, 1);
            want.srv_c = peer_error(want.srv_c, want.srv_s, 0);
            want.srv_s = peer_error(want.srv_s, want.srv_c, 1);
            run_pair(cm, sm, &o);
            if (print)
                printf("    [%d][%d] = { %s, %s, %d, %d, %s, %s, %s, %s },\n", cm, sm, nm(o.init_c),
                       nm(o.init_s), o.safe_c, o.safe_s, nm(o.cli_c), nm(o.cli_s), nm(o.srv_c),
                       nm(o.srv_s));
            if (memcmp(&o, e, sizeof o) != 0) {
                fprintf(stderr, "  client %s, server %s: got init %s/%s safe %d/%d cli %s/%s "
                        "srv %s/%s; want init %s/%s safe %d/%d cli %s/%s srv %s/%s\n",
                        mode_flag[cm], mode_flag[sm], nm(o.init_c), nm(o.init_s), o.safe_c,
                        o.safe_s, nm(o.cli_c), nm(o.cli_s), nm(o.srv_c), nm(o.srv_s),
                        nm(e->init_c), nm(e->init_s), e->safe_c, e->safe_s, nm(e->cli_c),
                        nm(e->cli_s), nm(e->srv_c), nm(e->srv_s));
                CHECK(!"outcome differs");
            }
        }
    }
}

int main(void)
{
    RUN(modes);
    return t_done();
}
