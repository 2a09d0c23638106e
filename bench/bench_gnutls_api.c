/* The TLS rows for any library with the GnuTLS API. Compiled twice from this one source:
 * against the system GnuTLS (lib=gnutls) and against Keel with -DKEEL (lib=keel). Client
 * and server run in one process, joined by two in-memory byte queues; no sockets.
 * Rows whose API a library does not declare yet are built out (bench/features.sh sets
 * BENCH_HAVE_*) and reported as skipped. See bench/README.md for what each row measures. */
#include <errno.h>
#include <pthread.h>
#include <gnutls/gnutls.h>
#include "bench_common.h"

#ifdef KEEL
#define LIB "keel"
#else
#define LIB "gnutls"
#endif

#define BENCH_E_STALLED (-100000)   /* neither side made progress: a bench or library bug */

static const char *const rows[] = {
    "tls13_ecdsa_hs", "tls13_rsa_hs", "tls12_ecdsa_hs", "tls12_reneg", "tls13_keyupdate",
    "bulk_aes128gcm", "bulk_aes256gcm", "bulk_chacha20", "small_records", "mem_idle",
    "scaling", NULL
};

/* Every row pins version, suite, group and signature; no tickets (no resumption). */
#define PRIO_BASE "NORMAL:-VERS-ALL:-CIPHER-ALL:-GROUP-ALL:-SIGN-ALL:%NO_TICKETS"
#define PRIO13(cipher, sign) PRIO_BASE ":+VERS-TLS1.3:+" cipher ":+GROUP-X25519:+" sign
static const char prio13_ecdsa[] = PRIO13("AES-128-GCM", "SIGN-ECDSA-SECP256R1-SHA256");
static const char prio13_rsa[] = PRIO13("AES-128-GCM", "SIGN-RSA-PSS-RSAE-SHA256");
static const char prio13_aes256[] = PRIO13("AES-256-GCM", "SIGN-ECDSA-SECP256R1-SHA256");
static const char prio13_chacha[] = PRIO13("CHACHA20-POLY1305", "SIGN-ECDSA-SECP256R1-SHA256");
/* TLS 1.2 also offers P-256, the curve of the ECDSA certificate (OpenSSL's server requires
 * it); X25519 comes first and is the one used. */
static const char prio12_ecdsa[] = PRIO_BASE ":-KX-ALL:+ECDHE-ECDSA:-MAC-ALL:+AEAD:+VERS-TLS1.2"
                                   ":+AES-128-GCM:+GROUP-X25519:+GROUP-SECP256R1"
                                   ":+SIGN-ECDSA-SHA256";

/* Why the client rejected the server certificate, kept by drive_handshake for errname. */
static char verify_failure[512];

static void note_verify_failure(gnutls_session_t client)
{
    gnutls_datum_t text = { NULL, 0 };
    unsigned status = gnutls_session_get_verify_cert_status(client);
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) < 0)
        snprintf(verify_failure, sizeof verify_failure, "status 0x%x", status);
    else
        snprintf(verify_failure, sizeof verify_failure, "%s", (const char *)text.data);
    gnutls_free(text.data);
}

static const char *errname(int err)
{
    static char buf[1024];
    if (err == BENCH_E_STALLED)
        return "stalled (no progress on either side)";
    if (err != GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR || !verify_failure[0])
        return gnutls_strerror(err);
    snprintf(buf, sizeof buf, "%s (%s)", gnutls_strerror(err), verify_failure);
    verify_failure[0] = '\0';
    return buf;
}

/* ---- transport ---- */

typedef struct {
    gnutls_session_t s;
    memq *in, *out;
} endpoint;

static ssize_t ep_push(gnutls_transport_ptr_t ptr, const void *data, size_t n)
{
    endpoint *e = ptr;
    size_t w = memq_write(e->out, data, n);
    if (w == 0 && n > 0) {
        gnutls_transport_set_errno(e->s, EAGAIN);
        return -1;
    }
    return (ssize_t)w;
}

static ssize_t ep_pull(gnutls_transport_ptr_t ptr, void *data, size_t n)
{
    endpoint *e = ptr;
    size_t r = memq_read(e->in, data, n);
    if (r == 0 && n > 0) {
        gnutls_transport_set_errno(e->s, EAGAIN);
        return -1;
    }
    return (ssize_t)r;
}

/* ---- a client/server pair ---- */

typedef struct {
    gnutls_certificate_credentials_t scred, ccred;
    gnutls_priority_t prio;
} config;

typedef struct {
    memq c2s, s2c;
    endpoint c, s;
} pair;

static int pair_setup(pair *p, size_t cap)
{
    memset(p, 0, sizeof *p);
    if (memq_init(&p->c2s, cap) < 0 || memq_init(&p->s2c, cap) < 0)
        return -1;
    p->c.in = &p->s2c; p->c.out = &p->c2s;
    p->s.in = &p->c2s; p->s.out = &p->s2c;
    return 0;
}

static void pair_teardown(pair *p)
{
    memq_free(&p->c2s);
    memq_free(&p->s2c);
}

static int session_open(endpoint *e, unsigned flags, const config *cf, void *cred)
{
    int ret;
    if ((ret = gnutls_init(&e->s, flags)) < 0)
        return ret;
    if ((ret = gnutls_priority_set(e->s, cf->prio)) < 0 ||
        (ret = gnutls_credentials_set(e->s, GNUTLS_CRD_CERTIFICATE, cred)) < 0) {
        gnutls_deinit(e->s);
        e->s = NULL;
        return ret;
    }
    /* the handshake fails with GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR if either check does */
    if (flags & GNUTLS_CLIENT)
        gnutls_session_set_verify_cert(e->s, BENCH_VERIFY_HOST, 0);
    gnutls_transport_set_ptr(e->s, e);
    gnutls_transport_set_push_function(e->s, ep_push);
    gnutls_transport_set_pull_function(e->s, ep_pull);
    return 0;
}

static void pair_close(pair *p)
{
    if (p->c.s)
        gnutls_deinit(p->c.s);
    if (p->s.s)
        gnutls_deinit(p->s.s);
    p->c.s = p->s.s = NULL;
    memq_reset(&p->c2s);
    memq_reset(&p->s2c);
}

static int pair_open(pair *p, const config *cf)
{
    int ret;
    if ((ret = session_open(&p->c, GNUTLS_CLIENT, cf, cf->ccred)) < 0)
        return ret;
    if ((ret = session_open(&p->s, GNUTLS_SERVER, cf, cf->scred)) < 0) {
        pair_close(p);
        return ret;
    }
    return 0;
}

/* Both sides' gnutls_handshake, alternately, until both return 0. */
static int drive_handshake(gnutls_session_t c, gnutls_session_t s)
{
    int cr = 1, sr = 1;
    for (int i = 0; i < 100; i++) {
        if (cr != 0) {
            cr = gnutls_handshake(c);
            if (cr == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
                note_verify_failure(c);
            if (cr < 0 && gnutls_error_is_fatal(cr))
                return cr;
        }
        if (sr != 0) {
            sr = gnutls_handshake(s);
            if (sr < 0 && gnutls_error_is_fatal(sr))
                return sr;
        }
        if (cr == 0 && sr == 0)
            return 0;
    }
    return BENCH_E_STALLED;
}

static int send_all(gnutls_session_t s, const unsigned char *d, size_t n)
{
    while (n > 0) {
        ssize_t r = gnutls_record_send(s, d, n);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
            return BENCH_E_STALLED;    /* the queues are large enough never to fill */
        if (r < 0)
            return (int)r;
        d += r;
        n -= (size_t)r;
    }
    return 0;
}

/* A library may return GNUTLS_E_AGAIN after consuming a post-handshake message (GnuTLS does
 * after a KeyUpdate) although data follows; only repeated E_AGAINs mean nothing is there. */
static int recv_exact(gnutls_session_t s, unsigned char *d, size_t n)
{
    int agains = 0;
    while (n > 0) {
        ssize_t r = gnutls_record_recv(s, d, n);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
            if (++agains > 4)
                return BENCH_E_STALLED;
            continue;
        }
        if (r <= 0)
            return r == 0 ? GNUTLS_E_PREMATURE_TERMINATION : (int)r;
        d += r;
        n -= (size_t)r;
    }
    return 0;
}

/* One byte each way: the connection carries data and every post-handshake message is read. */
static int ping(pair *p)
{
    unsigned char b = 0x5a, r = 0;
    int ret;
    if ((ret = send_all(p->c.s, &b, 1)) < 0 || (ret = recv_exact(p->s.s, &r, 1)) < 0)
        return ret;
    if ((ret = send_all(p->s.s, &b, 1)) < 0 || (ret = recv_exact(p->c.s, &r, 1)) < 0)
        return ret;
    return r == b ? 0 : GNUTLS_E_DECRYPTION_FAILED;
}

static int config_init(config *cf, const bench_opts *o, const char *prio, const char *cert,
                       const char *key, const char **what)
{
    int ret;
    memset(cf, 0, sizeof *cf);
    *what = "gnutls_certificate_allocate_credentials";
    if ((ret = gnutls_certificate_allocate_credentials(&cf->scred)) < 0 ||
        (ret = gnutls_certificate_allocate_credentials(&cf->ccred)) < 0)
        return ret;
    *what = "gnutls_certificate_set_x509_key_file";
    if ((ret = gnutls_certificate_set_x509_key_file(cf->scred, bench_path(o, cert),
                                                    bench_path(o, key), GNUTLS_X509_FMT_PEM)) < 0)
        return ret;
    /* returns the number of CA certificates loaded; with none, every handshake would fail
     * later and less clearly */
    *what = "gnutls_certificate_set_x509_trust_file";
    if ((ret = gnutls_certificate_set_x509_trust_file(cf->ccred, bench_path(o, BENCH_CA_FILE),
                                                      GNUTLS_X509_FMT_PEM)) <= 0)
        return ret < 0 ? ret : GNUTLS_E_NO_CERTIFICATE_FOUND;
    *what = "gnutls_priority_init";
    return gnutls_priority_init(&cf->prio, prio, NULL);
}

static void config_free(config *cf)
{
    if (cf->prio)
        gnutls_priority_deinit(cf->prio);
    if (cf->scred)
        gnutls_certificate_free_credentials(cf->scred);
    if (cf->ccred)
        gnutls_certificate_free_credentials(cf->ccred);
}

/* ---- operations ---- */

typedef struct {
    pair p;
    const config *cf;
    unsigned char *sbuf, *rbuf;
    size_t len;
} state;

/* A full handshake with sessions created and freed inside the timed operation. */
static BENCH_OP int op_handshake(void *arg)
{
    state *st = arg;
    int ret = pair_open(&st->p, st->cf);
    if (ret == 0)
        ret = drive_handshake(st->p.c.s, st->p.s.s);
    pair_close(&st->p);
    return ret;
}

/* Client writes len bytes, server reads them: one encryption and one decryption per record. */
static BENCH_OP int op_transfer(void *arg)
{
    state *st = arg;
    int ret = send_all(st->p.c.s, st->sbuf, st->len);
    return ret < 0 ? ret : recv_exact(st->p.s.s, st->rbuf, st->len);
}

#ifdef BENCH_HAVE_GNUTLS_SESSION_KEY_UPDATE
/* The client updates its sending key, then one byte goes through under the new key. */
static BENCH_OP int op_key_update(void *arg)
{
    state *st = arg;
    int ret = gnutls_session_key_update(st->p.c.s, 0);
    if (ret < 0)
        return ret;
    if ((ret = send_all(st->p.c.s, st->sbuf, 1)) < 0)
        return ret;
    return recv_exact(st->p.s.s, st->rbuf, 1);
}
#endif

#ifdef BENCH_HAVE_GNUTLS_REHANDSHAKE
/* Client-initiated renegotiation: the client's gnutls_handshake sends a ClientHello, the
 * server's gnutls_record_recv returns GNUTLS_E_REHANDSHAKE and it runs gnutls_handshake. */
static BENCH_OP int op_renegotiate(void *arg)
{
    state *st = arg;
    gnutls_session_t c = st->p.c.s, s = st->p.s.s;
    int cr = 1, sr = 1, server_in_handshake = 0;
    unsigned char buf[64];

    for (int i = 0; i < 100; i++) {
        if (cr != 0) {
            cr = gnutls_handshake(c);
            if (cr == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
                note_verify_failure(c);
            if (cr < 0 && gnutls_error_is_fatal(cr))
                return cr;
        }
        if (sr != 0 && !server_in_handshake) {
            ssize_t r = gnutls_record_recv(s, buf, sizeof buf);
            if (r == GNUTLS_E_REHANDSHAKE)
                server_in_handshake = 1;
            else if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
                return r < 0 ? (int)r : BENCH_E_STALLED;
        }
        if (sr != 0 && server_in_handshake) {
            sr = gnutls_handshake(s);
            if (sr < 0 && gnutls_error_is_fatal(sr))
                return sr;
        }
        if (cr == 0 && sr == 0)
            return 0;
    }
    return BENCH_E_STALLED;
}
#endif

/* ---- rows ---- */

static int run_handshakes(const bench_opts *o, const char *row, const char *prio,
                          const char *cert, const char *key)
{
    config cf;
    state st;
    const char *what;
    int ret, err;

    memset(&st, 0, sizeof st);
    if ((ret = config_init(&cf, o, prio, cert, key, &what)) < 0) {
        bench_status(row, LIB, "failed", "%s: %s", what, errname(ret));
        config_free(&cf);
        return 1;
    }
    pair_setup(&st.p, BENCH_QUEUE_CAP);
    st.cf = &cf;
    double v = bench_run(o, op_handshake, &st, &err);
    if (err)
        bench_status(row, LIB, "failed", "handshake: %s", errname(err));
    else
        bench_value(row, LIB, v, "hs/s");
    pair_teardown(&st.p);
    config_free(&cf);
    return err != 0;
}

/* An established connection, then `op` on it repeatedly. */
static int run_established(const bench_opts *o, const char *row, const char *prio,
                           const char *cert, const char *key, bench_op op, size_t len,
                           double scale, const char *unit)
{
    config cf;
    state st;
    const char *what;
    int ret, err = 0, failed = 1;

    memset(&st, 0, sizeof st);
    if ((ret = config_init(&cf, o, prio, cert, key, &what)) < 0) {
        bench_status(row, LIB, "failed", "%s: %s", what, errname(ret));
        config_free(&cf);
        return 1;
    }
    pair_setup(&st.p, BENCH_QUEUE_CAP);
    st.cf = &cf;
    st.len = len;
    st.sbuf = calloc(1, len ? len : 1);
    st.rbuf = calloc(1, len ? len : 1);
    for (size_t i = 0; i < len; i++)
        st.sbuf[i] = (unsigned char)(i * 31 + 7);
    if ((ret = pair_open(&st.p, &cf)) < 0 || (ret = drive_handshake(st.p.c.s, st.p.s.s)) < 0) {
        bench_status(row, LIB, "failed", "handshake: %s", errname(ret));
        goto out;
    }
    double v = bench_run(o, op, &st, &err);
    if (err) {
        bench_status(row, LIB, "failed", "%s", errname(err));
        goto out;
    }
    if (len && memcmp(st.sbuf, st.rbuf, len) != 0) {
        bench_status(row, LIB, "failed", "data corrupted in transfer");
        goto out;
    }
    if ((ret = ping(&st.p)) < 0) {
        bench_status(row, LIB, "failed", "connection unusable afterwards: %s", errname(ret));
        goto out;
    }
    bench_value(row, LIB, v * scale, unit);
    failed = 0;
out:
    pair_close(&st.p);
    pair_teardown(&st.p);
    free(st.sbuf);
    free(st.rbuf);
    config_free(&cf);
    return failed;
}

#ifdef BENCH_HAVE_GNUTLS_SESSION_KEY_UPDATE
/* GnuTLS refuses a 9th KeyUpdate within one second on a connection, so every library gets
 * the same treatment: batches of KU_BATCH key updates, each batch on a fresh connection
 * whose handshake is not timed. The row times a quarter of --time of key updates. */
#define KU_BATCH 8
static int run_key_updates(const bench_opts *o, const char *prio, const char *cert,
                           const char *key)
{
    const char *row = "tls13_keyupdate";
    config cf;
    state st;
    const char *what;
    unsigned char b1[1] = { 1 }, b2[1];
    int ret = 0;
    long n = 0;
    double spent = 0, budget = o->seconds / 4;

    memset(&st, 0, sizeof st);
    if ((ret = config_init(&cf, o, prio, cert, key, &what)) < 0) {
        bench_status(row, LIB, "failed", "%s: %s", what, errname(ret));
        config_free(&cf);
        return 1;
    }
    pair_setup(&st.p, BENCH_QUEUE_CAP);
    st.cf = &cf;
    st.sbuf = b1;
    st.rbuf = b2;
    for (int batch = 0; ret == 0; batch++) {
        if (o->iters > 0 ? n >= o->iters : spent >= budget)
            break;
        if ((ret = pair_open(&st.p, &cf)) < 0 || (ret = drive_handshake(st.p.c.s, st.p.s.s)) < 0)
            break;
        double t0 = bench_cpu_now();
        for (int k = 0; k < KU_BATCH && ret == 0; k++)
            ret = op_key_update(&st);
        double t1 = bench_cpu_now();
        if (ret == 0)
            ret = ping(&st.p);
        pair_close(&st.p);
        if (batch > 0 || o->iters > 0) {   /* the first batch warms up */
            spent += t1 - t0;
            n += KU_BATCH;
        }
    }
    if (ret < 0)
        bench_status(row, LIB, "failed", "%s", errname(ret));
    else
        bench_value(row, LIB, (double)n / (spent > 0 ? spent : 1e-9), "ku/s");
    pair_close(&st.p);
    pair_teardown(&st.p);
    config_free(&cf);
    return ret < 0;
}
#endif

/* Heap bytes held per established, idle client+server pair (under bench/malloc_count.so). */
static int run_memory(const bench_opts *o)
{
    const char *row = "mem_idle";
    bench_live_fn live = bench_malloc_counter();
    long long (*calls)(void) = (long long (*)(void))(uintptr_t)dlsym(RTLD_DEFAULT,
                                                                      "malloc_count_calls");
    config cf;
    const char *what;
    int ret, n = o->mem_pairs, failed = 1;
    pair *ps;

    if (!live || !calls) {
        bench_status(row, LIB, "skipped", "needs LD_PRELOAD=malloc_count.so");
        return 0;
    }
    if ((ret = config_init(&cf, o, prio13_ecdsa, "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem",
                           &what)) < 0) {
        bench_status(row, LIB, "failed", "%s: %s", what, errname(ret));
        config_free(&cf);
        return 1;
    }
    ps = calloc((size_t)n, sizeof *ps);
    for (int i = 0; i < n; i++)
        pair_setup(&ps[i], BENCH_QUEUE_CAP_SMALL);
    /* one pair first, so lazily initialised library state is not charged to the sessions */
    if ((ret = pair_open(&ps[0], &cf)) < 0 || (ret = drive_handshake(ps[0].c.s, ps[0].s.s)) < 0 ||
        (ret = ping(&ps[0])) < 0) {
        bench_status(row, LIB, "failed", "handshake: %s", errname(ret));
        goto out;
    }
    pair_close(&ps[0]);
    long long before = live(), calls_before = calls();
    for (int i = 0; i < n; i++)
        if ((ret = pair_open(&ps[i], &cf)) < 0 || (ret = drive_handshake(ps[i].c.s, ps[i].s.s)) < 0 ||
            (ret = ping(&ps[i])) < 0) {
            bench_status(row, LIB, "failed", "handshake: %s", errname(ret));
            goto out;
        }
    long long after = live(), calls_after = calls();
    bench_value(row, LIB, (double)(after - before) / n, "B/pair");
    bench_value("hs_allocs", LIB, (double)(calls_after - calls_before) / n, "allocs/pair");
    failed = 0;
out:
    for (int i = 0; i < n; i++) {
        pair_close(&ps[i]);
        pair_teardown(&ps[i]);
    }
    free(ps);
    config_free(&cf);
    return failed;
}

/* Handshakes/s with 1 thread, then 2 threads sharing one credentials and priority object. */
typedef struct {
    const bench_opts *o;
    const config *cf;
    double stop_at;
    long done;
    int err;
} worker;

static void *scale_worker(void *arg)
{
    worker *w = arg;
    state st;
    memset(&st, 0, sizeof st);
    pair_setup(&st.p, BENCH_QUEUE_CAP);
    st.cf = w->cf;
    for (int i = 0; i < 3 && w->o->iters <= 0; i++)   /* warm-up */
        if ((w->err = op_handshake(&st)) < 0)
            goto out;
    for (;;) {
        if (w->o->iters > 0 ? w->done >= w->o->iters : bench_now() >= w->stop_at)
            break;
        if ((w->err = op_handshake(&st)) < 0)
            break;
        w->done++;
    }
out:
    pair_teardown(&st.p);
    return NULL;
}

static int run_scaling(const bench_opts *o)
{
    const char *row = "scaling";
    config cf;
    const char *what;
    double rate[3] = { 0, 0, 0 };
    int ret;

    if ((ret = config_init(&cf, o, prio13_ecdsa, "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem",
                           &what)) < 0) {
        bench_status(row, LIB, "failed", "%s: %s", what, errname(ret));
        config_free(&cf);
        return 1;
    }
    for (int nt = 1; nt <= 2; nt++) {
        worker w[2];
        pthread_t th[2];
        double t0 = bench_now();
        for (int i = 0; i < nt; i++) {
            w[i] = (worker){ o, &cf, t0 + o->seconds, 0, 0 };
            pthread_create(&th[i], NULL, scale_worker, &w[i]);
        }
        long total = 0;
        for (int i = 0; i < nt; i++) {
            pthread_join(th[i], NULL);
            total += w[i].done;
            if (w[i].err < 0) {
                bench_status(row, LIB, "failed", "%d threads: %s", nt, errname(w[i].err));
                config_free(&cf);
                return 1;
            }
        }
        double dt = bench_now() - t0;
        rate[nt] = (double)total / (dt > 0 ? dt : 1e-9);
    }
    bench_value("scale_1t", LIB, rate[1], "hs/s");
    bench_value("scale_2t", LIB, rate[2], "hs/s");
    bench_value("scaling", LIB, rate[2] / rate[1], "x");
    config_free(&cf);
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o;
    int failed = 0;
    const char *ecert = "ecdsa-p256-cert.pem", *ekey = "ecdsa-p256-key.pem";

    if (bench_parse(&o, argc, argv, rows) < 0)
        return 2;
    if (gnutls_global_init() < 0) {
        fprintf(stderr, "gnutls_global_init failed\n");
        return 1;
    }
    if (bench_want(&o, "tls13_ecdsa_hs"))
        failed += run_handshakes(&o, "tls13_ecdsa_hs", prio13_ecdsa, ecert, ekey);
    if (bench_want(&o, "tls13_rsa_hs"))
        failed += run_handshakes(&o, "tls13_rsa_hs", prio13_rsa, "rsa-cert.pem", "rsa-key.pem");
    if (bench_want(&o, "tls12_ecdsa_hs"))
        failed += run_handshakes(&o, "tls12_ecdsa_hs", prio12_ecdsa, ecert, ekey);
    if (bench_want(&o, "tls12_reneg")) {
#ifdef BENCH_HAVE_GNUTLS_REHANDSHAKE
        failed += run_established(&o, "tls12_reneg", prio12_ecdsa, ecert, ekey, op_renegotiate,
                                  0, 1, "reneg/s");
#else
        bench_status("tls12_reneg", LIB, "skipped", "not implemented (no gnutls_rehandshake)");
#endif
    }
    if (bench_want(&o, "tls13_keyupdate")) {
#ifdef BENCH_HAVE_GNUTLS_SESSION_KEY_UPDATE
        failed += run_key_updates(&o, prio13_ecdsa, ecert, ekey);
#else
        bench_status("tls13_keyupdate", LIB, "skipped",
                     "not implemented (no gnutls_session_key_update)");
#endif
    }
    if (bench_want(&o, "bulk_aes128gcm"))
        failed += run_established(&o, "bulk_aes128gcm", prio13_ecdsa, ecert, ekey, op_transfer,
                                  16384, 16384 / 1e6, "MB/s");
    if (bench_want(&o, "bulk_aes256gcm"))
        failed += run_established(&o, "bulk_aes256gcm", prio13_aes256, ecert, ekey, op_transfer,
                                  16384, 16384 / 1e6, "MB/s");
    if (bench_want(&o, "bulk_chacha20"))
        failed += run_established(&o, "bulk_chacha20", prio13_chacha, ecert, ekey, op_transfer,
                                  16384, 16384 / 1e6, "MB/s");
    if (bench_want(&o, "small_records"))
        failed += run_established(&o, "small_records", prio13_ecdsa, ecert, ekey, op_transfer,
                                  64, 1, "rec/s");
    if (bench_want(&o, "mem_idle"))
        failed += run_memory(&o);
    if (bench_want(&o, "scaling"))
        failed += run_scaling(&o);
    gnutls_global_deinit();
    return failed ? 1 : 0;
}
