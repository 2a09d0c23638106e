/* Loading certificate chains and private keys from PEM or DER (PKCS#1, SEC1, PKCS#8 plain
 * and encrypted), with libcrypto's PEM framing and decoders underneath, and GnuTLS 3.7.9's
 * error codes for each way the input can be wrong. */
#include <limits.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include "crypto/ossl.h"
#include "x509/internal.h"

/* ---- PEM framing ---- */

typedef struct {
    char *name;
    char *header;
    unsigned char *data;
    long len;
} pem_block;

/* 1: a block was read; 0: no further block; GNUTLS_E_BASE64_DECODING_ERROR: a block is
 * broken (bad base64, missing end line, empty body). */
static int next_pem_block(BIO *bio, pem_block *b)
{
    unsigned long e;

    memset(b, 0, sizeof *b);
    if (PEM_read_bio(bio, &b->name, &b->header, &b->data, &b->len)) {
        if (b->len > 0)
            return 1;
        OPENSSL_free(b->name);
        OPENSSL_free(b->header);
        OPENSSL_free(b->data);
        memset(b, 0, sizeof *b);
        return GNUTLS_E_BASE64_DECODING_ERROR;
    }
    e = ERR_peek_last_error();
    ERR_clear_error();
    /* An empty block fails without any error queued. */
    if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
        return 0;
    return GNUTLS_E_BASE64_DECODING_ERROR;
}

static void pem_block_free(pem_block *b)
{
    OPENSSL_free(b->name);
    OPENSSL_free(b->header);
    /* Key blocks hold secrets; wipe every block rather than tell them apart. */
    OPENSSL_clear_free(b->data, b->len > 0 ? (size_t)b->len : 0);
    memset(b, 0, sizeof *b);
}

static BIO *mem_bio(const gnutls_datum_t *data)
{
    if (data->size > INT_MAX)
        return NULL;
    return BIO_new_mem_buf(data->data, (int)data->size);
}

/* ---- certificates ---- */

void keel_cert_chain_free(keel_cert **chain, unsigned n)
{
    if (chain == NULL)
        return;
    for (unsigned i = 0; i < n; i++)
        keel_cert_free(chain[i]);
    keel_free(chain);
}

static int chain_append(keel_cert ***chain, unsigned *n, keel_cert *c)
{
    keel_cert **grown = keel_realloc(*chain, (*n + 1) * sizeof **chain);

    if (grown == NULL) {
        keel_cert_free(c);
        return GNUTLS_E_MEMORY_ERROR;
    }
    grown[(*n)++] = c;
    *chain = grown;
    return 0;
}

static int is_cert_block(const char *name)
{
    return strcmp(name, PEM_STRING_X509) == 0 || strcmp(name, PEM_STRING_X509_OLD) == 0;
}

int keel_load_cert_chain(const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt,
                         keel_cert ***chain, unsigned *n)
{
    keel_cert **certs = NULL;
    unsigned count = 0;
    keel_cert *c;
    pem_block b = { 0 };
    BIO *bio = NULL;
    int ret, r;

    *chain = NULL;
    *n = 0;
    CHECK(data != NULL && (data->data != NULL || data->size == 0), GNUTLS_E_INVALID_REQUEST);

    /* As in GnuTLS, every format other than PEM is DER. */
    if (fmt != GNUTLS_X509_FMT_PEM) {
        TRY(keel_cert_from_der(data->data, data->size, &c));
        TRY(chain_append(&certs, &count, c));
        *chain = certs;
        *n = count;
        return 0;
    }
    /* GnuTLS: no certificate in PEM input at all is a base64 decoding error. */
    CHECK(data->size > 0, GNUTLS_E_BASE64_DECODING_ERROR);
    bio = mem_bio(data);
    CHECK(bio != NULL, GNUTLS_E_MEMORY_ERROR);

    for (;;) {
        r = next_pem_block(bio, &b);
        if (r == 0)
            break;
        /* ... while a broken block anywhere is an unexpected-header error. */
        CHECK_OUT(r > 0, GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
        if (is_cert_block(b.name)) {
            TRY_OUT(keel_cert_from_der(b.data, (size_t)b.len, &c));
            TRY_OUT(chain_append(&certs, &count, c));
        }
        pem_block_free(&b);
    }
    CHECK_OUT(count > 0, GNUTLS_E_BASE64_DECODING_ERROR);
    *chain = certs;
    *n = count;
    certs = NULL;
    count = 0;
    ret = 0;
out:
    pem_block_free(&b);
    BIO_free(bio);
    keel_cert_chain_free(certs, count);
    return keel_x509_fail(ret);
}

/* ---- private keys ---- */

typedef enum {
    KEY_PKCS1_RSA,          /* "RSA PRIVATE KEY" */
    KEY_SEC1_EC,            /* "EC PRIVATE KEY" */
    KEY_PKCS8,              /* "PRIVATE KEY" */
    KEY_PKCS8_ENCRYPTED,    /* "ENCRYPTED PRIVATE KEY" */
} key_syntax;

/* Key types Keel can use, by PKCS#8 algorithm OID; anything else is refused before
 * libcrypto's decoders are asked. */
static int pkcs8_algorithm_supported(const PKCS8_PRIV_KEY_INFO *p8)
{
    const ASN1_OBJECT *alg = NULL;

    if (!PKCS8_pkey_get0(&alg, NULL, NULL, NULL, p8) || alg == NULL)
        return 0;
    switch (OBJ_obj2nid(alg)) {
    case NID_rsaEncryption:
    case NID_rsassaPss:
    case NID_X9_62_id_ecPublicKey:
    case NID_ED25519:
    case NID_ED448:
        return 1;
    default:
        return 0;
    }
}

static int key_from_p8(const PKCS8_PRIV_KEY_INFO *p8, EVP_PKEY **out)
{
    if (!pkcs8_algorithm_supported(p8))
        return GNUTLS_E_UNKNOWN_PK_ALGORITHM;
    *out = EVP_PKCS82PKEY(p8);
    /* The algorithm is known, so the key inside its OCTET STRING is malformed. */
    return *out != NULL ? 0 : GNUTLS_E_ASN1_DER_ERROR;
}

/* PKCS#8 PrivateKeyInfo, exactly der. 1 with *ret set when der is one (parsed or failed
 * in its key), 0 when it is not a PrivateKeyInfo at all. */
static int try_pkcs8(const uint8_t *der, size_t len, EVP_PKEY **out, int *ret)
{
    const unsigned char *p = der;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);

    if (p8 == NULL)
        return 0;
    if ((size_t)(p - der) != len) {
        PKCS8_PRIV_KEY_INFO_free(p8);
        return 0;
    }
    *ret = key_from_p8(p8, out);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return 1;
}

/* EncryptedPrivateKeyInfo, exactly der; same convention as try_pkcs8. */
static int try_pkcs8_encrypted(const uint8_t *der, size_t len, const char *pass,
                               EVP_PKEY **out, int *ret)
{
    const unsigned char *p = der;
    X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)len);
    PKCS8_PRIV_KEY_INFO *p8;

    if (sig == NULL)
        return 0;
    if ((size_t)(p - der) != len) {
        X509_SIG_free(sig);
        return 0;
    }
    if (pass == NULL) {
        /* GnuTLS: an encrypted key without a password fails to decrypt. */
        X509_SIG_free(sig);
        *ret = GNUTLS_E_DECRYPTION_FAILED;
        return 1;
    }
    p8 = PKCS8_decrypt(sig, pass, (int)strlen(pass));
    X509_SIG_free(sig);
    if (p8 == NULL) {
        *ret = GNUTLS_E_DECRYPTION_FAILED;
        return 1;
    }
    *ret = key_from_p8(p8, out);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return 1;
}

/* A type-specific private key (PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey), exactly der. */
static int try_type_specific(const uint8_t *der, size_t len, const char *key_type,
                             EVP_PKEY **out)
{
    EVP_PKEY *pkey = NULL;
    const unsigned char *p = der;
    size_t left = len;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", "type-specific",
                                                           key_type, OSSL_KEYMGMT_SELECT_KEYPAIR,
                                                           NULL, NULL);
    int ok;

    if (dctx == NULL)
        return 0;
    ok = OSSL_DECODER_from_data(dctx, &p, &left) && pkey != NULL && left == 0;
    OSSL_DECODER_CTX_free(dctx);
    if (!ok) {
        EVP_PKEY_free(pkey);
        return 0;
    }
    *out = pkey;
    return 1;
}

/* The key in one PEM block's DER of the given syntax. */
static int key_from_block(const uint8_t *der, size_t len, key_syntax syntax, const char *pass,
                          EVP_PKEY **out)
{
    int ret = 0;

    switch (syntax) {
    case KEY_PKCS1_RSA:
        /* GnuTLS reports a bad PKCS#1 or SEC1 body as a DER error. */
        if (!try_type_specific(der, len, "RSA", out))
            return keel_x509_fail(GNUTLS_E_ASN1_DER_ERROR);
        return 0;
    case KEY_SEC1_EC:
        if (!try_type_specific(der, len, "EC", out))
            return keel_x509_fail(GNUTLS_E_ASN1_DER_ERROR);
        return 0;
    case KEY_PKCS8:
        if (!try_pkcs8(der, len, out, &ret))
            return keel_x509_der_error(der, len);
        return ret;
    case KEY_PKCS8_ENCRYPTED:
        if (!try_pkcs8_encrypted(der, len, pass, out, &ret))
            return keel_x509_der_error(der, len);
        return ret;
    default:
        return GNUTLS_E_INTERNAL_ERROR;
    }
}

/* DER of unknown syntax: each one Keel reads, most common first. */
static int key_from_der(const uint8_t *der, size_t len, const char *pass, EVP_PKEY **out)
{
    int ret = 0;

    if (len == 0)
        return GNUTLS_E_ASN1_TAG_ERROR;
    if (len > LONG_MAX)
        return GNUTLS_E_ASN1_DER_ERROR;
    if (try_pkcs8(der, len, out, &ret))
        return ret;
    if (try_type_specific(der, len, "RSA", out) || try_type_specific(der, len, "EC", out))
        return 0;
    if (try_pkcs8_encrypted(der, len, pass, out, &ret))
        return ret;
    return keel_x509_der_error(der, len);
}

/* Feeds the caller's password to PEM_do_header; never prompts. */
static int pem_password(char *buf, int size, int rwflag, void *u)
{
    const char *pass = u;
    size_t len;

    (void)rwflag;
    if (pass == NULL || size <= 0)
        return -1;
    len = strlen(pass);
    if (len > (size_t)size)
        return -1;
    memcpy(buf, pass, len);
    return (int)len;
}

static int key_syntax_of(const char *name, key_syntax *syntax)
{
    if (strcmp(name, PEM_STRING_RSA) == 0)
        *syntax = KEY_PKCS1_RSA;
    else if (strcmp(name, PEM_STRING_ECPRIVATEKEY) == 0)
        *syntax = KEY_SEC1_EC;
    else if (strcmp(name, PEM_STRING_PKCS8INF) == 0)
        *syntax = KEY_PKCS8;
    else if (strcmp(name, PEM_STRING_PKCS8) == 0)
        *syntax = KEY_PKCS8_ENCRYPTED;
    else
        return 0;
    return 1;
}

static int key_from_pem(const gnutls_datum_t *data, const char *pass, EVP_PKEY **out)
{
    pem_block b = { 0 };
    BIO *bio;
    key_syntax syntax;
    EVP_CIPHER_INFO cipher;
    int ret, r;

    /* GnuTLS: PEM input without any key block: "requested data not available". */
    CHECK(data->size > 0, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    bio = mem_bio(data);
    CHECK(bio != NULL, GNUTLS_E_MEMORY_ERROR);
    for (;;) {
        r = next_pem_block(bio, &b);
        CHECK_OUT(r != 0, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
        TRY_OUT(r);
        CHECK_OUT(strcmp(b.name, PEM_STRING_DSA) != 0, GNUTLS_E_UNKNOWN_PK_ALGORITHM);
        if (key_syntax_of(b.name, &syntax))
            break;
        pem_block_free(&b);
    }

    /* Legacy OpenSSL encryption: "Proc-Type: 4,ENCRYPTED" and "DEK-Info" headers. */
    CHECK_OUT(PEM_get_EVP_CIPHER_INFO(b.header, &cipher), GNUTLS_E_BASE64_DECODING_ERROR);
    if (cipher.cipher != NULL) {
        CHECK_OUT(pass != NULL, GNUTLS_E_DECRYPTION_FAILED);
        CHECK_OUT(PEM_do_header(&cipher, b.data, &b.len, pem_password, (void *)pass),
                  GNUTLS_E_DECRYPTION_FAILED);
    }
    ret = key_from_block(b.data, (size_t)b.len, syntax, pass, out);
    /* A wrong password can decrypt to bytes with valid padding: garbage DER. */
    if (cipher.cipher != NULL && (ret == GNUTLS_E_ASN1_DER_ERROR || ret == GNUTLS_E_ASN1_TAG_ERROR))
        ret = GNUTLS_E_DECRYPTION_FAILED;
out:
    pem_block_free(&b);
    BIO_free(bio);
    return keel_x509_fail(ret);
}

int keel_load_private_key(const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt,
                          const char *pass, keel_pkey **out)
{
    EVP_PKEY *pkey = NULL;
    int ret;

    *out = NULL;
    CHECK(data != NULL && (data->data != NULL || data->size == 0), GNUTLS_E_INVALID_REQUEST);
    if (fmt == GNUTLS_X509_FMT_PEM) {
        ret = key_from_pem(data, pass, &pkey);
    } else {
        /* As in GnuTLS, every format other than PEM is DER. */
        ret = key_from_der(data->data, data->size, pass, &pkey);
    }
    ERR_clear_error();
    if (ret < 0) {
        EVP_PKEY_free(pkey);
        return ret;
    }
    /* Takes ownership of pkey, also on failure (unsupported curve: UNKNOWN_PK_ALGORITHM). */
    return keel_x509_fail(keel_pkey_wrap(pkey, out));
}
