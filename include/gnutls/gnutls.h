/* Keel's public API: the names, signatures and numeric values of GnuTLS's <gnutls/gnutls.h>,
 * written for Keel. Constants are complete; functions are declared only once implemented. */
#ifndef GNUTLS_GNUTLS_H
#define GNUTLS_GNUTLS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* @@CONSTANTS@@ (owned by the header helper: enums and #defines with GnuTLS's values) */

/* @@TYPES@@ (opaque handles, datum, callback types) */

/* @@FUNCTIONS@@ (each part appends its declarations below, in its own commented block) */

#ifdef __cplusplus
}
#endif

#endif /* GNUTLS_GNUTLS_H */
