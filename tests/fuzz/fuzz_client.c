/* libFuzzer target: a whole TLS client (every version and extension it offers, and an
 * ECDSA certificate for a server that asks) reading its peer's bytes from the fuzzer input,
 * with deterministic randomness and x25519 share (fuzz_peer.h, fuzz_params.h). The key
 * files are read from $KEEL_SRCDIR/tests/data (default: the current directory).
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_client.c \
 *         <library sources> -lcrypto -lpthread */
#include "fuzz_peer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_certificate_credentials_t cred;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (gnutls_global_init() < 0 || fuzz_client_credentials(&cred) < 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gnutls_session_t s;

    if (gnutls_init(&s, GNUTLS_CLIENT) < 0 || fuzz_client_setup(s, cred) < 0)
        abort();
    fuzz_run(s, data, size);
    gnutls_deinit(s);
    return 0;
}
