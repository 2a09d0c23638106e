/* libFuzzer target for the priority-string parser: the input, NUL-terminated, goes to
 * gnutls_priority_init and (appended to the default) gnutls_priority_init2. Checks that an
 * error position lies inside the string and that a parsed priority is self-consistent.
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_priority.c \
 *         <library sources> -lcrypto -lpthread */
#include <stdlib.h>
#include "priority/priority.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ret, gnutls_priority_t p, const char *s, const char *err)
{
    if (ret < 0) {
        if (p != NULL || !err || err < s || err > s + strlen(s))
            abort();
        if (ret != GNUTLS_E_INVALID_REQUEST && ret != GNUTLS_E_NO_PRIORITIES_WERE_SET)
            abort();
        return;
    }
    if (!p || p->n_versions > 2 || p->n_suites > KEEL_MAX_PRIO || p->n_sigs > p->n_signs)
        abort();
    for (unsigned i = 0; i < p->n_suites; i++) {
        const keel_suite *st = p->suites[i];
        /* TLS 1.2 suites stay listed with TLS 1.3 alone, or with only DTLS 1.2 left (then
         * there is no version at all, as in GnuTLS) */
        if (p->n_versions > 0 && !keel_priority_has_version(p, st->min_version) &&
            !keel_priority_has_version(p, GNUTLS_TLS1_3))
            abort();
        if (st->kx != GNUTLS_KX_UNKNOWN && !keel_priority_has_kx(p, st->kx))
            abort();
    }
    for (unsigned i = 0; i < p->n_groups; i++)
        if (keel_group_by_gnutls(p->groups[i]->group) != p->groups[i])
            abort();
    gnutls_priority_deinit(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;

    gnutls_priority_t p = NULL;
    const char *err = NULL;
    check(gnutls_priority_init(&p, s, &err), p, s, err);
    p = NULL;
    err = NULL;
    check(gnutls_priority_init2(&p, s, &err, GNUTLS_PRIORITY_INIT_DEF_APPEND), p, s, err);
    free(s);
    return 0;
}
