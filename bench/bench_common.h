/* What the three bench programs share: the in-memory byte queue that joins a client and a
 * server in one process, the command line, the timing loop and the output format
 *   row=<id> lib=<lib> value=<number> unit=<unit>
 *   row=<id> lib=<lib> status=skipped reason="..."   (the library cannot run the row yet)
 *   row=<id> lib=<lib> status=failed reason="..."    (it should have run and did not)
 * which bench/run.py collects. Header-only so each program stays one compilation unit. */
#ifndef KEEL_BENCH_COMMON_H
#define KEEL_BENCH_COMMON_H

#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- byte queue: one per direction; a full queue refuses writes (the caller retries) ---- */

typedef struct {
    unsigned char *buf;
    size_t head, tail, cap;
} memq;

static inline int memq_init(memq *q, size_t cap)
{
    q->buf = malloc(cap);
    q->head = q->tail = 0;
    q->cap = cap;
    return q->buf ? 0 : -1;
}

static inline void memq_free(memq *q)
{
    free(q->buf);
    q->buf = NULL;
}

static inline void memq_reset(memq *q)
{
    q->head = q->tail = 0;
}

static inline size_t memq_len(const memq *q)
{
    return q->tail - q->head;
}

static inline size_t memq_write(memq *q, const void *p, size_t n)
{
    if (q->head == q->tail)
        q->head = q->tail = 0;
    if (q->tail + n > q->cap && q->head > 0) {
        memmove(q->buf, q->buf + q->head, q->tail - q->head);
        q->tail -= q->head;
        q->head = 0;
    }
    if (n > q->cap - q->tail)
        n = q->cap - q->tail;
    memcpy(q->buf + q->tail, p, n);
    q->tail += n;
    return n;
}

static inline size_t memq_read(memq *q, void *p, size_t n)
{
    size_t have = q->tail - q->head;
    if (n > have)
        n = have;
    memcpy(p, q->buf + q->head, n);
    q->head += n;
    if (q->head == q->tail)
        q->head = q->tail = 0;
    return n;
}

/* Every client verifies the server certificate: its chain up to this CA (in --datadir) and
 * the host name, which the test certificates carry as DNS:localhost. */
#define BENCH_CA_FILE "ca-cert.pem"
#define BENCH_VERIFY_HOST "localhost"

/* Large enough for a whole handshake flight and for several 16 KiB records. */
#define BENCH_QUEUE_CAP (128 * 1024)
/* The memory row holds many idle pairs; their queues only ever carry handshakes. */
#define BENCH_QUEUE_CAP_SMALL (32 * 1024)

/* ---- options ---- */

typedef struct {
    const char *row;      /* NULL: every row */
    double seconds;       /* per timed row */
    long iters;           /* > 0: exactly this many operations, no warm-up (callgrind, smoke) */
    const char *datadir;  /* tests/data */
    int mem_pairs;        /* idle pairs for the memory row */
} bench_opts;

static inline void bench_usage(const char *prog, const char *const *rows)
{
    fprintf(stderr, "usage: %s [--row NAME] [--time SECONDS] [--iters N] [--smoke] [--datadir DIR]\n"
                    "rows:", prog);
    for (int i = 0; rows[i]; i++)
        fprintf(stderr, " %s", rows[i]);
    fprintf(stderr, "\n");
}

static inline int bench_parse(bench_opts *o, int argc, char **argv, const char *const *rows)
{
    o->row = NULL;
    o->seconds = 0.5;
    o->iters = 0;
    o->datadir = getenv("KEEL_SRCDIR") ? NULL : "tests/data";
    o->mem_pairs = 100;
    static char dd[1024];
    if (!o->datadir) {
        snprintf(dd, sizeof dd, "%s/tests/data", getenv("KEEL_SRCDIR"));
        o->datadir = dd;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--row") && v) {
            o->row = v; i++;
        } else if (!strcmp(a, "--time") && v) {
            o->seconds = atof(v); i++;
        } else if (!strcmp(a, "--iters") && v) {
            o->iters = atol(v); i++;
        } else if (!strcmp(a, "--smoke")) {
            o->iters = 1;
            o->mem_pairs = 2;
        } else if (!strcmp(a, "--datadir") && v) {
            o->datadir = v; i++;
        } else if (!strcmp(a, "--pairs") && v) {
            o->mem_pairs = atoi(v); i++;
        } else if (!strcmp(a, "--list")) {
            for (int r = 0; rows[r]; r++)
                printf("%s\n", rows[r]);
            exit(0);
        } else {
            bench_usage(argv[0], rows);
            return -1;
        }
    }
    if (o->row) {
        int known = 0;
        for (int r = 0; rows[r]; r++)
            known |= !strcmp(rows[r], o->row);
        if (!known) {
            bench_usage(argv[0], rows);
            return -1;
        }
    }
    return 0;
}

static inline int bench_want(const bench_opts *o, const char *row)
{
    return o->row == NULL || strcmp(o->row, row) == 0;
}

static inline char *bench_path(const bench_opts *o, const char *file)
{
    static char paths[8][1024];
    static int next;
    char *p = paths[next++ & 7];
    snprintf(p, sizeof paths[0], "%s/%s", o->datadir, file);
    return p;
}

/* ---- output ---- */

static inline void bench_value(const char *row, const char *lib, double value, const char *unit)
{
    printf("row=%s lib=%s value=%.6g unit=%s\n", row, lib, value, unit);
    fflush(stdout);
}

static inline void bench_status(const char *row, const char *lib, const char *status,
                                const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    for (char *c = reason; *c; c++)
        if (*c == '"' || *c == '\n')
            *c = '\'';
    printf("row=%s lib=%s status=%s reason=\"%s\"\n", row, lib, status, reason);
    fflush(stdout);
}

/* ---- timing ---- */

/* Wall-clock time (the scaling row, thread deadlines). */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The single-thread rows are timed in CPU time of the calling thread, so that other work on
 * a shared machine (builds, fuzzers) does not count; BENCH_WALL=1 in the environment times
 * them by the wall clock instead. */
static inline double bench_cpu_now(void)
{
    static int wall = -1;
    struct timespec ts;
    if (wall < 0)
        wall = getenv("BENCH_WALL") && atoi(getenv("BENCH_WALL")) > 0;
    clock_gettime(wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef int (*bench_op)(void *arg);

/* Operations stay out of line so that profilers can single them out
 * (valgrind --tool=callgrind --toggle-collect=op_key_update ...). */
#define BENCH_OP __attribute__((noinline))

/* Runs op for o->seconds (after a short warm-up) or exactly o->iters times. Returns the
 * operations per second, or a negative op error (*err set) on failure. */
static inline double bench_run(const bench_opts *o, bench_op op, void *arg, int *err)
{
    long n = 0, batch = 1;
    double t0, t1, tb;
    int r;

    *err = 0;
    if (o->iters > 0) {
        t0 = bench_cpu_now();
        for (n = 0; n < o->iters; n++)
            if ((r = op(arg)) < 0) {
                *err = r;
                return -1;
            }
        t1 = bench_cpu_now();
        return (double)n / (t1 - t0 > 0 ? t1 - t0 : 1e-9);
    }
    /* warm-up: a tenth of the time, at least a few operations */
    t0 = bench_cpu_now();
    for (n = 0; n < 3 || bench_cpu_now() - t0 < o->seconds / 10; n++)
        if ((r = op(arg)) < 0) {
            *err = r;
            return -1;
        }
    /* read the clock once per batch; batches grow until one takes about a millisecond */
    t0 = tb = bench_cpu_now();
    n = 0;
    do {
        for (long k = 0; k < batch; k++, n++)
            if ((r = op(arg)) < 0) {
                *err = r;
                return -1;
            }
        t1 = bench_cpu_now();
        if (t1 - tb < 1e-3 && batch < (1L << 20))
            batch *= 2;
        tb = t1;
    } while (t1 - t0 < o->seconds);
    return (double)n / (t1 - t0);
}

/* Live heap bytes when run under bench/malloc_count.so (LD_PRELOAD), else NULL. */
typedef long long (*bench_live_fn)(void);
static inline bench_live_fn bench_malloc_counter(void)
{
    return (bench_live_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "malloc_count_live_bytes");
}

#endif
