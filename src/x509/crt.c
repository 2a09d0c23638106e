/* <gnutls/x509.h>'s certificate object (gnutls_x509_crt_t): import and export, names, serial,
 * validity, subjectAltName, key algorithm and host name checks, over a keel_cert. */
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <gnutls/x509.h>
#include "x509/internal.h"
#include "x509/crt.h"

int gnutls_x509_crt_init(gnutls_x509_crt_t *cert)
{
    CHECK(cert != NULL, GNUTLS_E_INVALID_REQUEST);
    *cert = keel_calloc(1, sizeof **cert);
    CHECK(*cert != NULL, GNUTLS_E_MEMORY_ERROR);
    return 0;
}

void gnutls_x509_crt_deinit(gnutls_x509_crt_t cert)
{
    if (cert == NULL)
        return;
    keel_cert_free(cert->cert);
    keel_free(cert);
}

/* The X509 of an imported certificate, or NULL (not imported yet). */
static X509 *x509_of(gnutls_x509_crt_t cert)
{
    return (cert != NULL && cert->cert != NULL) ? keel_cert_x509(cert->cert) : NULL;
}

int gnutls_x509_crt_import(gnutls_x509_crt_t cert, const gnutls_datum_t *data,
                           gnutls_x509_crt_fmt_t format)
{
    keel_cert **chain;
    unsigned n;
    int ret;

    CHECK(cert != NULL && data != NULL, GNUTLS_E_INVALID_REQUEST);
    ret = keel_load_cert_chain(data, format, &chain, &n);
    /* GnuTLS 3.7.9 reports every PEM failure of this function (no block, a broken block)
     * as an unexpected header. */
    if (format == GNUTLS_X509_FMT_PEM && (ret == GNUTLS_E_BASE64_DECODING_ERROR ||
                                          ret == GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR))
        ret = GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR;
    TRY(ret);
    /* PEM input with several certificates: the first one, as GnuTLS. */
    keel_cert_ref(chain[0]);
    keel_cert_free(cert->cert);
    cert->cert = chain[0];
    keel_cert_chain_free(chain, n);
    return 0;
}

int gnutls_x509_crt_list_import2(gnutls_x509_crt_t **certs, unsigned int *size,
                                 const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format,
                                 unsigned int flags)
{
    keel_cert **chain;
    unsigned n;
    gnutls_x509_crt_t *list;

    (void)flags;
    CHECK(certs != NULL && size != NULL && data != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(keel_load_cert_chain(data, format, &chain, &n));
    list = gnutls_calloc(n, sizeof *list);
    if (list == NULL) {
        keel_cert_chain_free(chain, n);
        return GNUTLS_E_MEMORY_ERROR;
    }
    for (unsigned i = 0; i < n; i++) {
        list[i] = keel_calloc(1, sizeof *list[i]);
        if (list[i] == NULL) {
            for (unsigned j = 0; j < i; j++)
                gnutls_x509_crt_deinit(list[j]);
            gnutls_free(list);
            keel_cert_chain_free(chain, n);
            return GNUTLS_E_MEMORY_ERROR;
        }
        list[i]->cert = chain[i];
        chain[i] = NULL;
    }
    keel_cert_chain_free(chain, n);
    *certs = list;
    *size = n;
    return 0;
}

int gnutls_x509_crt_list_import(gnutls_x509_crt_t *certs, unsigned int *cert_max,
                                const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format,
                                unsigned int flags)
{
    keel_cert **chain;
    unsigned n, take;
    int ret;

    CHECK(certs != NULL && cert_max != NULL && data != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(keel_load_cert_chain(data, format, &chain, &n));
    if (n > *cert_max && (flags & GNUTLS_X509_CRT_LIST_IMPORT_FAIL_IF_EXCEED)) {
        *cert_max = n;
        keel_cert_chain_free(chain, n);
        return GNUTLS_E_SHORT_MEMORY_BUFFER;
    }
    take = n < *cert_max ? n : *cert_max;
    for (unsigned i = 0; i < take; i++) {
        ret = gnutls_x509_crt_init(&certs[i]);
        if (ret < 0) {
            for (unsigned j = 0; j < i; j++)
                gnutls_x509_crt_deinit(certs[j]);
            keel_cert_chain_free(chain, n);
            return ret;
        }
        certs[i]->cert = chain[i];
        chain[i] = NULL;
    }
    keel_cert_chain_free(chain, n);
    *cert_max = take;
    return (int)take;
}

/* ---- export ---- */

static int export_alloc(gnutls_x509_crt_t cert, gnutls_x509_crt_fmt_t format,
                        gnutls_datum_t *out)
{
    size_t der_len;
    const uint8_t *der;
    BIO *bio;
    char *pem;
    long pem_len;

    CHECK(x509_of(cert) != NULL && out != NULL, GNUTLS_E_INVALID_REQUEST);
    der = keel_cert_der(cert->cert, &der_len);
    if (format != GNUTLS_X509_FMT_PEM) {
        out->data = gnutls_malloc(der_len);
        CHECK(out->data != NULL, GNUTLS_E_MEMORY_ERROR);
        memcpy(out->data, der, der_len);
        out->size = (unsigned)der_len;
        return 0;
    }
    bio = BIO_new(BIO_s_mem());
    CHECK(bio != NULL, keel_x509_fail(GNUTLS_E_MEMORY_ERROR));
    if (!PEM_write_bio_X509(bio, keel_cert_x509(cert->cert)) ||
        (pem_len = BIO_get_mem_data(bio, &pem)) <= 0) {
        BIO_free(bio);
        return keel_x509_fail(GNUTLS_E_MEMORY_ERROR);
    }
    out->data = gnutls_malloc((size_t)pem_len + 1);
    if (out->data == NULL) {
        BIO_free(bio);
        return GNUTLS_E_MEMORY_ERROR;
    }
    memcpy(out->data, pem, (size_t)pem_len);
    out->data[pem_len] = '\0';
    out->size = (unsigned)pem_len;
    BIO_free(bio);
    return 0;
}

int gnutls_x509_crt_export2(gnutls_x509_crt_t cert, gnutls_x509_crt_fmt_t format,
                            gnutls_datum_t *out)
{
    return export_alloc(cert, format, out);
}

/* GnuTLS's "buffer + size" convention: *size is set to the bytes needed; a buffer that is
 * too small (or NULL) gives GNUTLS_E_SHORT_MEMORY_BUFFER. */
static int copy_out(const void *src, size_t len, void *dst, size_t *dst_size, int nul)
{
    size_t need = len + (nul ? 1 : 0);

    if (dst == NULL || *dst_size < need) {
        *dst_size = need;
        return GNUTLS_E_SHORT_MEMORY_BUFFER;
    }
    memcpy(dst, src, len);
    if (nul)
        ((char *)dst)[len] = '\0';
    /* For strings GnuTLS reports the length without the terminating NUL. */
    *dst_size = len;
    return 0;
}

int gnutls_x509_crt_export(gnutls_x509_crt_t cert, gnutls_x509_crt_fmt_t format,
                           void *output_data, size_t *output_data_size)
{
    gnutls_datum_t d;
    int ret;

    CHECK(output_data_size != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(export_alloc(cert, format, &d));
    ret = copy_out(d.data, d.size, output_data, output_data_size, 0);
    gnutls_free(d.data);
    return ret;
}

/* ---- names ---- */

static int name_datum(const X509_NAME *name, int rfc4514_order, gnutls_datum_t *out)
{
    char *s;
    int len;

    CHECK(out != NULL, GNUTLS_E_INVALID_REQUEST);
    len = keel_x509_name_string(name, rfc4514_order, &s);
    TRY(len);
    out->data = gnutls_malloc((size_t)len + 1);
    if (out->data == NULL) {
        keel_free(s);
        return GNUTLS_E_MEMORY_ERROR;
    }
    memcpy(out->data, s, (size_t)len + 1);
    out->size = (unsigned)len;
    keel_free(s);
    return 0;
}

static const X509_NAME *subject_of(gnutls_x509_crt_t cert, int issuer)
{
    X509 *x = x509_of(cert);

    if (x == NULL)
        return NULL;
    return issuer ? X509_get_issuer_name(x) : X509_get_subject_name(x);
}

/* GnuTLS: the "2" forms and the buffer forms keep the compat (DER) order; the "3" forms
 * give RFC 4514's order unless GNUTLS_X509_DN_FLAG_COMPAT. */
int gnutls_x509_crt_get_dn3(gnutls_x509_crt_t cert, gnutls_datum_t *dn, unsigned flags)
{
    const X509_NAME *name = subject_of(cert, 0);

    CHECK(name != NULL, GNUTLS_E_INVALID_REQUEST);
    return name_datum(name, !(flags & GNUTLS_X509_DN_FLAG_COMPAT), dn);
}

int gnutls_x509_crt_get_issuer_dn3(gnutls_x509_crt_t cert, gnutls_datum_t *dn, unsigned flags)
{
    const X509_NAME *name = subject_of(cert, 1);

    CHECK(name != NULL, GNUTLS_E_INVALID_REQUEST);
    return name_datum(name, !(flags & GNUTLS_X509_DN_FLAG_COMPAT), dn);
}

int gnutls_x509_crt_get_dn2(gnutls_x509_crt_t cert, gnutls_datum_t *dn)
{
    return gnutls_x509_crt_get_dn3(cert, dn, GNUTLS_X509_DN_FLAG_COMPAT);
}

int gnutls_x509_crt_get_issuer_dn2(gnutls_x509_crt_t cert, gnutls_datum_t *dn)
{
    return gnutls_x509_crt_get_issuer_dn3(cert, dn, GNUTLS_X509_DN_FLAG_COMPAT);
}

static int name_buf(gnutls_x509_crt_t cert, int issuer, char *buf, size_t *buf_size)
{
    const X509_NAME *name = subject_of(cert, issuer);
    gnutls_datum_t d;
    int ret;

    CHECK(name != NULL && buf_size != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(name_datum(name, 0, &d));
    ret = copy_out(d.data, d.size, buf, buf_size, 1);
    gnutls_free(d.data);
    return ret;
}

int gnutls_x509_crt_get_dn(gnutls_x509_crt_t cert, char *buf, size_t *buf_size)
{
    return name_buf(cert, 0, buf, buf_size);
}

int gnutls_x509_crt_get_issuer_dn(gnutls_x509_crt_t cert, char *buf, size_t *buf_size)
{
    return name_buf(cert, 1, buf, buf_size);
}

/* ---- serial, version, validity ---- */

int keel_crt_serial(X509 *x, uint8_t *out, size_t *len)
{
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    const unsigned char *p = ASN1_STRING_get0_data(serial);
    size_t n = (size_t)ASN1_STRING_length(serial), off = 0;

    /* The INTEGER's content octets, as GnuTLS gives them: a leading 0x00 when the high
     * bit of the magnitude is set. */
    CHECK(n + 1 <= KEEL_MAX_SERIAL, GNUTLS_E_ASN1_DER_ERROR);
    if (n == 0 || (p[0] & 0x80))
        out[off++] = 0;
    memcpy(out + off, p, n);
    *len = n + off;
    return 0;
}

int gnutls_x509_crt_get_serial(gnutls_x509_crt_t cert, void *result, size_t *result_size)
{
    X509 *x = x509_of(cert);
    uint8_t serial[KEEL_MAX_SERIAL];
    size_t len;

    CHECK(x != NULL && result_size != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(keel_crt_serial(x, serial, &len));
    return copy_out(serial, len, result, result_size, 0);
}

int gnutls_x509_crt_get_version(gnutls_x509_crt_t cert)
{
    X509 *x = x509_of(cert);

    CHECK(x != NULL, GNUTLS_E_INVALID_REQUEST);
    return (int)X509_get_version(x) + 1;
}

time_t keel_asn1_time(const ASN1_TIME *t)
{
    struct tm tm;

    if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
        ERR_clear_error();
        return (time_t)-1;
    }
    return timegm(&tm);
}

time_t gnutls_x509_crt_get_activation_time(gnutls_x509_crt_t cert)
{
    X509 *x = x509_of(cert);

    return x != NULL ? keel_asn1_time(X509_get0_notBefore(x)) : (time_t)-1;
}

time_t gnutls_x509_crt_get_expiration_time(gnutls_x509_crt_t cert)
{
    X509 *x = x509_of(cert);

    return x != NULL ? keel_asn1_time(X509_get0_notAfter(x)) : (time_t)-1;
}

/* ---- key and signature algorithms ---- */

int keel_crt_pk_algorithm(X509 *x, unsigned *bits)
{
    EVP_PKEY *pub = X509_get0_pubkey(x);
    int alg;

    if (bits != NULL)
        *bits = 0;
    if (pub == NULL) {
        ERR_clear_error();
        return GNUTLS_PK_UNKNOWN;
    }
    switch (EVP_PKEY_get_base_id(pub)) {
    case EVP_PKEY_RSA:     alg = GNUTLS_PK_RSA; break;
    case EVP_PKEY_RSA_PSS: alg = GNUTLS_PK_RSA_PSS; break;
    case EVP_PKEY_EC:      alg = GNUTLS_PK_ECDSA; break;
    case EVP_PKEY_DSA:     alg = GNUTLS_PK_DSA; break;
    /* GnuTLS counts the encoded key's bits, not the group order's. */
    case EVP_PKEY_ED25519: alg = GNUTLS_PK_EDDSA_ED25519; if (bits) *bits = 256; return alg;
    case EVP_PKEY_ED448:   alg = GNUTLS_PK_EDDSA_ED448; if (bits) *bits = 456; return alg;
    default:               return GNUTLS_PK_UNKNOWN;
    }
    if (bits != NULL)
        *bits = (unsigned)EVP_PKEY_get_bits(pub);
    return alg;
}

int gnutls_x509_crt_get_pk_algorithm(gnutls_x509_crt_t cert, unsigned int *bits)
{
    X509 *x = x509_of(cert);

    CHECK(x != NULL, GNUTLS_E_INVALID_REQUEST);
    return keel_crt_pk_algorithm(x, bits);
}

int keel_crt_sign_algorithm(X509 *x)
{
    int md = NID_undef, pk = NID_undef;

    if (!X509_get_signature_info(x, &md, &pk, NULL, NULL)) {
        ERR_clear_error();
        return GNUTLS_SIGN_UNKNOWN;
    }
    switch (pk) {
    case NID_rsaEncryption:
        switch (md) {
        case NID_sha1:   return GNUTLS_SIGN_RSA_SHA1;
        case NID_sha224: return GNUTLS_SIGN_RSA_SHA224;
        case NID_sha256: return GNUTLS_SIGN_RSA_SHA256;
        case NID_sha384: return GNUTLS_SIGN_RSA_SHA384;
        case NID_sha512: return GNUTLS_SIGN_RSA_SHA512;
        case NID_md5:    return GNUTLS_SIGN_RSA_MD5;
        default:         return GNUTLS_SIGN_UNKNOWN;
        }
    case NID_rsassaPss:
        switch (md) {
        case NID_sha256: return GNUTLS_SIGN_RSA_PSS_SHA256;
        case NID_sha384: return GNUTLS_SIGN_RSA_PSS_SHA384;
        case NID_sha512: return GNUTLS_SIGN_RSA_PSS_SHA512;
        default:         return GNUTLS_SIGN_UNKNOWN;
        }
    case NID_X9_62_id_ecPublicKey:
        switch (md) {
        case NID_sha1:   return GNUTLS_SIGN_ECDSA_SHA1;
        case NID_sha224: return GNUTLS_SIGN_ECDSA_SHA224;
        case NID_sha256: return GNUTLS_SIGN_ECDSA_SHA256;
        case NID_sha384: return GNUTLS_SIGN_ECDSA_SHA384;
        case NID_sha512: return GNUTLS_SIGN_ECDSA_SHA512;
        default:         return GNUTLS_SIGN_UNKNOWN;
        }
    case NID_ED25519:
        return GNUTLS_SIGN_EDDSA_ED25519;
    case NID_ED448:
        return GNUTLS_SIGN_EDDSA_ED448;
    default:
        return GNUTLS_SIGN_UNKNOWN;
    }
}

int gnutls_x509_crt_get_signature_algorithm(gnutls_x509_crt_t cert)
{
    X509 *x = x509_of(cert);

    CHECK(x != NULL, GNUTLS_E_INVALID_REQUEST);
    return keel_crt_sign_algorithm(x);
}

/* ---- subjectAltName and host names ---- */

int gnutls_x509_crt_get_subject_alt_name(gnutls_x509_crt_t cert, unsigned int seq, void *san,
                                         size_t *san_size, unsigned int *critical)
{
    X509 *x = x509_of(cert);
    GENERAL_NAMES *names;
    const GENERAL_NAME *gn;
    int crit = 0, type, ret;
    const unsigned char *p;
    size_t len;

    CHECK(x != NULL && san_size != NULL, GNUTLS_E_INVALID_REQUEST);
    names = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
    if (names == NULL) {
        ERR_clear_error();
        return GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
    }
    if (critical != NULL)
        *critical = crit > 0;
    if (seq >= (unsigned)sk_GENERAL_NAME_num(names)) {
        GENERAL_NAMES_free(names);
        return GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
    }
    gn = sk_GENERAL_NAME_value(names, (int)seq);
    switch (gn->type) {
    case GEN_DNS:
        type = GNUTLS_SAN_DNSNAME;
        p = ASN1_STRING_get0_data(gn->d.dNSName);
        len = (size_t)ASN1_STRING_length(gn->d.dNSName);
        break;
    case GEN_EMAIL:
        type = GNUTLS_SAN_RFC822NAME;
        p = ASN1_STRING_get0_data(gn->d.rfc822Name);
        len = (size_t)ASN1_STRING_length(gn->d.rfc822Name);
        break;
    case GEN_URI:
        type = GNUTLS_SAN_URI;
        p = ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
        len = (size_t)ASN1_STRING_length(gn->d.uniformResourceIdentifier);
        break;
    case GEN_IPADD:
        /* Raw 4 or 16 bytes, not a string. */
        ret = copy_out(ASN1_STRING_get0_data(gn->d.iPAddress),
                       (size_t)ASN1_STRING_length(gn->d.iPAddress), san, san_size, 0);
        GENERAL_NAMES_free(names);
        return ret < 0 ? ret : GNUTLS_SAN_IPADDRESS;
    case GEN_DIRNAME: {
        /* As GnuTLS: the name as an RFC 4514 string. */
        char *dn;
        int dn_len = keel_x509_name_string(gn->d.directoryName, 1, &dn);
        if (dn_len < 0) {
            GENERAL_NAMES_free(names);
            return dn_len;
        }
        ret = copy_out(dn, (size_t)dn_len, san, san_size, 1);
        keel_free(dn);
        GENERAL_NAMES_free(names);
        return ret < 0 ? ret : GNUTLS_SAN_DN;
    }
    default:
        /* Other name forms are reported by type only. */
        type = gn->type == GEN_RID ? GNUTLS_SAN_REGISTERED_ID : GNUTLS_SAN_OTHERNAME;
        GENERAL_NAMES_free(names);
        *san_size = 0;
        return type;
    }
    ret = copy_out(p, len, san, san_size, 1);
    GENERAL_NAMES_free(names);
    return ret < 0 ? ret : type;
}

unsigned gnutls_x509_crt_check_hostname2(gnutls_x509_crt_t cert, const char *hostname,
                                         unsigned int flags)
{
    if (x509_of(cert) == NULL || hostname == NULL)
        return 0;
    return (unsigned)keel_cert_check_hostname(cert->cert, hostname, flags);
}

unsigned gnutls_x509_crt_check_hostname(gnutls_x509_crt_t cert, const char *hostname)
{
    return gnutls_x509_crt_check_hostname2(cert, hostname, 0);
}

/* ---- usages, CA status, fingerprints ---- */

int gnutls_x509_crt_get_key_usage(gnutls_x509_crt_t cert, unsigned int *key_usage,
                                  unsigned int *critical)
{
    X509 *x = x509_of(cert);
    int crit = -1;
    ASN1_BIT_STRING *ku;

    CHECK(x != NULL && key_usage != NULL, GNUTLS_E_INVALID_REQUEST);
    ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
    if (ku == NULL) {
        ERR_clear_error();
        return crit == -1 ? GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE : GNUTLS_E_ASN1_DER_ERROR;
    }
    ASN1_BIT_STRING_free(ku);
    /* libcrypto's KU_* bits are the DER bit string's, as GnuTLS's GNUTLS_KEY_* are. */
    *key_usage = X509_get_key_usage(x);
    if (critical != NULL)
        *critical = crit > 0;
    return 0;
}

int gnutls_x509_crt_get_ca_status(gnutls_x509_crt_t cert, unsigned int *critical)
{
    X509 *x = x509_of(cert);
    int crit = -1, ca;
    BASIC_CONSTRAINTS *bc;

    CHECK(x != NULL, GNUTLS_E_INVALID_REQUEST);
    bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
    if (bc == NULL) {
        ERR_clear_error();
        return crit == -1 ? GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE : GNUTLS_E_ASN1_DER_ERROR;
    }
    ca = bc->ca ? 1 : 0;
    BASIC_CONSTRAINTS_free(bc);
    if (critical != NULL)
        *critical = crit > 0;
    return ca;
}

int gnutls_x509_crt_get_key_purpose_oid(gnutls_x509_crt_t cert, unsigned indx, void *oid,
                                        size_t *oid_size, unsigned int *critical)
{
    X509 *x = x509_of(cert);
    int crit = -1, ret;
    EXTENDED_KEY_USAGE *eku;
    char buf[128];

    CHECK(x != NULL && oid_size != NULL, GNUTLS_E_INVALID_REQUEST);
    eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
    if (eku == NULL) {
        ERR_clear_error();
        return crit == -1 ? GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE : GNUTLS_E_ASN1_DER_ERROR;
    }
    if (indx >= (unsigned)sk_ASN1_OBJECT_num(eku)) {
        EXTENDED_KEY_USAGE_free(eku);
        return GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
    }
    ret = OBJ_obj2txt(buf, sizeof buf, sk_ASN1_OBJECT_value(eku, (int)indx), 1);
    EXTENDED_KEY_USAGE_free(eku);
    CHECK(ret > 0 && (size_t)ret < sizeof buf, GNUTLS_E_ASN1_DER_ERROR);
    if (critical != NULL)
        *critical = crit > 0;
    return copy_out(buf, (size_t)ret, oid, oid_size, 1);
}

int gnutls_x509_crt_get_fingerprint(gnutls_x509_crt_t cert, gnutls_digest_algorithm_t algo,
                                    void *buf, size_t *buf_size)
{
    X509 *x = x509_of(cert);
    const EVP_MD *md;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    size_t der_len;
    const uint8_t *der;

    CHECK(x != NULL && buf_size != NULL, GNUTLS_E_INVALID_REQUEST);
    switch (algo) {
    case GNUTLS_DIG_MD5:    md = EVP_md5(); break;
    case GNUTLS_DIG_SHA1:   md = EVP_sha1(); break;
    case GNUTLS_DIG_SHA256: md = EVP_sha256(); break;
    case GNUTLS_DIG_SHA384: md = EVP_sha384(); break;
    case GNUTLS_DIG_SHA512: md = EVP_sha512(); break;
    default:                return GNUTLS_E_UNKNOWN_HASH_ALGORITHM;
    }
    der = keel_cert_der(cert->cert, &der_len);
    CHECK(md != NULL && EVP_Digest(der, der_len, digest, &len, md, NULL),
          keel_x509_fail(GNUTLS_E_UNKNOWN_HASH_ALGORITHM));
    return copy_out(digest, len, buf, buf_size, 0);
}
