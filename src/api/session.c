/* Session lifetime, configuration and the information getters (gnutls_init, _deinit,
 * credentials, server name, priorities, negotiated parameters, gnutls_session_get_desc). */
#include <stdio.h>
#include "api/api.h"

/* GnuTLS's "reasonable default" for GNUTLS_DEFAULT_HANDSHAKE_TIMEOUT. */
#define KEEL_DEFAULT_HS_TIMEOUT_MS 40000u
/* Largest outgoing handshake flight kept before it is framed into records. */
#define KEEL_MAX_HS_OUT (4u * KEEL_MAX_HS_MSG)
/* Largest amount of corked data (gnutls_record_cork). */
#define KEEL_MAX_CORK ((size_t)1 << 30)

int gnutls_init(gnutls_session_t *session, unsigned int flags)
{
    gnutls_session_t s;

    *session = NULL;
    /* DTLS is not implemented. */
    CHECK(!(flags & GNUTLS_DATAGRAM), GNUTLS_E_UNIMPLEMENTED_FEATURE);
    s = keel_calloc(1, sizeof *s);
    CHECK(s != NULL, GNUTLS_E_MEMORY_ERROR);
    s->init_flags = flags;
    s->is_server = (flags & GNUTLS_SERVER) ? 1 : 0;
    s->recv_ptr = s->send_ptr = (gnutls_transport_ptr_t)(intptr_t)-1;
    s->pull = keel_fd_pull;
    s->push = keel_fd_push;
    s->hook_htype = GNUTLS_HANDSHAKE_ANY;
    s->max_record_send = s->max_record_recv = KEEL_MAX_PLAINTEXT;
    s->version = GNUTLS_VERSION_UNKNOWN;
    s->last_in = s->last_out = (gnutls_handshake_description_t)-1;
    keel_b_init_growable(&s->hs_out, 0, KEEL_MAX_HS_OUT);
    keel_b_init_growable(&s->cork_buf, 0, KEEL_MAX_CORK);
    *session = s;
    return 0;
}

void gnutls_deinit(gnutls_session_t session)
{
    if (session == NULL)
        return;
    keel_hs_free(session);
    keel_rec_deinit(session);
    keel_verify_session_free(session);  /* the peer's chain, certificate selection state */
    keel_priority_unref(session->prio);
    /* Wipes the traffic, exporter, resumption and master secrets with everything else. */
    keel_free_secret(session, sizeof *session);
}

void gnutls_session_set_ptr(gnutls_session_t session, void *ptr)
{
    session->user_ptr = ptr;
}

void *gnutls_session_get_ptr(gnutls_session_t session)
{
    return session->user_ptr;
}

int gnutls_credentials_set(gnutls_session_t session, gnutls_credentials_type_t type, void *cred)
{
    switch (type) {
    case GNUTLS_CRD_CERTIFICATE:
        session->cert_cred = cred;
        return 0;
    case GNUTLS_CRD_ANON:
        if (session->is_server)
            session->anon_server_cred = cred;
        else
            session->anon_client_cred = cred;
        return 0;
    case GNUTLS_CRD_PSK:
        if (session->is_server)
            session->psk_server_cred = cred;
        else
            session->psk_client_cred = cred;
        return 0;
    default:
        return GNUTLS_E_INVALID_REQUEST;
    }
}

void gnutls_credentials_clear(gnutls_session_t session)
{
    session->cert_cred = NULL;
    session->anon_server_cred = session->anon_client_cred = NULL;
    session->psk_server_cred = session->psk_client_cred = NULL;
}

/* A client names the server it wants; an empty name removes it. */
int gnutls_server_name_set(gnutls_session_t session, gnutls_server_name_type_t type,
                           const void *name, size_t name_length)
{
    CHECK(!session->is_server, GNUTLS_E_INVALID_REQUEST);
    CHECK(type == GNUTLS_NAME_DNS, GNUTLS_E_INVALID_REQUEST);
    CHECK(name_length < sizeof session->server_name, GNUTLS_E_INVALID_REQUEST);
    CHECK(name != NULL || name_length == 0, GNUTLS_E_INVALID_REQUEST);
    if (name_length)
        memcpy(session->server_name, name, name_length);
    session->server_name[name_length] = '\0';
    session->server_name_len = name_length;
    return 0;
}

/* A server reads the name the client sent (a single DNS name, index 0). */
int gnutls_server_name_get(gnutls_session_t session, void *data, size_t *data_length,
                           unsigned int *type, unsigned int indx)
{
    size_t len = session->server_name_len;

    CHECK(session->is_server, GNUTLS_E_INVALID_REQUEST);
    CHECK(indx == 0 && len > 0, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    *type = GNUTLS_NAME_DNS;
    /* The name is returned NUL-terminated; the length excludes the NUL. */
    if (data == NULL || *data_length <= len) {
        *data_length = len + 1;
        return GNUTLS_E_SHORT_MEMORY_BUFFER;
    }
    memcpy(data, session->server_name, len);
    ((char *)data)[len] = '\0';
    *data_length = len;
    return 0;
}

void gnutls_handshake_set_timeout(gnutls_session_t session, unsigned int ms)
{
    if (ms == GNUTLS_DEFAULT_HANDSHAKE_TIMEOUT)
        ms = KEEL_DEFAULT_HS_TIMEOUT_MS;
    else if (ms == GNUTLS_INDEFINITE_TIMEOUT)
        ms = 0;
    session->handshake_timeout_ms = ms;
}

void gnutls_handshake_set_hook_function(gnutls_session_t session, unsigned int htype, int when,
                                        gnutls_handshake_hook_func func)
{
    session->hook = func;
    session->hook_htype = htype;
    session->hook_when = when;
}

gnutls_handshake_description_t gnutls_handshake_get_last_in(gnutls_session_t session)
{
    return session->last_in;
}

gnutls_handshake_description_t gnutls_handshake_get_last_out(gnutls_session_t session)
{
    return session->last_out;
}

gnutls_protocol_t gnutls_protocol_get_version(gnutls_session_t session)
{
    return session->version;
}

gnutls_cipher_algorithm_t gnutls_cipher_get(gnutls_session_t session)
{
    return session->suite ? session->suite->cipher : GNUTLS_CIPHER_UNKNOWN;
}

gnutls_mac_algorithm_t gnutls_mac_get(gnutls_session_t session)
{
    return session->suite ? session->suite->mac : GNUTLS_MAC_UNKNOWN;
}

gnutls_group_t gnutls_group_get(gnutls_session_t session)
{
    return session->group ? session->group->group : GNUTLS_GROUP_INVALID;
}

/* TLS 1.3 suites name no key exchange; as GnuTLS documents, ECDHE_RSA then stands for an
 * elliptic-curve exchange and DHE_RSA for a finite-field one. */
gnutls_kx_algorithm_t gnutls_kx_get(gnutls_session_t session)
{
    if (session->suite == NULL)
        return GNUTLS_KX_UNKNOWN;
    if (session->version != GNUTLS_TLS1_3)
        return session->suite->kx;
    if (session->group == NULL)
        return GNUTLS_KX_UNKNOWN;
    return session->group->is_ffdhe ? GNUTLS_KX_DHE_RSA : GNUTLS_KX_ECDHE_RSA;
}

unsigned gnutls_session_get_flags(gnutls_session_t session)
{
    return session->sflags;
}

void gnutls_session_get_random(gnutls_session_t session, gnutls_datum_t *client,
                               gnutls_datum_t *server)
{
    if (client) {
        client->data = session->client_random;
        client->size = sizeof session->client_random;
    }
    if (server) {
        server->data = session->server_random;
        server->size = sizeof session->server_random;
    }
}

gnutls_alert_description_t gnutls_alert_get(gnutls_session_t session)
{
    return session->last_alert;
}

size_t gnutls_record_get_max_size(gnutls_session_t session)
{
    return session->max_record_send;
}

size_t gnutls_record_check_pending(gnutls_session_t session)
{
    return keel_bytes_len(&session->appdata);
}

int gnutls_record_get_direction(gnutls_session_t session)
{
    return session->last_direction;
}

/* ---- gnutls_session_get_desc ---- */

/* The server's signature as GnuTLS names it: TLS 1.2 names ECDSA by its hash alone
 * (verified against libgnutls 3.7.9: "ECDSA-SHA256" in TLS 1.2, "ECDSA-SECP256R1-SHA256"
 * in TLS 1.3). */
static const char *server_sign_name(gnutls_session_t s)
{
    uint16_t scheme = s->is_server ? s->sig_scheme_local : s->sig_scheme_peer;
    const keel_sigscheme *sig = scheme ? keel_sigscheme_by_id(scheme) : NULL;

    if (sig == NULL)
        return NULL;
    if (s->version == GNUTLS_TLS1_2) {
        switch (scheme) {
        case 0x0403: return "ECDSA-SHA256";
        case 0x0503: return "ECDSA-SHA384";
        case 0x0603: return "ECDSA-SHA512";
        default: break;
        }
    }
    return sig->name;
}

/* "(TLS1.3)-(ECDHE-X25519)-(ECDSA-SECP256R1-SHA256)-(AES-128-GCM)": version, key exchange
 * with its group, the server's signature, cipher (and the MAC for non-AEAD suites, which
 * Keel does not have). NULL before the first handshake completes. */
char *gnutls_session_get_desc(gnutls_session_t session)
{
    const keel_suite *suite = session->suite;
    const char *ver, *cipher, *sign, *group, *dh;
    char kx[96];
    size_t cap = 192;
    char *desc;

    if (!session->established || suite == NULL)
        return NULL;
    ver = gnutls_protocol_get_name(session->version);
    cipher = gnutls_cipher_get_name(suite->cipher);
    if (ver == NULL || cipher == NULL)
        return NULL;
    sign = server_sign_name(session);
    group = session->group ? session->group->name : NULL;
    if (session->version == GNUTLS_TLS1_3) {
        dh = session->group && session->group->is_ffdhe ? "DHE" : "ECDHE";
        if (group && sign)
            snprintf(kx, sizeof kx, "(%s-%s)-(%s)", dh, group, sign);
        else if (group)
            snprintf(kx, sizeof kx, "(%s-PSK-%s)", dh, group);
        else
            snprintf(kx, sizeof kx, "(PSK)");
    } else {
        switch (suite->kx) {
        case GNUTLS_KX_ECDHE_RSA:
        case GNUTLS_KX_ECDHE_ECDSA:
        case GNUTLS_KX_ECDHE_PSK:
        case GNUTLS_KX_DHE_RSA:
        case GNUTLS_KX_DHE_DSS:
        case GNUTLS_KX_DHE_PSK:
            dh = (suite->kx == GNUTLS_KX_ECDHE_RSA || suite->kx == GNUTLS_KX_ECDHE_ECDSA ||
                  suite->kx == GNUTLS_KX_ECDHE_PSK) ? "ECDHE" : "DHE";
            if (group == NULL)
                group = "CUSTOM";       /* TLS 1.2 DHE with the server's own prime */
            if (sign)
                snprintf(kx, sizeof kx, "(%s-%s)-(%s)", dh, group, sign);
            else
                snprintf(kx, sizeof kx, "(%s-%s)", dh, group);
            break;
        default: {
            /* RSA, PSK, RSA-PSK, ANON-DH, ANON-ECDH: the exchange's own name. */
            const char *name = gnutls_kx_get_name(suite->kx);
            snprintf(kx, sizeof kx, "(%s)", name ? name : "UNKNOWN");
            break;
        }
        }
    }
    desc = gnutls_malloc(cap);
    if (desc != NULL)
        snprintf(desc, cap, "(%s)-%s-(%s)", ver, kx, cipher);
    return desc;
}
