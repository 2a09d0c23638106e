/* libFuzzer target: a whole TLS client (every version and extension it offers) reading
 * its peer's bytes from the fuzzer input, with deterministic randomness (fuzz_peer.h).
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
    if (gnutls_global_init() < 0 || gnutls_certificate_allocate_credentials(&cred) < 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gnutls_session_t s;

    if (gnutls_init(&s, GNUTLS_CLIENT) < 0)
        abort();
    if (gnutls_priority_set_direct(s, "NORMAL", NULL) < 0 ||
        gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) < 0 ||
        gnutls_server_name_set(s, GNUTLS_NAME_DNS, "fuzz.example", 12) < 0)
        abort();
    fuzz_run(s, data, size);
    gnutls_deinit(s);
    return 0;
}
