/* <gnutls/x509.h>: gnutls_x509_crt_* on the PKI of tests/data/verify (values that do not
 * depend on the generated keys; tests/unit/verify_vs_tools.sh compares everything else with
 * the real GnuTLS), GnuTLS's buffer conventions, and bad input: every truncation, every
 * single-byte corruption, wrong tags and absurd lengths give an error code or a certificate
 * that prints and verifies, never a crash. */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "session.h"
#include "x509/x509.h"
#undef CHECK
#include "harness.h"

#define DIR "tests/data/verify/"

static int load_file(const char *path, gnutls_datum_t *d)
{
    FILE *f = fopen(path, "rb");
    long len;

    d->data = NULL;
    d->size = 0;
    if (f == NULL)
        return -1;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    d->data = gnutls_malloc((size_t)len + 1);
    if (d->data == NULL || fread(d->data, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        return -1;
    }
    fclose(f);
    d->size = (unsigned)len;
    return 0;
}

static gnutls_x509_crt_t import_file(const char *path)
{
    gnutls_datum_t d;
    gnutls_x509_crt_t c;

    if (load_file(path, &d) < 0 || gnutls_x509_crt_init(&c) < 0)
        return NULL;
    if (gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM) < 0) {
        gnutls_x509_crt_deinit(c);
        c = NULL;
    }
    gnutls_free(d.data);
    return c;
}

static void check_str(const gnutls_datum_t *d, const char *want)
{
    if (d->data == NULL || strcmp((const char *)d->data, want) != 0) {
        fprintf(stderr, "  got [%s] want [%s]\n", d->data ? (const char *)d->data : "(null)", want);
        CHECK(0);
    }
    CHECK_INT(d->size, strlen(want));
}

static void test_names_and_facts(void)
{
    gnutls_x509_crt_t c = import_file(DIR "inter-cert.pem");
    gnutls_datum_t d;
    unsigned bits = 0;
    char buf[256];
    size_t size;

    REQUIRE(c != NULL);
    /* GnuTLS: the "2" forms keep the DER order ("compat"), the "3" forms RFC 4514's. */
    CHECK_INT(gnutls_x509_crt_get_dn2(c, &d), 0);
    check_str(&d, "O=Keel Test,CN=Keel Verify Intermediate");
    gnutls_free(d.data);
    CHECK_INT(gnutls_x509_crt_get_issuer_dn2(c, &d), 0);
    check_str(&d, "O=Keel Test,CN=Keel Verify Root");
    gnutls_free(d.data);
    CHECK_INT(gnutls_x509_crt_get_dn3(c, &d, 0), 0);
    check_str(&d, "CN=Keel Verify Intermediate,O=Keel Test");
    gnutls_free(d.data);
    CHECK_INT(gnutls_x509_crt_get_issuer_dn3(c, &d, 0), 0);
    check_str(&d, "CN=Keel Verify Root,O=Keel Test");
    gnutls_free(d.data);
    CHECK_INT(gnutls_x509_crt_get_dn3(c, &d, GNUTLS_X509_DN_FLAG_COMPAT), 0);
    check_str(&d, "O=Keel Test,CN=Keel Verify Intermediate");
    gnutls_free(d.data);
    /* Buffer form: too small -> SHORT_MEMORY_BUFFER with the size needed (NUL included). */
    size = 4;
    CHECK_INT(gnutls_x509_crt_get_dn(c, buf, &size), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(size, strlen("O=Keel Test,CN=Keel Verify Intermediate") + 1);
    CHECK_INT(gnutls_x509_crt_get_dn(c, buf, &size), 0);
    CHECK_INT(size, strlen("O=Keel Test,CN=Keel Verify Intermediate"));
    CHECK(strcmp(buf, "O=Keel Test,CN=Keel Verify Intermediate") == 0);
    CHECK_INT(gnutls_x509_crt_get_version(c), 3);
    CHECK_INT(gnutls_x509_crt_get_activation_time(c), 1735689600);     /* 2025-01-01 */
    CHECK_INT(gnutls_x509_crt_get_expiration_time(c), 2366841600);     /* 2045-01-01 */
    CHECK_INT(gnutls_x509_crt_get_pk_algorithm(c, &bits), GNUTLS_PK_ECDSA);
    CHECK_INT(bits, 256);
    CHECK_INT(gnutls_x509_crt_get_signature_algorithm(c), GNUTLS_SIGN_ECDSA_SHA256);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 0, buf, &size, NULL),
              GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    {
        unsigned ku = 0, crit = 0;
        CHECK_INT(gnutls_x509_crt_get_ca_status(c, &crit), 1);
        CHECK_INT(crit, 1);
        CHECK_INT(gnutls_x509_crt_get_key_usage(c, &ku, &crit), 0);
        CHECK_INT(ku, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
        CHECK_INT(crit, 1);
        size = sizeof buf;
        CHECK_INT(gnutls_x509_crt_get_key_purpose_oid(c, 0, buf, &size, NULL),
                  GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
        size = sizeof buf;
        CHECK_INT(gnutls_x509_crt_get_fingerprint(c, GNUTLS_DIG_SHA256, buf, &size), 0);
        CHECK_INT(size, 32);
    }
    gnutls_x509_crt_deinit(c);

    c = import_file(DIR "leaf-rsa-cert.pem");
    REQUIRE(c != NULL);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_key_purpose_oid(c, 1, buf, &size, NULL), 0);
    CHECK(strcmp(buf, GNUTLS_KP_TLS_WWW_CLIENT) == 0);
    CHECK_INT(size, strlen(GNUTLS_KP_TLS_WWW_CLIENT));
    CHECK_INT(gnutls_x509_crt_get_ca_status(c, NULL), 0);
    CHECK_INT(gnutls_x509_crt_get_pk_algorithm(c, &bits), GNUTLS_PK_RSA);
    CHECK_INT(bits, 2048);
    gnutls_x509_crt_deinit(c);
    c = import_file(DIR "leaf-ed25519-cert.pem");
    REQUIRE(c != NULL);
    CHECK_INT(gnutls_x509_crt_get_pk_algorithm(c, &bits), GNUTLS_PK_EDDSA_ED25519);
    CHECK_INT(bits, 256);
    gnutls_x509_crt_deinit(c);
}

static void test_serial(void)
{
    gnutls_x509_crt_t c = import_file(DIR "root-cert.pem");
    unsigned char buf[32];
    size_t size = 1;

    REQUIRE(c != NULL);
    /* The script numbers certificates from 0x1001 in order: the root is the first. */
    CHECK_INT(gnutls_x509_crt_get_serial(c, buf, &size), GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(size, 2);
    CHECK_INT(gnutls_x509_crt_get_serial(c, buf, &size), 0);
    CHECK_INT(size, 2);
    CHECK_INT(buf[0], 0x10);
    CHECK_INT(buf[1], 0x01);
    gnutls_x509_crt_deinit(c);
}

static void test_subject_alt_names(void)
{
    gnutls_x509_crt_t c = import_file(DIR "ipsan-cert.pem");
    unsigned char buf[64];
    size_t size;
    unsigned crit = 9;
    static const unsigned char v4[4] = { 192, 0, 2, 7 };

    REQUIRE(c != NULL);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 0, buf, &size, &crit), GNUTLS_SAN_IPADDRESS);
    CHECK_INT(size, 4);
    CHECK_MEM(buf, v4, 4);
    CHECK_INT(crit, 0);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 1, buf, &size, NULL), GNUTLS_SAN_IPADDRESS);
    CHECK_INT(size, 16);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 2, buf, &size, NULL),
              GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    CHECK(gnutls_x509_crt_check_hostname(c, "192.0.2.7"));
    CHECK(!gnutls_x509_crt_check_hostname(c, "192.0.2.8"));
    gnutls_x509_crt_deinit(c);

    c = import_file(DIR "leaf-ecdsa-cert.pem");
    REQUIRE(c != NULL);
    size = 3;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 0, buf, &size, NULL),
              GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(size, strlen("www.keel.test") + 1);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 0, buf, &size, NULL), GNUTLS_SAN_DNSNAME);
    CHECK_INT(size, strlen("www.keel.test"));
    CHECK(strcmp((char *)buf, "www.keel.test") == 0);
    size = sizeof buf;
    CHECK_INT(gnutls_x509_crt_get_subject_alt_name(c, 1, buf, &size, NULL), GNUTLS_SAN_DNSNAME);
    CHECK(strcmp((char *)buf, "keel.test") == 0);
    CHECK(gnutls_x509_crt_check_hostname(c, "www.keel.test"));
    CHECK(gnutls_x509_crt_check_hostname(c, "WWW.KEEL.TEST"));
    CHECK(!gnutls_x509_crt_check_hostname(c, "keel.test.example"));
    CHECK(!gnutls_x509_crt_check_hostname(c, ""));
    gnutls_x509_crt_deinit(c);

    c = import_file(DIR "wildcard-cert.pem");
    REQUIRE(c != NULL);
    CHECK(gnutls_x509_crt_check_hostname(c, "x.wild.keel.test"));
    CHECK(!gnutls_x509_crt_check_hostname2(c, "x.wild.keel.test", GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS));
    CHECK(!gnutls_x509_crt_check_hostname(c, "y.x.wild.keel.test"));
    gnutls_x509_crt_deinit(c);
}

static void test_import_export(void)
{
    gnutls_datum_t pem, der, again;
    gnutls_x509_crt_t c, c2, list[4];
    gnutls_x509_crt_t *alloc = NULL;
    unsigned n;
    size_t size = 0;

    REQUIRE(load_file(DIR "leaf-pathlen-chain.pem", &pem) == 0);
    REQUIRE(gnutls_x509_crt_init(&c) == 0);
    /* PEM with several certificates: the first. */
    CHECK_INT(gnutls_x509_crt_import(c, &pem, GNUTLS_X509_FMT_PEM), 0);
    CHECK_INT(gnutls_x509_crt_export(c, GNUTLS_X509_FMT_DER, NULL, &size),
              GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(size > 100);
    CHECK_INT(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der), 0);
    CHECK_INT(der.size, size);
    REQUIRE(gnutls_x509_crt_init(&c2) == 0);
    CHECK_INT(gnutls_x509_crt_import(c2, &der, GNUTLS_X509_FMT_DER), 0);
    CHECK_INT(gnutls_x509_crt_export2(c2, GNUTLS_X509_FMT_PEM, &again), 0);
    CHECK(again.size > der.size);
    CHECK(memcmp(again.data, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
    CHECK(memcmp(pem.data, again.data, again.size) == 0);
    gnutls_free(again.data);
    gnutls_free(der.data);
    gnutls_x509_crt_deinit(c2);
    gnutls_x509_crt_deinit(c);

    n = 4;
    CHECK_INT(gnutls_x509_crt_list_import(list, &n, &pem, GNUTLS_X509_FMT_PEM, 0), 3);
    CHECK_INT(n, 3);
    for (unsigned i = 0; i < n; i++)
        gnutls_x509_crt_deinit(list[i]);
    n = 2;
    CHECK_INT(gnutls_x509_crt_list_import(list, &n, &pem, GNUTLS_X509_FMT_PEM,
                                          GNUTLS_X509_CRT_LIST_IMPORT_FAIL_IF_EXCEED),
              GNUTLS_E_SHORT_MEMORY_BUFFER);
    CHECK_INT(n, 3);
    CHECK_INT(gnutls_x509_crt_list_import2(&alloc, &n, &pem, GNUTLS_X509_FMT_PEM, 0), 0);
    CHECK_INT(n, 3);
    for (unsigned i = 0; i < n; i++)
        gnutls_x509_crt_deinit(alloc[i]);
    gnutls_free(alloc);
    gnutls_free(pem.data);

    /* Not imported yet. */
    REQUIRE(gnutls_x509_crt_init(&c) == 0);
    CHECK_INT(gnutls_x509_crt_get_dn2(c, &der), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_ONELINE, &der), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_x509_crt_get_activation_time(c), -1);
    CHECK(!gnutls_x509_crt_check_hostname(c, "www.keel.test"));
    gnutls_x509_crt_deinit(c);
}

static void test_print(void)
{
    gnutls_x509_crt_t c = import_file(DIR "ipsan-cert.pem");
    gnutls_datum_t out;
    const char *p;

    REQUIRE(c != NULL);
    CHECK_INT(gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_ONELINE, &out), 0);
    p = (const char *)out.data;
    CHECK(strstr(p, "subject `CN=192.0.2.7', issuer `CN=Keel Verify Intermediate,O=Keel Test', "
                    "serial 0x") == p);
    CHECK(strstr(p, ", EC/ECDSA key 256 bits, signed using ECDSA-SHA256, activated "
                    "`2025-01-01 00:00:00 UTC', expires `2045-01-01 00:00:00 UTC', pin-sha256=\"") != NULL);
    CHECK(strchr(p, '\n') == NULL);
    CHECK_INT(out.size, strlen(p));
    gnutls_free(out.data);

    CHECK_INT(gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_FULL, &out), 0);
    p = (const char *)out.data;
    CHECK(strstr(p, "X.509 Certificate Information:\n\tVersion: 3\n\tSerial Number (hex): ") == p);
    CHECK(strstr(p, "\tIssuer: CN=Keel Verify Intermediate,O=Keel Test\n\tValidity:\n"
                    "\t\tNot Before: Wed Jan 01 00:00:00 UTC 2025\n"
                    "\t\tNot After: Sun Jan 01 00:00:00 UTC 2045\n\tSubject: CN=192.0.2.7\n"
                    "\tSubject Public Key Algorithm: EC/ECDSA\n"
                    "\tAlgorithm Security Level: High (256 bits)\n") != NULL);
    CHECK(strstr(p, "\t\tBasic Constraints (critical):\n\t\t\tCertificate Authority (CA): FALSE\n") != NULL);
    CHECK(strstr(p, "\t\tKey Usage (critical):\n\t\t\tDigital signature.\n\t\t\tKey encipherment.\n") != NULL);
    CHECK(strstr(p, "\t\tKey Purpose (not critical):\n\t\t\tTLS WWW Server.\n\t\t\tTLS WWW Client.\n") != NULL);
    CHECK(strstr(p, "\t\tSubject Alternative Name (not critical):\n\t\t\tIPAddress: 192.0.2.7\n"
                    "\t\t\tIPAddress: 2001:db8::7\n") != NULL);
    CHECK(strstr(p, "\tSignature Algorithm: ECDSA-SHA256\n") != NULL);
    CHECK(strstr(p, "Other Information:\n\tFingerprint:\n\t\tsha1:") != NULL);
    CHECK(strstr(p, "\tPublic Key PIN:\n\t\tpin-sha256:") != NULL);
    gnutls_free(out.data);
    CHECK_INT(gnutls_x509_crt_print(c, (gnutls_certificate_print_formats_t)99, &out),
              GNUTLS_E_INVALID_REQUEST);
    gnutls_x509_crt_deinit(c);

    c = import_file(DIR "critext-cert.pem");
    REQUIRE(c != NULL);
    CHECK_INT(gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_FULL, &out), 0);
    CHECK(strstr((const char *)out.data, "Unknown extension 1.3.6.1.4.1.55555.1.1 (critical):") != NULL);
    gnutls_free(out.data);
    gnutls_x509_crt_deinit(c);
}

/* ---- bad input ---- */

static int is_parse_error(int ret)
{
    return ret == GNUTLS_E_ASN1_DER_ERROR || ret == GNUTLS_E_ASN1_TAG_ERROR ||
           ret == GNUTLS_E_MEMORY_ERROR;
}

/* A certificate that imports must also print, give its facts and verify without trouble. */
static void exercise(gnutls_x509_crt_t c, const gnutls_datum_t *der)
{
    gnutls_datum_t out;
    char buf[256];
    size_t size = sizeof buf;
    unsigned status, bits;
    keel_verify_req req = { "www.keel.test", GNUTLS_KP_TLS_WWW_SERVER, 0, 1893456000, NULL };

    if (gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_ONELINE, &out) == 0)
        gnutls_free(out.data);
    if (gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_FULL, &out) == 0)
        gnutls_free(out.data);
    if (gnutls_x509_crt_get_dn2(c, &out) == 0)
        gnutls_free(out.data);
    (void)gnutls_x509_crt_get_serial(c, buf, &size);
    (void)gnutls_x509_crt_get_pk_algorithm(c, &bits);
    for (unsigned i = 0; i < 4; i++) {
        size = sizeof buf;
        (void)gnutls_x509_crt_get_subject_alt_name(c, i, buf, &size, NULL);
    }
    (void)gnutls_x509_crt_check_hostname(c, "www.keel.test");
    if (keel_verify_chain(NULL, der, 1, &req, &status) == 0)
        CHECK(status != 0);         /* nothing is trusted */
}

static void test_truncations(void)
{
    gnutls_x509_crt_t c = import_file(DIR "leaf-ecdsa-cert.pem"), t;
    gnutls_datum_t der, cut;
    unsigned bad = 0;

    REQUIRE(c != NULL);
    REQUIRE(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der) == 0);
    REQUIRE(gnutls_x509_crt_init(&t) == 0);
    for (unsigned len = 0; len < der.size; len++) {
        int ret;
        cut.data = der.data;
        cut.size = len;
        ret = gnutls_x509_crt_import(t, &cut, GNUTLS_X509_FMT_DER);
        if (!is_parse_error(ret))
            bad++;
    }
    CHECK_INT(bad, 0);
    /* Bytes after the certificate. */
    {
        unsigned char *longer = malloc(der.size + 1);
        memcpy(longer, der.data, der.size);
        longer[der.size] = 0;
        cut.data = longer;
        cut.size = der.size + 1;
        CHECK_INT(gnutls_x509_crt_import(t, &cut, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_DER_ERROR);
        free(longer);
    }
    gnutls_x509_crt_deinit(t);
    gnutls_free(der.data);
    gnutls_x509_crt_deinit(c);
}

static void test_corruptions(void)
{
    gnutls_x509_crt_t c = import_file(DIR "leaf-rsa-cert.pem"), t;
    gnutls_datum_t der, mod;
    unsigned char *copy;
    static const unsigned char values[] = { 0x00, 0xff, 0x80, 0x30, 0x05, 0x7f };
    unsigned imported = 0, failed = 0, odd = 0;

    REQUIRE(c != NULL);
    REQUIRE(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der) == 0);
    copy = malloc(der.size);
    mod.data = copy;
    mod.size = der.size;
    /* Every byte set to values that break tags, lengths and contents. */
    for (unsigned i = 0; i < der.size; i++) {
        for (unsigned v = 0; v < sizeof values; v++) {
            int ret;
            if (der.data[i] == values[v])
                continue;
            memcpy(copy, der.data, der.size);
            copy[i] = values[v];
            REQUIRE(gnutls_x509_crt_init(&t) == 0);
            ret = gnutls_x509_crt_import(t, &mod, GNUTLS_X509_FMT_DER);
            if (ret == 0) {
                imported++;
                exercise(t, &mod);
            } else if (is_parse_error(ret)) {
                failed++;
            } else {
                odd++;
                fprintf(stderr, "  byte %u = %02x: %d\n", i, values[v], ret);
            }
            gnutls_x509_crt_deinit(t);
        }
    }
    CHECK_INT(odd, 0);
    CHECK(failed > 0 && imported > 0);
    free(copy);
    gnutls_free(der.data);
    gnutls_x509_crt_deinit(c);
}

static void test_hand_made_garbage(void)
{
    gnutls_x509_crt_t t;
    static const unsigned char wrong_tag[] = { 0x31, 0x03, 0x02, 0x01, 0x00 };
    static const unsigned char huge_len[] = { 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00 };
    static const unsigned char indefinite[] = { 0x30, 0x80, 0x30, 0x00, 0x00, 0x00 };
    static const unsigned char long_form_overflow[] = { 0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    static const unsigned char empty_seq[] = { 0x30, 0x00 };
    static const unsigned char inner_int[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
    static const char bad_pem[] = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    static const char no_end[] = "-----BEGIN CERTIFICATE-----\nMIIB\n";
    static const char no_block[] = "hello\n";
    const struct { const void *p; size_t n; gnutls_x509_crt_fmt_t fmt; } cases[] = {
        { wrong_tag, sizeof wrong_tag, GNUTLS_X509_FMT_DER },
        { huge_len, sizeof huge_len, GNUTLS_X509_FMT_DER },
        { indefinite, sizeof indefinite, GNUTLS_X509_FMT_DER },
        { long_form_overflow, sizeof long_form_overflow, GNUTLS_X509_FMT_DER },
        { empty_seq, sizeof empty_seq, GNUTLS_X509_FMT_DER },
        { inner_int, sizeof inner_int, GNUTLS_X509_FMT_DER },
        { "", 0, GNUTLS_X509_FMT_DER },
        { bad_pem, sizeof bad_pem - 1, GNUTLS_X509_FMT_PEM },
        { no_end, sizeof no_end - 1, GNUTLS_X509_FMT_PEM },
        { no_block, sizeof no_block - 1, GNUTLS_X509_FMT_PEM },
        { "", 0, GNUTLS_X509_FMT_PEM },
    };

    REQUIRE(gnutls_x509_crt_init(&t) == 0);
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(cases); i++) {
        gnutls_datum_t d = { (unsigned char *)cases[i].p, (unsigned)cases[i].n };
        int ret = gnutls_x509_crt_import(t, &d, cases[i].fmt);
        if (cases[i].fmt == GNUTLS_X509_FMT_DER)
            CHECK(is_parse_error(ret));
        else    /* as GnuTLS 3.7.9 for every PEM failure here */
            CHECK_INT(ret, GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
    }
    CHECK_INT(gnutls_x509_crt_import(t, NULL, GNUTLS_X509_FMT_DER), GNUTLS_E_INVALID_REQUEST);
    gnutls_x509_crt_deinit(t);
    gnutls_x509_crt_deinit(NULL);
}

int main(void)
{
    if (gnutls_global_init() < 0)
        return 1;
    RUN(test_names_and_facts);
    RUN(test_serial);
    RUN(test_subject_alt_names);
    RUN(test_import_export);
    RUN(test_print);
    RUN(test_truncations);
    RUN(test_corruptions);
    RUN(test_hand_made_garbage);
    gnutls_global_deinit();
    return t_done();
}
