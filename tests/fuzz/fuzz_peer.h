/* Shared by fuzz_client.c and fuzz_server.c: a session whose transport reads the fuzzer's
 * input in chunks (each chunk's length taken from the input itself, so record and message
 * boundaries get exercised) and discards what it writes; randomness is deterministic. The
 * session's settings and fixed key share are fuzz_params.h's, shared with make-seeds.c. */
#ifndef KEEL_FUZZ_PEER_H
#define KEEL_FUZZ_PEER_H

#include <errno.h>
#include <stdlib.h>
#include <gnutls/gnutls.h>
#include "crypto/crypto.h"
#include "fuzz_params.h"

typedef struct {
    gnutls_session_t s;
    const uint8_t *p;
    size_t left;
    size_t chunk_left;                  /* unread bytes of the current chunk */
} fuzz_feed;

static ssize_t fuzz_pull(gnutls_transport_ptr_t ptr, void *buf, size_t n)
{
    fuzz_feed *f = ptr;
    size_t chunk;

    if (f->left == 0) {
        gnutls_transport_set_errno(f->s, EAGAIN);
        return -1;
    }
    /* A chunk's length is read from the input; a chunk longer than one read asks for is
     * handed out over several reads (the record layer reads a header, then a body). */
    if (f->chunk_left == 0) {
        f->chunk_left = (size_t)f->p[0] + 1;      /* 1..256 bytes, or what is left */
        f->p++;
        f->left--;
        if (f->left == 0) {
            gnutls_transport_set_errno(f->s, EAGAIN);
            return -1;
        }
    }
    chunk = f->chunk_left;
    if (chunk > f->left)
        chunk = f->left;
    if (chunk > n)
        chunk = n;
    memcpy(buf, f->p, chunk);
    f->p += chunk;
    f->left -= chunk;
    f->chunk_left -= chunk;
    return (ssize_t)chunk;
}

static ssize_t fuzz_push(gnutls_transport_ptr_t ptr, const void *buf, size_t n)
{
    (void)ptr;
    (void)buf;
    return (ssize_t)n;
}

static int fuzz_random(void *ctx, void *out, size_t n)
{
    uint8_t *o = out;
    uint32_t *state = ctx;
    for (size_t i = 0; i < n; i++) {
        *state = *state * 1103515245u + 12345u;
        o[i] = (uint8_t)(*state >> 16);
    }
    return 0;
}

/* Runs the handshake (and a little application data) until the input runs dry. */
static void fuzz_run(gnutls_session_t s, const uint8_t *data, size_t size)
{
    fuzz_feed f = { s, data, size, 0 };
    uint32_t seed = 1;
    char buf[256];
    int ret;

    keel_test_set_random(fuzz_random, &seed);
    gnutls_transport_set_ptr(s, &f);
    gnutls_transport_set_pull_function(s, fuzz_pull);
    gnutls_transport_set_push_function(s, fuzz_push);
    do {
        ret = gnutls_handshake(s);
    } while (ret == GNUTLS_E_AGAIN && f.left > 0);
    if (ret == 0) {
        for (int i = 0; i < 16 && f.left > 0; i++)
            if (gnutls_record_recv(s, buf, sizeof buf) < 0 && f.left == 0)
                break;
    }
    keel_test_set_random(NULL, NULL);
}

#endif
