/* The TLS 1.3 client (RFC 8446 2, 4): one state per expected message; each receive handler
 * consumes one message and names the next state. Handlers return error codes; the driver
 * turns them into alerts. */
#include "handshake/handshake.h"
#include "ext/ext.h"
#include "x509/x509.h"

static int send_client_hello(gnutls_session_t s)
{
    TRY(keel_send_client_hello(s));
    s->hs->state = KEEL_C_RECV_SH;
    return 0;
}

/* Checks shared by ServerHello and HelloRetryRequest once supported_versions said 1.3. */
static int check_hello13(gnutls_session_t s, const keel_hello *h, const keel_suite **suite)
{
    struct keel_hs *hs = s->hs;
    int offered = 0;

    /* RFC 8446 4.2.1: "If the "supported_versions" extension in the ServerHello contains a
     * version not offered by the client or contains a version prior to TLS 1.3, the client
     * MUST abort the handshake with an "illegal_parameter" alert." */
    for (unsigned i = 0; i < hs->n_versions_sent; i++)
        offered |= hs->versions_sent[i] == hs->selected_version;
    CHECK(offered && hs->selected_version == KEEL_TLS13_WIRE, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* RFC 8446 4.1.3: "A client which receives a legacy_session_id_echo field that does not
     * match what it sent in the ClientHello MUST abort the handshake with an
     * "illegal_parameter" alert." */
    CHECK(cur_left(&h->session_id) == hs->session_id_len &&
          memcmp(h->session_id.p, hs->session_id, hs->session_id_len) == 0,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* "A client which receives a cipher suite that was not offered MUST abort the handshake
     * with an "illegal_parameter" alert." */
    *suite = keel_hs_suite_offered(s, h->suite);
    CHECK(*suite != NULL && (*suite)->min_version == GNUTLS_TLS1_3,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* legacy_compression_method: "a single byte which MUST have the value 0" */
    CHECK(h->compression_method == 0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    return 0;
}

static int recv_hello_retry_request(gnutls_session_t s, const keel_cur *msg, const keel_suite *suite)
{
    struct keel_hs *hs = s->hs;

    /* RFC 8446 4.1.4: "If a client receives a second HelloRetryRequest in the same
     * connection (i.e., where the ClientHello was itself in response to a
     * HelloRetryRequest), it MUST abort the handshake with an "unexpected_message" alert." */
    CHECK(!hs->hrr, GNUTLS_E_UNEXPECTED_PACKET);
    hs->hrr = 1;
    /* From here the server's middlebox CCS may arrive; it is TLS 1.3's to drop. */
    s->version = GNUTLS_TLS1_3;
    hs->hrr_suite = suite;
    if (hs->peer_sent_key_share) {
        const keel_group *g = keel_group_by_id(hs->sh_share_group);
        /* RFC 8446 4.2.8: "the selected_group field MUST correspond to a group which was
         * provided in the "supported_groups" extension in the original ClientHello and MUST
         * NOT correspond to a group which was provided in the "key_share" extension in the
         * original ClientHello. If either of these checks fails, then the client MUST abort
         * the handshake with an "illegal_parameter" alert." */
        CHECK(g != NULL && keel_prio_has_group(s, g->id) && g != hs->kx_group,
              GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        hs->hrr_group = g;
    }
    /* RFC 8446 4.1.4: "Clients MUST abort the handshake with an "illegal_parameter" alert if
     * the HelloRetryRequest would not result in any change in the ClientHello." */
    CHECK(hs->hrr_group != NULL || hs->cookie != NULL, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    TRY(keel_transcript_restart_hrr(s, suite->prf));
    TRY(keel_hs_transcript_add(s, msg->p, msg->len));
    keel_hs_consume(s);
    hs->peer_sent_key_share = 0;
    hs->state = KEEL_C_SEND_CH2;
    return 0;
}

static int recv_server_hello(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t type;
    keel_cur msg, body, sv;
    keel_hello h;
    const keel_suite *suite;
    uint8_t dhe[KEEL_MAX_KX_SECRET_LEN];
    size_t dhe_len = sizeof dhe;
    int is_hrr, ret;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_SERVER_HELLO, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_parse_server_hello(body, &h));
    is_hrr = memcmp(h.random, keel_hrr_random, 32) == 0;

    if (!keel_ext_find(h.exts, KEEL_EXT_SUPPORTED_VERSIONS, &sv)) {
        /* RFC 8446 4.1.4: a HelloRetryRequest "MUST contain the "supported_versions"
         * extension". */
        CHECK(!is_hrr && !hs->hrr, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        /* RFC 8446 4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or
         * below MUST check that the last 8 bytes are not equal to either of these values.
         * [...] If a match is found, the client MUST abort the handshake with an
         * "illegal_parameter" alert." */
        if (keel_ext_offer_tls13(s))
            CHECK(!keel_downgrade_sentinel_present(h.random), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        /* The TLS 1.2 client (issue 4) takes over here, with the ServerHello unconsumed. */
        hs->state = KEEL_HS_TLS12;
        return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
    }

    hs->peer_sent_key_share = 0;
    hs->selected_version = 0;
    TRY(keel_ext_parse(s, is_hrr ? KEEL_MSG_HRR : KEEL_MSG_SH, h.exts));
    TRY(check_hello13(s, &h, &suite));
    if (is_hrr)
        return recv_hello_retry_request(s, &msg, suite);

    /* RFC 8446 4.1.4: "clients MUST check that the cipher suite supplied in the ServerHello
     * is identical to that in the HelloRetryRequest and otherwise abort the handshake with an
     * "illegal_parameter" alert." */
    CHECK(!hs->hrr || suite == hs->hrr_suite, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* Without PSK, the key share is what the server's ServerHello is about. */
    CHECK(hs->peer_sent_key_share, GNUTLS_E_MISSING_EXTENSION);
    /* RFC 8446 4.2.8: the server's share "MUST be in the same group as the KeyShareEntry
     * value offered by the client that the server has selected"; after a
     * HelloRetryRequest, the group "is the same as that in the HelloRetryRequest". */
    CHECK(hs->kx != NULL && hs->sh_share_group == hs->kx_group->id,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);

    s->version = GNUTLS_TLS1_3;
    s->suite = suite;
    s->group = hs->kx_group;
    memcpy(s->server_random, h.random, 32);
    if (hs->transcript == NULL)
        TRY(keel_transcript_start(s, suite->prf));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    TRY(keel_tls13_check_key_change(s));

    TRY_OUT(keel_kx_derive(hs->kx, hs->peer_pub, hs->peer_pub_len, dhe, &dhe_len));
    TRY_OUT(keel_tls13_handshake_secrets(s, dhe, dhe_len));
    TRY_OUT(keel_tls13_install(s, 0, hs->s_hs_secret));
    hs->state = KEEL_C_RECV_EE;
out:
    keel_wipe(dhe, sizeof dhe);
    return ret;
}

static int send_client_hello2(gnutls_session_t s)
{
    /* RFC 8446 D.4: in compatibility mode the client "sends a dummy change_cipher_spec
     * record immediately before its second flight. This may either be before its second
     * ClientHello or before its encrypted handshake flight." */
    if (s->hs->session_id_len > 0)
        TRY(keel_tls13_send_ccs(s));
    TRY(keel_send_client_hello(s));
    s->hs->state = KEEL_C_RECV_SH2;
    return 0;
}

/* struct { Extension extensions<0..2^16-1>; } EncryptedExtensions; */
static int recv_encrypted_extensions(gnutls_session_t s)
{
    uint8_t type;
    keel_cur msg, body, exts;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_u16_prefixed(&body, &exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    TRY(keel_ext_parse(s, KEEL_MSG_EE, exts));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    s->hs->state = KEEL_C_RECV_CERT_OR_CR;
    return 0;
}

/* struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     Extension extensions<2..2^16-1>;
 * } CertificateRequest; */
static int recv_certificate_request(gnutls_session_t s, keel_cur *msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur ctx, exts;

    CHECK(cur_u8_prefixed(&body, &ctx) && cur_u16_prefixed(&body, &exts),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* RFC 8446 4.3.2: the context "SHALL be zero length unless used for the post-handshake
     * authentication exchanges". */
    CHECK(cur_empty(&ctx), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    hs->peer_sent_sigs = 0;
    TRY(keel_ext_parse(s, KEEL_MSG_CR, exts));
    /* RFC 8446 4.3.2: "The "signature_algorithms" extension MUST be specified" */
    CHECK(hs->peer_sent_sigs, GNUTLS_E_MISSING_EXTENSION);
    hs->cert_requested = 1;
    TRY(keel_tls13_choose_client_pair(s, exts));        /* issue 8 */
    TRY(keel_hs_transcript_add(s, msg->p, msg->len));
    keel_hs_consume(s);
    hs->state = KEEL_C_RECV_CERT;
    return 0;
}

#define MAX_PEER_CHAIN 32

/* struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     CertificateEntry certificate_list<0..2^24-1>;
 * } Certificate;
 * struct { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; } CertificateEntry; */
static int recv_certificate(gnutls_session_t s, keel_cur *msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur ctx, list, scan;
    unsigned n = 0;

    CHECK(cur_u8_prefixed(&body, &ctx) && cur_u24_prefixed(&body, &list),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* RFC 8446 4.4.2: "In the case of server authentication, this field SHALL be zero
     * length." */
    CHECK(cur_empty(&ctx), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* "If the server supplies an empty Certificate message, the client MUST abort the
     * handshake with a "decode_error" alert." */
    CHECK(!cur_empty(&list), GNUTLS_E_NO_CERTIFICATE_FOUND);

    /* First pass: structure and extensions; second: copies. */
    scan = list;
    while (!cur_empty(&scan)) {
        keel_cur der, exts;
        CHECK(cur_u24_prefixed(&scan, &der) && !cur_empty(&der) &&
              cur_u16_prefixed(&scan, &exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        TRY(keel_ext_parse(s, KEEL_MSG_CT, exts));
        n++;
    }
    CHECK(n <= MAX_PEER_CHAIN, GNUTLS_E_CERTIFICATE_ERROR);

    TRY(keel_set_peer_chain(s, list, n, 1, &hs->peer_key));

    TRY(keel_hs_transcript_add(s, msg->p, msg->len));
    keel_hs_consume(s);
    hs->state = KEEL_C_RECV_CV;
    return 0;
}

static int recv_certificate_or_request(gnutls_session_t s)
{
    uint8_t type;
    keel_cur msg, body;

    TRY(keel_hs_next(s, &type, &msg, &body));
    switch (type) {
    case GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST:
        if (s->hs->state == KEEL_C_RECV_CERT_OR_CR)
            return recv_certificate_request(s, &msg, body);
        return GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET;
    case GNUTLS_HANDSHAKE_CERTIFICATE_PKT:
        return recv_certificate(s, &msg, body);
    default:
        return GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET;
    }
}

static int recv_certificate_verify(gnutls_session_t s)
{
    TRY(keel_tls13_recv_certificate_verify(s, 1));
    s->hs->state = KEEL_C_RECV_FIN;
    return 0;
}

static int recv_server_finished(gnutls_session_t s)
{
    TRY(keel_tls13_recv_finished(s, s->hs->s_hs_secret));
    TRY(keel_tls13_app_secrets(s));
    TRY(keel_tls13_install(s, 0, s->server_app_secret));
    s->hs->state = KEEL_C_SEND_FLIGHT2;
    return 0;
}

/* [ChangeCipherSpec] [Certificate] Finished, then the application keys. */
static int send_second_flight(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    if (hs->session_id_len > 0 && !hs->ccs_sent)
        TRY(keel_tls13_send_ccs(s));
    TRY(keel_tls13_install(s, 1, hs->c_hs_secret));
    if (hs->cert_requested)
        TRY(keel_tls13_send_client_auth(s));    /* issue 8: Certificate [CertificateVerify] */
    TRY(keel_tls13_send_finished(s, hs->c_hs_secret));
    TRY(keel_tls13_install(s, 1, s->client_app_secret));
    TRY(keel_tls13_resumption_secret(s));
    /* gnutls_session_get_id: in TLS 1.3 the legacy_session_id of this handshake. */
    memcpy(s->session_id, hs->session_id, hs->session_id_len);
    s->session_id_len = hs->session_id_len;
    hs->state = KEEL_HS_DONE;
    return 0;
}

int keel_tls13_client_step(gnutls_session_t s)
{
    TRY(keel_hs_ensure(s));
    for (;;) {
        switch (s->hs->state) {
        case KEEL_HS_START:         TRY(send_client_hello(s)); break;
        case KEEL_C_RECV_SH:
        case KEEL_C_RECV_SH2:       TRY(recv_server_hello(s)); break;
        case KEEL_C_SEND_CH2:       TRY(send_client_hello2(s)); break;
        case KEEL_C_RECV_EE:        TRY(recv_encrypted_extensions(s)); break;
        case KEEL_C_RECV_CERT_OR_CR:
        case KEEL_C_RECV_CERT:      TRY(recv_certificate_or_request(s)); break;
        case KEEL_C_RECV_CV:        TRY(recv_certificate_verify(s)); break;
        case KEEL_C_RECV_FIN:       TRY(recv_server_finished(s)); break;
        case KEEL_C_SEND_FLIGHT2:   TRY(send_second_flight(s)); break;
        case KEEL_HS_DONE:
            s->established = 1;
            return 0;
        default:
            return GNUTLS_E_INTERNAL_ERROR;
        }
    }
}
