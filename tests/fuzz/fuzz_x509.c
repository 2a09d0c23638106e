/* libFuzzer target for the certificate and key loaders: the input is read as a PEM and as a
 * DER certificate chain, as a PEM and a DER private key, as a peer certificate (through the
 * shared peer cache), and split in two as a certificate/key pair for the credentials API;
 * as a <gnutls/x509.h> certificate (import, every getter, both prints), as a trust list and
 * a CRL, and as a peer chain verified against a trust list made of itself.
 * Every result must be an error code or a usable object; the sanitizers do the rest.
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_x509.c \
 *         <library sources or libkeel.a> -lcrypto -lpthread */
#include <stdlib.h>
#include "keel.h"
#include "crypto/crypto.h"
#include "x509/x509.h"
#include "creds/creds.h"
#include <gnutls/x509.h>

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

static void check_crt_api(const gnutls_datum_t *d, gnutls_x509_crt_fmt_t fmt)
{
    gnutls_x509_crt_t c;
    gnutls_datum_t out;
    unsigned char buf[512];
    size_t len;
    unsigned bits, crit;

    if (gnutls_x509_crt_init(&c) < 0)
        abort();
    if (gnutls_x509_crt_import(c, d, fmt) == 0) {
        if (gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_ONELINE, &out) == 0)
            gnutls_free(out.data);
        if (gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_FULL, &out) == 0)
            gnutls_free(out.data);
        if (gnutls_x509_crt_get_dn2(c, &out) == 0)
            gnutls_free(out.data);
        if (gnutls_x509_crt_get_issuer_dn3(c, &out, 0) == 0)
            gnutls_free(out.data);
        if (gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_PEM, &out) == 0)
            gnutls_free(out.data);
        len = sizeof buf;
        (void)gnutls_x509_crt_get_serial(c, buf, &len);
        (void)gnutls_x509_crt_get_pk_algorithm(c, &bits);
        (void)gnutls_x509_crt_get_signature_algorithm(c);
        (void)gnutls_x509_crt_get_activation_time(c);
        (void)gnutls_x509_crt_get_expiration_time(c);
        for (unsigned i = 0; i < 8; i++) {
            len = sizeof buf;
            if (gnutls_x509_crt_get_subject_alt_name(c, i, buf, &len, &crit) ==
                GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
                break;
        }
        {
            unsigned ku, crit;
            (void)gnutls_x509_crt_get_key_usage(c, &ku, &crit);
            (void)gnutls_x509_crt_get_ca_status(c, &crit);
            len = sizeof buf;
            (void)gnutls_x509_crt_get_key_purpose_oid(c, 0, buf, &len, &crit);
            len = sizeof buf;
            (void)gnutls_x509_crt_get_fingerprint(c, GNUTLS_DIG_SHA256, buf, &len);
        }
        (void)gnutls_x509_crt_check_hostname(c, "www.example.com");
        (void)gnutls_x509_crt_check_hostname(c, "192.0.2.1");
    }
    gnutls_x509_crt_deinit(c);
}

/* The input's certificates as a peer chain, verified against a trust list of the same
 * certificates plus the input as CRLs: exercises chain building on hostile chains. */
static void check_verify(const gnutls_datum_t *d)
{
    keel_cert **chain = NULL;
    unsigned n = 0, status;
    keel_trust *t;
    gnutls_datum_t der[8];
    keel_verify_req req = { "www.example.com", "1.3.6.1.5.5.7.3.1", 0, 1893456000, NULL };

    if (keel_trust_new(&t) < 0)
        abort();
    (void)keel_trust_add_cas(t, d, GNUTLS_X509_FMT_PEM);
    (void)keel_trust_add_crls(t, d, GNUTLS_X509_FMT_PEM);
    (void)keel_trust_add_crls(t, d, GNUTLS_X509_FMT_DER);
    if (keel_load_cert_chain(d, GNUTLS_X509_FMT_PEM, &chain, &n) == 0 && n <= 8) {
        for (unsigned i = 0; i < n; i++) {
            size_t len;
            der[i].data = (unsigned char *)keel_cert_der(chain[i], &len);
            der[i].size = (unsigned)len;
        }
        (void)keel_verify_chain(t, der, n, &req, &status);
        (void)keel_verify_chain(NULL, der, n, &req, &status);
    }
    keel_cert_chain_free(chain, n);
    keel_trust_free(t);
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
    check_crt_api(&d, GNUTLS_X509_FMT_PEM);
    check_crt_api(&d, GNUTLS_X509_FMT_DER);
    check_verify(&d);

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
