/* libFuzzer target: a whole TLS server (ECDSA P-256 and RSA key pairs) reading its peer's
 * bytes from the fuzzer input, with deterministic randomness (fuzz_peer.h). The key files
 * are read from $KEEL_SRCDIR/tests/data (default: the current directory).
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_server.c \
 *         <library sources> -lcrypto -lpthread */
#include <stdio.h>
#include "fuzz_peer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_certificate_credentials_t cred;

static void add_pair(const char *cert, const char *key)
{
    const char *dir = getenv("KEEL_SRCDIR");
    char cp[512], kp[512];

    snprintf(cp, sizeof cp, "%s/tests/data/%s", dir ? dir : ".", cert);
    snprintf(kp, sizeof kp, "%s/tests/data/%s", dir ? dir : ".", key);
    if (gnutls_certificate_set_x509_key_file(cred, cp, kp, GNUTLS_X509_FMT_PEM) < 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (gnutls_global_init() < 0 || gnutls_certificate_allocate_credentials(&cred) < 0)
        abort();
    add_pair("ecdsa-p256-cert.pem", "ecdsa-p256-key.pem");
    add_pair("rsa-cert.pem", "rsa-key.pem");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gnutls_session_t s;

    if (gnutls_init(&s, GNUTLS_SERVER) < 0)
        abort();
    if (gnutls_priority_set_direct(s, "NORMAL", NULL) < 0 ||
        gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) < 0)
        abort();
    fuzz_run(s, data, size);
    gnutls_deinit(s);
    return 0;
}
