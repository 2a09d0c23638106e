/* Transport configuration (gnutls_transport_*) and the default transport: send()/recv()
 * on the socket descriptor stored in the transport pointer. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>
#include "api/api.h"

static int ptr_to_fd(gnutls_transport_ptr_t p) { return (int)(intptr_t)p; }
static gnutls_transport_ptr_t fd_to_ptr(int fd) { return (gnutls_transport_ptr_t)(intptr_t)fd; }

ssize_t keel_fd_pull(gnutls_transport_ptr_t ptr, void *buf, size_t n)
{
    return recv(ptr_to_fd(ptr), buf, n, 0);
}

ssize_t keel_fd_push(gnutls_transport_ptr_t ptr, const void *buf, size_t n)
{
    /* MSG_NOSIGNAL: a peer that went away is an error code, not a SIGPIPE. Descriptors
     * that are not sockets (pipes in tests and tools) fall back to write(). */
    ssize_t r = send(ptr_to_fd(ptr), buf, n, MSG_NOSIGNAL);
    if (r < 0 && errno == ENOTSOCK)
        r = write(ptr_to_fd(ptr), buf, n);
    return r;
}

int keel_fd_pull_timeout(gnutls_transport_ptr_t ptr, unsigned ms)
{
    struct pollfd pfd = { .fd = ptr_to_fd(ptr), .events = POLLIN };
    int timeout = ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (ms > INT32_MAX ? INT32_MAX : (int)ms);
    int r;

    do
        r = poll(&pfd, 1, timeout);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -1 : r;
}

/* As GnuTLS: a value given with gnutls_transport_set_errno wins, then the errno function,
 * then errno itself. */
int keel_transport_error(gnutls_session_t s, int write)
{
    int e;

    if (s->transport_errno != 0)
        e = s->transport_errno;
    else if (s->errno_func != NULL)
        e = s->errno_func(write ? s->send_ptr : s->recv_ptr);
    else
        e = errno;
    s->transport_errno = 0;
    if (e == EAGAIN || e == EWOULDBLOCK)
        return GNUTLS_E_AGAIN;
    if (e == EINTR)
        return GNUTLS_E_INTERRUPTED;
    return write ? GNUTLS_E_PUSH_ERROR : GNUTLS_E_PULL_ERROR;
}

void gnutls_transport_set_int2(gnutls_session_t session, int recv_fd, int send_fd)
{
    session->recv_ptr = fd_to_ptr(recv_fd);
    session->send_ptr = fd_to_ptr(send_fd);
}

void gnutls_transport_set_int(gnutls_session_t session, int fd)
{
    gnutls_transport_set_int2(session, fd, fd);
}

void gnutls_transport_set_ptr(gnutls_session_t session, gnutls_transport_ptr_t ptr)
{
    session->recv_ptr = session->send_ptr = ptr;
}

void gnutls_transport_set_ptr2(gnutls_session_t session, gnutls_transport_ptr_t recv_ptr,
                               gnutls_transport_ptr_t send_ptr)
{
    session->recv_ptr = recv_ptr;
    session->send_ptr = send_ptr;
}

int gnutls_transport_get_int(gnutls_session_t session)
{
    return ptr_to_fd(session->recv_ptr);
}

void gnutls_transport_get_int2(gnutls_session_t session, int *recv_fd, int *send_fd)
{
    *recv_fd = ptr_to_fd(session->recv_ptr);
    *send_fd = ptr_to_fd(session->send_ptr);
}

gnutls_transport_ptr_t gnutls_transport_get_ptr(gnutls_session_t session)
{
    return session->recv_ptr;
}

void gnutls_transport_get_ptr2(gnutls_session_t session, gnutls_transport_ptr_t *recv_ptr,
                               gnutls_transport_ptr_t *send_ptr)
{
    *recv_ptr = session->recv_ptr;
    *send_ptr = session->send_ptr;
}

/* A push and a vectored push exclude each other: the one set last is used. */
void gnutls_transport_set_push_function(gnutls_session_t session, gnutls_push_func push_func)
{
    session->push = push_func != NULL ? push_func : keel_fd_push;
    session->vec_push = NULL;
}

void gnutls_transport_set_vec_push_function(gnutls_session_t session,
                                            gnutls_vec_push_func vec_func)
{
    session->vec_push = vec_func;
    if (vec_func == NULL)
        session->push = keel_fd_push;
}

void gnutls_transport_set_pull_function(gnutls_session_t session, gnutls_pull_func pull_func)
{
    session->pull = pull_func != NULL ? pull_func : keel_fd_pull;
}

void gnutls_transport_set_pull_timeout_function(gnutls_session_t session,
                                                gnutls_pull_timeout_func func)
{
    session->pull_timeout = func;
}

void gnutls_transport_set_errno_function(gnutls_session_t session, gnutls_errno_func errno_func)
{
    session->errno_func = errno_func;
}

void gnutls_transport_set_errno(gnutls_session_t session, int err)
{
    session->transport_errno = err;
}
