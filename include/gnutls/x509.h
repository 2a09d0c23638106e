/* Keel's <gnutls/x509.h>: GnuTLS's X.509 constants and types with GnuTLS 3.7.9's values.
 * Functions are declared here as they are implemented. */
#ifndef GNUTLS_X509_H
#define GNUTLS_X509_H

#include <gnutls/gnutls.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gnutls_x509_trust_list_st *gnutls_x509_trust_list_t;
typedef struct gnutls_x509_trust_list_iter *gnutls_x509_trust_list_iter_t;

/* Constants (enumerations, flags and OIDs). GNUTLS_CRL_REASON_SUPERSEEDED is GnuTLS's
 * misspelt alias; GnuTLS's header defines it with a stray trailing comma, Keel without. */

typedef enum gnutls_certificate_import_flags {
    GNUTLS_X509_CRT_LIST_IMPORT_FAIL_IF_EXCEED = 1,
    GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED = 2,
    GNUTLS_X509_CRT_LIST_SORT = 4
} gnutls_certificate_import_flags;

typedef enum gnutls_x509_crt_flags {
    GNUTLS_X509_CRT_FLAG_IGNORE_SANITY = 1
} gnutls_x509_crt_flags;

typedef enum {
    GNUTLS_KEYID_USE_SHA1 = 0,
    GNUTLS_KEYID_USE_SHA256 = 1,
    GNUTLS_KEYID_USE_SHA512 = (1 << 1),
    GNUTLS_KEYID_USE_BEST_KNOWN = (1 << 30)
} gnutls_keyid_flags_t;

typedef enum gnutls_info_access_what_t {
    GNUTLS_IA_ACCESSMETHOD_OID = 1,
    GNUTLS_IA_ACCESSLOCATION_GENERALNAME_TYPE = 2,
    GNUTLS_IA_URI = 106,
    GNUTLS_IA_UNKNOWN = 10000,
    GNUTLS_IA_OCSP_URI = 10006,
    GNUTLS_IA_CAISSUERS_URI = 10106
} gnutls_info_access_what_t;

typedef enum gnutls_x509_crl_reason_flags_t {
    GNUTLS_CRL_REASON_UNSPECIFIED = 0,
    GNUTLS_CRL_REASON_PRIVILEGE_WITHDRAWN = 1,
    GNUTLS_CRL_REASON_CERTIFICATE_HOLD = (1 << 1),
    GNUTLS_CRL_REASON_CESSATION_OF_OPERATION = (1 << 2),
    GNUTLS_CRL_REASON_SUPERSEDED = (1 << 3),
    GNUTLS_CRL_REASON_AFFILIATION_CHANGED = (1 << 4),
    GNUTLS_CRL_REASON_CA_COMPROMISE = (1 << 5),
    GNUTLS_CRL_REASON_KEY_COMPROMISE = (1 << 6),
    GNUTLS_CRL_REASON_UNUSED = (1 << 7),
    GNUTLS_CRL_REASON_AA_COMPROMISE = (1 << 15)
} gnutls_x509_crl_reason_flags_t;

typedef enum gnutls_x509_qualifier_t {
    GNUTLS_X509_QUALIFIER_UNKNOWN = 0,
    GNUTLS_X509_QUALIFIER_URI = 1,
    GNUTLS_X509_QUALIFIER_NOTICE = 2
} gnutls_x509_qualifier_t;

typedef enum gnutls_certificate_verify_flags {
    GNUTLS_VERIFY_DISABLE_CA_SIGN = 1,
    GNUTLS_VERIFY_DO_NOT_ALLOW_IP_MATCHES = (1 << 1),
    GNUTLS_VERIFY_DO_NOT_ALLOW_SAME = (1 << 2),
    GNUTLS_VERIFY_ALLOW_ANY_X509_V1_CA_CRT = (1 << 3),
    GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD2 = (1 << 4),
    GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5 = (1 << 5),
    GNUTLS_VERIFY_DISABLE_TIME_CHECKS = (1 << 6),
    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS = (1 << 7),
    GNUTLS_VERIFY_DO_NOT_ALLOW_X509_V1_CA_CRT = (1 << 8),
    GNUTLS_VERIFY_DISABLE_CRL_CHECKS = (1 << 9),
    GNUTLS_VERIFY_ALLOW_UNSORTED_CHAIN = (1 << 10),
    GNUTLS_VERIFY_DO_NOT_ALLOW_UNSORTED_CHAIN = (1 << 11),
    GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS = (1 << 12),
    GNUTLS_VERIFY_USE_TLS1_RSA = (1 << 13),
    GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS = (1 << 14),
    GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 = (1 << 15),
    GNUTLS_VERIFY_RSA_PSS_FIXED_SALT_LENGTH = (1 << 16)
} gnutls_certificate_verify_flags;

typedef enum gnutls_certificate_verification_profiles_t {
    GNUTLS_PROFILE_UNKNOWN = 0,
    GNUTLS_PROFILE_VERY_WEAK = 1,
    GNUTLS_PROFILE_LOW = 2,
    GNUTLS_PROFILE_LEGACY = 4,
    GNUTLS_PROFILE_MEDIUM = 5,
    GNUTLS_PROFILE_HIGH = 6,
    GNUTLS_PROFILE_ULTRA = 7,
    GNUTLS_PROFILE_FUTURE = 8,
    GNUTLS_PROFILE_SUITEB128 = 32,
    GNUTLS_PROFILE_SUITEB192 = 33
} gnutls_certificate_verification_profiles_t;

typedef enum gnutls_pkcs_encrypt_flags_t {
    GNUTLS_PKCS_PLAIN = 1,
    GNUTLS_PKCS_PKCS12_3DES = (1 << 1),
    GNUTLS_PKCS_PKCS12_ARCFOUR = (1 << 2),
    GNUTLS_PKCS_PKCS12_RC2_40 = (1 << 3),
    GNUTLS_PKCS_PBES2_3DES = (1 << 4),
    GNUTLS_PKCS_PBES2_AES_128 = (1 << 5),
    GNUTLS_PKCS_PBES2_AES_192 = (1 << 6),
    GNUTLS_PKCS_PBES2_AES_256 = (1 << 7),
    GNUTLS_PKCS_NULL_PASSWORD = (1 << 8),
    GNUTLS_PKCS_PBES2_DES = (1 << 9),
    GNUTLS_PKCS_PBES1_DES_MD5 = (1 << 10),
    GNUTLS_PKCS_PBES2_GOST_TC26Z = (1 << 11),
    GNUTLS_PKCS_PBES2_GOST_CPA = (1 << 12),
    GNUTLS_PKCS_PBES2_GOST_CPB = (1 << 13),
    GNUTLS_PKCS_PBES2_GOST_CPC = (1 << 14),
    GNUTLS_PKCS_PBES2_GOST_CPD = (1 << 15)
} gnutls_pkcs_encrypt_flags_t;

typedef enum {
    GNUTLS_KEYGEN_SEED = 1,
    GNUTLS_KEYGEN_DIGEST = 2,
    GNUTLS_KEYGEN_SPKI = 3
} gnutls_keygen_types_t;

typedef enum gnutls_trust_list_flags_t {
    GNUTLS_TL_VERIFY_CRL = 1,
    GNUTLS_TL_USE_IN_TLS = (1 << 1),
    GNUTLS_TL_NO_DUPLICATES = (1 << 2),
    GNUTLS_TL_NO_DUPLICATE_KEY = (1 << 3),
    GNUTLS_TL_GET_COPY = (1 << 4),
    GNUTLS_TL_FAIL_ON_INVALID_CRL = (1 << 5)
} gnutls_trust_list_flags_t;

#define GNUTLS_OID_X520_COUNTRY_NAME "2.5.4.6"
#define GNUTLS_OID_X520_ORGANIZATION_NAME "2.5.4.10"
#define GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME "2.5.4.11"
#define GNUTLS_OID_X520_COMMON_NAME "2.5.4.3"
#define GNUTLS_OID_X520_LOCALITY_NAME "2.5.4.7"
#define GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME "2.5.4.8"
#define GNUTLS_OID_X520_INITIALS "2.5.4.43"
#define GNUTLS_OID_X520_GENERATION_QUALIFIER "2.5.4.44"
#define GNUTLS_OID_X520_SURNAME "2.5.4.4"
#define GNUTLS_OID_X520_GIVEN_NAME "2.5.4.42"
#define GNUTLS_OID_X520_TITLE "2.5.4.12"
#define GNUTLS_OID_X520_DN_QUALIFIER "2.5.4.46"
#define GNUTLS_OID_X520_PSEUDONYM "2.5.4.65"
#define GNUTLS_OID_X520_POSTALCODE "2.5.4.17"
#define GNUTLS_OID_X520_NAME "2.5.4.41"
#define GNUTLS_OID_LDAP_DC "0.9.2342.19200300.100.1.25"
#define GNUTLS_OID_LDAP_UID "0.9.2342.19200300.100.1.1"
#define GNUTLS_OID_PKCS9_EMAIL "1.2.840.113549.1.9.1"
#define GNUTLS_OID_PKIX_DATE_OF_BIRTH "1.3.6.1.5.5.7.9.1"
#define GNUTLS_OID_PKIX_PLACE_OF_BIRTH "1.3.6.1.5.5.7.9.2"
#define GNUTLS_OID_PKIX_GENDER "1.3.6.1.5.5.7.9.3"
#define GNUTLS_OID_PKIX_COUNTRY_OF_CITIZENSHIP "1.3.6.1.5.5.7.9.4"
#define GNUTLS_OID_PKIX_COUNTRY_OF_RESIDENCE "1.3.6.1.5.5.7.9.5"
#define GNUTLS_KP_TLS_WWW_SERVER "1.3.6.1.5.5.7.3.1"
#define GNUTLS_KP_TLS_WWW_CLIENT "1.3.6.1.5.5.7.3.2"
#define GNUTLS_KP_CODE_SIGNING "1.3.6.1.5.5.7.3.3"
#define GNUTLS_KP_MS_SMART_CARD_LOGON "1.3.6.1.4.1.311.20.2.2"
#define GNUTLS_KP_EMAIL_PROTECTION "1.3.6.1.5.5.7.3.4"
#define GNUTLS_KP_TIME_STAMPING "1.3.6.1.5.5.7.3.8"
#define GNUTLS_KP_OCSP_SIGNING "1.3.6.1.5.5.7.3.9"
#define GNUTLS_KP_IPSEC_IKE "1.3.6.1.5.5.7.3.17"
#define GNUTLS_KP_ANY "2.5.29.37.0"
#define GNUTLS_KP_FLAG_DISALLOW_ANY 1
#define GNUTLS_OID_AIA "1.3.6.1.5.5.7.1.1"
#define GNUTLS_OID_AD_OCSP "1.3.6.1.5.5.7.48.1"
#define GNUTLS_OID_AD_CAISSUERS "1.3.6.1.5.5.7.48.2"
#define GNUTLS_FSAN_SET 0
#define GNUTLS_FSAN_APPEND 1
#define GNUTLS_FSAN_ENCODE_OCTET_STRING (1 << 1)
#define GNUTLS_FSAN_ENCODE_UTF8_STRING (1 << 2)
#define GNUTLS_X509EXT_OID_SUBJECT_KEY_ID "2.5.29.14"
#define GNUTLS_X509EXT_OID_KEY_USAGE "2.5.29.15"
#define GNUTLS_X509EXT_OID_PRIVATE_KEY_USAGE_PERIOD "2.5.29.16"
#define GNUTLS_X509EXT_OID_SAN "2.5.29.17"
#define GNUTLS_X509EXT_OID_IAN "2.5.29.18"
#define GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS "2.5.29.19"
#define GNUTLS_X509EXT_OID_NAME_CONSTRAINTS "2.5.29.30"
#define GNUTLS_X509EXT_OID_CRL_DIST_POINTS "2.5.29.31"
#define GNUTLS_X509EXT_OID_CRT_POLICY "2.5.29.32"
#define GNUTLS_X509EXT_OID_AUTHORITY_KEY_ID "2.5.29.35"
#define GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE "2.5.29.37"
#define GNUTLS_X509EXT_OID_INHIBIT_ANYPOLICY "2.5.29.52"
#define GNUTLS_X509EXT_OID_AUTHORITY_INFO_ACCESS "1.3.6.1.5.5.7.1.1"
#define GNUTLS_X509EXT_OID_PROXY_CRT_INFO "1.3.6.1.5.5.7.1.14"
#define GNUTLS_X509EXT_OID_TLSFEATURES "1.3.6.1.5.5.7.1.24"
#define GNUTLS_X509EXT_OID_CT_SCT_V1 "1.3.6.1.4.1.11129.2.4.2"
#define GNUTLS_X509_OID_POLICY_ANY "2.5.29.54"
#define GNUTLS_EXT_FLAG_APPEND 1
#define GNUTLS_NAME_CONSTRAINTS_FLAG_APPEND GNUTLS_EXT_FLAG_APPEND
#define GNUTLS_CRL_REASON_SUPERSEEDED GNUTLS_CRL_REASON_SUPERSEDED
#define GNUTLS_X509_NO_WELL_DEFINED_EXPIRATION ((time_t)4294197631)
#define GNUTLS_MAX_QUALIFIERS 8
#define GNUTLS_X509_DN_OID_RETURN_OID 1
#define GNUTLS_X509_DN_FLAG_COMPAT 1
#define GNUTLS_VERIFY_ALLOW_BROKEN (GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD2 | GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5)
#define GNUTLS_VFLAGS_PROFILE_MASK (0xff000000)
#define GNUTLS_VFLAGS_TO_PROFILE(x) ((((unsigned)x) >> 24) & 0xff)
#define GNUTLS_PROFILE_TO_VFLAGS(x) (((unsigned)x) << 24)
#define GNUTLS_PKCS8_PLAIN GNUTLS_PKCS_PLAIN
#define GNUTLS_PKCS8_USE_PKCS12_3DES GNUTLS_PKCS_PKCS12_3DES
#define GNUTLS_PKCS8_USE_PKCS12_ARCFOUR GNUTLS_PKCS_PKCS12_ARCFOUR
#define GNUTLS_PKCS8_USE_PKCS12_RC2_40 GNUTLS_PKCS_PKCS12_RC2_40
#define GNUTLS_PKCS_USE_PKCS12_3DES GNUTLS_PKCS_PKCS12_3DES
#define GNUTLS_PKCS_USE_PKCS12_ARCFOUR GNUTLS_PKCS_PKCS12_ARCFOUR
#define GNUTLS_PKCS_USE_PKCS12_RC2_40 GNUTLS_PKCS_PKCS12_RC2_40
#define GNUTLS_PKCS_USE_PBES2_3DES GNUTLS_PKCS_PBES2_3DES
#define GNUTLS_PKCS_USE_PBES2_AES_128 GNUTLS_PKCS_PBES2_AES_128
#define GNUTLS_PKCS_USE_PBES2_AES_192 GNUTLS_PKCS_PBES2_AES_192
#define GNUTLS_PKCS_USE_PBES2_AES_256 GNUTLS_PKCS_PBES2_AES_256
#define GNUTLS_PKCS_USE_PBES2_GOST_TC26Z GNUTLS_PKCS_PBES2_GOST_TC26Z
#define GNUTLS_PKCS_USE_PBES2_GOST_CPA GNUTLS_PKCS_PBES2_GOST_CPA
#define GNUTLS_PKCS_USE_PBES2_GOST_CPB GNUTLS_PKCS_PBES2_GOST_CPB
#define GNUTLS_PKCS_USE_PBES2_GOST_CPC GNUTLS_PKCS_PBES2_GOST_CPC
#define GNUTLS_PKCS_USE_PBES2_GOST_CPD GNUTLS_PKCS_PBES2_GOST_CPD
#define GNUTLS_TL_VERIFY_CRL 1
#define GNUTLS_TL_USE_IN_TLS (1 << 1)
#define GNUTLS_TL_NO_DUPLICATES (1 << 2)
#define GNUTLS_TL_NO_DUPLICATE_KEY (1 << 3)
#define GNUTLS_TL_GET_COPY (1 << 4)
#define GNUTLS_TL_FAIL_ON_INVALID_CRL (1 << 5)

/* Functions arrive here as they are implemented (x509 part). */

/* certificates (src/x509/crt.c, src/x509/print.c) */
int gnutls_x509_crt_init(gnutls_x509_crt_t *cert);
void gnutls_x509_crt_deinit(gnutls_x509_crt_t cert);
int gnutls_x509_crt_import(gnutls_x509_crt_t cert, const gnutls_datum_t *data,
                           gnutls_x509_crt_fmt_t format);
int gnutls_x509_crt_list_import(gnutls_x509_crt_t *certs, unsigned int *cert_max,
                                const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format,
                                unsigned int flags);
int gnutls_x509_crt_list_import2(gnutls_x509_crt_t **certs, unsigned int *size,
                                 const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format,
                                 unsigned int flags);
int gnutls_x509_crt_export(gnutls_x509_crt_t cert, gnutls_x509_crt_fmt_t format,
                           void *output_data, size_t *output_data_size);
int gnutls_x509_crt_export2(gnutls_x509_crt_t cert, gnutls_x509_crt_fmt_t format,
                            gnutls_datum_t *out);
int gnutls_x509_crt_get_dn(gnutls_x509_crt_t cert, char *buf, size_t *buf_size);
int gnutls_x509_crt_get_dn2(gnutls_x509_crt_t cert, gnutls_datum_t *dn);
int gnutls_x509_crt_get_issuer_dn(gnutls_x509_crt_t cert, char *buf, size_t *buf_size);
int gnutls_x509_crt_get_issuer_dn2(gnutls_x509_crt_t cert, gnutls_datum_t *dn);
int gnutls_x509_crt_get_dn3(gnutls_x509_crt_t cert, gnutls_datum_t *dn, unsigned flags);
int gnutls_x509_crt_get_issuer_dn3(gnutls_x509_crt_t cert, gnutls_datum_t *dn, unsigned flags);
int gnutls_x509_crt_get_serial(gnutls_x509_crt_t cert, void *result, size_t *result_size);
int gnutls_x509_crt_get_version(gnutls_x509_crt_t cert);
time_t gnutls_x509_crt_get_activation_time(gnutls_x509_crt_t cert);
time_t gnutls_x509_crt_get_expiration_time(gnutls_x509_crt_t cert);
int gnutls_x509_crt_get_pk_algorithm(gnutls_x509_crt_t cert, unsigned int *bits);
int gnutls_x509_crt_get_signature_algorithm(gnutls_x509_crt_t cert);
int gnutls_x509_crt_get_subject_alt_name(gnutls_x509_crt_t cert, unsigned int seq, void *san,
                                         size_t *san_size, unsigned int *critical);
int gnutls_x509_crt_get_key_usage(gnutls_x509_crt_t cert, unsigned int *key_usage,
                                  unsigned int *critical);
int gnutls_x509_crt_get_ca_status(gnutls_x509_crt_t cert, unsigned int *critical);
int gnutls_x509_crt_get_key_purpose_oid(gnutls_x509_crt_t cert, unsigned indx, void *oid,
                                        size_t *oid_size, unsigned int *critical);
int gnutls_x509_crt_get_fingerprint(gnutls_x509_crt_t cert, gnutls_digest_algorithm_t algo,
                                    void *buf, size_t *buf_size);
unsigned gnutls_x509_crt_check_hostname(gnutls_x509_crt_t cert, const char *hostname);
unsigned gnutls_x509_crt_check_hostname2(gnutls_x509_crt_t cert, const char *hostname,
                                         unsigned int flags);
int gnutls_x509_crt_print(gnutls_x509_crt_t cert, gnutls_certificate_print_formats_t format,
                          gnutls_datum_t *out);

#ifdef __cplusplus
}
#endif

#endif /* GNUTLS_X509_H */
