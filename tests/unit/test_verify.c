/* Path validation against the PKI in tests/data/verify (scripts/make-verify-pki.sh): every
 * case asserts GnuTLS 3.7.9's exact status bits (checked against the real library with
 * gnutls_x509_trust_list_verify_crt2 at the same fixed time), through keel_verify_chain and
 * through the session API (gnutls_certificate_verify_peers*). Fixed time: 2030-01-01. */
#include <pthread.h>
#include <stdarg.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "session.h"
#include "creds/creds.h"
#include "x509/x509.h"
/* keel.h's CHECK(cond, code) gives way to the harness's CHECK(cond). */
#undef CHECK
#include "harness.h"

#define DIR "tests/data/verify/"
#define FIXED_TIME ((time_t)1893456000)     /* 2030-01-01 00:00:00 UTC */
#define SERVER GNUTLS_KP_TLS_WWW_SERVER
#define CLIENT GNUTLS_KP_TLS_WWW_CLIENT
#define INV GNUTLS_CERT_INVALID

/* Whole file into a gnutls_malloc'd datum; < 0 when unreadable. */
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

static time_t fixed_time(time_t *t)
{
    if (t != NULL)
        *t = FIXED_TIME;
    return FIXED_TIME;
}

/* The certificates of a PEM file as DER datums (keel_malloc'd). */
static gnutls_datum_t *load_chain(const char *file, unsigned *n)
{
    gnutls_datum_t pem;
    keel_cert **chain;
    gnutls_datum_t *out;
    size_t len;

    *n = 0;
    if (load_file(file, &pem) < 0)
        return NULL;
    if (keel_load_cert_chain(&pem, GNUTLS_X509_FMT_PEM, &chain, n) < 0) {
        gnutls_free(pem.data);
        return NULL;
    }
    gnutls_free(pem.data);
    out = calloc(*n, sizeof *out);
    for (unsigned i = 0; i < *n; i++) {
        const uint8_t *der = keel_cert_der(chain[i], &len);
        out[i].data = malloc(len);
        memcpy(out[i].data, der, len);
        out[i].size = (unsigned)len;
    }
    keel_cert_chain_free(chain, *n);
    return out;
}

static void free_chain(gnutls_datum_t *c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        free(c[i].data);
    free(c);
}

/* A trust list from files (NULL-terminated); crl may be NULL. */
static keel_trust *trust_of(const char *crl, ...)
{
    keel_trust *t;
    va_list ap;
    const char *f;
    gnutls_datum_t d;

    if (keel_trust_new(&t) < 0)
        return NULL;
    va_start(ap, crl);
    while ((f = va_arg(ap, const char *)) != NULL) {
        if (load_file(f, &d) < 0 || keel_trust_add_cas(t, &d, GNUTLS_X509_FMT_PEM) < 1)
            fprintf(stderr, "cannot load %s\n", f);
        gnutls_free(d.data);
    }
    va_end(ap);
    if (crl != NULL) {
        if (load_file(crl, &d) < 0 || keel_trust_add_crls(t, &d, GNUTLS_X509_FMT_PEM) != 1)
            fprintf(stderr, "cannot load %s\n", crl);
        gnutls_free(d.data);
    }
    return t;
}

static keel_trust *root_trust;      /* root + inter's CRL */

/* Status of a chain file under root_trust; -1 when it cannot be verified at all. */
static long status_of(const char *chain_file, const char *host, const char *purpose,
                      unsigned flags)
{
    unsigned n, status = 0;
    gnutls_datum_t *c = load_chain(chain_file, &n);
    keel_verify_req req = { host, purpose, flags, FIXED_TIME, NULL };
    int ret;

    if (c == NULL)
        return -1;
    ret = keel_verify_chain(root_trust, c, n, &req, &status);
    free_chain(c, n);
    return ret < 0 ? ret : (long)status;
}

#define WWW "www.keel.test"
#define EXPECT(file, host, purpose, flags, want) \
    CHECK_INT(status_of(DIR file, host, purpose, flags), want)

static void test_good_leaves(void)
{
    EXPECT("leaf-rsa-chain.pem", WWW, SERVER, 0, 0);
    EXPECT("leaf-ecdsa-chain.pem", WWW, SERVER, 0, 0);
    EXPECT("leaf-ed25519-chain.pem", WWW, SERVER, 0, 0);
    EXPECT("leaf-ecdsa-chain.pem", "keel.test", SERVER, 0, 0);
    EXPECT("leaf-ecdsa-chain.pem", "KEEL.Test", NULL, 0, 0);     /* case-insensitive */
    EXPECT("leaf-nc-ok-chain.pem", "www.allowed.keel.test", SERVER, 0, 0);
    EXPECT("client-chain.pem", "client.keel.test", CLIENT, 0, 0);
    EXPECT("leaf-ecdsa-chain.pem", NULL, NULL, 0, 0);
}

static void test_validity(void)
{
    EXPECT("expired-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_EXPIRED);
    EXPECT("notyet-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_NOT_ACTIVATED);
    EXPECT("expired-chain.pem", WWW, SERVER, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, 0);
    EXPECT("notyet-chain.pem", WWW, SERVER, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, 0);
}

static void test_hostnames(void)
{
    EXPECT("leaf-ecdsa-chain.pem", "wrong.keel.test", SERVER, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    EXPECT("leaf-ecdsa-chain.pem", "www.keel.test.evil", NULL, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    /* RFC 6125 6.4.3: the wildcard stands for exactly one leftmost label. */
    EXPECT("wildcard-chain.pem", "a.wild.keel.test", SERVER, 0, 0);
    EXPECT("wildcard-chain.pem", "a.b.wild.keel.test", SERVER, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    EXPECT("wildcard-chain.pem", "wild.keel.test", SERVER, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    EXPECT("wildcard-chain.pem", "a.wild.keel.test", SERVER, GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS,
           INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    EXPECT("ipsan-chain.pem", "192.0.2.7", SERVER, 0, 0);
    EXPECT("ipsan-chain.pem", "2001:db8::7", SERVER, 0, 0);
    EXPECT("ipsan-chain.pem", "2001:0db8:0:0::7", SERVER, 0, 0);
    EXPECT("ipsan-chain.pem", "192.0.2.8", SERVER, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    /* No subjectAltName at all: the CN is used. */
    EXPECT("cnonly-chain.pem", "cn-only.keel.test", SERVER, 0, 0);
    EXPECT("cnonly-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    /* DNS names in subjectAltName: the CN does not count. */
    EXPECT("cnsan-chain.pem", "cn-name.keel.test", SERVER, 0, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    EXPECT("cnsan-chain.pem", WWW, SERVER, 0, 0);
    /* Addresses in subjectAltName: the CN does not count either (its CN is "192.0.2.7"),
     * and an address matched as a DNS name finds no DNS name. */
    EXPECT("ipsan-chain.pem", "192.0.2.7", SERVER, GNUTLS_VERIFY_DO_NOT_ALLOW_IP_MATCHES,
           INV | GNUTLS_CERT_UNEXPECTED_OWNER);
}

static void test_chain_faults(void)
{
    EXPECT("selfsigned-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
    EXPECT("leaf-caf-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_SIGNER_NOT_CA);
    EXPECT("leaf-pathlen-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE);
    EXPECT("leaf-nc-bad-chain.pem", "www.forbidden.test", SERVER, 0,
           INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE);
    EXPECT("leaf-nc-bad-chain.pem", WWW, SERVER, 0,
           INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE | GNUTLS_CERT_UNEXPECTED_OWNER);
    EXPECT("critext-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS);
    EXPECT("critext-chain.pem", WWW, SERVER, GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS, 0);
    EXPECT("revoked-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_REVOKED);
    EXPECT("revoked-chain.pem", WWW, SERVER, GNUTLS_VERIFY_DISABLE_CRL_CHECKS, 0);
    /* The leaf alone: its issuer is not in the trust list. */
    EXPECT("leaf-ecdsa-cert.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
}

static void test_purpose(void)
{
    EXPECT("noserverauth-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_PURPOSE_MISMATCH);
    EXPECT("noserverauth-chain.pem", WWW, CLIENT, 0, 0);
    EXPECT("noserverauth-chain.pem", WWW, NULL, 0, 0);
    EXPECT("client-chain.pem", WWW, SERVER, 0,
           INV | GNUTLS_CERT_PURPOSE_MISMATCH | GNUTLS_CERT_UNEXPECTED_OWNER);
}

static void test_insecure(void)
{
    EXPECT("sha1-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_INSECURE_ALGORITHM);
    EXPECT("sha1-chain.pem", WWW, SERVER, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, 0);
    /* RSA-1024: GnuTLS's medium profile (Keel's default) refuses it; "low" takes it. */
    EXPECT("rsa1024-chain.pem", WWW, SERVER, 0, INV | GNUTLS_CERT_INSECURE_ALGORITHM);
    EXPECT("rsa1024-chain.pem", WWW, SERVER, GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_LOW), 0);
}

static void test_chain_order_and_anchors(void)
{
    unsigned n, status = 99;
    gnutls_datum_t *leaf = load_chain(DIR "leaf-pathlen-chain.pem", &n);
    gnutls_datum_t swapped[3];
    keel_verify_req req = { WWW, SERVER, 0, FIXED_TIME, NULL };
    keel_trust *inter_only, *other;

    REQUIRE(leaf != NULL && n == 3);
    /* Intermediates in any order: the same verdict. */
    swapped[0] = leaf[0];
    swapped[1] = leaf[2];
    swapped[2] = leaf[1];
    CHECK_INT(keel_verify_chain(root_trust, swapped, 3, &req, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE);
    free_chain(leaf, n);

    /* A leaf + intermediate + root as sent by some servers: fine. */
    leaf = load_chain(DIR "leaf-ecdsa-chain.pem", &n);
    REQUIRE(leaf != NULL && n == 2);
    {
        unsigned rn;
        gnutls_datum_t *root = load_chain(DIR "root-cert.pem", &rn);
        gnutls_datum_t three[3] = { leaf[0], root[0], leaf[1] };
        CHECK_INT(keel_verify_chain(root_trust, three, 3, &req, &status), 0);
        CHECK_INT(status, 0);
        free_chain(root, rn);
    }
    /* An intermediate in the trust list is an anchor (as in GnuTLS). */
    inter_only = trust_of(NULL, DIR "inter-cert.pem", NULL);
    REQUIRE(inter_only != NULL);
    CHECK_INT(keel_verify_chain(inter_only, leaf, 1, &req, &status), 0);
    CHECK_INT(status, 0);
    keel_trust_free(inter_only);
    /* An unrelated root: issuer unknown, and nothing else about the chain. */
    other = trust_of(NULL, DIR "other-root-cert.pem", NULL);
    REQUIRE(other != NULL);
    CHECK_INT(keel_verify_chain(other, leaf, n, &req, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
    req.hostname = "foo.test";
    CHECK_INT(keel_verify_chain(other, leaf, n, &req, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_UNEXPECTED_OWNER);
    keel_trust_free(other);
    /* No trust list at all. */
    req.hostname = WWW;
    CHECK_INT(keel_verify_chain(NULL, leaf, n, &req, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
    free_chain(leaf, n);
}

static void test_bad_signature(void)
{
    unsigned n, status = 0;
    gnutls_datum_t *c = load_chain(DIR "leaf-ecdsa-chain.pem", &n);
    keel_verify_req req = { WWW, SERVER, 0, FIXED_TIME, NULL };

    REQUIRE(c != NULL && n == 2);
    /* A bit inside the ECDSA signature's s value (the last bytes of the DER). */
    c[0].data[c[0].size - 3] ^= 1;
    CHECK_INT(keel_verify_chain(root_trust, c, n, &req, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_SIGNATURE_FAILURE);
    free_chain(c, n);
}

static void test_malformed_peer_chain(void)
{
    unsigned n, status = 0;
    gnutls_datum_t *c = load_chain(DIR "leaf-ecdsa-chain.pem", &n);
    keel_verify_req req = { WWW, SERVER, 0, FIXED_TIME, NULL };
    uint8_t junk[3] = { 0x30, 0x01, 0x00 };
    gnutls_datum_t bad = { junk, sizeof junk };

    REQUIRE(c != NULL && n == 2);
    CHECK_INT(keel_verify_chain(root_trust, c, 0, &req, &status), GNUTLS_E_NO_CERTIFICATE_FOUND);
    c[0].size -= 1;         /* truncated leaf */
    CHECK(keel_verify_chain(root_trust, c, n, &req, &status) < 0);
    c[0].size += 1;
    {
        gnutls_datum_t two[2] = { c[0], bad };
        CHECK(keel_verify_chain(root_trust, two, 2, &req, &status) < 0);
    }
    free_chain(c, n);
}

/* ---- credentials and session API ---- */

static void test_trust_functions(void)
{
    gnutls_certificate_credentials_t x;
    gnutls_datum_t garbage = { (unsigned char *)"garbage", 7 };
    int expected = 0;
    FILE *f;
    char line[256];

    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    CHECK_INT(gnutls_certificate_set_x509_trust_file(x, DIR "root-cert.pem", GNUTLS_X509_FMT_PEM), 1);
    CHECK_INT(gnutls_certificate_set_x509_trust_file(x, DIR "leaf-pathlen-chain.pem",
                                                     GNUTLS_X509_FMT_PEM), 3);
    CHECK_INT(gnutls_certificate_set_x509_trust_file(x, "/nonexistent", GNUTLS_X509_FMT_PEM),
              GNUTLS_E_FILE_ERROR);
    /* As GnuTLS: a PEM file without certificates adds none, without error. */
    CHECK_INT(gnutls_certificate_set_x509_trust_file(x, DIR "client-key.pem", GNUTLS_X509_FMT_PEM), 0);
    CHECK_INT(gnutls_certificate_set_x509_trust_mem(x, &garbage, GNUTLS_X509_FMT_PEM), 0);
    CHECK_INT(gnutls_certificate_set_x509_trust_mem(x, &garbage, GNUTLS_X509_FMT_DER),
              GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_crl_file(x, DIR "inter-crl.pem", GNUTLS_X509_FMT_PEM), 1);
    CHECK_INT(gnutls_certificate_set_x509_crl_file(x, "/nonexistent", GNUTLS_X509_FMT_PEM),
              GNUTLS_E_FILE_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_crl_mem(x, &garbage, GNUTLS_X509_FMT_PEM),
              GNUTLS_E_BASE64_DECODING_ERROR);
    CHECK_INT(gnutls_certificate_set_x509_crl_mem(x, &garbage, GNUTLS_X509_FMT_DER),
              GNUTLS_E_ASN1_TAG_ERROR);
    CHECK_INT(keel_trust_count(x->trust), 4);
    gnutls_certificate_free_credentials(x);

    /* The system bundle: one per certificate in the file, as GnuTLS counts. */
    f = fopen("/etc/ssl/certs/ca-certificates.crt", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL)
            if (strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0)
                expected++;
        fclose(f);
        REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
        CHECK_INT(gnutls_certificate_set_x509_system_trust(x), expected);
        gnutls_certificate_free_credentials(x);
    }

    /* A directory: every certificate of every file (GnuTLS reads them all). */
    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    CHECK(gnutls_certificate_set_x509_trust_dir(x, "tests/data/verify", GNUTLS_X509_FMT_PEM) > 25);
    CHECK_INT(gnutls_certificate_set_x509_trust_dir(x, "/nonexistent", GNUTLS_X509_FMT_PEM),
              GNUTLS_E_FILE_ERROR);
    gnutls_certificate_free_credentials(x);
}

/* A client session whose peer chain is set by hand (the handshake would fill it). */
static gnutls_session_t session_with_peer(gnutls_certificate_credentials_t x, const char *file)
{
    gnutls_session_t s;
    unsigned n;
    gnutls_datum_t *c = load_chain(file, &n);

    if (c == NULL || gnutls_init(&s, GNUTLS_CLIENT) < 0)
        return NULL;
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, x);
    s->peer_certs = keel_calloc(n, sizeof *s->peer_certs);
    for (unsigned i = 0; i < n; i++) {
        s->peer_certs[i].data = keel_malloc(c[i].size);
        memcpy(s->peer_certs[i].data, c[i].data, c[i].size);
        s->peer_certs[i].size = c[i].size;
    }
    s->n_peer_certs = n;
    free_chain(c, n);
    return s;
}

static int verify_fn_calls;
static int refuse_fn(gnutls_session_t s)
{
    (void)s;
    verify_fn_calls++;
    return 1;
}

static void test_session_api(void)
{
    gnutls_certificate_credentials_t x;
    gnutls_session_t s;
    unsigned status = 0, n = 0;
    gnutls_typed_vdata_st vd[2];
    unsigned char ip[4] = { 192, 0, 2, 7 };

    REQUIRE(gnutls_certificate_allocate_credentials(&x) == 0);
    REQUIRE(gnutls_certificate_set_x509_trust_file(x, DIR "root-cert.pem", GNUTLS_X509_FMT_PEM) == 1);

    s = session_with_peer(x, DIR "leaf-ecdsa-chain.pem");
    REQUIRE(s != NULL);
    CHECK_INT(gnutls_certificate_verify_peers2(s, &status), 0);
    CHECK_INT(status, 0);
    CHECK_INT(gnutls_certificate_verify_peers3(s, WWW, &status), 0);
    CHECK_INT(status, 0);
    CHECK_INT(gnutls_certificate_verify_peers3(s, "other.test", &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    CHECK(gnutls_certificate_get_peers(s, &n) != NULL);
    CHECK_INT(n, 2);
    CHECK(gnutls_certificate_get_ours(s) == NULL);
    CHECK_INT(gnutls_certificate_type_get(s), GNUTLS_CRT_X509);
    CHECK_INT(gnutls_certificate_type_get2(s, GNUTLS_CTYPE_PEERS), GNUTLS_CRT_X509);

    /* Automatic verification (what the handshake runs). */
    CHECK_INT(gnutls_session_get_verify_cert_status(s), 0);       /* no handshake yet */
    gnutls_session_set_verify_cert(s, "other.test", 0);
    CHECK_INT(keel_verify_peer_in_handshake(s), GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR);
    CHECK_INT(gnutls_session_get_verify_cert_status(s), INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    gnutls_session_set_verify_cert(s, WWW, 0);
    CHECK_INT(keel_verify_peer_in_handshake(s), 0);
    CHECK_INT(gnutls_session_get_verify_cert_status(s), 0);
    /* gnutls_session_set_verify_cert takes the place of the credentials' function (as in
     * GnuTLS 3.7.9); without it, the function decides. */
    gnutls_certificate_set_verify_function(x, refuse_fn);
    CHECK_INT(keel_verify_peer_in_handshake(s), 0);
    CHECK_INT(verify_fn_calls, 0);
    gnutls_deinit(s);
    s = session_with_peer(x, DIR "leaf-ecdsa-chain.pem");
    REQUIRE(s != NULL);
    CHECK_INT(keel_verify_peer_in_handshake(s), GNUTLS_E_CERTIFICATE_ERROR);
    CHECK_INT(verify_fn_calls, 1);
    gnutls_certificate_set_verify_function(x, NULL);
    gnutls_deinit(s);

    /* Typed data: purpose and raw IP address. */
    s = session_with_peer(x, DIR "ipsan-chain.pem");
    REQUIRE(s != NULL);
    vd[0].type = GNUTLS_DT_IP_ADDRESS;
    vd[0].data = ip;
    vd[0].size = 4;
    CHECK_INT(gnutls_certificate_verify_peers(s, vd, 1, &status), 0);
    CHECK_INT(status, 0);
    ip[3] = 8;
    CHECK_INT(gnutls_certificate_verify_peers(s, vd, 1, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    gnutls_deinit(s);

    s = session_with_peer(x, DIR "noserverauth-chain.pem");
    REQUIRE(s != NULL);
    vd[0].type = GNUTLS_DT_DNS_HOSTNAME;
    vd[0].data = (unsigned char *)WWW;
    vd[0].size = 0;
    vd[1].type = GNUTLS_DT_KEY_PURPOSE_OID;
    vd[1].data = (unsigned char *)CLIENT;
    vd[1].size = 0;
    CHECK_INT(gnutls_certificate_verify_peers(s, vd, 2, &status), 0);
    CHECK_INT(status, 0);
    /* Without a purpose, a client checks for serverAuth. */
    CHECK_INT(gnutls_certificate_verify_peers3(s, WWW, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_PURPOSE_MISMATCH);
    gnutls_deinit(s);

    /* An e-mail address (the subject's emailAddress: no subjectAltName), with the
     * certificate itself as the trust anchor. */
    REQUIRE(gnutls_certificate_set_x509_trust_file(x, DIR "dnweird-cert.pem", GNUTLS_X509_FMT_PEM) == 1);
    s = session_with_peer(x, DIR "dnweird-cert.pem");
    REQUIRE(s != NULL);
    vd[0].type = GNUTLS_DT_RFC822NAME;
    vd[0].data = (unsigned char *)"x@keel.test";
    vd[0].size = 0;
    CHECK_INT(gnutls_certificate_verify_peers(s, vd, 1, &status), 0);
    CHECK_INT(status, 0);
    vd[0].data = (unsigned char *)"y@keel.test";
    CHECK_INT(gnutls_certificate_verify_peers(s, vd, 1, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    gnutls_deinit(s);

    /* Expired, through the session's time (gnutls_global_set_time_function). */
    s = session_with_peer(x, DIR "expired-chain.pem");
    REQUIRE(s != NULL);
    CHECK_INT(gnutls_certificate_verify_peers3(s, WWW, &status), 0);
    CHECK_INT(status, INV | GNUTLS_CERT_EXPIRED);
    gnutls_certificate_set_verify_flags(x, GNUTLS_VERIFY_DISABLE_TIME_CHECKS);
    CHECK_INT(gnutls_certificate_verify_peers3(s, WWW, &status), 0);
    CHECK_INT(status, 0);
    gnutls_certificate_set_verify_flags(x, 0);
    gnutls_deinit(s);

    /* No peer certificate. */
    REQUIRE(gnutls_init(&s, GNUTLS_CLIENT) == 0);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, x);
    /* As GnuTLS: before a handshake, an invalid request; after one, no certificate. */
    CHECK_INT(gnutls_certificate_verify_peers2(s, &status), GNUTLS_E_INVALID_REQUEST);
    s->established = 1;
    CHECK_INT(gnutls_certificate_verify_peers2(s, &status), GNUTLS_E_NO_CERTIFICATE_FOUND);
    CHECK_INT(gnutls_session_get_verify_cert_status(s), (unsigned)-1);
    n = 9;
    CHECK(gnutls_certificate_get_peers(s, &n) == NULL);
    CHECK_INT(n, 9);
    CHECK_INT(keel_verify_peer_in_handshake(s), 0);
    gnutls_deinit(s);
    gnutls_certificate_free_credentials(x);
}

static void check_text(unsigned status, const char *want)
{
    gnutls_datum_t out;

    CHECK_INT(gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0), 0);
    if (strcmp((const char *)out.data, want) != 0) {
        fprintf(stderr, "  got  [%s]\n  want [%s]\n", out.data, want);
        CHECK(0);
    }
    CHECK_INT(out.size, strlen(want));
    gnutls_free(out.data);
}

/* Texts as GnuTLS 3.7.9 prints them for the same bits. */
static void test_status_print(void)
{
    check_text(0, "The certificate is trusted. ");
    check_text(INV, "The certificate is NOT trusted. ");
    check_text(INV | GNUTLS_CERT_SIGNER_NOT_FOUND,
               "The certificate is NOT trusted. The certificate issuer is unknown. ");
    check_text(INV | GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_EXPIRED,
               "The certificate is NOT trusted. The certificate issuer is unknown. "
               "The certificate chain uses expired certificate. ");
    check_text(INV | GNUTLS_CERT_PURPOSE_MISMATCH | GNUTLS_CERT_UNEXPECTED_OWNER,
               "The certificate is NOT trusted. The certificate chain does not match the "
               "intended purpose. The name in the certificate does not match the expected. ");
    check_text(INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE | GNUTLS_CERT_UNEXPECTED_OWNER,
               "The certificate is NOT trusted. The certificate chain violates the signer's "
               "constraints. The name in the certificate does not match the expected. ");
    check_text(GNUTLS_CERT_SIGNER_NOT_FOUND,
               "The certificate is NOT trusted. The certificate issuer is unknown. ");
    check_text(INV | GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS,
               "The certificate is NOT trusted. The certificate contains an unknown critical "
               "extension. ");
}

/* One trust list shared by several threads, as credentials are shared by sessions. */
struct thread_job {
    gnutls_datum_t *chain;
    unsigned n;
    const char *host;
    unsigned want;
    int bad;
};

static void *verify_many(void *arg)
{
    struct thread_job *j = arg;
    keel_verify_req req = { j->host, SERVER, 0, FIXED_TIME, NULL };

    for (int i = 0; i < 200; i++) {
        unsigned status = 12345;
        if (keel_verify_chain(root_trust, j->chain, j->n, &req, &status) < 0 || status != j->want)
            j->bad++;
    }
    return NULL;
}

static void test_threads(void)
{
    struct thread_job jobs[4];
    pthread_t th[4];
    const char *files[4] = { DIR "leaf-ecdsa-chain.pem", DIR "expired-chain.pem",
                             DIR "revoked-chain.pem", DIR "leaf-rsa-chain.pem" };
    const unsigned want[4] = { 0, INV | GNUTLS_CERT_EXPIRED, INV | GNUTLS_CERT_REVOKED,
                               INV | GNUTLS_CERT_UNEXPECTED_OWNER };
    const char *hosts[4] = { WWW, WWW, WWW, "other.test" };

    for (int i = 0; i < 4; i++) {
        jobs[i].chain = load_chain(files[i], &jobs[i].n);
        REQUIRE(jobs[i].chain != NULL);
        jobs[i].host = hosts[i];
        jobs[i].want = want[i];
        jobs[i].bad = 0;
    }
    for (int i = 0; i < 4; i++)
        REQUIRE(pthread_create(&th[i], NULL, verify_many, &jobs[i]) == 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(jobs[i].bad, 0);
        free_chain(jobs[i].chain, jobs[i].n);
    }
}

int main(void)
{
    if (gnutls_global_init() < 0)
        return 1;
    gnutls_global_set_time_function(fixed_time);
    root_trust = trust_of(DIR "inter-crl.pem", DIR "root-cert.pem", NULL);
    if (root_trust == NULL)
        return 1;
    RUN(test_good_leaves);
    RUN(test_validity);
    RUN(test_hostnames);
    RUN(test_chain_faults);
    RUN(test_purpose);
    RUN(test_insecure);
    RUN(test_chain_order_and_anchors);
    RUN(test_bad_signature);
    RUN(test_malformed_peer_chain);
    RUN(test_trust_functions);
    RUN(test_session_api);
    RUN(test_status_print);
    RUN(test_threads);
    keel_trust_free(root_trust);
    gnutls_global_deinit();
    return t_done();
}
