/* TLS 1.2 renegotiation through the public API (design section 1, issue 5): a client and a
 * server in one process over the in-memory transport, renegotiating the way applications do.
 * One case per row of the design table and per bullet of issue 5. Public API only: the same
 * file builds against the real GnuTLS 3.7.9 with -DKEEL_TEST_AGAINST_GNUTLS, which is how the
 * expectations were established; the few places where GnuTLS is known to be wrong are marked. */
#include <gnutls/gnutls.h>
#include "harness.h"
#include "lib/memtransport.h"
#include "lib/reneg_util.h"

static int client_random_differs(gnutls_session_t s, const unsigned char *old)
{
    gnutls_datum_t cr, sr;

    gnutls_session_get_random(s, &cr, &sr);
    return cr.size == 32 && memcmp(cr.data, old, 32) != 0;
}

static void save_client_random(gnutls_session_t s, unsigned char *out)
{
    gnutls_datum_t cr, sr;

    gnutls_session_get_random(s, &cr, &sr);
    memset(out, 0, 32);
    if (cr.size == 32)
        memcpy(out, cr.data, 32);
}

/* HelloRequest hooks: GnuTLS calls the server's hook before and after sending it (empty
 * body) and never calls the client's for one received. */
static int hr_hook_calls[2][2];         /* [incoming][when] */

static int hr_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                   const gnutls_datum_t *msg)
{
    if (htype == GNUTLS_HANDSHAKE_HELLO_REQUEST && when <= 1 && incoming <= 1 && msg->size == 0)
        hr_hook_calls[incoming][when]++;
    return 0;
}

/* Row "server, TLS 1.2" and "client receiving HelloRequest": data the server sent before the
 * HelloRequest is read first (even in pieces), then GNUTLS_E_REHANDSHAKE; the client's
 * ClientHello makes the server's record_recv return GNUTLS_E_REHANDSHAKE; both handshakes
 * complete inside the encrypted connection and data flows on. */
static void server_initiated(void)
{
    rn_pair p;
    unsigned char old[32], buf[8];
    const char *early = "0123456789abcdef";
    ssize_t r;
    int c = 1, s = 1, rounds;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(gnutls_protocol_get_version(p.c), GNUTLS_TLS1_2);
    CHECK_INT(rn_ping(&p, "before"), 0);
    save_client_random(p.c, old);

    RN_REQUIRE(p, gnutls_record_send(p.s, early, strlen(early)) != (ssize_t)strlen(early));
    memset(hr_hook_calls, 0, sizeof hr_hook_calls);
    gnutls_handshake_set_hook_function(p.s, GNUTLS_HANDSHAKE_HELLO_REQUEST, GNUTLS_HOOK_BOTH, hr_hook);
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_HELLO_REQUEST, GNUTLS_HOOK_BOTH, hr_hook);
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    CHECK_INT(hr_hook_calls[0][GNUTLS_HOOK_PRE], 1);
    CHECK_INT(hr_hook_calls[0][GNUTLS_HOOK_POST], 1);
    CHECK_INT(gnutls_handshake_get_last_out(p.s), GNUTLS_HANDSHAKE_HELLO_REQUEST);

    /* The buffered data first, a piece at a time. */
    r = gnutls_record_recv(p.c, buf, 8);
    CHECK_INT(r, 8);
    CHECK_MEM(buf, early, 8);
    r = gnutls_record_recv(p.c, buf, 8);
    CHECK_INT(r, 8);
    CHECK_MEM(buf, early + 8, 8);
    CHECK_INT(gnutls_record_recv(p.c, buf, 8), GNUTLS_E_REHANDSHAKE);
    CHECK_INT(hr_hook_calls[1][GNUTLS_HOOK_PRE] + hr_hook_calls[1][GNUTLS_HOOK_POST], 0);
    CHECK_INT((int)gnutls_handshake_get_last_in(p.c), -1);
    /* Not repeated: the request was consumed. */
    CHECK_INT(gnutls_record_recv(p.c, buf, 8), GNUTLS_E_AGAIN);

    /* Until the client answers, the server just sees no data. */
    CHECK_INT(gnutls_record_recv(p.s, buf, 8), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);          /* ClientHello sent */
    CHECK_INT(gnutls_record_recv(p.s, buf, 8), GNUTLS_E_REHANDSHAKE);

    for (rounds = 0; rounds < 100 && (c != 0 || s != 0); rounds++) {
        if (s != 0)
            s = gnutls_handshake(p.s);
        if (c != 0)
            c = gnutls_handshake(p.c);
        if ((c < 0 && !rn_transient(c)) || (s < 0 && !rn_transient(s)))
            break;
    }
    CHECK_INT(c, 0);
    CHECK_INT(s, 0);
    CHECK(client_random_differs(p.c, old));
    CHECK_INT(gnutls_protocol_get_version(p.c), GNUTLS_TLS1_2);
    CHECK_INT(rn_ping(&p, "after"), 0);
    rn_close(&p);
}

/* Row "client-initiated renegotiation". */
static void client_initiated(void)
{
    rn_pair p;
    rn_run run = { 0 };
    unsigned char old[32], buf[8];

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(rn_ping(&p, "before"), 0);
    save_client_random(p.c, old);

    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);          /* ClientHello sent */
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    run.state[MEMT_CLIENT] = RN_HS;
    run.state[MEMT_SERVER] = RN_HS;
    CHECK_INT(rn_drive(&p, &run), 0);
    CHECK(client_random_differs(p.c, old));
    CHECK_INT(rn_ping(&p, "after"), 0);
    rn_close(&p);
}

/* 100 renegotiations on one connection, data checked after each, heap flat. */
static void hundred(int server_side)
{
    rn_pair p;
    size_t base = 0, now;
    char tag[32];

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    for (int i = 0; i < 100; i++) {
        rn_run run = { 0 };
        int ret = server_side ? rn_server_initiated(&p, &run) : rn_client_initiated(&p, &run);
        if (ret != 0) {
            fprintf(stderr, "  renegotiation %d: %d (%s)\n", i, ret, gnutls_strerror_name(ret));
            CHECK_INT(ret, 0);
            break;
        }
        snprintf(tag, sizeof tag, "after %d", i);
        if (rn_ping(&p, tag) != 0) {
            CHECK(!"data after renegotiation");
            break;
        }
        if (i == 9)
            base = rn_heap_in_use();
    }
    now = rn_heap_in_use();
    /* 90 more renegotiations may not keep anything: allow allocator noise only. */
    if (now > base + 16384)
        fprintf(stderr, "  heap grew from %zu to %zu bytes\n", base, now);
    CHECK(now <= base + 16384);
    CHECK(rn_streams_match(&p));
    rn_close(&p);
}

static void hundred_server_initiated(void) { hundred(1); }
static void hundred_client_initiated(void) { hundred(0); }

/* The client refuses with a warning no_renegotiation; the server's record_recv reports it and
 * the connection stays usable both ways. */
static void refuse(int appropriate)
{
    rn_pair p;
    unsigned char buf[8];
    int ret;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    if (appropriate)
        ret = gnutls_alert_send_appropriate(p.c, GNUTLS_E_REHANDSHAKE);
    else
        ret = gnutls_alert_send(p.c, GNUTLS_AL_WARNING, GNUTLS_A_NO_RENEGOTIATION);
    CHECK_INT(ret, 0);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_WARNING_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_NO_RENEGOTIATION);
    CHECK_INT(gnutls_error_is_fatal(GNUTLS_E_WARNING_ALERT_RECEIVED), 0);
    CHECK_INT(rn_ping(&p, "after refusal"), 0);
    /* The server may ask again, and this time the client agrees. */
    {
        rn_run run = { 0 };
        CHECK_INT(rn_server_initiated(&p, &run), 0);
        CHECK_INT(run.rehandshake_seen[MEMT_CLIENT], 1);
    }
    CHECK_INT(rn_ping(&p, "after renegotiation"), 0);
    rn_close(&p);
}

static void refuse_alert_send(void) { refuse(0); }
static void refuse_alert_send_appropriate(void) { refuse(1); }

/* A client may ignore the request; data keeps flowing both ways. */
static void client_ignores(void)
{
    rn_pair p;
    unsigned char buf[8];
    char tag[32];

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    for (int i = 0; i < 10; i++) {
        snprintf(tag, sizeof tag, "ignored %d", i);
        if (rn_ping(&p, tag) != 0) {
            CHECK(!"data after an ignored HelloRequest");
            break;
        }
    }
    rn_close(&p);
}

/* Application data between every flight of the renegotiation, from both sides: never lost;
 * gnutls_handshake reports it with GNUTLS_E_GOT_APPLICATION_DATA and then resumes. */
static void interleaved(int server_side)
{
    rn_pair p;
    rn_run run = { 0 };

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(rn_ping(&p, "before"), 0);
    run.interleave = 1;
#ifdef KEEL_TEST_AGAINST_GNUTLS
    /* GnuTLS 3.7.9 accepts application data during a renegotiation only while it waits for
     * a ClientHello or ServerHello; anywhere else the handshake fails with
     * GNUTLS_E_UNEXPECTED_PACKET and the data is lost. Keel takes it at every point. */
    {
        int ret = server_side ? rn_server_initiated(&p, &run) : rn_client_initiated(&p, &run);
        fprintf(stderr, "  note: GnuTLS: %d (%s)\n", ret, gnutls_strerror_name(ret));
        rn_close(&p);
        return;
    }
#endif
    CHECK_INT(server_side ? rn_server_initiated(&p, &run) : rn_client_initiated(&p, &run), 0);
    /* Whatever is still in flight arrives now. */
    CHECK_INT(rn_drain(&p, MEMT_CLIENT), GNUTLS_E_AGAIN);
    CHECK_INT(rn_drain(&p, MEMT_SERVER), GNUTLS_E_AGAIN);
    CHECK(run.got_app_data[MEMT_CLIENT] + run.got_app_data[MEMT_SERVER] > 0);
    CHECK(rn_streams_match(&p));
    CHECK_INT(rn_ping(&p, "after"), 0);
#ifndef KEEL_TEST_AGAINST_GNUTLS
    /* GnuTLS 3.7.9 calls it fatal, which makes the usual retry loop give up (doc/COMPAT.md). */
    CHECK_INT(gnutls_error_is_fatal(GNUTLS_E_GOT_APPLICATION_DATA), 0);
#endif
    rn_close(&p);
}

static void interleaved_server_initiated(void) { interleaved(1); }
static void interleaved_client_initiated(void) { interleaved(0); }

/* gnutls-serv --echo answers a request with data right after its HelloRequest. The client
 * meets that data inside its gnutls_handshake: GNUTLS_E_GOT_APPLICATION_DATA, the data is
 * read, the handshake resumes. */
static void data_right_after_hello_request(void)
{
    rn_pair p;
    unsigned char buf[64];
    int c = GNUTLS_E_AGAIN, s = 1, got = 0, rounds;
    ssize_t r;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    RN_REQUIRE(p, gnutls_record_send(p.s, "echo", 4) != 4);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    for (rounds = 0; rounds < 200 && (c != 0 || s != 0); rounds++) {
        if (c != 0) {
            c = gnutls_handshake(p.c);
            if (c == GNUTLS_E_GOT_APPLICATION_DATA) {
                r = gnutls_record_recv(p.c, buf, sizeof buf);
                CHECK_INT(r, 4);
                if (r == 4) {
                    CHECK_MEM(buf, "echo", 4);
                    got++;
                }
                c = GNUTLS_E_AGAIN;
            }
        }
        if (s == 1) {
            r = gnutls_record_recv(p.s, buf, sizeof buf);
            if (r == GNUTLS_E_REHANDSHAKE)
                s = GNUTLS_E_AGAIN;
            else if (!rn_transient(r))
                s = (int)r;
        } else if (s != 0) {
            s = gnutls_handshake(p.s);
        }
        if ((c < 0 && !rn_transient(c)) || (s < 0 && !rn_transient(s)))
            break;
    }
#ifdef KEEL_TEST_AGAINST_GNUTLS
    /* GnuTLS 3.7.9 loses this one (issue 5): report, do not fail. */
    if (c != 0 || s != 0 || got != 1)
        fprintf(stderr, "  note: GnuTLS: client %d (%s), server %d, data seen %d\n", c,
                gnutls_strerror_name(c), s, got);
#else
    CHECK_INT(c, 0);
    CHECK_INT(s, 0);
    CHECK_INT(got, 1);
    CHECK_INT(rn_ping(&p, "after"), 0);
#endif
    rn_close(&p);
}

/* GNUTLS_E_AGAIN before every transport call, on both sides, during the renegotiation. */
static void again_everywhere(int server_side)
{
    rn_pair p;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(rn_ping(&p, "before"), 0);
    memt_set_again(p.l, MEMT_CLIENT, 1);
    memt_set_again(p.l, MEMT_SERVER, 1);
    for (int i = 0; i < 3; i++) {
        rn_run run = { 0 };
        CHECK_INT(server_side ? rn_server_initiated(&p, &run) : rn_client_initiated(&p, &run), 0);
        CHECK_INT(rn_ping(&p, "after"), 0);
    }
    /* And with one-byte reads. */
    memt_set_max_read(p.l, MEMT_CLIENT, 1);
    memt_set_max_read(p.l, MEMT_SERVER, 1);
    {
        rn_run run = { 0 };
        CHECK_INT(server_side ? rn_server_initiated(&p, &run) : rn_client_initiated(&p, &run), 0);
    }
    CHECK_INT(rn_ping(&p, "after 1-byte"), 0);
    CHECK(rn_streams_match(&p));
    rn_close(&p);
}

static void again_server_initiated(void) { again_everywhere(1); }
static void again_client_initiated(void) { again_everywhere(0); }

/* GNUTLS_AUTO_REAUTH: the client renegotiates inside gnutls_record_recv and never returns
 * GNUTLS_E_REHANDSHAKE. */
static void auto_reauth(void)
{
    rn_pair p;
    unsigned char old[32], buf[64];
    int server_state = 0, rounds;
    long r;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, GNUTLS_AUTO_REAUTH, 0));
    save_client_random(p.c, old);
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    for (rounds = 0; rounds < 200 && server_state != 2; rounds++) {
        r = gnutls_record_recv(p.c, buf, sizeof buf);
        CHECK(r != GNUTLS_E_REHANDSHAKE);
        if (r < 0 && !rn_transient(r)) {
            CHECK_INT(r, GNUTLS_E_AGAIN);
            break;
        }
        if (server_state == 0) {
            r = gnutls_record_recv(p.s, buf, sizeof buf);
            if (r == GNUTLS_E_REHANDSHAKE)
                server_state = 1;
            else if (!rn_transient(r))
                break;
        }
        if (server_state == 1) {
            r = gnutls_handshake(p.s);
            if (r == 0)
                server_state = 2;
            else if (!rn_transient(r))
                break;
        }
    }
    CHECK_INT(server_state, 2);
    /* The client finishes inside its next record_recv, which then returns the data. */
    RN_REQUIRE(p, gnutls_record_send(p.s, "after", 5) != 5);
    for (rounds = 0; rounds < 10; rounds++) {
        r = gnutls_record_recv(p.c, buf, sizeof buf);
        if (!rn_transient(r))
            break;
    }
    CHECK_INT(r, 5);
    CHECK(client_random_differs(p.c, old));
    CHECK_INT(rn_ping(&p, "after"), 0);
    rn_close(&p);
}

/* The server presents another certificate in the renegotiation: refused by default
 * (GNUTLS_E_SESSION_USER_ID_CHANGED), accepted with GNUTLS_ALLOW_ID_CHANGE. */
static void id_change(int allow)
{
    rn_pair p;
    rn_run run = { 0 };
    const char *prio = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA";
    int ret;

    RN_REQUIRE(p, rn_open(&p, prio, prio, allow ? GNUTLS_ALLOW_ID_CHANGE : 0, 0));
    CHECK_INT(gnutls_kx_get(p.c), GNUTLS_KX_ECDHE_ECDSA);
    RN_REQUIRE(p, gnutls_credentials_set(p.s, GNUTLS_CRD_CERTIFICATE, p.scred2));
    ret = rn_client_initiated(&p, &run);
    if (allow) {
        CHECK_INT(ret, 0);
        CHECK_INT(gnutls_kx_get(p.c), GNUTLS_KX_ECDHE_RSA);
        CHECK_INT(rn_ping(&p, "after"), 0);
    } else {
        CHECK_INT(run.err[MEMT_CLIENT], GNUTLS_E_SESSION_USER_ID_CHANGED);
#ifndef KEEL_TEST_AGAINST_GNUTLS
        /* Keel's first error sticks and its alert (insufficient_security) reaches the
         * server; GnuTLS 3.7.9 sends no alert from gnutls_handshake and leaves the old
         * connection usable. */
        CHECK_INT(run.err[MEMT_SERVER], GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_INSUFFICIENT_SECURITY);
        CHECK_INT(gnutls_record_send(p.c, "x", 1), GNUTLS_E_SESSION_USER_ID_CHANGED);
#endif
    }
    rn_close(&p);
}

static void id_change_refused(void) { id_change(0); }
static void id_change_allowed(void) { id_change(1); }

/* The client's certificate is pinned as the server's is: a renegotiation in which the
 * client presents another one fails on the server (GNUTLS_E_SESSION_USER_ID_CHANGED) unless
 * the server allows it with GNUTLS_ALLOW_ID_CHANGE; the same one again passes. */
static void client_id_change(int allow)
{
    rn_pair p;
    rn_run run = { 0 }, run2 = { 0 };
    gnutls_certificate_credentials_t other = NULL;
    const gnutls_datum_t *peers;
    unsigned n = 0, first_size;
    char cp[512], kp[512];

    RN_REQUIRE(p, rn_setup(&p, RN_PRIO12, RN_PRIO12, 0, allow ? GNUTLS_ALLOW_ID_CHANGE : 0, 0));
    snprintf(cp, sizeof cp, "%s/tests/data/rsa-cert.pem", rn_srcdir());
    snprintf(kp, sizeof kp, "%s/tests/data/rsa-key.pem", rn_srcdir());
    RN_REQUIRE(p, gnutls_certificate_set_x509_key_file(p.ccred, cp, kp, GNUTLS_X509_FMT_PEM));
    gnutls_certificate_server_set_request(p.s, GNUTLS_CERT_REQUIRE);
    RN_REQUIRE(p, memt_handshake(p.c, p.s));
    peers = gnutls_certificate_get_peers(p.s, &n);
    REQUIRE(peers != NULL && n == 1);
    first_size = peers[0].size;

    /* The same certificate: no change. */
    CHECK_INT(rn_server_initiated(&p, &run), 0);
    CHECK_INT(rn_ping(&p, "same"), 0);

    REQUIRE(rn_load_cert(&other, "ecdsa-p256") == 0);
    RN_REQUIRE(p, gnutls_credentials_set(p.c, GNUTLS_CRD_CERTIFICATE, other));
    if (allow) {
        CHECK_INT(rn_server_initiated(&p, &run2), 0);
        peers = gnutls_certificate_get_peers(p.s, &n);
        CHECK(peers != NULL && n == 1 && peers[0].size != first_size);
        CHECK_INT(rn_ping(&p, "after"), 0);
    } else {
        (void)rn_server_initiated(&p, &run2);
        CHECK_INT(run2.err[MEMT_SERVER], GNUTLS_E_SESSION_USER_ID_CHANGED);
    }
    rn_close(&p);
    gnutls_certificate_free_credentials(other);
}

/* The classic use of server-initiated renegotiation: a connection made without client
 * authentication asks for the client's certificate later (say, for a protected resource),
 * with gnutls_certificate_server_set_request and gnutls_rehandshake. */
static void client_auth_on_renegotiation(void)
{
    rn_pair p;
    rn_run run = { 0 };
    const gnutls_datum_t *peers;
    unsigned n = 0;
    char cp[512], kp[512];

    RN_REQUIRE(p, rn_setup(&p, RN_PRIO12, RN_PRIO12, 0, 0, 0));
    snprintf(cp, sizeof cp, "%s/tests/data/ecdsa-p256-cert.pem", rn_srcdir());
    snprintf(kp, sizeof kp, "%s/tests/data/ecdsa-p256-key.pem", rn_srcdir());
    RN_REQUIRE(p, gnutls_certificate_set_x509_key_file(p.ccred, cp, kp, GNUTLS_X509_FMT_PEM));
    RN_REQUIRE(p, memt_handshake(p.c, p.s));
    CHECK(gnutls_certificate_get_peers(p.s, &n) == NULL);
    CHECK(gnutls_certificate_get_ours(p.c) == NULL);
    CHECK_INT(rn_ping(&p, "anonymous client"), 0);

    gnutls_certificate_server_set_request(p.s, GNUTLS_CERT_REQUIRE);
    CHECK_INT(rn_server_initiated(&p, &run), 0);
    peers = gnutls_certificate_get_peers(p.s, &n);
    CHECK(peers != NULL && n == 1);
    CHECK(gnutls_certificate_get_ours(p.c) != NULL);
    CHECK_INT(rn_ping(&p, "authenticated client"), 0);
    rn_close(&p);
}

static void client_id_change_refused(void) { client_id_change(0); }
static void client_id_change_allowed(void) { client_id_change(1); }

/* The same certificate again is not a change. */
static void id_same_cert(void)
{
    rn_pair p;
    rn_run run = { 0 };

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(rn_client_initiated(&p, &run), 0);
    CHECK_INT(rn_ping(&p, "after"), 0);
    rn_close(&p);
}

/* Renegotiation may change key exchange, suite and credentials type: anonymous DH with
 * AES-128-GCM first, ECDHE_RSA afterwards. (No AEAD suite exists for anonymous ECDH.) */
static void anon_to_ecdhe(void)
{
    rn_pair p;
    rn_run run = { 0 };
    const char *anon = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ANON-DH:-CIPHER-ALL:+AES-128-GCM:"
                       "-GROUP-ALL:+GROUP-FFDHE2048";
    const char *ecdhe = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA";

    RN_REQUIRE(p, rn_setup(&p, anon, anon, 0, 0, 1));
    RN_REQUIRE(p, gnutls_credentials_set(p.s, GNUTLS_CRD_CERTIFICATE, p.scred2));
    RN_REQUIRE(p, memt_handshake(p.c, p.s));
    CHECK_INT(gnutls_kx_get(p.c), GNUTLS_KX_ANON_DH);
    CHECK_INT(gnutls_cipher_get(p.c), GNUTLS_CIPHER_AES_128_GCM);
    CHECK_INT(rn_ping(&p, "anonymous"), 0);

    RN_REQUIRE(p, gnutls_priority_set_direct(p.c, ecdhe, NULL));
    RN_REQUIRE(p, gnutls_priority_set_direct(p.s, ecdhe, NULL));
    CHECK_INT(rn_server_initiated(&p, &run), 0);
    CHECK_INT(gnutls_kx_get(p.c), GNUTLS_KX_ECDHE_RSA);
    CHECK_INT(gnutls_kx_get(p.s), GNUTLS_KX_ECDHE_RSA);
    CHECK_INT(rn_ping(&p, "ecdhe"), 0);
    rn_close(&p);
}

/* RFC 7627 5.3 in spirit: a connection that used the extended master secret may not
 * renegotiate without it, whichever side drops it. */
static void ems_dropped(int by_server)
{
    rn_pair p;
    rn_run run = { 0 };
    const char *noems = "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_SESSION_HASH";

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK(gnutls_session_get_flags(p.c) & GNUTLS_SFLAGS_EXT_MASTER_SECRET);
    CHECK(gnutls_session_get_flags(p.s) & GNUTLS_SFLAGS_EXT_MASTER_SECRET);
    RN_REQUIRE(p, gnutls_priority_set_direct(by_server ? p.s : p.c, noems, NULL));
    CHECK(rn_client_initiated(&p, &run) != 0);
    CHECK(run.state[MEMT_CLIENT] != RN_DONE || run.state[MEMT_SERVER] != RN_DONE);
#ifdef KEEL_TEST_AGAINST_GNUTLS
    /* GnuTLS 3.7.9 does not look: the master secrets differ and the server's Finished check
     * fails (GNUTLS_E_DECRYPTION_FAILED) whichever side dropped it. */
    CHECK_INT(run.err[MEMT_SERVER], GNUTLS_E_DECRYPTION_FAILED);
#else
    /* Keel refuses a handshake that drops it, with GnuTLS's error for an unmet
     * %FORCE_SESSION_HASH; the other side gets the insufficient_security alert. A client
     * refusing a ServerHello without it: test_reneg_bad.c, raw_server_hello_no_ems. */
    if (by_server) {
        /* The server may refuse its own ServerHello without it, or send it and let the
         * client refuse: either way one side refuses and the other hears why. */
        int refuser = run.err[MEMT_CLIENT] == GNUTLS_E_INSUFFICIENT_SECURITY ? MEMT_CLIENT : MEMT_SERVER;
        CHECK_INT(run.err[refuser], GNUTLS_E_INSUFFICIENT_SECURITY);
        CHECK_INT(run.err[!refuser], GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(rn_side(&p, !refuser)), GNUTLS_A_INSUFFICIENT_SECURITY);
    } else {
        CHECK_INT(run.err[MEMT_SERVER], GNUTLS_E_INSUFFICIENT_SECURITY);
        CHECK_INT(run.err[MEMT_CLIENT], GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_INSUFFICIENT_SECURITY);
    }
#endif
    rn_close(&p);
}

static void ems_dropped_by_client(void) { ems_dropped(0); }
static void ems_dropped_by_server(void) { ems_dropped(1); }

/* RFC 5246 7.4.1.1: a HelloRequest that arrives while a handshake is in progress is ignored,
 * and does not come back as GNUTLS_E_REHANDSHAKE afterwards. */
static void hello_request_during_handshake(void)
{
    rn_pair p;
    rn_run run = { 0 };
    unsigned char buf[8];

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);           /* ClientHello sent */
    CHECK_INT(gnutls_rehandshake(p.s), 0);                      /* a second request crosses it */
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    run.state[MEMT_CLIENT] = RN_HS;
    run.state[MEMT_SERVER] = RN_HS;
#ifdef KEEL_TEST_AGAINST_GNUTLS
    /* GnuTLS 3.7.9 fails here (GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET on the client), against
     * RFC 5246 7.4.1.1. */
    {
        int ret = rn_drive(&p, &run);
        fprintf(stderr, "  note: GnuTLS: %d (%s)\n", ret, gnutls_strerror_name(ret));
        rn_close(&p);
        return;
    }
#endif
    CHECK_INT(rn_drive(&p, &run), 0);
    CHECK_INT(rn_drain(&p, MEMT_CLIENT), GNUTLS_E_AGAIN);
    CHECK_INT(rn_ping(&p, "after"), 0);
    rn_close(&p);
}

/* A client that knows the server lacks RFC 5746 (%PARTIAL_RENEGOTIATION, the default, against
 * a server with %DISABLE_SAFE_RENEGOTIATION) refuses to start a renegotiation, before sending
 * anything, whether asked by the server or on its own; the connection is left as it was. */
static void client_refuses_unsafe(void)
{
    rn_pair p;
    unsigned char buf[8];

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12 ":%DISABLE_SAFE_RENEGOTIATION", 0, 0));
    CHECK_INT(gnutls_safe_renegotiation_status(p.c), 0);
#ifdef KEEL_TEST_AGAINST_GNUTLS
    /* GnuTLS 3.7.9 sends its ClientHello and refuses only at the ServerHello, without an
     * alert, leaving the server inside a handshake (test_reneg_modes.c has the outcome). */
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);
    rn_close(&p);
    return;
#endif
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_AGAIN);
    CHECK_INT(rn_ping(&p, "after refusing"), 0);
    rn_close(&p);
}

/* Row "client, any version". */
static void rehandshake_on_client(void)
{
    rn_pair p;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0));
    CHECK_INT(gnutls_rehandshake(p.c), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(rn_ping(&p, "still fine"), 0);
    rn_close(&p);
}

static void rehandshake_on_client13(void)
{
    rn_pair p;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO13, RN_PRIO13, 0, 0));
    CHECK_INT(gnutls_rehandshake(p.c), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(rn_ping(&p, "still fine"), 0);
    rn_close(&p);
}

/* Row "server, TLS 1.3": gnutls_rehandshake is a KeyUpdate asking the peer to update; the
 * client never sees GNUTLS_E_REHANDSHAKE; gnutls_handshake on the established server is a
 * no-op returning 0. */
static void tls13_server(void)
{
    rn_pair p;
    unsigned char buf[64];
    long r;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO13, RN_PRIO13, 0, 0));
    CHECK_INT(gnutls_protocol_get_version(p.s), GNUTLS_TLS1_3);
    for (int i = 0; i < 5; i++) {
        CHECK_INT(gnutls_rehandshake(p.s), 0);
        CHECK_INT(gnutls_handshake(p.s), 0);
        RN_REQUIRE(p, rn_send(&p, MEMT_SERVER, "ping", 4));
        do {
            r = rn_recv_once(&p, MEMT_CLIENT);
            CHECK(r != GNUTLS_E_REHANDSHAKE);
        } while (r > 0 || r == GNUTLS_E_INTERRUPTED);
        CHECK_INT(r, GNUTLS_E_AGAIN);
        RN_REQUIRE(p, rn_send(&p, MEMT_CLIENT, "pong", 4));
        do {
            r = rn_recv_once(&p, MEMT_SERVER);
            CHECK(r != GNUTLS_E_REHANDSHAKE);
        } while (r > 0 || r == GNUTLS_E_INTERRUPTED);
        CHECK_INT(r, GNUTLS_E_AGAIN);
        /* The client's answer may come with its next data: read once more after that. */
        CHECK_INT(rn_ping(&p, "ku"), 0);
    }
    CHECK(rn_streams_match(&p));
    CHECK_INT(gnutls_handshake(p.s), 0);
    (void)buf;
    rn_close(&p);
}

int main(void)
{
    RUN(server_initiated);
    RUN(client_initiated);
    RUN(hundred_server_initiated);
    RUN(hundred_client_initiated);
    RUN(refuse_alert_send);
    RUN(refuse_alert_send_appropriate);
    RUN(client_ignores);
    RUN(interleaved_server_initiated);
    RUN(interleaved_client_initiated);
    RUN(data_right_after_hello_request);
    RUN(again_server_initiated);
    RUN(again_client_initiated);
    RUN(auto_reauth);
    RUN(id_change_refused);
    RUN(id_change_allowed);
    RUN(id_same_cert);
    RUN(anon_to_ecdhe);
    RUN(ems_dropped_by_client);
    RUN(ems_dropped_by_server);
    RUN(hello_request_during_handshake);
    RUN(client_refuses_unsafe);
    RUN(client_auth_on_renegotiation);
    RUN(client_id_change_refused);
    RUN(client_id_change_allowed);
    RUN(rehandshake_on_client);
    RUN(rehandshake_on_client13);
    RUN(tls13_server);
    return t_done();
}
