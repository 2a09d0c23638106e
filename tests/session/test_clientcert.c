/* Certificate verification inside the handshake and client certificates, client and server
 * in one process over the memory transport: gnutls_session_set_verify_cert on both sides
 * (the client's check of the server in TLS 1.3 and 1.2), the credentials' verify function,
 * gnutls_certificate_server_set_request (IGNORE, REQUEST, REQUIRE), the client's
 * choice of pair by the server's CA names, gnutls_certificate_set_retrieve_function2 on both
 * sides, gnutls_certificate_get_peers/_get_ours, with EAGAIN and 1-byte reads; every
 * client-certificate case in TLS 1.3 and in TLS 1.2.
 * PKI: tests/data/verify; verification time fixed at 2030-01-01. */
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include "session.h"
#include "creds/creds.h"
#include "handshake/handshake.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"
#include "lib/memtransport.h"

#define DIR "tests/data/verify/"
#define FIXED_TIME ((time_t)1893456000)
#define WWW "www.keel.test"
#define INV GNUTLS_CERT_INVALID

static time_t fixed_time(time_t *t)
{
    if (t != NULL)
        *t = FIXED_TIME;
    return FIXED_TIME;
}

typedef struct {
    gnutls_session_t c, s;
    memt_link *l;
    gnutls_certificate_credentials_t scred, ccred;
    int cret, sret;
} pair;

typedef struct {
    const char *prio;
    const char *server_chain;           /* server's pair (key: same name, -key) */
    const char *client_chain;           /* client's pair, or NULL */
    const char *client_trust;           /* CA file the client trusts, or NULL */
    const char *server_trust;           /* CA file the server trusts, or NULL */
    gnutls_certificate_request_t request;
    const char *client_verify_host;     /* gnutls_session_set_verify_cert on the client */
    int client_verify;                  /* call it at all */
    int server_verify;                  /* gnutls_session_set_verify_cert(s, NULL, 0) */
} setup;

static int add_pair(gnutls_certificate_credentials_t cred, const char *name)
{
    char cert[256], key[256];

    snprintf(cert, sizeof cert, DIR "%s-chain.pem", name);
    snprintf(key, sizeof key, DIR "%s-key.pem", name);
    return gnutls_certificate_set_x509_key_file(cred, cert, key, GNUTLS_X509_FMT_PEM);
}

static int pair_init(pair *p, const setup *u)
{
    memset(p, 0, sizeof *p);
    p->l = memt_new();
    if (p->l == NULL || gnutls_certificate_allocate_credentials(&p->scred) < 0 ||
        gnutls_certificate_allocate_credentials(&p->ccred) < 0)
        return -1;
    if (add_pair(p->scred, u->server_chain) < 0)
        return -1;
    if (u->client_chain != NULL && add_pair(p->ccred, u->client_chain) < 0)
        return -1;
    if (u->client_trust != NULL &&
        gnutls_certificate_set_x509_trust_file(p->ccred, u->client_trust, GNUTLS_X509_FMT_PEM) < 1)
        return -1;
    if (u->server_trust != NULL &&
        gnutls_certificate_set_x509_trust_file(p->scred, u->server_trust, GNUTLS_X509_FMT_PEM) < 1)
        return -1;
    if (gnutls_init(&p->c, GNUTLS_CLIENT) < 0 || gnutls_init(&p->s, GNUTLS_SERVER) < 0)
        return -1;
    if (gnutls_priority_set_direct(p->c, u->prio, NULL) < 0 ||
        gnutls_priority_set_direct(p->s, u->prio, NULL) < 0)
        return -1;
    gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred);
    gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred);
    gnutls_certificate_server_set_request(p->s, u->request);
    if (u->client_verify)
        gnutls_session_set_verify_cert(p->c, u->client_verify_host, 0);
    if (u->server_verify)
        gnutls_session_set_verify_cert(p->s, NULL, 0);
    memt_attach(p->l, p->c, p->s);
    return 0;
}

static void pair_free(pair *p)
{
    gnutls_deinit(p->c);
    gnutls_deinit(p->s);
    memt_free(p->l);
    gnutls_certificate_free_credentials(p->scred);
    gnutls_certificate_free_credentials(p->ccred);
}

static void handshake(pair *p)
{
    (void)memt_handshake2(p->c, p->s, &p->cret, &p->sret);
}

/* TLS 1.3: the client has finished before the server judges its certificate; the server's
 * alert arrives with the client's next read (as with GnuTLS). */
static int client_next_read(pair *p)
{
    char buf[16];
    ssize_t r;

    do
        r = gnutls_record_recv(p->c, buf, sizeof buf);
    while (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED);
    return (int)r;
}

static const char *protos[] = { "NORMAL:-VERS-ALL:+VERS-TLS1.3", "NORMAL:-VERS-ALL:+VERS-TLS1.2" };
#define both_versions protos
#define FOR_EACH_VERSION(i) for (size_t i = 0; i < KEEL_ARRAY_SIZE(protos); i++)
#define IS_TLS12(i) ((i) == 1)

/* The server refused the client's certificate (or its absence) with want_sret. TLS 1.3:
 * the client has finished first and sees the alert on its next read; TLS 1.2: the client
 * is still waiting for the server's Finished and its handshake fails with the alert. */
static void check_refused(pair *p, size_t version, int want_sret)
{
    int level;
    int alert = gnutls_error_to_alert(want_sret, &level);

    CHECK_INT(p->sret, want_sret);
    if (IS_TLS12(version)) {
        CHECK_INT(p->cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    } else {
        CHECK_INT(p->cret, 0);
        CHECK_INT(client_next_read(p), GNUTLS_E_FATAL_ALERT_RECEIVED);
    }
    CHECK_INT(gnutls_alert_get(p->c), alert);
}

/* GnuTLS 3.7.9's error for a missing certificate under GNUTLS_CERT_REQUIRE: TLS 1.3
 * GNUTLS_E_CERTIFICATE_REQUIRED (alert certificate_required), TLS 1.2
 * GNUTLS_E_NO_CERTIFICATE_FOUND. */
static int no_cert_error(size_t version)
{
    return IS_TLS12(version) ? GNUTLS_E_NO_CERTIFICATE_FOUND : GNUTLS_E_CERTIFICATE_REQUIRED;
}

/* ---- the server checking the client ---- */

static void test_require_with_trusted_client(void)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(protos); i++) {
        setup u = { protos[i], "leaf-ecdsa", "client", DIR "root-cert.pem", DIR "root-cert.pem",
                    GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;
        unsigned n = 0;
        const gnutls_datum_t *peers, *ours;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        CHECK_INT(p.cret, 0);
        CHECK_INT(p.sret, 0);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.s), 0);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.c), 0);
        peers = gnutls_certificate_get_peers(p.s, &n);
        CHECK(peers != NULL);
        CHECK_INT(n, 2);
        /* What the client sent is what the server got. */
        ours = gnutls_certificate_get_ours(p.c);
        REQUIRE(ours != NULL && peers != NULL);
        CHECK_INT(ours->size, peers[0].size);
        CHECK(memcmp(ours->data, peers[0].data, ours->size) == 0);
        /* And the other way round. */
        ours = gnutls_certificate_get_ours(p.s);
        peers = gnutls_certificate_get_peers(p.c, &n);
        REQUIRE(ours != NULL && peers != NULL);
        CHECK(ours->size == peers[0].size && memcmp(ours->data, peers[0].data, ours->size) == 0);
        pair_free(&p);
    }
}

static void test_require_without_client_cert(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", NULL, DIR "root-cert.pem", DIR "root-cert.pem",
                    GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        check_refused(&p, i, no_cert_error(i));
        pair_free(&p);
    }
}

static void test_request_without_client_cert(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", NULL, DIR "root-cert.pem", DIR "root-cert.pem",
                    GNUTLS_CERT_REQUEST, WWW, 1, 0 };
        pair p;
        unsigned n = 7;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        CHECK_INT(p.cret, 0);
        CHECK_INT(p.sret, 0);
        CHECK(gnutls_certificate_get_peers(p.s, &n) == NULL);
        CHECK_INT(n, 7);                /* untouched, as in GnuTLS */
        CHECK(gnutls_certificate_get_ours(p.c) == NULL);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.s), (unsigned)-1);
        pair_free(&p);
    }
}

static void test_ignore_with_client_cert(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", "client", DIR "root-cert.pem", DIR "root-cert.pem",
                    GNUTLS_CERT_IGNORE, WWW, 1, 1 };
        pair p;
        unsigned n;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        CHECK_INT(p.cret, 0);
        CHECK_INT(p.sret, 0);
        CHECK(gnutls_certificate_get_peers(p.s, &n) == NULL);
        CHECK(gnutls_certificate_get_ours(p.c) == NULL);
        pair_free(&p);
    }
}

/* The server names the CAs it trusts (certificate_authorities): a client whose only
 * certificate is from another CA sends none, and REQUIRE fails - as with GnuTLS 3.7.9. */
static void test_untrusted_client_cert(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", "client", DIR "root-cert.pem",
                    DIR "other-root-cert.pem", GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        CHECK(gnutls_certificate_get_ours(p.c) == NULL);
        check_refused(&p, i, no_cert_error(i));
        pair_free(&p);
    }
}

/* Of two client pairs, the one whose chain reaches a CA the server named is sent. */
static void test_ca_names_choose_pair(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", "selfsigned", DIR "root-cert.pem",
                    DIR "root-cert.pem", GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;
        unsigned n;

        REQUIRE(pair_init(&p, &u) == 0);
        REQUIRE(add_pair(p.ccred, "client") >= 0);
        handshake(&p);
        CHECK_INT(p.cret, 0);
        CHECK_INT(p.sret, 0);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.s), 0);
        CHECK(gnutls_certificate_get_peers(p.s, &n) != NULL);
        CHECK_INT(n, 2);                /* client + inter, not the self-signed one */
        pair_free(&p);
    }
}

/* A server checks the client's chain for clientAuth: a clientAuth-only leaf passes. */
static void test_client_purpose(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", "noserverauth", DIR "root-cert.pem",
                    DIR "root-cert.pem", GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        CHECK_INT(p.sret, 0);
        CHECK_INT(p.cret, 0);
        pair_free(&p);
    }
}

/* ---- the client checking the server ---- */

static void check_client_verdict(const char *server, const char *trust, const char *host,
                                 int want_ret, unsigned want_status)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(both_versions); i++) {
        setup u = { both_versions[i], server, NULL, trust, NULL, GNUTLS_CERT_IGNORE, host, 1, 0 };
        pair p;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake(&p);
        if (p.cret != want_ret)
            fprintf(stderr, "  %s, %s, %s\n", both_versions[i], server, host ? host : "-");
        CHECK_INT(p.cret, want_ret);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.c), want_status);
        if (want_ret != 0) {
            CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
            CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_BAD_CERTIFICATE);
        } else {
            CHECK(gnutls_certificate_get_ours(p.s) != NULL);
        }
        pair_free(&p);
    }
}

static void test_client_verifies_server(void)
{
    const int FAIL = GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;

    check_client_verdict("leaf-ecdsa", DIR "root-cert.pem", WWW, 0, 0);
    check_client_verdict("leaf-rsa", DIR "root-cert.pem", WWW, 0, 0);
    check_client_verdict("leaf-ed25519", DIR "root-cert.pem", WWW, 0, 0);
    check_client_verdict("leaf-ecdsa", DIR "root-cert.pem", NULL, 0, 0);
    check_client_verdict("leaf-ecdsa", DIR "root-cert.pem", "wrong.keel.test", FAIL,
                         INV | GNUTLS_CERT_UNEXPECTED_OWNER);
    check_client_verdict("leaf-ecdsa", DIR "other-root-cert.pem", WWW, FAIL,
                         INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
    check_client_verdict("expired", DIR "root-cert.pem", WWW, FAIL, INV | GNUTLS_CERT_EXPIRED);
    check_client_verdict("leaf-pathlen", DIR "root-cert.pem", WWW, FAIL,
                         INV | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE);
    check_client_verdict("selfsigned", DIR "root-cert.pem", WWW, FAIL,
                         INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
    /* A certificate for clients only, used by a server. */
    check_client_verdict("client", DIR "root-cert.pem", "client.keel.test", FAIL,
                         INV | GNUTLS_CERT_PURPOSE_MISMATCH);
}

static int verify_calls, verify_answer;
static int verify_fn(gnutls_session_t s)
{
    unsigned status = 99;

    verify_calls++;
    /* The peer's chain is available to the callback, as in GnuTLS. */
    if (gnutls_certificate_verify_peers3(s, WWW, &status) < 0 || status != 0)
        return -1;
    return verify_answer;
}

static void test_verify_function(void)
{
    setup u = { protos[0], "leaf-ecdsa", NULL, DIR "root-cert.pem", NULL, GNUTLS_CERT_IGNORE,
                NULL, 0, 0 };
    pair p;

    REQUIRE(pair_init(&p, &u) == 0);
    gnutls_certificate_set_verify_function(p.ccred, verify_fn);
    verify_calls = 0;
    verify_answer = 0;
    handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(verify_calls, 1);
    pair_free(&p);

    REQUIRE(pair_init(&p, &u) == 0);
    gnutls_certificate_set_verify_function(p.ccred, verify_fn);
    verify_answer = 1;
    handshake(&p);
    CHECK_INT(p.cret, GNUTLS_E_CERTIFICATE_ERROR);
    CHECK_INT(verify_calls, 2);
    pair_free(&p);
}

/* The whole exchange with EAGAIN before every other transport call and 1-byte reads. */
static void test_faults(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-rsa", "client", DIR "root-cert.pem", DIR "root-cert.pem",
                    GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;

        REQUIRE(pair_init(&p, &u) == 0);
        for (int side = MEMT_CLIENT; side <= MEMT_SERVER; side++) {
            memt_set_again(p.l, side, 1);
            memt_set_max_read(p.l, side, 1);
        }
        handshake(&p);
        CHECK_INT(p.cret, 0);
        CHECK_INT(p.sret, 0);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.s), 0);
        pair_free(&p);
    }
}

/* Two client pairs that both reach the CA the server names: the first one added that can
 * sign with the server's schemes is sent. */
static void test_client_pair_order(void)
{
    FOR_EACH_VERSION(i) {
        setup u = { protos[i], "leaf-ecdsa", "leaf-ed25519", DIR "root-cert.pem",
                    DIR "root-cert.pem", GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;
        unsigned n;
        const gnutls_datum_t *peers, *ours;

        REQUIRE(pair_init(&p, &u) == 0);
        REQUIRE(add_pair(p.ccred, "client") >= 0);
        handshake(&p);
        CHECK_INT(p.sret, 0);
        peers = gnutls_certificate_get_peers(p.s, &n);
        REQUIRE(peers != NULL);
        /* The first pair added: the Ed25519 leaf. */
        ours = gnutls_certificate_get_ours(p.c);
        REQUIRE(ours != NULL);
        CHECK(ours->size == peers[0].size && memcmp(ours->data, peers[0].data, ours->size) == 0);
        CHECK_INT(p.c->vfy.own_pair->type, KEEL_PK_ED25519);
        pair_free(&p);
    }
}

/* Every key type signs the client's CertificateVerify (TLS 1.2: over the handshake
 * messages themselves, hashed with the scheme's hash or, for Ed25519, not at all); the
 * server's view of the scheme matches the client's. The leaf-* certificates are for
 * servers, so the server does not verify the chain here. */
static void test_client_key_types(void)
{
    static const char *chains[] = { "leaf-rsa", "leaf-ecdsa", "leaf-ed25519", "client" };
    static const keel_pk_type types[] = { KEEL_PK_RSA, KEEL_PK_EC_P256, KEEL_PK_ED25519,
                                          KEEL_PK_EC_P256 };

    FOR_EACH_VERSION(i) {
        for (size_t k = 0; k < KEEL_ARRAY_SIZE(chains); k++) {
            setup u = { protos[i], "leaf-ecdsa", chains[k], DIR "root-cert.pem", NULL,
                        GNUTLS_CERT_REQUIRE, WWW, 1, 0 };
            pair p;
            unsigned n = 0;

            REQUIRE(pair_init(&p, &u) == 0);
            handshake(&p);
            if (p.sret != 0 || p.cret != 0)
                fprintf(stderr, "  %s, client %s\n", protos[i], chains[k]);
            CHECK_INT(p.cret, 0);
            CHECK_INT(p.sret, 0);
            CHECK(gnutls_certificate_get_peers(p.s, &n) != NULL);
            CHECK_INT(n, 2);
            REQUIRE(p.c->vfy.own_pair != NULL);
            CHECK_INT(p.c->vfy.own_pair->type, types[k]);
            CHECK(p.c->sig_scheme_local != 0);
            CHECK_INT(p.s->sig_scheme_peer, p.c->sig_scheme_local);
            pair_free(&p);
        }
    }
}

/* A CertificateVerify that does not verify: the server fails with
 * GNUTLS_E_PK_SIG_VERIFY_FAILED (alert decrypt_error) whether or not it verifies chains. */
static void test_bad_client_signature(void)
{
    FOR_EACH_VERSION(i) {
        for (int verify = 0; verify <= 1; verify++) {
            setup u = { protos[i], "leaf-ecdsa", "client", DIR "root-cert.pem",
                        DIR "root-cert.pem", GNUTLS_CERT_REQUEST, WWW, 1, verify };
            static struct keel_test_hs_params t;
            pair p;

            memset(&t, 0, sizeof t);
            t.corrupt = KEEL_TEST_CORRUPT_CV;
            REQUIRE(pair_init(&p, &u) == 0);
            REQUIRE(keel_test_hs_set_params(p.c, &t) == 0);
            handshake(&p);
            check_refused(&p, i, GNUTLS_E_PK_SIG_VERIFY_FAILED);
            CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_DECRYPT_ERROR);
            pair_free(&p);
        }
    }
}

/* Client certificates when only one side is limited to TLS 1.2 (the version-neutral hello
 * code hands over to TLS 1.2 on either side), and when both allow both (TLS 1.3). */
static void test_mixed_versions(void)
{
    static const struct { const char *cprio, *sprio; gnutls_protocol_t want; } cases[] = {
        { "NORMAL", "NORMAL:-VERS-ALL:+VERS-TLS1.2", GNUTLS_TLS1_2 },
        { "NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL", GNUTLS_TLS1_2 },
        { "NORMAL", "NORMAL", GNUTLS_TLS1_3 },
    };

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(cases); i++) {
        setup u = { cases[i].cprio, "leaf-ecdsa", "client", DIR "root-cert.pem",
                    DIR "root-cert.pem", GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;
        unsigned n = 0;

        REQUIRE(pair_init(&p, &u) == 0);
        REQUIRE(gnutls_priority_set_direct(p.s, cases[i].sprio, NULL) == 0);
        handshake(&p);
        CHECK_INT(p.cret, 0);
        CHECK_INT(p.sret, 0);
        CHECK_INT(gnutls_protocol_get_version(p.c), cases[i].want);
        CHECK(gnutls_certificate_get_peers(p.s, &n) != NULL);
        CHECK_INT(n, 2);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.s), 0);
        pair_free(&p);
    }
}

/* What a requesting server's checks make of a client without a certificate, and which check
 * runs, as GnuTLS 3.7.9 does (each row was run against libgnutls): gnutls_session_set_verify_cert
 * fails it even under GNUTLS_CERT_REQUEST (GNUTLS_E_CERTIFICATE_ERROR) and takes the place of the
 * credentials' verify function; the verify function runs with or without a certificate, and its
 * answer reads 0 = accept, below -1 = that error, anything else = GNUTLS_E_CERTIFICATE_ERROR; a
 * server that does not ask calls nothing. */
static int server_fn_calls, server_fn_answer;
static int server_fn(gnutls_session_t s)
{
    (void)s;
    server_fn_calls++;
    return server_fn_answer;
}

static void test_server_checks(void)
{
    static const struct {
        gnutls_certificate_request_t request;
        int client_cert, set_verify, fn, answer, want, want_calls;
    } rows[] = {
        { GNUTLS_CERT_REQUEST, 0, 1, 0, 0, GNUTLS_E_CERTIFICATE_ERROR, 0 },
        { GNUTLS_CERT_REQUEST, 0, 0, 1, 0, 0, 1 },
        { GNUTLS_CERT_REQUEST, 0, 0, 1, -1, GNUTLS_E_CERTIFICATE_ERROR, 1 },
        { GNUTLS_CERT_REQUEST, 0, 0, 1, 1, GNUTLS_E_CERTIFICATE_ERROR, 1 },
        { GNUTLS_CERT_REQUEST, 0, 0, 1, GNUTLS_E_INVALID_REQUEST, GNUTLS_E_INVALID_REQUEST, 1 },
        { GNUTLS_CERT_IGNORE, 0, 0, 1, 1, 0, 0 },
        { GNUTLS_CERT_REQUEST, 1, 1, 1, 1, 0, 0 },
        { GNUTLS_CERT_REQUEST, 1, 0, 1, -1, GNUTLS_E_CERTIFICATE_ERROR, 1 },
        { GNUTLS_CERT_REQUIRE, 1, 0, 1, 0, 0, 1 },
    };

    FOR_EACH_VERSION(i) {
        for (size_t r = 0; r < KEEL_ARRAY_SIZE(rows); r++) {
            setup u = { protos[i], "leaf-ecdsa", rows[r].client_cert ? "client" : NULL,
                        DIR "root-cert.pem", DIR "root-cert.pem", rows[r].request, WWW, 1,
                        rows[r].set_verify };
            pair p;

            REQUIRE(pair_init(&p, &u) == 0);
            if (rows[r].fn)
                gnutls_certificate_set_verify_function(p.scred, server_fn);
            server_fn_calls = 0;
            server_fn_answer = rows[r].answer;
            handshake(&p);
            if (p.sret != rows[r].want || server_fn_calls != rows[r].want_calls)
                fprintf(stderr, "  %s, row %zu\n", protos[i], r);
            CHECK_INT(p.sret, rows[r].want);
            CHECK_INT(server_fn_calls, rows[r].want_calls);
            if (rows[r].want == GNUTLS_E_CERTIFICATE_ERROR)
                check_refused(&p, i, rows[r].want);
            pair_free(&p);
        }
    }
}

/* Settings changed from hooks after the ClientHello count (GnuTLS's post-client-hello
 * pattern): the server's request, set while its ClientHello hook runs; the client's
 * certificate, added when the CertificateRequest arrives. */
static pair *hook_pair;
static int request_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                        const gnutls_datum_t *msg)
{
    (void)htype;
    (void)when;
    (void)incoming;
    (void)msg;
    gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
    return 0;
}

static int add_cert_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                         const gnutls_datum_t *msg)
{
    (void)s;
    (void)htype;
    (void)when;
    (void)incoming;
    (void)msg;
    return add_pair(hook_pair->ccred, "client") < 0 ? -1 : 0;
}

static void test_settings_from_hooks(void)
{
    FOR_EACH_VERSION(i) {
        for (int which = 0; which < 2; which++) {
            setup u = { protos[i], "leaf-ecdsa", which == 0 ? "client" : NULL,
                        DIR "root-cert.pem", DIR "root-cert.pem",
                        which == 0 ? GNUTLS_CERT_IGNORE : GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
            pair p;
            unsigned n = 0;

            REQUIRE(pair_init(&p, &u) == 0);
            hook_pair = &p;
            if (which == 0)
                gnutls_handshake_set_hook_function(p.s, GNUTLS_HANDSHAKE_CLIENT_HELLO,
                                                   GNUTLS_HOOK_POST, request_hook);
            else
                gnutls_handshake_set_hook_function(p.c, GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST,
                                                   GNUTLS_HOOK_PRE, add_cert_hook);
            handshake(&p);
            if (p.cret != 0 || p.sret != 0)
                fprintf(stderr, "  %s, %s\n", protos[i], which == 0 ? "server hook" : "client hook");
            CHECK_INT(p.cret, 0);
            CHECK_INT(p.sret, 0);
            CHECK(gnutls_certificate_get_peers(p.s, &n) != NULL);
            CHECK_INT(n, 2);
            pair_free(&p);
        }
    }
}

/* ---- malformed TLS 1.2 certificate messages ---- */

typedef void (*tamper_fn)(uint8_t *body, size_t len);

/* Moves what `from` wrote to its peer, giving fn the body of every handshake message of
 * `type` in the plaintext records (TLS 1.2 before ChangeCipherSpec; a message is in one
 * record, as Keel writes these). */
static void pass_flight(pair *p, int from, uint8_t type, tamper_fn fn)
{
    static uint8_t buf[1 << 17];
    size_t n = memt_take(p->l, from, buf, sizeof buf), off = 0;

    while (fn != NULL && off + 5 <= n && buf[off] != 20 /* ChangeCipherSpec */) {
        size_t rlen = (size_t)buf[off + 3] << 8 | buf[off + 4], m = off + 5;
        if (buf[off] == 22)
            while (m + 4 <= off + 5 + rlen && m + 4 <= n) {
                size_t mlen = (size_t)buf[m + 1] << 16 | (size_t)buf[m + 2] << 8 | buf[m + 3];
                if (buf[m] == type && m + 4 + mlen <= n)
                    fn(buf + m + 4, mlen);
                m += 4 + mlen;
            }
        off += 5 + rlen;
    }
    memt_inject(p->l, !from, buf, n);
}

static int transient(int r)
{
    return r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED;
}

/* The handshake of memt_handshake2, with `from`'s messages of `type` passed through fn. */
static void handshake_tampered(pair *p, int from, uint8_t type, tamper_fn fn)
{
    p->cret = p->sret = GNUTLS_E_AGAIN;
    for (int i = 0; i < 100 && (transient(p->cret) || transient(p->sret)); i++) {
        if (transient(p->cret))
            p->cret = gnutls_handshake(p->c);
        pass_flight(p, MEMT_CLIENT, type, from == MEMT_CLIENT ? fn : NULL);
        if (transient(p->sret))
            p->sret = gnutls_handshake(p->s);
        pass_flight(p, MEMT_SERVER, type, from == MEMT_SERVER ? fn : NULL);
    }
}

/* CertificateRequest: types<1..2^8-1> | schemes<2..2^16-2> | authorities<0..2^16-1> */
static void cr_no_types(uint8_t *b, size_t n) { if (n > 0) b[0] = 0; }
static void cr_odd_schemes(uint8_t *b, size_t n) { if (n > (size_t)b[0] + 2) b[b[0] + 2] ^= 1; }
static void cr_dss_only(uint8_t *b, size_t n)
{
    for (size_t i = 1; i <= b[0] && i < n; i++)
        b[i] = 2;                       /* dss_sign: a type Keel has no key for */
}
/* CertificateVerify: scheme(2) | signature<0..2^16-1> */
static void cv_pss_scheme(uint8_t *b, size_t n) { if (n >= 2) { b[0] = 0x08; b[1] = 0x04; } }
static void cv_unknown_scheme(uint8_t *b, size_t n) { if (n >= 2) { b[0] = 0xfe; b[1] = 0xfe; } }
/* Certificate: list<0..2^24-1> of cert<1..2^24-1>: the first certificate's DER tag. */
static void ct_bad_der(uint8_t *b, size_t n) { if (n > 6) b[6] ^= 0x01; }

static void test_tls12_malformed(void)
{
    static const struct {
        const char *what;
        int from;
        uint8_t type;
        tamper_fn fn;
        int want_c, want_s;     /* the side that detects it; the other gets the alert */
    } cases[] = {
        { "request without types", MEMT_SERVER, GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST,
          cr_no_types, GNUTLS_E_UNEXPECTED_PACKET_LENGTH, 0 },
        { "request with an odd scheme list", MEMT_SERVER, GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST,
          cr_odd_schemes, GNUTLS_E_UNEXPECTED_PACKET_LENGTH, 0 },
        { "request for dss_sign only", MEMT_SERVER, GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST,
          cr_dss_only, 0, GNUTLS_E_NO_CERTIFICATE_FOUND },
        { "verify with a scheme the key cannot make", MEMT_CLIENT,
          GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY, cv_pss_scheme, 0,
          GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM },
        { "verify with an unknown scheme", MEMT_CLIENT, GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY,
          cv_unknown_scheme, 0, GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM },
        { "certificate with broken DER", MEMT_CLIENT, GNUTLS_HANDSHAKE_CERTIFICATE_PKT,
          ct_bad_der, 0, GNUTLS_E_ASN1_TAG_ERROR },
    };

    for (size_t k = 0; k < KEEL_ARRAY_SIZE(cases); k++) {
        setup u = { protos[1], "leaf-ecdsa", "client", DIR "root-cert.pem", DIR "root-cert.pem",
                    GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
        pair p;
        int want, got, level;

        REQUIRE(pair_init(&p, &u) == 0);
        handshake_tampered(&p, cases[k].from, cases[k].type, cases[k].fn);
        if (cases[k].want_c != 0) {
            want = cases[k].want_c;
            got = p.cret;
            CHECK_INT(p.sret, GNUTLS_E_FATAL_ALERT_RECEIVED);
            CHECK_INT(gnutls_alert_get(p.s), gnutls_error_to_alert(want, &level));
        } else {
            want = cases[k].want_s;
            got = p.sret;
            CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
            CHECK_INT(gnutls_alert_get(p.c), gnutls_error_to_alert(want, &level));
        }
        if (got != want)
            fprintf(stderr, "  %s\n", cases[k].what);
        CHECK_INT(got, want);
        pair_free(&p);
    }
}

/* ---- gnutls_certificate_set_retrieve_function2 ---- */

static gnutls_pcert_st cb_pcerts[2];
static gnutls_privkey_t cb_key;
static int cb_calls, cb_mode, cb_nreqs, cb_algos;

static int retrieve_cb(gnutls_session_t s, const gnutls_datum_t *req_ca_rdn, int nreqs,
                       const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                       gnutls_pcert_st **pcert, unsigned int *pcert_length,
                       gnutls_privkey_t *privkey)
{
    (void)s;
    (void)req_ca_rdn;
    (void)pk_algos;
    cb_calls++;
    cb_nreqs = nreqs;
    cb_algos = pk_algos_length;
    if (cb_mode == 1)
        return -1;
    if (cb_mode == 2) {
        *pcert_length = 0;
        return 0;
    }
    *pcert = cb_pcerts;
    *pcert_length = 2;
    *privkey = cb_key;
    return 0;
}

static int load_datum(const char *path, gnutls_datum_t *d)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (f == NULL)
        return -1;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    d->data = malloc((size_t)n);
    d->size = (unsigned)n;
    n = (long)fread(d->data, 1, (size_t)n, f);
    fclose(f);
    return n == (long)d->size ? 0 : -1;
}

static void retrieve_function2_in(size_t version)
{
    setup u = { protos[version], "leaf-ecdsa", NULL, DIR "root-cert.pem", DIR "root-cert.pem",
                GNUTLS_CERT_REQUIRE, WWW, 1, 1 };
    gnutls_datum_t leaf, inter, key;
    pair p;
    unsigned n;
    const gnutls_datum_t *peers;

    REQUIRE(load_datum(DIR "client-cert.pem", &leaf) == 0);
    REQUIRE(load_datum(DIR "inter-cert.pem", &inter) == 0);
    REQUIRE(load_datum(DIR "client-key.pem", &key) == 0);
    REQUIRE(gnutls_pcert_import_x509_raw(&cb_pcerts[0], &leaf, GNUTLS_X509_FMT_PEM, 0) == 0);
    REQUIRE(gnutls_pcert_import_x509_raw(&cb_pcerts[1], &inter, GNUTLS_X509_FMT_PEM, 0) == 0);
    REQUIRE(gnutls_privkey_init(&cb_key) == 0);
    REQUIRE(gnutls_privkey_import_x509_raw(cb_key, &key, GNUTLS_X509_FMT_PEM, NULL, 0) == 0);

    /* The callback's chain is sent and verified by the server. */
    REQUIRE(pair_init(&p, &u) == 0);
    gnutls_certificate_set_retrieve_function2(p.ccred, retrieve_cb);
    cb_mode = 0;
    cb_calls = 0;
    handshake(&p);
    CHECK_INT(p.cret, 0);
    CHECK_INT(p.sret, 0);
    CHECK_INT(cb_calls, 1);
    CHECK_INT(cb_nreqs, 1);             /* the server names its one CA */
    CHECK(cb_algos > 0);
    peers = gnutls_certificate_get_peers(p.s, &n);
    REQUIRE(peers != NULL);
    CHECK_INT(n, 2);
    CHECK(peers[0].size == cb_pcerts[0].cert.size &&
          memcmp(peers[0].data, cb_pcerts[0].cert.data, peers[0].size) == 0);
    CHECK_INT(gnutls_session_get_verify_cert_status(p.s), 0);
    pair_free(&p);

    /* The callback may send a certificate the server does not trust: its verification
     * fails (GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR, bad_certificate). */
    {
        setup w = u;
        w.server_trust = DIR "other-root-cert.pem";
        REQUIRE(pair_init(&p, &w) == 0);
        gnutls_certificate_set_retrieve_function2(p.ccred, retrieve_cb);
        cb_mode = 0;
        handshake(&p);
        check_refused(&p, version, GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR);
        CHECK_INT(gnutls_alert_get(p.c), GNUTLS_A_BAD_CERTIFICATE);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.s), INV | GNUTLS_CERT_SIGNER_NOT_FOUND);
        pair_free(&p);
    }

    /* Nothing to send: an empty Certificate, refused under REQUIRE. */
    REQUIRE(pair_init(&p, &u) == 0);
    gnutls_certificate_set_retrieve_function2(p.ccred, retrieve_cb);
    cb_mode = 2;
    handshake(&p);
    check_refused(&p, version, no_cert_error(version));
    pair_free(&p);

    /* A failing callback fails the client's handshake. */
    REQUIRE(pair_init(&p, &u) == 0);
    gnutls_certificate_set_retrieve_function2(p.ccred, retrieve_cb);
    cb_mode = 1;
    handshake(&p);
    CHECK_INT(p.cret, GNUTLS_E_USER_ERROR);
    pair_free(&p);

    /* And the server's, with the same error. */
    REQUIRE(pair_init(&p, &u) == 0);
    gnutls_certificate_set_retrieve_function2(p.scred, retrieve_cb);
    cb_mode = 1;
    handshake(&p);
    CHECK_INT(p.sret, GNUTLS_E_USER_ERROR);
    CHECK_INT(p.cret, GNUTLS_E_FATAL_ALERT_RECEIVED);
    pair_free(&p);

    /* The server's pair from a retrieve function too (no pair in its credentials). */
    {
        gnutls_datum_t sleaf, skey;
        gnutls_pcert_st spc[2];
        gnutls_privkey_t sk;
        setup v = { protos[version], "leaf-ecdsa", NULL, DIR "root-cert.pem", NULL,
                    GNUTLS_CERT_IGNORE, WWW, 1, 0 };

        REQUIRE(load_datum(DIR "leaf-rsa-cert.pem", &sleaf) == 0);
        REQUIRE(load_datum(DIR "leaf-rsa-key.pem", &skey) == 0);
        REQUIRE(gnutls_pcert_import_x509_raw(&spc[0], &sleaf, GNUTLS_X509_FMT_PEM, 0) == 0);
        REQUIRE(gnutls_pcert_import_x509_raw(&spc[1], &inter, GNUTLS_X509_FMT_PEM, 0) == 0);
        REQUIRE(gnutls_privkey_init(&sk) == 0);
        REQUIRE(gnutls_privkey_import_x509_raw(sk, &skey, GNUTLS_X509_FMT_PEM, NULL, 0) == 0);
        gnutls_pcert_deinit(&cb_pcerts[0]);
        gnutls_pcert_deinit(&cb_pcerts[1]);
        gnutls_privkey_deinit(cb_key);
        cb_pcerts[0] = spc[0];
        cb_pcerts[1] = spc[1];
        cb_key = sk;
        REQUIRE(pair_init(&p, &v) == 0);
        gnutls_certificate_set_retrieve_function2(p.scred, retrieve_cb);
        cb_mode = 0;
        cb_calls = 0;
        handshake(&p);
        CHECK_INT(p.sret, 0);
        CHECK_INT(p.cret, 0);
        CHECK_INT(cb_calls, 1);
        CHECK_INT(gnutls_session_get_verify_cert_status(p.c), 0);
        peers = gnutls_certificate_get_peers(p.c, &n);
        REQUIRE(peers != NULL);
        CHECK(peers[0].size == spc[0].cert.size &&
              memcmp(peers[0].data, spc[0].cert.data, peers[0].size) == 0);
        CHECK(gnutls_certificate_get_ours(p.s) != NULL);
        pair_free(&p);
        free(sleaf.data);
        free(skey.data);
    }

    gnutls_pcert_deinit(&cb_pcerts[0]);
    gnutls_pcert_deinit(&cb_pcerts[1]);
    gnutls_privkey_deinit(cb_key);
    free(leaf.data);
    free(inter.data);
    free(key.data);
}

static void test_retrieve_function2(void)
{
    FOR_EACH_VERSION(i)
        retrieve_function2_in(i);
}

int main(void)
{
    if (gnutls_global_init() < 0)
        return 1;
    gnutls_global_set_time_function(fixed_time);
    RUN(test_require_with_trusted_client);
    RUN(test_require_without_client_cert);
    RUN(test_request_without_client_cert);
    RUN(test_ignore_with_client_cert);
    RUN(test_untrusted_client_cert);
    RUN(test_ca_names_choose_pair);
    RUN(test_client_purpose);
    RUN(test_client_verifies_server);
    RUN(test_verify_function);
    RUN(test_faults);
    RUN(test_client_pair_order);
    RUN(test_retrieve_function2);
    RUN(test_client_key_types);
    RUN(test_bad_client_signature);
    RUN(test_mixed_versions);
    RUN(test_server_checks);
    RUN(test_tls12_malformed);
    RUN(test_settings_from_hooks);
    gnutls_global_deinit();
    return t_done();
}
