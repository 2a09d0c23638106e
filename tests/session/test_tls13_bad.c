/* TLS 1.3 bad input, each with the error code the victim returns and the alert its peer
 * receives: duplicated extensions, extensions in the wrong message or never asked for,
 * unknown and duplicated key shares, a ServerHello or HelloRetryRequest choosing what was
 * not offered, a second HelloRetryRequest, a wrong Finished, a bad CertificateVerify,
 * application data before the handshake, malformed hellos and the downgrade sentinel.
 * Peers are Keel sessions bent by the test hooks, or hand-written records. */
#include <gnutls/gnutls.h>
#include "session.h"
#include "handshake/handshake.h"
#include "ext/ext.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"

typedef struct {
    gnutls_session_t c, s;
    gnutls_certificate_credentials_t scred, ccred;
    memt_link *l;
    int cret, sret;
} pair;

static const char *srcdir(void)
{
    const char *d = getenv("KEEL_SRCDIR");
    return d ? d : ".";
}

/* cprio/sprio NULL: that side is played by hand. */
static int pair_init(pair *p, const char *cprio, const char *sprio)
{
    char cp[512], kp[512];

    memset(p, 0, sizeof *p);
    p->l = memt_new();
    if (p->l == NULL || gnutls_certificate_allocate_credentials(&p->scred) < 0 ||
        gnutls_certificate_allocate_credentials(&p->ccred) < 0)
        return -1;
    snprintf(cp, sizeof cp, "%s/tests/data/ecdsa-p256-cert.pem", srcdir());
    snprintf(kp, sizeof kp, "%s/tests/data/ecdsa-p256-key.pem", srcdir());
    if (gnutls_certificate_set_x509_key_file(p->scred, cp, kp, GNUTLS_X509_FMT_PEM) < 0)
        return -1;
    if (cprio != NULL) {
        if (gnutls_init(&p->c, GNUTLS_CLIENT) < 0 ||
            gnutls_priority_set_direct(p->c, cprio, NULL) < 0 ||
            gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred) < 0)
            return -1;
    }
    if (sprio != NULL) {
        if (gnutls_init(&p->s, GNUTLS_SERVER) < 0 ||
            gnutls_priority_set_direct(p->s, sprio, NULL) < 0 ||
            gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred) < 0)
            return -1;
    }
    memt_attach(p->l, p->c, p->s);
    return 0;
}

static void pair_free(pair *p)
{
    if (p->c)
        gnutls_deinit(p->c);
    if (p->s)
        gnutls_deinit(p->s);
    memt_free(p->l);
    gnutls_certificate_free_credentials(p->scred);
    gnutls_certificate_free_credentials(p->ccred);
}

static void pair_run(pair *p)
{
    (void)memt_handshake2(p->c, p->s, &p->cret, &p->sret);
}

/* ---- hand-written records ---- */

typedef struct {
    uint8_t b[4096];
    size_t n;
} buf;

static void put(buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void put8(buf *b, unsigned v) { b->b[b->n++] = (uint8_t)v; }
static void put16(buf *b, unsigned v) { put8(b, v >> 8); put8(b, v); }
static void put24(buf *b, unsigned v) { put8(b, v >> 16); put16(b, v & 0xffff); }

/* A plaintext handshake record holding one message. */
static void hs_record(buf *rec, uint8_t type, const buf *body)
{
    rec->n = 0;
    put8(rec, 22);
    put16(rec, 0x0303);
    put16(rec, (unsigned)body->n + 4);
    put8(rec, type);
    put24(rec, (unsigned)body->n);
    put(rec, body->b, body->n);
}

/* ServerHello body with an empty legacy_session_id_echo (the clients here are not in
 * compatibility mode). */
static void server_hello(buf *body, const uint8_t *random, unsigned suite, const buf *exts)
{
    body->n = 0;
    put16(body, 0x0303);
    put(body, random, 32);
    put8(body, 0);
    put16(body, suite);
    put8(body, 0);
    put16(body, (unsigned)exts->n);
    put(body, exts->b, exts->n);
}

static void ext(buf *exts, unsigned type, const void *data, size_t n)
{
    put16(exts, type);
    put16(exts, (unsigned)n);
    put(exts, data, n);
}

static const uint8_t sv13[] = { 0x03, 0x04 };
static const uint8_t x25519_share[] = {
    0x00, 0x1d, 0x00, 0x20,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
};

/* The alert a hand-played peer received: the last record the session wrote, in the
 * clear (the failures here come before any keys). -1 if none. */
static int alert_sent(pair *p, int side)
{
    uint8_t out[8192];
    size_t n = memt_take(p->l, side, out, sizeof out), i = 0;
    int desc = -1;

    while (i + 5 <= n) {
        size_t len = (size_t)out[i + 3] << 8 | out[i + 4];
        if (out[i] == 21 && len == 2 && i + 7 <= n)
            desc = out[i + 6];
        i += 5 + len;
    }
    return desc;
}

static const char *client_prio = "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:"
                                 "+GROUP-SECP384R1:%DISABLE_TLS13_COMPAT_MODE";

/* Starts a hand-played handshake: the client sends its ClientHello (taken away). */
static int client_alone(pair *p, const char *prio)
{
    uint8_t ch[4096];

    if (pair_init(p, prio, NULL) < 0)
        return -1;
    if (gnutls_handshake(p->c) != GNUTLS_E_AGAIN)
        return -1;
    return memt_take(p->l, MEMT_CLIENT, ch, sizeof ch) > 0 ? 0 : -1;
}

static int client_gets(pair *p, const buf *rec)
{
    int ret = GNUTLS_E_AGAIN;
    memt_inject(p->l, MEMT_CLIENT, rec->b, rec->n);
    for (int i = 0; i < 10 && ret == GNUTLS_E_AGAIN; i++)
        ret = gnutls_handshake(p->c);
    return ret;
}

/* ---- Keel against Keel, bent by test hooks ---- */

static const keel_test_ext ch_dup_ext[] = {
    { KEEL_EXT_SUPPORTED_GROUPS, NULL, 0 },
    { KEEL_EXT_KEY_SHARE, NULL, 0 },
    { KEEL_EXT_SUPPORTED_VERSIONS, NULL, 0 },
    { KEEL_EXT_SIGNATURE_ALGORITHMS, NULL, 0 },
    { KEEL_EXT_PSK_KEY_EXCHANGE_MODES, NULL, 0 },
    { KEEL_EXT_PSK_KEY_EXCHANGE_MODES, NULL, 0 },
};

static void test_duplicated_extension_in_client_hello(void)
{
    pair p;
    struct keel_test_hs_params tp = { .ch_exts = ch_dup_ext, .n_ch_exts = 6 };

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    REQUIRE(keel_test_hs_set_params(p.c, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.sret, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

/* RFC 8446 4.2.8: shares of unknown groups are skipped; with nothing usable left the
 * server asks for its group with a HelloRetryRequest, and the handshake completes. */
static const uint8_t unknown_share[] = { 0x00, 0x05, 0x7a, 0x7a, 0x00, 0x01, 0x00 };
static const keel_test_ext ch_unknown_share[] = {
    { KEEL_EXT_SUPPORTED_GROUPS, NULL, 0 },
    { KEEL_EXT_KEY_SHARE, unknown_share, sizeof unknown_share },
    { KEEL_EXT_SUPPORTED_VERSIONS, NULL, 0 },
    { KEEL_EXT_SIGNATURE_ALGORITHMS, NULL, 0 },
};

static void test_unknown_group_in_key_share(void)
{
    pair p;
    struct keel_test_hs_params tp = { .ch_exts = ch_unknown_share, .n_ch_exts = 4 };

    REQUIRE(pair_init(&p, "NORMAL:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519",
                      "NORMAL:-GROUP-ALL:+GROUP-X25519") == 0);
    REQUIRE(keel_test_hs_set_params(p.c, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK_INT(gnutls_group_get(p.s), GNUTLS_GROUP_X25519);
    pair_free(&p);
}

static const uint8_t dup_share[] = {
    0x00, 0x48,
    0x00, 0x1d, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    0x00, 0x1d, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
static const keel_test_ext ch_dup_share[] = {
    { KEEL_EXT_SUPPORTED_GROUPS, NULL, 0 },
    { KEEL_EXT_KEY_SHARE, dup_share, sizeof dup_share },
    { KEEL_EXT_SUPPORTED_VERSIONS, NULL, 0 },
    { KEEL_EXT_SIGNATURE_ALGORITHMS, NULL, 0 },
};

static void test_duplicated_key_share_group(void)
{
    pair p;
    struct keel_test_hs_params tp = { .ch_exts = ch_dup_share, .n_ch_exts = 4 };

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    REQUIRE(keel_test_hs_set_params(p.c, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.sret, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

/* EncryptedExtensions carrying: key_share (not allowed there), record_size_limit (never
 * offered), an unknown type (never offered either). */
static void ee_case(const keel_test_ext *ee, int want_err, int want_alert)
{
    pair p;
    struct keel_test_hs_params tp = { .ee_exts = ee, .n_ee_exts = 1 };

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    REQUIRE(keel_test_hs_set_params(p.s, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.cret, want_err);
    CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), want_alert);
    pair_free(&p);
}

static const uint8_t rsl[] = { 0x40, 0x00 };
static const keel_test_ext ee_key_share[] = { { KEEL_EXT_KEY_SHARE, x25519_share, sizeof x25519_share } };
static const keel_test_ext ee_rsl[] = { { KEEL_EXT_RECORD_SIZE_LIMIT, rsl, sizeof rsl } };
static const keel_test_ext ee_unknown[] = { { 0x5a5a, rsl, sizeof rsl } };

static void test_extension_in_wrong_message(void)
{
    ee_case(ee_key_share, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER);
}

static void test_unsolicited_extension(void)
{
    ee_case(ee_rsl, GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION, GNUTLS_A_UNSUPPORTED_EXTENSION);
    ee_case(ee_unknown, GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION, GNUTLS_A_UNSUPPORTED_EXTENSION);
}

static void test_wrong_server_finished(void)
{
    pair p;
    struct keel_test_hs_params tp = { .corrupt = KEEL_TEST_CORRUPT_FINISHED };

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    REQUIRE(keel_test_hs_set_params(p.s, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.cret, GNUTLS_E_ERROR_IN_FINISHED_PACKET);
    CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_DECRYPT_ERROR);
    pair_free(&p);
}

static void test_wrong_client_finished(void)
{
    pair p;
    struct keel_test_hs_params tp = { .corrupt = KEEL_TEST_CORRUPT_FINISHED };

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    REQUIRE(keel_test_hs_set_params(p.c, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.sret, GNUTLS_E_ERROR_IN_FINISHED_PACKET);
    /* The client finished first; it learns of the failure on its next read. */
    {
        char b[16];
        ssize_t r;
        do
            r = gnutls_record_recv(p.c, b, sizeof b);
        while (r == GNUTLS_E_AGAIN);
        CHECK_INT(r, GNUTLS_E_FATAL_ALERT_RECEIVED);
        CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_DECRYPT_ERROR);
    }
    pair_free(&p);
}

static void test_bad_certificate_verify(void)
{
    pair p;
    struct keel_test_hs_params tp = { .corrupt = KEEL_TEST_CORRUPT_CV };

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    REQUIRE(keel_test_hs_set_params(p.s, &tp) == 0);
    pair_run(&p);
    CHECK_INT(p.cret, GNUTLS_E_PK_SIG_VERIFY_FAILED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_DECRYPT_ERROR);
    pair_free(&p);
}

/* A ServerHello whose key_share names a group the client offered no share for: the
 * server's X25519 choice is rewritten on the wire to secp256r1. */
static void test_server_hello_group_not_offered(void)
{
    pair p;
    uint8_t out[8192];
    size_t n;
    int patched = 0, ret;

    REQUIRE(pair_init(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1",
                      "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1") == 0);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_AGAIN);
    n = memt_take(p.l, MEMT_SERVER, out, sizeof out);
    for (size_t i = 0; i + 8 <= n && !patched; i++) {
        static const uint8_t ks[] = { 0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20 };
        if (memcmp(out + i, ks, sizeof ks) == 0) {
            out[i + 5] = 0x17;
            patched = 1;
        }
    }
    REQUIRE(patched);
    memt_inject(p.l, MEMT_CLIENT, out, n);
    ret = gnutls_handshake(p.c);
    CHECK_INT(ret, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

/* ---- a hand-played server ---- */

static void hrr_record(buf *rec, unsigned group)
{
    buf exts = { .n = 0 }, body;
    uint8_t g[2] = { (uint8_t)(group >> 8), (uint8_t)group };

    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    ext(&exts, KEEL_EXT_KEY_SHARE, g, 2);
    server_hello(&body, keel_hrr_random, 0x1301, &exts);
    hs_record(rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
}

static void test_second_hello_retry_request(void)
{
    pair p;
    buf rec;

    REQUIRE(client_alone(&p, client_prio) == 0);
    hrr_record(&rec, 0x0017);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_AGAIN);          /* sent ClientHello 2 */
    CHECK(memt_take(p.l, MEMT_CLIENT, rec.b, sizeof rec.b) > 0);
    hrr_record(&rec, 0x0018);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_UNEXPECTED_MESSAGE);
    pair_free(&p);
}

/* A HelloRetryRequest with a cookie and no key_share: ClientHello 2 echoes the cookie
 * (RFC 8446 4.2.2) and keeps its share; a cookie-less, share-less one changes nothing and
 * is refused (4.1.4). */
static void test_hrr_cookie_echoed(void)
{
    pair p;
    buf exts = { .n = 0 }, body, rec;
    static const uint8_t cookie[] = { 0x00, 0x05, 'c', 'o', 'o', 'k', 'y' };
    static const uint8_t echoed[] = { 0x00, 0x2c, 0x00, 0x07, 0x00, 0x05, 'c', 'o', 'o', 'k', 'y' };
    uint8_t out[4096];
    size_t n;
    int found = 0;

    REQUIRE(client_alone(&p, client_prio) == 0);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    ext(&exts, KEEL_EXT_COOKIE, cookie, sizeof cookie);
    server_hello(&body, keel_hrr_random, 0x1301, &exts);
    hs_record(&rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_AGAIN);
    n = memt_take(p.l, MEMT_CLIENT, out, sizeof out);
    for (size_t i = 0; i + sizeof echoed <= n; i++)
        found |= memcmp(out + i, echoed, sizeof echoed) == 0;
    CHECK(found);
    pair_free(&p);

    exts.n = 0;
    REQUIRE(client_alone(&p, client_prio) == 0);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    server_hello(&body, keel_hrr_random, 0x1301, &exts);
    hs_record(&rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_hrr_group_already_shared(void)
{
    pair p;
    buf rec;

    REQUIRE(client_alone(&p, client_prio) == 0);
    hrr_record(&rec, 0x001d);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_hrr_group_not_offered(void)
{
    pair p;
    buf rec;

    REQUIRE(client_alone(&p, client_prio) == 0);
    hrr_record(&rec, 0x0019);       /* secp521r1: not in the client's supported_groups */
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_server_hello_with_server_name(void)
{
    pair p;
    buf exts = { .n = 0 }, body, rec;
    uint8_t random[32] = { 1 };

    REQUIRE(client_alone(&p, client_prio) == 0);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    ext(&exts, KEEL_EXT_KEY_SHARE, x25519_share, sizeof x25519_share);
    ext(&exts, KEEL_EXT_SERVER_NAME, "", 0);
    server_hello(&body, random, 0x1301, &exts);
    hs_record(&rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_server_hello_duplicated_extension(void)
{
    pair p;
    buf exts = { .n = 0 }, body, rec;
    uint8_t random[32] = { 1 };

    REQUIRE(client_alone(&p, client_prio) == 0);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    ext(&exts, KEEL_EXT_KEY_SHARE, x25519_share, sizeof x25519_share);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    server_hello(&body, random, 0x1301, &exts);
    hs_record(&rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_server_hello_suite_not_offered(void)
{
    pair p;
    buf exts = { .n = 0 }, body, rec;
    uint8_t random[32] = { 1 };

    REQUIRE(client_alone(&p, "NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+GROUP-X25519:+SIGN-ALL:"
                             "%DISABLE_TLS13_COMPAT_MODE") == 0);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv13, sizeof sv13);
    ext(&exts, KEEL_EXT_KEY_SHARE, x25519_share, sizeof x25519_share);
    server_hello(&body, random, 0x1303, &exts);
    hs_record(&rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

/* RFC 8446 4.1.3: a TLS 1.2 ServerHello whose random ends in "DOWNGRD" 01. */
static void test_downgrade_sentinel(void)
{
    pair p;
    buf exts = { .n = 0 }, body, rec;
    uint8_t random[32] = { 7 };

    memcpy(random + 24, "DOWNGRD\x01", 8);
    REQUIRE(client_alone(&p, client_prio) == 0);
    server_hello(&body, random, 0xc02b, &exts);
    hs_record(&rec, GNUTLS_HANDSHAKE_SERVER_HELLO, &body);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_data_before_handshake(void)
{
    pair p;
    static const uint8_t appdata[] = { 23, 3, 3, 0, 5, 'h', 'e', 'l', 'l', 'o' };
    buf rec;

    /* to a client waiting for its ServerHello */
    REQUIRE(client_alone(&p, client_prio) == 0);
    rec.n = 0;
    put(&rec, appdata, sizeof appdata);
    CHECK_INT(client_gets(&p, &rec), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(alert_sent(&p, MEMT_CLIENT), GNUTLS_A_UNEXPECTED_MESSAGE);
    pair_free(&p);

    /* to a server waiting for a ClientHello */
    REQUIRE(pair_init(&p, NULL, "NORMAL") == 0);
    memt_inject(p.l, MEMT_SERVER, appdata, sizeof appdata);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(alert_sent(&p, MEMT_SERVER), GNUTLS_A_UNEXPECTED_MESSAGE);
    pair_free(&p);
}

static void test_truncated_client_hello(void)
{
    pair p;
    buf body = { .n = 0 }, rec;

    REQUIRE(pair_init(&p, NULL, "NORMAL") == 0);
    put16(&body, 0x0303);
    put(&body, "0123456789", 10);       /* random cut short */
    hs_record(&rec, GNUTLS_HANDSHAKE_CLIENT_HELLO, &body);
    memt_inject(p.l, MEMT_SERVER, rec.b, rec.n);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK_INT(alert_sent(&p, MEMT_SERVER), GNUTLS_A_DECODE_ERROR);
    pair_free(&p);
}

/* A TLS 1.3 ClientHello must offer exactly the null compression method. */
static void test_client_hello_compression(void)
{
    pair p;
    buf body = { .n = 0 }, exts = { .n = 0 }, rec;
    uint8_t random[32] = { 3 };
    static const uint8_t sv[] = { 0x02, 0x03, 0x04 };
    static const uint8_t groups[] = { 0x00, 0x02, 0x00, 0x1d };
    static const uint8_t sigs[] = { 0x00, 0x02, 0x04, 0x03 };
    uint8_t shares[2 + sizeof x25519_share] = { 0x00, sizeof x25519_share };

    memcpy(shares + 2, x25519_share, sizeof x25519_share);
    REQUIRE(pair_init(&p, NULL, "NORMAL") == 0);
    put16(&body, 0x0303);
    put(&body, random, 32);
    put8(&body, 0);
    put16(&body, 2);
    put16(&body, 0x1301);
    put8(&body, 2);                     /* two compression methods */
    put8(&body, 1);
    put8(&body, 0);
    ext(&exts, KEEL_EXT_SUPPORTED_VERSIONS, sv, sizeof sv);
    ext(&exts, KEEL_EXT_SUPPORTED_GROUPS, groups, sizeof groups);
    ext(&exts, KEEL_EXT_SIGNATURE_ALGORITHMS, sigs, sizeof sigs);
    ext(&exts, KEEL_EXT_KEY_SHARE, shares, sizeof shares);
    put16(&body, (unsigned)exts.n);
    put(&body, exts.b, exts.n);
    hs_record(&rec, GNUTLS_HANDSHAKE_CLIENT_HELLO, &body);
    memt_inject(p.l, MEMT_SERVER, rec.b, rec.n);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK_INT(alert_sent(&p, MEMT_SERVER), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

/* A post-handshake message from the server (queued by hand under its application keys),
 * then application data: what the client's gnutls_record_recv makes of it. */
static int client_reads_after(pair *p, uint8_t type, const uint8_t *body, size_t len)
{
    keel_builder *b = keel_hs_begin(p->s, type);
    char data[16];
    ssize_t r;

    keel_b_bytes(b, body, len);
    if (keel_hs_end(p->s, 0) < 0)
        return -1;
    do
        r = gnutls_record_send(p->s, "ping", 4);
    while (r == GNUTLS_E_AGAIN);
    if (r != 4)
        return -1;
    do
        r = gnutls_record_recv(p->c, data, sizeof data);
    while (r == GNUTLS_E_AGAIN);
    return (int)r;
}

/* NewSessionTicket: a well-formed one is read and dropped; a malformed one is decode_error.
 * (KeyUpdate has its own tests: test_keyupdate.c.) */
static void test_post_handshake_messages(void)
{
    static const uint8_t nst[] = {
        0, 0, 0x1c, 0x20,               /* ticket_lifetime */
        1, 2, 3, 4,                     /* ticket_age_add */
        2, 0, 0,                        /* ticket_nonce */
        0, 3, 't', 'i', 'k',            /* ticket */
        0, 4, 0x00, 0x2a, 0, 0,         /* extensions: early_data, empty */
    };
    pair p;
    char data[16];
    ssize_t r;

    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    pair_run(&p);
    REQUIRE(p.cret == 0 && p.sret == 0);
    CHECK_INT(client_reads_after(&p, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, nst, sizeof nst), 4);
    CHECK_INT(client_reads_after(&p, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, nst, sizeof nst - 1),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    do
        r = gnutls_record_recv(p.s, data, sizeof data);
    while (r == GNUTLS_E_AGAIN);
    CHECK_INT(r, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_DECODE_ERROR);
    pair_free(&p);
}

/* RFC 8446 4.2: a NewSessionTicket's extensions follow the rules of every block: one of a
 * type, and none that belongs to another message (key_share) -> illegal_parameter. */
static void nst_extensions_case(const uint8_t *exts, size_t n)
{
    static const uint8_t head[] = {
        0, 0, 0x1c, 0x20, 1, 2, 3, 4, 0, 0, 3, 't', 'i', 'k',
    };
    uint8_t nst[64];
    char data[16];
    ssize_t r;
    pair p;

    memcpy(nst, head, sizeof head);
    nst[sizeof head] = (uint8_t)(n >> 8);
    nst[sizeof head + 1] = (uint8_t)n;
    memcpy(nst + sizeof head + 2, exts, n);
    REQUIRE(pair_init(&p, "NORMAL", "NORMAL") == 0);
    pair_run(&p);
    REQUIRE(p.cret == 0 && p.sret == 0);
    CHECK_INT(client_reads_after(&p, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET, nst, sizeof head + 2 + n),
              GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    do
        r = gnutls_record_recv(p.s, data, sizeof data);
    while (r == GNUTLS_E_AGAIN);
    CHECK_INT(r, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_ILLEGAL_PARAMETER);
    pair_free(&p);
}

static void test_new_session_ticket_bad_extensions(void)
{
    static const uint8_t duplicated[] = { 0x00, 0x2a, 0, 0, 0x00, 0x2a, 0, 0 };
    static const uint8_t key_share[] = { 0x00, 0x33, 0, 2, 0x00, 0x1d };

    nst_extensions_case(duplicated, sizeof duplicated);
    nst_extensions_case(key_share, sizeof key_share);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_duplicated_extension_in_client_hello);
    RUN(test_unknown_group_in_key_share);
    RUN(test_duplicated_key_share_group);
    RUN(test_extension_in_wrong_message);
    RUN(test_unsolicited_extension);
    RUN(test_wrong_server_finished);
    RUN(test_wrong_client_finished);
    RUN(test_bad_certificate_verify);
    RUN(test_server_hello_group_not_offered);
    RUN(test_second_hello_retry_request);
    RUN(test_hrr_cookie_echoed);
    RUN(test_hrr_group_already_shared);
    RUN(test_hrr_group_not_offered);
    RUN(test_server_hello_with_server_name);
    RUN(test_server_hello_duplicated_extension);
    RUN(test_server_hello_suite_not_offered);
    RUN(test_downgrade_sentinel);
    RUN(test_data_before_handshake);
    RUN(test_truncated_client_hello);
    RUN(test_client_hello_compression);
    RUN(test_post_handshake_messages);
    RUN(test_new_session_ticket_bad_extensions);
    gnutls_global_deinit();
    return t_done();
}
