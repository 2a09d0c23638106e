/* Keel's <gnutls/abstract.h>: the abstract key and parsed-certificate API of GnuTLS.
 * Constants carry GnuTLS 3.7.9's values; functions are declared here as they are implemented. */
#ifndef GNUTLS_ABSTRACT_H
#define GNUTLS_ABSTRACT_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gnutls_pubkey_flags {
    GNUTLS_PUBKEY_DISABLE_CALLBACKS = 4,
    GNUTLS_PUBKEY_GET_OPENPGP_FINGERPRINT = 8
} gnutls_pubkey_flags_t;

typedef enum gnutls_abstract_export_flags {
    GNUTLS_EXPORT_FLAG_NO_LZ = 1
} gnutls_abstract_export_flags_t;

typedef enum gnutls_privkey_flags {
    GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE = 1,
    GNUTLS_PRIVKEY_IMPORT_COPY = (1 << 1),
    GNUTLS_PRIVKEY_DISABLE_CALLBACKS = (1 << 2),
    GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA = (1 << 4),
    GNUTLS_PRIVKEY_FLAG_PROVABLE = (1 << 5),
    GNUTLS_PRIVKEY_FLAG_EXPORT_COMPAT = (1 << 6),
    GNUTLS_PRIVKEY_SIGN_FLAG_RSA_PSS = (1 << 7),
    GNUTLS_PRIVKEY_FLAG_REPRODUCIBLE = (1 << 8),
    GNUTLS_PRIVKEY_FLAG_CA = (1 << 9),
    GNUTLS_PRIVKEY_FLAG_RSA_PSS_FIXED_SALT_LENGTH = (1 << 10)
} gnutls_privkey_flags_t;

#define GNUTLS_PUBKEY_VERIFY_FLAG_TLS_RSA GNUTLS_PUBKEY_VERIFY_FLAG_TLS1_RSA
#define GNUTLS_PUBKEY_VERIFY_FLAG_TLS1_RSA GNUTLS_VERIFY_USE_TLS1_RSA
#define GNUTLS_PRIVKEY_INFO_PK_ALGO 1
#define GNUTLS_PRIVKEY_INFO_SIGN_ALGO (1 << 1)
#define GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO (1 << 2)
#define GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS (1 << 3)
#define GNUTLS_PCERT_NO_CERT 1
#define GNUTLS_CERT_RETR_DEINIT_ALL 1

/* A certificate already parsed, with its public key, as used in TLS. */
typedef struct gnutls_pcert_st {
    gnutls_pubkey_t pubkey;
    gnutls_datum_t cert;
    gnutls_certificate_type_t type;
} gnutls_pcert_st;

/* Certificate selection callback (gnutls_certificate_set_retrieve_function2). */
typedef int gnutls_certificate_retrieve_function2(gnutls_session_t,
                                                  const gnutls_datum_t *req_ca_rdn, int nreqs,
                                                  const gnutls_pk_algorithm_t *pk_algos,
                                                  int pk_algos_length, gnutls_pcert_st **,
                                                  unsigned int *pcert_length,
                                                  gnutls_privkey_t *privkey);

/* Functions arrive here as they are implemented. */

/* keys and parsed certificates for certificate selection callbacks (src/x509/abstract.c) */
int gnutls_pubkey_init(gnutls_pubkey_t *key);
void gnutls_pubkey_deinit(gnutls_pubkey_t key);
int gnutls_privkey_init(gnutls_privkey_t *key);
void gnutls_privkey_deinit(gnutls_privkey_t key);
int gnutls_privkey_import_x509_raw(gnutls_privkey_t pkey, const gnutls_datum_t *data,
                                   gnutls_x509_crt_fmt_t format, const char *password,
                                   unsigned int flags);
int gnutls_pcert_import_x509_raw(gnutls_pcert_st *pcert, const gnutls_datum_t *cert,
                                 gnutls_x509_crt_fmt_t format, unsigned int flags);
void gnutls_pcert_deinit(gnutls_pcert_st *pcert);
void gnutls_certificate_set_retrieve_function2(gnutls_certificate_credentials_t cred,
                                               gnutls_certificate_retrieve_function2 *func);

#ifdef __cplusplus
}
#endif

#endif /* GNUTLS_ABSTRACT_H */
