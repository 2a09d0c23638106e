/* src/api/global.c: init reference counting, gnutls_check_version, logging, allocator
 * hooks, the time source, GNUTLS_DEBUG_LEVEL, gnutls_rnd and gnutls_memset. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <gnutls/crypto.h>
#include "keel.h"
/* keel.h's CHECK(cond, code) is for library code; tests use the harness's CHECK(cond). */
#undef CHECK
#include "harness.h"

unsigned keel_test_global_init_count(void);

static void init_refcount(void)
{
    /* The library constructor initialised us once already. */
    unsigned base = keel_test_global_init_count();
    unsigned char buf[16];

    CHECK_INT(base, 1);
    CHECK_INT(gnutls_global_init(), 0);
    CHECK_INT(gnutls_global_init(), 0);
    CHECK_INT(keel_test_global_init_count(), base + 2);
    gnutls_global_deinit();
    gnutls_global_deinit();
    CHECK_INT(keel_test_global_init_count(), base);

    /* down to zero, one extra deinit is harmless, and a fresh init works again */
    for (unsigned i = 0; i < base; i++) gnutls_global_deinit();
    CHECK_INT(keel_test_global_init_count(), 0);
    gnutls_global_deinit();
    CHECK_INT(keel_test_global_init_count(), 0);
    CHECK_INT(gnutls_global_init(), 0);
    CHECK_INT(keel_test_global_init_count(), 1);
    CHECK_INT(gnutls_rnd(GNUTLS_RND_RANDOM, buf, sizeof buf), 0);
    for (unsigned i = 1; i < base; i++) CHECK_INT(gnutls_global_init(), 0);
    CHECK_INT(keel_test_global_init_count(), base);
}

static void *init_deinit_loop(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        if (gnutls_global_init() != 0) return (void *)1;
        gnutls_global_deinit();
    }
    return NULL;
}

static void init_threads(void)
{
    pthread_t th[8];
    unsigned base = keel_test_global_init_count();

    for (int i = 0; i < 8; i++) REQUIRE(pthread_create(&th[i], NULL, init_deinit_loop, NULL) == 0);
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(th[i], &r);
        CHECK(r == NULL);
    }
    CHECK_INT(keel_test_global_init_count(), base);
}

static void check_version(void)
{
    const char *v = gnutls_check_version(NULL);

    REQUIRE(v != NULL);
    CHECK(strcmp(v, GNUTLS_VERSION) == 0);
    CHECK(strcmp(v, "3.7.9") == 0);
    CHECK(gnutls_check_version("3.7.9") == v);
    CHECK(gnutls_check_version("3.7.8") == v);
    CHECK(gnutls_check_version("3.7") == v);
    CHECK(gnutls_check_version("3") == v);
    CHECK(gnutls_check_version("2.99.99") == v);
    CHECK(gnutls_check_version("3.6.16") == v);
    CHECK(gnutls_check_version("") == v);
    CHECK(gnutls_check_version("3.7.10") == NULL);
    CHECK(gnutls_check_version("3.10") == NULL);      /* numeric, not lexical */
    CHECK(gnutls_check_version("3.8.0") == NULL);
    CHECK(gnutls_check_version("4") == NULL);
    CHECK(gnutls_check_version("3.7.9.1") == NULL);
    CHECK(gnutls_check_version("3.7.9x") == NULL);
    CHECK(gnutls_check_version("abc") == NULL);
    CHECK(gnutls_check_version("99999999999999999999") == NULL);
}

/* ---- logging ---- */

static int got_level, got_calls;
static char got_text[2048];
static gnutls_session_t got_session;
static int audit_calls;

static void capture_log(int level, const char *text)
{
    got_level = level;
    got_calls++;
    snprintf(got_text, sizeof got_text, "%s", text);
}

static void capture_audit(gnutls_session_t session, const char *text)
{
    got_session = session;
    audit_calls++;
    snprintf(got_text, sizeof got_text, "%s", text);
}

static void log_reset(void)
{
    got_level = -1;
    got_calls = audit_calls = 0;
    got_text[0] = 0;
    got_session = NULL;
}

static void log_level_filter(void)
{
    char longmsg[1500];

    log_reset();
    keel_log(1, "no sink yet\n");                  /* no function: nothing, no crash */
    gnutls_global_set_log_function(capture_log);
    gnutls_global_set_log_level(0);
    keel_log(1, "off\n");
    CHECK_INT(got_calls, 0);

    gnutls_global_set_log_level(3);
    keel_log(2, "hello %d\n", 42);
    CHECK_INT(got_calls, 1);
    CHECK_INT(got_level, 2);
    CHECK(strcmp(got_text, "hello 42\n") == 0);     /* no prefix added */
    keel_log(3, "at the level\n");
    CHECK_INT(got_calls, 2);
    keel_log(4, "too verbose\n");
    CHECK_INT(got_calls, 2);

    /* longer than the formatting stack buffer */
    memset(longmsg, 'x', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = 0;
    keel_log(1, "%s!", longmsg);
    CHECK_INT(got_calls, 3);
    CHECK_INT(strlen(got_text), sizeof longmsg);
    CHECK_INT(got_text[sizeof longmsg - 1], '!');

    gnutls_global_set_log_level(0);
    gnutls_global_set_log_function(NULL);
}

static void audit_log(void)
{
    gnutls_session_t fake = (gnutls_session_t)&got_calls;

    log_reset();
    keel_audit_log(NULL, "nobody listens\n");
    /* no audit function: the debug log gets it at level 1, whatever the level */
    gnutls_global_set_log_function(capture_log);
    gnutls_global_set_log_level(0);
    keel_audit_log(fake, "attack %s\n", "suspected");
    CHECK_INT(got_calls, 1);
    CHECK_INT(got_level, 1);
    CHECK(strcmp(got_text, "attack suspected\n") == 0);

    gnutls_global_set_audit_log_function(capture_audit);
    keel_audit_log(fake, "to audit\n");
    CHECK_INT(audit_calls, 1);
    CHECK_INT(got_calls, 1);
    CHECK(got_session == fake);
    CHECK(strcmp(got_text, "to audit\n") == 0);

    gnutls_global_set_audit_log_function(NULL);
    gnutls_global_set_log_function(NULL);
}

/* GNUTLS_DEBUG_LEVEL is read by the first gnutls_global_init: it sets the level and,
 * with no log function set, logs to stderr with a "gnutls[N]: " prefix. */
static void debug_level_env(void)
{
    unsigned base = keel_test_global_init_count();
    char out[4096] = { 0 };
    FILE *tmp = tmpfile();
    int saved_err;
    size_t n;

    REQUIRE(tmp != NULL);
    for (unsigned i = 0; i < base; i++) gnutls_global_deinit();
    REQUIRE(keel_test_global_init_count() == 0);

    fflush(stderr);
    saved_err = dup(2);
    REQUIRE(saved_err >= 0);
    dup2(fileno(tmp), 2);
    setenv("GNUTLS_DEBUG_LEVEL", "2", 1);
    CHECK_INT(gnutls_global_init(), 0);
    keel_log(2, "second line\n");
    keel_log(3, "filtered\n");
    fflush(stderr);
    dup2(saved_err, 2);
    close(saved_err);
    unsetenv("GNUTLS_DEBUG_LEVEL");

    rewind(tmp);
    n = fread(out, 1, sizeof out - 1, tmp);
    out[n] = 0;
    fclose(tmp);
    CHECK(strncmp(out, "gnutls[2]: Enabled Keel", 23) == 0);
    CHECK(strstr(out, "gnutls[2]: second line\n") != NULL);
    CHECK(strstr(out, "filtered") == NULL);

    /* with the application's own function, only the level comes from the environment */
    gnutls_global_deinit();
    gnutls_global_set_log_level(0);
    log_reset();
    gnutls_global_set_log_function(capture_log);
    setenv("GNUTLS_DEBUG_LEVEL", "5", 1);
    CHECK_INT(gnutls_global_init(), 0);
    unsetenv("GNUTLS_DEBUG_LEVEL");
    keel_log(5, "level five\n");
    CHECK(strcmp(got_text, "level five\n") == 0);
    CHECK_INT(got_level, 5);

    gnutls_global_set_log_level(0);
    gnutls_global_set_log_function(NULL);
    for (unsigned i = 1; i < base; i++) CHECK_INT(gnutls_global_init(), 0);
    CHECK_INT(keel_test_global_init_count(), base);
}

/* ---- allocator hooks ---- */

static int n_malloc, n_calloc, n_realloc, n_free;
static void *count_malloc(size_t n) { n_malloc++; return malloc(n); }
static void *count_calloc(size_t a, size_t b) { n_calloc++; return calloc(a, b); }
static void *count_realloc(void *p, size_t n) { n_realloc++; return realloc(p, n); }
static void count_free(void *p) { n_free++; free(p); }

static void allocator_hooks(void)
{
    gnutls_alloc_function m = gnutls_malloc;
    gnutls_calloc_function c = gnutls_calloc;
    gnutls_realloc_function r = gnutls_realloc;
    gnutls_free_function f = gnutls_free;
    unsigned char *p, *q;
    char *s;

    gnutls_malloc = count_malloc;
    gnutls_calloc = count_calloc;
    gnutls_realloc = count_realloc;
    gnutls_free = count_free;

    p = keel_malloc(10);
    CHECK(p != NULL);
    CHECK_INT(n_malloc, 1);
    p = keel_realloc(p, 100);
    CHECK(p != NULL);
    CHECK_INT(n_realloc, 1);
    q = keel_calloc(4, 8);
    REQUIRE(q != NULL);
    CHECK_INT(n_calloc, 1);
    for (int i = 0; i < 32; i++) CHECK_INT(q[i], 0);
    CHECK(keel_calloc(SIZE_MAX / 2, 3) == NULL);   /* overflow caught before the hook */
    CHECK_INT(n_calloc, 1);
    memset(q, 0x77, 32);
    keel_free_secret(q, 32);
    keel_free(p);
    keel_free(NULL);
    CHECK_INT(n_free, 2);
    p = keel_malloc(0);                            /* never NULL for a zero size */
    CHECK(p != NULL);
    keel_free(p);

    gnutls_malloc = m;
    gnutls_calloc = c;
    gnutls_realloc = r;
    gnutls_free = f;

    s = gnutls_strdup("dup");
    REQUIRE(s != NULL);
    CHECK(strcmp(s, "dup") == 0);
    gnutls_free(s);
}

/* ---- time, random, memset ---- */

static time_t fixed_time(time_t *t)
{
    if (t) *t = 1234567890;
    return 1234567890;
}

static void time_function(void)
{
    time_t now;

    gnutls_global_set_time_function(fixed_time);
    CHECK_INT(keel_time(), 1234567890);
    gnutls_global_set_time_function(NULL);
    now = time(NULL);
    CHECK(keel_time() >= now && keel_time() <= now + 5);
}

static void rnd(void)
{
    unsigned char a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };

    CHECK_INT(gnutls_rnd(GNUTLS_RND_NONCE, a, sizeof a), 0);
    CHECK_INT(gnutls_rnd(GNUTLS_RND_KEY, b, sizeof b), 0);
    CHECK(memcmp(a, zero, sizeof a) != 0);
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK_INT(gnutls_rnd(GNUTLS_RND_RANDOM, a, 0), 0);
    CHECK_INT(gnutls_rnd((gnutls_rnd_level_t)7, a, sizeof a), GNUTLS_E_RANDOM_FAILED);
    CHECK_INT(gnutls_rnd(GNUTLS_RND_KEY, NULL, 0), 0);
}

static void memset_fn(void)
{
    unsigned char buf[40];

    memset(buf, 0, sizeof buf);
    gnutls_memset(buf + 4, 0xab, 32);
    CHECK_INT(buf[3], 0);
    CHECK_INT(buf[4], 0xab);
    CHECK_INT(buf[35], 0xab);
    CHECK_INT(buf[36], 0);
    gnutls_memset(NULL, 0, 0);
}

int main(void)
{
    RUN(init_refcount);
    RUN(init_threads);
    RUN(check_version);
    RUN(log_level_filter);
    RUN(audit_log);
    RUN(debug_level_env);
    RUN(allocator_hooks);
    RUN(time_function);
    RUN(rnd);
    RUN(memset_fn);
    return t_done();
}
