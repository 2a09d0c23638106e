/* Session-level certificate functions: verifying the peer's chain (gnutls_certificate_verify_peers*,
 * gnutls_session_set_verify_cert and the handshake's hook), the status text, the peer's and
 * our own certificates, and the server's client-certificate request setting. */
#include <arpa/inet.h>
#include <stdio.h>
#include <gnutls/x509.h>
#include "session.h"
#include "creds/creds.h"
#include "priority/algs.h"
#include "wire/cursor.h"
#include "x509/x509.h"

/* GnuTLS's wording of each status bit, in GnuTLS's order. */
static const struct {
    unsigned bit;
    const char *text;
} status_texts[] = {
    { GNUTLS_CERT_REVOKED, "The certificate chain is revoked. " },
    { GNUTLS_CERT_MISMATCH, "The certificate doesn't match the local copy (TOFU). " },
    { GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED,
      "The revocation or OCSP data are old and have been superseded. " },
    { GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE,
      "The revocation or OCSP data are issued with a future date. " },
    { GNUTLS_CERT_SIGNER_NOT_FOUND, "The certificate issuer is unknown. " },
    { GNUTLS_CERT_SIGNER_NOT_CA, "The certificate issuer is not a CA. " },
    { GNUTLS_CERT_INSECURE_ALGORITHM, "The certificate chain uses insecure algorithm. " },
    { GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE,
      "The certificate chain violates the signer's constraints. " },
    { GNUTLS_CERT_PURPOSE_MISMATCH, "The certificate chain does not match the intended purpose. " },
    { GNUTLS_CERT_NOT_ACTIVATED, "The certificate chain uses not yet valid certificate. " },
    { GNUTLS_CERT_EXPIRED, "The certificate chain uses expired certificate. " },
    { GNUTLS_CERT_SIGNATURE_FAILURE, "The signature in the certificate is invalid. " },
    { GNUTLS_CERT_UNEXPECTED_OWNER, "The name in the certificate does not match the expected. " },
    { GNUTLS_CERT_MISSING_OCSP_STATUS,
      "The certificate requires the server to include an OCSP status in its response, "
      "but the OCSP status is missing. " },
    { GNUTLS_CERT_INVALID_OCSP_STATUS, "The received OCSP status response is invalid. " },
    { GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS,
      "The certificate contains an unknown critical extension. " },
};

int gnutls_certificate_verification_status_print(unsigned int status,
                                                 gnutls_certificate_type_t type,
                                                 gnutls_datum_t *out, unsigned int flags)
{
    size_t len = 0, cap = 64;
    char *buf;

    (void)flags;
    CHECK(out != NULL, GNUTLS_E_INVALID_REQUEST);
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(status_texts); i++)
        cap += strlen(status_texts[i].text);
    buf = gnutls_malloc(cap);
    CHECK(buf != NULL, GNUTLS_E_MEMORY_ERROR);
    len = (size_t)snprintf(buf, cap, "%s", status == 0 ? "The certificate is trusted. "
                                                       : "The certificate is NOT trusted. ");
    if (type == GNUTLS_CRT_X509) {
        for (size_t i = 0; i < KEEL_ARRAY_SIZE(status_texts); i++)
            if (status & status_texts[i].bit)
                len += (size_t)snprintf(buf + len, cap - len, "%s", status_texts[i].text);
    }
    out->data = (unsigned char *)buf;
    out->size = (unsigned)len;
    return 0;
}

/* Verifies the session's peer chain; purpose_oid NULL picks the TLS purpose of the peer's
 * role (serverAuth when we are the client, clientAuth when we are the server). */
static int verify_peer(gnutls_session_t s, const char *hostname, const char *purpose_oid,
                       const char *email, unsigned extra_flags, unsigned *status)
{
    gnutls_certificate_credentials_t c = s->cert_cred;
    keel_verify_req req = { 0 };

    /* As GnuTLS: before a certificate handshake there is nothing to ask about; after one,
     * a peer that sent no certificate. */
    if (s->n_peer_certs == 0 || s->peer_certs == NULL)
        return s->established ? GNUTLS_E_NO_CERTIFICATE_FOUND : GNUTLS_E_INVALID_REQUEST;
    CHECK(c != NULL, GNUTLS_E_INSUFFICIENT_CREDENTIALS);
    req.hostname = (hostname != NULL && *hostname != '\0') ? hostname : NULL;
    req.purpose_oid = purpose_oid != NULL ? purpose_oid
                      : (s->is_server ? GNUTLS_KP_TLS_WWW_CLIENT : GNUTLS_KP_TLS_WWW_SERVER);
    req.flags = c->verify_flags | extra_flags;
    req.now = keel_time();
    req.email = email;
    return keel_verify_chain(c->trust, s->peer_certs, s->n_peer_certs, &req, status);
}

int gnutls_certificate_verify_peers(gnutls_session_t session, gnutls_typed_vdata_st *data,
                                    unsigned int elements, unsigned int *status)
{
    const char *hostname = NULL, *purpose = NULL, *email = NULL;
    char ip[INET6_ADDRSTRLEN];

    CHECK(session != NULL && status != NULL, GNUTLS_E_INVALID_REQUEST);
    CHECK(data != NULL || elements == 0, GNUTLS_E_INVALID_REQUEST);
    for (unsigned i = 0; i < elements; i++) {
        switch (data[i].type) {
        case GNUTLS_DT_DNS_HOSTNAME:
            hostname = (const char *)data[i].data;
            break;
        case GNUTLS_DT_KEY_PURPOSE_OID:
            purpose = (const char *)data[i].data;
            break;
        case GNUTLS_DT_RFC822NAME:
            email = (const char *)data[i].data;
            break;
        case GNUTLS_DT_IP_ADDRESS:
            /* Raw 4 or 16 bytes; an address literal matches subjectAltName addresses only. */
            CHECK(data[i].data != NULL && (data[i].size == 4 || data[i].size == 16),
                  GNUTLS_E_INVALID_REQUEST);
            CHECK(inet_ntop(data[i].size == 4 ? AF_INET : AF_INET6, data[i].data, ip,
                            sizeof ip) != NULL, GNUTLS_E_INVALID_REQUEST);
            hostname = ip;
            break;
        default:
            return GNUTLS_E_INVALID_REQUEST;
        }
    }
    return verify_peer(session, hostname, purpose, email, 0, status);
}

int gnutls_certificate_verify_peers3(gnutls_session_t session, const char *hostname,
                                     unsigned int *status)
{
    CHECK(session != NULL && status != NULL, GNUTLS_E_INVALID_REQUEST);
    return verify_peer(session, hostname, NULL, NULL, 0, status);
}

int gnutls_certificate_verify_peers2(gnutls_session_t session, unsigned int *status)
{
    return gnutls_certificate_verify_peers3(session, NULL, status);
}

void gnutls_session_set_verify_cert(gnutls_session_t session, const char *hostname,
                                    unsigned flags)
{
    size_t len = hostname != NULL ? strlen(hostname) : 0;

    if (session == NULL)
        return;
    session->vfy.auto_verify = 1;
    session->vfy.flags = flags;
    /* A name too long for the buffer cannot be any certificate's: store one that never
     * matches (an empty string would disable the check). */
    if (len >= sizeof session->vfy.hostname) {
        memcpy(session->vfy.hostname, "\x01", 2);
        return;
    }
    memcpy(session->vfy.hostname, hostname != NULL ? hostname : "", len + 1);
}

/* GnuTLS: 0 before any handshake; (unsigned)-1 after one that did not verify (no
 * gnutls_session_set_verify_cert, or no peer certificate). */
unsigned int gnutls_session_get_verify_cert_status(gnutls_session_t session)
{
    if (session == NULL)
        return (unsigned)-1;
    if (session->vfy.status_set)
        return session->vfy.status;
    return (session->established || session->handshake_in_progress) ? (unsigned)-1 : 0;
}

int keel_verify_peer_in_handshake(gnutls_session_t s)
{
    gnutls_certificate_credentials_t c = s->cert_cred;
    unsigned status = 0;
    int ret;

    /* A server that did not ask has no client to judge. */
    if (s->is_server && s->vfy.request == GNUTLS_CERT_IGNORE)
        return 0;
    if (s->vfy.auto_verify) {
        /* gnutls_session_set_verify_cert takes the place of the credentials' verify
         * function (as in GnuTLS), and a peer without a certificate fails it, even under
         * GNUTLS_CERT_REQUEST. */
        if (s->n_peer_certs == 0)
            return GNUTLS_E_CERTIFICATE_ERROR;
        ret = verify_peer(s, s->vfy.hostname, NULL, NULL, s->vfy.flags, &status);
        if (ret == GNUTLS_E_MEMORY_ERROR)
            return ret;
        if (ret < 0)
            status = GNUTLS_CERT_INVALID;
        s->vfy.status = status;
        s->vfy.status_set = 1;
        return status != 0 ? GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR : 0;
    }
    if (c != NULL && c->verify_fn != NULL) {
        /* Called whether or not a certificate came. GnuTLS's reading of the answer: 0
         * accepts, codes below -1 are passed on, anything else (-1 included) is a
         * certificate error. */
        ret = c->verify_fn(s);
        if (ret < -1)
            return ret;
        if (ret != 0)
            return GNUTLS_E_CERTIFICATE_ERROR;
    }
    return 0;
}

const gnutls_datum_t *gnutls_certificate_get_peers(gnutls_session_t session,
                                                   unsigned int *list_size)
{
    /* GnuTLS leaves *list_size alone when there is no certificate. */
    if (session == NULL || session->n_peer_certs == 0)
        return NULL;
    if (list_size != NULL)
        *list_size = session->n_peer_certs;
    return session->peer_certs;
}

const gnutls_datum_t *gnutls_certificate_get_ours(gnutls_session_t session)
{
    if (session == NULL || session->vfy.own_pair == NULL)
        return NULL;
    return &session->vfy.own_pair->leaf_der;
}

gnutls_certificate_type_t gnutls_certificate_type_get(gnutls_session_t session)
{
    (void)session;
    return GNUTLS_CRT_X509;     /* the only type Keel negotiates */
}

gnutls_certificate_type_t gnutls_certificate_type_get2(gnutls_session_t session,
                                                       gnutls_ctype_target_t target)
{
    (void)session;
    (void)target;
    return GNUTLS_CRT_X509;
}

void gnutls_certificate_server_set_request(gnutls_session_t session,
                                           gnutls_certificate_request_t req)
{
    if (session != NULL)
        session->vfy.request = req;
}

/* ---- the server's CertificateRequest: the CAs it names ---- */

/* GnuTLS names its trust anchors; a list too long for the 2-byte vector is left out. */
#define KEEL_MAX_CA_NAMES_BYTES 60000

size_t keel_ca_names_len(gnutls_session_t s)
{
    const gnutls_datum_t *cas;
    unsigned n;
    size_t total = 0;

    if (s->cert_cred == NULL)
        return 0;
    keel_trust_ca_names(s->cert_cred->trust, &cas, &n);
    for (unsigned i = 0; i < n; i++)
        total += 2 + cas[i].size;
    return total <= KEEL_MAX_CA_NAMES_BYTES ? total : 0;
}

void keel_write_ca_names(gnutls_session_t s, keel_builder *b)
{
    const gnutls_datum_t *cas;
    unsigned n = 0;

    if (keel_ca_names_len(s) > 0)
        keel_trust_ca_names(s->cert_cred->trust, &cas, &n);
    /* DistinguishedName certificate_authorities<0..2^16-1>; (TLS 1.3: <3..2^16-1>) */
    keel_b_open(b, 2);
    for (unsigned i = 0; i < n; i++) {
        keel_b_open(b, 2);
        keel_b_bytes(b, cas[i].data, cas[i].size);
        keel_b_close(b);
    }
    keel_b_close(b);
}

/* ---- the client's certificate (CertificateRequest) ---- */

static gnutls_pk_algorithm_t pk_of(keel_pk_type t)
{
    switch (t) {
    case KEEL_PK_RSA:       return GNUTLS_PK_RSA;
    case KEEL_PK_RSA_PSS:   return GNUTLS_PK_RSA_PSS;
    case KEEL_PK_EC_P256:
    case KEEL_PK_EC_P384:
    case KEEL_PK_EC_P521:   return GNUTLS_PK_ECDSA;
    case KEEL_PK_ED25519:   return GNUTLS_PK_EDDSA_ED25519;
    case KEEL_PK_ED448:     return GNUTLS_PK_EDDSA_ED448;
    default:                return GNUTLS_PK_UNKNOWN;
    }
}

#define KEEL_MAX_REQ_CAS 256     /* certificate_authorities entries passed to the callback */
#define KEEL_HS_MAX_PK 8          /* distinct key types */

static int retrieve_pair(gnutls_session_t s, const uint8_t *ca_list, size_t ca_len,
                         const uint16_t *sigs, unsigned n, gnutls_protocol_t version,
                         const struct keel_cert_pair **pair, uint16_t *scheme)
{
    gnutls_certificate_credentials_t c = s->cert_cred;
    gnutls_datum_t cas[KEEL_MAX_REQ_CAS];
    gnutls_pk_algorithm_t algos[KEEL_HS_MAX_PK];
    int n_cas = 0, n_algos = 0, ret;
    keel_cur list = cur_init(ca_list, ca_list != NULL ? ca_len : 0), dn;
    gnutls_pcert_st *pcerts = NULL;
    unsigned n_pcerts = 0;
    gnutls_privkey_t key = NULL;

    while (n_cas < KEEL_MAX_REQ_CAS && cur_u16_prefixed(&list, &dn)) {
        cas[n_cas].data = (unsigned char *)dn.p;
        cas[n_cas++].size = (unsigned)cur_left(&dn);
    }
    for (unsigned i = 0; i < n; i++) {
        const keel_sigscheme *ss = keel_sigscheme_by_id(sigs[i]);
        gnutls_pk_algorithm_t pk = ss != NULL ? pk_of(ss->pk) : GNUTLS_PK_UNKNOWN;
        int seen = pk == GNUTLS_PK_UNKNOWN;
        for (int j = 0; j < n_algos && !seen; j++)
            seen = algos[j] == pk;
        if (!seen && n_algos < KEEL_HS_MAX_PK)
            algos[n_algos++] = pk;
    }
    /* GnuTLS: a failing callback ends the handshake with GNUTLS_E_USER_ERROR. */
    ret = c->retrieve_fn2(s, cas, n_cas, algos, n_algos, &pcerts, &n_pcerts, &key);
    CHECK(ret >= 0, GNUTLS_E_USER_ERROR);
    if (s->vfy.own_pair == s->vfy.retrieved)
        s->vfy.own_pair = NULL;
    keel_creds_pair_free(s->vfy.retrieved);
    s->vfy.retrieved = NULL;
    if (n_pcerts == 0 || pcerts == NULL || key == NULL)
        return 0;               /* nothing to send */
    TRY(keel_creds_pair_from_pcerts(pcerts, n_pcerts, key, &s->vfy.retrieved));
    if (keel_creds_pair_scheme(s->vfy.retrieved, sigs, n, version, scheme) == 0)
        *pair = s->vfy.retrieved;
    return 0;
}

int keel_client_choose_pair(gnutls_session_t s, const uint8_t *ca_list, size_t ca_len,
                            const uint16_t *peer_sigschemes, unsigned n,
                            gnutls_protocol_t version, const struct keel_cert_pair **pair,
                            uint16_t *scheme)
{
    *pair = NULL;
    if (s->cert_cred == NULL)
        return 0;
    if (s->cert_cred->retrieve_fn2 != NULL)
        return retrieve_pair(s, ca_list, ca_len, peer_sigschemes, n, version, pair, scheme);
    *pair = keel_creds_select_client(s->cert_cred, ca_list, ca_len, peer_sigschemes, n,
                                     version, scheme);
    return 0;
}

int keel_server_choose_pair(gnutls_session_t s, const uint16_t *peer_sigschemes, unsigned n,
                            gnutls_protocol_t version, const struct keel_cert_pair **pair,
                            uint16_t *scheme)
{
    *pair = NULL;
    if (s->cert_cred == NULL)
        return 0;
    if (s->cert_cred->retrieve_fn2 != NULL)
        return retrieve_pair(s, NULL, 0, peer_sigschemes, n, version, pair, scheme);
    *pair = keel_creds_select(s->cert_cred, peer_sigschemes, n, version, scheme);
    return 0;
}

static void free_peer_chain(gnutls_session_t s)
{
    for (unsigned i = 0; i < s->n_peer_certs; i++)
        keel_free(s->peer_certs[i].data);
    keel_free(s->peer_certs);
    s->peer_certs = NULL;
    s->n_peer_certs = 0;
}

int keel_set_peer_chain(gnutls_session_t s, keel_cur list, unsigned n, int tls13,
                        keel_pkey **peer_key)
{
    free_peer_chain(s);
    if (*peer_key != NULL)
        keel_pkey_unref(*peer_key);
    *peer_key = NULL;
    if (n == 0)
        return 0;
    s->peer_certs = keel_calloc(n, sizeof *s->peer_certs);
    CHECK(s->peer_certs != NULL, GNUTLS_E_MEMORY_ERROR);
    for (unsigned i = 0; i < n; i++) {
        keel_cur der, exts;
        if (!cur_u24_prefixed(&list, &der) || (tls13 && !cur_u16_prefixed(&list, &exts)))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        s->peer_certs[i].data = keel_malloc(cur_left(&der));
        CHECK(s->peer_certs[i].data != NULL, GNUTLS_E_MEMORY_ERROR);
        s->peer_certs[i].size = (unsigned)cur_left(&der);
        s->n_peer_certs = i + 1;
        if (!cur_copy(&der, s->peer_certs[i].data, s->peer_certs[i].size))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
    }
    return keel_peer_pubkey_from_der(s->peer_certs[0].data, s->peer_certs[0].size, peer_key);
}

void keel_verify_session_free(gnutls_session_t s)
{
    free_peer_chain(s);
    keel_creds_pair_free(s->vfy.retrieved);
    s->vfy.retrieved = NULL;
    s->vfy.own_pair = NULL;
}
