/* The TLS 1.3 server (RFC 8446 2, 4): ClientHello in, choices of version, suite, group and
 * key pair, HelloRetryRequest when the client's shares do not fit, the server's flight, and
 * the client's Finished. Client certificates come with issue 8. */
#include "handshake/handshake.h"
#include "ext/ext.h"
#include "creds/creds.h"

/* The cipher suite: the client's order unless %SERVER_PRECEDENCE (GnuTLS's default). */
static const keel_suite *choose_suite(gnutls_session_t s, keel_cur suites)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    struct keel_hs *hs = s->hs;

    hs->n_peer_suites = 0;
    while (!cur_empty(&suites)) {
        uint16_t id;
        if (!cur_u16(&suites, &id))
            return NULL;
        if (hs->n_peer_suites < KEEL_HS_MAX_LIST && keel_suite_by_id(id) != NULL)
            hs->peer_suites[hs->n_peer_suites++] = id;
    }
    if (p->server_precedence) {
        for (unsigned i = 0; i < p->n_suites; i++) {
            if (p->suites[i]->min_version != GNUTLS_TLS1_3)
                continue;
            for (unsigned j = 0; j < hs->n_peer_suites; j++)
                if (hs->peer_suites[j] == p->suites[i]->id)
                    return p->suites[i];
        }
        return NULL;
    }
    for (unsigned j = 0; j < hs->n_peer_suites; j++) {
        const keel_suite *su = keel_hs_suite_offered(s, hs->peer_suites[j]);
        if (su != NULL && su->min_version == GNUTLS_TLS1_3)
            return su;
    }
    return NULL;
}

/* The groups both sides support, in the order that decides (as for suites). */
static unsigned mutual_groups(gnutls_session_t s, const keel_group **out)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    struct keel_hs *hs = s->hs;
    unsigned n = 0;

    if (p->server_precedence) {
        for (unsigned i = 0; i < p->n_groups; i++)
            for (unsigned j = 0; j < hs->n_peer_groups; j++)
                if (hs->peer_groups[j] == p->groups[i]->id && n < KEEL_HS_MAX_LIST)
                    out[n++] = p->groups[i];
    } else {
        for (unsigned j = 0; j < hs->n_peer_groups; j++)
            for (unsigned i = 0; i < p->n_groups; i++)
                if (hs->peer_groups[j] == p->groups[i]->id && n < KEEL_HS_MAX_LIST)
                    out[n++] = p->groups[i];
    }
    return n;
}

static const keel_peer_share *share_for(struct keel_hs *hs, const keel_group *g)
{
    for (unsigned i = 0; i < hs->n_peer_shares; i++)
        if (hs->peer_shares[i].group == g)
            return &hs->peer_shares[i];
    return NULL;
}

/* A share the client sent for a mutually supported group (no round trip), else the group a
 * HelloRetryRequest should ask for (*retry set). */
static int choose_group(gnutls_session_t s, const keel_group **chosen, int *retry)
{
    struct keel_hs *hs = s->hs;
    const keel_group *mutual[KEEL_HS_MAX_LIST];
    unsigned n = mutual_groups(s, mutual);

    *retry = 0;
    for (unsigned i = 0; i < n; i++) {
        if (share_for(hs, mutual[i]) != NULL) {
            *chosen = mutual[i];
            return 0;
        }
    }
    CHECK(n > 0, GNUTLS_E_NO_COMMON_KEY_SHARE);
    *chosen = mutual[0];
    *retry = 1;
    return 0;
}

static int version_from_client_hello(gnutls_session_t s, const keel_hello *h, int *tls13)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    struct keel_hs *hs = s->hs;

    *tls13 = 0;
    if (hs->peer_sent_versions) {
        /* RFC 8446 4.2.1: "If this extension is present in the ClientHello, servers MUST NOT
         * use the ClientHello.legacy_version value for version negotiation and MUST use only
         * the "supported_versions" extension to determine client preferences." */
        for (unsigned i = 0; i < hs->n_peer_versions; i++) {
            if (hs->peer_versions[i] == KEEL_TLS13_WIRE &&
                keel_priority_has_version(p, GNUTLS_TLS1_3)) {
                *tls13 = 1;
                return 0;
            }
        }
        for (unsigned i = 0; i < hs->n_peer_versions; i++)
            if (hs->peer_versions[i] == KEEL_TLS12_WIRE &&
                keel_priority_has_version(p, GNUTLS_TLS1_2))
                return 0;
        return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
    }
    if (h->legacy_version >= KEEL_TLS12_WIRE && keel_priority_has_version(p, GNUTLS_TLS1_2))
        return 0;
    return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
}

static void reset_client_hello_state(struct keel_hs *hs)
{
    hs->ext_recv_ch = 0;
    hs->peer_sent_versions = hs->peer_sent_groups = hs->peer_sent_sigs = 0;
    hs->peer_sent_sigs_cert = hs->peer_sent_key_share = 0;
    hs->n_peer_versions = hs->n_peer_groups = hs->n_peer_sigs = hs->n_peer_sigs_cert = 0;
    hs->n_peer_shares = 0;
}

/* The client's signature_algorithms restricted to our priorities, for keel_creds_select. */
static unsigned usable_peer_sigs(gnutls_session_t s, uint16_t *out)
{
    struct keel_hs *hs = s->hs;
    unsigned n = 0;

    for (unsigned i = 0; i < hs->n_peer_sigs; i++)
        if (keel_prio_has_sig(s, hs->peer_sigs[i]))
            out[n++] = hs->peer_sigs[i];
    return n;
}

static int recv_client_hello(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;
    uint8_t type, comp;
    keel_cur msg, body, comps;
    keel_hello h;
    const keel_suite *suite;
    const keel_group *group;
    const keel_peer_share *share;
    const struct keel_cert_pair *pair;
    uint16_t sigs[KEEL_HS_MAX_LIST];
    int tls13, retry;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_parse_client_hello(body, &h));
    reset_client_hello_state(hs);
    TRY(keel_ext_parse(s, KEEL_MSG_CH, h.exts));
    TRY(version_from_client_hello(s, &h, &tls13));
    if (!tls13) {
        /* The TLS 1.2 server (issue 4) takes over here, with the ClientHello unconsumed. */
        CHECK(!hs->hrr, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        hs->state = KEEL_HS_TLS12;
        return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
    }
    s->version = GNUTLS_TLS1_3;

    /* RFC 8446 4.1.2: "For every TLS 1.3 ClientHello, this vector MUST contain exactly one
     * byte, set to zero [...] If a TLS 1.3 ClientHello is received with any other value in
     * this field, the server MUST abort the handshake with an "illegal_parameter" alert." */
    comps = h.compression;
    CHECK(cur_left(&comps) == 1 && cur_u8(&comps, &comp) && comp == 0,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    suite = choose_suite(s, h.suites);
    CHECK(suite != NULL, GNUTLS_E_NO_CIPHER_SUITES);
    /* RFC 8446 4.2.3: "If a server is authenticating via a certificate and the client has
     * not sent a "signature_algorithms" extension, then the server MUST abort the handshake
     * with a "missing_extension" alert". */
    CHECK(hs->peer_sent_sigs, GNUTLS_E_MISSING_EXTENSION);
    /* RFC 8446 9.2: a ClientHello without PSK needs both "supported_groups" and
     * "key_share"; otherwise "missing_extension". */
    CHECK(hs->peer_sent_groups && hs->peer_sent_key_share, GNUTLS_E_MISSING_EXTENSION);

    if (hs->hrr) {
        /* The second ClientHello answers our HelloRetryRequest: same suite, and a share
         * for the group we asked for (RFC 8446 4.1.2, 4.2.8). */
        CHECK(suite == hs->hrr_suite, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        CHECK(share_for(hs, hs->hrr_group) != NULL, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        group = hs->hrr_group;
        retry = 0;
    } else {
        TRY(choose_group(s, &group, &retry));
        hs->session_id_len = cur_left(&h.session_id);
        if (!cur_copy(&h.session_id, hs->session_id, hs->session_id_len))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        memcpy(s->client_random, h.random, 32);
        if (t != NULL && t->set_random)
            memcpy(s->server_random, t->random, 32);
        else
            TRY(keel_random(s->server_random, 32));
    }

    CHECK(s->cert_cred != NULL, GNUTLS_E_INSUFFICIENT_CREDENTIALS);
    /* issue 8: the credentials' pairs, or gnutls_certificate_set_retrieve_function2's */
    TRY(keel_server_choose_pair(s, sigs, usable_peer_sigs(s, sigs), GNUTLS_TLS1_3, &pair,
                                &hs->sign_scheme));
    CHECK(pair != NULL, GNUTLS_E_INSUFFICIENT_CREDENTIALS);
    hs->pair = pair;
    s->suite = suite;

    if (retry) {
        hs->hrr = 1;
        hs->hrr_suite = suite;
        hs->hrr_group = group;
        TRY(keel_hs_transcript_add(s, msg.p, msg.len));
        TRY(keel_transcript_restart_hrr(s, suite->prf));
        keel_hs_consume(s);
        hs->state = KEEL_S_SEND_HRR;
        return 0;
    }

    share = share_for(hs, group);
    CHECK(share != NULL && share->len <= sizeof hs->peer_pub, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    memcpy(hs->peer_pub, share->pub, share->len);
    hs->peer_pub_len = share->len;
    s->group = group;
    hs->kx_group = group;
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    if (hs->transcript == NULL)
        TRY(keel_transcript_start(s, suite->prf));
    keel_hs_consume(s);
    TRY(keel_tls13_check_key_change(s));
    hs->state = KEEL_S_SEND_FLIGHT;
    return 0;
}

static int send_hello_retry_request(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    TRY(keel_send_server_hello13(s, 1));
    /* RFC 8446 D.4: the server "sends a dummy change_cipher_spec record immediately after
     * its first handshake message", when the client's legacy_session_id asks for
     * compatibility mode. */
    if (hs->session_id_len > 0)
        TRY(keel_tls13_send_ccs(s));
    hs->state = KEEL_S_RECV_CH2;
    return 0;
}

static int make_key_share(gnutls_session_t s, uint8_t *dhe, size_t *dhe_len)
{
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;
    keel_kx_id id = hs->kx_group->kx;

    hs->kx_pub_len = sizeof hs->kx_pub;
    if (t != NULL && t->kx_priv_len && t->kx_id == id)
        TRY(keel_test_kx_from_private(id, t->kx_priv, t->kx_priv_len, &hs->kx,
                                      hs->kx_pub, &hs->kx_pub_len));
    else
        TRY(keel_kx_generate(id, &hs->kx, hs->kx_pub, &hs->kx_pub_len));
    return keel_kx_derive(hs->kx, hs->peer_pub, hs->peer_pub_len, dhe, dhe_len);
}

/* struct { Extension extensions<0..2^16-1>; } EncryptedExtensions; */
static int send_encrypted_extensions(gnutls_session_t s)
{
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    TRY(keel_ext_write(s, KEEL_MSG_EE, b));
    return keel_hs_end(s, 1);
}

/* Leaf first; CertificateEntry extensions empty (none of ours answers anything yet). */
static int send_certificate(gnutls_session_t s)
{
    const struct keel_cert_pair *pair = s->hs->pair;
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CERTIFICATE_PKT);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u8(b, 0);                    /* certificate_request_context */
    keel_b_open(b, 3);
    for (unsigned i = 0; i < pair->n_chain; i++) {
        size_t len;
        const uint8_t *der = keel_cert_der(pair->chain[i], &len);
        keel_b_open(b, 3);
        keel_b_bytes(b, der, len);
        keel_b_close(b);
        keel_b_u16(b, 0);
    }
    keel_b_close(b);
    s->vfy.own_pair = pair;             /* issue 8: gnutls_certificate_get_ours */
    return keel_hs_end(s, 1);
}

static int send_certificate_verify(gnutls_session_t s)
{
    uint8_t content[KEEL_CV_CONTENT_MAX];
    size_t content_len;

    TRY(keel_tls13_cv_content(s, 1, content, &content_len));
    return keel_hs_send_certificate_verify(s, content, content_len, 0);
}

/* ServerHello [CCS] {EncryptedExtensions} {Certificate} {CertificateVerify} {Finished} */
static int send_server_flight(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t dhe[KEEL_MAX_KX_SECRET_LEN];
    size_t dhe_len = sizeof dhe;
    int ret;

    TRY_OUT(make_key_share(s, dhe, &dhe_len));
    TRY_OUT(keel_send_server_hello13(s, 0));
    if (hs->session_id_len > 0 && !hs->ccs_sent)
        TRY_OUT(keel_tls13_send_ccs(s));
    TRY_OUT(keel_tls13_handshake_secrets(s, dhe, dhe_len));
    TRY_OUT(keel_tls13_install(s, 1, hs->s_hs_secret));
    TRY_OUT(send_encrypted_extensions(s));
    if (s->vfy.request != GNUTLS_CERT_IGNORE)   /* issue 8 */
        TRY_OUT(keel_tls13_send_certificate_request(s));
    TRY_OUT(send_certificate(s));
    TRY_OUT(send_certificate_verify(s));
    TRY_OUT(keel_tls13_send_finished(s, hs->s_hs_secret));
    TRY_OUT(keel_tls13_app_secrets(s));
    TRY_OUT(keel_tls13_install(s, 1, s->server_app_secret));
    TRY_OUT(keel_tls13_install(s, 0, hs->c_hs_secret));
    hs->state = hs->cert_requested ? KEEL_S_RECV_CERT : KEEL_S_RECV_FIN;   /* issue 8 */
out:
    keel_wipe(dhe, sizeof dhe);
    return ret;
}

static int recv_client_finished(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    TRY(keel_tls13_recv_finished(s, hs->c_hs_secret));
    TRY(keel_tls13_install(s, 0, s->client_app_secret));
    TRY(keel_tls13_resumption_secret(s));
    /* gnutls_session_get_id: in TLS 1.3 the legacy_session_id of this handshake. */
    memcpy(s->session_id, hs->session_id, hs->session_id_len);
    s->session_id_len = hs->session_id_len;
    hs->state = KEEL_HS_DONE;
    return 0;
}

int keel_tls13_server_step(gnutls_session_t s)
{
    TRY(keel_hs_ensure(s));
    for (;;) {
        switch (s->hs->state) {
        case KEEL_HS_START:
            s->hs->state = KEEL_S_RECV_CH;
            break;
        case KEEL_S_RECV_CH:
        case KEEL_S_RECV_CH2:       TRY(recv_client_hello(s)); break;
        case KEEL_S_SEND_HRR:       TRY(send_hello_retry_request(s)); break;
        case KEEL_S_SEND_FLIGHT:    TRY(send_server_flight(s)); break;
        case KEEL_S_RECV_FIN:       TRY(recv_client_finished(s)); break;
        case KEEL_S_RECV_CERT:      TRY(keel_tls13_recv_client_certificate(s)); break;  /* issue 8 */
        case KEEL_S_RECV_CV:        TRY(keel_tls13_recv_certificate_verify(s, 0));
                                    s->hs->state = KEEL_S_RECV_FIN; break;
        case KEEL_HS_DONE:
            s->established = 1;
            return 0;
        default:
            return GNUTLS_E_INTERNAL_ERROR;
        }
    }
}
