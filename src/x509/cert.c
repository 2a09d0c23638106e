/* keel_cert: one parsed certificate (libcrypto X509 + its DER + its public key as a
 * keel_pkey), reference counted, and the cert/key match check. */
#include <limits.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include "crypto/ossl.h"
#include "wire/cursor.h"
#include "x509/internal.h"

int keel_x509_fail(int code)
{
    ERR_clear_error();
    return code;
}

int keel_x509_der_error(const uint8_t *der, size_t len)
{
    unsigned long e;
    int wrong_tag = 0;
    uint8_t tag;
    keel_cur c = cur_init(der, len);

    while ((e = ERR_get_error()) != 0)
        if (ERR_GET_LIB(e) == ERR_LIB_ASN1 && ERR_GET_REASON(e) == ASN1_R_WRONG_TAG)
            wrong_tag = 1;
    /* Every structure Keel reads here is a SEQUENCE. */
    if (!cur_u8(&c, &tag) || tag != 0x30 || wrong_tag)
        return GNUTLS_E_ASN1_TAG_ERROR;
    return GNUTLS_E_ASN1_DER_ERROR;
}

int keel_cert_from_der(const uint8_t *der, size_t len, keel_cert **out)
{
    const unsigned char *p = der;
    X509 *x509;
    EVP_PKEY *pub;
    keel_cert *c;
    int ret;

    *out = NULL;
    if (len == 0)
        return GNUTLS_E_ASN1_TAG_ERROR;
    if (len > LONG_MAX)
        return GNUTLS_E_ASN1_DER_ERROR;
    x509 = d2i_X509(NULL, &p, (long)len);
    if (x509 == NULL)
        return keel_x509_der_error(der, len);
    if ((size_t)(p - der) != len) {
        /* GnuTLS too refuses bytes after the certificate. */
        X509_free(x509);
        return GNUTLS_E_ASN1_DER_ERROR;
    }

    c = keel_calloc(1, sizeof *c);
    if (c == NULL) {
        X509_free(x509);
        return GNUTLS_E_MEMORY_ERROR;
    }
    c->refs = 1;
    c->x509 = x509;
    c->der_len = len;
    c->der = keel_malloc(len);
    CHECK_OUT(c->der != NULL, GNUTLS_E_MEMORY_ERROR);
    memcpy(c->der, der, len);

    /* X509_get_pubkey gives a new reference; keel_pkey_wrap takes it in every case. */
    pub = X509_get_pubkey(x509);
    if (pub != NULL) {
        ret = keel_pkey_wrap(pub, &c->pub);
        if (ret == GNUTLS_E_UNKNOWN_PK_ALGORITHM)
            c->pub = NULL;          /* e.g. a DSA CA further up a chain */
        else if (ret < 0)
            goto out;
    }
    ERR_clear_error();
    *out = c;
    return 0;
out:
    keel_cert_free(c);
    return keel_x509_fail(ret);
}

const uint8_t *keel_cert_der(const keel_cert *c, size_t *len)
{
    *len = c->der_len;
    return c->der;
}

keel_pkey *keel_cert_pubkey(const keel_cert *c)
{
    return c->pub;
}

X509 *keel_cert_x509(const keel_cert *c)
{
    return c->x509;
}

void keel_cert_ref(keel_cert *c)
{
    __atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
}

void keel_cert_free(keel_cert *c)
{
    if (c == NULL || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    X509_free(c->x509);
    keel_free(c->der);
    if (c->pub != NULL)
        keel_pkey_unref(c->pub);
    keel_free(c);
}

int keel_cert_key_match(const keel_cert *leaf, const keel_pkey *key)
{
    if (leaf->pub == NULL || key == NULL)
        return GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
    /* Compares the public halves (and domain parameters); -1/-2 for different types. */
    if (EVP_PKEY_eq(keel_pkey_ossl(leaf->pub), keel_pkey_ossl(key)) != 1)
        return keel_x509_fail(GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    return 0;
}

void keel_cert_names_der(const keel_cert *c, const uint8_t **issuer, size_t *issuer_len,
                         const uint8_t **subject, size_t *subject_len)
{
    /* The names were encoded when the certificate was parsed; this only points at them. */
    if (!X509_NAME_get0_der(X509_get_issuer_name(c->x509), issuer, issuer_len)) {
        *issuer = NULL;
        *issuer_len = 0;
    }
    if (!X509_NAME_get0_der(X509_get_subject_name(c->x509), subject, subject_len)) {
        *subject = NULL;
        *subject_len = 0;
    }
}
