/* Trust lists (CA certificates and CRLs in a libcrypto X509_STORE) and path validation:
 * libcrypto builds and checks the chain (RFC 5280: signatures, validity, basicConstraints
 * and pathLen, name constraints, critical extensions, CRLs); Keel adds GnuTLS's policy on top
 * (insecure algorithms, key purpose, RFC 6125 host names) and reports everything as GnuTLS's
 * status bits through one table. */
#include <arpa/inet.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <gnutls/x509.h>
#include "x509/internal.h"

/* GnuTLS's DEFAULT_MAX_VERIFY_DEPTH: certificates in a chain, anchor included. */
#define KEEL_MAX_VERIFY_DEPTH 16
/* Certificates a peer's list may hold for verification (extra ones are allowed, as servers
 * send cross-signed intermediates, but not without end). */
#define KEEL_MAX_PEER_LIST 64
/* Keys and signatures below this many bits of security are insecure (GnuTLS's "medium"
 * profile): RSA < 2048, SHA-1. */
#define KEEL_MIN_SECURITY_BITS 112

struct keel_trust {
    X509_STORE *store;
    gnutls_datum_t *names;      /* DER subjects of the anchors, in order added */
    unsigned n;
    unsigned n_crls;
};

/* ---- the one table: libcrypto's verdicts -> GnuTLS's status bits ---- */

#define CONSTRAINTS GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE
static const struct {
    int err;                    /* X509_V_ERR_* */
    unsigned status;            /* GNUTLS_CERT_* without GNUTLS_CERT_INVALID; 0: ignored */
} status_map[] = {
    { X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,          GNUTLS_CERT_SIGNER_NOT_FOUND },
    { X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,  GNUTLS_CERT_SIGNER_NOT_FOUND },
    { X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE,    GNUTLS_CERT_SIGNER_NOT_FOUND },
    { X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,        GNUTLS_CERT_SIGNER_NOT_FOUND },
    { X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,          GNUTLS_CERT_SIGNER_NOT_FOUND },
    { X509_V_ERR_CERT_SIGNATURE_FAILURE,             GNUTLS_CERT_SIGNATURE_FAILURE },
    { X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,   GNUTLS_CERT_SIGNATURE_FAILURE },
    { X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, GNUTLS_CERT_SIGNATURE_FAILURE },
    { X509_V_ERR_CERT_NOT_YET_VALID,                 GNUTLS_CERT_NOT_ACTIVATED },
    { X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD,     GNUTLS_CERT_NOT_ACTIVATED },
    { X509_V_ERR_CERT_HAS_EXPIRED,                   GNUTLS_CERT_EXPIRED },
    { X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD,      GNUTLS_CERT_EXPIRED },
    { X509_V_ERR_INVALID_CA,                         GNUTLS_CERT_SIGNER_NOT_CA },
    { X509_V_ERR_KEYUSAGE_NO_CERTSIGN,               GNUTLS_CERT_SIGNER_NOT_CA },
    { X509_V_ERR_PATH_LENGTH_EXCEEDED,               CONSTRAINTS },
    { X509_V_ERR_PERMITTED_VIOLATION,                CONSTRAINTS },
    { X509_V_ERR_EXCLUDED_VIOLATION,                 CONSTRAINTS },
    { X509_V_ERR_SUBTREE_MINMAX,                     CONSTRAINTS },
    { X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE,        CONSTRAINTS },
    { X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX,      CONSTRAINTS },
    { X509_V_ERR_UNSUPPORTED_NAME_SYNTAX,            CONSTRAINTS },
    { X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION,       GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS },
    { X509_V_ERR_CERT_REVOKED,                       GNUTLS_CERT_REVOKED },
    { X509_V_ERR_CRL_HAS_EXPIRED,                    GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED },
    { X509_V_ERR_CRL_NOT_YET_VALID,                  GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE },
    /* As GnuTLS: revocation data is optional, and a CRL that does not check out is
     * not used. */
    { X509_V_ERR_UNABLE_TO_GET_CRL,                  0 },
    { X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER,           0 },
    { X509_V_ERR_CRL_SIGNATURE_FAILURE,              0 },
    { X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE,    0 },
    { X509_V_ERR_KEYUSAGE_NO_CRL_SIGN,               0 },
    { X509_V_ERR_DIFFERENT_CRL_SCOPE,                0 },
    { X509_V_ERR_INVALID_PURPOSE,                    GNUTLS_CERT_PURPOSE_MISMATCH },
    { X509_V_ERR_EE_KEY_TOO_SMALL,                   GNUTLS_CERT_INSECURE_ALGORITHM },
    { X509_V_ERR_CA_KEY_TOO_SMALL,                   GNUTLS_CERT_INSECURE_ALGORITHM },
    { X509_V_ERR_CA_MD_TOO_WEAK,                     GNUTLS_CERT_INSECURE_ALGORITHM },
    { X509_V_ERR_HOSTNAME_MISMATCH,                  GNUTLS_CERT_UNEXPECTED_OWNER },
    { X509_V_ERR_IP_ADDRESS_MISMATCH,                GNUTLS_CERT_UNEXPECTED_OWNER },
    { X509_V_ERR_EMAIL_MISMATCH,                     GNUTLS_CERT_UNEXPECTED_OWNER },
};

/* GNUTLS_CERT_* bits for one X509_V_ERR_* code; anything unlisted is plainly invalid. */
static unsigned status_of(int err)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(status_map); i++)
        if (status_map[i].err == err)
            return status_map[i].status ? (status_map[i].status | GNUTLS_CERT_INVALID) : 0;
    return GNUTLS_CERT_INVALID;
}

/* ---- trust lists ---- */

int keel_trust_new(keel_trust **out)
{
    keel_trust *t = keel_calloc(1, sizeof *t);

    *out = NULL;
    CHECK(t != NULL, GNUTLS_E_MEMORY_ERROR);
    t->store = X509_STORE_new();
    if (t->store == NULL) {
        keel_free(t);
        return keel_x509_fail(GNUTLS_E_MEMORY_ERROR);
    }
    *out = t;
    return 0;
}

void keel_trust_free(keel_trust *t)
{
    if (t == NULL)
        return;
    X509_STORE_free(t->store);
    for (unsigned i = 0; i < t->n; i++)
        keel_free(t->names[i].data);
    keel_free(t->names);
    keel_free(t);
}

static int remember_name(keel_trust *t, X509 *x)
{
    unsigned char *der = NULL;
    int len = i2d_X509_NAME(X509_get_subject_name(x), &der);
    gnutls_datum_t *grown;

    CHECK(len > 0, keel_x509_fail(GNUTLS_E_MEMORY_ERROR));
    grown = keel_realloc(t->names, (t->n + 1) * sizeof *grown);
    if (grown == NULL) {
        OPENSSL_free(der);
        return GNUTLS_E_MEMORY_ERROR;
    }
    t->names = grown;
    grown[t->n].data = keel_malloc((size_t)len);
    if (grown[t->n].data == NULL) {
        OPENSSL_free(der);
        return GNUTLS_E_MEMORY_ERROR;
    }
    memcpy(grown[t->n].data, der, (size_t)len);
    grown[t->n].size = (unsigned)len;
    OPENSSL_free(der);
    t->n++;
    return 0;
}

int keel_trust_add_cas(keel_trust *t, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt)
{
    keel_cert **chain;
    unsigned n;
    int ret = 0;

    ret = keel_load_cert_chain(data, fmt, &chain, &n);
    /* GnuTLS: PEM without any certificate adds nothing, and that is not an error. */
    if (ret == GNUTLS_E_BASE64_DECODING_ERROR && fmt == GNUTLS_X509_FMT_PEM)
        return 0;
    TRY(ret);
    for (unsigned i = 0; i < n; i++) {
        X509 *x = keel_cert_x509(chain[i]);
        /* A certificate already in the store is not an error (bundles repeat some). */
        if (!X509_STORE_add_cert(t->store, x)) {
            unsigned long e = ERR_peek_last_error();
            if (ERR_GET_REASON(e) != X509_R_CERT_ALREADY_IN_HASH_TABLE)
                CHECK_OUT(0, GNUTLS_E_MEMORY_ERROR);
        }
        ERR_clear_error();
        TRY_OUT(remember_name(t, x));
    }
    ret = (int)n;
out:
    keel_cert_chain_free(chain, n);
    return keel_x509_fail(ret);
}

static int add_crl(keel_trust *t, X509_CRL *crl)
{
    int ok = X509_STORE_add_crl(t->store, crl);

    X509_CRL_free(crl);
    CHECK(ok, keel_x509_fail(GNUTLS_E_MEMORY_ERROR));
    t->n_crls++;
    return 0;
}

int keel_trust_add_crls(keel_trust *t, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt)
{
    X509_CRL *crl;
    BIO *bio;
    int count = 0;

    CHECK(data != NULL && data->data != NULL && data->size > 0 && data->size <= INT_MAX,
          fmt == GNUTLS_X509_FMT_PEM ? GNUTLS_E_BASE64_DECODING_ERROR : GNUTLS_E_ASN1_TAG_ERROR);
    if (fmt != GNUTLS_X509_FMT_PEM) {
        const unsigned char *p = data->data;
        crl = d2i_X509_CRL(NULL, &p, (long)data->size);
        if (crl == NULL)
            return keel_x509_der_error(data->data, data->size);
        if ((size_t)(p - data->data) != data->size) {
            X509_CRL_free(crl);
            return keel_x509_fail(GNUTLS_E_ASN1_DER_ERROR);
        }
        TRY(add_crl(t, crl));
        return 1;
    }
    bio = BIO_new_mem_buf(data->data, (int)data->size);
    CHECK(bio != NULL, keel_x509_fail(GNUTLS_E_MEMORY_ERROR));
    while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
        int ret = add_crl(t, crl);
        if (ret < 0) {
            BIO_free(bio);
            return ret;
        }
        count++;
    }
    BIO_free(bio);
    ERR_clear_error();
    /* GnuTLS: PEM without any CRL block is a base64 decoding error. */
    CHECK(count > 0, GNUTLS_E_BASE64_DECODING_ERROR);
    return count;
}

unsigned keel_trust_count(const keel_trust *t)
{
    return t != NULL ? t->n : 0;
}

void keel_trust_ca_names(const keel_trust *t, const gnutls_datum_t **names, unsigned *n)
{
    *names = t != NULL ? t->names : NULL;
    *n = t != NULL ? t->n : 0;
}

/* ---- host names (RFC 6125) ---- */

static int is_ip_literal(const char *host)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* 1 when subjectAltName names the host in any form GnuTLS compares (DNS or IP). */
static int has_host_san(X509 *x)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    int found = 0;

    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names); i++) {
        int type = sk_GENERAL_NAME_value(names, i)->type;
        if (type == GEN_DNS || type == GEN_IPADD)
            found = 1;
    }
    GENERAL_NAMES_free(names);
    ERR_clear_error();
    return found;
}

static int x509_host_matches(X509 *x, const char *host, unsigned flags)
{
    /* RFC 6125 6.4.3: a wildcard only as the complete leftmost label. */
    unsigned check = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
    int r;

    if (host == NULL || *host == '\0')
        return 0;
    /* As GnuTLS: an address is compared with the IP addresses of subjectAltName only,
     * unless the caller asks for it to be treated as a DNS name. */
    if (is_ip_literal(host) && !(flags & GNUTLS_VERIFY_DO_NOT_ALLOW_IP_MATCHES)) {
        r = X509_check_ip_asc(x, host, 0);
        ERR_clear_error();
        return r == 1;
    }
    if (flags & GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS)
        check |= X509_CHECK_FLAG_NO_WILDCARDS;
    /* RFC 6125 6.4.4: the subject CN only when subjectAltName has no DNS name or address. */
    if (has_host_san(x))
        check |= X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;
    r = X509_check_host(x, host, strlen(host), check, NULL);
    ERR_clear_error();
    return r == 1;
}

int keel_cert_check_hostname(const keel_cert *c, const char *hostname, unsigned flags)
{
    return x509_host_matches(keel_cert_x509(c), hostname, flags);
}

/* ---- path validation ---- */

struct verify_state {
    unsigned status;
};

/* Collects every problem libcrypto finds and lets it go on, so the status has all bits. */
static int collect_cb(int ok, X509_STORE_CTX *ctx)
{
    struct verify_state *st = X509_STORE_CTX_get_app_data(ctx);

    if (!ok && st != NULL)
        st->status |= status_of(X509_STORE_CTX_get_error(ctx));
    return 1;
}

/* 1 when x lists extended key usages and oid (or anyExtendedKeyUsage) is not among them. */
static int purpose_refused(X509 *x, const char *oid)
{
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
    char buf[128];
    int refused = 1;

    if (eku == NULL) {
        ERR_clear_error();
        return 0;               /* no restriction */
    }
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
        ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
        if (OBJ_obj2nid(o) == NID_anyExtendedKeyUsage ||
            (OBJ_obj2txt(buf, sizeof buf, o, 1) > 0 && strcmp(buf, oid) == 0)) {
            refused = 0;
            break;
        }
    }
    EXTENDED_KEY_USAGE_free(eku);
    return refused;
}

/* GnuTLS's profile bits in the flags ask for a weaker (or stronger) level than medium. */
static int min_security_bits(unsigned flags)
{
    switch ((flags & GNUTLS_VFLAGS_PROFILE_MASK) >> 24) {
    case GNUTLS_PROFILE_VERY_WEAK: return 64;
    case GNUTLS_PROFILE_LOW:       return 80;
    case GNUTLS_PROFILE_LEGACY:    return 96;
    case GNUTLS_PROFILE_HIGH:      return 128;
    case GNUTLS_PROFILE_ULTRA:     return 192;
    case GNUTLS_PROFILE_FUTURE:    return 256;
    default:                       return KEEL_MIN_SECURITY_BITS;
    }
}

/* Insecure keys and signatures in the built chain: GnuTLS rejects SHA-1 (and worse) and keys
 * below the profile's level. The anchor's signature on itself proves nothing and is skipped;
 * its key still signs the next certificate and is checked. */
static int chain_insecure(STACK_OF(X509) *chain, int anchored, unsigned flags)
{
    int n = sk_X509_num(chain);
    int min_bits = min_security_bits(flags);

    for (int i = 0; i < n; i++) {
        X509 *x = sk_X509_value(chain, i);
        EVP_PKEY *pub = X509_get0_pubkey(x);
        int mdnid = NID_undef, pknid = NID_undef;

        if (pub == NULL || EVP_PKEY_get_security_bits(pub) < min_bits)
            return 1;
        if (anchored && i == n - 1)
            continue;
        if (!X509_get_signature_info(x, &mdnid, &pknid, NULL, NULL))
            return 1;
        switch (mdnid) {
        case NID_sha1:
            if (!(flags & GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1) && min_bits > 80)
                return 1;
            break;
        case NID_md5:
            if (!(flags & GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5))
                return 1;
            break;
        case NID_md2:
        case NID_md4:
            if (!(flags & GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD2))
                return 1;
            break;
        default:
            break;
        }
    }
    return 0;
}

static int set_params(X509_STORE_CTX *ctx, const keel_trust *t, const keel_verify_req *req)
{
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    unsigned long vflags = X509_V_FLAG_PARTIAL_CHAIN;   /* GnuTLS trusts any listed CA */

    if (req->flags & GNUTLS_VERIFY_DISABLE_TIME_CHECKS)
        vflags |= X509_V_FLAG_NO_CHECK_TIME;
    else
        X509_VERIFY_PARAM_set_time(param, req->now);
    if (req->flags & GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS)
        vflags |= X509_V_FLAG_IGNORE_CRITICAL;
    if (t != NULL && t->n_crls > 0 && !(req->flags & GNUTLS_VERIFY_DISABLE_CRL_CHECKS))
        vflags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
    CHECK(X509_VERIFY_PARAM_set_flags(param, vflags), GNUTLS_E_MEMORY_ERROR);
    /* Keel applies its own algorithm policy (chain_insecure). */
    X509_VERIFY_PARAM_set_auth_level(param, 0);
    /* libcrypto's depth counts the certificates between leaf and anchor. */
    X509_VERIFY_PARAM_set_depth(param, KEEL_MAX_VERIFY_DEPTH - 2);
    return 0;
}

int keel_verify_chain(const keel_trust *t, const gnutls_datum_t *certs, unsigned n,
                      const keel_verify_req *req, unsigned *status)
{
    keel_cert **parsed = NULL;
    STACK_OF(X509) *untrusted = NULL;
    X509_STORE *empty = NULL;
    X509_STORE_CTX *ctx = NULL;
    struct verify_state st = { 0 };
    STACK_OF(X509) *chain;
    int ret, anchored;

    *status = 0;
    CHECK(n > 0 && certs != NULL, GNUTLS_E_NO_CERTIFICATE_FOUND);
    if (n > KEEL_MAX_PEER_LIST) {
        /* Far beyond any path Keel would accept: not trusted, without parsing it all. */
        *status = GNUTLS_CERT_INVALID;
        return 0;
    }
    parsed = keel_calloc(n, sizeof *parsed);
    CHECK(parsed != NULL, GNUTLS_E_MEMORY_ERROR);
    for (unsigned i = 0; i < n; i++)
        TRY_OUT(keel_peer_cert_from_der(certs[i].data, certs[i].size, &parsed[i]));

    untrusted = sk_X509_new_null();
    CHECK_OUT(untrusted != NULL, GNUTLS_E_MEMORY_ERROR);
    /* The rest of the peer's list, in any order: libcrypto picks issuers by name/key id. */
    for (unsigned i = 1; i < n; i++)
        CHECK_OUT(sk_X509_push(untrusted, keel_cert_x509(parsed[i])) > 0, GNUTLS_E_MEMORY_ERROR);
    if (t == NULL) {
        empty = X509_STORE_new();
        CHECK_OUT(empty != NULL, GNUTLS_E_MEMORY_ERROR);
    }
    ctx = X509_STORE_CTX_new();
    CHECK_OUT(ctx != NULL, GNUTLS_E_MEMORY_ERROR);
    CHECK_OUT(X509_STORE_CTX_init(ctx, t != NULL ? t->store : empty, keel_cert_x509(parsed[0]),
                                  untrusted), GNUTLS_E_MEMORY_ERROR);
    TRY_OUT(set_params(ctx, t, req));
    X509_STORE_CTX_set_verify_cb(ctx, collect_cb);
    X509_STORE_CTX_set_app_data(ctx, &st);
    if (X509_verify_cert(ctx) < 0 && st.status == 0)
        st.status = GNUTLS_CERT_INVALID;        /* an internal failure: never "trusted" */

    chain = X509_STORE_CTX_get0_chain(ctx);
    if (st.status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
        /* As GnuTLS: without an anchor, the rest of the chain's faults are not reported. */
        st.status = GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND;
        anchored = 0;
    } else {
        anchored = 1;
    }
    if (chain != NULL && anchored && chain_insecure(chain, anchored, req->flags))
        st.status |= status_of(X509_V_ERR_CA_MD_TOO_WEAK);
    if (req->purpose_oid != NULL && chain != NULL) {
        /* Every certificate below the anchor; at least the leaf. */
        int below = sk_X509_num(chain) - (anchored ? 1 : 0);
        if (below < 1)
            below = 1;
        for (int i = 0; i < below; i++)
            if (purpose_refused(sk_X509_value(chain, i), req->purpose_oid))
                st.status |= status_of(X509_V_ERR_INVALID_PURPOSE);
    }
    if (req->hostname != NULL &&
        !x509_host_matches(keel_cert_x509(parsed[0]), req->hostname, req->flags))
        st.status |= status_of(X509_V_ERR_HOSTNAME_MISMATCH);
    if (req->email != NULL) {
        int r = X509_check_email(keel_cert_x509(parsed[0]), req->email, strlen(req->email), 0);
        if (r != 1)
            st.status |= status_of(X509_V_ERR_EMAIL_MISMATCH);
    }
    *status = st.status;
    ret = 0;
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(empty);
    sk_X509_free(untrusted);
    if (parsed != NULL)
        keel_cert_chain_free(parsed, n);
    return keel_x509_fail(ret);
}
