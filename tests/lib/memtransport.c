/* The in-memory transport described in memtransport.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "memtransport.h"

typedef struct {
    unsigned char *buf;
    size_t start, end, cap;
} memt_queue;

typedef struct {
    memt_link *link;
    int side;
    gnutls_session_t session;
    unsigned again_every, intr_every;
    size_t max_read, max_write;
    int broken;
    int closed;                 /* this side closed its sending end */
    unsigned long calls;
} memt_end;

struct memt_link {
    memt_queue q[2];            /* q[side]: bytes for side to read */
    memt_end end[2];
};

memt_link *memt_new(void)
{
    memt_link *l = calloc(1, sizeof *l);
    if (l == NULL)
        abort();
    for (int i = 0; i < 2; i++) {
        l->end[i].link = l;
        l->end[i].side = i;
    }
    return l;
}

void memt_free(memt_link *l)
{
    if (l == NULL)
        return;
    free(l->q[0].buf);
    free(l->q[1].buf);
    free(l);
}

static int queue_put(memt_queue *q, const void *p, size_t n)
{
    if (q->cap - q->end < n) {
        size_t used = q->end - q->start, cap = q->cap ? q->cap : 4096;
        unsigned char *nb;
        while (cap < used + n)
            cap *= 2;
        nb = malloc(cap);
        if (nb == NULL)
            return -1;
        if (used)
            memcpy(nb, q->buf + q->start, used);
        free(q->buf);
        q->buf = nb;
        q->cap = cap;
        q->start = 0;
        q->end = used;
    }
    if (n)
        memcpy(q->buf + q->end, p, n);
    q->end += n;
    return 0;
}

static size_t queue_get(memt_queue *q, void *p, size_t n)
{
    size_t have = q->end - q->start;
    if (n > have)
        n = have;
    if (n)
        memcpy(p, q->buf + q->start, n);
    q->start += n;
    if (q->start == q->end)
        q->start = q->end = 0;
    return n;
}

/* 0: go ahead; else the errno this call fails with. */
static int injected_failure(memt_end *e)
{
    unsigned long n = ++e->calls;

    if (e->again_every == 1 && (n % 2) == 1)
        return EAGAIN;
    if (e->again_every > 1 && (n % e->again_every) == 0)
        return EAGAIN;
    if (e->intr_every == 1 && (n % 2) == 1)
        return EINTR;
    if (e->intr_every > 1 && (n % e->intr_every) == 0)
        return EINTR;
    return 0;
}

static ssize_t memt_pull(gnutls_transport_ptr_t ptr, void *buf, size_t n)
{
    memt_end *e = ptr;
    memt_queue *q = &e->link->q[e->side];
    int err = injected_failure(e);

    if (err) {
        gnutls_transport_set_errno(e->session, err);
        return -1;
    }
    if (q->end == q->start) {
        if (e->link->end[!e->side].closed)
            return 0;
        gnutls_transport_set_errno(e->session, EAGAIN);
        return -1;
    }
    if (e->max_read && n > e->max_read)
        n = e->max_read;
    return (ssize_t)queue_get(q, buf, n);
}

static ssize_t memt_push(gnutls_transport_ptr_t ptr, const void *buf, size_t n)
{
    memt_end *e = ptr;
    int err = injected_failure(e);

    if (!err && e->broken)
        err = EPIPE;
    if (err) {
        gnutls_transport_set_errno(e->session, err);
        return -1;
    }
    if (e->max_write && n > e->max_write)
        n = e->max_write;
    if (queue_put(&e->link->q[!e->side], buf, n) < 0) {
        gnutls_transport_set_errno(e->session, ENOMEM);
        return -1;
    }
    return (ssize_t)n;
}

void memt_attach_one(memt_link *l, int side, gnutls_session_t session)
{
    memt_end *e = &l->end[side];

    e->session = session;
    if (session == NULL)
        return;
    gnutls_transport_set_ptr(session, e);
    gnutls_transport_set_pull_function(session, memt_pull);
    gnutls_transport_set_push_function(session, memt_push);
}

void memt_attach(memt_link *l, gnutls_session_t client, gnutls_session_t server)
{
    memt_attach_one(l, MEMT_CLIENT, client);
    memt_attach_one(l, MEMT_SERVER, server);
}

void memt_set_again(memt_link *l, int side, unsigned every) { l->end[side].again_every = every; }
void memt_set_intr(memt_link *l, int side, unsigned every) { l->end[side].intr_every = every; }
void memt_set_max_read(memt_link *l, int side, size_t n) { l->end[side].max_read = n; }
void memt_set_max_write(memt_link *l, int side, size_t n) { l->end[side].max_write = n; }
void memt_set_broken(memt_link *l, int side, int broken) { l->end[side].broken = broken; }
void memt_close(memt_link *l, int side) { l->end[side].closed = 1; }

size_t memt_pending(const memt_link *l, int side)
{
    return l->q[side].end - l->q[side].start;
}

int memt_inject(memt_link *l, int side, const void *data, size_t len)
{
    return queue_put(&l->q[side], data, len);
}

size_t memt_take(memt_link *l, int side, void *buf, size_t cap)
{
    return queue_get(&l->q[!side], buf, cap);
}

unsigned long memt_calls(const memt_link *l, int side)
{
    return l->end[side].calls;
}

static int transient(int ret)
{
    return ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED;
}

int memt_handshake2(gnutls_session_t client, gnutls_session_t server, int *cret, int *sret)
{
    int c = GNUTLS_E_AGAIN, s = GNUTLS_E_AGAIN, first_err = 0;
    int c_done = 0, s_done = 0;
    /* Enough rounds for injected EAGAIN on every call and 1-byte reads of a large flight. */
    long rounds = 2000000, idle = 0;

    while (rounds-- > 0 && (!c_done || !s_done)) {
        int progress = 0;
        if (!c_done) {
            c = gnutls_handshake(client);
            if (c == 0 || !transient(c)) {
                c_done = 1;
                progress = 1;
            }
        }
        if (!s_done) {
            s = gnutls_handshake(server);
            if (s == 0 || !transient(s)) {
                s_done = 1;
                progress = 1;
            }
        }
        if (first_err == 0 && c < 0 && !transient(c))
            first_err = c;
        if (first_err == 0 && s < 0 && !transient(s))
            first_err = s;
        /* After one side failed, give the other a bounded chance to see the alert. */
        idle = progress ? 0 : idle + 1;
        if (first_err && idle > 1000)
            break;
    }
    if (cret)
        *cret = c;
    if (sret)
        *sret = s;
    if (first_err)
        return first_err;
    return (c == 0 && s == 0) ? 0 : GNUTLS_E_AGAIN;
}

int memt_handshake(gnutls_session_t client, gnutls_session_t server)
{
    return memt_handshake2(client, server, NULL, NULL);
}
