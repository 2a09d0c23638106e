/* Renegotiation negative cases and the rules of src/handshake/reneg.c, with Keel internals
 * (keel_test_* hooks, the session fields): HelloRequest in the wrong place, RFC 5746
 * renegotiation_info and SCSV checks in every priority mode, identity pinning, the extended
 * master secret kept, and the HelloRequest bytes and their resumption after GNUTLS_E_AGAIN. */
#include <gnutls/gnutls.h>
#include "session.h"
#include "handshake/handshake.h"
#include "handshake/reneg.h"
#include "handshake/key_update.h"     /* keel_test_send_handshake */
#include "ext/ext.h"                  /* keel_ext_find */
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"
#include "lib/reneg_util.h"

static const uint8_t cvd[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint8_t svd[12] = { 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

/* A session that looks like an established TLS 1.2 connection to the rules in reneg.c (no
 * transport, no keys). */
static gnutls_session_t fake12(int server, const char *mode_flag, int safe)
{
    gnutls_session_t s;
    char prio[128];

    snprintf(prio, sizeof prio, "%s%s", RN_PRIO12, mode_flag ? mode_flag : "");
    if (gnutls_init(&s, server ? GNUTLS_SERVER : GNUTLS_CLIENT) < 0)
        abort();
    if (gnutls_priority_set_direct(s, prio, NULL) < 0)
        abort();
    s->established = 1;
    s->version = GNUTLS_TLS1_2;
    s->safe_renegotiation = safe;
    memcpy(s->client_verify_data, cvd, 12);
    memcpy(s->server_verify_data, svd, 12);
    return s;
}

static int info_recv(gnutls_session_t s, const uint8_t *field, size_t len, int extra)
{
    uint8_t body[64];

    body[0] = (uint8_t)len;
    memcpy(body + 1, field, len);
    body[1 + len] = 0xAA;
    return keel_reneg_info_recv(s, cur_init(body, 1 + len + (extra ? 1 : 0)));
}

/* RFC 5746 3.5/3.7: the server expects client_verify_data, the client both halves; one wrong
 * bit anywhere, a wrong length or trailing bytes fail. */
static void info_recv_checks(void)
{
    gnutls_session_t s = fake12(1, NULL, 1), c = fake12(0, NULL, 1);
    uint8_t both[24], bad[24];

    memcpy(both, cvd, 12);
    memcpy(both + 12, svd, 12);
    CHECK_INT(info_recv(s, cvd, 12, 0), 0);
    CHECK_INT(info_recv(c, both, 24, 0), 0);
    for (int i = 0; i < 24; i++) {
        memcpy(bad, both, 24);
        bad[i] ^= 0x01;
        if (i < 12)
            CHECK_INT(info_recv(s, bad, 12, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
        CHECK_INT(info_recv(c, bad, 24, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    }
    CHECK_INT(info_recv(s, both, 24, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(info_recv(c, cvd, 12, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(info_recv(s, cvd, 0, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(info_recv(s, cvd, 12, 1), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK_INT(keel_reneg_info_recv(s, cur_init(NULL, 0)), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    {
        uint8_t shortb[3] = { 12, 1, 2 };
        CHECK_INT(keel_reneg_info_recv(s, cur_init(shortb, 3)), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    }
    /* The initial handshake: only an empty field. */
    s->established = c->established = 0;
    CHECK_INT(info_recv(s, cvd, 0, 0), 0);
    CHECK_INT(info_recv(c, cvd, 0, 0), 0);
    CHECK_INT(info_recv(s, cvd, 12, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(info_recv(c, both, 24, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    /* Renegotiating a connection that was not safe: the extension may not appear. */
    s->established = c->established = 1;
    s->safe_renegotiation = c->safe_renegotiation = 0;
    CHECK_INT(info_recv(s, cvd, 12, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(info_recv(s, cvd, 0, 0), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    gnutls_deinit(s);
    gnutls_deinit(c);
    /* %DISABLE_SAFE_RENEGOTIATION ignores the extension's content. */
    s = fake12(1, ":%DISABLE_SAFE_RENEGOTIATION", 0);
    CHECK_INT(info_recv(s, svd, 12, 0), 0);
    gnutls_deinit(s);
}

static void info_send_bytes(void)
{
    gnutls_session_t s = fake12(1, NULL, 1), c = fake12(0, NULL, 1);
    keel_builder b;
    uint8_t buf[64];

    keel_b_init_fixed(&b, buf, sizeof buf);
    CHECK_INT(keel_reneg_info_send(c, &b), 0);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_INT(b.len, 13);
    CHECK_INT(buf[0], 12);
    CHECK_MEM(buf + 1, cvd, 12);
    keel_b_init_fixed(&b, buf, sizeof buf);
    CHECK_INT(keel_reneg_info_send(s, &b), 0);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_INT(b.len, 25);
    CHECK_INT(buf[0], 24);
    CHECK_MEM(buf + 1, cvd, 12);
    CHECK_MEM(buf + 13, svd, 12);
    s->established = 0;
    keel_b_init_fixed(&b, buf, sizeof buf);
    CHECK_INT(keel_reneg_info_send(s, &b), 0);
    CHECK_INT(b.len, 1);
    CHECK_INT(buf[0], 0);
    /* Whether to send it at all. */
    CHECK_INT(keel_reneg_info_wanted(s, 0), 0);
    CHECK_INT(keel_reneg_info_wanted(s, 1), 1);
    CHECK_INT(keel_reneg_info_wanted(c, 0), 1);
    c->safe_renegotiation = 0;
    CHECK_INT(keel_reneg_info_wanted(c, 0), 0);
    gnutls_deinit(s);
    gnutls_deinit(c);
    c = fake12(0, ":%DISABLE_SAFE_RENEGOTIATION", 0);
    c->established = 0;
    CHECK_INT(keel_reneg_info_wanted(c, 0), 0);
    gnutls_deinit(c);
}

/* The four modes on the peer's hello, initial and renegotiating, as the GnuTLS table in
 * test_reneg_modes.c shows them end to end. */
static void modes_on_hello(void)
{
    static const struct {
        const char *flag;
        int server, established, safe, ri, scsv;
        int want, safe_after;
    } cases[] = {
        /* initial handshake */
        { ":%SAFE_RENEGOTIATION", 1, 0, 0, 0, 0, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 0 },
        { ":%SAFE_RENEGOTIATION", 1, 0, 0, 0, 1, 0, 1 },
        { ":%SAFE_RENEGOTIATION", 1, 0, 0, 1, 0, 0, 1 },
        { ":%SAFE_RENEGOTIATION", 0, 0, 0, 0, 0, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 0 },
        { ":%SAFE_RENEGOTIATION", 0, 0, 0, 0, 1, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 0 },
        { ":%PARTIAL_RENEGOTIATION", 1, 0, 0, 0, 0, 0, 0 },
        { ":%PARTIAL_RENEGOTIATION", 0, 0, 0, 0, 0, 0, 0 },
        { ":%PARTIAL_RENEGOTIATION", 0, 0, 0, 1, 0, 0, 1 },
        { ":%UNSAFE_RENEGOTIATION", 1, 0, 0, 0, 0, 0, 0 },
        { ":%DISABLE_SAFE_RENEGOTIATION", 1, 0, 0, 1, 1, 0, 0 },
        /* renegotiation of a safe connection */
        { ":%PARTIAL_RENEGOTIATION", 1, 1, 1, 1, 0, 0, 1 },
        { ":%PARTIAL_RENEGOTIATION", 1, 1, 1, 0, 0, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 1 },
        { ":%UNSAFE_RENEGOTIATION", 1, 1, 1, 0, 0, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 1 },
        { ":%PARTIAL_RENEGOTIATION", 0, 1, 1, 0, 0, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 1 },
        /* RFC 5746 3.7: the SCSV in a renegotiating ClientHello */
        { ":%PARTIAL_RENEGOTIATION", 1, 1, 1, 1, 1, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 1 },
        { ":%UNSAFE_RENEGOTIATION", 1, 1, 0, 0, 1, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, 0 },
        /* renegotiation of a connection without RFC 5746 */
        { ":%SAFE_RENEGOTIATION", 1, 1, 0, 0, 0, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, 0 },
        { ":%PARTIAL_RENEGOTIATION", 1, 1, 0, 0, 0, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, 0 },
        { ":%PARTIAL_RENEGOTIATION", 0, 1, 0, 0, 0, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, 0 },
        { ":%UNSAFE_RENEGOTIATION", 1, 1, 0, 0, 0, 0, 0 },
        { ":%UNSAFE_RENEGOTIATION", 0, 1, 0, 0, 0, 0, 0 },
        { ":%DISABLE_SAFE_RENEGOTIATION", 1, 1, 0, 0, 1, 0, 0 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gnutls_session_t s = fake12(cases[i].server, cases[i].flag, cases[i].safe);
        int ret;
        s->established = cases[i].established;
        ret = keel_reneg_check_peer_hello(s, cases[i].ri, cases[i].scsv);
        if (ret != cases[i].want || s->safe_renegotiation != cases[i].safe_after)
            fprintf(stderr, "  case %zu: %d (%s), safe %d\n", i, ret, gnutls_strerror_name(ret),
                    s->safe_renegotiation);
        CHECK_INT(ret, cases[i].want);
        CHECK_INT(s->safe_renegotiation, cases[i].safe_after);
        /* What the initial handshake decides is what gnutls_session_get_flags reports. */
        if (ret == 0 && !cases[i].established)
            CHECK_INT(!!(gnutls_session_get_flags(s) & GNUTLS_SFLAGS_SAFE_RENEGOTIATION),
                      cases[i].safe_after);
        gnutls_deinit(s);
    }
}

/* A client that knows the server lacks RFC 5746 refuses before sending anything. */
static void client_begin_modes(void)
{
    static const struct { const char *flag; int safe, want; } cases[] = {
        { ":%SAFE_RENEGOTIATION", 0, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED },
        { ":%PARTIAL_RENEGOTIATION", 0, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED },
        { ":%UNSAFE_RENEGOTIATION", 0, 0 },
        { ":%DISABLE_SAFE_RENEGOTIATION", 0, 0 },
        { ":%PARTIAL_RENEGOTIATION", 1, 0 },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gnutls_session_t c = fake12(0, cases[i].flag, cases[i].safe);
        CHECK_INT(keel_reneg_begin(c), cases[i].want);
        gnutls_deinit(c);
    }
    {
        /* The server waits for the ClientHello to judge. */
        gnutls_session_t s = fake12(1, ":%SAFE_RENEGOTIATION", 0);
        CHECK_INT(keel_reneg_begin(s), 0);
        CHECK(s->hs != NULL);
        gnutls_deinit(s);
    }
}

static void scsv_in_suites(void)
{
    static const uint8_t with[] = { 0xC0, 0x2B, 0x00, 0xFF, 0x13, 0x01 };
    static const uint8_t without[] = { 0xC0, 0x2B, 0xFF, 0x00, 0x13, 0x01 };

    CHECK_INT(keel_reneg_suites_have_scsv(cur_init(with, sizeof with)), 1);
    CHECK_INT(keel_reneg_suites_have_scsv(cur_init(without, sizeof without)), 0);
    CHECK_INT(keel_reneg_suites_have_scsv(cur_init(with, 3)), 0);
}

static void peer_cert_pinning(void)
{
    static uint8_t a[] = { 0x30, 0x03, 0x01, 0x02, 0x03 }, b[] = { 0x30, 0x03, 0x01, 0x02, 0x04 };
    gnutls_datum_t old = { a, sizeof a };
    gnutls_session_t c = fake12(0, NULL, 1), c2;

    /* No previous certificate (anonymous): anything goes. */
    CHECK_INT(keel_reneg_check_peer_cert(c, b, sizeof b), 0);
    c->peer_certs = &old;
    c->n_peer_certs = 1;
    CHECK_INT(keel_reneg_check_peer_cert(c, a, sizeof a), 0);
    CHECK_INT(keel_reneg_check_peer_cert(c, b, sizeof b), GNUTLS_E_SESSION_USER_ID_CHANGED);
    CHECK_INT(keel_reneg_check_peer_cert(c, a, sizeof a - 1), GNUTLS_E_SESSION_USER_ID_CHANGED);
    CHECK_INT(keel_reneg_check_peer_cert(c, NULL, 0), GNUTLS_E_SESSION_USER_ID_CHANGED);
    c->established = 0;     /* the initial handshake pins nothing */
    CHECK_INT(keel_reneg_check_peer_cert(c, b, sizeof b), 0);
    c->peer_certs = NULL;
    c->n_peer_certs = 0;
    gnutls_deinit(c);

    REQUIRE(gnutls_init(&c2, GNUTLS_CLIENT | GNUTLS_ALLOW_ID_CHANGE) == 0);
    c2->established = 1;
    c2->version = GNUTLS_TLS1_2;
    c2->peer_certs = &old;
    c2->n_peer_certs = 1;
    CHECK_INT(keel_reneg_check_peer_cert(c2, b, sizeof b), 0);
    c2->peer_certs = NULL;
    c2->n_peer_certs = 0;
    gnutls_deinit(c2);
}

static void ems_kept(void)
{
    gnutls_session_t s = fake12(1, NULL, 1);

    s->ems = 1;
    CHECK_INT(keel_reneg_check_ems(s, 1), 0);
    CHECK_INT(keel_reneg_check_ems(s, 0), GNUTLS_E_INSUFFICIENT_SECURITY);
    s->ems = 0;
    CHECK_INT(keel_reneg_check_ems(s, 0), 0);
    CHECK_INT(keel_reneg_check_ems(s, 1), 0);
    s->ems = 1;
    s->established = 0;
    CHECK_INT(keel_reneg_check_ems(s, 0), 0);
    gnutls_deinit(s);
}

/* RFC 5246 7.4.1.1: HelloRequests at the head of a renegotiating client's input are dropped;
 * one with a body is a decode error; nothing else is touched. */
static void skip_hello_requests(void)
{
    static const uint8_t two_hr_then_sh[] = { 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1, 0x55 };
    static const uint8_t hr_with_body[] = { 0, 0, 0, 1, 0x55 };
    gnutls_session_t c = fake12(0, NULL, 1);

    REQUIRE(keel_bytes_append(&c->hs_in, two_hr_then_sh, sizeof two_hr_then_sh) == 0);
    /* Not while no handshake runs: record_recv reports those. */
    CHECK_INT(keel_reneg_skip_hello_requests(c), 0);
    CHECK_INT(keel_bytes_len(&c->hs_in), sizeof two_hr_then_sh);
    c->handshake_in_progress = 1;
    CHECK_INT(keel_reneg_skip_hello_requests(c), 0);
    CHECK_INT(keel_bytes_len(&c->hs_in), 5);
    CHECK_INT(c->hs_in.buf[c->hs_in.start], 2);
    keel_bytes_consume(&c->hs_in, 5);
    REQUIRE(keel_bytes_append(&c->hs_in, hr_with_body, sizeof hr_with_body) == 0);
    CHECK_INT(keel_reneg_skip_hello_requests(c), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    c->handshake_in_progress = 0;
    gnutls_deinit(c);
}

/* ---- over a connection ---- */

static const uint8_t hello_request[4] = { 0, 0, 0, 0 };     /* RFC 5246 7.4.1.1 */

static int hr_out_pre, hr_out_post, hr_len;

static int hr_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                   const gnutls_datum_t *msg)
{
    if (htype == GNUTLS_HANDSHAKE_HELLO_REQUEST && !incoming) {
        if (when == GNUTLS_HOOK_PRE)
            hr_out_pre++;
        else
            hr_out_post++;
        hr_len = (int)msg->size;
    }
    return 0;
}

/* Under TLS 1.3 a HelloRequest is unexpected_message. */
static void hello_request_under_tls13(void)
{
    rn_pair p;
    unsigned char buf[16];

    RN_REQUIRE(p, rn_open(&p, RN_PRIO13, RN_PRIO13, 0, 0));
    RN_REQUIRE(p, keel_test_send_handshake(p.s, hello_request, 4));
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_UNEXPECTED_MESSAGE);
    rn_close(&p);
}

/* The HelloRequest itself, on a connection made to look like TLS 1.2 (TLS 1.3 record
 * protection underneath, which the HelloRequest path does not depend on): four bytes
 * 00 00 00 00, hooks fired, pushed again after GNUTLS_E_AGAIN without a second copy, and
 * turned into exactly one GNUTLS_E_REHANDSHAKE on the client. */
static void hello_request_bytes_and_again(void)
{
    rn_pair p;
    unsigned char buf[16];
    int ret, calls = 0;

    RN_REQUIRE(p, rn_open(&p, RN_PRIO13, RN_PRIO13, 0, 0));
    p.s->version = p.c->version = GNUTLS_TLS1_2;
    gnutls_handshake_set_hook_function(p.s, GNUTLS_HANDSHAKE_HELLO_REQUEST, GNUTLS_HOOK_BOTH, hr_hook);
    hr_out_pre = hr_out_post = 0;
    hr_len = -1;
    memt_set_again(p.l, MEMT_SERVER, 1);
    do {
        ret = keel_tls12_send_hello_request(p.s);
        calls++;
    } while (ret == GNUTLS_E_AGAIN && calls < 10);
    memt_set_again(p.l, MEMT_SERVER, 0);
    CHECK_INT(ret, 0);
    CHECK(calls > 1);
    CHECK_INT(hr_out_pre, 1);
    CHECK_INT(hr_out_post, 1);
    CHECK_INT(hr_len, 0);
    CHECK_INT(gnutls_handshake_get_last_out(p.s), GNUTLS_HANDSHAKE_HELLO_REQUEST);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_AGAIN);
    /* A second request is a second HelloRequest. */
    CHECK_INT(keel_tls12_send_hello_request(p.s), 0);
    CHECK_INT(hr_out_pre, 2);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_REHANDSHAKE);
    /* Only servers send it. */
    CHECK_INT(keel_tls12_send_hello_request(p.c), GNUTLS_E_INVALID_REQUEST);
    rn_close(&p);
}

/* A HelloRequest with a body, and one sent by a client, on that same connection. */
static void hello_request_malformed(void)
{
    rn_pair p;
    unsigned char buf[16];
    static const uint8_t hello_request_body[5] = { 0, 0, 0, 1, 0x01 };

    RN_REQUIRE(p, rn_open(&p, RN_PRIO13, RN_PRIO13, 0, 0));
    p.s->version = p.c->version = GNUTLS_TLS1_2;
    RN_REQUIRE(p, keel_test_send_handshake(p.s, hello_request_body, 5));
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_DECODE_ERROR);
    rn_close(&p);

    RN_REQUIRE(p, rn_open(&p, RN_PRIO13, RN_PRIO13, 0, 0));
    p.s->version = p.c->version = GNUTLS_TLS1_2;
    RN_REQUIRE(p, keel_test_send_handshake(p.c, hello_request, 4));
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_UNEXPECTED_MESSAGE);
    rn_close(&p);
}

/* ---- hand-made renegotiating ClientHellos, sent under the client's current keys ---- */

enum { CH_SCSV = 1, CH_RI = 2, CH_RI_BAD = 4, CH_EMS = 8 };

static size_t put16(uint8_t *p, size_t n, unsigned v)
{
    p[n] = (uint8_t)(v >> 8);
    p[n + 1] = (uint8_t)v;
    return n + 2;
}

/* A TLS 1.2 ClientHello for an ECDSA P-256 server, with what `flags` asks for; the
 * renegotiation_info carries client_verify_data (one bit flipped with CH_RI_BAD). */
static size_t client_hello12(gnutls_session_t c, unsigned flags, uint8_t *out)
{
    static const uint8_t groups[] = { 0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17 };
    static const uint8_t sigs[] = { 0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04 };
    static const uint8_t points[] = { 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00 };
    size_t n = 4, ext_len_at;

    n = put16(out, n, 0x0303);
    for (int i = 0; i < 32; i++)
        out[n++] = (uint8_t)(0x40 + i);
    out[n++] = 0;                                           /* session_id */
    n = put16(out, n, (flags & CH_SCSV) ? 8 : 6);
    n = put16(out, n, 0xc02b);
    n = put16(out, n, 0xc02c);
    n = put16(out, n, 0xcca9);
    if (flags & CH_SCSV)
        n = put16(out, n, KEEL_SCSV_RENEGOTIATION);
    out[n++] = 1;
    out[n++] = 0;                                           /* null compression */
    ext_len_at = n;
    n += 2;
    memcpy(out + n, groups, sizeof groups);
    n += sizeof groups;
    memcpy(out + n, sigs, sizeof sigs);
    n += sizeof sigs;
    memcpy(out + n, points, sizeof points);
    n += sizeof points;
    if (flags & CH_EMS) {
        n = put16(out, n, 0x0017);
        n = put16(out, n, 0);
    }
    if (flags & (CH_RI | CH_RI_BAD)) {
        n = put16(out, n, 0xff01);
        n = put16(out, n, 13);
        out[n++] = 12;
        memcpy(out + n, c->client_verify_data, 12);
        if (flags & CH_RI_BAD)
            out[n + 11] ^= 0x80;
        n += 12;
    }
    put16(out, ext_len_at, (unsigned)(n - ext_len_at - 2));
    out[0] = GNUTLS_HANDSHAKE_CLIENT_HELLO;
    out[1] = (uint8_t)((n - 4) >> 16);
    out[2] = (uint8_t)((n - 4) >> 8);
    out[3] = (uint8_t)(n - 4);
    return n;
}

/* The server reads the hand-made ClientHello on an established TLS 1.2 connection and
 * renegotiates from it: GNUTLS_E_AGAIN (it answered and waits) or the error it refused with;
 * *alert is what the client then receives. */
static int server_on_client_hello(unsigned flags, int *alert)
{
    rn_pair p;
    uint8_t ch[256], buf[16];
    int ret;

    *alert = -1;
    if (rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0) != 0) {
        rn_close(&p);
        return 1;
    }
    if (keel_test_send_handshake(p.c, ch, client_hello12(p.c, flags, ch)) != 0) {
        rn_close(&p);
        return 1;
    }
    ret = (int)gnutls_record_recv(p.s, buf, sizeof buf);
    if (ret == GNUTLS_E_REHANDSHAKE)
        ret = gnutls_handshake(p.s);
    if (gnutls_record_recv(p.c, buf, sizeof buf) == GNUTLS_E_FATAL_ALERT_RECEIVED)
        *alert = (int)gnutls_alert_get(p.c);
    rn_close(&p);
    return ret;
}

/* The hand-made hello is well formed, with exactly the extensions asked for. */
static void raw_client_hello_parses(void)
{
    gnutls_session_t c = fake12(0, NULL, 1);
    uint8_t ch[256];
    keel_hello h;
    keel_cur ri;
    size_t n;

    n = client_hello12(c, CH_SCSV | CH_RI | CH_EMS, ch);
    CHECK_INT(keel_parse_client_hello(cur_init(ch + 4, n - 4), &h), 0);
    CHECK_INT(keel_reneg_suites_have_scsv(h.suites), 1);
    CHECK(keel_ext_find(h.exts, 0xff01, &ri));
    CHECK_INT(keel_reneg_info_recv(c, ri), GNUTLS_E_SAFE_RENEGOTIATION_FAILED); /* a client expects 24 bytes */
    c->is_server = 1;
    CHECK_INT(keel_reneg_info_recv(c, ri), 0);
    CHECK(keel_ext_find(h.exts, 0x0017, &ri));
    n = client_hello12(c, 0, ch);
    CHECK_INT(keel_parse_client_hello(cur_init(ch + 4, n - 4), &h), 0);
    CHECK_INT(keel_reneg_suites_have_scsv(h.suites), 0);
    CHECK(!keel_ext_find(h.exts, 0xff01, &ri));
    CHECK(!keel_ext_find(h.exts, 0x0017, &ri));
    c->is_server = 0;
    gnutls_deinit(c);
}

/* The builder itself is right: with the extension and EMS the server goes on. */
static void raw_client_hello_accepted(void)
{
    int alert;

    CHECK_INT(server_on_client_hello(CH_RI | CH_EMS, &alert), GNUTLS_E_AGAIN);
    CHECK_INT(alert, -1);
}

/* RFC 5746 3.7: the SCSV in a renegotiating ClientHello aborts the handshake. */
static void raw_client_hello_scsv(void)
{
    int alert;

    CHECK_INT(server_on_client_hello(CH_SCSV | CH_RI | CH_EMS, &alert),
              GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(alert, GNUTLS_A_HANDSHAKE_FAILURE);
}

/* RFC 5746 3.7: wrong verify_data, or no extension on a safe connection. */
static void raw_client_hello_bad_verify_data(void)
{
    int alert;

    CHECK_INT(server_on_client_hello(CH_RI_BAD | CH_EMS, &alert),
              GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(alert, GNUTLS_A_HANDSHAKE_FAILURE);
}

static void raw_client_hello_no_ri(void)
{
    int alert;

    CHECK_INT(server_on_client_hello(CH_EMS, &alert), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(alert, GNUTLS_A_HANDSHAKE_FAILURE);
}

/* The connection uses the extended master secret; a renegotiation may not drop it. */
static void raw_client_hello_no_ems(void)
{
    int alert;

    CHECK_INT(server_on_client_hello(CH_RI, &alert), GNUTLS_E_INSUFFICIENT_SECURITY);
    CHECK_INT(alert, GNUTLS_A_INSUFFICIENT_SECURITY);
}

/* ---- hand-made ServerHellos answering a client's renegotiation ---- */

enum { SH_RI = 1, SH_RI_BAD = 2, SH_EMS = 4 };

/* A TLS 1.2 ServerHello choosing ECDHE-ECDSA-AES128-GCM-SHA256, with a renegotiation_info of
 * client_verify_data || server_verify_data (one bit of the server half flipped with
 * SH_RI_BAD) and extended_master_secret as asked. */
static size_t server_hello12(gnutls_session_t c, unsigned flags, uint8_t *out)
{
    size_t n = 4, ext_len_at;

    n = put16(out, n, 0x0303);
    for (int i = 0; i < 32; i++)
        out[n++] = (uint8_t)(0x80 + i);
    out[n++] = 0;                                           /* session_id */
    n = put16(out, n, 0xc02b);
    out[n++] = 0;                                           /* null compression */
    ext_len_at = n;
    n += 2;
    if (flags & SH_EMS) {
        n = put16(out, n, 0x0017);
        n = put16(out, n, 0);
    }
    if (flags & (SH_RI | SH_RI_BAD)) {
        n = put16(out, n, 0xff01);
        n = put16(out, n, 25);
        out[n++] = 24;
        memcpy(out + n, c->client_verify_data, 12);
        memcpy(out + n + 12, c->server_verify_data, 12);
        if (flags & SH_RI_BAD)
            out[n + 23] ^= 0x01;
        n += 24;
    }
    put16(out, ext_len_at, (unsigned)(n - ext_len_at - 2));
    out[0] = GNUTLS_HANDSHAKE_SERVER_HELLO;
    out[1] = (uint8_t)((n - 4) >> 16);
    out[2] = (uint8_t)((n - 4) >> 8);
    out[3] = (uint8_t)(n - 4);
    return n;
}

/* The client starts a renegotiation; the server session swallows its ClientHello and a
 * hand-made ServerHello arrives instead, under the server's current keys. Returns the client's gnutls_handshake
 * result; *alert is what the server session then reads. */
static int client_on_server_hello(unsigned flags, int *alert)
{
    rn_pair p;
    uint8_t sh[256], buf[4096];
    int ret;

    *alert = -1;
    if (rn_open(&p, RN_PRIO12, RN_PRIO12, 0, 0) != 0) {
        rn_close(&p);
        return 1;
    }
    ret = gnutls_handshake(p.c);
    if (ret != GNUTLS_E_AGAIN) {
        rn_close(&p);
        return 2;
    }
    /* The server session reads the ClientHello (keeping the record sequence numbers right)
     * and then forgets it: the test answers in its place. */
    if (gnutls_record_recv(p.s, buf, sizeof buf) != GNUTLS_E_REHANDSHAKE) {
        rn_close(&p);
        return 4;
    }
    keel_bytes_consume(&p.s->hs_in, keel_bytes_len(&p.s->hs_in));
    p.s->hs_msg_len = 0;
    p.s->hs_msg_hooked = 0;
    if (keel_test_send_handshake(p.s, sh, server_hello12(p.c, flags, sh)) != 0) {
        rn_close(&p);
        return 3;
    }
    ret = gnutls_handshake(p.c);
    {
        long r = gnutls_record_recv(p.s, buf, sizeof buf);
        if (getenv("RN_DEBUG"))
            fprintf(stderr, "  server read %ld (%s)\n", r, gnutls_strerror_name((int)r));
        if (r == GNUTLS_E_FATAL_ALERT_RECEIVED)
            *alert = (int)gnutls_alert_get(p.s);
    }
    rn_close(&p);
    return ret;
}

/* Control: the right ServerHello is taken and the client waits for the Certificate. */
static void raw_server_hello_accepted(void)
{
    int alert;

    CHECK_INT(client_on_server_hello(SH_RI | SH_EMS, &alert), GNUTLS_E_AGAIN);
    CHECK_INT(alert, -1);
}

/* RFC 5746 3.5: the client checks both halves of the server's renegotiated_connection. */
static void raw_server_hello_bad_verify_data(void)
{
    int alert;

    CHECK_INT(client_on_server_hello(SH_RI_BAD | SH_EMS, &alert),
              GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(alert, GNUTLS_A_HANDSHAKE_FAILURE);
}

static void raw_server_hello_no_ri(void)
{
    int alert;

    CHECK_INT(client_on_server_hello(SH_EMS, &alert), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    CHECK_INT(alert, GNUTLS_A_HANDSHAKE_FAILURE);
}

static void raw_server_hello_no_ems(void)
{
    int alert;

    CHECK_INT(client_on_server_hello(SH_RI, &alert), GNUTLS_E_INSUFFICIENT_SECURITY);
    CHECK_INT(alert, GNUTLS_A_INSUFFICIENT_SECURITY);
}

int main(void)
{
    RUN(info_recv_checks);
    RUN(info_send_bytes);
    RUN(modes_on_hello);
    RUN(client_begin_modes);
    RUN(scsv_in_suites);
    RUN(peer_cert_pinning);
    RUN(ems_kept);
    RUN(skip_hello_requests);
    RUN(hello_request_under_tls13);
    RUN(hello_request_bytes_and_again);
    RUN(hello_request_malformed);
    RUN(raw_client_hello_parses);
    RUN(raw_client_hello_accepted);
    RUN(raw_client_hello_scsv);
    RUN(raw_client_hello_bad_verify_data);
    RUN(raw_client_hello_no_ri);
    RUN(raw_client_hello_no_ems);
    RUN(raw_server_hello_accepted);
    RUN(raw_server_hello_bad_verify_data);
    RUN(raw_server_hello_no_ri);
    RUN(raw_server_hello_no_ems);
    return t_done();
}
