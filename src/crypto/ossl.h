/* Private glue between src/crypto/ and src/x509/: the libcrypto objects behind Keel's opaque
 * crypto types. Only files that may include <openssl/...> headers include this header. */
#ifndef KEEL_CRYPTO_OSSL_H
#define KEEL_CRYPTO_OSSL_H

#include <openssl/evp.h>
#include "crypto/crypto.h"

/* A reference-counted EVP_PKEY. type and bits are derived once at wrap time. */
struct keel_pkey {
    EVP_PKEY *pkey;
    int refs;               /* atomic (__atomic builtins): keys are shared across sessions */
    keel_pk_type type;
    unsigned bits;
    int has_private;
    /* An RSASSA-PSS key whose parameters (RFC 4055) allow only one hash: that hash (or a
     * value past KEEL_HASH_SHA512 when no TLS scheme fits them); else KEEL_HASH_NONE. */
    keel_hash_id pss_hash;
};

/* Wraps pkey into a new keel_pkey with one reference. Takes ownership of pkey in every
 * case: on failure (unsupported key type, e.g. DSA or an EC curve Keel does not use:
 * GNUTLS_E_UNKNOWN_PK_ALGORITHM; or GNUTLS_E_MEMORY_ERROR) pkey has been freed.
 * RSA keys whose type is "RSA-PSS" become KEEL_PK_RSA_PSS. */
int keel_pkey_wrap(EVP_PKEY *pkey, keel_pkey **out);

/* The EVP_PKEY inside (borrowed; EVP_PKEY_up_ref it to keep it). */
EVP_PKEY *keel_pkey_ossl(const keel_pkey *k);

/* The digest fetched at keel_crypto_init() (borrowed; NULL for KEEL_HASH_NONE). */
const EVP_MD *keel_ossl_md(keel_hash_id id);

#endif
