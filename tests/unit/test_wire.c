/* The read cursor and the builder at every boundary: empty, exactly full, one short,
 * prefixes longer than the rest, nesting, limits, sticky errors. */
#include "keel.h"
#include "wire/cursor.h"
#include "wire/builder.h"
/* keel.h's CHECK(cond, code) is for library code; tests use the harness's CHECK(cond). */
#undef CHECK
#include "harness.h"

/* ---- cursor ---- */

static void cur_empty_input(void)
{
    keel_cur c = cur_init(NULL, 0), sub = { NULL, 1 };
    const uint8_t *p = (const uint8_t *)"x";
    uint8_t v8;

    CHECK(cur_empty(&c));
    CHECK_INT(cur_left(&c), 0);
    CHECK(cur_skip(&c, 0));
    CHECK(cur_bytes(&c, 0, &p));
    CHECK(p == NULL);
    CHECK(cur_copy(&c, &v8, 0));
    CHECK(cur_sub(&c, 0, &sub));
    CHECK(cur_empty(&sub));
    CHECK(!cur_u8(&c, &v8));
    CHECK(!cur_skip(&c, 1));
    CHECK(!cur_u8_prefixed(&c, &sub));
    CHECK(cur_empty(&c));
}

static void cur_exactly_full(void)
{
    static const uint8_t in[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a };
    keel_cur c = cur_init(in, sizeof in);
    uint8_t a; uint16_t b; uint32_t d, e;

    CHECK(cur_u8(&c, &a));
    CHECK(cur_u16(&c, &b));
    CHECK(cur_u24(&c, &d));
    CHECK(cur_u32(&c, &e));
    CHECK_INT(a, 0x01);
    CHECK_INT(b, 0x0203);
    CHECK_INT(d, 0x040506);
    CHECK_INT(e, 0x0708090a);
    CHECK(cur_empty(&c));
    CHECK(!cur_u8(&c, &a));
}

static void cur_one_short(void)
{
    static const uint8_t in[] = { 0xaa, 0xbb, 0xcc };
    keel_cur c;
    uint16_t v16 = 0x1234; uint32_t v32 = 0x12345678;
    uint8_t buf[4];
    const uint8_t *p = NULL;

    c = cur_init(in, 1);
    CHECK(!cur_u16(&c, &v16));
    CHECK_INT(v16, 0x1234);             /* output untouched on failure */
    c = cur_init(in, 2);
    CHECK(!cur_u24(&c, &v32));
    c = cur_init(in, 3);
    CHECK(!cur_u32(&c, &v32));
    CHECK_INT(v32, 0x12345678);
    c = cur_init(in, 3);
    CHECK(!cur_copy(&c, buf, 4));
    c = cur_init(in, 3);
    CHECK(!cur_bytes(&c, 4, &p));
    CHECK(p == NULL);
    c = cur_init(in, 3);
    CHECK(!cur_skip(&c, 4));
    /* and exactly enough works */
    c = cur_init(in, 3);
    CHECK(cur_copy(&c, buf, 3));
    CHECK_MEM(buf, in, 3);
    CHECK(cur_empty(&c));
}

static void cur_failed_read_drains(void)
{
    static const uint8_t in[] = { 0x00, 0x05, 0x01, 0x02, 0x03 };
    keel_cur c = cur_init(in, sizeof in), sub;
    uint16_t v16;
    uint32_t v32;
    uint8_t b;

    REQUIRE(cur_u16(&c, &v16));
    CHECK_INT(cur_left(&c), 3);
    CHECK(!cur_u32(&c, &v32));
    /* Three bytes were there, but after a failed read nothing may remain readable. */
    CHECK(cur_empty(&c));
    CHECK_INT(cur_left(&c), 0);
    CHECK(!cur_u8(&c, &b));

    c = cur_init(in, sizeof in);
    CHECK(!cur_sub(&c, 6, &sub));
    CHECK(cur_empty(&c));
    c = cur_init(in, sizeof in);
    CHECK(!cur_u16_prefixed(&c, &sub));   /* 5 announced, 3 present */
    CHECK(cur_empty(&c));
}

static void cur_prefix_longer_than_rest(void)
{
    static const uint8_t in16[] = { 0x00, 0x03, 0xaa, 0xbb };
    static const uint8_t in8[] = { 0x02, 0xaa };
    static const uint8_t in24[] = { 0x00, 0x00, 0x02, 0xaa };
    keel_cur c, sub = { NULL, 0 };

    c = cur_init(in16, sizeof in16);
    CHECK(!cur_u16_prefixed(&c, &sub));
    CHECK(cur_empty(&c));
    c = cur_init(in8, sizeof in8);
    CHECK(!cur_u8_prefixed(&c, &sub));
    CHECK(cur_empty(&c));
    c = cur_init(in24, sizeof in24);
    CHECK(!cur_u24_prefixed(&c, &sub));
    CHECK(cur_empty(&c));
    /* the prefix itself truncated */
    c = cur_init(in16, 1);
    CHECK(!cur_u16_prefixed(&c, &sub));
    CHECK(cur_empty(&c));
    /* exactly as long as the rest */
    c = cur_init((const uint8_t[]){ 0x00, 0x02, 0xaa, 0xbb }, 4);
    CHECK(cur_u16_prefixed(&c, &sub));
    CHECK_INT(cur_left(&sub), 2);
    CHECK(cur_empty(&c));
}

static void cur_zero_length_block(void)
{
    static const uint8_t in[] = { 0x00, 0x00, 0x07 };
    keel_cur c = cur_init(in, sizeof in), sub;
    uint8_t b;

    CHECK(cur_u16_prefixed(&c, &sub));
    CHECK(cur_empty(&sub));
    CHECK(!cur_u8(&sub, &b));
    CHECK(cur_u8(&c, &b));
    CHECK_INT(b, 7);
    CHECK(cur_empty(&c));
}

/* An outer u16 list of u8-prefixed names: the inner sub-cursor cannot read past its block
 * even though the outer one still has bytes. */
static void cur_nested_blocks(void)
{
    static const uint8_t in[] = { 0x00, 0x07, 0x02, 'a', 'b', 0x03, 'c', 'd', 'e', 0x99 };
    keel_cur c = cur_init(in, sizeof in), list, name;
    const uint8_t *p;
    uint8_t trailer, extra;

    REQUIRE(cur_u16_prefixed(&c, &list));
    CHECK_INT(cur_left(&list), 7);
    REQUIRE(cur_u8_prefixed(&list, &name));
    CHECK_INT(cur_left(&name), 2);
    REQUIRE(cur_bytes(&name, 2, &p));
    CHECK_MEM(p, "ab", 2);
    CHECK(!cur_u8(&name, &extra));       /* 'c'... belongs to the next entry */
    REQUIRE(cur_u8_prefixed(&list, &name));
    CHECK_INT(cur_left(&name), 3);
    CHECK(cur_empty(&list));
    REQUIRE(cur_u8(&c, &trailer));
    CHECK_INT(trailer, 0x99);
    CHECK(cur_empty(&c));

    /* an inner length that overruns the outer block fails inside it only */
    static const uint8_t bad[] = { 0x00, 0x02, 0x05, 'a', 'b', 'c', 'd', 'e' };
    c = cur_init(bad, sizeof bad);
    REQUIRE(cur_u16_prefixed(&c, &list));
    CHECK(!cur_u8_prefixed(&list, &name));
    CHECK(cur_empty(&list));
    CHECK_INT(cur_left(&c), 4);
}

static void cur_u24_max(void)
{
    static const uint8_t in[] = { 0xff, 0xff, 0xff, 0x00 };
    keel_cur c = cur_init(in, sizeof in), sub;
    uint32_t v;

    REQUIRE(cur_u24(&c, &v));
    CHECK_INT(v, 0xFFFFFF);
    /* a maximal u24 length with far fewer bytes behind it */
    c = cur_init(in, sizeof in);
    CHECK(!cur_u24_prefixed(&c, &sub));
    CHECK(cur_empty(&c));
    static const uint8_t u32max[] = { 0xff, 0xff, 0xff, 0xff };
    c = cur_init(u32max, 4);
    REQUIRE(cur_u32(&c, &v));
    CHECK_INT(v, 0xFFFFFFFFu);
}

/* ---- builder ---- */

static void b_exactly_full_fixed(void)
{
    uint8_t buf[10];
    keel_builder b;

    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_u8(&b, 0x01);
    keel_b_u16(&b, 0x0203);
    keel_b_u24(&b, 0x040506);
    keel_b_u32(&b, 0x0708090a);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_INT(b.len, 10);
    CHECK_MEM(buf, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a", 10);
}

static void b_overflow_fixed(void)
{
    uint8_t buf[4] = { 0 };
    keel_builder b;

    keel_b_init_fixed(&b, buf, 3);
    keel_b_u16(&b, 0xaaaa);
    keel_b_u16(&b, 0xbbbb);              /* one short */
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(b.len, 2);
    CHECK_INT(buf[2], 0);                /* nothing partial written */
    CHECK_INT(buf[3], 0);
    /* sticky: a write that would fit is ignored */
    keel_b_u8(&b, 0xcc);
    CHECK_INT(b.len, 2);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
    /* reset clears the error and keeps the storage */
    keel_b_reset(&b);
    CHECK_INT(keel_b_finish(&b), 0);
    keel_b_bytes(&b, "xyz", 3);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_MEM(buf, "xyz", 3);

    /* a size that would overflow size_t */
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_u8(&b, 1);
    CHECK(keel_b_reserve(&b, SIZE_MAX) == NULL);
    CHECK(keel_b_finish(&b) < 0);

    /* no storage at all */
    keel_b_init_fixed(&b, NULL, 0);
    keel_b_bytes(&b, NULL, 0);
    CHECK_INT(keel_b_finish(&b), 0);
    keel_b_u8(&b, 1);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
}

static void b_growable_limit(void)
{
    keel_builder b;
    uint8_t chunk[7];

    keel_b_init_growable(&b, 0, 1000);
    for (int i = 0; i < 1000; i++) keel_b_u8(&b, (uint8_t)i);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_INT(b.len, 1000);
    CHECK(b.cap <= 1000);
    for (int i = 0; i < 1000; i++)
        if (b.buf[i] != (uint8_t)i) { CHECK(b.buf[i] == (uint8_t)i); break; }
    keel_b_u8(&b, 0);                    /* one past the limit */
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(b.len, 1000);
    keel_b_free(&b);
    CHECK(b.buf == NULL);

    /* a single write larger than the limit, with an initial size above it */
    keel_b_init_growable(&b, 50, 20);
    CHECK(b.cap <= 20);
    memset(chunk, 0x5a, sizeof chunk);
    keel_b_bytes(&b, chunk, sizeof chunk);
    keel_b_bytes(&b, chunk, sizeof chunk);
    CHECK_INT(keel_b_finish(&b), 0);
    keel_b_bytes(&b, chunk, sizeof chunk);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(b.len, 14);
    keel_b_free(&b);

    /* growth to a large exact limit in one step */
    keel_b_init_growable(&b, 16, 70000);
    CHECK(keel_b_reserve(&b, 70000) != NULL);
    CHECK_INT(keel_b_finish(&b), 0);
    keel_b_free(&b);
}

static void *failing_realloc(void *p, size_t n) { (void)p; (void)n; return NULL; }
static void *failing_malloc(size_t n) { (void)n; return NULL; }

static void b_growable_alloc_failure(void)
{
    keel_builder b;
    gnutls_realloc_function saved_realloc = gnutls_realloc;
    gnutls_alloc_function saved_malloc = gnutls_malloc;

    keel_b_init_growable(&b, 8, 100);
    keel_b_bytes(&b, "12345678", 8);
    gnutls_realloc = failing_realloc;
    keel_b_u8(&b, '9');
    gnutls_realloc = saved_realloc;
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_MEMORY_ERROR);
    CHECK_INT(b.len, 8);
    CHECK_MEM(b.buf, "12345678", 8);     /* the old buffer survives */
    keel_b_free(&b);

    gnutls_malloc = failing_malloc;
    keel_b_init_growable(&b, 8, 100);
    gnutls_malloc = saved_malloc;
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_MEMORY_ERROR);
    keel_b_free(&b);
}

static void b_prefix_limits(void)
{
    uint8_t buf[300], big[256];
    keel_builder b;

    memset(big, 0x11, sizeof big);
    /* 255 bytes fit a u8 prefix */
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_open(&b, 1);
    keel_b_bytes(&b, big, 255);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_INT(buf[0], 255);
    CHECK_INT(b.len, 256);
    /* 256 do not */
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_open(&b, 1);
    keel_b_bytes(&b, big, 256);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);

    /* u16: 65535 fits, 65536 does not */
    keel_b_init_growable(&b, 0, 1 << 20);
    keel_b_open(&b, 2);
    CHECK(keel_b_reserve(&b, 65535) != NULL);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_INT(b.buf[0], 0xff);
    CHECK_INT(b.buf[1], 0xff);
    keel_b_reset(&b);
    keel_b_open(&b, 2);
    CHECK(keel_b_reserve(&b, 65536) != NULL);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);
    keel_b_free(&b);

    /* u24: the maximal length, 0xFFFFFF */
    keel_b_init_growable(&b, 0, 0x1000000 + 16);
    keel_b_open(&b, 3);
    CHECK(keel_b_reserve(&b, 0xFFFFFF) != NULL);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_MEM(b.buf, "\xff\xff\xff", 3);
    keel_b_reset(&b);
    keel_b_open(&b, 3);
    CHECK(keel_b_reserve(&b, 0x1000000) != NULL);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);
    keel_b_free(&b);

    /* u24 values */
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_u24(&b, 0xFFFFFF);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_MEM(buf, "\xff\xff\xff", 3);
    keel_b_u24(&b, 0x1000000);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);
    CHECK_INT(b.len, 3);

    /* prefix sizes other than 1..3 */
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_open(&b, 0);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_open(&b, 4);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);
}

static void b_open_close_balance(void)
{
    uint8_t buf[64];
    keel_builder b;

    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_open(&b, 2);
    keel_b_u8(&b, 1);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);   /* unclosed */
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), 0);

    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_close(&b);                                          /* nothing open */
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);

    /* depth limit */
    keel_b_init_fixed(&b, buf, sizeof buf);
    for (int i = 0; i < KEEL_B_MAX_DEPTH; i++) keel_b_open(&b, 1);
    CHECK_INT(b.err, 0);
    keel_b_open(&b, 1);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_INTERNAL_ERROR);

    /* opening a block that does not fit */
    keel_b_init_fixed(&b, buf, 1);
    keel_b_open(&b, 2);
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(b.depth, 0);
}

/* Builds extensions-like nesting and reads it back through the cursor. */
static void b_nested_round_trip(void)
{
    keel_builder b;
    keel_cur c, exts, ext, names, name;
    uint16_t type;
    uint8_t kind;
    const uint8_t *p;

    keel_b_init_growable(&b, 4, 4096);
    keel_b_u8(&b, 0x01);
    keel_b_open(&b, 3);                 /* message body */
    keel_b_open(&b, 2);                 /* extensions */
    keel_b_u16(&b, 0);                  /* server_name */
    keel_b_open(&b, 2);
    keel_b_open(&b, 2);
    keel_b_u8(&b, 0);
    keel_b_open(&b, 2);
    keel_b_bytes(&b, "example.com", 11);
    keel_b_close(&b);
    keel_b_close(&b);
    keel_b_close(&b);
    keel_b_u16(&b, 23);                 /* empty extension */
    keel_b_open(&b, 2);
    keel_b_close(&b);
    keel_b_close(&b);
    keel_b_close(&b);
    REQUIRE(keel_b_finish(&b) == 0);

    static const uint8_t want[] = {
        0x01, 0x00, 0x00, 0x1a, 0x00, 0x18,
        0x00, 0x00, 0x00, 0x10, 0x00, 0x0e, 0x00, 0x00, 0x0b,
        'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
        0x00, 0x17, 0x00, 0x00,
    };
    CHECK_INT(b.len, sizeof want);
    CHECK_MEM(b.buf, want, sizeof want);

    c = cur_init(b.buf, b.len);
    REQUIRE(cur_u8(&c, &kind));
    REQUIRE(cur_u24_prefixed(&c, &exts));
    CHECK(cur_empty(&c));
    REQUIRE(cur_u16_prefixed(&exts, &c));
    CHECK(cur_empty(&exts));
    REQUIRE(cur_u16(&c, &type));
    CHECK_INT(type, 0);
    REQUIRE(cur_u16_prefixed(&c, &ext));
    REQUIRE(cur_u16_prefixed(&ext, &names));
    CHECK(cur_empty(&ext));
    REQUIRE(cur_u8(&names, &kind));
    REQUIRE(cur_u16_prefixed(&names, &name));
    CHECK(cur_empty(&names));
    REQUIRE(cur_bytes(&name, 11, &p));
    CHECK_MEM(p, "example.com", 11);
    REQUIRE(cur_u16(&c, &type));
    CHECK_INT(type, 23);
    REQUIRE(cur_u16_prefixed(&c, &ext));
    CHECK(cur_empty(&ext));
    CHECK(cur_empty(&c));
    keel_b_free(&b);
}

static void b_reserve(void)
{
    uint8_t buf[8];
    keel_builder b;
    uint8_t *p;

    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_u8(&b, 0xee);
    p = keel_b_reserve(&b, 5);
    REQUIRE(p != NULL);
    CHECK(p == buf + 1);
    memcpy(p, "hello", 5);
    CHECK_INT(b.len, 6);
    CHECK(keel_b_reserve(&b, 2) == buf + 6);        /* exactly full */
    CHECK(keel_b_reserve(&b, 0) == buf + 8);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK(keel_b_reserve(&b, 1) == NULL);           /* one past */
    CHECK_INT(keel_b_finish(&b), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(keel_b_reserve(&b, 0) == NULL);           /* sticky */
    CHECK_MEM(buf, "\xeehello", 6);

    /* a reserved region inside a block counts towards its length */
    keel_b_init_fixed(&b, buf, sizeof buf);
    keel_b_open(&b, 1);
    REQUIRE((p = keel_b_reserve(&b, 4)) != NULL);
    memset(p, 0x42, 4);
    keel_b_close(&b);
    CHECK_INT(keel_b_finish(&b), 0);
    CHECK_MEM(buf, "\x04\x42\x42\x42\x42", 5);
}

int main(void)
{
    RUN(cur_empty_input);
    RUN(cur_exactly_full);
    RUN(cur_one_short);
    RUN(cur_failed_read_drains);
    RUN(cur_prefix_longer_than_rest);
    RUN(cur_zero_length_block);
    RUN(cur_nested_blocks);
    RUN(cur_u24_max);
    RUN(b_exactly_full_fixed);
    RUN(b_overflow_fixed);
    RUN(b_growable_limit);
    RUN(b_growable_alloc_failure);
    RUN(b_prefix_limits);
    RUN(b_open_close_balance);
    RUN(b_nested_round_trip);
    RUN(b_reserve);
    return t_done();
}
