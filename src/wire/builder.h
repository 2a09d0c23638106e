/* The builder: writes wire bytes into a buffer with bounds checks and nested length
 * prefixes that are filled in when the block is closed. Errors are sticky: after the first
 * overflow every call is a no-op and keel_b_finish() reports it, so a message can be built
 * in a straight line and checked once.
 *
 * Two kinds of storage: a fixed buffer (records: no allocation), or a growable buffer owned
 * by the builder (handshake messages), grown through keel_realloc. */
#ifndef KEEL_WIRE_BUILDER_H
#define KEEL_WIRE_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define KEEL_B_MAX_DEPTH 8

typedef struct {
    uint8_t *buf;
    size_t len, cap;
    size_t max;         /* growable: hard upper limit; fixed: == cap */
    int growable;
    int err;            /* 0, or the first GNUTLS_E_* code */
    int depth;
    size_t open_at[KEEL_B_MAX_DEPTH];   /* offset of each open length prefix */
    uint8_t open_size[KEEL_B_MAX_DEPTH];
} keel_builder;

/* Fixed storage: writes into buf[0..cap). */
void keel_b_init_fixed(keel_builder *b, uint8_t *buf, size_t cap);
/* Growable storage, up to max bytes; free with keel_b_free (or take with keel_b_take). */
void keel_b_init_growable(keel_builder *b, size_t initial, size_t max);
void keel_b_free(keel_builder *b);        /* wipes, then frees a growable buffer */
void keel_b_reset(keel_builder *b);       /* length back to 0, keeps storage, clears err */

void keel_b_u8(keel_builder *b, uint8_t v);
void keel_b_u16(keel_builder *b, uint16_t v);
void keel_b_u24(keel_builder *b, uint32_t v);
void keel_b_u32(keel_builder *b, uint32_t v);
void keel_b_bytes(keel_builder *b, const void *p, size_t n);
/* Reserves n bytes and returns a pointer to them (NULL after an error). */
uint8_t *keel_b_reserve(keel_builder *b, size_t n);

/* Opens a block with a 1/2/3-byte length prefix; keel_b_close fills it in, failing with
 * GNUTLS_E_INTERNAL_ERROR if the block is longer than the prefix can express. */
void keel_b_open(keel_builder *b, int prefix_len);
void keel_b_close(keel_builder *b);

/* 0 when every write succeeded and every block was closed, else the first error
 * (GNUTLS_E_MEMORY_ERROR, GNUTLS_E_SHORT_MEMORY_BUFFER, GNUTLS_E_INTERNAL_ERROR). */
int keel_b_finish(const keel_builder *b) __attribute__((warn_unused_result));

#endif
