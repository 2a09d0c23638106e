/* libFuzzer target for TLS 1.3 KeyUpdate: a Keel client and server joined in memory, driven
 * by the input as a list of operations (key updates with any flags from either side, data
 * both ways, hand-made handshake messages from the client, reads, clock ticks, GNUTLS_E_AGAIN
 * on writes). As long as no hand-made message was sent and the clock keeps the flood limit,
 * every call must succeed and every byte must arrive intact: anything else aborts. The key
 * files are read from $KEEL_SRCDIR/tests/data (default: the current directory).
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc -Itests \
 *         tests/fuzz/fuzz_keyupdate.c <library sources> -lcrypto -lpthread */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <gnutls/gnutls.h>
#include "session.h"
#include "handshake/key_update.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_certificate_credentials_t scred, ccred;
static time_t fz_clock = 1700000000;

static time_t fz_time(time_t *t)
{
    if (t)
        *t = fz_clock;
    return fz_clock;
}

/* ---- two byte queues ---- */

typedef struct {
    uint8_t buf[1 << 20];
    size_t start, end;
} fz_queue;

typedef struct {
    gnutls_session_t s;
    fz_queue *in, *out;
    int again;          /* the next push fails with EAGAIN */
} fz_end;

static fz_queue q_c2s, q_s2c;

static ssize_t fz_push(gnutls_transport_ptr_t ptr, const void *p, size_t n)
{
    fz_end *e = ptr;

    if (e->again) {
        e->again = 0;
        gnutls_transport_set_errno(e->s, EAGAIN);
        return -1;
    }
    if (n > sizeof e->out->buf - e->out->end) {
        gnutls_transport_set_errno(e->s, ENOSPC);
        return -1;
    }
    memcpy(e->out->buf + e->out->end, p, n);
    e->out->end += n;
    return (ssize_t)n;
}

static ssize_t fz_pull(gnutls_transport_ptr_t ptr, void *p, size_t n)
{
    fz_end *e = ptr;
    size_t have = e->in->end - e->in->start;

    if (have == 0) {
        gnutls_transport_set_errno(e->s, EAGAIN);
        return -1;
    }
    if (n > have)
        n = have;
    memcpy(p, e->in->buf + e->in->start, n);
    e->in->start += n;
    if (e->in->start == e->in->end)
        e->in->start = e->in->end = 0;
    return (ssize_t)n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("KEEL_SRCDIR");
    char cp[512], kp[512];

    (void)argc;
    (void)argv;
    snprintf(cp, sizeof cp, "%s/tests/data/ecdsa-p256-cert.pem", dir ? dir : ".");
    snprintf(kp, sizeof kp, "%s/tests/data/ecdsa-p256-key.pem", dir ? dir : ".");
    if (gnutls_global_init() < 0 || gnutls_certificate_allocate_credentials(&scred) < 0 ||
        gnutls_certificate_allocate_credentials(&ccred) < 0 ||
        gnutls_certificate_set_x509_key_file(scred, cp, kp, GNUTLS_X509_FMT_PEM) < 0)
        abort();
    gnutls_global_set_time_function(fz_time);
    return 0;
}

static int transient(long r)
{
    return r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED;
}

/* Reads whatever is there; data must match what was sent, in order. */
static int drain(fz_end *e, const uint8_t *want, size_t *want_off, size_t want_len)
{
    uint8_t buf[4096];

    for (;;) {
        ssize_t r = gnutls_record_recv(e->s, buf, sizeof buf);
        /* A record of KeyUpdates alone may end the call early; go on while bytes wait. */
        if (transient(r) && e->in->end > e->in->start)
            continue;
        if (transient(r))
            return 0;
        if (r <= 0)
            return r < 0 ? (int)r : GNUTLS_E_PREMATURE_TERMINATION;
        if (*want_off + (size_t)r > want_len || memcmp(buf, want + *want_off, (size_t)r) != 0)
            abort();
        *want_off += (size_t)r;
    }
}

/* Sends one data chunk, finishing it across GNUTLS_E_AGAIN. */
static int send_chunk(gnutls_session_t s, const uint8_t *p, size_t n)
{
    ssize_t r;
    int tries = 0;

    do
        r = gnutls_record_send(s, p, n);
    while (transient(r) && ++tries < 4);
    return r < 0 ? (int)r : 0;
}

static int key_update(gnutls_session_t s, unsigned flags)
{
    int r, tries = 0;

    do
        r = gnutls_session_key_update(s, flags);
    while (transient(r) && ++tries < 4);
    return r;
}

static uint8_t sent_c[1 << 16], sent_s[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gnutls_session_t c = NULL, s = NULL;
    fz_end ec, es;
    size_t c_len = 0, s_len = 0, c_got = 0, s_got = 0;
    int crafted = 0, updates_this_second = 0, err = 0, r;

    q_c2s.start = q_c2s.end = q_s2c.start = q_s2c.end = 0;
    if (gnutls_init(&c, GNUTLS_CLIENT) < 0 || gnutls_init(&s, GNUTLS_SERVER) < 0)
        abort();
    if (gnutls_priority_set_direct(c, "NORMAL:-VERS-ALL:+VERS-TLS1.3", NULL) < 0 ||
        gnutls_priority_set_direct(s, "NORMAL:-VERS-ALL:+VERS-TLS1.3", NULL) < 0)
        abort();
    gnutls_credentials_set(c, GNUTLS_CRD_CERTIFICATE, ccred);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, scred);
    ec = (fz_end){ c, &q_s2c, &q_c2s, 0 };
    es = (fz_end){ s, &q_c2s, &q_s2c, 0 };
    gnutls_transport_set_ptr(c, &ec);
    gnutls_transport_set_ptr(s, &es);
    gnutls_transport_set_push_function(c, fz_push);
    gnutls_transport_set_pull_function(c, fz_pull);
    gnutls_transport_set_push_function(s, fz_push);
    gnutls_transport_set_pull_function(s, fz_pull);
    {
        int rc = GNUTLS_E_AGAIN, rs = GNUTLS_E_AGAIN;
        for (int i = 0; i < 100 && (rc != 0 || rs != 0); i++) {
            if (rc != 0)
                rc = gnutls_handshake(c);
            if (rs != 0)
                rs = gnutls_handshake(s);
            if ((rc < 0 && !transient(rc)) || (rs < 0 && !transient(rs)))
                abort();
        }
        if (rc != 0 || rs != 0)
            abort();
    }
    fz_clock += 10;

    while (size > 0 && err == 0) {
        uint8_t op = data[0] & 15;
        data++;
        size--;
        switch (op) {
        case 0: case 1: case 2: case 3: {
            /* A key update from the client (0, 1) or the server (2, 3), with the flags from
             * the op; the clock moves on after four. */
            if (updates_this_second >= 4) {
                fz_clock++;
                updates_this_second = 0;
            }
            updates_this_second++;
            r = key_update(op < 2 ? c : s, (op & 1) ? GNUTLS_KU_PEER : 0);
            if (r < 0)
                err = r;
            break;
        }
        case 4: case 5: {
            /* Data: a length byte, then that many bytes of the input. */
            size_t n;
            gnutls_session_t from = op == 4 ? c : s;
            uint8_t *log = op == 4 ? sent_c : sent_s;
            size_t *len = op == 4 ? &c_len : &s_len;
            if (size == 0)
                break;
            n = data[0];
            data++;
            size--;
            if (n > size)
                n = size;
            if (n == 0 || *len + n > sizeof sent_c)
                break;
            r = send_chunk(from, data, n);
            if (r < 0) {
                err = r;
                break;
            }
            memcpy(log + *len, data, n);
            *len += n;
            data += n;
            size -= n;
            break;
        }
        case 6:
            err = drain(&es, sent_c, &c_got, c_len);
            break;
        case 7:
            err = drain(&ec, sent_s, &s_got, s_len);
            break;
        case 8: case 9:
            /* A hand-made handshake record from the client: a length byte, then the bytes. */
            if (size == 0)
                break;
            {
                size_t n = data[0];
                data++;
                size--;
                if (n > size)
                    n = size;
                if (n == 0)
                    break;
                crafted = 1;
                r = keel_test_send_handshake(c, data, n);
                data += n;
                size -= n;
                if (r < 0)
                    err = r;
            }
            break;
        case 10:
            fz_clock++;
            updates_this_second = 0;
            break;
        case 11:
            /* The next push of one side fails once. */
            if (size == 0)
                break;
            (data[0] & 1 ? &ec : &es)->again = 1;
            data++;
            size--;
            break;
        case 12:
            keel_test_set_rekey_threshold(size && (data[0] & 1) ? c : s, 1 + (size ? data[0] >> 1 : 0));
            if (size) {
                data++;
                size--;
            }
            break;
        default:
            break;
        }
    }
    if (err == 0) {
        err = drain(&es, sent_c, &c_got, c_len);
        if (err == 0)
            err = drain(&ec, sent_s, &s_got, s_len);
        if (err == 0 && (c_got != c_len || s_got != s_len))
            abort();
    }
    /* Without hand-made input nothing may fail but the flood limit, which counts
     * KeyUpdates when they are read (a side that reads late may see many at once). */
    if (err != 0 && !crafted && err != GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS)
        abort();
    gnutls_deinit(c);
    gnutls_deinit(s);
    return 0;
}
