/* The session API around real TLS 1.3 handshakes over the memory transport: negotiated
 * parameters and gnutls_session_get_desc, handshake hooks and last_in/last_out, server name,
 * timeouts, failures with their alerts, GNUTLS_E_AGAIN everywhere, SSLKEYLOGFILE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include "session.h"
#include "lib/memtransport.h"
#undef CHECK
#include "harness.h"

static char keylog_path[] = "/tmp/keel-test-keylog-XXXXXX";

typedef struct {
    gnutls_session_t c, s;
    gnutls_certificate_credentials_t ccred, scred;
    memt_link *l;
} hpair;

static const char *srcdir(void)
{
    const char *d = getenv("KEEL_SRCDIR");
    return d ? d : ".";
}

static int hp_open_flags(hpair *p, const char *cert, const char *key, const char *prio,
                         unsigned cflags, unsigned sflags)
{
    char cp[512], kp[512];

    memset(p, 0, sizeof *p);
    snprintf(cp, sizeof cp, "%s/tests/data/%s", srcdir(), cert);
    snprintf(kp, sizeof kp, "%s/tests/data/%s", srcdir(), key);
    if (gnutls_certificate_allocate_credentials(&p->scred) < 0 ||
        gnutls_certificate_allocate_credentials(&p->ccred) < 0 ||
        gnutls_certificate_set_x509_key_file(p->scred, cp, kp, GNUTLS_X509_FMT_PEM) < 0)
        return -1;
    if (gnutls_init(&p->c, GNUTLS_CLIENT | cflags) < 0 || gnutls_init(&p->s, GNUTLS_SERVER | sflags) < 0)
        return -1;
    if (prio ? gnutls_priority_set_direct(p->c, prio, NULL) < 0 : gnutls_set_default_priority(p->c) < 0)
        return -1;
    if (gnutls_set_default_priority(p->s) < 0)
        return -1;
    if (gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred) < 0 ||
        gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred) < 0)
        return -1;
    p->l = memt_new();
    memt_attach(p->l, p->c, p->s);
    return 0;
}

static int hp_open(hpair *p, const char *prio)
{
    return hp_open_flags(p, "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", prio, 0, 0);
}

static void hp_close(hpair *p)
{
    gnutls_deinit(p->c);
    gnutls_deinit(p->s);
    gnutls_certificate_free_credentials(p->ccred);
    gnutls_certificate_free_credentials(p->scred);
    memt_free(p->l);
}

static int exchange(gnutls_session_t a, gnutls_session_t b, const char *msg)
{
    char buf[256];
    size_t n = strlen(msg), got = 0;
    ssize_t r;

    do
        r = gnutls_record_send(a, msg, n);
    while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
    while (r > 0 && got < n) {
        /* After an interrupted send, finish it. */
        r = gnutls_record_recv(b, buf + got, sizeof buf - got);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
            r = 1;
            continue;
        }
        if (r > 0)
            got += (size_t)r;
    }
    return got == n && memcmp(buf, msg, n) == 0;
}

static void negotiated_parameters(void)
{
    hpair p;
    char *desc;
    gnutls_datum_t cr, sr, cr2, sr2;

    REQUIRE(hp_open(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519:-CIPHER-ALL:+AES-128-GCM") == 0);
    CHECK(gnutls_session_get_desc(p.c) == NULL);
    CHECK_INT((int)gnutls_handshake_get_last_in(p.c), -1);
    CHECK_INT((int)gnutls_handshake_get_last_out(p.c), -1);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    CHECK_INT(gnutls_protocol_get_version(p.c), GNUTLS_TLS1_3);
    CHECK_INT(gnutls_protocol_get_version(p.s), GNUTLS_TLS1_3);
    CHECK_INT(gnutls_cipher_get(p.c), GNUTLS_CIPHER_AES_128_GCM);
    CHECK_INT(gnutls_mac_get(p.c), GNUTLS_MAC_AEAD);
    CHECK_INT(gnutls_kx_get(p.c), GNUTLS_KX_ECDHE_RSA);
    CHECK_INT(gnutls_group_get(p.s), GNUTLS_GROUP_X25519);
    /* The format libgnutls 3.7.9 prints, checked against it. */
    desc = gnutls_session_get_desc(p.c);
    CHECK(desc != NULL && strcmp(desc, "(TLS1.3)-(ECDHE-X25519)-(ECDSA-SECP256R1-SHA256)-(AES-128-GCM)") == 0);
    if (desc) {
        fprintf(stderr, "  desc: %s\n", desc);
        gnutls_free(desc);
    }
    desc = gnutls_session_get_desc(p.s);
    CHECK(desc != NULL && strcmp(desc, "(TLS1.3)-(ECDHE-X25519)-(ECDSA-SECP256R1-SHA256)-(AES-128-GCM)") == 0);
    gnutls_free(desc);
    /* As GnuTLS: after success the last messages are reset. */
    CHECK_INT((int)gnutls_handshake_get_last_in(p.c), -1);
    CHECK_INT((int)gnutls_handshake_get_last_out(p.s), -1);
    gnutls_session_get_random(p.c, &cr, &sr);
    gnutls_session_get_random(p.s, &cr2, &sr2);
    CHECK_INT(cr.size, 32);
    CHECK(memcmp(cr.data, cr2.data, 32) == 0 && memcmp(sr.data, sr2.data, 32) == 0);
    CHECK(memcmp(cr.data, sr.data, 32) != 0);
    CHECK_INT(gnutls_record_get_max_size(p.c), 16384);
    CHECK(exchange(p.c, p.s, "ping"));
    CHECK(exchange(p.s, p.c, "pong"));
    /* An established TLS 1.3 server has nothing to renegotiate. */
    CHECK_INT(gnutls_handshake(p.s), 0);
    CHECK(exchange(p.c, p.s, "still here"));
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_WR), 0);
    CHECK_INT(gnutls_bye(p.s, GNUTLS_SHUT_RDWR), 0);
    hp_close(&p);

    REQUIRE(hp_open_flags(&p, "rsa-cert.pem", "rsa-key.pem",
                          "NORMAL:-GROUP-ALL:+GROUP-SECP256R1:-CIPHER-ALL:+CHACHA20-POLY1305", 0, 0) == 0);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    desc = gnutls_session_get_desc(p.c);
    CHECK(desc != NULL && strcmp(desc, "(TLS1.3)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(CHACHA20-POLY1305)") == 0);
    if (desc)
        fprintf(stderr, "  desc: %s\n", desc);
    gnutls_free(desc);
    hp_close(&p);
}

/* ---- hooks ---- */

typedef struct { unsigned type, when, incoming, size; unsigned char first; } hook_event;
static hook_event events[64];
static int n_events;
static int hook_fail_type = -1;

static int record_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                       const gnutls_datum_t *msg)
{
    if (n_events < 64) {
        hook_event *e = &events[n_events++];
        e->type = htype;
        e->when = when;
        e->incoming = incoming;
        e->size = msg->size;
        e->first = msg->size ? msg->data[0] : 0;
    }
    if ((int)htype == hook_fail_type)
        return GNUTLS_E_USER_ERROR;
    return 0;
}

static void hooks(void)
{
    static const struct { unsigned type, incoming; } want[] = {
        { GNUTLS_HANDSHAKE_CLIENT_HELLO, 0 },
        { GNUTLS_HANDSHAKE_SERVER_HELLO, 1 },
        { GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS, 1 },
        { GNUTLS_HANDSHAKE_CERTIFICATE_PKT, 1 },
        { GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY, 1 },
        { GNUTLS_HANDSHAKE_FINISHED, 1 },
        { GNUTLS_HANDSHAKE_FINISHED, 0 },
    };
    hpair p;

    REQUIRE(hp_open(&p, NULL) == 0);
    n_events = 0;
    hook_fail_type = -1;
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH, record_hook);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    CHECK_INT(n_events, 2 * (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n_events && i / 2 < (int)(sizeof want / sizeof want[0]); i++) {
        CHECK_INT(events[i].type, want[i / 2].type);
        CHECK_INT(events[i].incoming, want[i / 2].incoming);
        CHECK_INT(events[i].when, (i % 2) ? GNUTLS_HOOK_POST : GNUTLS_HOOK_PRE);
    }
    /* The hook sees the body: a ClientHello starts with legacy_version 3.3. */
    CHECK_INT(events[0].first, 3);
    CHECK_INT(events[2].first, 3);
    CHECK(events[10].size == 32 || events[10].size == 48);  /* Finished: a hash's length */
    hp_close(&p);

    /* One type, POST only. */
    REQUIRE(hp_open(&p, NULL) == 0);
    n_events = 0;
    gnutls_handshake_set_hook_function(p.s, GNUTLS_HANDSHAKE_FINISHED, GNUTLS_HOOK_POST, record_hook);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    CHECK_INT(n_events, 2);
    CHECK_INT(events[0].type, GNUTLS_HANDSHAKE_FINISHED);
    CHECK_INT(events[0].incoming, 0);
    CHECK_INT(events[1].incoming, 1);
    CHECK_INT(events[1].when, GNUTLS_HOOK_POST);
    hp_close(&p);
}

/* A HelloRetryRequest is named as such (not ServerHello) to hooks and last_in/last_out,
 * on both sides, as GnuTLS names it. */
static void hooks_hello_retry_request(void)
{
    hpair p;
    int seen_client = 0, seen_server = 0;

    REQUIRE(hp_open(&p, "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1") == 0);
    REQUIRE(gnutls_priority_set_direct(p.s, "NORMAL:-GROUP-ALL:+GROUP-SECP384R1", NULL) == 0);
    n_events = 0;
    hook_fail_type = -1;
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, record_hook);
    gnutls_handshake_set_hook_function(p.s, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, record_hook);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    for (int i = 0; i < n_events; i++) {
        if (events[i].type != GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST)
            continue;
        if (events[i].incoming)
            seen_client++;
        else
            seen_server++;
    }
    CHECK_INT(seen_client, 1);
    CHECK_INT(seen_server, 1);
    CHECK_INT(gnutls_group_get(p.c), GNUTLS_GROUP_SECP384R1);
    hp_close(&p);
}

/* A hook's error ends the handshake with that error; last_in/last_out say where. */
static void hook_failure(void)
{
    hpair p;
    int cret, sret;

    REQUIRE(hp_open(&p, NULL) == 0);
    n_events = 0;
    hook_fail_type = GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY;
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_PRE, record_hook);
    CHECK_INT(memt_handshake2(p.c, p.s, &cret, &sret), GNUTLS_E_USER_ERROR);
    CHECK_INT(cret, GNUTLS_E_USER_ERROR);
    CHECK_INT(sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), gnutls_error_to_alert(GNUTLS_E_USER_ERROR, NULL));
    CHECK_INT(gnutls_handshake_get_last_in(p.c), GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY);
    CHECK_INT(gnutls_handshake_get_last_out(p.c), GNUTLS_HANDSHAKE_CLIENT_HELLO);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_USER_ERROR);     /* sticks */
    hook_fail_type = -1;
    hp_close(&p);
}

static int fail_incoming_finished(gnutls_session_t s, unsigned htype, unsigned when,
                                  unsigned incoming, const gnutls_datum_t *msg)
{
    return htype == GNUTLS_HANDSHAKE_FINISHED && incoming ? GNUTLS_E_USER_ERROR : 0;
}

/* A POST hook failing on a message already consumed (the server's Finished) ends the
 * handshake there: the fatal alert is the last thing the client writes, no Finished after it. */
static void hook_failure_after_message(void)
{
    hpair p;
    int cret, sret;

    REQUIRE(hp_open(&p, NULL) == 0);
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST,
                                       fail_incoming_finished);
    CHECK_INT(memt_handshake2(p.c, p.s, &cret, &sret), GNUTLS_E_USER_ERROR);
    CHECK_INT(cret, GNUTLS_E_USER_ERROR);
    CHECK_INT(sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(memt_pending(p.l, MEMT_SERVER), 0);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_USER_ERROR);     /* sticks */
    hp_close(&p);
}

static void server_name(void)
{
    hpair p;
    char name[64];
    size_t len;
    unsigned type = 0;

    REQUIRE(hp_open(&p, NULL) == 0);
    CHECK_INT(gnutls_server_name_set(p.s, GNUTLS_NAME_DNS, "x", 1), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_server_name_set(p.c, GNUTLS_NAME_DNS, "www.example.com", 15), 0);
    len = sizeof name;
    CHECK_INT(gnutls_server_name_get(p.c, name, &len, &type, 0), GNUTLS_E_INVALID_REQUEST);
    len = sizeof name;
    CHECK_INT(gnutls_server_name_get(p.s, name, &len, &type, 0), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    len = 15;   /* no room for the NUL */
    CHECK_INT(gnutls_server_name_get(p.s, name, &len, &type, 0), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(len, 16);
    len = sizeof name;
    CHECK_INT(gnutls_server_name_get(p.s, name, &len, &type, 0), 0);
    CHECK_INT(len, 15);
    CHECK_INT(type, GNUTLS_NAME_DNS);
    CHECK(strcmp(name, "www.example.com") == 0);
    len = sizeof name;
    CHECK_INT(gnutls_server_name_get(p.s, name, &len, &type, 1), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    hp_close(&p);
}

/* GNUTLS_E_AGAIN before every other transport call and 1-byte reads, both sides. */
static void again_and_tiny_reads(void)
{
    hpair p;

    REQUIRE(hp_open(&p, NULL) == 0);
    memt_set_again(p.l, MEMT_CLIENT, 1);
    memt_set_again(p.l, MEMT_SERVER, 1);
    memt_set_max_read(p.l, MEMT_CLIENT, 1);
    memt_set_max_read(p.l, MEMT_SERVER, 1);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    CHECK(exchange(p.c, p.s, "through the mangle"));
    CHECK(exchange(p.s, p.c, "and back"));
    hp_close(&p);

    REQUIRE(hp_open(&p, NULL) == 0);
    memt_set_intr(p.l, MEMT_CLIENT, 3);
    memt_set_again(p.l, MEMT_SERVER, 2);
    memt_set_max_write(p.l, MEMT_SERVER, 7);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    CHECK(exchange(p.s, p.c, "short writes"));
    hp_close(&p);
}

/* Application data before the first handshake completes is unexpected_message. */
static void data_during_handshake(void)
{
    gnutls_session_t s;
    gnutls_certificate_credentials_t cred;
    memt_link *l = memt_new();
    static const uint8_t early_data[] = { 0x17, 3, 3, 0, 2, 'h', 'i' };
    uint8_t out[16];
    char cp[512], kp[512];

    snprintf(cp, sizeof cp, "%s/tests/data/ecdsa-p256-cert.pem", srcdir());
    snprintf(kp, sizeof kp, "%s/tests/data/ecdsa-p256-key.pem", srcdir());
    REQUIRE(gnutls_certificate_allocate_credentials(&cred) == 0);
    REQUIRE(gnutls_certificate_set_x509_key_file(cred, cp, kp, GNUTLS_X509_FMT_PEM) == 0);
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    gnutls_set_default_priority(s);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
    memt_attach(l, NULL, s);
    memt_inject(l, MEMT_SERVER, early_data, sizeof early_data);
    CHECK_INT(gnutls_handshake(s), GNUTLS_E_UNEXPECTED_PACKET);
    /* the alert, in plaintext: fatal unexpected_message */
    CHECK_INT(memt_take(l, MEMT_SERVER, out, sizeof out), 7);
    CHECK_MEM(out, "\x15\x03\x03\x00\x02\x02\x0a", 7);
    CHECK_INT(gnutls_handshake(s), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(memt_pending(l, MEMT_CLIENT), 0);     /* sent once */
    gnutls_deinit(s);

    /* a fatal alert instead of a ClientHello */
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    gnutls_set_default_priority(s);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
    memt_attach(l, NULL, s);
    memt_inject(l, MEMT_SERVER, "\x15\x03\x01\x00\x02\x02\x28", 7);
    CHECK_INT(gnutls_handshake(s), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(s), GNUTLS_A_HANDSHAKE_FAILURE);
    CHECK_INT(memt_pending(l, MEMT_CLIENT), 0);
    gnutls_deinit(s);

    /* the peer hangs up in the middle */
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    gnutls_set_default_priority(s);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
    memt_attach(l, NULL, s);
    memt_inject(l, MEMT_SERVER, "\x16\x03\x01\x00\x40\x01\x00", 7);
    memt_close(l, MEMT_CLIENT);
    CHECK_INT(gnutls_handshake(s), GNUTLS_E_PREMATURE_TERMINATION);
    gnutls_deinit(s);

    gnutls_certificate_free_credentials(cred);
    memt_free(l);
}

/* ---- timeouts ---- */

static int never_ready(gnutls_transport_ptr_t ptr, unsigned ms) { return 0; }

static void handshake_timeout(void)
{
    hpair p;
    int ret;

    /* blocking: the pull_timeout function says nothing came */
    REQUIRE(hp_open(&p, NULL) == 0);
    gnutls_handshake_set_timeout(p.s, 1000);
    gnutls_transport_set_pull_timeout_function(p.s, never_ready);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_TIMEDOUT);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_TIMEDOUT);
    hp_close(&p);

    /* non-blocking: the clock runs out between calls */
    REQUIRE(hp_open_flags(&p, "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", NULL, 0, GNUTLS_NONBLOCK) == 0);
    gnutls_handshake_set_timeout(p.s, 30);
    gnutls_transport_set_pull_timeout_function(p.s, never_ready);  /* unused when non-blocking */
    ret = gnutls_handshake(p.s);
    CHECK_INT(ret, GNUTLS_E_AGAIN);
    usleep(60 * 1000);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_TIMEDOUT);
    hp_close(&p);

    /* blocking socket with the default transport: poll() waits, then gives up */
    {
        int sv[2];
        gnutls_session_t s;
        uint64_t t0;
        REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
        REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
        gnutls_set_default_priority(s);
        gnutls_transport_set_int(s, sv[1]);
        gnutls_handshake_set_timeout(s, 100);
        t0 = keel_now_ms();
        CHECK_INT(gnutls_handshake(s), GNUTLS_E_TIMEDOUT);
        CHECK(keel_now_ms() - t0 >= 90);
        gnutls_deinit(s);
        close(sv[0]);
        close(sv[1]);
    }

    /* no timeout: waits as long as it takes */
    REQUIRE(hp_open(&p, NULL) == 0);
    gnutls_handshake_set_timeout(p.s, 0);
    gnutls_transport_set_pull_timeout_function(p.s, never_ready);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_AGAIN);
    CHECK_INT(memt_handshake(p.c, p.s), 0);
    hp_close(&p);
}

static void session_basics(void)
{
    gnutls_session_t s;
    int x;

    CHECK_INT(gnutls_init(&s, GNUTLS_CLIENT | GNUTLS_DATAGRAM), GNUTLS_E_UNIMPLEMENTED_FEATURE);
    REQUIRE(gnutls_init(&s, GNUTLS_CLIENT) == 0);
    CHECK(gnutls_session_get_ptr(s) == NULL);
    gnutls_session_set_ptr(s, &x);
    CHECK(gnutls_session_get_ptr(s) == &x);
    CHECK_INT(gnutls_protocol_get_version(s), GNUTLS_VERSION_UNKNOWN);
    CHECK_INT(gnutls_cipher_get(s), GNUTLS_CIPHER_UNKNOWN);
    CHECK_INT(gnutls_group_get(s), GNUTLS_GROUP_INVALID);
    CHECK_INT(gnutls_credentials_set(s, GNUTLS_CRD_SRP, &x), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_credentials_set(s, GNUTLS_CRD_ANON, &x), 0);
    gnutls_credentials_clear(s);
    CHECK(s->anon_client_cred == NULL);
    CHECK_INT(gnutls_session_get_flags(s), 0);
    CHECK_INT(gnutls_record_check_pending(s), 0);
    CHECK_INT(gnutls_server_name_set(s, GNUTLS_NAME_DNS, "a.example", 9), 0);
    CHECK_INT(gnutls_server_name_set(s, GNUTLS_NAME_DNS, NULL, 0), 0);
    CHECK_INT(s->server_name_len, 0);
    gnutls_deinit(s);
    gnutls_deinit(NULL);
}

/* A handshake abandoned half-way frees everything (checked under valgrind/ASan). */
static void deinit_mid_handshake(void)
{
    hpair p;

    REQUIRE(hp_open(&p, NULL) == 0);
    CHECK_INT(gnutls_handshake(p.c), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_handshake(p.s), GNUTLS_E_AGAIN);
    hp_close(&p);
}

/* SSLKEYLOGFILE (set before the first handshake of this process, in main). */
static void keylog_file(void)
{
    hpair p;
    char line[512], want_random[65];
    gnutls_datum_t cr;
    int lines = 0, matched = 0;
    FILE *f;

    REQUIRE(hp_open(&p, NULL) == 0);
    REQUIRE(memt_handshake(p.c, p.s) == 0);
    gnutls_session_get_random(p.c, &cr, NULL);
    for (int i = 0; i < 32; i++)
        snprintf(want_random + 2 * i, 3, "%02x", cr.data[i]);
    f = fopen(keylog_path, "r");
    REQUIRE(f != NULL);
    while (fgets(line, sizeof line, f)) {
        char label[64], random[80], secret[200];
        lines++;
        if (sscanf(line, "%63s %79s %199s", label, random, secret) == 3 &&
            strcmp(random, want_random) == 0 && (strlen(secret) == 64 || strlen(secret) == 96))
            matched++;
    }
    fclose(f);
    /* Both sessions log their five secrets with the same client random. */
    CHECK_INT(matched, 10);
    CHECK(lines >= 10);
    hp_close(&p);
}

int main(void)
{
    int fd = mkstemp(keylog_path);
    if (fd >= 0)
        close(fd);
    setenv("SSLKEYLOGFILE", keylog_path, 1);

    RUN(session_basics);
    RUN(negotiated_parameters);
    RUN(hooks);
    RUN(hooks_hello_retry_request);
    RUN(hook_failure);
    RUN(hook_failure_after_message);
    RUN(server_name);
    RUN(again_and_tiny_reads);
    RUN(data_during_handshake);
    RUN(handshake_timeout);
    RUN(deinit_mid_handshake);
    RUN(keylog_file);
    unlink(keylog_path);
    return t_done();
}
