/* Library-wide state: reference-counted initialisation, the version check, logging,
 * the allocator hooks behind keel_malloc & co., the time source and gnutls_rnd. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gnutls/crypto.h>

#include "keel.h"
#include "crypto/crypto.h"

#ifndef KEEL_VERSION
#define KEEL_VERSION "unknown"
#endif

/* ---- allocator hooks ---- */

/* Exported variables, as in GnuTLS: applications may call them (to free what the library
 * returned) and may replace them before gnutls_global_init. */
gnutls_alloc_function gnutls_malloc = malloc;
gnutls_realloc_function gnutls_realloc = realloc;
gnutls_calloc_function gnutls_calloc = calloc;
gnutls_free_function gnutls_free = free;
char *(*gnutls_strdup)(const char *) = strdup;

/* malloc(0) may legitimately return NULL, which callers would read as failure. */
void *keel_malloc(size_t n)
{
    return gnutls_malloc(n ? n : 1);
}

void *keel_calloc(size_t nmemb, size_t size)
{
    /* A user-supplied calloc may not check the product itself. */
    if (size && nmemb > SIZE_MAX / size) return NULL;
    if (!nmemb || !size) nmemb = size = 1;
    return gnutls_calloc(nmemb, size);
}

void *keel_realloc(void *p, size_t n)
{
    return gnutls_realloc(p, n ? n : 1);
}

void keel_free(void *p)
{
    if (p) gnutls_free(p);
}

void keel_free_secret(void *p, size_t n)
{
    if (!p) return;
    keel_wipe(p, n);
    gnutls_free(p);
}

void gnutls_memset(void *data, int c, size_t size)
{
    if (!size) return;
    memset(data, c, size);
    /* The barrier makes the stores observable, so they cannot be dropped as dead. */
    __asm__ __volatile__("" : : "r"(data) : "memory");
}

/* ---- logging ---- */

static gnutls_log_func log_func;
static gnutls_audit_log_func audit_func;
static int log_level;

void gnutls_global_set_log_function(gnutls_log_func func)
{
    __atomic_store_n(&log_func, func, __ATOMIC_RELEASE);
}

void gnutls_global_set_audit_log_function(gnutls_audit_log_func func)
{
    __atomic_store_n(&audit_func, func, __ATOMIC_RELEASE);
}

void gnutls_global_set_log_level(int level)
{
    __atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

/* The sink used when GNUTLS_DEBUG_LEVEL asks for logs and the application set none;
 * the "gnutls[level]: " prefix is what GnuTLS users grep for. */
static void stderr_log(int level, const char *text)
{
    fprintf(stderr, "gnutls[%d]: %s", level, text);
}

/* Formats into a stack buffer, falling back to the heap for long messages, and hands the
 * text to sink(level or session, text). */
static void emit(gnutls_log_func lf, int level, gnutls_audit_log_func af,
                 gnutls_session_t session, const char *fmt, va_list ap)
{
    char small[512];
    char *text = small;
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) goto out;
    if ((size_t)n >= sizeof small) {
        text = keel_malloc((size_t)n + 1);
        if (!text) goto out;
        vsnprintf(text, (size_t)n + 1, fmt, ap2);
    }
    if (af) af(session, text);
    else lf(level, text);
    if (text != small) keel_free(text);
out:
    va_end(ap2);
}

void keel_log(int level, const char *fmt, ...)
{
    gnutls_log_func lf = __atomic_load_n(&log_func, __ATOMIC_ACQUIRE);
    int max = __atomic_load_n(&log_level, __ATOMIC_RELAXED);
    va_list ap;

    if (!lf || max <= 0 || level > max) return;
    va_start(ap, fmt);
    emit(lf, level, NULL, NULL, fmt, ap);
    va_end(ap);
}

void keel_audit_log(gnutls_session_t session, const char *fmt, ...)
{
    gnutls_audit_log_func af = __atomic_load_n(&audit_func, __ATOMIC_ACQUIRE);
    gnutls_log_func lf = __atomic_load_n(&log_func, __ATOMIC_ACQUIRE);
    va_list ap;

    /* Like GnuTLS: without an audit sink, audit events go to the debug log at level 1
     * whatever the log level, since they report possible attacks. */
    if (!af && !lf) return;
    va_start(ap, fmt);
    emit(lf, 1, af, session, fmt, ap);
    va_end(ap);
}

/* ---- time ---- */

static gnutls_time_func time_func;

void gnutls_global_set_time_function(gnutls_time_func func)
{
    __atomic_store_n(&time_func, func, __ATOMIC_RELEASE);
}

time_t keel_time(void)
{
    gnutls_time_func f = __atomic_load_n(&time_func, __ATOMIC_ACQUIRE);
    return f ? f(NULL) : time(NULL);
}

/* ---- randomness ---- */

int gnutls_rnd(gnutls_rnd_level_t level, void *data, size_t len)
{
    switch (level) {
    case GNUTLS_RND_NONCE:
    case GNUTLS_RND_RANDOM:
    case GNUTLS_RND_KEY:
        break;
    default:
        /* what GnuTLS 3.7.9 returns for an unknown level */
        return GNUTLS_E_RANDOM_FAILED;
    }
    if (!len) return 0;
    if (!data) return GNUTLS_E_INVALID_REQUEST;
    return keel_random(data, len);
}

/* ---- version ---- */

/* Reads one dotted component; 0 when s does not start with a decimal number. */
static int version_part(const char **s, unsigned long *out)
{
    unsigned long v = 0;
    const char *p = *s;

    if (*p < '0' || *p > '9') return 0;
    while (*p >= '0' && *p <= '9') {
        if (v > 99999) return 0;
        v = v * 10 + (unsigned long)(*p - '0');
        p++;
    }
    *out = v;
    *s = p;
    return 1;
}

/* 1 when the dotted version req is at most have. A malformed req is never satisfied;
 * with equal leading parts the longer string is the greater one, so "3.7.9.1" > "3.7.9"
 * while "3.7" <= "3.7.9". */
static int version_at_most(const char *req, const char *have)
{
    for (;;) {
        unsigned long r, h;
        if (!*req) return 1;
        if (!*have) return 0;
        if (!version_part(&req, &r) || !version_part(&have, &h)) return 0;
        if (r != h) return r < h;
        if (*req == '.') req++;
        else if (*req) return 0;
        if (*have == '.') have++;
    }
}

const char *gnutls_check_version(const char *req_version)
{
    if (!req_version || version_at_most(req_version, GNUTLS_VERSION))
        return GNUTLS_VERSION;
    return NULL;
}

/* ---- initialisation ---- */

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned init_count;

int gnutls_global_init(void)
{
    int ret = 0;

    pthread_mutex_lock(&init_lock);
    if (init_count == 0) {
        const char *env = secure_getenv("GNUTLS_DEBUG_LEVEL");
        if (env) {
            gnutls_global_set_log_level(atoi(env));
            if (!__atomic_load_n(&log_func, __ATOMIC_ACQUIRE))
                gnutls_global_set_log_function(stderr_log);
            keel_log(2, "Enabled Keel %s (GnuTLS %s API) logging...\n",
                     KEEL_VERSION, GNUTLS_VERSION);
        }
        ret = keel_crypto_init();
        if (ret < 0) {
            keel_log(1, "crypto initialisation failed: %d\n", ret);
            goto out;
        }
    }
    init_count++;
out:
    pthread_mutex_unlock(&init_lock);
    return ret < 0 ? ret : 0;
}

void gnutls_global_deinit(void)
{
    pthread_mutex_lock(&init_lock);
    if (init_count == 1) keel_crypto_deinit();
    if (init_count > 0) init_count--;
    pthread_mutex_unlock(&init_lock);
}

/* Test hook: the current reference count. */
unsigned keel_test_global_init_count(void)
{
    unsigned n;
    pthread_mutex_lock(&init_lock);
    n = init_count;
    pthread_mutex_unlock(&init_lock);
    return n;
}

/* Implicit initialisation, as GnuTLS 3.x does it, so programs that never call
 * gnutls_global_init work. Two opt-outs, as in GnuTLS: the environment variable
 * GNUTLS_NO_IMPLICIT_INIT=1, and GNUTLS_SKIP_GLOBAL_INIT in the program, which defines
 * _gnutls_global_init_skip(); the weak reference is null when it does not. */
extern int _gnutls_global_init_skip(void) __attribute__((weak));
static int implicit_init_done;

__attribute__((constructor)) static void keel_implicit_init(void)
{
    const char *env = secure_getenv("GNUTLS_NO_IMPLICIT_INIT");

    if (env && atoi(env) == 1) return;
    if (_gnutls_global_init_skip && _gnutls_global_init_skip()) return;
    implicit_init_done = gnutls_global_init() == 0;
}

__attribute__((destructor)) static void keel_implicit_deinit(void)
{
    if (implicit_init_done) gnutls_global_deinit();
}
