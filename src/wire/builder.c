/* The builder (wire/builder.h): bounded writes into fixed or growable storage, nested
 * length prefixes filled in on close, and a sticky first error. */
#include "keel.h"
#include "wire/builder.h"

/* Growable buffers start at least this big, so a run of small writes does not realloc
 * on every byte. */
#define KEEL_B_MIN_GROW 64

static void fail(keel_builder *b, int code)
{
    if (!b->err) b->err = code;
}

/* Makes room for n more bytes; 0 (with b->err set) when that is impossible. */
static int ensure(keel_builder *b, size_t n)
{
    size_t need, cap;
    uint8_t *p;

    if (b->err) return 0;
    if (n > SIZE_MAX - b->len) { fail(b, GNUTLS_E_INTERNAL_ERROR); return 0; }
    need = b->len + n;
    if (need <= b->cap) return 1;
    if (!b->growable || need > b->max) { fail(b, GNUTLS_E_SHORT_MEMORY_BUFFER); return 0; }

    cap = b->cap > SIZE_MAX / 2 ? SIZE_MAX : b->cap * 2;
    if (cap < KEEL_B_MIN_GROW) cap = KEEL_B_MIN_GROW;
    if (cap < need) cap = need;
    if (cap > b->max) cap = b->max;
    p = keel_realloc(b->buf, cap);
    if (!p) { fail(b, GNUTLS_E_MEMORY_ERROR); return 0; }
    b->buf = p;
    b->cap = cap;
    return 1;
}

static void init_common(keel_builder *b)
{
    memset(b, 0, sizeof *b);
}

void keel_b_init_fixed(keel_builder *b, uint8_t *buf, size_t cap)
{
    init_common(b);
    b->buf = buf;
    b->cap = b->max = buf ? cap : 0;
}

void keel_b_init_growable(keel_builder *b, size_t initial, size_t max)
{
    init_common(b);
    b->growable = 1;
    b->max = max;
    if (initial > max) initial = max;
    if (initial) {
        b->buf = keel_malloc(initial);
        if (!b->buf) { fail(b, GNUTLS_E_MEMORY_ERROR); return; }
        b->cap = initial;
    }
}

void keel_b_free(keel_builder *b)
{
    if (b->growable && b->buf) keel_free_secret(b->buf, b->cap);
    if (b->growable) {
        b->buf = NULL;
        b->cap = 0;
    }
    b->len = 0;
    b->depth = 0;
}

void keel_b_reset(keel_builder *b)
{
    b->len = 0;
    b->err = 0;
    b->depth = 0;
}

/* Writes the low `size` bytes of v, most significant first. */
static void put_uint(keel_builder *b, uint32_t v, size_t size)
{
    if (!ensure(b, size)) return;
    for (size_t i = 0; i < size; i++)
        b->buf[b->len + i] = (uint8_t)(v >> (8 * (size - 1 - i)));
    b->len += size;
}

void keel_b_u8(keel_builder *b, uint8_t v) { put_uint(b, v, 1); }
void keel_b_u16(keel_builder *b, uint16_t v) { put_uint(b, v, 2); }
void keel_b_u32(keel_builder *b, uint32_t v) { put_uint(b, v, 4); }

void keel_b_u24(keel_builder *b, uint32_t v)
{
    /* A value that does not fit would be silently truncated on the wire. */
    if (v > 0xFFFFFFu) { fail(b, GNUTLS_E_INTERNAL_ERROR); return; }
    put_uint(b, v, 3);
}

void keel_b_bytes(keel_builder *b, const void *p, size_t n)
{
    if (!ensure(b, n)) return;
    if (n) memcpy(b->buf + b->len, p, n);
    b->len += n;
}

uint8_t *keel_b_reserve(keel_builder *b, size_t n)
{
    uint8_t *p;

    if (!ensure(b, n)) return NULL;
    p = b->buf + b->len;
    b->len += n;
    return p;
}

void keel_b_open(keel_builder *b, int prefix_len)
{
    if (b->err) return;
    if (prefix_len < 1 || prefix_len > 3 || b->depth >= KEEL_B_MAX_DEPTH) {
        fail(b, GNUTLS_E_INTERNAL_ERROR);
        return;
    }
    b->open_at[b->depth] = b->len;
    b->open_size[b->depth] = (uint8_t)prefix_len;
    /* The prefix is written as zeros now and patched on close. */
    put_uint(b, 0, (size_t)prefix_len);
    if (!b->err) b->depth++;
}

void keel_b_close(keel_builder *b)
{
    size_t at, size, body, limit;

    if (b->err) return;
    if (b->depth == 0) { fail(b, GNUTLS_E_INTERNAL_ERROR); return; }
    b->depth--;
    at = b->open_at[b->depth];
    size = b->open_size[b->depth];
    body = b->len - at - size;
    limit = ((size_t)1 << (8 * size)) - 1;
    if (body > limit) { fail(b, GNUTLS_E_INTERNAL_ERROR); return; }
    for (size_t i = 0; i < size; i++)
        b->buf[at + i] = (uint8_t)(body >> (8 * (size - 1 - i)));
}

int keel_b_finish(const keel_builder *b)
{
    if (b->err) return b->err;
    if (b->depth != 0) return GNUTLS_E_INTERNAL_ERROR;
    return 0;
}
