/* TLS 1.2 bad input, each with the error code of the side that detects it and the alert the
 * other side receives: ServerKeyExchange with a bad signature, a point off the curve, an
 * unoffered group, a too-small DH prime; non-empty renegotiation_info on an initial
 * handshake; Finished mismatches; RSA premasters with bad padding, a wrong version or for
 * another key (all failing only at Finished, identically); and every byte of a server
 * flight flipped in turn (no crash, no leak, never a silent success). */
#include <gnutls/gnutls.h>
#include "handshake/tls12.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"
#include "session/test_tls12_common.h"

#define G12 "NORMAL:-VERS-ALL:+VERS-TLS1.2"

/* Runs a handshake with test parameters on either side; returns the memt result. */
static int run(t12_pair *p, const char *cp, const char *sp, int key, int dh,
               unsigned ccorrupt, unsigned scorrupt)
{
    static struct keel_test_hs_params ct, st;

    memset(&ct, 0, sizeof ct);
    memset(&st, 0, sizeof st);
    ct.corrupt = ccorrupt;
    st.corrupt = scorrupt;
    if (t12_init(p, cp, sp, key, dh) < 0)
        return -1;
    if (ccorrupt && keel_test_hs_set_params(p->c, &ct) < 0)
        return -1;
    if (scorrupt && keel_test_hs_set_params(p->s, &st) < 0)
        return -1;
    return memt_handshake2(p->c, p->s, &p->cret, &p->sret);
}

/* The client detects err; the server receives the matching fatal alert. */
static void expect_client_fails(t12_pair *p, int err, int alert)
{
    CHECK_INT(p->cret, err);
    CHECK_INT(p->sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p->s), alert);
}

static void expect_server_fails(t12_pair *p, int err, int alert)
{
    CHECK_INT(p->sret, err);
    CHECK_INT(p->cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p->c), alert);
}

static void test_ske_bad_signature(void)
{
    static const struct { const char *kx; int key; } cases[] = {
        { "ECDHE-RSA", T12_RSA }, { "ECDHE-ECDSA", T12_ECDSA }, { "DHE-RSA", T12_RSA },
    };

    for (unsigned i = 0; i < N_ELEMS(cases); i++) {
        char prio[128];
        t12_pair p;
        snprintf(prio, sizeof prio, G12 ":-KX-ALL:+%s", cases[i].kx);
        CHECK(run(&p, prio, prio, cases[i].key, T12_NO_DH, 0, KEEL_TEST_CORRUPT_CV) < 0);
        /* RFC 5246 7.2.2: a signature that does not verify is decrypt_error. */
        expect_client_fails(&p, GNUTLS_E_PK_SIG_VERIFY_FAILED, GNUTLS_A_DECRYPT_ERROR);
        t12_free(&p);
    }
}

static void test_ske_point_not_on_curve(void)
{
    static const char *groups[] = { "SECP256R1", "SECP384R1", "SECP521R1" };

    for (unsigned i = 0; i < N_ELEMS(groups); i++) {
        char prio[128];
        t12_pair p;
        snprintf(prio, sizeof prio, G12 ":-GROUP-ALL:+GROUP-%s", groups[i]);
        /* The server signs its broken point: only the point check can catch it. */
        CHECK(run(&p, prio, prio, T12_RSA, T12_NO_DH, 0, KEEL_TEST_T12_BAD_POINT) < 0);
        expect_client_fails(&p, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER);
        t12_free(&p);
    }
}

static void test_ske_unoffered_group(void)
{
    t12_pair p;

    CHECK(run(&p, G12 ":-GROUP-ALL:+GROUP-SECP256R1",
              G12 ":-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1", T12_RSA, T12_NO_DH, 0,
              KEEL_TEST_T12_ANY_GROUP) < 0);
    expect_client_fails(&p, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER);
    t12_free(&p);
}

static void test_ske_small_dh_prime(void)
{
    t12_pair p;
    const char *prio = G12 ":-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-SECP256R1";

    CHECK(run(&p, prio, prio, T12_RSA, T12_SMALL_DH, 0, 0) < 0);
    expect_client_fails(&p, GNUTLS_E_DH_PRIME_UNACCEPTABLE, GNUTLS_A_INSUFFICIENT_SECURITY);
    t12_free(&p);

    /* The same for DH_anon. */
    prio = G12 ":-KX-ALL:+ANON-DH:-GROUP-ALL:+GROUP-SECP256R1";
    CHECK(run(&p, prio, prio, T12_RSA, T12_SMALL_DH, 0, 0) < 0);
    expect_client_fails(&p, GNUTLS_E_DH_PRIME_UNACCEPTABLE, GNUTLS_A_INSUFFICIENT_SECURITY);
    t12_free(&p);

    /* A 2048-bit prime is below a SECURE192 client's minimum (3072). */
    CHECK(run(&p, "SECURE192:-VERS-ALL:+VERS-TLS1.2:+DHE-RSA:-GROUP-ALL:+GROUP-SECP384R1",
              G12 ":-KX-ALL:+DHE-RSA", T12_RSA, T12_CUSTOM_DH, 0, 0) < 0);
    expect_client_fails(&p, GNUTLS_E_DH_PRIME_UNACCEPTABLE, GNUTLS_A_INSUFFICIENT_SECURITY);
    t12_free(&p);
}

static void test_initial_renegotiation_info_not_empty(void)
{
    t12_pair p;

    /* RFC 5746 3.6: the server "MUST" abort (handshake_failure). */
    CHECK(run(&p, G12, G12, T12_RSA, T12_NO_DH, KEEL_TEST_T12_RI_DATA, 0) < 0);
    expect_server_fails(&p, GNUTLS_E_SAFE_RENEGOTIATION_FAILED, GNUTLS_A_HANDSHAKE_FAILURE);
    t12_free(&p);
}

static void test_finished_mismatch(void)
{
    t12_pair p;

    CHECK(run(&p, G12, G12, T12_ECDSA, T12_NO_DH, KEEL_TEST_CORRUPT_FINISHED, 0) < 0);
    expect_server_fails(&p, GNUTLS_E_ERROR_IN_FINISHED_PACKET, GNUTLS_A_DECRYPT_ERROR);
    t12_free(&p);

    /* The server's Finished ends its handshake; it hears of the failure afterwards. */
    CHECK(run(&p, G12, G12, T12_ECDSA, T12_NO_DH, 0, KEEL_TEST_CORRUPT_FINISHED) < 0);
    CHECK_INT(p.cret, GNUTLS_E_ERROR_IN_FINISHED_PACKET);
    CHECK_INT(p.sret, 0);
    {
        char buf[16];
        CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_DECRYPT_ERROR);
    }
    t12_free(&p);
}

/* RFC 5246 7.4.7.1: a premaster with bad padding or a wrong version fails exactly as one
 * encrypted to another key does: only when the client's Finished does not decrypt. */
static void test_rsa_premaster_countermeasure(void)
{
    static const unsigned bad[] = {
        KEEL_TEST_T12_PM_PADDING, KEEL_TEST_T12_PM_VERSION, KEEL_TEST_T12_PM_WRONG_KEY,
    };
    const char *prio = G12 ":-KX-ALL:+RSA";
    int first_c = 0, first_s = 0, first_alert = -1;
    t12_pair p;

    CHECK_INT(run(&p, prio, prio, T12_RSA, T12_NO_DH, 0, 0), 0);
    t12_free(&p);
    for (unsigned i = 0; i < N_ELEMS(bad); i++) {
        CHECK(run(&p, prio, prio, T12_RSA, T12_NO_DH, bad[i], 0) < 0);
        /* The server got as far as the client's Finished record. */
        CHECK_INT(gnutls_handshake_get_last_in(p.s), GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE);
        CHECK_INT(p.sret, GNUTLS_E_DECRYPTION_FAILED);
        CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_BAD_RECORD_MAC);
        if (i == 0) {
            first_c = p.cret;
            first_s = p.sret;
            first_alert = (int)gnutls_alert_get(p.c);
        }
        CHECK_INT(p.cret, first_c);
        CHECK_INT(p.sret, first_s);
        CHECK_INT(gnutls_alert_get(p.c), first_alert);
        t12_free(&p);
    }
}

/* Every byte of the server's first flight flipped in turn, for each kind of key exchange:
 * the client never crashes, and never gets past its own flight. */
static void flip_flight(const char *prio, int key)
{
    uint8_t flight[16384];
    size_t len, step;
    t12_pair p;

    /* The flight, once, to learn its length. */
    REQUIRE(t12_init(&p, prio, prio, key, T12_CUSTOM_DH) == 0);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_AGAIN);
    len = memt_take(p.l, MEMT_SERVER, flight, sizeof flight);
    t12_free(&p);
    REQUIRE(len > 100 && len < sizeof flight);
    step = len / 150 + 1;
    for (size_t i = 0; i < len; i += step) {
        uint8_t copy[16384];
        int ret = GNUTLS_E_AGAIN;
        REQUIRE(t12_init(&p, prio, prio, key, T12_CUSTOM_DH) == 0);
        (void)gnutls_handshake(p.c);
        (void)gnutls_handshake(p.s);
        len = memt_take(p.l, MEMT_SERVER, copy, sizeof copy);
        if (i < len) {
            copy[i] ^= 0x5a;
            memt_inject(p.l, MEMT_CLIENT, copy, len);
            for (int k = 0; k < 4 && ret == GNUTLS_E_AGAIN; k++)
                ret = gnutls_handshake(p.c);
            /* Randoms and signatures differ each run, so some flips are harmless until the
             * server's Finished, which never comes here. */
            CHECK(ret != 0);
        }
        t12_free(&p);
    }
}

static void test_flipped_server_flight(void)
{
    flip_flight(G12 ":-KX-ALL:+ECDHE-RSA", T12_RSA);
    flip_flight(G12 ":-KX-ALL:+ECDHE-ECDSA", T12_ECDSA);
    flip_flight(G12 ":-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-SECP256R1", T12_RSA);
    flip_flight(G12 ":-KX-ALL:+ANON-DH:-GROUP-ALL:+GROUP-SECP256R1", T12_RSA);
    flip_flight(G12 ":-KX-ALL:+RSA", T12_RSA);
}

/* A ServerHello naming a suite the client did not offer is illegal_parameter
 * (RFC 5246 7.4.1.3). */
static void test_unoffered_suite(void)
{
    t12_pair p;
    uint8_t flight[8192], ske_flight[8192];
    size_t len, ske_len;

    /* Record the ECDHE-RSA server flight, then play it to an RSA-only client. */
    REQUIRE(t12_init(&p, G12 ":-KX-ALL:+RSA:+ECDHE-RSA", G12 ":-KX-ALL:+ECDHE-RSA", T12_RSA,
                     T12_NO_DH) == 0);
    (void)gnutls_handshake(p.c);
    (void)gnutls_handshake(p.s);
    ske_len = memt_take(p.l, MEMT_SERVER, ske_flight, sizeof ske_flight);
    t12_free(&p);
    REQUIRE(ske_len > 0);

    REQUIRE(t12_init(&p, G12 ":-KX-ALL:+RSA", G12 ":-KX-ALL:+RSA", T12_RSA, T12_NO_DH) == 0);
    (void)gnutls_handshake(p.c);
    (void)gnutls_handshake(p.s);
    len = memt_take(p.l, MEMT_SERVER, flight, sizeof flight);
    REQUIRE(len > 0);
    /* The ECDHE flight names a suite this client did not offer. */
    memt_inject(p.l, MEMT_CLIENT, ske_flight, ske_len);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    t12_free(&p);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_ske_bad_signature);
    RUN(test_ske_point_not_on_curve);
    RUN(test_ske_unoffered_group);
    RUN(test_ske_small_dh_prime);
    RUN(test_initial_renegotiation_info_not_empty);
    RUN(test_finished_mismatch);
    RUN(test_rsa_premaster_countermeasure);
    RUN(test_flipped_server_flight);
    RUN(test_unoffered_suite);
    gnutls_global_deinit();
    return t_done();
}
