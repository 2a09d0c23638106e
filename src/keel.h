/* Keel-wide internal helpers: error-flow macros, secret wiping, constant-time compare and
 * the allocator hooks. Included by every internal file; never installed. */
#ifndef KEEL_KEEL_H
#define KEEL_KEEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <gnutls/gnutls.h>

#define KEEL_WARN_UNUSED __attribute__((warn_unused_result))
#define KEEL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Propagate a negative GnuTLS error code. */
#define TRY(expr) do { int try_ret_ = (expr); if (try_ret_ < 0) return try_ret_; } while (0)
/* Fail with code unless cond holds. */
#define CHECK(cond, code) do { if (!(cond)) return (code); } while (0)
/* Same, for functions that clean up at `out:` with `ret`. */
#define TRY_OUT(expr) do { ret = (expr); if (ret < 0) goto out; } while (0)
#define CHECK_OUT(cond, code) do { if (!(cond)) { ret = (code); goto out; } } while (0)

/* Wipes memory in a way the compiler may not elide (src/crypto/util.c). */
void keel_wipe(void *p, size_t n);
/* 1 when equal; constant time in n (src/crypto/util.c). */
int keel_memeq_secret(const void *a, const void *b, size_t n) KEEL_WARN_UNUSED;

/* Allocation through the gnutls_malloc/... hooks (src/api/global.c). */
void *keel_malloc(size_t n);
void *keel_calloc(size_t nmemb, size_t size);
void *keel_realloc(void *p, size_t n);
void keel_free(void *p);
/* Wipes n bytes, then frees. */
void keel_free_secret(void *p, size_t n);

/* Debug logging through gnutls_global_set_log_function (src/api/global.c).
 * Never pass secrets here. */
void keel_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Security events (possible attacks) through gnutls_global_set_audit_log_function, or the
 * debug log at level 1 when no audit function is set; session may be NULL. */
void keel_audit_log(gnutls_session_t session, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The current time through gnutls_global_set_time_function; all TLS code uses this. */
time_t keel_time(void);

#endif
