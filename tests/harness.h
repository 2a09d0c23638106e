/* Tiny test harness shared by every C test: RUN() counts a test case as passed when no
 * CHECK inside it failed; t_done() prints the closing "N passed, N failed" line. */
#ifndef KEEL_TEST_HARNESS_H
#define KEEL_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int t_passed, t_failed, t_case_failed;
static const char *t_case_name;

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "  FAIL %s: %s:%d: %s\n", t_case_name, __FILE__, __LINE__, #cond); \
    t_case_failed = 1; } } while (0)

#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) { fprintf(stderr, "  FAIL %s: %s:%d: %s == %lld, want %lld\n", \
        t_case_name, __FILE__, __LINE__, #got, g_, w_); t_case_failed = 1; } } while (0)

#define CHECK_MEM(got, want, n) do { if (memcmp((got), (want), (n)) != 0) { \
    fprintf(stderr, "  FAIL %s: %s:%d: %s differs from %s\n", \
        t_case_name, __FILE__, __LINE__, #got, #want); t_case_failed = 1; } } while (0)

/* Abort the current case (e.g. a setup step failed and the rest cannot run). */
#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "  FAIL %s: %s:%d: required %s\n", t_case_name, __FILE__, __LINE__, #cond); \
    t_case_failed = 1; return; } } while (0)

#define RUN(fn) do { t_case_name = #fn; t_case_failed = 0; fn(); \
    if (t_case_failed) { t_failed++; printf("not ok - %s\n", #fn); } \
    else { t_passed++; printf("ok - %s\n", #fn); } fflush(stdout); } while (0)

static inline int t_done(void)
{
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed ? 1 : 0;
}

/* Hex helper for vectors: decodes into out, returns the byte count (aborts on bad hex). */
static inline size_t t_unhex(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = 0;
    while (*hex) {
        unsigned v;
        if (*hex == ' ' || *hex == '\n') { hex++; continue; }
        if (n >= cap || sscanf(hex, "%2x", &v) != 1) { fprintf(stderr, "bad hex\n"); abort(); }
        out[n++] = (unsigned char)v;
        hex += 2;
    }
    return n;
}

#endif
