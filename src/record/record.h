/* Internals of the record layer shared by its files: the per-version AEAD formats
 * (protect.c) and the transport calls (io.c). Nothing outside src/record includes this. */
#ifndef KEEL_RECORD_RECORD_H
#define KEEL_RECORD_RECORD_H

#include "session.h"

/* Incoming buffer: one maximal TLS 1.2 record plus its header, so a whole record always
 * fits after compaction; the transport is asked for as much as fits. */
#define KEEL_IN_CAP (KEEL_RECORD_HEADER + KEEL_MAX_CIPHERTEXT12)
/* The first size of that buffer, enough for handshake records and small application data. */
#define KEEL_IN_SMALL 4096u

/* Bytes between the record header and the payload (the TLS 1.2 GCM explicit nonce). */
size_t keel_rec_prefix_len(const keel_dir_state *d);
/* Largest record expansion for a payload (prefix, TLS 1.3 content type, tag). */
size_t keel_rec_overhead(const keel_dir_state *d);

/* Seals one record in place. rec has room for the header, prefix, payload and overhead;
 * the payload (len bytes) is already at rec + 5 + prefix. pad: TLS 1.3 zero padding.
 * *rec_len is the record size on the wire. */
int keel_rec_seal(keel_dir_state *d, uint8_t type, uint8_t *rec, size_t len, size_t pad,
                  size_t *rec_len);
/* Opens one protected record in place (rec: header and body, rec_len bytes in total, length
 * field already validated against rec_len). On success *type is the true content type and
 * *plain, *plain_len the plaintext inside rec. */
int keel_rec_open(keel_dir_state *d, uint8_t *rec, size_t rec_len, uint8_t *type,
                  uint8_t **plain, size_t *plain_len);

/* Transport (io.c). keel_io_fill: at least `need` bytes in s->in. */
int keel_io_fill(gnutls_session_t s, size_t need);
int keel_io_flush(gnutls_session_t s);

#endif
