/* keel_bytes: a byte queue with a read offset, grown on demand, compacted before growing. */
#include "session.h"

int keel_bytes_reserve(keel_bytes *q, size_t n)
{
    size_t used = q->end - q->start, cap;
    uint8_t *p;

    if (q->cap - q->end >= n)
        return 0;
    if (q->start > 0 && q->cap - used >= n) {
        if (used)
            memmove(q->buf, q->buf + q->start, used);
        q->start = 0;
        q->end = used;
        return 0;
    }
    CHECK(n <= SIZE_MAX / 2 - used, GNUTLS_E_MEMORY_ERROR);
    cap = q->cap ? q->cap : 256;
    while (cap - used < n)
        cap *= 2;
    /* Not realloc: the old bytes may be plaintext and are wiped when released. */
    p = keel_malloc(cap);
    CHECK(p != NULL, GNUTLS_E_MEMORY_ERROR);
    if (used)
        memcpy(p, q->buf + q->start, used);
    keel_free_secret(q->buf, q->cap);
    q->buf = p;
    q->cap = cap;
    q->start = 0;
    q->end = used;
    return 0;
}

int keel_bytes_append(keel_bytes *q, const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    TRY(keel_bytes_reserve(q, n));
    memcpy(q->buf + q->end, p, n);
    q->end += n;
    return 0;
}

void keel_bytes_consume(keel_bytes *q, size_t n)
{
    if (n >= q->end - q->start) {
        q->start = q->end = 0;
        return;
    }
    q->start += n;
}

void keel_bytes_free(keel_bytes *q)
{
    if (q->buf != NULL)
        keel_free_secret(q->buf, q->cap);
    q->buf = NULL;
    q->start = q->end = q->cap = 0;
}
