/* An LD_PRELOAD heap counter for the memory row: keeps the number of bytes live on the heap
 * (malloc_usable_size of every block, so allocator rounding counts as held) and exports it as
 * malloc_count_live_bytes(), which the bench programs look up with dlsym. It forwards to
 * glibc's __libc_* entry points, so it needs no dlsym bootstrap of its own. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static long long live_bytes;
static long long alloc_calls;

static void *counted(void *p)
{
    if (p) {
        __atomic_add_fetch(&live_bytes, (long long)malloc_usable_size(p), __ATOMIC_RELAXED);
        __atomic_add_fetch(&alloc_calls, 1, __ATOMIC_RELAXED);
    }
    return p;
}

static void uncount(void *p)
{
    if (p)
        __atomic_sub_fetch(&live_bytes, (long long)malloc_usable_size(p), __ATOMIC_RELAXED);
}

long long malloc_count_live_bytes(void)
{
    return __atomic_load_n(&live_bytes, __ATOMIC_RELAXED);
}

long long malloc_count_calls(void)
{
    return __atomic_load_n(&alloc_calls, __ATOMIC_RELAXED);
}

void *malloc(size_t n)
{
    return counted(__libc_malloc(n));
}

void *calloc(size_t n, size_t m)
{
    return counted(__libc_calloc(n, m));
}

void free(void *p)
{
    uncount(p);
    __libc_free(p);
}

void *realloc(void *p, size_t n)
{
    size_t old = p ? malloc_usable_size(p) : 0;
    void *q = __libc_realloc(p, n);
    if (q) {
        __atomic_sub_fetch(&live_bytes, (long long)old, __ATOMIC_RELAXED);
        counted(q);
    } else if (n == 0) {
        __atomic_sub_fetch(&live_bytes, (long long)old, __ATOMIC_RELAXED);
    }
    return q;
}

void *memalign(size_t align, size_t n)
{
    return counted(__libc_memalign(align, n));
}

void *aligned_alloc(size_t align, size_t n)
{
    return counted(__libc_memalign(align, n));
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = counted(__libc_memalign(align, n));
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return counted(__libc_memalign((size_t)sysconf(_SC_PAGESIZE), n));
}

void *pvalloc(size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    return counted(__libc_memalign(pg, (n + pg - 1) / pg * pg));
}
