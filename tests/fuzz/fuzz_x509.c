/* libFuzzer target for the certificate and key loaders: the input is read as a PEM and as a
 * DER certificate chain, as a PEM and a DER private key, as a peer certificate (through the
 * shared peer cache), and split in two as a certificate/key pair for the credentials API.
 * Every result must be an error code or a usable object; the sanitizers do the rest.
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_x509.c \
 *         <library sources or libkeel.a> -lcrypto -lpthread */
#include <stdlib.h>
#include "keel.h"
#include "crypto/crypto.h"
#include "x509/x509.h"
#include "creds/creds.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (gnutls_global_init() < 0)
        abort();
    return 0;
}

static void check_chain(const gnutls_datum_t *d, gnutls_x509_crt_fmt_t fmt)
{
    keel_cert **chain = NULL;
    unsigned n = 0;
    size_t len;

    if (keel_load_cert_chain(d, fmt, &chain, &n) == 0) {
        if (n == 0 || chain == NULL)
            abort();
        for (unsigned i = 0; i < n; i++)
            if (keel_cert_der(chain[i], &len) == NULL || len == 0)
                abort();
    } else if (chain != NULL || n != 0) {
        abort();
    }
    keel_cert_chain_free(chain, n);
}

static void check_key(const gnutls_datum_t *d, gnutls_x509_crt_fmt_t fmt)
{
    keel_pkey *k = NULL;

    if (keel_load_private_key(d, fmt, NULL, &k) == 0) {
        if (k == NULL || keel_pkey_type(k) == KEEL_PK_NONE)
            abort();
        keel_pkey_unref(k);
    } else if (k != NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gnutls_datum_t d = { (unsigned char *)data, (unsigned)size };
    gnutls_certificate_credentials_t cred;
    keel_pkey *pub = NULL;
    size_t split;

    if (size > (1u << 20))
        return 0;
    check_chain(&d, GNUTLS_X509_FMT_PEM);
    check_chain(&d, GNUTLS_X509_FMT_DER);
    check_key(&d, GNUTLS_X509_FMT_PEM);
    check_key(&d, GNUTLS_X509_FMT_DER);

    if (keel_peer_pubkey_from_der(data, size, &pub) == 0)
        keel_pkey_unref(pub);

    /* First byte: where the certificate part ends and the key part begins. */
    if (size > 1 && gnutls_certificate_allocate_credentials(&cred) == 0) {
        gnutls_datum_t cert, key;
        split = 1 + (size_t)data[0] * (size - 1) / 256;
        cert.data = (unsigned char *)data + 1;
        cert.size = (unsigned)(split - 1);
        key.data = (unsigned char *)data + split;
        key.size = (unsigned)(size - split);
        (void)gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_PEM, NULL, 0);
        (void)gnutls_certificate_set_x509_key_mem2(cred, &cert, &key, GNUTLS_X509_FMT_DER, NULL, 0);
        gnutls_certificate_free_credentials(cred);
    }
    return 0;
}
