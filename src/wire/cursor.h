/* The read cursor: the only way Keel looks at untrusted bytes. Every read is bounds-checked,
 * returns 0 on failure (leaving the cursor unusable for further reads), and must be checked.
 * Sub-cursors for length-prefixed blocks narrow the end, so a parser can never run past
 * the block it is in. Nothing here allocates. */
#ifndef KEEL_WIRE_CURSOR_H
#define KEEL_WIRE_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#define CUR_MUST __attribute__((warn_unused_result))

typedef struct {
    const uint8_t *p;
    size_t len;
} keel_cur;

static inline keel_cur cur_init(const uint8_t *p, size_t len)
{
    keel_cur c = { p, len };
    return c;
}

static inline int cur_empty(const keel_cur *c) { return c->len == 0; }
static inline size_t cur_left(const keel_cur *c) { return c->len; }

/* On any failed read the cursor is drained, so a later cur_empty() check cannot pass
 * by accident after an ignored error. */
static inline int cur_fail_(keel_cur *c) { if (c->len) { c->p += c->len; c->len = 0; } return 0; }

/* Moving by 0 is skipped: an empty cursor may hold a NULL pointer (an empty datum), and
 * NULL + 0 is undefined behaviour that UBSan reports. */
static inline void cur_advance_(keel_cur *c, size_t n) { if (n) { c->p += n; c->len -= n; } }

static CUR_MUST inline int cur_skip(keel_cur *c, size_t n)
{
    if (c->len < n) return cur_fail_(c);
    cur_advance_(c, n);
    return 1;
}

static CUR_MUST inline int cur_uint(keel_cur *c, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    if (c->len < n) return cur_fail_(c);
    for (size_t i = 0; i < n; i++) v = (v << 8) | c->p[i];
    cur_advance_(c, n);
    *out = v;
    return 1;
}

static CUR_MUST inline int cur_u8(keel_cur *c, uint8_t *out)
{
    uint32_t v; if (!cur_uint(c, 1, &v)) return 0; *out = (uint8_t)v; return 1;
}
static CUR_MUST inline int cur_u16(keel_cur *c, uint16_t *out)
{
    uint32_t v; if (!cur_uint(c, 2, &v)) return 0; *out = (uint16_t)v; return 1;
}
static CUR_MUST inline int cur_u24(keel_cur *c, uint32_t *out) { return cur_uint(c, 3, out); }
static CUR_MUST inline int cur_u32(keel_cur *c, uint32_t *out) { return cur_uint(c, 4, out); }

/* Points *out at the next n bytes (no copy). */
static CUR_MUST inline int cur_bytes(keel_cur *c, size_t n, const uint8_t **out)
{
    if (c->len < n) return cur_fail_(c);
    *out = c->p;
    cur_advance_(c, n);
    return 1;
}

/* Copies exactly n bytes into out. */
static CUR_MUST inline int cur_copy(keel_cur *c, void *out, size_t n)
{
    const uint8_t *p;
    if (!cur_bytes(c, n, &p)) return 0;
    if (n) __builtin_memcpy(out, p, n);
    return 1;
}

/* Splits off the next n bytes as a sub-cursor. */
static CUR_MUST inline int cur_sub(keel_cur *c, size_t n, keel_cur *sub)
{
    const uint8_t *p;
    if (!cur_bytes(c, n, &p)) return 0;
    *sub = cur_init(p, n);
    return 1;
}

/* A block prefixed by a 1/2/3-byte length: the sub-cursor covers exactly the block. */
static CUR_MUST inline int cur_prefixed(keel_cur *c, size_t prefix_len, keel_cur *sub)
{
    uint32_t n;
    keel_cur save = *c;
    if (!cur_uint(c, prefix_len, &n)) return 0;
    if (!cur_sub(c, n, sub)) { *c = save; return cur_fail_(c); }
    return 1;
}
static CUR_MUST inline int cur_u8_prefixed(keel_cur *c, keel_cur *sub) { return cur_prefixed(c, 1, sub); }
static CUR_MUST inline int cur_u16_prefixed(keel_cur *c, keel_cur *sub) { return cur_prefixed(c, 2, sub); }
static CUR_MUST inline int cur_u24_prefixed(keel_cur *c, keel_cur *sub) { return cur_prefixed(c, 3, sub); }

#endif
