/* The TLS rows for OpenSSL's libssl (lib=openssl): the same work as bench_gnutls_api.c, client
 * and server in one process joined by the same in-memory byte queues (a small BIO method over
 * bench_common.h's memq, so every library pays the same transport copies). */
#include <pthread.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "bench_common.h"

#define LIB "openssl"
#define BENCH_E_STALLED (-100000)

static const char *const rows[] = {
    "tls13_ecdsa_hs", "tls13_rsa_hs", "tls12_ecdsa_hs", "tls12_reneg", "tls13_keyupdate",
    "bulk_aes128gcm", "bulk_aes256gcm", "bulk_chacha20", "small_records", "mem_idle",
    "scaling", NULL
};

typedef struct {
    int tls13;
    const char *groups;    /* TLS 1.2 also offers P-256: a server checks its ECDSA cert's curve */
    const char *suite;     /* TLS 1.3 ciphersuite or TLS 1.2 cipher list */
    const char *sigalg;
    const char *cert, *key;
} rowcfg;

static const rowcfg cfg13_ecdsa = { 1, "X25519", "TLS_AES_128_GCM_SHA256", "ECDSA+SHA256",
                                    "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" };
static const rowcfg cfg13_rsa = { 1, "X25519", "TLS_AES_128_GCM_SHA256", "rsa_pss_rsae_sha256",
                                  "rsa-cert.pem", "rsa-key.pem" };
static const rowcfg cfg13_aes256 = { 1, "X25519", "TLS_AES_256_GCM_SHA384", "ECDSA+SHA256",
                                     "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" };
static const rowcfg cfg13_chacha = { 1, "X25519", "TLS_CHACHA20_POLY1305_SHA256", "ECDSA+SHA256",
                                     "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" };
static const rowcfg cfg12_ecdsa = { 0, "X25519:P-256", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDSA+SHA256",
                                    "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" };

/* Why the client rejected the server certificate, kept by drive_handshake for errname. */
static const char *verify_failure;

static char errbuf[512];
static const char *errname(int err)
{
    char e_text[256];
    if (err == BENCH_E_STALLED)
        return "stalled (no progress on either side)";
    /* the error queue is per thread: a scaling worker's errors are not seen here */
    unsigned long e = ERR_get_error();
    if (e == 0)
        snprintf(e_text, sizeof e_text, "SSL error %d", -err);
    else
        ERR_error_string_n(e, e_text, sizeof e_text);
    ERR_clear_error();
    if (verify_failure)
        snprintf(errbuf, sizeof errbuf, "%s (%s)", e_text, verify_failure);
    else
        snprintf(errbuf, sizeof errbuf, "%s", e_text);
    verify_failure = NULL;
    return errbuf;
}

/* ---- transport: a BIO over a pair of memq ---- */

typedef struct {
    memq *in, *out;
} endpoint;

static BIO_METHOD *memq_method;

static int mq_write(BIO *b, const char *data, int n)
{
    endpoint *e = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    size_t w = memq_write(e->out, data, (size_t)n);
    if (w == 0 && n > 0) {
        BIO_set_retry_write(b);
        return -1;
    }
    return (int)w;
}

static int mq_read(BIO *b, char *data, int n)
{
    endpoint *e = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    size_t r = memq_read(e->in, data, (size_t)n);
    if (r == 0 && n > 0) {
        BIO_set_retry_read(b);
        return -1;
    }
    return (int)r;
}

static long mq_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    endpoint *e = BIO_get_data(b);
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_PENDING:
        return e ? (long)memq_len(e->in) : 0;
    case BIO_CTRL_WPENDING:
        return 0;
    default:
        return 0;
    }
}

static int mq_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

static BIO_METHOD *make_method(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench memq");
    BIO_meth_set_write(m, mq_write);
    BIO_meth_set_read(m, mq_read);
    BIO_meth_set_ctrl(m, mq_ctrl);
    BIO_meth_set_create(m, mq_create);
    return m;
}

/* ---- a client/server pair ---- */

typedef struct {
    SSL_CTX *sctx, *cctx;
} config;

typedef struct {
    memq c2s, s2c;
    endpoint ce, se;
    SSL *c, *s;
} pair;

static int pair_setup(pair *p, size_t cap)
{
    memset(p, 0, sizeof *p);
    if (memq_init(&p->c2s, cap) < 0 || memq_init(&p->s2c, cap) < 0)
        return -1;
    p->ce.in = &p->s2c; p->ce.out = &p->c2s;
    p->se.in = &p->c2s; p->se.out = &p->s2c;
    return 0;
}

static void pair_teardown(pair *p)
{
    memq_free(&p->c2s);
    memq_free(&p->s2c);
}

static void pair_close(pair *p)
{
    SSL_free(p->c);
    SSL_free(p->s);
    p->c = p->s = NULL;
    memq_reset(&p->c2s);
    memq_reset(&p->s2c);
}

static SSL *ssl_open(SSL_CTX *ctx, endpoint *e, int server)
{
    SSL *s = SSL_new(ctx);
    BIO *b = BIO_new(memq_method);
    if (!s || !b) {
        SSL_free(s);
        BIO_free(b);
        return NULL;
    }
    BIO_set_data(b, e);
    SSL_set_bio(s, b, b);
    if (server) {
        SSL_set_accept_state(s);
    } else {
        /* the host name the certificate must carry, checked with the chain (SSL_VERIFY_PEER) */
        if (SSL_set1_host(s, BENCH_VERIFY_HOST) != 1) {
            SSL_free(s);
            return NULL;
        }
        SSL_set_connect_state(s);
    }
    return s;
}

static int pair_open(pair *p, const config *cf)
{
    p->c = ssl_open(cf->cctx, &p->ce, 0);
    p->s = ssl_open(cf->sctx, &p->se, 1);
    if (!p->c || !p->s) {
        pair_close(p);
        return -1;
    }
    return 0;
}

static int step_ok(SSL *s, int r)
{
    int e = SSL_get_error(s, r);
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

static int drive_handshake(SSL *c, SSL *s)
{
    int cr = 0, sr = 0;
    for (int i = 0; i < 100; i++) {
        if (cr != 1) {
            cr = SSL_do_handshake(c);
            if (cr != 1 && !step_ok(c, cr)) {
                long v = SSL_get_verify_result(c);
                if (v != X509_V_OK)
                    verify_failure = X509_verify_cert_error_string(v);
                return -1;
            }
        }
        if (sr != 1) {
            sr = SSL_do_handshake(s);
            if (sr != 1 && !step_ok(s, sr))
                return -2;
        }
        if (cr == 1 && sr == 1)
            return 0;
    }
    return BENCH_E_STALLED;
}

static int send_all(SSL *s, const unsigned char *d, size_t n)
{
    while (n > 0) {
        size_t w = 0;
        if (SSL_write_ex(s, d, n, &w) != 1)
            return step_ok(s, 0) ? BENCH_E_STALLED : -3;
        d += w;
        n -= w;
    }
    return 0;
}

static int recv_exact(SSL *s, unsigned char *d, size_t n)
{
    int agains = 0;
    while (n > 0) {
        size_t r = 0;
        if (SSL_read_ex(s, d, n, &r) != 1) {
            if (SSL_get_error(s, 0) == SSL_ERROR_WANT_READ && ++agains <= 4)
                continue;
            return agains > 4 ? BENCH_E_STALLED : -4;
        }
        d += r;
        n -= r;
    }
    return 0;
}

static int ping(pair *p)
{
    unsigned char b = 0x5a, r = 0;
    int ret;
    if ((ret = send_all(p->c, &b, 1)) < 0 || (ret = recv_exact(p->s, &r, 1)) < 0)
        return ret;
    if ((ret = send_all(p->s, &b, 1)) < 0 || (ret = recv_exact(p->c, &r, 1)) < 0)
        return ret;
    return r == b ? 0 : -5;
}

/* Fair settings: version, suite, group and signature pinned; no tickets, no session cache;
 * the client verifies the server certificate (chain to the bench CA and host name, as the
 * other libraries do), and a failed verification fails the handshake. */
static SSL_CTX *ctx_new(const bench_opts *o, const rowcfg *rc, int server)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    int v = rc->tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (!ctx)
        return NULL;
    int ok = SSL_CTX_set_min_proto_version(ctx, v) && SSL_CTX_set_max_proto_version(ctx, v) &&
             SSL_CTX_set1_groups_list(ctx, rc->groups) && SSL_CTX_set1_sigalgs_list(ctx, rc->sigalg);
    if (ok && rc->tls13)
        ok = SSL_CTX_set_ciphersuites(ctx, rc->suite);
    else if (ok)
        ok = SSL_CTX_set_cipher_list(ctx, rc->suite);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | (server ? SSL_OP_ALLOW_CLIENT_RENEGOTIATION : 0));
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_verify(ctx, server ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
    if (ok && server)
        ok = SSL_CTX_use_certificate_chain_file(ctx, bench_path(o, rc->cert)) == 1 &&
             SSL_CTX_use_PrivateKey_file(ctx, bench_path(o, rc->key), SSL_FILETYPE_PEM) == 1;
    else if (ok)
        ok = SSL_CTX_load_verify_locations(ctx, bench_path(o, BENCH_CA_FILE), NULL) == 1;
    if (!ok) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static int config_init(config *cf, const bench_opts *o, const rowcfg *rc)
{
    cf->sctx = ctx_new(o, rc, 1);
    cf->cctx = ctx_new(o, rc, 0);
    return cf->sctx && cf->cctx ? 0 : -1;
}

static void config_free(config *cf)
{
    SSL_CTX_free(cf->sctx);
    SSL_CTX_free(cf->cctx);
}

/* ---- operations ---- */

typedef struct {
    pair p;
    const config *cf;
    unsigned char *sbuf, *rbuf;
    size_t len;
} state;

static BENCH_OP int op_handshake(void *arg)
{
    state *st = arg;
    int ret = pair_open(&st->p, st->cf);
    if (ret == 0)
        ret = drive_handshake(st->p.c, st->p.s);
    pair_close(&st->p);
    return ret;
}

static BENCH_OP int op_transfer(void *arg)
{
    state *st = arg;
    int ret = send_all(st->p.c, st->sbuf, st->len);
    return ret < 0 ? ret : recv_exact(st->p.s, st->rbuf, st->len);
}

static BENCH_OP int op_key_update(void *arg)
{
    state *st = arg;
    if (SSL_key_update(st->p.c, SSL_KEY_UPDATE_NOT_REQUESTED) != 1)
        return -6;
    int ret = send_all(st->p.c, st->sbuf, 1);
    return ret < 0 ? ret : recv_exact(st->p.s, st->rbuf, 1);
}

/* Client-initiated renegotiation; the server's SSL_read answers it. */
static BENCH_OP int op_renegotiate(void *arg)
{
    state *st = arg;
    SSL *c = st->p.c, *s = st->p.s;
    unsigned char buf[64];
    size_t got;

    if (SSL_renegotiate(c) != 1)
        return -7;
    for (int i = 0; i < 100; i++) {
        int r = SSL_do_handshake(c);
        if (r != 1 && !step_ok(c, r))
            return -8;
        if (r == 1 && !SSL_renegotiate_pending(c))
            return 0;
        if (SSL_read_ex(s, buf, sizeof buf, &got) != 1 && !step_ok(s, 0))
            return -9;
    }
    return BENCH_E_STALLED;
}

/* ---- rows ---- */

static int run_handshakes(const bench_opts *o, const char *row, const rowcfg *rc)
{
    config cf;
    state st;
    int err;

    memset(&st, 0, sizeof st);
    if (config_init(&cf, o, rc) < 0) {
        bench_status(row, LIB, "failed", "SSL_CTX setup: %s", errname(-1));
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

static int run_established(const bench_opts *o, const char *row, const rowcfg *rc, bench_op op,
                           size_t len, double scale, const char *unit)
{
    config cf;
    state st;
    int ret, err = 0, failed = 1;

    memset(&st, 0, sizeof st);
    if (config_init(&cf, o, rc) < 0) {
        bench_status(row, LIB, "failed", "SSL_CTX setup: %s", errname(-1));
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
    if ((ret = pair_open(&st.p, &cf)) < 0 || (ret = drive_handshake(st.p.c, st.p.s)) < 0) {
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

/* Same batching as bench_gnutls_api.c (GnuTLS accepts 8 KeyUpdates a second). */
#define KU_BATCH 8
static int run_key_updates(const bench_opts *o)
{
    const char *row = "tls13_keyupdate";
    config cf;
    state st;
    unsigned char b1[1] = { 1 }, b2[1];
    int ret = 0;
    long n = 0;
    double spent = 0, budget = o->seconds / 4;

    memset(&st, 0, sizeof st);
    if (config_init(&cf, o, &cfg13_ecdsa) < 0) {
        bench_status(row, LIB, "failed", "SSL_CTX setup: %s", errname(-1));
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
        if ((ret = pair_open(&st.p, &cf)) < 0 || (ret = drive_handshake(st.p.c, st.p.s)) < 0)
            break;
        double t0 = bench_cpu_now();
        for (int k = 0; k < KU_BATCH && ret == 0; k++)
            ret = op_key_update(&st);
        double t1 = bench_cpu_now();
        if (ret == 0)
            ret = ping(&st.p);
        pair_close(&st.p);
        if (batch > 0 || o->iters > 0) {
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

static int run_memory(const bench_opts *o)
{
    const char *row = "mem_idle";
    bench_live_fn live = bench_malloc_counter();
    long long (*calls)(void) = (long long (*)(void))(uintptr_t)dlsym(RTLD_DEFAULT,
                                                                      "malloc_count_calls");
    config cf;
    int ret, n = o->mem_pairs, failed = 1;
    pair *ps;

    if (!live || !calls) {
        bench_status(row, LIB, "skipped", "needs LD_PRELOAD=malloc_count.so");
        return 0;
    }
    if (config_init(&cf, o, &cfg13_ecdsa) < 0) {
        bench_status(row, LIB, "failed", "SSL_CTX setup: %s", errname(-1));
        config_free(&cf);
        return 1;
    }
    ps = calloc((size_t)n, sizeof *ps);
    for (int i = 0; i < n; i++)
        pair_setup(&ps[i], BENCH_QUEUE_CAP_SMALL);
    if ((ret = pair_open(&ps[0], &cf)) < 0 || (ret = drive_handshake(ps[0].c, ps[0].s)) < 0 ||
        (ret = ping(&ps[0])) < 0) {
        bench_status(row, LIB, "failed", "handshake: %s", errname(ret));
        goto out;
    }
    pair_close(&ps[0]);
    long long before = live(), calls_before = calls();
    for (int i = 0; i < n; i++)
        if ((ret = pair_open(&ps[i], &cf)) < 0 || (ret = drive_handshake(ps[i].c, ps[i].s)) < 0 ||
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
    for (int i = 0; i < 3 && w->o->iters <= 0; i++)
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
    double rate[3] = { 0, 0, 0 };

    if (config_init(&cf, o, &cfg13_ecdsa) < 0) {
        bench_status(row, LIB, "failed", "SSL_CTX setup: %s", errname(-1));
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

    if (bench_parse(&o, argc, argv, rows) < 0)
        return 2;
    memq_method = make_method();
    if (bench_want(&o, "tls13_ecdsa_hs"))
        failed += run_handshakes(&o, "tls13_ecdsa_hs", &cfg13_ecdsa);
    if (bench_want(&o, "tls13_rsa_hs"))
        failed += run_handshakes(&o, "tls13_rsa_hs", &cfg13_rsa);
    if (bench_want(&o, "tls12_ecdsa_hs"))
        failed += run_handshakes(&o, "tls12_ecdsa_hs", &cfg12_ecdsa);
    if (bench_want(&o, "tls12_reneg"))
        failed += run_established(&o, "tls12_reneg", &cfg12_ecdsa, op_renegotiate, 0, 1,
                                  "reneg/s");
    if (bench_want(&o, "tls13_keyupdate"))
        failed += run_key_updates(&o);
    if (bench_want(&o, "bulk_aes128gcm"))
        failed += run_established(&o, "bulk_aes128gcm", &cfg13_ecdsa, op_transfer, 16384,
                                  16384 / 1e6, "MB/s");
    if (bench_want(&o, "bulk_aes256gcm"))
        failed += run_established(&o, "bulk_aes256gcm", &cfg13_aes256, op_transfer, 16384,
                                  16384 / 1e6, "MB/s");
    if (bench_want(&o, "bulk_chacha20"))
        failed += run_established(&o, "bulk_chacha20", &cfg13_chacha, op_transfer, 16384,
                                  16384 / 1e6, "MB/s");
    if (bench_want(&o, "small_records"))
        failed += run_established(&o, "small_records", &cfg13_ecdsa, op_transfer, 64, 1,
                                  "rec/s");
    if (bench_want(&o, "mem_idle"))
        failed += run_memory(&o);
    if (bench_want(&o, "scaling"))
        failed += run_scaling(&o);
    BIO_meth_free(memq_method);
    return failed ? 1 : 0;
}
