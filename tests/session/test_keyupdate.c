/* TLS 1.3 KeyUpdate between a Keel client and server in one process: gnutls_session_key_update
 * with and without GNUTLS_KU_PEER from each side, gnutls_rehandshake/gnutls_handshake on an
 * established TLS 1.3 session, crossing requests, 1000 updates with flat memory, the flood
 * limit on a virtual clock, automatic rekey, corked data, GNUTLS_E_AGAIN while sending, the
 * handshake hook, and hand-made bad KeyUpdates with the alert each one earns. */
#include <malloc.h>
#include <gnutls/gnutls.h>
#include "session.h"
#include "handshake/key_update.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"

/* ---- the virtual clock behind gnutls_global_set_time_function ---- */

static time_t vclock = 1700000000;

static time_t vtime(time_t *t)
{
    if (t)
        *t = vclock;
    return vclock;
}

/* ---- allocation counting through the gnutls_malloc hooks ---- */

static long live_allocs;

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p)
        __atomic_add_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
    return p;
}

static void *count_calloc(size_t a, size_t b)
{
    void *p = calloc(a, b);
    if (p)
        __atomic_add_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
    return p;
}

static void *count_realloc(void *old, size_t n)
{
    void *p = realloc(old, n);
    if (p && old == NULL)
        __atomic_add_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
    return p;
}

static void count_free(void *p)
{
    if (p)
        __atomic_sub_fetch(&live_allocs, 1, __ATOMIC_RELAXED);
    free(p);
}

/* ---- the KeyUpdate hook: what each session saw, in and out ---- */

typedef struct {
    int in_pre, in_post, out_pre, out_post;
    int last_in_value, last_out_value;  /* request_update of the last message, -1: none */
    int in_values[2], out_values[2];    /* count per request_update value */
} ku_seen;

static int ku_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                   const gnutls_datum_t *msg)
{
    ku_seen *k = gnutls_session_get_ptr(s);
    int v = msg->size == 1 ? msg->data[0] : -1;

    if (k == NULL || htype != GNUTLS_HANDSHAKE_KEY_UPDATE)
        return 0;
    if (incoming) {
        if (when == GNUTLS_HOOK_PRE) {
            k->in_pre++;
        } else {
            k->in_post++;
            k->last_in_value = v;
            if (v == 0 || v == 1)
                k->in_values[v]++;
        }
    } else {
        if (when == GNUTLS_HOOK_PRE) {
            k->out_pre++;
        } else {
            k->out_post++;
            k->last_out_value = v;
            if (v == 0 || v == 1)
                k->out_values[v]++;
        }
    }
    return 0;
}

/* ---- a connected pair ---- */

typedef struct {
    gnutls_session_t c, s;
    gnutls_certificate_credentials_t scred, ccred;
    memt_link *l;
    ku_seen kc, ks;
} pair;

static const char *srcdir(void)
{
    const char *d = getenv("KEEL_SRCDIR");
    return d ? d : ".";
}

static const char *prio13 = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

static int pair_init_flags(pair *p, const char *prio, unsigned cflags, unsigned sflags)
{
    char cp[512], kp[512];

    memset(p, 0, sizeof *p);
    p->kc.last_in_value = p->kc.last_out_value = -1;
    p->ks.last_in_value = p->ks.last_out_value = -1;
    p->l = memt_new();
    if (gnutls_certificate_allocate_credentials(&p->scred) < 0 ||
        gnutls_certificate_allocate_credentials(&p->ccred) < 0)
        return -1;
    snprintf(cp, sizeof cp, "%s/tests/data/ecdsa-p256-cert.pem", srcdir());
    snprintf(kp, sizeof kp, "%s/tests/data/ecdsa-p256-key.pem", srcdir());
    if (gnutls_certificate_set_x509_key_file(p->scred, cp, kp, GNUTLS_X509_FMT_PEM) < 0)
        return -1;
    if (gnutls_init(&p->c, GNUTLS_CLIENT | cflags) < 0 || gnutls_init(&p->s, GNUTLS_SERVER | sflags) < 0)
        return -1;
    if (gnutls_priority_set_direct(p->c, prio, NULL) < 0 ||
        gnutls_priority_set_direct(p->s, prio, NULL) < 0)
        return -1;
    gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred);
    gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred);
    gnutls_session_set_ptr(p->c, &p->kc);
    gnutls_session_set_ptr(p->s, &p->ks);
    gnutls_handshake_set_hook_function(p->c, GNUTLS_HANDSHAKE_KEY_UPDATE, GNUTLS_HOOK_BOTH, ku_hook);
    gnutls_handshake_set_hook_function(p->s, GNUTLS_HANDSHAKE_KEY_UPDATE, GNUTLS_HOOK_BOTH, ku_hook);
    memt_attach(p->l, p->c, p->s);
    return memt_handshake(p->c, p->s);
}

static int pair_init(pair *p)
{
    return pair_init_flags(p, prio13, 0, 0);
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

static int transient(long ret)
{
    return ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED;
}

/* Sends len bytes from one side (retrying transient failures); returns 0 or the error. */
static long send_all(gnutls_session_t from, const void *data, size_t len)
{
    size_t off = 0;
    int tries = 0;

    while (off < len) {
        ssize_t r = gnutls_record_send(from, (const char *)data + off, len - off);
        if (transient(r) && ++tries < 100000)
            continue;
        if (r < 0)
            return r;
        off += (size_t)r;
    }
    return 0;
}

/* Reads exactly len bytes; returns 0, or the first error (after a bounded number of
 * transient ones, GNUTLS_E_AGAIN). */
static long recv_all(gnutls_session_t to, void *buf, size_t len)
{
    size_t off = 0;
    int tries = 0;

    while (off < len) {
        ssize_t r = gnutls_record_recv(to, (char *)buf + off, len - off);
        if (transient(r) && ++tries < 100000)
            continue;
        if (r < 0)
            return r;
        if (r == 0)
            return GNUTLS_E_PREMATURE_TERMINATION;
        off += (size_t)r;
    }
    return 0;
}

/* One message from `from` to `to`, checked byte for byte. */
static int xfer(gnutls_session_t from, gnutls_session_t to, const char *msg)
{
    char buf[256];
    size_t n = strlen(msg);

    if (send_all(from, msg, n) != 0)
        return -1;
    memset(buf, 0, sizeof buf);
    if (recv_all(to, buf, n) != 0)
        return -2;
    return memcmp(buf, msg, n) == 0 ? 0 : -3;
}

static int both_ways(pair *p, const char *tag)
{
    char a[64], b[64];

    snprintf(a, sizeof a, "client says %s", tag);
    snprintf(b, sizeof b, "server says %s", tag);
    if (xfer(p->c, p->s, a) != 0)
        return -1;
    return xfer(p->s, p->c, b) != 0 ? -2 : 0;
}

/* Our write secret and the peer's read secret, which must always agree. */
static const uint8_t *c_write(pair *p) { return p->c->client_app_secret; }
static const uint8_t *s_read(pair *p) { return p->s->client_app_secret; }
static const uint8_t *s_write(pair *p) { return p->s->server_app_secret; }
static const uint8_t *c_read(pair *p) { return p->c->server_app_secret; }
static size_t hlen(pair *p) { return keel_hash_len(p->c->suite->prf); }

/* RFC 8446 7.2 computed here, independently of the library's bookkeeping. */
static void next_gen(pair *p, const uint8_t *cur, uint8_t *out)
{
    REQUIRE(keel_hkdf_expand_label(p->c->suite->prf, cur, "traffic upd", NULL, 0, out, hlen(p)) == 0);
}

/* ---- flags 0 and GNUTLS_KU_PEER from each side ---- */

static void update_one_side(int from_server, unsigned flags)
{
    pair p;
    gnutls_session_t from, to;
    ku_seen *kf, *kt;
    uint8_t cw0[64], sw0[64], want[64];

    REQUIRE(pair_init(&p) == 0);
    from = from_server ? p.s : p.c;
    to = from_server ? p.c : p.s;
    kf = from_server ? &p.ks : &p.kc;
    kt = from_server ? &p.kc : &p.ks;
    CHECK_INT(both_ways(&p, "before"), 0);
    memcpy(cw0, c_write(&p), hlen(&p));
    memcpy(sw0, s_write(&p), hlen(&p));

    CHECK_INT(gnutls_session_key_update(from, flags), 0);
    CHECK_INT(kf->out_pre, 1);
    CHECK_INT(kf->out_post, 1);
    CHECK_INT(kf->last_out_value, (flags & GNUTLS_KU_PEER) ? 1 : 0);

    /* The receiver reads the KeyUpdate on its way to the data; no GNUTLS_E_REHANDSHAKE. */
    CHECK_INT(xfer(from, to, "after the update"), 0);
    CHECK_INT(kt->in_pre, 1);
    CHECK_INT(kt->in_post, 1);
    CHECK_INT(kt->last_in_value, (flags & GNUTLS_KU_PEER) ? 1 : 0);
    /* Its answer, if one was asked for, goes before its next data. */
    CHECK_INT(xfer(to, from, "reply"), 0);
    CHECK_INT(kt->out_post, (flags & GNUTLS_KU_PEER) ? 1 : 0);
    CHECK_INT(kf->in_post, (flags & GNUTLS_KU_PEER) ? 1 : 0);
    if (flags & GNUTLS_KU_PEER)
        CHECK_INT(kt->last_out_value, 0);

    /* Both ends agree on every secret; the updated ones moved one generation. */
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    if (from_server || (flags & GNUTLS_KU_PEER)) {
        next_gen(&p, sw0, want);
        CHECK_MEM(s_write(&p), want, hlen(&p));
    } else {
        CHECK_MEM(s_write(&p), sw0, hlen(&p));
    }
    if (!from_server || (flags & GNUTLS_KU_PEER)) {
        next_gen(&p, cw0, want);
        CHECK_MEM(c_write(&p), want, hlen(&p));
    } else {
        CHECK_MEM(c_write(&p), cw0, hlen(&p));
    }
    CHECK_INT(both_ways(&p, "later"), 0);
    /* Nothing more was exchanged. */
    CHECK_INT(p.kc.out_post + p.ks.out_post, (flags & GNUTLS_KU_PEER) ? 2 : 1);
    pair_free(&p);
}

/* A KeyUpdate that arrives while gnutls_bye(GNUTLS_SHUT_RDWR) waits for the peer's
 * close_notify changes the key that close_notify is sent under: bye must still read it. */
static void key_update_before_close_notify(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_WR), 0);
    CHECK_INT(gnutls_bye(p.s, GNUTLS_SHUT_RDWR), 0);
    CHECK_INT(p.s->read_closed, 1);
    CHECK_INT(p.ks.in_post, 1);
    pair_free(&p);
}

static void client_update(void) { update_one_side(0, 0); }
static void client_update_peer(void) { update_one_side(0, GNUTLS_KU_PEER); }
static void server_update(void) { update_one_side(1, 0); }
static void server_update_peer(void) { update_one_side(1, GNUTLS_KU_PEER); }

/* The request is answered before the answerer's next record even when its data is larger
 * than one record, and with a cipher suite using SHA-384. */
static void peer_update_sha384_large(void)
{
    pair p;
    static char big[40000], got[40000];

    REQUIRE(pair_init_flags(&p, "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM", 0, 0) == 0);
    REQUIRE(hlen(&p) == 48);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i * 7 + 3);
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(send_all(p.c, big, sizeof big), 0);
    CHECK_INT(recv_all(p.s, got, sizeof got), 0);
    CHECK_MEM(got, big, sizeof big);
    CHECK_INT(send_all(p.s, big, sizeof big), 0);
    memset(got, 0, sizeof got);
    CHECK_INT(recv_all(p.c, got, sizeof got), 0);
    CHECK_MEM(got, big, sizeof big);
    CHECK_INT(p.ks.out_post, 1);
    CHECK_INT(p.kc.in_post, 1);
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

/* ---- gnutls_rehandshake and gnutls_handshake on an established TLS 1.3 session ---- */

static void rehandshake_tls13(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(gnutls_rehandshake(p.c), GNUTLS_E_INVALID_REQUEST);
    /* Server: a KeyUpdate asking the client to update too. */
    CHECK_INT(gnutls_rehandshake(p.s), 0);
    CHECK_INT(p.ks.last_out_value, 1);
    CHECK_INT(xfer(p.s, p.c, "after rehandshake"), 0);
    CHECK_INT(p.kc.in_post, 1);
    CHECK_INT(xfer(p.c, p.s, "client answers"), 0);
    CHECK_INT(p.kc.out_post, 1);
    CHECK_INT(p.kc.last_out_value, 0);
    /* On the server gnutls_handshake has nothing to do. */
    CHECK_INT(gnutls_handshake(p.s), 0);
    CHECK_INT(p.ks.out_post, 1);
    /* On the client it asks for new keys both ways. */
    CHECK_INT(gnutls_handshake(p.c), 0);
    CHECK_INT(p.kc.out_post, 2);
    CHECK_INT(p.kc.last_out_value, 1);
    CHECK_INT(both_ways(&p, "after client handshake call"), 0);
    CHECK_INT(p.ks.out_post, 2);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

static void key_update_refused(void)
{
    pair p;
    gnutls_session_t c;

    /* Before any handshake the version is not TLS 1.3. */
    REQUIRE(gnutls_init(&c, GNUTLS_CLIENT) == 0);
    CHECK_INT(gnutls_session_key_update(c, 0), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_session_key_update(c, GNUTLS_KU_PEER), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_rehandshake(c), GNUTLS_E_INVALID_REQUEST);
    gnutls_deinit(c);
    /* Mid-handshake: the server has sent its flight and waits for the client's Finished. */
    {
        gnutls_session_t cc, ss;
        gnutls_certificate_credentials_t cred;
        char cp[512], kp[512];
        memt_link *l = memt_new();

        snprintf(cp, sizeof cp, "%s/tests/data/ecdsa-p256-cert.pem", srcdir());
        snprintf(kp, sizeof kp, "%s/tests/data/ecdsa-p256-key.pem", srcdir());
        REQUIRE(gnutls_certificate_allocate_credentials(&cred) == 0);
        REQUIRE(gnutls_certificate_set_x509_key_file(cred, cp, kp, GNUTLS_X509_FMT_PEM) == 0);
        REQUIRE(gnutls_init(&cc, GNUTLS_CLIENT) == 0 && gnutls_init(&ss, GNUTLS_SERVER) == 0);
        REQUIRE(gnutls_priority_set_direct(cc, prio13, NULL) == 0);
        REQUIRE(gnutls_priority_set_direct(ss, prio13, NULL) == 0);
        gnutls_credentials_set(cc, GNUTLS_CRD_CERTIFICATE, cred);
        gnutls_credentials_set(ss, GNUTLS_CRD_CERTIFICATE, cred);
        memt_attach(l, cc, ss);
        CHECK_INT(gnutls_handshake(cc), GNUTLS_E_AGAIN);
        CHECK_INT(gnutls_session_key_update(cc, 0), GNUTLS_E_INVALID_REQUEST);
        CHECK_INT(gnutls_handshake(ss), GNUTLS_E_AGAIN);
        CHECK_INT(gnutls_protocol_get_version(ss), GNUTLS_TLS1_3);
        CHECK_INT(gnutls_session_key_update(ss, 0), GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
        CHECK_INT(gnutls_rehandshake(ss), GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
        /* Refusing did no harm: the handshake completes. */
        CHECK_INT(memt_handshake(cc, ss), 0);
        gnutls_deinit(cc);
        gnutls_deinit(ss);
        memt_free(l);
        gnutls_certificate_free_credentials(cred);
    }
    /* After close_notify nothing more may be sent. */
    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_WR), 0);
    CHECK_INT(gnutls_session_key_update(p.c, 0), GNUTLS_E_INVALID_SESSION);
    CHECK_INT(p.kc.out_post, 0);
    pair_free(&p);
}

/* ---- crossing requests and the single outstanding request ---- */

static void crossing_peer_requests(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(both_ways(&p, "before"), 0);
    /* Both ask before either has read the other's request. */
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(gnutls_session_key_update(p.s, GNUTLS_KU_PEER), 0);
    /* Each side's data carries its answer ahead of it. */
    CHECK_INT(xfer(p.c, p.s, "client after crossing"), 0);
    CHECK_INT(xfer(p.s, p.c, "server after crossing"), 0);
    CHECK_INT(p.kc.out_values[1], 1);
    CHECK_INT(p.ks.out_values[1], 1);
    CHECK_INT(p.kc.in_values[1], 1);
    CHECK_INT(p.ks.in_values[1], 1);
    CHECK_INT(both_ways(&p, "settled"), 0);
    /* Every request answered exactly once, with update_not_requested. */
    CHECK_INT(p.kc.out_values[0], 1);
    CHECK_INT(p.ks.out_values[0], 1);
    CHECK_INT(p.kc.in_values[0], 1);
    CHECK_INT(p.ks.in_values[0], 1);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    CHECK_INT(both_ways(&p, "quiet"), 0);
    CHECK_INT(p.kc.out_post + p.ks.out_post, 4);
    pair_free(&p);
}

/* A second GNUTLS_KU_PEER before the peer updated asks nothing new: it goes out as
 * update_not_requested, and the peer answers once for the whole batch. */
static void one_outstanding_request(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(p.kc.last_out_value, 1);
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(p.kc.last_out_value, 0);
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(p.kc.last_out_value, 0);
    CHECK_INT(xfer(p.c, p.s, "three updates"), 0);
    CHECK_INT(p.ks.in_post, 3);
    CHECK_INT(xfer(p.s, p.c, "one answer"), 0);
    CHECK_INT(p.ks.out_post, 1);
    CHECK_INT(p.ks.last_out_value, 0);
    /* Answered: the next GNUTLS_KU_PEER asks again. */
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(p.kc.last_out_value, 1);
    CHECK_INT(both_ways(&p, "again"), 0);
    CHECK_INT(p.ks.out_post, 2);
    /* The other way: the client reads the request, then more data, and answers once. */
    CHECK_INT(gnutls_session_key_update(p.s, GNUTLS_KU_PEER), 0);
    CHECK_INT(xfer(p.s, p.c, "s1"), 0);
    CHECK_INT(xfer(p.s, p.c, "s2"), 0);
    CHECK_INT(p.kc.in_post, 3);
    CHECK_INT(both_ways(&p, "batch"), 0);
    CHECK_INT(p.kc.out_values[0], 3);
    CHECK_INT(p.kc.out_values[1], 2);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

/* ---- 1000 updates, memory flat ---- */

static void thousand_updates(void)
{
    pair p;
    long live0 = 0, live1;
    size_t heap0 = 0, heap1;
    int i, failures = 0;

    REQUIRE(pair_init(&p) == 0);
    for (i = 0; i < 1000; i++) {
        char tag[32];
        gnutls_session_t who = (i & 1) ? p.s : p.c;
        /* Slow enough for the flood limit: one update per simulated second. */
        vclock++;
        if (gnutls_session_key_update(who, (i % 3 == 0) ? GNUTLS_KU_PEER : 0) != 0)
            failures++;
        snprintf(tag, sizeof tag, "%d", i);
        if (both_ways(&p, tag) != 0)
            failures++;
        if (i == 49) {
            live0 = __atomic_load_n(&live_allocs, __ATOMIC_RELAXED);
            heap0 = mallinfo2().uordblks;
        }
    }
    live1 = __atomic_load_n(&live_allocs, __ATOMIC_RELAXED);
    heap1 = mallinfo2().uordblks;
    CHECK_INT(failures, 0);
    CHECK_INT(live1, live0);
    /* libcrypto's allocations are outside the hooks; the heap as a whole stays put. */
    CHECK(heap1 <= heap0 + 16384);
    CHECK(p.kc.out_post >= 500 && p.ks.out_post >= 500);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

/* ---- flood limit on the virtual clock ---- */

static void flood_nine_in_a_second(void)
{
    pair p;
    char buf[16];

    REQUIRE(pair_init(&p) == 0);
    vclock += 10;
    for (int i = 0; i < 9; i++)
        CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(send_all(p.c, "data", 4), 0);
    CHECK_INT(recv_all(p.s, buf, 4), GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS);
    CHECK_INT(p.ks.in_pre, 9);
    /* The error sticks. */
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS);
    CHECK_INT(gnutls_record_send(p.s, "x", 1), GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS);
    pair_free(&p);
}

static void flood_eight_per_second_for_30s(void)
{
    pair p;
    int failures = 0;

    REQUIRE(pair_init(&p) == 0);
    for (int sec = 0; sec < 30; sec++) {
        vclock++;
        for (int i = 0; i < 8; i++) {
            /* Received one at a time, as they come. */
            if (gnutls_session_key_update(p.c, (i == 0) ? GNUTLS_KU_PEER : 0) != 0)
                failures++;
            if (xfer(p.c, p.s, "tick") != 0)
                failures++;
        }
        if (both_ways(&p, "second") != 0)
            failures++;
    }
    CHECK_INT(failures, 0);
    CHECK_INT(p.ks.in_post, 240);
    /* Eight at once, at the end of a second, then eight more at the start of the next. */
    vclock++;
    for (int i = 0; i < 8; i++)
        CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(xfer(p.c, p.s, "burst"), 0);
    vclock++;
    for (int i = 0; i < 8; i++)
        CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(xfer(p.c, p.s, "burst 2"), 0);
    CHECK_INT(both_ways(&p, "end"), 0);
    pair_free(&p);
}

/* The server floods too; the client counts the same way. */
static void flood_from_server(void)
{
    pair p;
    char buf[16];

    REQUIRE(pair_init(&p) == 0);
    vclock += 10;
    for (int i = 0; i < 12; i++)
        CHECK_INT(gnutls_session_key_update(p.s, 0), 0);
    CHECK_INT(send_all(p.s, "data", 4), 0);
    CHECK_INT(recv_all(p.c, buf, 4), GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS);
    CHECK_INT(p.kc.in_pre, 9);
    pair_free(&p);
}

/* ---- automatic rekey ---- */

static void auto_rekey(void)
{
    pair p;
    int failures = 0;

    REQUIRE(pair_init(&p) == 0);
    keel_test_set_rekey_threshold(p.c, 10);
    keel_test_set_rekey_threshold(p.s, 25);
    for (int i = 0; i < 100; i++) {
        char tag[32];
        vclock++;
        snprintf(tag, sizeof tag, "record %d", i);
        if (xfer(p.c, p.s, tag) != 0 || xfer(p.s, p.c, tag) != 0)
            failures++;
        if (p.c->write.records_since_key > 10 || p.s->write.records_since_key > 25)
            failures++;
    }
    CHECK_INT(failures, 0);
    /* Records 1-10 under the first key, then a KeyUpdate before 11, 21, ..., 91. */
    CHECK_INT(p.kc.out_post, 9);
    CHECK_INT(p.ks.in_post, 9);
    CHECK_INT(p.kc.out_values[0], 9);
    CHECK_INT(p.ks.out_post, 3);
    CHECK_INT(p.kc.in_post, 3);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

static void auto_rekey_large_records(void)
{
    pair p;
    static char big[16384 * 12], got[16384 * 12];

    REQUIRE(pair_init(&p) == 0);
    keel_test_set_rekey_threshold(p.c, 4);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i ^ (i >> 8));
    CHECK_INT(send_all(p.c, big, sizeof big), 0);
    CHECK_INT(recv_all(p.s, got, sizeof got), 0);
    CHECK_MEM(got, big, sizeof big);
    CHECK_INT(p.ks.in_post, 2);
    pair_free(&p);
}

static void no_auto_rekey_flag(void)
{
    pair p;

    REQUIRE(pair_init_flags(&p, prio13, GNUTLS_NO_AUTO_REKEY, 0) == 0);
    keel_test_set_rekey_threshold(p.c, 5);
    keel_test_set_rekey_threshold(p.s, 5);
    for (int i = 0; i < 30; i++)
        CHECK_INT(both_ways(&p, "x"), 0);
    CHECK_INT(p.kc.out_post, 0);
    CHECK_INT(p.ks.out_post, 5);
    /* The application may still update explicitly. */
    CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(both_ways(&p, "y"), 0);
    CHECK_INT(p.kc.out_post, 1);
    pair_free(&p);
}

/* The default: quiet for ordinary traffic, a KeyUpdate once a key protected 2^24 records
 * (the counter is moved forward by hand rather than by sending 16 million records). */
static void default_threshold(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    for (int i = 0; i < 200; i++)
        CHECK_INT(both_ways(&p, "x"), 0);
    CHECK_INT(p.kc.out_post + p.ks.out_post, 0);
    p.c->write.records_since_key = ((uint64_t)1 << 24) - 1;
    CHECK_INT(xfer(p.c, p.s, "last record under the old key"), 0);
    CHECK_INT(p.kc.out_post, 0);
    CHECK_INT(xfer(p.c, p.s, "first record under the new key"), 0);
    CHECK_INT(p.kc.out_post, 1);
    CHECK_INT(p.ks.in_post, 1);
    CHECK_INT(p.c->write.records_since_key, 1);
    CHECK_INT(both_ways(&p, "after"), 0);
    pair_free(&p);
    /* The same with GNUTLS_NO_AUTO_REKEY: nothing. */
    REQUIRE(pair_init_flags(&p, prio13, GNUTLS_NO_AUTO_REKEY, 0) == 0);
    p.c->write.records_since_key = ((uint64_t)1 << 24) + 5;
    CHECK_INT(both_ways(&p, "no rekey"), 0);
    CHECK_INT(p.kc.out_post, 0);
    pair_free(&p);
}

/* ---- corked data ---- */

static void update_while_corked(void)
{
    pair p;
    char buf[64];

    REQUIRE(pair_init(&p) == 0);
    gnutls_record_cork(p.c);
    CHECK_INT(gnutls_record_send(p.c, "corked ", 7), 7);
    CHECK_INT(gnutls_record_send(p.c, "data", 4), 4);
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(gnutls_record_uncork(p.c, GNUTLS_RECORD_WAIT), 11);
    memset(buf, 0, sizeof buf);
    CHECK_INT(recv_all(p.s, buf, 11), 0);
    CHECK_MEM(buf, "corked data", 11);
    CHECK_INT(p.ks.in_post, 1);
    /* The server's answer goes ahead of its own corked data. */
    gnutls_record_cork(p.s);
    CHECK_INT(gnutls_record_send(p.s, "server corked", 13), 13);
    CHECK_INT(p.ks.out_post, 0);
    CHECK_INT(gnutls_record_uncork(p.s, GNUTLS_RECORD_WAIT), 13);
    CHECK_INT(p.ks.out_post, 1);
    memset(buf, 0, sizeof buf);
    CHECK_INT(recv_all(p.c, buf, 13), 0);
    CHECK_MEM(buf, "server corked", 13);
    CHECK_INT(p.kc.in_post, 1);
    CHECK_INT(both_ways(&p, "uncorked"), 0);
    pair_free(&p);
}

/* ---- GNUTLS_E_AGAIN while sending ---- */

static void again_during_update(void)
{
    pair p;
    int ret, calls, agains = 0;

    REQUIRE(pair_init(&p) == 0);
    memt_set_again(p.l, MEMT_CLIENT, 1);
    memt_set_again(p.l, MEMT_SERVER, 1);
    /* Every other transport call fails, so one of two updates in a row meets
     * GNUTLS_E_AGAIN. The first call queues and switches keys; a retry only pushes, and
     * changed flags on a retry change nothing. */
    for (int u = 0; u < 2; u++) {
        calls = 0;
        do {
            ret = gnutls_session_key_update(p.c, calls == 0 ? 0 : GNUTLS_KU_PEER);
            if (transient(ret))
                agains++;
            calls++;
        } while (transient(ret) && calls < 100);
        CHECK_INT(ret, 0);
        CHECK_INT(p.kc.out_post, u + 1);
        CHECK_INT(p.kc.last_out_value, 0);
    }
    CHECK(agains > 0);
    CHECK_INT(xfer(p.c, p.s, "after again"), 0);
    CHECK_INT(p.ks.in_post, 2);
    /* gnutls_rehandshake on the server, interrupted the same way. */
    for (int u = 0; u < 2; u++) {
        calls = 0;
        do {
            ret = gnutls_rehandshake(p.s);
            calls++;
        } while (transient(ret) && calls < 100);
        CHECK_INT(ret, 0);
    }
    /* The second found the first unanswered: update_not_requested. */
    CHECK_INT(p.ks.out_values[1], 1);
    CHECK_INT(p.ks.out_values[0], 1);
    /* The client sends before it reads the request, so it answers with its next data. */
    CHECK_INT(both_ways(&p, "again both"), 0);
    CHECK_INT(p.kc.out_post, 2);
    CHECK_INT(p.ks.out_post, 2);
    CHECK_INT(both_ways(&p, "still"), 0);
    CHECK_INT(p.kc.out_post, 3);
    memt_set_again(p.l, MEMT_CLIENT, 0);
    memt_set_again(p.l, MEMT_SERVER, 0);
    CHECK_INT(both_ways(&p, "clean"), 0);
    CHECK_INT(p.kc.out_post, 3);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

/* GNUTLS_E_INTERRUPTED is resumed the same way. */
static void interrupted_during_update(void)
{
    pair p;
    int ret, calls, intr = 0;

    REQUIRE(pair_init(&p) == 0);
    memt_set_intr(p.l, MEMT_CLIENT, 1);
    for (int u = 0; u < 4; u++) {
        calls = 0;
        do {
            ret = gnutls_session_key_update(p.c, GNUTLS_KU_PEER);
            if (ret == GNUTLS_E_INTERRUPTED)
                intr++;
            calls++;
        } while (transient(ret) && calls < 100);
        CHECK_INT(ret, 0);
    }
    CHECK(intr > 0);
    CHECK_INT(p.kc.out_post, 4);
    CHECK_INT(p.kc.out_values[1], 1);
    memt_set_intr(p.l, MEMT_CLIENT, 0);
    CHECK_INT(both_ways(&p, "after EINTR"), 0);
    CHECK_INT(p.ks.in_post, 4);
    CHECK_INT(p.ks.out_post, 1);
    CHECK_INT(both_ways(&p, "after answer"), 0);
    CHECK_MEM(c_write(&p), s_read(&p), hlen(&p));
    CHECK_MEM(s_write(&p), c_read(&p), hlen(&p));
    pair_free(&p);
}

/* The answer owed to a request and the data record that triggers it leave together, even
 * when the push is interrupted; 1-byte reads on the receiver. */
static void again_owed_answer(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    memt_set_max_read(p.l, MEMT_CLIENT, 1);
    memt_set_max_read(p.l, MEMT_SERVER, 1);
    CHECK_INT(gnutls_session_key_update(p.c, GNUTLS_KU_PEER), 0);
    CHECK_INT(xfer(p.c, p.s, "request"), 0);
    memt_set_again(p.l, MEMT_SERVER, 1);
    CHECK_INT(xfer(p.s, p.c, "answer with data"), 0);
    CHECK_INT(p.ks.out_post, 1);
    CHECK_INT(p.kc.in_post, 1);
    CHECK_INT(both_ways(&p, "after"), 0);
    CHECK_INT(p.ks.out_post, 1);
    pair_free(&p);
}

/* As GnuTLS, the gnutls_record_recv call that processed a record holding only a KeyUpdate
 * returns GNUTLS_E_AGAIN, even when data follows (an application polling a blocking socket
 * gets control back); the next call returns the data. */
static void recv_returns_after_key_update(void)
{
    pair p;
    char buf[16];

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_AGAIN);
    CHECK_INT(p.ks.in_post, 1);
    CHECK_INT(gnutls_session_key_update(p.c, 0), 0);
    CHECK_INT(send_all(p.c, "behind", 6), 0);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_AGAIN);
    CHECK_INT(p.ks.in_post, 2);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), 6);
    CHECK_MEM(buf, "behind", 6);
    pair_free(&p);
}

/* ---- bad KeyUpdates, hand-made by the client ---- */

/* The client sends raw handshake bytes after the handshake: the server fails with
 * want_err and the client receives want_alert. */
static void bad_ku(const uint8_t *msgs, size_t len, int want_err, int want_alert)
{
    pair p;
    char buf[16];

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(both_ways(&p, "before"), 0);
    CHECK_INT(keel_test_send_handshake(p.c, msgs, len), 0);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), want_err);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.c), want_alert);
    pair_free(&p);
}

static void bad_value(void)
{
    static const uint8_t m2[] = { 24, 0, 0, 1, 2 };
    static const uint8_t m255[] = { 24, 0, 0, 1, 255 };
    bad_ku(m2, sizeof m2, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER);
    bad_ku(m255, sizeof m255, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER);
}

static void bad_length(void)
{
    static const uint8_t empty[] = { 24, 0, 0, 0 };
    static const uint8_t longer[] = { 24, 0, 0, 2, 0, 0 };
    bad_ku(empty, sizeof empty, GNUTLS_E_UNEXPECTED_PACKET_LENGTH, GNUTLS_A_DECODE_ERROR);
    bad_ku(longer, sizeof longer, GNUTLS_E_UNEXPECTED_PACKET_LENGTH, GNUTLS_A_DECODE_ERROR);
}

static void not_last_in_record(void)
{
    static const uint8_t two[] = { 24, 0, 0, 1, 0, 24, 0, 0, 1, 0 };
    static const uint8_t partial[] = { 24, 0, 0, 1, 1, 4, 0 };
    bad_ku(two, sizeof two, GNUTLS_E_UNEXPECTED_PACKET, GNUTLS_A_UNEXPECTED_MESSAGE);
    bad_ku(partial, sizeof partial, GNUTLS_E_UNEXPECTED_PACKET, GNUTLS_A_UNEXPECTED_MESSAGE);
}

/* A KeyUpdate split over two records is legal: it still ends the record that completes it.
 * (Hand-made: the client's keys did not move, so only the server's side is checked.) */
static void split_across_records(void)
{
    pair p;
    static const uint8_t part1[] = { 24, 0 }, part2[] = { 0, 1, 1 };
    char buf[16];

    REQUIRE(pair_init(&p) == 0);
    CHECK_INT(keel_test_send_handshake(p.c, part1, sizeof part1), 0);
    CHECK_INT(keel_test_send_handshake(p.c, part2, sizeof part2), 0);
    CHECK_INT(gnutls_record_recv(p.s, buf, sizeof buf), GNUTLS_E_AGAIN);
    CHECK_INT(p.ks.in_post, 1);
    CHECK_INT(p.ks.last_in_value, 1);
    CHECK(p.s->ku.owed);
    pair_free(&p);
}

/* Before the handshake completes a KeyUpdate is out of place. */
static void before_handshake(void)
{
    static const uint8_t rec[] = { 22, 3, 3, 0, 5, 24, 0, 0, 1, 0 };
    gnutls_session_t s, c;
    gnutls_certificate_credentials_t cred;
    memt_link *l = memt_new();
    int ret = 0;

    REQUIRE(gnutls_certificate_allocate_credentials(&cred) == 0);
    /* A server that gets a KeyUpdate where the ClientHello belongs. */
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    REQUIRE(gnutls_priority_set_direct(s, prio13, NULL) == 0);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
    memt_attach(l, NULL, s);
    memt_inject(l, MEMT_SERVER, rec, sizeof rec);
    for (int i = 0; i < 10 && (ret = gnutls_handshake(s)) == GNUTLS_E_AGAIN; i++)
        ;
    CHECK_INT(ret, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK_INT(gnutls_session_key_update(s, 0), GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    gnutls_deinit(s);
    memt_free(l);
    /* A client that gets one where the ServerHello belongs. */
    l = memt_new();
    REQUIRE(gnutls_init(&c, GNUTLS_CLIENT) == 0);
    REQUIRE(gnutls_priority_set_direct(c, prio13, NULL) == 0);
    gnutls_credentials_set(c, GNUTLS_CRD_CERTIFICATE, cred);
    memt_attach(l, c, NULL);
    CHECK_INT(gnutls_handshake(c), GNUTLS_E_AGAIN);
    memt_inject(l, MEMT_CLIENT, rec, sizeof rec);
    for (int i = 0; i < 10 && (ret = gnutls_handshake(c)) == GNUTLS_E_AGAIN; i++)
        ;
    CHECK_INT(ret, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    gnutls_deinit(c);
    memt_free(l);
    gnutls_certificate_free_credentials(cred);
}

/* Under TLS 1.2 there is no KeyUpdate: sending one is refused, receiving one is
 * unexpected_message. Runs once TLS 1.2 handshakes exist (issue 4). */
static void under_tls12(void)
{
    static const uint8_t ku[] = { 24, 0, 0, 1, 0 };
    pair p;
    char buf[16];
    ssize_t ret;

    if (pair_init_flags(&p, "NORMAL:-VERS-ALL:+VERS-TLS1.2", 0, 0) != 0) {
        printf("# under_tls12: skipped, no TLS 1.2 handshake in this build\n");
        pair_free(&p);
        return;
    }
    CHECK_INT(gnutls_protocol_get_version(p.c), GNUTLS_TLS1_2);
    CHECK_INT(gnutls_session_key_update(p.c, 0), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_session_key_update(p.s, GNUTLS_KU_PEER), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(keel_test_send_handshake(p.c, ku, sizeof ku), 0);
    ret = gnutls_record_recv(p.s, buf, sizeof buf);
    CHECK(ret == GNUTLS_E_UNEXPECTED_PACKET || ret == GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK_INT(gnutls_record_recv(p.c, buf, sizeof buf), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_UNEXPECTED_MESSAGE);
    pair_free(&p);
}

/* A hook that fails stops the KeyUpdate before anything is sent. */
static int refuse_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                       const gnutls_datum_t *msg)
{
    return (htype == GNUTLS_HANDSHAKE_KEY_UPDATE && !incoming) ? GNUTLS_E_INTERNAL_ERROR : 0;
}

static void hook_refuses(void)
{
    pair p;

    REQUIRE(pair_init(&p) == 0);
    gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_KEY_UPDATE, GNUTLS_HOOK_PRE, refuse_hook);
    CHECK_INT(gnutls_session_key_update(p.c, 0), GNUTLS_E_INTERNAL_ERROR);
    CHECK_INT(gnutls_record_send(p.c, "x", 1), GNUTLS_E_INTERNAL_ERROR);
    pair_free(&p);
}

int main(void)
{
    gnutls_malloc = count_malloc;
    gnutls_calloc = count_calloc;
    gnutls_realloc = count_realloc;
    gnutls_free = count_free;
    gnutls_global_set_time_function(vtime);

    RUN(client_update);
    RUN(key_update_before_close_notify);
    RUN(client_update_peer);
    RUN(server_update);
    RUN(server_update_peer);
    RUN(peer_update_sha384_large);
    RUN(rehandshake_tls13);
    RUN(key_update_refused);
    RUN(crossing_peer_requests);
    RUN(one_outstanding_request);
    RUN(thousand_updates);
    RUN(flood_nine_in_a_second);
    RUN(flood_eight_per_second_for_30s);
    RUN(flood_from_server);
    RUN(auto_rekey);
    RUN(auto_rekey_large_records);
    RUN(no_auto_rekey_flag);
    RUN(default_threshold);
    RUN(update_while_corked);
    RUN(again_during_update);
    RUN(interrupted_during_update);
    RUN(again_owed_answer);
    RUN(recv_returns_after_key_update);
    RUN(bad_value);
    RUN(bad_length);
    RUN(not_last_in_record);
    RUN(split_across_records);
    RUN(before_handshake);
    RUN(under_tls12);
    RUN(hook_refuses);
    return t_done();
}
