/* TLS 1.2 client and server in one process over the memory transport: every key exchange x
 * cipher with and without the extended master secret, GNUTLS_E_AGAIN before every other
 * transport call and 1-byte reads, application data both ways, the safe-renegotiation mode
 * pairs and %FORCE_SESSION_HASH with GnuTLS's error codes, and version negotiation with
 * TLS 1.3 peers (downgrade sentinel). Bad input lives in test_tls12_bad.c. */
#include <gnutls/gnutls.h>
#include "handshake/tls12.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"
#include "session/test_tls12_common.h"

/* ---- every key exchange x cipher x EMS ---- */

static const struct { const char *kx; gnutls_kx_algorithm_t id; const char *extra; int dh; } kxs[] = {
    { "ECDHE-ECDSA", GNUTLS_KX_ECDHE_ECDSA, "", T12_NO_DH },
    { "ECDHE-RSA", GNUTLS_KX_ECDHE_RSA, "", T12_NO_DH },
    /* The credentials' own group: the client lists no FFDHE group (RFC 7919 4). */
    { "DHE-RSA", GNUTLS_KX_DHE_RSA, ":-GROUP-ALL:+GROUP-SECP256R1", T12_CUSTOM_DH },
    /* An RFC 7919 group negotiated through supported_groups. */
    { "DHE-RSA", GNUTLS_KX_DHE_RSA, ":-GROUP-ALL:+GROUP-FFDHE2048", T12_NO_DH },
    { "RSA", GNUTLS_KX_RSA, "", T12_NO_DH },
    { "ANON-DH", GNUTLS_KX_ANON_DH, ":-GROUP-ALL:+GROUP-SECP256R1", T12_CUSTOM_DH },
    { "ANON-DH", GNUTLS_KX_ANON_DH, ":-GROUP-ALL:+GROUP-FFDHE3072", T12_NO_DH },
};
static const struct { const char *name; gnutls_cipher_algorithm_t id; } ciphers[] = {
    { "AES-128-GCM", GNUTLS_CIPHER_AES_128_GCM },
    { "AES-256-GCM", GNUTLS_CIPHER_AES_256_GCM },
    { "CHACHA20-POLY1305", GNUTLS_CIPHER_CHACHA20_POLY1305 },
};

static int one_suite(unsigned k, unsigned c, int ems, unsigned again, size_t max_read)
{
    char prio[256];
    t12_pair p;
    int ok = 1;

    snprintf(prio, sizeof prio, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+%s:-CIPHER-ALL:+%s%s%s",
             kxs[k].kx, ciphers[c].name, kxs[k].extra, ems ? "" : ":%NO_SESSION_HASH");
    if (t12_init(&p, prio, prio, kxs[k].id == GNUTLS_KX_ECDHE_ECDSA ? T12_ECDSA : T12_RSA,
                 kxs[k].dh) < 0)
        return 0;
    memt_set_again(p.l, MEMT_CLIENT, again);
    memt_set_again(p.l, MEMT_SERVER, again);
    memt_set_max_read(p.l, MEMT_CLIENT, max_read);
    memt_set_max_read(p.l, MEMT_SERVER, max_read);
    ok = memt_handshake2(p.c, p.s, &p.cret, &p.sret) == 0;
    if (!ok)
        fprintf(stderr, "  %s %s ems=%d again=%u: client %d server %d\n", kxs[k].kx,
                ciphers[c].name, ems, again, p.cret, p.sret);
    ok = ok && gnutls_protocol_get_version(p.c) == GNUTLS_TLS1_2 &&
         gnutls_protocol_get_version(p.s) == GNUTLS_TLS1_2;
    ok = ok && gnutls_kx_get(p.c) == kxs[k].id && gnutls_kx_get(p.s) == kxs[k].id;
    ok = ok && gnutls_cipher_get(p.c) == ciphers[c].id && gnutls_cipher_get(p.s) == ciphers[c].id;
    ok = ok && (int)gnutls_session_ext_master_secret_status(p.c) == ems &&
         (int)gnutls_session_ext_master_secret_status(p.s) == ems;
    ok = ok && gnutls_safe_renegotiation_status(p.c) == 1 &&
         gnutls_safe_renegotiation_status(p.s) == 1;
    ok = ok && t12_transfer(p.c, p.s, 20000) && t12_transfer(p.s, p.c, 20000);
    t12_free(&p);
    return ok;
}

/* RSA and DH_anon have no ChaCha20-Poly1305 code point (RFC 7905 lists only ECDHE, DHE
 * and PSK ones), and ECDH_anon none with an AEAD at all. */
static int suite_exists(unsigned k, unsigned c)
{
    return gnutls_cipher_suite_get_name(kxs[k].id, ciphers[c].id, GNUTLS_MAC_AEAD) != NULL;
}

static void test_every_kx_cipher_ems(void)
{
    unsigned n = 0;

    for (unsigned k = 0; k < N_ELEMS(kxs); k++)
        for (unsigned c = 0; c < N_ELEMS(ciphers); c++)
            for (int ems = 0; ems <= 1; ems++)
                if (suite_exists(k, c)) {
                    CHECK(one_suite(k, c, ems, 0, 0));
                    n++;
                }
    CHECK_INT(n, 2 * (N_ELEMS(kxs) * N_ELEMS(ciphers) - 3));
    CHECK(gnutls_cipher_suite_get_name(GNUTLS_KX_ANON_ECDH, GNUTLS_CIPHER_AES_128_GCM,
                                       GNUTLS_MAC_AEAD) == NULL);
}

static void test_every_kx_again_and_short_reads(void)
{
    for (unsigned k = 0; k < N_ELEMS(kxs); k++) {
        for (unsigned c = 0; c < N_ELEMS(ciphers); c++) {
            if (!suite_exists(k, c))
                continue;
            CHECK(one_suite(k, c, 1, 1, 0));
            CHECK(one_suite(k, c, 0, 2, 1));
            CHECK(one_suite(k, c, 1, 3, 7));
        }
    }
}

/* The session reports what GnuTLS reports: kx, group, description, flags. */
static void test_session_info(void)
{
    t12_pair p;
    char *desc;

    REQUIRE(t12_init(&p, "NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                     T12_ECDSA, T12_NO_DH) == 0);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    desc = gnutls_session_get_desc(p.c);
    REQUIRE(desc != NULL);
    /* libgnutls 3.7.9 with the same priorities and key: */
    CHECK(strcmp(desc, "(TLS1.2)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-256-GCM)") == 0);
    if (strcmp(desc, "(TLS1.2)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-256-GCM)") != 0)
        fprintf(stderr, "  desc %s\n", desc);
    gnutls_free(desc);
    CHECK_INT(gnutls_session_get_flags(p.c) & 3, GNUTLS_SFLAGS_SAFE_RENEGOTIATION | GNUTLS_SFLAGS_EXT_MASTER_SECRET);
    CHECK_INT(gnutls_session_get_flags(p.s) & 3, GNUTLS_SFLAGS_SAFE_RENEGOTIATION | GNUTLS_SFLAGS_EXT_MASTER_SECRET);
    CHECK_INT(gnutls_group_get(p.c), GNUTLS_GROUP_SECP256R1);
    CHECK_INT(gnutls_mac_get(p.c), GNUTLS_MAC_AEAD);
    t12_free(&p);
}

static void test_rfc7919_flag(void)
{
    t12_pair p;
    const char *prio = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE2048";

    REQUIRE(t12_init(&p, prio, prio, T12_RSA, T12_NO_DH) == 0);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    CHECK(gnutls_session_get_flags(p.c) & GNUTLS_SFLAGS_RFC7919);
    CHECK(gnutls_session_get_flags(p.s) & GNUTLS_SFLAGS_RFC7919);
    CHECK_INT(gnutls_group_get(p.c), GNUTLS_GROUP_FFDHE2048);
    CHECK_INT(gnutls_dh_get_prime_bits(p.c), 2048);
    CHECK_INT(gnutls_dh_get_prime_bits(p.s), 2048);
    t12_free(&p);

    /* The server's own (non-RFC 7919) parameters: no flag, no group, their size. */
    prio = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-SECP256R1";
    REQUIRE(t12_init(&p, prio, prio, T12_RSA, T12_CUSTOM_DH) == 0);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    CHECK(!(gnutls_session_get_flags(p.c) & GNUTLS_SFLAGS_RFC7919));
    CHECK_INT(gnutls_group_get(p.c), GNUTLS_GROUP_INVALID);
    CHECK_INT(gnutls_dh_get_prime_bits(p.c), 2048);
    CHECK_INT(gnutls_dh_get_prime_bits(p.s), 2048);
    t12_free(&p);
}

/* A client listing FFDHE groups none of which the server has gets no DHE suite
 * (RFC 7919 4), even though the server has its own parameters. */
static void test_rfc7919_no_common_group(void)
{
    t12_pair p;

    REQUIRE(t12_init(&p, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE4096",
                     "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-FFDHE2048",
                     T12_RSA, T12_CUSTOM_DH) == 0);
    CHECK(memt_handshake2(p.c, p.s, &p.cret, &p.sret) < 0);
    CHECK_INT(p.sret, GNUTLS_E_NO_CIPHER_SUITES);
    CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_HANDSHAKE_FAILURE);
    t12_free(&p);
}

/* ---- safe renegotiation modes (RFC 5746), initial handshake ---- */

static const char *sr_modes[] = { "%SAFE_RENEGOTIATION", "%PARTIAL_RENEGOTIATION",
                                  "%UNSAFE_RENEGOTIATION", "%DISABLE_SAFE_RENEGOTIATION" };

static void test_safe_renegotiation_pairs(void)
{
    /* Results of libgnutls 3.7.9 for the same pairs (client mode, server mode): 0 = both
     * succeed; 'c' = the client fails with GNUTLS_E_SAFE_RENEGOTIATION_FAILED; 's' = the
     * server does. The other side then sees Keel's handshake_failure alert. */
    static const char expect[4][4] = {
        /* server:   SAFE PART UNSAFE DISABLE */
        /* SAFE */ { 0, 0, 0, 'c' },
        /* PART */ { 0, 0, 0, 0 },
        /* UNSF */ { 0, 0, 0, 0 },
        /* DIS  */ { 's', 0, 0, 0 },
    };

    for (int c = 0; c < 4; c++) {
        for (int sv = 0; sv < 4; sv++) {
            char cp[128], sp[128];
            t12_pair p;
            int ret, both_sr = (c != 3 && sv != 3);

            snprintf(cp, sizeof cp, "NORMAL:-VERS-ALL:+VERS-TLS1.2:%s", sr_modes[c]);
            snprintf(sp, sizeof sp, "NORMAL:-VERS-ALL:+VERS-TLS1.2:%s", sr_modes[sv]);
            REQUIRE(t12_init(&p, cp, sp, T12_RSA, T12_NO_DH) == 0);
            ret = memt_handshake2(p.c, p.s, &p.cret, &p.sret);
            switch (expect[c][sv]) {
            case 0:
                CHECK_INT(ret, 0);
                CHECK_INT(gnutls_safe_renegotiation_status(p.c), both_sr);
                CHECK_INT(gnutls_safe_renegotiation_status(p.s), both_sr);
                CHECK_INT(!!(gnutls_session_get_flags(p.c) & GNUTLS_SFLAGS_SAFE_RENEGOTIATION), both_sr);
                CHECK(t12_transfer(p.c, p.s, 100));
                break;
            case 'c':
                CHECK_INT(p.cret, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
                CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
                CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_HANDSHAKE_FAILURE);
                break;
            default:
                CHECK_INT(p.sret, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
                CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
                CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_HANDSHAKE_FAILURE);
                break;
            }
            t12_free(&p);
        }
    }
}

/* ---- extended master secret (RFC 7627) ---- */

static void ems_case(const char *cextra, const char *sextra, int cerr, int serr, int ems)
{
    char cp[128], sp[128];
    t12_pair p;
    int ret;

    snprintf(cp, sizeof cp, "NORMAL:-VERS-ALL:+VERS-TLS1.2%s", cextra);
    snprintf(sp, sizeof sp, "NORMAL:-VERS-ALL:+VERS-TLS1.2%s", sextra);
    REQUIRE(t12_init(&p, cp, sp, T12_ECDSA, T12_NO_DH) == 0);
    ret = memt_handshake2(p.c, p.s, &p.cret, &p.sret);
    if (cerr == 0 && serr == 0) {
        CHECK_INT(ret, 0);
        CHECK_INT(gnutls_session_ext_master_secret_status(p.c), ems);
        CHECK_INT(gnutls_session_ext_master_secret_status(p.s), ems);
        CHECK(t12_transfer(p.c, p.s, 1000) && t12_transfer(p.s, p.c, 1000));
    } else if (cerr) {
        CHECK_INT(p.cret, cerr);
        CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_INSUFFICIENT_SECURITY);
    } else {
        CHECK_INT(p.sret, serr);
        CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_INSUFFICIENT_SECURITY);
    }
    t12_free(&p);
}

/* GnuTLS's tests/tls-force-ems.c expectations (3.8): GNUTLS_E_INSUFFICIENT_SECURITY on the
 * side that forces. */
static void test_ems_modes(void)
{
    ems_case("", "", 0, 0, 1);
    ems_case(":%NO_SESSION_HASH", "", 0, 0, 0);
    ems_case("", ":%NO_SESSION_HASH", 0, 0, 0);
    ems_case(":%FORCE_SESSION_HASH", ":%FORCE_SESSION_HASH", 0, 0, 1);
    ems_case(":%FORCE_SESSION_HASH", ":%NO_SESSION_HASH", GNUTLS_E_INSUFFICIENT_SECURITY, 0, 0);
    ems_case(":%NO_SESSION_HASH", ":%FORCE_SESSION_HASH", 0, GNUTLS_E_INSUFFICIENT_SECURITY, 0);
}

/* ---- version negotiation 1.2 <-> 1.3 ---- */

static const uint8_t sentinel12[8] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D', 1 };

static void version_case(const char *cp, const char *sp, gnutls_protocol_t want, int sentinel)
{
    t12_pair p;
    gnutls_datum_t cr, sr;

    REQUIRE(t12_init(&p, cp, sp, T12_RSA, T12_NO_DH) == 0);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    CHECK_INT(gnutls_protocol_get_version(p.c), want);
    CHECK_INT(gnutls_protocol_get_version(p.s), want);
    gnutls_session_get_random(p.c, &cr, &sr);
    CHECK_INT(sr.size, 32);
    CHECK_INT(memcmp(sr.data + 24, sentinel12, 8) == 0, sentinel);
    CHECK(t12_transfer(p.c, p.s, 5000) && t12_transfer(p.s, p.c, 5000));
    t12_free(&p);
}

static void test_versions(void)
{
    /* 1.3+1.2 client, 1.2-only server: 1.2, and a 1.2-only server writes no sentinel. */
    version_case("NORMAL", "NORMAL:-VERS-ALL:+VERS-TLS1.2", GNUTLS_TLS1_2, 0);
    /* 1.2-only client, 1.3+1.2 server: 1.2, with the sentinel (RFC 8446 4.1.3). */
    version_case("NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL", GNUTLS_TLS1_2, 1);
    /* Both: 1.3. */
    version_case("NORMAL", "NORMAL", GNUTLS_TLS1_3, 0);
}

static void test_forged_sentinel(void)
{
    struct keel_test_hs_params tp;
    t12_pair p;

    memset(&tp, 0, sizeof tp);
    tp.corrupt = KEEL_TEST_T12_SENTINEL;
    REQUIRE(t12_init(&p, "NORMAL", "NORMAL:-VERS-ALL:+VERS-TLS1.2", T12_RSA, T12_NO_DH) == 0);
    REQUIRE(keel_test_hs_set_params(p.s, &tp) == 0);
    CHECK(memt_handshake2(p.c, p.s, &p.cret, &p.sret) < 0);
    CHECK_INT(p.cret, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_ILLEGAL_PARAMETER);
    t12_free(&p);

    /* A 1.2-only client has nothing to detect: the same server is fine for it. */
    memset(&tp, 0, sizeof tp);
    tp.corrupt = KEEL_TEST_T12_SENTINEL;
    REQUIRE(t12_init(&p, "NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                     T12_RSA, T12_NO_DH) == 0);
    REQUIRE(keel_test_hs_set_params(p.s, &tp) == 0);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    t12_free(&p);
}

/* ---- hooks see TLS 1.2 messages ---- */

static unsigned hook_seen_in, hook_seen_out;

static int count_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                      const gnutls_datum_t *msg)
{
    if (when == GNUTLS_HOOK_POST && htype < 32) {
        if (incoming)
            hook_seen_in |= 1u << htype;
        else
            hook_seen_out |= 1u << htype;
    }
    return 0;
}

static void test_hooks(void)
{
    t12_pair p;
    unsigned want_in = (1u << GNUTLS_HANDSHAKE_SERVER_HELLO) |
                       (1u << GNUTLS_HANDSHAKE_CERTIFICATE_PKT) |
                       (1u << GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE) |
                       (1u << GNUTLS_HANDSHAKE_SERVER_HELLO_DONE) |
                       (1u << GNUTLS_HANDSHAKE_FINISHED);
    unsigned want_out = (1u << GNUTLS_HANDSHAKE_CLIENT_HELLO) |
                        (1u << GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE) |
                        (1u << GNUTLS_HANDSHAKE_FINISHED);

    REQUIRE(t12_init(&p, "NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL", T12_RSA, T12_NO_DH) == 0);
    hook_seen_in = hook_seen_out = 0;
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH, count_hook);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    CHECK_INT(hook_seen_in, want_in);
    CHECK_INT(hook_seen_out, want_out);
    t12_free(&p);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_every_kx_cipher_ems);
    RUN(test_every_kx_again_and_short_reads);
    RUN(test_session_info);
    RUN(test_rfc7919_flag);
    RUN(test_rfc7919_no_common_group);
    RUN(test_safe_renegotiation_pairs);
    RUN(test_ems_modes);
    RUN(test_versions);
    RUN(test_forged_sentinel);
    RUN(test_hooks);
    gnutls_global_deinit();
    return t_done();
}
