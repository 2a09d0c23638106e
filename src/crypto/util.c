/* Wiping and constant-time comparison of secrets (declared in keel.h). */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "crypto/internal.h"

void keel_wipe(void *p, size_t n)
{
    /* glibc's explicit_bzero: a memset the compiler may not drop, without OPENSSL_cleanse's
     * call through a volatile pointer (it runs on every record that leaves plaintext in a
     * buffer). */
    if (p != NULL && n > 0)
        explicit_bzero(p, n);
}

int keel_memeq_secret(const void *a, const void *b, size_t n)
{
    if (n == 0)
        return 1;
    return CRYPTO_memcmp(a, b, n) == 0;
}

int keel_ossl_fail(int code)
{
    ERR_clear_error();
    return code;
}
