/* The TLS 1.2 server (RFC 5246 7.3): the ClientHello handed over by the version-neutral
 * code (or, on an established connection, received directly), the choice of suite, key pair
 * and group, the server's flight, and the client's key exchange and Finished. */
#include "handshake/tls12.h"
#include "ext/ext.h"
#include "creds/creds.h"

/* RFC 8446 4.1.3: the last eight bytes of ServerHello.random of a TLS 1.3-capable server
 * that negotiates TLS 1.2. */
static const uint8_t downgrade_tls12[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01 };

/* The client's signature_algorithms restricted to our priorities. RFC 5246 7.4.1.4.1:
 * without the extension the client is taken to accept SHA-1 with the key's algorithm,
 * which Keel never signs with. */
static unsigned usable_peer_sigs(gnutls_session_t s, uint16_t *out)
{
    struct keel_hs *hs = s->hs;
    unsigned n = 0;

    for (unsigned i = 0; i < hs->n_peer_sigs; i++)
        if (keel_prio_has_sig(s, hs->peer_sigs[i]))
            out[n++] = hs->peer_sigs[i];
    return n;
}

static int pair_fits_kx(const struct keel_cert_pair *pair, gnutls_kx_algorithm_t kx)
{
    switch (kx) {
    case GNUTLS_KX_ECDHE_ECDSA:
        return pair->type == KEEL_PK_EC_P256 || pair->type == KEEL_PK_EC_P384 ||
               pair->type == KEEL_PK_EC_P521 || pair->type == KEEL_PK_ED25519 ||
               pair->type == KEEL_PK_ED448;
    case GNUTLS_KX_ECDHE_RSA:
    case GNUTLS_KX_DHE_RSA:
        return pair->type == KEEL_PK_RSA || pair->type == KEEL_PK_RSA_PSS;
    case GNUTLS_KX_RSA:
        return pair->type == KEEL_PK_RSA;
    default:
        return 0;
    }
}

/* The first scheme of the client's list this pair can sign with in TLS 1.2 (its curve need
 * not match the scheme there, RFC 5246 7.4.1.4.1); SHA-1 is never produced. */
static int pair_scheme12(const struct keel_cert_pair *pair, const uint16_t *sigs, unsigned n,
                         uint16_t *scheme)
{
    for (unsigned i = 0; i < n; i++) {
        const keel_sigscheme *ss = keel_sigscheme_by_id(sigs[i]);
        if (ss == NULL || ss->hash == KEEL_HASH_SHA1)
            continue;
        if (keel_pkey_scheme_ok_ex(pair->key, sigs[i], KEEL_SIG_TLS12) == 0) {
            *scheme = sigs[i];
            return 1;
        }
    }
    return 0;
}

/* The credentials' first pair (GnuTLS's order) usable for kx. */
static const struct keel_cert_pair *choose_pair(gnutls_session_t s, gnutls_kx_algorithm_t kx,
                                                uint16_t *scheme)
{
    gnutls_certificate_credentials_t c = s->cert_cred;
    uint16_t sigs[KEEL_HS_MAX_LIST];
    unsigned n = usable_peer_sigs(s, sigs);

    *scheme = 0;
    if (c == NULL)
        return NULL;
    if (c->retrieve_fn2 != NULL) {
        /* gnutls_certificate_set_retrieve_function2: the application's pair, if it fits
         * (asked once; a failing callback leaves no pair). */
        struct keel_hs *hs = s->hs;
        if (!hs->retrieve_asked) {
            hs->retrieve_asked = 1;
            hs->retrieve_error = keel_server_choose_pair(s, sigs, n, GNUTLS_TLS1_2,
                                                         &hs->retrieved_pair,
                                                         &hs->retrieved_scheme);
            if (hs->retrieve_error < 0)
                hs->retrieved_pair = NULL;
        }
        if (hs->retrieved_pair == NULL || !pair_fits_kx(hs->retrieved_pair, kx))
            return NULL;
        *scheme = kx == GNUTLS_KX_RSA ? 0 : hs->retrieved_scheme;
        return hs->retrieved_pair;
    }
    for (unsigned i = 0; i < c->n_pairs; i++) {
        const struct keel_cert_pair *pair = c->pairs[i];
        if (!pair_fits_kx(pair, kx))
            continue;
        if (kx == GNUTLS_KX_RSA || pair_scheme12(pair, sigs, n, scheme))
            return pair;
    }
    return NULL;
}

/* The group for an ECDHE exchange: the first mutual one in the deciding order. RFC 8422
 * 4: a client that sends no supported_groups is taken to support what we prefer. */
static const keel_group *choose_ec_group(gnutls_session_t s)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;
    int any = !hs->peer_sent_groups || (t != NULL && (t->corrupt & KEEL_TEST_T12_ANY_GROUP));

    if (p->server_precedence || any) {
        for (unsigned i = 0; i < p->n_groups; i++) {
            if (p->groups[i]->is_ffdhe)
                continue;
            if (any)
                return p->groups[i];
            for (unsigned j = 0; j < hs->n_peer_groups; j++)
                if (hs->peer_groups[j] == p->groups[i]->id)
                    return p->groups[i];
        }
        return NULL;
    }
    for (unsigned j = 0; j < hs->n_peer_groups; j++) {
        const keel_group *g = keel_group_by_id(hs->peer_groups[j]);
        if (g != NULL && !g->is_ffdhe && keel_prio_has_group(s, g->id))
            return g;
    }
    return NULL;
}

/* RFC 7919 4: a client listing FFDHE groups gets one of them or no FFDHE suite at all;
 * a client listing none gets the credentials' parameters. *group or *dh is set. */
static int choose_dh(gnutls_session_t s, gnutls_kx_algorithm_t kx, const keel_group **group,
                     const struct gnutls_dh_params_int **dh)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    struct keel_hs *hs = s->hs;
    int peer_ffdhe = 0;

    *group = NULL;
    *dh = NULL;
    for (unsigned j = 0; j < hs->n_peer_groups; j++) {
        const keel_group *g = keel_group_by_id(hs->peer_groups[j]);
        if (g == NULL || !g->is_ffdhe)
            continue;
        peer_ffdhe = 1;
        if (!p->server_precedence && keel_prio_has_group(s, g->id)) {
            *group = g;
            return 1;
        }
    }
    if (peer_ffdhe && p->server_precedence) {
        for (unsigned i = 0; i < p->n_groups; i++)
            for (unsigned j = 0; j < hs->n_peer_groups; j++)
                if (p->groups[i]->is_ffdhe && hs->peer_groups[j] == p->groups[i]->id) {
                    *group = p->groups[i];
                    return 1;
                }
    }
    if (peer_ffdhe)
        return 0;
    *dh = keel_tls12_server_dh_params(s, kx);
    return *dh != NULL;
}

/* Whether we can run suite su with what the client offered and what we have; fills the
 * handshake's choices when we can. */
static int suite_possible(gnutls_session_t s, const keel_suite *su)
{
    struct keel_hs *hs = s->hs;
    gnutls_kx_algorithm_t kx = su->kx;
    const struct keel_cert_pair *pair = NULL;
    const keel_group *group = NULL;
    const struct gnutls_dh_params_int *dh = NULL;
    uint16_t scheme = 0;

    if (su->min_version > GNUTLS_TLS1_2 || su->max_version < GNUTLS_TLS1_2 ||
        su->kx == GNUTLS_KX_UNKNOWN)
        return 0;
    switch (kx) {
    case GNUTLS_KX_ECDHE_ECDSA:
    case GNUTLS_KX_ECDHE_RSA:
    case GNUTLS_KX_ANON_ECDH:
        if ((group = choose_ec_group(s)) == NULL)
            return 0;
        break;
    case GNUTLS_KX_DHE_RSA:
    case GNUTLS_KX_ANON_DH:
        if (!choose_dh(s, kx, &group, &dh))
            return 0;
        break;
    case GNUTLS_KX_RSA:
        break;
    default:
        return 0;       /* PSK key exchanges come with their issue */
    }
    if (keel_tls12_kx_has_cert(kx)) {
        if ((pair = choose_pair(s, kx, &scheme)) == NULL)
            return 0;
    } else if (s->anon_server_cred == NULL) {
        return 0;
    }
    hs->pair = pair;
    hs->sign_scheme = scheme;
    hs->kx_group = group;
    hs->dh = dh;
    return 1;
}

/* The client's order unless %SERVER_PRECEDENCE, as for TLS 1.3. */
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
        for (unsigned i = 0; i < p->n_suites; i++)
            for (unsigned j = 0; j < hs->n_peer_suites; j++)
                if (hs->peer_suites[j] == p->suites[i]->id && suite_possible(s, p->suites[i]))
                    return p->suites[i];
        return NULL;
    }
    for (unsigned j = 0; j < hs->n_peer_suites; j++) {
        const keel_suite *su = keel_hs_suite_offered(s, hs->peer_suites[j]);
        if (su != NULL && suite_possible(s, su))
            return su;
    }
    return NULL;
}

static void reset_client_hello_state(struct keel_hs *hs)
{
    hs->ext_recv_ch = 0;
    hs->peer_sent_versions = hs->peer_sent_groups = hs->peer_sent_sigs = 0;
    hs->peer_sent_sigs_cert = hs->peer_sent_key_share = 0;
    hs->n_peer_versions = hs->n_peer_groups = hs->n_peer_sigs = hs->n_peer_sigs_cert = 0;
    hs->n_peer_shares = 0;
    hs->peer_sent_ems = hs->peer_sent_ri = hs->peer_sent_point_formats = 0;
}

static int client_offers_tls12(const struct keel_hs *hs, const keel_hello *h)
{
    if (!hs->peer_sent_versions)
        return h->legacy_version >= KEEL_TLS12_WIRE;
    for (unsigned i = 0; i < hs->n_peer_versions; i++)
        if (hs->peer_versions[i] == KEEL_TLS12_WIRE)
            return 1;
    return 0;
}

static int has_null_compression(keel_cur comps)
{
    while (!cur_empty(&comps)) {
        uint8_t c;
        if (!cur_u8(&comps, &c))
            return 0;
        if (c == 0)
            return 1;
    }
    return 0;
}

/* Whether this handshake asks for the client's certificate: gnutls_certificate_server_set_request,
 * in a key exchange that authenticates the server (RFC 5246 7.4.4). */
static int want_client_cert(gnutls_session_t s)
{
    return s->vfy.request != GNUTLS_CERT_IGNORE && keel_tls12_kx_has_cert(s->suite->kx);
}

static int recv_client_hello(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    const struct keel_test_hs_params *t = hs->test;
    uint8_t type;
    keel_cur msg, body;
    keel_hello h;
    const keel_suite *suite;
    int scsv;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CLIENT_HELLO, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_parse_client_hello(body, &h));
    /* Parsed again when the TLS 1.3 server handed it over: the parsers only overwrite. */
    reset_client_hello_state(hs);
    TRY(keel_ext_parse(s, KEEL_MSG_CH, h.exts));
    CHECK(client_offers_tls12(hs, &h) && keel_priority_has_version(p, GNUTLS_TLS1_2),
          GNUTLS_E_UNSUPPORTED_VERSION_PACKET);
    /* RFC 5246 7.4.1.2: the list "MUST contain, and all implementations MUST support,
     * CompressionMethod.null". */
    CHECK(has_null_compression(h.compression), GNUTLS_E_UNKNOWN_COMPRESSION_ALGORITHM);
    hs->client_hello_version = h.legacy_version;

    /* RFC 5746 and the priority's renegotiation mode (src/handshake/reneg.c). */
    scsv = keel_reneg_suites_have_scsv(h.suites);
    TRY(keel_reneg_check_peer_hello(s, hs->peer_sent_ri, scsv));
    if (scsv && p->safe_reneg != KEEL_SR_DISABLED) {
        /* RFC 5746 3.6: the SCSV is answered like an empty renegotiation_info. */
        hs->peer_sent_ri = 1;
        keel_ext_mark_received(s, KEEL_EXT_RENEGOTIATION_INFO);
    }

    memcpy(s->client_random, h.random, 32);
    if (t != NULL && t->set_random)
        memcpy(s->server_random, t->random, 32);
    else
        TRY(keel_random(s->server_random, 32));
    /* RFC 8446 4.1.3: a TLS 1.3-capable server negotiating TLS 1.2 says so in its random,
     * so that a TLS 1.3 client can detect a downgrade. */
    if (keel_priority_has_version(p, GNUTLS_TLS1_3) ||
        (t != NULL && (t->corrupt & KEEL_TEST_T12_SENTINEL)))
        memcpy(s->server_random + 24, downgrade_tls12, sizeof downgrade_tls12);

    suite = choose_suite(s, h.suites);
    /* A failing retrieve function ends the handshake with its error (as in TLS 1.3). */
    CHECK(suite != NULL || hs->retrieve_error >= 0, hs->retrieve_error);
    CHECK(suite != NULL, GNUTLS_E_NO_CIPHER_SUITES);
    s->version = GNUTLS_TLS1_2;
    s->suite = suite;
    s->group = hs->kx_group;
    if (hs->kx_group != NULL && hs->kx_group->is_ffdhe)
        s->sflags |= GNUTLS_SFLAGS_RFC7919;
    TRY(keel_tls12_ems_decide(s));

    /* A fresh session ID; resumption by ID does not exist yet, so it is never looked up. */
    s->session_id_len = 32;
    TRY(keel_random(s->session_id, 32));

    if (hs->transcript == NULL) {
        /* A CertificateVerify from the client would sign the messages from this one on.
         * Whether to ask is decided when the flight is sent (a hook on the ClientHello may
         * still call gnutls_certificate_server_set_request), so keep them until then. */
        if (keel_tls12_kx_has_cert(suite->kx))
            TRY(keel_hs_keep_log(s));
        TRY(keel_transcript_start(s, suite->prf));
    }
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    hs->tls12_state = KEEL_T12_S_SEND_FLIGHT;
    return 0;
}

static int send_server_hello(gnutls_session_t s)
{
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_SERVER_HELLO);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u16(b, KEEL_TLS12_WIRE);
    keel_b_bytes(b, s->server_random, 32);
    keel_b_open(b, 1);
    keel_b_bytes(b, s->session_id, s->session_id_len);
    keel_b_close(b);
    keel_b_u16(b, s->suite->id);
    keel_b_u8(b, 0);
    TRY(keel_ext_write(s, KEEL_MSG_SH12, b));
    return keel_hs_end(s, 1);
}

/* ServerHello [Certificate] [ServerKeyExchange] [CertificateRequest] ServerHelloDone */
static int send_server_flight(gnutls_session_t s)
{
    gnutls_kx_algorithm_t kx = s->suite->kx;

    TRY(send_server_hello(s));
    if (keel_tls12_kx_has_cert(kx))
        TRY(keel_tls12_send_certificate(s, s->hs->pair));
    if (keel_tls12_kx_has_ske(kx))
        TRY(keel_tls12_send_server_kx(s));
    if (want_client_cert(s) && s->hs->keep_log)
        TRY(keel_tls12_send_certificate_request(s));
    else
        keel_hs_drop_log(s);
    CHECK(keel_hs_begin(s, GNUTLS_HANDSHAKE_SERVER_HELLO_DONE) != NULL, GNUTLS_E_MEMORY_ERROR);
    TRY(keel_hs_end(s, 1));
    s->hs->tls12_state = s->hs->cert_requested ? KEEL_T12_S_RECV_CERT : KEEL_T12_S_RECV_CKE;
    return 0;
}

/* The client's Certificate: an empty one is refused under GNUTLS_CERT_REQUIRE (as GnuTLS,
 * GNUTLS_E_NO_CERTIFICATE_FOUND), else judged at once by the application's checks; a chain
 * is verified after its CertificateVerify. */
static int recv_client_certificate(gnutls_session_t s)
{
    uint8_t type;
    keel_cur msg, body;
    unsigned n;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CERTIFICATE_PKT, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_tls12_recv_certificate(s, msg, body, &n));
    CHECK(n > 0 || s->vfy.request != GNUTLS_CERT_REQUIRE, GNUTLS_E_NO_CERTIFICATE_FOUND);
    s->hs->tls12_state = KEEL_T12_S_RECV_CKE;
    if (n > 0)
        return 0;
    keel_hs_drop_log(s);
    return keel_verify_peer_in_handshake(s);
}

static int recv_client_key_exchange(gnutls_session_t s)
{
    uint8_t type, pm[KEEL_MAX_KX_SECRET_LEN];
    keel_cur msg, body;
    size_t pm_len = 0;
    int ret;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY_OUT(keel_tls12_recv_client_kx(s, body, pm, &pm_len));
    TRY_OUT(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    TRY_OUT(keel_tls12_master_secret(s, pm, pm_len));
    /* RFC 5246 7.4.8: a client that sent a certificate proves it holds the key next. */
    s->hs->tls12_state = s->n_peer_certs > 0 && s->hs->cert_requested ? KEEL_T12_S_RECV_CV
                                                                      : KEEL_T12_S_RECV_CCS;
out:
    keel_wipe(pm, sizeof pm);
    return ret;
}

int keel_tls12_server_step(gnutls_session_t s)
{
    struct keel_hs *hs;

    TRY(keel_hs_ensure(s));
    hs = s->hs;
    for (;;) {
        switch (hs->tls12_state) {
        case KEEL_T12_START:
            hs->tls12_state = KEEL_T12_S_RECV_CH;
            break;
        case KEEL_T12_S_RECV_CH:        TRY(recv_client_hello(s)); break;
        case KEEL_T12_S_SEND_FLIGHT:    TRY(send_server_flight(s)); break;
        case KEEL_T12_S_RECV_CERT:      TRY(recv_client_certificate(s)); break;
        case KEEL_T12_S_RECV_CKE:       TRY(recv_client_key_exchange(s)); break;
        case KEEL_T12_S_RECV_CV:
            TRY(keel_tls12_recv_certificate_verify(s));
            hs->tls12_state = KEEL_T12_S_RECV_CCS;
            break;
        case KEEL_T12_S_RECV_CCS:
            TRY(keel_tls12_recv_ccs(s));
            hs->tls12_state = KEEL_T12_S_RECV_FIN;
            break;
        case KEEL_T12_S_RECV_FIN:
            TRY(keel_tls12_recv_finished(s));
            hs->tls12_state = KEEL_T12_S_SEND_FIN;
            break;
        case KEEL_T12_S_SEND_FIN:
            TRY(keel_tls12_send_ccs_finished(s));
            hs->tls12_state = KEEL_T12_DONE;
            break;
        case KEEL_T12_DONE:
            s->established = 1;
            return 0;
        default:
            return GNUTLS_E_INTERNAL_ERROR;
        }
    }
}
