/* Shared by the test_tls12*.c programs: a client and a server session joined by the memory
 * transport, with certificate, anonymous and DH credentials, and a data check. Header-only
 * (static functions): tests/lib is linked into every test program. */
#ifndef KEEL_TEST_TLS12_COMMON_H
#define KEEL_TEST_TLS12_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <gnutls/gnutls.h>
#include "lib/memtransport.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

enum { T12_RSA, T12_ECDSA };
enum { T12_NO_DH, T12_CUSTOM_DH, T12_SMALL_DH };

/* openssl genpkey -genparam -algorithm DH -pkeyopt dh_paramgen_prime_len:2048 (not an
 * RFC 7919 group), and a 768-bit one, below every priority's minimum. */
static const char t12_dh2048_pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIIBCAKCAQEAngKWY2bVzi0qTnSmaN/NgKGNYHPZvmLmvLt7Hyi4ttYRbNTWvPr2\n"
    "VEy+jtCw0csLynX3GW4NpKAh5m9Cm5itUUx8a93SSV1BJ+ls30HkJmBaVZIBZBOd\n"
    "GdHK4kfiz8mCkw3B4S8y7DdXRoYjtWA1eeQiagTU6aZK1F9EpB2uT+H6vrfh+uxo\n"
    "Ui5Yyz8djjaZvEsbcwsEPhPA1CmgehEXeQi8ciewdeRkAyBfeyY+6Lp10SAJ4cCf\n"
    "hX8BC7wq1V28k7qoLQY5WV4o2jvOTydUho7W2hxuxvhtQO7JhwzD17riQCJ48M70\n"
    "qEfCveRvQ51AjlfeQrjiUQOtBnu/aq6TDwIBAg==\n"
    "-----END DH PARAMETERS-----\n";
static const char t12_dh768_pem[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MGYCYQCIE1B+MueN2slMDCx9np8ApZT4bmv5raVC72J1Tt1YY+HiK6XJGBsAOza1\n"
    "DR1PD+WwKEJP1lwv1qpYA891uIcCfsW0/wPZ2a2dfUfO9TkUyoB5EejtgqYRH/BL\n"
    "P/We9f8CAQI=\n"
    "-----END DH PARAMETERS-----\n";

typedef struct {
    gnutls_session_t c, s;
    memt_link *l;
    gnutls_certificate_credentials_t scred, ccred;
    gnutls_anon_server_credentials_t sanon;
    gnutls_anon_client_credentials_t canon;
    gnutls_dh_params_t dh;
    int cret, sret;
} t12_pair;

static inline const char *t12_srcdir(void)
{
    const char *d = getenv("KEEL_SRCDIR");
    return d ? d : ".";
}

static inline int t12_load(gnutls_certificate_credentials_t cred, const char *cert, const char *key)
{
    char cp[512], kp[512];

    snprintf(cp, sizeof cp, "%s/tests/data/%s", t12_srcdir(), cert);
    snprintf(kp, sizeof kp, "%s/tests/data/%s", t12_srcdir(), key);
    return gnutls_certificate_set_x509_key_file(cred, cp, kp, GNUTLS_X509_FMT_PEM);
}

static inline int t12_init(t12_pair *p, const char *cprio, const char *sprio, int key, int dh)
{
    memset(p, 0, sizeof *p);
    if (gnutls_certificate_allocate_credentials(&p->scred) < 0 ||
        gnutls_certificate_allocate_credentials(&p->ccred) < 0 ||
        gnutls_anon_allocate_server_credentials(&p->sanon) < 0 ||
        gnutls_anon_allocate_client_credentials(&p->canon) < 0)
        return -1;
    if (t12_load(p->scred, key == T12_ECDSA ? "ecdsa-p256-cert.pem" : "rsa-cert.pem",
                 key == T12_ECDSA ? "ecdsa-p256-key.pem" : "rsa-key.pem") < 0)
        return -1;
    if (dh != T12_NO_DH) {
        gnutls_datum_t d;
        d.data = (unsigned char *)(dh == T12_SMALL_DH ? t12_dh768_pem : t12_dh2048_pem);
        d.size = (unsigned)strlen((const char *)d.data);
        if (gnutls_dh_params_init(&p->dh) < 0 ||
            gnutls_dh_params_import_pkcs3(p->dh, &d, GNUTLS_X509_FMT_PEM) < 0)
            return -1;
        gnutls_certificate_set_dh_params(p->scred, p->dh);
        gnutls_anon_set_server_dh_params(p->sanon, p->dh);
    }
    if (gnutls_init(&p->c, GNUTLS_CLIENT) < 0 || gnutls_init(&p->s, GNUTLS_SERVER) < 0)
        return -1;
    if (gnutls_priority_set_direct(p->c, cprio, NULL) < 0 ||
        gnutls_priority_set_direct(p->s, sprio, NULL) < 0) {
        fprintf(stderr, "  bad priority %s / %s\n", cprio, sprio);
        return -1;
    }
    gnutls_credentials_set(p->c, GNUTLS_CRD_CERTIFICATE, p->ccred);
    gnutls_credentials_set(p->s, GNUTLS_CRD_CERTIFICATE, p->scred);
    gnutls_credentials_set(p->c, GNUTLS_CRD_ANON, p->canon);
    gnutls_credentials_set(p->s, GNUTLS_CRD_ANON, p->sanon);
    p->l = memt_new();
    if (p->l == NULL)
        return -1;
    memt_attach(p->l, p->c, p->s);
    return 0;
}

static inline void t12_free(t12_pair *p)
{
    gnutls_deinit(p->c);
    gnutls_deinit(p->s);
    memt_free(p->l);
    gnutls_certificate_free_credentials(p->scred);
    gnutls_certificate_free_credentials(p->ccred);
    gnutls_anon_free_server_credentials(p->sanon);
    gnutls_anon_free_client_credentials(p->canon);
    gnutls_dh_params_deinit(p->dh);
}

/* Sends n bytes from a to b (both established) and checks they arrive intact. */
static inline int t12_transfer(gnutls_session_t a, gnutls_session_t b, size_t n)
{
    unsigned char *src = malloc(n), *dst = malloc(n);
    size_t sent = 0, got = 0;
    int ok = 1;
    long spins = 0;

    for (size_t i = 0; i < n; i++)
        src[i] = (unsigned char)(i * 13 + 5);
    while (ok && got < n && spins++ < 1000000) {
        if (sent < n) {
            ssize_t r = gnutls_record_send(a, src + sent, n - sent);
            if (r > 0)
                sent += (size_t)r;
            else if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
                ok = 0;
        }
        ssize_t r = gnutls_record_recv(b, dst + got, n - got);
        if (r > 0)
            got += (size_t)r;
        else if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
            ok = 0;
    }
    ok = ok && got == n && memcmp(src, dst, n) == 0;
    free(src);
    free(dst);
    return ok;
}

#endif
