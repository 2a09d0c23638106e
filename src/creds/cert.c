/* Certificate credentials: allocation, adding key pairs from memory or files (GnuTLS's
 * gnutls_certificate_set_x509_key_* family), choosing a pair for a handshake, and the trust
 * list with its CRLs and verification settings. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include "creds/creds.h"
#include "priority/algs.h"
#include "wire/cursor.h"

int gnutls_certificate_allocate_credentials(gnutls_certificate_credentials_t *res)
{
    CHECK(res != NULL, GNUTLS_E_INVALID_REQUEST);
    *res = keel_calloc(1, sizeof **res);
    CHECK(*res != NULL, GNUTLS_E_MEMORY_ERROR);
    return 0;
}

void keel_creds_pair_free(struct keel_cert_pair *pair)
{
    if (pair == NULL)
        return;
    keel_cert_chain_free(pair->chain, pair->n_chain);
    if (pair->key != NULL)
        keel_pkey_unref(pair->key);
    keel_free(pair);
}

void gnutls_certificate_free_credentials(gnutls_certificate_credentials_t sc)
{
    if (sc == NULL)
        return;
    for (unsigned i = 0; i < sc->n_pairs; i++)
        keel_creds_pair_free(sc->pairs[i]);
    keel_free(sc->pairs);
    keel_trust_free(sc->trust);
    keel_free(sc);
}

void gnutls_certificate_set_flags(gnutls_certificate_credentials_t res, unsigned flags)
{
    if (res != NULL)
        res->flags = flags;
}

/* Takes pair; returns the new pair's index. */
static int add_pair(gnutls_certificate_credentials_t res, struct keel_cert_pair *pair)
{
    struct keel_cert_pair **grown;

    if (res->n_pairs >= INT32_MAX) {
        keel_creds_pair_free(pair);
        return GNUTLS_E_MEMORY_ERROR;
    }
    grown = keel_realloc(res->pairs, (res->n_pairs + 1) * sizeof *grown);
    if (grown == NULL) {
        keel_creds_pair_free(pair);
        return GNUTLS_E_MEMORY_ERROR;
    }
    grown[res->n_pairs] = pair;
    res->pairs = grown;
    return (int)res->n_pairs++;
}

int gnutls_certificate_set_x509_key_mem2(gnutls_certificate_credentials_t res,
                                         const gnutls_datum_t *cert, const gnutls_datum_t *key,
                                         gnutls_x509_crt_fmt_t type, const char *pass,
                                         unsigned int flags)
{
    struct keel_cert_pair *pair;
    int ret, index;

    (void)flags;        /* gnutls_pkcs_encrypt_flags_t: the key's own encoding says it all */
    CHECK(res != NULL && cert != NULL && key != NULL, GNUTLS_E_INVALID_REQUEST);
    pair = keel_calloc(1, sizeof *pair);
    CHECK(pair != NULL, GNUTLS_E_MEMORY_ERROR);

    /* The key first: GnuTLS reports a bad key before a bad certificate. */
    TRY_OUT(keel_load_private_key(key, type, pass, &pair->key));
    TRY_OUT(keel_load_cert_chain(cert, type, &pair->chain, &pair->n_chain));
    if (!(res->flags & GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH))
        TRY_OUT(keel_cert_key_match(pair->chain[0], pair->key));
    pair->type = keel_pkey_type(pair->key);
    {
        size_t der_len;
        pair->leaf_der.data = (unsigned char *)keel_cert_der(pair->chain[0], &der_len);
        pair->leaf_der.size = (unsigned)der_len;
    }

    index = add_pair(res, pair);
    TRY(index);
    /* GnuTLS returns the pair's index only to applications that asked for it. */
    return (res->flags & GNUTLS_CERTIFICATE_API_V2) ? index : 0;
out:
    keel_creds_pair_free(pair);
    return ret;
}

int gnutls_certificate_set_x509_key_mem(gnutls_certificate_credentials_t res,
                                        const gnutls_datum_t *cert, const gnutls_datum_t *key,
                                        gnutls_x509_crt_fmt_t type)
{
    return gnutls_certificate_set_x509_key_mem2(res, cert, key, type, NULL, 0);
}

/* Whole file into a keel_malloc'd buffer; GNUTLS_E_FILE_ERROR when it cannot be read. */
static int read_file(const char *path, gnutls_datum_t *out)
{
    FILE *f;
    uint8_t *buf = NULL, *grown;
    size_t len = 0, cap = 0, got;
    int ret = 0;

    out->data = NULL;
    out->size = 0;
    CHECK(path != NULL, GNUTLS_E_INVALID_REQUEST);
    f = fopen(path, "rb");
    CHECK(f != NULL, GNUTLS_E_FILE_ERROR);
    for (;;) {
        if (len == cap) {
            /* datum sizes are unsigned int */
            CHECK_OUT(cap < (size_t)UINT32_MAX / 2, GNUTLS_E_FILE_ERROR);
            cap = cap ? cap * 2 : 4096;
            grown = keel_realloc(buf, cap);
            CHECK_OUT(grown != NULL, GNUTLS_E_MEMORY_ERROR);
            buf = grown;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            CHECK_OUT(!ferror(f), GNUTLS_E_FILE_ERROR);
            break;
        }
    }
    out->data = buf;
    out->size = (unsigned)len;
    buf = NULL;
out:
    fclose(f);
    /* A key file's bytes are secret; so may be its partial read. */
    if (buf != NULL)
        keel_free_secret(buf, cap);
    return ret;
}

int gnutls_certificate_set_x509_key_file2(gnutls_certificate_credentials_t res,
                                          const char *certfile, const char *keyfile,
                                          gnutls_x509_crt_fmt_t type, const char *pass,
                                          unsigned int flags)
{
    gnutls_datum_t cert = { NULL, 0 }, key = { NULL, 0 };
    int ret;

    CHECK(res != NULL && certfile != NULL && keyfile != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY_OUT(read_file(keyfile, &key));
    TRY_OUT(read_file(certfile, &cert));
    ret = gnutls_certificate_set_x509_key_mem2(res, &cert, &key, type, pass, flags);
out:
    keel_free(cert.data);
    if (key.data != NULL)
        keel_free_secret(key.data, key.size);
    return ret;
}

int gnutls_certificate_set_x509_key_file(gnutls_certificate_credentials_t res,
                                         const char *certfile, const char *keyfile,
                                         gnutls_x509_crt_fmt_t type)
{
    return gnutls_certificate_set_x509_key_file2(res, certfile, keyfile, type, NULL, 0);
}

int keel_creds_pair_scheme(const struct keel_cert_pair *pair, const uint16_t *peer_sigschemes,
                           unsigned n, gnutls_protocol_t version, uint16_t *scheme)
{
    for (unsigned i = 0; i < n; i++) {
        const keel_sigscheme *s = keel_sigscheme_by_id(peer_sigschemes[i]);

        if (s == NULL)
            continue;
        /* RFC 8446 4.4.3: no RSASSA-PKCS1-v1_5 and no SHA-1 in CertificateVerify. */
        if (version == GNUTLS_TLS1_3 && !s->tls13_ok)
            continue;
        /* SHA-1 signatures are verified from old peers, never produced. */
        if (s->hash == KEEL_HASH_SHA1)
            continue;
        if (keel_pkey_scheme_ok(pair->key, s->id) < 0)
            continue;
        *scheme = s->id;
        return 0;
    }
    return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
}

const struct keel_cert_pair *keel_creds_select(const gnutls_certificate_credentials_t c,
                                               const uint16_t *peer_sigschemes, unsigned n,
                                               gnutls_protocol_t version,
                                               uint16_t *chosen_scheme)
{
    if (c == NULL)
        return NULL;
    for (unsigned i = 0; i < c->n_pairs; i++)
        if (keel_creds_pair_scheme(c->pairs[i], peer_sigschemes, n, version, chosen_scheme) == 0)
            return c->pairs[i];
    return NULL;
}

/* ---- trust list, CRLs and verification settings ---- */

int keel_creds_trust(gnutls_certificate_credentials_t c, keel_trust **out)
{
    if (c->trust == NULL)
        TRY(keel_trust_new(&c->trust));
    *out = c->trust;
    return 0;
}

int gnutls_certificate_set_x509_trust_mem(gnutls_certificate_credentials_t res,
                                          const gnutls_datum_t *ca, gnutls_x509_crt_fmt_t type)
{
    keel_trust *t;

    CHECK(res != NULL && ca != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(keel_creds_trust(res, &t));
    return keel_trust_add_cas(t, ca, type);
}

int gnutls_certificate_set_x509_trust_file(gnutls_certificate_credentials_t cred,
                                           const char *cafile, gnutls_x509_crt_fmt_t type)
{
    gnutls_datum_t data;
    int ret;

    CHECK(cred != NULL && cafile != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(read_file(cafile, &data));
    ret = gnutls_certificate_set_x509_trust_mem(cred, &data, type);
    keel_free(data.data);
    return ret;
}

/* As GnuTLS: every regular file of the directory is read as PEM; files without a certificate
 * are skipped; returns the number of certificates added. */
int gnutls_certificate_set_x509_trust_dir(gnutls_certificate_credentials_t cred,
                                          const char *ca_dir, gnutls_x509_crt_fmt_t type)
{
    DIR *dir;
    struct dirent *e;
    char path[4096];
    int total = 0, ret;

    CHECK(cred != NULL && ca_dir != NULL, GNUTLS_E_INVALID_REQUEST);
    dir = opendir(ca_dir);
    CHECK(dir != NULL, GNUTLS_E_FILE_ERROR);
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof path, "%s/%s", ca_dir, e->d_name) >= (int)sizeof path)
            continue;
        ret = gnutls_certificate_set_x509_trust_file(cred, path, type);
        if (ret == GNUTLS_E_MEMORY_ERROR) {
            closedir(dir);
            return ret;
        }
        if (ret > 0)
            total += ret;
    }
    closedir(dir);
    return total;
}

/* The Debian/Ubuntu bundle (ca-certificates); the distribution's choice, as GnuTLS is built. */
#define KEEL_SYSTEM_TRUST_FILE "/etc/ssl/certs/ca-certificates.crt"

int gnutls_certificate_set_x509_system_trust(gnutls_certificate_credentials_t cred)
{
    return gnutls_certificate_set_x509_trust_file(cred, KEEL_SYSTEM_TRUST_FILE,
                                                  GNUTLS_X509_FMT_PEM);
}

int gnutls_certificate_set_x509_crl_mem(gnutls_certificate_credentials_t res,
                                        const gnutls_datum_t *crl, gnutls_x509_crt_fmt_t type)
{
    keel_trust *t;

    CHECK(res != NULL && crl != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(keel_creds_trust(res, &t));
    return keel_trust_add_crls(t, crl, type);
}

int gnutls_certificate_set_x509_crl_file(gnutls_certificate_credentials_t res,
                                         const char *crlfile, gnutls_x509_crt_fmt_t type)
{
    gnutls_datum_t data;
    int ret;

    CHECK(res != NULL && crlfile != NULL, GNUTLS_E_INVALID_REQUEST);
    TRY(read_file(crlfile, &data));
    ret = gnutls_certificate_set_x509_crl_mem(res, &data, type);
    keel_free(data.data);
    return ret;
}

void gnutls_certificate_set_verify_flags(gnutls_certificate_credentials_t res, unsigned int flags)
{
    if (res != NULL)
        res->verify_flags = flags;
}

void gnutls_certificate_set_verify_function(gnutls_certificate_credentials_t cred,
                                            gnutls_certificate_verify_function *func)
{
    if (cred != NULL)
        cred->verify_fn = func;
}

/* 1 when one of the pair's certificates is issued by, or is, a CA the server named. */
static int pair_matches_cas(const struct keel_cert_pair *pair, const uint8_t *ca_list,
                            size_t ca_len)
{
    for (unsigned i = 0; i < pair->n_chain; i++) {
        const uint8_t *issuer, *subject;
        size_t issuer_len, subject_len;
        keel_cur list = cur_init(ca_list, ca_len), dn;

        keel_cert_names_der(pair->chain[i], &issuer, &issuer_len, &subject, &subject_len);
        /* struct { opaque DistinguishedName<1..2^16-1>; } entries; a malformed tail is
         * ignored here: the list only guides the choice. */
        while (cur_u16_prefixed(&list, &dn)) {
            if ((cur_left(&dn) == issuer_len && memcmp(dn.p, issuer, issuer_len) == 0) ||
                (i > 0 && cur_left(&dn) == subject_len && memcmp(dn.p, subject, subject_len) == 0))
                return 1;
        }
    }
    return 0;
}

const struct keel_cert_pair *keel_creds_select_client(const gnutls_certificate_credentials_t c,
                                                      const uint8_t *ca_list, size_t ca_len,
                                                      const uint16_t *peer_sigschemes, unsigned n,
                                                      gnutls_protocol_t version,
                                                      uint16_t *chosen_scheme)
{
    if (c == NULL)
        return NULL;
    for (unsigned i = 0; i < c->n_pairs; i++) {
        const struct keel_cert_pair *pair = c->pairs[i];
        if (ca_list != NULL && ca_len > 0 && !pair_matches_cas(pair, ca_list, ca_len))
            continue;
        if (keel_creds_pair_scheme(pair, peer_sigschemes, n, version, chosen_scheme) == 0)
            return pair;
    }
    return NULL;
}

/* ---- certificate selection callbacks ---- */

void gnutls_certificate_set_retrieve_function2(gnutls_certificate_credentials_t cred,
                                               gnutls_certificate_retrieve_function2 *func)
{
    if (cred != NULL)
        cred->retrieve_fn2 = func;
}

int keel_creds_pair_from_pcerts(const gnutls_pcert_st *pcerts, unsigned n,
                                gnutls_privkey_t key, struct keel_cert_pair **out)
{
    struct keel_cert_pair *pair;
    keel_pkey *k = keel_privkey_pkey(key);
    size_t len;
    int ret;

    *out = NULL;
    CHECK(pcerts != NULL && n > 0 && k != NULL, GNUTLS_E_INSUFFICIENT_CREDENTIALS);
    pair = keel_calloc(1, sizeof *pair);
    CHECK(pair != NULL, GNUTLS_E_MEMORY_ERROR);
    pair->chain = keel_calloc(n, sizeof *pair->chain);
    CHECK_OUT(pair->chain != NULL, GNUTLS_E_MEMORY_ERROR);
    for (unsigned i = 0; i < n; i++) {
        TRY_OUT(keel_peer_cert_from_der(pcerts[i].cert.data, pcerts[i].cert.size,
                                        &pair->chain[i]));
        pair->n_chain = i + 1;
    }
    keel_pkey_ref(k);
    pair->key = k;
    pair->type = keel_pkey_type(k);
    pair->leaf_der.data = (unsigned char *)keel_cert_der(pair->chain[0], &len);
    pair->leaf_der.size = (unsigned)len;
    *out = pair;
    return 0;
out:
    keel_creds_pair_free(pair);
    return ret;
}
