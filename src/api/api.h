/* Internals of src/api shared with the record layer: the default socket transport. */
#ifndef KEEL_API_API_H
#define KEEL_API_API_H

#include "session.h"

/* Default transport on the int descriptor in the transport pointer (transport.c). */
ssize_t keel_fd_pull(gnutls_transport_ptr_t ptr, void *buf, size_t n);
ssize_t keel_fd_push(gnutls_transport_ptr_t ptr, const void *buf, size_t n);
int keel_fd_pull_timeout(gnutls_transport_ptr_t ptr, unsigned ms);
/* Maps the errno of a failed pull (write = 0) or push (write = 1) to a GNUTLS_E_* code. */
int keel_transport_error(gnutls_session_t s, int write);

#endif
