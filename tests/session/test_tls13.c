/* TLS 1.3 client and server in one process over an in-memory transport: every suite x group
 * x signature key, HelloRetryRequest, GNUTLS_E_AGAIN before every transport call, 1-byte
 * reads, fragmented and coalesced handshake records, application data both ways. */
#include <gnutls/gnutls.h>
#include "session.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- a client and a server joined by the memory transport ---- */

typedef struct {
    gnutls_session_t c, s;
    memt_link *l;
    gnutls_certificate_credentials_t scred, ccred;
    int cret, sret;
} pair;

static const char *srcdir(void)
{
    const char *d = getenv("KEEL_SRCDIR");
    return d ? d : ".";
}

static int load_cred(gnutls_certificate_credentials_t *cred, const char *cert, const char *key)
{
    char cp[512], kp[512];
    int ret = gnutls_certificate_allocate_credentials(cred);
    if (ret < 0 || cert == NULL)
        return ret;
    snprintf(cp, sizeof cp, "%s/tests/data/%s", srcdir(), cert);
    snprintf(kp, sizeof kp, "%s/tests/data/%s", srcdir(), key);
    return gnutls_certificate_set_x509_key_file(*cred, cp, kp, GNUTLS_X509_FMT_PEM);
}

static int pair_init(pair *p, const char *cprio, const char *sprio, const char *cert, const char *key)
{
    memset(p, 0, sizeof *p);
    p->l = memt_new();
    if (p->l == NULL || load_cred(&p->scred, cert, key) < 0 || load_cred(&p->ccred, NULL, NULL) < 0)
        return -1;
    if (gnutls_init(&p->c, GNUTLS_CLIENT) < 0 || gnutls_init(&p->s, GNUTLS_SERVER) < 0)
        return -1;
    if (gnutls_priority_set_direct(p->c, cprio, NULL) < 0 ||
        gnutls_priority_set_direct(p->s, sprio, NULL) < 0)
        return -1;
    gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred);
    gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred);
    memt_attach(p->l, p->c, p->s);
    return 0;
}

/* EAGAIN before every other transport call, and reads of at most max_read bytes. */
static void pair_faults(pair *p, int again, size_t max_read)
{
    for (int side = MEMT_CLIENT; side <= MEMT_SERVER; side++) {
        memt_set_again(p->l, side, again ? 1 : 0);
        memt_set_max_read(p->l, side, max_read);
    }
}

static void pair_free(pair *p)
{
    gnutls_deinit(p->c);
    gnutls_deinit(p->s);
    memt_free(p->l);
    gnutls_certificate_free_credentials(p->scred);
    gnutls_certificate_free_credentials(p->ccred);
}

static void pair_handshake(pair *p)
{
    (void)memt_handshake2(p->c, p->s, &p->cret, &p->sret);
}

static int send_all(gnutls_session_t s, const unsigned char *d, size_t n)
{
    while (n > 0) {
        ssize_t r = gnutls_record_send(s, d, n);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
            continue;
        if (r < 0)
            return (int)r;
        d += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Sends n bytes from a to b and checks they arrive intact. */
static int transfer(gnutls_session_t a, gnutls_session_t b, size_t n)
{
    unsigned char *src = malloc(n), *dst = malloc(n);
    size_t got = 0;
    int ok = 1, spins = 0;

    for (size_t i = 0; i < n; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    if (send_all(a, src, n) < 0)
        ok = 0;
    while (ok && got < n && spins++ < 1000000) {
        ssize_t r = gnutls_record_recv(b, dst + got, n - got);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
            continue;
        if (r <= 0) {
            ok = 0;
            break;
        }
        got += (size_t)r;
    }
    ok = ok && got == n && memcmp(src, dst, n) == 0;
    free(src);
    free(dst);
    return ok;
}

/* ---- cases ---- */

static const char *suites[] = { "AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305" };
static const char *groups[] = { "X25519", "SECP256R1", "SECP384R1" };
static const struct { const char *cert, *key, *sign; } keys[] = {
    { "rsa-cert.pem", "rsa-key.pem", "RSA-PSS-RSAE-SHA256" },
    { "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", "ECDSA-SECP256R1-SHA256" },
    { "ecdsa-p384-cert.pem", "ecdsa-p384-key.pem", "ECDSA-SECP384R1-SHA384" },
    { "ed25519-cert.pem", "ed25519-key.pem", "EdDSA-Ed25519" },
    { "rsa-pss-cert.pem", "rsa-pss-key.pem", "RSA-PSS-SHA256" },
};

static int check_one(const char *suite, const char *group, int k, int again, size_t max_read)
{
    char prio[512];
    pair p;
    int ok = 1;

    snprintf(prio, sizeof prio, "NONE:+VERS-TLS1.3:+%s:+AEAD:+GROUP-%s:+SIGN-ALL:+CTYPE-X509",
             suite, group);
    if (pair_init(&p, prio, prio, keys[k].cert, keys[k].key) < 0) {
        fprintf(stderr, "  setup failed for %s %s %s\n", suite, group, keys[k].cert);
        return 0;
    }
    pair_faults(&p, again, max_read);
    pair_handshake(&p);
    if (p.cret != 0 || p.sret != 0) {
        fprintf(stderr, "  %s %s %s: client %d (%s) server %d (%s)\n", suite, group,
                keys[k].cert, p.cret, gnutls_strerror(p.cret), p.sret, gnutls_strerror(p.sret));
        ok = 0;
    } else {
        ok = gnutls_protocol_get_version(p.c) == GNUTLS_TLS1_3 &&
             gnutls_protocol_get_version(p.s) == GNUTLS_TLS1_3 &&
             transfer(p.c, p.s, 1000) && transfer(p.s, p.c, 40000);
        if (!ok)
            fprintf(stderr, "  %s %s %s: data transfer failed\n", suite, group, keys[k].cert);
    }
    pair_free(&p);
    return ok;
}

static void test_every_suite_group_key(void)
{
    for (unsigned i = 0; i < N_ELEMS(suites); i++)
        for (unsigned j = 0; j < N_ELEMS(groups); j++)
            for (unsigned k = 0; k < N_ELEMS(keys); k++)
                CHECK(check_one(suites[i], groups[j], (int)k, 0, 0));
}

static void test_again_everywhere(void)
{
    CHECK(check_one("AES-128-GCM", "X25519", 0, 1, 0));
    CHECK(check_one("CHACHA20-POLY1305", "SECP256R1", 1, 1, 0));
}

/* GNUTLS_E_INTERRUPTED (EINTR) instead of EAGAIN, with a HelloRetryRequest in between. */
static void test_interrupted_everywhere(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1",
                      "NORMAL:-GROUP-ALL:+GROUP-SECP256R1", "ed25519-cert.pem", "ed25519-key.pem") == 0);
    memt_set_intr(p.l, MEMT_CLIENT, 1);
    memt_set_intr(p.l, MEMT_SERVER, 1);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK(transfer(p.c, p.s, 2000) && transfer(p.s, p.c, 2000));
    pair_free(&p);
}

static void test_one_byte_reads(void)
{
    CHECK(check_one("AES-256-GCM", "X25519", 1, 0, 1));
    CHECK(check_one("AES-128-GCM", "SECP384R1", 0, 1, 1));
}

static void test_default_priorities(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL", "NORMAL", "rsa-cert.pem", "rsa-key.pem") == 0);
    REQUIRE(gnutls_server_name_set(p.c, GNUTLS_NAME_DNS, "example.com", 11) == 0);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK_INT(gnutls_protocol_get_version(p.c), GNUTLS_TLS1_3);
    CHECK(transfer(p.c, p.s, 100));
    {
        char name[64];
        size_t len = sizeof name;
        unsigned type;
        CHECK_INT(gnutls_server_name_get(p.s, name, &len, &type, 0), 0);
        CHECK(len == 11 && memcmp(name, "example.com", 11) == 0);
    }
    pair_free(&p);
}

/* The client's key share is X25519, the server only takes SECP256R1: HelloRetryRequest. */
static void test_hello_retry_request(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1",
                      "NORMAL:-GROUP-ALL:+GROUP-SECP256R1", "ecdsa-p256-cert.pem",
                      "ecdsa-p256-key.pem") == 0);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK_INT(gnutls_group_get(p.c), GNUTLS_GROUP_SECP256R1);
    CHECK_INT(gnutls_group_get(p.s), GNUTLS_GROUP_SECP256R1);
    CHECK(transfer(p.c, p.s, 5000) && transfer(p.s, p.c, 5000));
    pair_free(&p);
}

static void test_hello_retry_request_again(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1",
                      "NORMAL:-GROUP-ALL:+GROUP-SECP384R1", "rsa-cert.pem", "rsa-key.pem") == 0);
    pair_faults(&p, 1, 1);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK(transfer(p.c, p.s, 3000));
    pair_free(&p);
}

static void test_no_common_group(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519", "NORMAL:-GROUP-ALL:+GROUP-SECP256R1",
                      "rsa-cert.pem", "rsa-key.pem") == 0);
    pair_handshake(&p);
    CHECK_INT(p.sret, GNUTLS_E_NO_COMMON_KEY_SHARE);
    CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_HANDSHAKE_FAILURE);
    pair_free(&p);
}

static void test_no_compat_mode(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL:%DISABLE_TLS13_COMPAT_MODE", "NORMAL", "rsa-cert.pem",
                      "rsa-key.pem") == 0);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK(transfer(p.s, p.c, 100));
    pair_free(&p);
}

/* Every handshake message split over many small records (record_size_limit-like sending
 * limits on both sides), read one byte at a time; and the server flight coalesced into one
 * record (the default), read whole. */
static void test_fragmented_records(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NORMAL", "NORMAL", "rsa-cert.pem", "rsa-key.pem") == 0);
    p.c->max_record_send = 7;
    p.s->max_record_send = 13;
    memt_set_max_read(p.l, MEMT_CLIENT, 3);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK(transfer(p.c, p.s, 100) && transfer(p.s, p.c, 100));
    pair_free(&p);
}

static void test_server_precedence(void)
{
    pair p;
    REQUIRE(pair_init(&p, "NONE:+VERS-TLS1.3:+AES-128-GCM:+CHACHA20-POLY1305:+AEAD:+GROUP-ALL:+SIGN-ALL",
                      "NONE:+VERS-TLS1.3:+CHACHA20-POLY1305:+AES-128-GCM:+AEAD:+GROUP-ALL:+SIGN-ALL:%SERVER_PRECEDENCE",
                      "rsa-cert.pem", "rsa-key.pem") == 0);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(gnutls_cipher_get(p.c), GNUTLS_CIPHER_CHACHA20_POLY1305);
    pair_free(&p);
    REQUIRE(pair_init(&p, "NONE:+VERS-TLS1.3:+AES-128-GCM:+CHACHA20-POLY1305:+AEAD:+GROUP-ALL:+SIGN-ALL",
                      "NONE:+VERS-TLS1.3:+CHACHA20-POLY1305:+AES-128-GCM:+AEAD:+GROUP-ALL:+SIGN-ALL",
                      "rsa-cert.pem", "rsa-key.pem") == 0);
    pair_handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(gnutls_cipher_get(p.c), GNUTLS_CIPHER_AES_128_GCM);
    pair_free(&p);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_every_suite_group_key);
    RUN(test_default_priorities);
    RUN(test_again_everywhere);
    RUN(test_interrupted_everywhere);
    RUN(test_one_byte_reads);
    RUN(test_hello_retry_request);
    RUN(test_hello_retry_request_again);
    RUN(test_no_common_group);
    RUN(test_no_compat_mode);
    RUN(test_server_precedence);
    RUN(test_fragmented_records);
    gnutls_global_deinit();
    return t_done();
}
