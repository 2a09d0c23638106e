/* What the whole-peer targets (fuzz_client.c, fuzz_server.c) and the seed recorder
 * (make-seeds.c) must agree on for a recorded handshake to replay in the target: the fuzzed
 * side's priorities, credentials and session settings, and its fixed x25519 key share. */
#ifndef KEEL_FUZZ_PARAMS_H
#define KEEL_FUZZ_PARAMS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include "crypto/crypto.h"
#include "handshake/handshake.h"

/* NORMAL with X25519 first: a client's first (only) key share is for its first group, and
 * x25519 is a group whose private key the test hook can fix (keel_test_kx_from_private).
 * NORMAL's other groups stay, the finite-field ones too, so that HelloRetryRequest and FFDHE
 * remain reachable. */
#define FUZZ_GROUPS "-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:" \
    "+GROUP-SECP521R1:+GROUP-X448:+GROUP-FFDHE2048:+GROUP-FFDHE3072:+GROUP-FFDHE4096:" \
    "+GROUP-FFDHE6144:+GROUP-FFDHE8192"
#define FUZZ_CLIENT_PRIO "NORMAL:" FUZZ_GROUPS
#define FUZZ_SERVER_PRIO "NORMAL:" FUZZ_GROUPS

/* The fuzzed side's x25519 private key (any 32 bytes are one): with it, the handshake
 * secrets of a recorded TLS 1.3 handshake are the target's too, and it decrypts the
 * recorded encrypted flight. TLS 1.2 key exchange keys are not fixable. */
static const uint8_t FUZZ_X25519_PRIV[32] = "keel-fuzz-x25519-private-key-01!";

/* The fuzzed server's pairs, in selection order (the first one the client's
 * signature_algorithms allow): Ed25519 first because its signatures are deterministic, so
 * that the rest of a recorded TLS 1.3 handshake (the client's Finished, its
 * CertificateVerify) still verifies against the target's transcript. */
static const char *const FUZZ_SERVER_PAIRS[][2] = {
    { "ed25519-cert.pem", "ed25519-key.pem" },
    { "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" },
    { "rsa-cert.pem", "rsa-key.pem" },
};
/* The fuzzed client's pair (ECDSA P-256 under tests/data/verify's intermediate and root),
 * sent when a server asks for a certificate. */
#define FUZZ_CLIENT_CERT "verify/client-chain.pem"
#define FUZZ_CLIENT_KEY "verify/client-key.pem"

/* A PEM pair from $KEEL_SRCDIR/tests/data (default: the current directory). */
static inline int fuzz_add_pair(gnutls_certificate_credentials_t cred, const char *cert,
                                const char *key)
{
    const char *dir = getenv("KEEL_SRCDIR");
    char cp[512], kp[512];

    snprintf(cp, sizeof cp, "%s/tests/data/%s", dir ? dir : ".", cert);
    snprintf(kp, sizeof kp, "%s/tests/data/%s", dir ? dir : ".", key);
    return gnutls_certificate_set_x509_key_file(cred, cp, kp, GNUTLS_X509_FMT_PEM);
}

static inline int fuzz_client_credentials(gnutls_certificate_credentials_t *cred)
{
    if (gnutls_certificate_allocate_credentials(cred) < 0)
        return -1;
    return fuzz_add_pair(*cred, FUZZ_CLIENT_CERT, FUZZ_CLIENT_KEY) < 0 ? -1 : 0;
}

static inline int fuzz_server_credentials(gnutls_certificate_credentials_t *cred)
{
    if (gnutls_certificate_allocate_credentials(cred) < 0)
        return -1;
    for (size_t i = 0; i < sizeof FUZZ_SERVER_PAIRS / sizeof FUZZ_SERVER_PAIRS[0]; i++)
        if (fuzz_add_pair(*cred, FUZZ_SERVER_PAIRS[i][0], FUZZ_SERVER_PAIRS[i][1]) < 0)
            return -1;
    return 0;
}

/* The fuzzed side's x25519 share from FUZZ_X25519_PRIV. The session keeps a pointer to the
 * parameters for the whole handshake, hence static (one fuzzed session at a time). */
static inline int fuzz_fix_key_share(gnutls_session_t s)
{
    static struct keel_test_hs_params params;

    memset(&params, 0, sizeof params);
    params.kx_id = KEEL_KX_X25519;
    memcpy(params.kx_priv, FUZZ_X25519_PRIV, sizeof FUZZ_X25519_PRIV);
    params.kx_priv_len = sizeof FUZZ_X25519_PRIV;
    return keel_test_hs_set_params(s, &params);
}

/* Everything set on the fuzzed session besides its transport and randomness. */
static inline int fuzz_client_setup(gnutls_session_t s, gnutls_certificate_credentials_t cred)
{
    if (gnutls_priority_set_direct(s, FUZZ_CLIENT_PRIO, NULL) < 0 ||
        gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) < 0 ||
        gnutls_server_name_set(s, GNUTLS_NAME_DNS, "fuzz.example", 12) < 0)
        return -1;
    return fuzz_fix_key_share(s) < 0 ? -1 : 0;
}

static inline int fuzz_server_setup(gnutls_session_t s, gnutls_certificate_credentials_t cred)
{
    if (gnutls_priority_set_direct(s, FUZZ_SERVER_PRIO, NULL) < 0 ||
        gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) < 0)
        return -1;
    /* The client's Certificate and CertificateVerify (TLS 1.2 and 1.3), optional. */
    gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
    return fuzz_fix_key_share(s) < 0 ? -1 : 0;
}

#endif
