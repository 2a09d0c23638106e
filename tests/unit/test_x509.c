/* Certificates, private keys and certificate credentials: every key and certificate format
 * in tests/data/, chains, key/certificate mismatch, the peer-certificate cache, the choice of
 * key pair by signature scheme, and broken input of every kind giving GnuTLS 3.7.9's error
 * codes (measured against libgnutls with the same files) without crashing or leaking. */
#include <pthread.h>
#include <stdarg.h>
#include "keel.h"
#include "crypto/crypto.h"
#include "priority/algs.h"
#include "x509/x509.h"
#include "creds/creds.h"
/* keel.h's CHECK(cond, code) is for library code; tests use the harness's CHECK(cond). */
#undef CHECK
#include "harness.h"

#define DATA "tests/data/"

/* ---- helpers ---- */

static gnutls_datum_t load(const char *name)
{
    char path[256];
    gnutls_datum_t d = { NULL, 0 };
    FILE *f;
    long n;

    snprintf(path, sizeof path, DATA "%s", name);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s (run from the source tree)\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    d.data = malloc(n > 0 ? (size_t)n : 1);
    d.size = (unsigned)fread(d.data, 1, (size_t)n, f);
    fclose(f);
    return d;
}

static gnutls_datum_t text(const char *s)
{
    gnutls_datum_t d = { (unsigned char *)s, (unsigned)strlen(s) };
    return d;
}

static gnutls_datum_t concat(gnutls_datum_t a, gnutls_datum_t b)
{
    gnutls_datum_t d = { malloc(a.size + b.size + 1), a.size + b.size };
    memcpy(d.data, a.data, a.size);
    memcpy(d.data + a.size, b.data, b.size);
    return d;
}

static int key_type_of(const char *name, gnutls_x509_crt_fmt_t fmt, const char *pass)
{
    gnutls_datum_t d = load(name);
    keel_pkey *k = NULL;
    int ret = keel_load_private_key(&d, fmt, pass, &k);

    free(d.data);
    if (ret < 0)
        return ret;
    ret = keel_pkey_has_private(k) ? (int)keel_pkey_type(k) : -1000;
    keel_pkey_unref(k);
    return ret;
}

static int key_error(gnutls_datum_t d, gnutls_x509_crt_fmt_t fmt)
{
    keel_pkey *k = NULL;
    int ret = keel_load_private_key(&d, fmt, NULL, &k);

    if (ret == 0)
        keel_pkey_unref(k);
    return ret < 0 ? ret : 0;
}

static int chain_error(gnutls_datum_t d, gnutls_x509_crt_fmt_t fmt)
{
    keel_cert **chain = NULL;
    unsigned n = 0;
    int ret = keel_load_cert_chain(&d, fmt, &chain, &n);

    keel_cert_chain_free(chain, n);
    return ret;
}

/* Deterministic bytes for garbage input. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint8_t rng_byte(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint8_t)(rng_state >> 24);
}

/* ---- private keys ---- */

static void keys_every_format(void)
{
    CHECK_INT(key_type_of("rsa-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_RSA);
    CHECK_INT(key_type_of("rsa-key-pkcs8.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_RSA);
    CHECK_INT(key_type_of("rsa-key.der", GNUTLS_X509_FMT_DER, NULL), KEEL_PK_RSA);
    CHECK_INT(key_type_of("rsa-pss-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_RSA_PSS);
    CHECK_INT(key_type_of("ecdsa-p256-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_EC_P256);
    CHECK_INT(key_type_of("ecdsa-p256-key-pkcs8.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_EC_P256);
    CHECK_INT(key_type_of("ecdsa-p256-key-pkcs8.der", GNUTLS_X509_FMT_DER, NULL), KEEL_PK_EC_P256);
    CHECK_INT(key_type_of("ecdsa-p256-key-sec1.der", GNUTLS_X509_FMT_DER, NULL), KEEL_PK_EC_P256);
    CHECK_INT(key_type_of("ecdsa-p384-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_EC_P384);
    CHECK_INT(key_type_of("ed25519-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_ED25519);
    CHECK_INT(key_type_of("ed448-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_ED448);
    CHECK_INT(key_type_of("ca-key.pem", GNUTLS_X509_FMT_PEM, NULL), KEEL_PK_EC_P256);
    /* A password is harmless on a plain key. */
    CHECK_INT(key_type_of("rsa-key.pem", GNUTLS_X509_FMT_PEM, "unused"), KEEL_PK_RSA);
}

static void keys_encrypted(void)
{
    CHECK_INT(key_type_of("rsa-key-encrypted.pem", GNUTLS_X509_FMT_PEM, "keel-test"), KEEL_PK_RSA);
    CHECK_INT(key_type_of("rsa-key-encrypted.pem", GNUTLS_X509_FMT_PEM, NULL),
              GNUTLS_E_DECRYPTION_FAILED);
    CHECK_INT(key_type_of("rsa-key-encrypted.pem", GNUTLS_X509_FMT_PEM, "wrong"),
              GNUTLS_E_DECRYPTION_FAILED);
    /* OpenSSL's legacy PEM encryption (Proc-Type/DEK-Info headers). */
    CHECK_INT(key_type_of("rsa-key-legacy-encrypted.pem", GNUTLS_X509_FMT_PEM, "keel-test"),
              KEEL_PK_RSA);
    CHECK_INT(key_type_of("rsa-key-legacy-encrypted.pem", GNUTLS_X509_FMT_PEM, NULL),
              GNUTLS_E_DECRYPTION_FAILED);
    CHECK_INT(key_type_of("rsa-key-legacy-encrypted.pem", GNUTLS_X509_FMT_PEM, "wrong"),
              GNUTLS_E_DECRYPTION_FAILED);
}

static void keys_pem_with_other_blocks(void)
{
    /* A combined file (certificate, then key) yields the key. */
    gnutls_datum_t c = load("rsa-cert.pem"), k = load("rsa-key.pem"), both = concat(c, k);

    CHECK_INT(key_error(both, GNUTLS_X509_FMT_PEM), 0);
    /* A certificate alone holds no key. */
    CHECK_INT(key_error(c, GNUTLS_X509_FMT_PEM), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    free(c.data);
    free(k.data);
    free(both.data);
}

/* ---- certificates ---- */

static void certs_every_kind(void)
{
    static const struct { const char *file; keel_pk_type type; } certs[] = {
        { "rsa-cert.pem", KEEL_PK_RSA },
        { "rsa-pss-cert.pem", KEEL_PK_RSA_PSS },
        { "ecdsa-p256-cert.pem", KEEL_PK_EC_P256 },
        { "ecdsa-p384-cert.pem", KEEL_PK_EC_P384 },
        { "ed25519-cert.pem", KEEL_PK_ED25519 },
        { "ed448-cert.pem", KEEL_PK_ED448 },
        { "ca-cert.pem", KEEL_PK_EC_P256 },
    };
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(certs); i++) {
        gnutls_datum_t d = load(certs[i].file);
        keel_cert **chain = NULL;
        unsigned n = 0;

        CHECK_INT(keel_load_cert_chain(&d, GNUTLS_X509_FMT_PEM, &chain, &n), 0);
        CHECK_INT(n, 1);
        if (n == 1) {
            CHECK(keel_cert_pubkey(chain[0]) != NULL);
            CHECK_INT(keel_pkey_type(keel_cert_pubkey(chain[0])), certs[i].type);
            CHECK(!keel_pkey_has_private(keel_cert_pubkey(chain[0])));
        }
        keel_cert_chain_free(chain, n);
        free(d.data);
    }
}

static void cert_der_and_pem_agree(void)
{
    gnutls_datum_t pem = load("rsa-cert.pem"), der = load("rsa-cert.der");
    keel_cert **a = NULL, **b = NULL;
    unsigned na = 0, nb = 0;
    const uint8_t *p;
    size_t len = 0;

    REQUIRE(keel_load_cert_chain(&pem, GNUTLS_X509_FMT_PEM, &a, &na) == 0 && na == 1);
    REQUIRE(keel_load_cert_chain(&der, GNUTLS_X509_FMT_DER, &b, &nb) == 0 && nb == 1);
    p = keel_cert_der(a[0], &len);
    CHECK_INT(len, der.size);
    if (len == der.size)
        CHECK_MEM(p, der.data, len);
    p = keel_cert_der(b[0], &len);
    CHECK_INT(len, der.size);
    CHECK_INT(keel_pkey_type(keel_cert_pubkey(b[0])), KEEL_PK_RSA);
    keel_cert_chain_free(a, na);
    keel_cert_chain_free(b, nb);
    free(pem.data);
    free(der.data);
}

static void chain_order(void)
{
    gnutls_datum_t chain_pem = load("ecdsa-p256-chain.pem");
    gnutls_datum_t leaf_pem = load("ecdsa-p256-cert.pem"), ca_pem = load("ca-cert.pem");
    keel_cert **chain = NULL, **leaf = NULL, **ca = NULL;
    unsigned n = 0, nl = 0, nc = 0;
    const uint8_t *p, *q;
    size_t lp = 0, lq = 0;

    REQUIRE(keel_load_cert_chain(&chain_pem, GNUTLS_X509_FMT_PEM, &chain, &n) == 0);
    REQUIRE(keel_load_cert_chain(&leaf_pem, GNUTLS_X509_FMT_PEM, &leaf, &nl) == 0);
    REQUIRE(keel_load_cert_chain(&ca_pem, GNUTLS_X509_FMT_PEM, &ca, &nc) == 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        p = keel_cert_der(chain[0], &lp);
        q = keel_cert_der(leaf[0], &lq);
        CHECK(lp == lq && memcmp(p, q, lp) == 0);
        p = keel_cert_der(chain[1], &lp);
        q = keel_cert_der(ca[0], &lq);
        CHECK(lp == lq && memcmp(p, q, lp) == 0);
    }
    keel_cert_chain_free(chain, n);
    keel_cert_chain_free(leaf, nl);
    keel_cert_chain_free(ca, nc);
    free(chain_pem.data);
    free(leaf_pem.data);
    free(ca_pem.data);
}

static void cert_refcount(void)
{
    gnutls_datum_t der = load("rsa-cert.der");
    keel_cert *c = NULL;

    REQUIRE(keel_cert_from_der(der.data, der.size, &c) == 0);
    keel_cert_ref(c);
    keel_cert_free(c);
    CHECK(keel_cert_pubkey(c) != NULL);     /* still alive: one reference left */
    keel_cert_free(c);
    keel_cert_free(NULL);
    free(der.data);
}

/* ---- key/certificate match ---- */

static int match(const char *cert, const char *key)
{
    gnutls_datum_t c = load(cert), k = load(key);
    keel_cert **chain = NULL;
    unsigned n = 0;
    keel_pkey *pk = NULL;
    int ret;

    if (keel_load_cert_chain(&c, GNUTLS_X509_FMT_PEM, &chain, &n) < 0 ||
        keel_load_private_key(&k, GNUTLS_X509_FMT_PEM, NULL, &pk) < 0)
        ret = -1000;
    else
        ret = keel_cert_key_match(chain[0], pk);
    keel_cert_chain_free(chain, n);
    if (pk != NULL)
        keel_pkey_unref(pk);
    free(c.data);
    free(k.data);
    return ret;
}

static void key_match(void)
{
    CHECK_INT(match("rsa-cert.pem", "rsa-key.pem"), 0);
    CHECK_INT(match("rsa-cert.pem", "rsa-key-pkcs8.pem"), 0);
    CHECK_INT(match("rsa-pss-cert.pem", "rsa-pss-key.pem"), 0);
    CHECK_INT(match("ecdsa-p256-cert.pem", "ecdsa-p256-key.pem"), 0);
    CHECK_INT(match("ecdsa-p256-chain.pem", "ecdsa-p256-key-pkcs8.pem"), 0);
    CHECK_INT(match("ecdsa-p384-cert.pem", "ecdsa-p384-key.pem"), 0);
    CHECK_INT(match("ed25519-cert.pem", "ed25519-key.pem"), 0);
    CHECK_INT(match("ed448-cert.pem", "ed448-key.pem"), 0);
    /* Same type, other key; other types. */
    CHECK_INT(match("ecdsa-p256-cert.pem", "ca-key.pem"), GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    CHECK_INT(match("rsa-cert.pem", "ecdsa-p256-key.pem"), GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    CHECK_INT(match("rsa-cert.pem", "rsa-pss-key.pem"), GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    CHECK_INT(match("ed25519-cert.pem", "ed448-key.pem"), GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    CHECK_INT(match("ecdsa-p384-cert.pem", "ecdsa-p256-key.pem"), GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
}

/* ---- credentials API ---- */

static const struct { const char *cert, *key; } pairs[] = {
    { "rsa-cert.pem", "rsa-key.pem" },
    { "rsa-cert.pem", "rsa-key-pkcs8.pem" },
    { "rsa-pss-cert.pem", "rsa-pss-key.pem" },
    { "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" },
    { "ecdsa-p256-cert.pem", "ecdsa-p256-key-pkcs8.pem" },
    { "ecdsa-p256-chain.pem", "ecdsa-p256-key.pem" },
    { "ecdsa-p384-cert.pem", "ecdsa-p384-key.pem" },
    { "ed25519-cert.pem", "ed25519-key.pem" },
    { "ed448-cert.pem", "ed448-key.pem" },
};

static void creds_mem(void)
{
    gnutls_certificate_credentials_t x = NULL, v2 = NULL;

    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    REQUIRE(gnutls_certificate_allocate_credentials(&v2) == 0);
    gnutls_certificate_set_flags(v2, GNUTLS_CERTIFICATE_API_V2);
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(pairs); i++) {
        gnutls_datum_t c = load(pairs[i].cert), k = load(pairs[i].key);
        /* GnuTLS 3.7.9: 0, or with GNUTLS_CERTIFICATE_API_V2 the index of the new pair,
         * from both the plain and the "2" variant. */
        CHECK_INT(gnutls_certificate_set_x509_key_mem2(x, &c, &k, GNUTLS_X509_FMT_PEM, NULL, 0), 0);
        if (i % 2)
            CHECK_INT(gnutls_certificate_set_x509_key_mem(v2, &c, &k, GNUTLS_X509_FMT_PEM), (int)i);
        else
            CHECK_INT(gnutls_certificate_set_x509_key_mem2(v2, &c, &k, GNUTLS_X509_FMT_PEM, NULL, 0),
                      (int)i);
        free(c.data);
        free(k.data);
    }
    CHECK_INT(x->n_pairs, KEEL_ARRAY_SIZE(pairs));
    CHECK_INT(x->pairs[5]->n_chain, 2);
    CHECK_INT(x->pairs[2]->type, KEEL_PK_RSA_PSS);
    CHECK_INT(x->pairs[8]->type, KEEL_PK_ED448);
    gnutls_certificate_free_credentials(x);
    gnutls_certificate_free_credentials(v2);
    gnutls_certificate_free_credentials(NULL);
}

static void creds_der_and_pass(void)
{
    gnutls_certificate_credentials_t x = NULL;
    gnutls_datum_t cd = load("rsa-cert.der"), kd = load("rsa-key.der");
    gnutls_datum_t c = load("rsa-cert.pem"), ke = load("rsa-key-encrypted.pem");

    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    gnutls_certificate_set_flags(x, GNUTLS_CERTIFICATE_API_V2);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &cd, &kd, GNUTLS_X509_FMT_DER), 0);
    CHECK_INT(gnutls_certificate_set_x509_key_mem2(x, &c, &ke, GNUTLS_X509_FMT_PEM, "keel-test", 0), 1);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &c, &ke, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_DECRYPTION_FAILED);
    CHECK_INT(gnutls_certificate_set_x509_key_mem2(x, &c, &ke, GNUTLS_X509_FMT_PEM, "nope", 0),
              GNUTLS_E_DECRYPTION_FAILED);
    /* PEM data announced as DER and the other way round. */
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &c, &ke, GNUTLS_X509_FMT_DER),
              GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &cd, &kd, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    /* GnuTLS reads any format value other than PEM as DER. */
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &c, &ke, (gnutls_x509_crt_fmt_t)7),
              GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(x->n_pairs, 2);
    gnutls_certificate_free_credentials(x);
    free(cd.data);
    free(kd.data);
    free(c.data);
    free(ke.data);
}

static void creds_files(void)
{
    gnutls_certificate_credentials_t x = NULL;

    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA "ecdsa-p256-chain.pem",
                                                   DATA "ecdsa-p256-key.pem", GNUTLS_X509_FMT_PEM), 0);
    CHECK_INT(gnutls_certificate_set_x509_key_file2(x, DATA "rsa-cert.der", DATA "rsa-key.der",
                                                    GNUTLS_X509_FMT_DER, NULL, 0), 0);
    CHECK_INT(gnutls_certificate_set_x509_key_file2(x, DATA "rsa-cert.pem",
                                                    DATA "rsa-key-encrypted.pem",
                                                    GNUTLS_X509_FMT_PEM, "keel-test", 0), 0);
    gnutls_certificate_set_flags(x, GNUTLS_CERTIFICATE_API_V2);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA "ed25519-cert.pem",
                                                   DATA "ed25519-key.pem", GNUTLS_X509_FMT_PEM), 3);
    /* Missing files, either one; an empty file. */
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA "no-such-cert.pem",
                                                   DATA "rsa-key.pem", GNUTLS_X509_FMT_PEM),
              GNUTLS_E_FILE_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA "rsa-cert.pem",
                                                   DATA "no-such-key.pem", GNUTLS_X509_FMT_PEM),
              GNUTLS_E_FILE_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, "/dev/null", DATA "rsa-key.pem",
                                                   GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA "rsa-cert.pem", "/dev/null",
                                                   GNUTLS_X509_FMT_PEM),
              GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA, DATA "rsa-key.pem",
                                                   GNUTLS_X509_FMT_PEM), GNUTLS_E_FILE_ERROR);
    CHECK_INT(x->n_pairs, 4);
    gnutls_certificate_free_credentials(x);
}

static void creds_mismatch(void)
{
    gnutls_certificate_credentials_t x = NULL;
    gnutls_datum_t c = load("ecdsa-p256-cert.pem"), k = load("ca-key.pem");

    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &c, &k, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, DATA "rsa-cert.pem", DATA "ed25519-key.pem",
                                                   GNUTLS_X509_FMT_PEM),
              GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    CHECK_INT(x->n_pairs, 0);
    /* The application may skip the check, as in GnuTLS. */
    gnutls_certificate_set_flags(x, GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &c, &k, GNUTLS_X509_FMT_PEM), 0);
    CHECK_INT(x->n_pairs, 1);
    gnutls_certificate_free_credentials(x);
    free(c.data);
    free(k.data);
}

static void creds_bad_arguments(void)
{
    gnutls_certificate_credentials_t x = NULL;
    gnutls_datum_t c = load("rsa-cert.pem"), k = load("rsa-key.pem");

    CHECK_INT(gnutls_certificate_allocate_credentials(NULL), GNUTLS_E_INVALID_REQUEST);
    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(NULL, &c, &k, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, NULL, &k, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_certificate_set_x509_key_mem(x, &c, NULL, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(gnutls_certificate_set_x509_key_file(x, NULL, DATA "rsa-key.pem", GNUTLS_X509_FMT_PEM),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(x->n_pairs, 0);
    gnutls_certificate_free_credentials(x);
    free(c.data);
    free(k.data);
}

/* ---- broken input: the codes GnuTLS 3.7.9 gives for the same bytes ---- */

static int mem2(gnutls_datum_t c, gnutls_datum_t k, gnutls_x509_crt_fmt_t fmt)
{
    gnutls_certificate_credentials_t x = NULL;
    int ret;

    if (gnutls_certificate_allocate_credentials(&x) < 0)
        return -1000;
    ret = gnutls_certificate_set_x509_key_mem2(x, &c, &k, fmt, NULL, 0);
    gnutls_certificate_free_credentials(x);
    return ret;
}

static void errors_like_gnutls(void)
{
    gnutls_datum_t c = load("rsa-cert.pem"), k = load("rsa-key.pem");
    gnutls_datum_t cd = load("rsa-cert.der"), kd = load("rsa-key.der");
    gnutls_datum_t chain = load("ecdsa-p256-chain.pem"), ek = load("ecdsa-p256-key.pem");
    gnutls_datum_t empty = { (unsigned char *)"", 0 };
    unsigned char junk[300];
    gnutls_datum_t g = { junk, sizeof junk };
    gnutls_datum_t bc = concat(c, empty), bk = concat(k, empty);
    gnutls_datum_t cdt = { malloc(cd.size + 5), cd.size + 5 };

    for (unsigned i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 131 + 7);
    memcpy(cdt.data, cd.data, cd.size);
    memset(cdt.data + cd.size, 0, 5);
    bc.data[100] = '!';
    bc.data[101] = '*';
    bk.data[100] = '!';
    bk.data[101] = '*';

    /* The key is read first: with both broken, the key's error is reported. */
    CHECK_INT(mem2(g, g, GNUTLS_X509_FMT_PEM), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    CHECK_INT(mem2(g, k, GNUTLS_X509_FMT_PEM), GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(mem2(c, g, GNUTLS_X509_FMT_PEM), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    CHECK_INT(mem2(g, kd, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(cd, g, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(g, g, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(empty, k, GNUTLS_X509_FMT_PEM), GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(mem2(c, empty, GNUTLS_X509_FMT_PEM), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    CHECK_INT(mem2(empty, kd, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(cd, empty, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_TAG_ERROR);
    /* Truncated PEM: the certificate's block is "unexpected", the key's undecodable. */
    CHECK_INT(mem2((gnutls_datum_t){ c.data, c.size / 2 }, k, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
    CHECK_INT(mem2(c, (gnutls_datum_t){ k.data, k.size / 2 }, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(mem2(text("-----BEGIN CERTIFICATE-----\nMIIE"), k, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
    CHECK_INT(mem2(c, text("-----BEGIN RSA PRIVATE KEY-----\nMIIE"), GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(mem2(text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"), k,
                   GNUTLS_X509_FMT_PEM), GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
    /* Bad base64 inside a block. */
    CHECK_INT(mem2(bc, k, GNUTLS_X509_FMT_PEM), GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
    CHECK_INT(mem2(c, bk, GNUTLS_X509_FMT_PEM), GNUTLS_E_BASE64_DECODING_ERROR);
    /* The second certificate of a chain cut short. */
    CHECK_INT(mem2((gnutls_datum_t){ chain.data, chain.size - 100 }, ek, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR);
    /* Truncated DER. */
    CHECK_INT(mem2((gnutls_datum_t){ cd.data, cd.size / 2 }, kd, GNUTLS_X509_FMT_DER),
              GNUTLS_E_ASN1_DER_ERROR);
    CHECK_INT(mem2((gnutls_datum_t){ cd.data, cd.size - 1 }, kd, GNUTLS_X509_FMT_DER),
              GNUTLS_E_ASN1_DER_ERROR);
    CHECK_INT(mem2(cd, (gnutls_datum_t){ kd.data, kd.size / 2 }, GNUTLS_X509_FMT_DER),
              GNUTLS_E_ASN1_DER_ERROR);
    /* Bytes after a DER certificate. */
    CHECK_INT(mem2(cdt, kd, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_DER_ERROR);
    /* Blocks of the right name holding wrong DER. */
    CHECK_INT(mem2(text("-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n"),
                   k, GNUTLS_X509_FMT_PEM), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(text("-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n"),
                   k, GNUTLS_X509_FMT_PEM), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(c, text("-----BEGIN RSA PRIVATE KEY-----\nAAECAwQFBgcICQ==\n"
                           "-----END RSA PRIVATE KEY-----\n"), GNUTLS_X509_FMT_PEM),
              GNUTLS_E_ASN1_DER_ERROR);
    CHECK_INT(mem2(c, text("-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n"
                           "-----END PRIVATE KEY-----\n"), GNUTLS_X509_FMT_PEM),
              GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(mem2(c, text("-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n"
                           "-----END EC PRIVATE KEY-----\n"), GNUTLS_X509_FMT_PEM),
              GNUTLS_E_ASN1_DER_ERROR);
    /* A key where a certificate should be, and the other way round. */
    CHECK_INT(mem2(k, k, GNUTLS_X509_FMT_PEM), GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(mem2(c, c, GNUTLS_X509_FMT_PEM), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    /* Keel's own choice (GnuTLS would load DSA): key types Keel cannot use. */
    CHECK_INT(mem2(c, text("-----BEGIN DSA PRIVATE KEY-----\nMAMCAQE=\n"
                           "-----END DSA PRIVATE KEY-----\n"), GNUTLS_X509_FMT_PEM),
              GNUTLS_E_UNKNOWN_PK_ALGORITHM);

    free(c.data);
    free(k.data);
    free(cd.data);
    free(kd.data);
    free(chain.data);
    free(ek.data);
    free(bc.data);
    free(bk.data);
    free(cdt.data);
}

/* Every prefix of every input, and random bytes: an error, never a crash or a leak. */
static void truncations_and_garbage(void)
{
    static const struct { const char *file; gnutls_x509_crt_fmt_t fmt; int is_key; } inputs[] = {
        { "rsa-cert.der", GNUTLS_X509_FMT_DER, 0 },
        { "ecdsa-p256-chain.pem", GNUTLS_X509_FMT_PEM, 0 },
        { "rsa-key.der", GNUTLS_X509_FMT_DER, 1 },
        { "ecdsa-p256-key-pkcs8.der", GNUTLS_X509_FMT_DER, 1 },
        { "ecdsa-p256-key-sec1.der", GNUTLS_X509_FMT_DER, 1 },
        { "rsa-key.pem", GNUTLS_X509_FMT_PEM, 1 },
        { "ed25519-key.pem", GNUTLS_X509_FMT_PEM, 1 },
        { "rsa-key-encrypted.pem", GNUTLS_X509_FMT_PEM, 1 },
        { "rsa-key-legacy-encrypted.pem", GNUTLS_X509_FMT_PEM, 1 },
    };
    unsigned char buf[2048];

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(inputs); i++) {
        gnutls_datum_t d = load(inputs[i].file);
        /* Keys decode slowly (libcrypto's decoders); sample their prefixes. */
        unsigned step = inputs[i].is_key && d.size > 400 ? 7 : 1;
        /* Just past the first PEM end line: a shorter prefix holds no complete block. */
        const char *end = memmem(d.data, d.size, "-----END", 8);
        const char *dashes = end ? memmem(end + 8, d.size - (size_t)(end + 8 - (char *)d.data),
                                          "-----", 5) : NULL;
        unsigned first_end = dashes ? (unsigned)(dashes + 5 - (char *)d.data) : d.size;

        for (unsigned len = 0; len < d.size; len += step) {
            gnutls_datum_t part = { d.data, len };
            int ret = inputs[i].is_key ? key_error(part, inputs[i].fmt)
                                       : chain_error(part, inputs[i].fmt);
            /* PEM cut anywhere after its first complete block is still good PEM (a chain
             * of one, a key without its final newline); an error is required before. */
            if (ret == 0 && inputs[i].fmt == GNUTLS_X509_FMT_PEM && len >= first_end)
                continue;
            if (ret >= 0) {
                fprintf(stderr, "  %s: prefix %u of %u accepted\n", inputs[i].file, len, d.size);
                CHECK(ret < 0);
                break;
            }
        }
        free(d.data);
    }

    for (unsigned round = 0; round < 300; round++) {
        gnutls_datum_t d = { buf, (unsigned)(rng_byte() | (unsigned)rng_byte() << 3) % sizeof buf };
        for (unsigned j = 0; j < d.size; j++)
            buf[j] = rng_byte();
        /* Sometimes a plausible start, so the parsers get further. */
        if (round % 3 == 0 && d.size > 4) {
            buf[0] = 0x30;
            buf[1] = 0x82;
        }
        CHECK(chain_error(d, GNUTLS_X509_FMT_DER) < 0);
        CHECK(chain_error(d, GNUTLS_X509_FMT_PEM) < 0);
        CHECK(key_error(d, GNUTLS_X509_FMT_DER) < 0);
        CHECK(key_error(d, GNUTLS_X509_FMT_PEM) < 0);
    }
}

/* ---- the peer certificate cache ---- */

static void peer_cache_hits(void)
{
    gnutls_datum_t der = load("rsa-cert.der");
    keel_pkey *a = NULL, *b = NULL;
    unsigned long hits0, misses0, hits, misses;

    keel_x509_deinit();
    keel_test_peer_cache_stats(&hits0, &misses0);
    REQUIRE(keel_peer_pubkey_from_der(der.data, der.size, &a) == 0);
    REQUIRE(keel_peer_pubkey_from_der(der.data, der.size, &b) == 0);
    CHECK(a == b);
    CHECK_INT(keel_pkey_type(a), KEEL_PK_RSA);
    CHECK(!keel_pkey_has_private(a));
    keel_test_peer_cache_stats(&hits, &misses);
    CHECK_INT(misses - misses0, 1);
    CHECK_INT(hits - hits0, 1);
    /* The key outlives the cache. */
    keel_x509_deinit();
    CHECK_INT(keel_pkey_bits(a), 2048);
    keel_pkey_unref(a);
    keel_pkey_unref(b);
    free(der.data);
}

static void peer_cache_malformed(void)
{
    gnutls_datum_t der = load("ecdsa-p256-key-pkcs8.der"), cd = load("rsa-cert.der");
    keel_pkey *k = (keel_pkey *)&k;
    keel_cert *c = NULL;
    unsigned char junk[64];

    memset(junk, 0xa5, sizeof junk);
    CHECK_INT(keel_peer_pubkey_from_der(junk, sizeof junk, &k), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK(k == NULL);
    CHECK_INT(keel_peer_pubkey_from_der(NULL, 0, &k), GNUTLS_E_ASN1_TAG_ERROR);
    /* A key is not a certificate (GnuTLS: TAG error). */
    CHECK_INT(keel_peer_pubkey_from_der(der.data, der.size, &k), GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(keel_peer_pubkey_from_der(cd.data, cd.size / 2, &k), GNUTLS_E_ASN1_DER_ERROR);
    CHECK_INT(keel_peer_pubkey_from_der(cd.data, cd.size - 1, &k), GNUTLS_E_ASN1_DER_ERROR);
    /* Malformed input is never cached: asking again fails again. */
    CHECK_INT(keel_peer_cert_from_der(cd.data, cd.size / 2, &c), GNUTLS_E_ASN1_DER_ERROR);
    CHECK(c == NULL);
    free(der.data);
    free(cd.data);
}

/* Certificates that differ only in their last signature byte: distinct DER that parses. */
static void peer_cache_eviction(void)
{
    gnutls_datum_t der = load("ecdsa-p256-cert.pem");
    keel_cert **chain = NULL;
    unsigned n = 0;
    uint8_t *copy;
    const uint8_t *p;
    size_t len = 0;
    keel_pkey *k;
    unsigned long hits0, misses0, hits, misses;

    REQUIRE(keel_load_cert_chain(&der, GNUTLS_X509_FMT_PEM, &chain, &n) == 0);
    p = keel_cert_der(chain[0], &len);
    copy = malloc(len);
    memcpy(copy, p, len);
    keel_x509_deinit();
    keel_test_peer_cache_stats(&hits0, &misses0);
    for (unsigned i = 0; i < 40; i++) {
        copy[len - 1] = (uint8_t)i;
        REQUIRE(keel_peer_pubkey_from_der(copy, len, &k) == 0);
        keel_pkey_unref(k);
    }
    keel_test_peer_cache_stats(&hits, &misses);
    CHECK_INT(misses - misses0, 40);
    /* The most recent 32 are there; the first 8 were evicted. */
    copy[len - 1] = 39;
    REQUIRE(keel_peer_pubkey_from_der(copy, len, &k) == 0);
    keel_pkey_unref(k);
    copy[len - 1] = 8;
    REQUIRE(keel_peer_pubkey_from_der(copy, len, &k) == 0);
    keel_pkey_unref(k);
    keel_test_peer_cache_stats(&hits, &misses);
    CHECK_INT(hits - hits0, 2);
    copy[len - 1] = 0;
    REQUIRE(keel_peer_pubkey_from_der(copy, len, &k) == 0);
    keel_pkey_unref(k);
    keel_test_peer_cache_stats(&hits, &misses);
    CHECK_INT(misses - misses0, 41);
    keel_x509_deinit();
    free(copy);
    keel_cert_chain_free(chain, n);
    free(der.data);
}

struct cache_thread_arg {
    gnutls_datum_t *ders;
    unsigned n;
    int failures;
};

static void *cache_thread(void *p)
{
    struct cache_thread_arg *a = p;

    for (unsigned i = 0; i < 400; i++) {
        gnutls_datum_t *d = &a->ders[(i * 7 + (unsigned)(uintptr_t)a) % a->n];
        keel_pkey *k = NULL;
        if (keel_peer_pubkey_from_der(d->data, d->size, &k) < 0)
            a->failures++;
        else
            keel_pkey_unref(k);
        if (i % 100 == 99)
            keel_x509_deinit();
    }
    return NULL;
}

static void peer_cache_threads(void)
{
    static const char *files[] = { "rsa-cert.pem", "rsa-pss-cert.pem", "ecdsa-p256-cert.pem",
                                   "ecdsa-p384-cert.pem", "ed25519-cert.pem", "ca-cert.pem" };
    gnutls_datum_t ders[KEEL_ARRAY_SIZE(files)];
    keel_cert **certs[KEEL_ARRAY_SIZE(files)];
    unsigned counts[KEEL_ARRAY_SIZE(files)];
    struct cache_thread_arg args[4];
    pthread_t threads[4];

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(files); i++) {
        gnutls_datum_t pem = load(files[i]);
        size_t len = 0;
        REQUIRE(keel_load_cert_chain(&pem, GNUTLS_X509_FMT_PEM, &certs[i], &counts[i]) == 0);
        ders[i].data = (unsigned char *)keel_cert_der(certs[i][0], &len);
        ders[i].size = (unsigned)len;
        free(pem.data);
    }
    for (unsigned t = 0; t < 4; t++) {
        args[t] = (struct cache_thread_arg){ ders, KEEL_ARRAY_SIZE(files), 0 };
        REQUIRE(pthread_create(&threads[t], NULL, cache_thread, &args[t]) == 0);
    }
    for (unsigned t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        CHECK_INT(args[t].failures, 0);
    }
    keel_x509_deinit();
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(files); i++)
        keel_cert_chain_free(certs[i], counts[i]);
}

/* ---- choosing a key pair ---- */

static gnutls_certificate_credentials_t creds_of(const char *const *names, unsigned n)
{
    gnutls_certificate_credentials_t x = NULL;
    char cert[128], key[128];

    if (gnutls_certificate_allocate_credentials(&x) < 0)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        snprintf(cert, sizeof cert, DATA "%s-cert.pem", names[i]);
        snprintf(key, sizeof key, DATA "%s-key.pem", names[i]);
        if (gnutls_certificate_set_x509_key_file(x, cert, key, GNUTLS_X509_FMT_PEM) < 0) {
            fprintf(stderr, "  cannot load %s\n", names[i]);
            gnutls_certificate_free_credentials(x);
            return NULL;
        }
    }
    return x;
}

/* Index of the chosen pair (-1: none) and the scheme. */
static int pick(gnutls_certificate_credentials_t x, gnutls_protocol_t v, uint16_t *scheme,
                unsigned n, ...)
{
    uint16_t peer[16];
    const struct keel_cert_pair *p;
    va_list ap;

    va_start(ap, n);
    for (unsigned i = 0; i < n; i++)
        peer[i] = (uint16_t)va_arg(ap, int);
    va_end(ap);
    *scheme = 0;
    p = keel_creds_select(x, peer, n, v, scheme);
    if (p == NULL)
        return -1;
    for (unsigned i = 0; i < x->n_pairs; i++)
        if (x->pairs[i] == p)
            return (int)i;
    return -2;
}

static void select_by_scheme(void)
{
    static const char *const names[] = { "rsa", "ecdsa-p256", "ed25519", "rsa-pss", "ecdsa-p384" };
    gnutls_certificate_credentials_t x = creds_of(names, 5);
    uint16_t s;

    REQUIRE(x != NULL);
    /* The peer wants ECDSA P-256 only. */
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 1, 0x0403), 1);
    CHECK_INT(s, 0x0403);
    /* rsa_pkcs1 is not for TLS 1.3 CertificateVerify, fine in TLS 1.2. */
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 1, 0x0401), -1);
    CHECK_INT(pick(x, GNUTLS_TLS1_2, &s, 1, 0x0401), 0);
    CHECK_INT(s, 0x0401);
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 2, 0x0401, 0x0804), 0);
    CHECK_INT(s, 0x0804);
    /* TLS 1.2: the peer's order among the schemes the first pair can make. */
    CHECK_INT(pick(x, GNUTLS_TLS1_2, &s, 2, 0x0401, 0x0804), 0);
    CHECK_INT(s, 0x0401);
    /* The server's pair order decides between pairs. */
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 2, 0x0807, 0x0403), 1);
    CHECK_INT(s, 0x0403);
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 1, 0x0807), 2);
    CHECK_INT(s, 0x0807);
    /* rsae schemes are for rsaEncryption keys, pss schemes for RSASSA-PSS keys. */
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 1, 0x0809), 3);
    CHECK_INT(s, 0x0809);
    /* ECDSA schemes name the curve. */
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 1, 0x0503), 4);
    CHECK_INT(s, 0x0503);
    /* SHA-1 is never produced; unknown code points are skipped. */
    CHECK_INT(pick(x, GNUTLS_TLS1_2, &s, 2, 0x0201, 0x0203), -1);
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 2, 0xfefe, 0x0807), 2);
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 0), -1);
    /* Ed448: no pair here. */
    CHECK_INT(pick(x, GNUTLS_TLS1_3, &s, 1, 0x0808), -1);
    gnutls_certificate_free_credentials(x);
}

static void select_single_pairs(void)
{
    static const char *const rsa_only[] = { "rsa" }, *const p256_only[] = { "ecdsa-p256" };
    gnutls_certificate_credentials_t r = creds_of(rsa_only, 1), e = creds_of(p256_only, 1);
    gnutls_certificate_credentials_t empty = NULL;
    uint16_t s;

    REQUIRE(r != NULL && e != NULL);
    REQUIRE(gnutls_certificate_allocate_credentials(&empty) == 0);
    CHECK_INT(pick(r, GNUTLS_TLS1_3, &s, 3, 0x0403, 0x0807, 0x0809), -1);
    CHECK_INT(pick(r, GNUTLS_TLS1_3, &s, 3, 0x0403, 0x0805, 0x0804), 0);
    CHECK_INT(s, 0x0805);
    CHECK_INT(pick(e, GNUTLS_TLS1_3, &s, 2, 0x0503, 0x0804), -1);
    CHECK_INT(pick(e, GNUTLS_TLS1_2, &s, 3, 0x0804, 0x0503, 0x0403), 0);
    CHECK_INT(s, 0x0403);
    CHECK_INT(pick(empty, GNUTLS_TLS1_3, &s, 1, 0x0403), -1);
    CHECK(keel_creds_select(NULL, NULL, 0, GNUTLS_TLS1_3, &s) == NULL);
    gnutls_certificate_free_credentials(r);
    gnutls_certificate_free_credentials(e);
    gnutls_certificate_free_credentials(empty);
}

int main(void)
{
    if (gnutls_global_init() < 0) {
        fprintf(stderr, "gnutls_global_init failed\n");
        return 1;
    }
    RUN(keys_every_format);
    RUN(keys_encrypted);
    RUN(keys_pem_with_other_blocks);
    RUN(certs_every_kind);
    RUN(cert_der_and_pem_agree);
    RUN(chain_order);
    RUN(cert_refcount);
    RUN(key_match);
    RUN(creds_mem);
    RUN(creds_der_and_pass);
    RUN(creds_files);
    RUN(creds_mismatch);
    RUN(creds_bad_arguments);
    RUN(errors_like_gnutls);
    RUN(truncations_and_garbage);
    RUN(peer_cache_hits);
    RUN(peer_cache_malformed);
    RUN(peer_cache_eviction);
    RUN(peer_cache_threads);
    RUN(select_by_scheme);
    RUN(select_single_pairs);
    keel_x509_deinit();
    gnutls_global_deinit();
    return t_done();
}
