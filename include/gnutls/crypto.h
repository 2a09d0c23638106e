/* Keel's <gnutls/crypto.h>: GnuTLS's low-level crypto API.
 * Constants carry GnuTLS 3.7.9's values; functions are declared here as they are implemented. */
#ifndef GNUTLS_CRYPTO_H
#define GNUTLS_CRYPTO_H

#include <gnutls/gnutls.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gnutls_cipher_flags_t {
    GNUTLS_CIPHER_PADDING_PKCS7 = 1
} gnutls_cipher_flags_t;

typedef enum gnutls_rnd_level {
    GNUTLS_RND_NONCE = 0,
    GNUTLS_RND_RANDOM = 1,
    GNUTLS_RND_KEY = 2
} gnutls_rnd_level_t;

/* Functions arrive here as they are implemented; gnutls_rnd() belongs in this header,
 * as in GnuTLS. */

/* random (src/api/global.c) */
int gnutls_rnd(gnutls_rnd_level_t level, void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* GNUTLS_CRYPTO_H */
