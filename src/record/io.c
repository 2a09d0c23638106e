/* The only code that calls the transport: fills s->in, drains s->out, and turns transport
 * failures into GNUTLS_E_AGAIN / INTERRUPTED / PULL/PUSH errors, the handshake timeout
 * into GNUTLS_E_TIMEDOUT. */
#include <time.h>
#include "record/record.h"
#include "api/api.h"

uint64_t keel_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Milliseconds left of the handshake timeout; UINT64_MAX when none applies. */
static uint64_t hs_time_left(gnutls_session_t s)
{
    uint64_t used;

    if (!s->handshake_in_progress || s->handshake_timeout_ms == 0)
        return UINT64_MAX;
    used = keel_now_ms() - s->hs_start_ms;
    return used >= s->handshake_timeout_ms ? 0 : s->handshake_timeout_ms - used;
}

/* Blocking sessions wait through pull_timeout (the user's, or poll() on our own socket); as
 * in GnuTLS it is not used with GNUTLS_NONBLOCK, where the time is checked on each call. */
static int wait_readable(gnutls_session_t s, uint64_t left)
{
    gnutls_pull_timeout_func wait = s->pull_timeout;
    int r;

    if (left == UINT64_MAX)
        return 0;
    if (left == 0)
        return GNUTLS_E_TIMEDOUT;
    if (s->init_flags & GNUTLS_NONBLOCK)
        return 0;
    if (wait == NULL && s->pull == keel_fd_pull)
        wait = keel_fd_pull_timeout;
    if (wait == NULL)
        return 0;
    r = wait(s->recv_ptr, left > 0x7fffffff ? 0x7fffffffu : (unsigned)left);
    if (r == 0)
        return GNUTLS_E_TIMEDOUT;
    if (r < 0)
        return GNUTLS_E_PULL_ERROR;
    return 0;
}

int keel_io_fill(gnutls_session_t s, size_t need)
{
    keel_bytes *in = &s->in;
    ssize_t r;

    if (keel_bytes_len(in) >= need)
        return 0;
    CHECK(need <= KEEL_IN_CAP, GNUTLS_E_INTERNAL_ERROR);
    /* Two sizes: small while records are small (idle and chatty sessions stay light), the
     * largest record's size for a record that needs it (given back when drained). */
    if (in->buf == NULL || need > in->cap) {
        size_t cap = need <= KEEL_IN_SMALL ? KEEL_IN_SMALL : KEEL_IN_CAP;
        size_t used = keel_bytes_len(in);
        /* The thread's spare if it has one (a drained buffer another call gave back). */
        uint8_t *p = keel_spare_take(cap > KEEL_KEEP_MAX ? KEEL_SPARE_IN : KEEL_SPARE_IN_SMALL,
                                     cap, cap, &cap);
        if (p == NULL)
            p = keel_malloc(cap);
        CHECK(p != NULL, GNUTLS_E_MEMORY_ERROR);
        if (used)
            memcpy(p, in->buf + in->start, used);
        keel_rec_in_drop(s);
        in->buf = p;
        in->cap = cap;
        in->start = 0;
        in->end = used;
    }
    if (in->cap - in->start < need) {
        memmove(in->buf, in->buf + in->start, keel_bytes_len(in));
        in->end -= in->start;
        in->start = 0;
    }
    while (keel_bytes_len(in) < need) {
        TRY(wait_readable(s, hs_time_left(s)));
        s->transport_errno = 0;
        /* Exactly what the record needs, never more: bytes read ahead would sit here
         * unseen by an application that poll()s before calling gnutls_record_recv. */
        r = s->pull(s->recv_ptr, in->buf + in->end, need - keel_bytes_len(in));
        if (r < 0) {
            int err = keel_transport_error(s, 0);
            if (err == GNUTLS_E_AGAIN || err == GNUTLS_E_INTERRUPTED) {
                s->last_direction = 0;
                if (hs_time_left(s) == 0)
                    return GNUTLS_E_TIMEDOUT;
            }
            return err;
        }
        /* EOF: a peer that closes without close_notify truncates the stream. */
        if (r == 0)
            return GNUTLS_E_PREMATURE_TERMINATION;
        CHECK((size_t)r <= need - keel_bytes_len(in), GNUTLS_E_PULL_ERROR);
        in->end += (size_t)r;
    }
    return 0;
}

int keel_io_flush(gnutls_session_t s)
{
    keel_bytes *out = &s->out;
    ssize_t r;

    while (keel_bytes_len(out) > 0) {
        uint8_t *p = out->buf + out->start;
        size_t n = keel_bytes_len(out);

        s->transport_errno = 0;
        if (s->vec_push != NULL) {
            giovec_t iov = { p, n };
            r = s->vec_push(s->send_ptr, &iov, 1);
        } else {
            r = s->push(s->send_ptr, p, n);
        }
        if (r < 0) {
            int err = keel_transport_error(s, 1);
            if (err == GNUTLS_E_AGAIN || err == GNUTLS_E_INTERRUPTED)
                s->last_direction = 1;
            return err;
        }
        /* A transport that accepts nothing would make us spin. */
        CHECK(r > 0 && (size_t)r <= n, GNUTLS_E_PUSH_ERROR);
        keel_bytes_consume(out, (size_t)r);
    }
    return 0;
}
