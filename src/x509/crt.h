/* The gnutls_x509_crt_t object and the certificate facts shared by crt.c and print.c.
 * Private to src/x509/. */
#ifndef KEEL_X509_CRT_H
#define KEEL_X509_CRT_H

#include "x509/internal.h"

struct gnutls_x509_crt_int {
    keel_cert *cert;            /* NULL until gnutls_x509_crt_import */
};

/* RFC 5280 4.1.2.2: serial numbers are at most 20 octets; one more for a sign octet. */
#define KEEL_MAX_SERIAL 21

/* The serial number's INTEGER content octets (GnuTLS's form). */
int keel_crt_serial(X509 *x, uint8_t *out, size_t *len);
/* gnutls_pk_algorithm_t of the subject key, with GnuTLS's bit count. */
int keel_crt_pk_algorithm(X509 *x, unsigned *bits);
/* gnutls_sign_algorithm_t of the certificate's signature. */
int keel_crt_sign_algorithm(X509 *x);
/* notBefore / notAfter as time_t; -1 when unreadable. */
time_t keel_asn1_time(const ASN1_TIME *t);

#endif
