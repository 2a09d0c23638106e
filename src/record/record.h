/* Internals of the record layer shared by its files: the per-version AEAD formats
 * (protect.c) and the transport calls (io.c). Nothing outside src/record includes this. */
#ifndef KEEL_RECORD_RECORD_H
#define KEEL_RECORD_RECORD_H

#include "session.h"

/* Incoming buffer: one maximal TLS 1.2 record plus its header, so a whole record always
 * fits after compaction; the transport is asked for as much as fits. */
#define KEEL_IN_CAP (KEEL_RECORD_HEADER + KEEL_MAX_CIPHERTEXT12)
/* The first size of that buffer, enough for small records. Buffers this small stay with
 * their session between calls (cheaper to keep than to pass around: an idle pair holds ~1 KB
 * of them); larger ones go back to the thread once drained (keel_rec_release_drained). */
#define KEEL_IN_SMALL 256u
#define KEEL_KEEP_MAX 256u

/* Bytes between the record header and the payload (the TLS 1.2 GCM explicit nonce). */
size_t keel_rec_prefix_len(const keel_dir_state *d);
/* Largest record expansion for a payload (prefix, TLS 1.3 content type, tag). */
size_t keel_rec_overhead(const keel_dir_state *d);

/* Seals one record in place. rec has room for the header, prefix, payload and overhead;
 * the payload (len bytes) is already at rec + 5 + prefix. pad: TLS 1.3 zero padding.
 * *rec_len is the record size on the wire. */
int keel_rec_seal(keel_dir_state *d, uint8_t type, uint8_t *rec, size_t len, size_t pad,
                  size_t *rec_len);
/* The same, sealing the payload straight from src (outside rec; NULL: already in place). */
int keel_rec_seal_from(keel_dir_state *d, uint8_t type, uint8_t *rec, const uint8_t *src,
                       size_t len, size_t pad, size_t *rec_len);
/* Opens one protected record in place (rec: header and body, rec_len bytes in total, length
 * field already validated against rec_len). On success *type is the true content type and
 * *plain, *plain_len the plaintext inside rec. */
int keel_rec_open(keel_dir_state *d, uint8_t *rec, size_t rec_len, uint8_t *type,
                  uint8_t **plain, size_t *plain_len);

/* The same, opening application data straight into dst (dst_cap bytes, the caller's
 * buffer): the content is then dst[0..*direct) followed by *plain[0..*plain_len) (the part
 * that did not fit). Any other content type comes back in rec with *direct = 0, and dst
 * holds nothing of it. */
int keel_rec_open_to(keel_dir_state *d, uint8_t *rec, size_t rec_len, uint8_t *dst,
                     size_t dst_cap, uint8_t *type, uint8_t **plain, size_t *plain_len,
                     size_t *direct);

/* The input buffer is given up (plaintext wiped; kept by the thread as a spare if it will). */
void keel_rec_in_drop(gnutls_session_t s);

/* Transport (io.c). keel_io_fill: at least `need` bytes in s->in. */
int keel_io_fill(gnutls_session_t s, size_t need);
int keel_io_flush(gnutls_session_t s);

#endif
