/* State shared by the files of src/x509/: the libcrypto object behind keel_cert and the
 * mapping of libcrypto's parse failures to GnuTLS's codes. Private to src/x509/. */
#ifndef KEEL_X509_INTERNAL_H
#define KEEL_X509_INTERNAL_H

#include <openssl/x509.h>
#include "x509/x509.h"

struct keel_cert {
    int refs;               /* atomic (__atomic builtins) */
    X509 *x509;             /* kept for path validation (issue 8) */
    uint8_t *der;
    size_t der_len;
    keel_pkey *pub;         /* NULL for key types Keel cannot use */
};

/* Borrowed X509 inside c. */
X509 *keel_cert_x509(const keel_cert *c);

/* A DER structure did not parse: GNUTLS_E_ASN1_TAG_ERROR when the bytes do not start with
 * the expected structure (empty, wrong outer or inner tag), GNUTLS_E_ASN1_DER_ERROR
 * otherwise (truncated, bad lengths, trailing bytes). Drains libcrypto's error queue. */
int keel_x509_der_error(const uint8_t *der, size_t len);

/* Drops libcrypto's (per-thread) error queue and returns code. */
int keel_x509_fail(int code);

/* name as a string like GnuTLS's (dn.c): RFC 4514 order (last RDN first) or, with
 * rfc4514_order 0, GnuTLS's compat (DER) order. *out keel_malloc'd, NUL-terminated;
 * returns its length or GNUTLS_E_MEMORY_ERROR. */
int keel_x509_name_string(const X509_NAME *name, int rfc4514_order, char **out);

#endif
