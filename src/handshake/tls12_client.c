/* The TLS 1.2 client (RFC 5246 7.3): from the server's TLS 1.2 ServerHello (the ClientHello
 * was sent by the version-neutral hello code) to the server's Finished. One state per
 * expected message; handlers return error codes and the driver turns them into alerts. */
#include "handshake/tls12.h"
#include "ext/ext.h"
#include "x509/x509.h"

static int recv_server_hello(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    uint8_t type;
    keel_cur msg, body;
    keel_hello h;
    const keel_suite *suite;

    TRY(keel_tls12_next_message(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_SERVER_HELLO, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_parse_server_hello(body, &h));
    /* RFC 5246 7.4.1.3: server_version is the one the connection uses: 3.3 here. */
    CHECK(h.legacy_version == KEEL_TLS12_WIRE && keel_priority_has_version(p, GNUTLS_TLS1_2),
          GNUTLS_E_UNSUPPORTED_VERSION_PACKET);
    /* RFC 8446 4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below
     * MUST check that the last 8 bytes are not equal to either of these values." */
    if (keel_ext_offer_tls13(s) && !s->established)
        CHECK(!keel_downgrade_sentinel_present(h.random), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* RFC 5246 7.4.1.3: the suite and compression come from the client's lists. */
    suite = keel_hs_suite_offered(s, h.suite);
    CHECK(suite != NULL && suite->min_version <= GNUTLS_TLS1_2 &&
          suite->max_version >= GNUTLS_TLS1_2 && suite->kx != GNUTLS_KX_UNKNOWN,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK(h.compression_method == 0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);

    hs->peer_sent_ems = hs->peer_sent_ri = hs->peer_sent_point_formats = 0;
    TRY(keel_ext_parse(s, KEEL_MSG_SH12, h.exts));
    s->version = GNUTLS_TLS1_2;
    s->suite = suite;
    memcpy(s->server_random, h.random, 32);
    s->session_id_len = cur_left(&h.session_id);
    if (!cur_copy(&h.session_id, s->session_id, s->session_id_len))
        return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
    /* RFC 5746 and the priority's renegotiation mode (src/handshake/reneg.c). */
    TRY(keel_reneg_check_peer_hello(s, hs->peer_sent_ri, 0));
    TRY(keel_tls12_ems_decide(s));

    if (hs->transcript == NULL)
        TRY(keel_transcript_start(s, suite->prf));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    if (keel_tls12_kx_has_cert(suite->kx))
        hs->tls12_state = KEEL_T12_C_RECV_CERT;
    else if (keel_tls12_kx_has_ske(suite->kx))
        hs->tls12_state = KEEL_T12_C_RECV_SKE;
    else
        hs->tls12_state = KEEL_T12_C_RECV_CR_OR_SHD;
    return 0;
}

/* The certificate's key must be of the kind the suite's key exchange uses
 * (RFC 5246 7.4.2, RFC 8422 5.3: ECDSA-capable for ECDHE_ECDSA). */
static int key_fits_kx(const keel_pkey *key, gnutls_kx_algorithm_t kx)
{
    keel_pk_type t = keel_pkey_type(key);

    switch (kx) {
    case GNUTLS_KX_ECDHE_ECDSA:
        return t == KEEL_PK_EC_P256 || t == KEEL_PK_EC_P384 || t == KEEL_PK_EC_P521 ||
               t == KEEL_PK_ED25519 || t == KEEL_PK_ED448;
    case GNUTLS_KX_ECDHE_RSA:
    case GNUTLS_KX_DHE_RSA:
        return t == KEEL_PK_RSA || t == KEEL_PK_RSA_PSS;
    case GNUTLS_KX_RSA:
        return t == KEEL_PK_RSA;
    default:
        return 0;
    }
}

/* The server's Certificate: never empty in a key exchange that needs one. */
static int recv_certificate(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t type;
    keel_cur msg, body;
    unsigned n;

    TRY(keel_tls12_next_message(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CERTIFICATE_PKT, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_tls12_recv_certificate(s, msg, body, &n));
    CHECK(n > 0, GNUTLS_E_NO_CERTIFICATE_FOUND);
    CHECK(key_fits_kx(hs->peer_key, s->suite->kx), GNUTLS_E_CERTIFICATE_ERROR);
    /* As GnuTLS in TLS 1.2: the chain is judged as soon as it arrives
     * (gnutls_session_set_verify_cert, the credentials' verify function). */
    TRY(keel_verify_peer_in_handshake(s));
    hs->tls12_state = keel_tls12_kx_has_ske(s->suite->kx) ? KEEL_T12_C_RECV_SKE
                                                           : KEEL_T12_C_RECV_CR_OR_SHD;
    return 0;
}

static int recv_server_key_exchange(gnutls_session_t s)
{
    uint8_t type;
    keel_cur msg, body;

    TRY(keel_tls12_next_message(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_tls12_recv_server_kx(s, body));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    s->hs->tls12_state = KEEL_T12_C_RECV_CR_OR_SHD;
    return 0;
}

/* CertificateRequest (RFC 5246 7.4.4): "It is a fatal handshake_failure alert for an
 * anonymous server to request client authentication." */
static int recv_certificate_request(gnutls_session_t s, keel_cur *msg, keel_cur body)
{
    CHECK(keel_tls12_kx_has_cert(s->suite->kx), GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    TRY(keel_tls12_recv_certificate_request(s, body));
    TRY(keel_hs_transcript_add(s, msg->p, msg->len));
    keel_hs_consume(s);
    s->hs->tls12_state = KEEL_T12_C_RECV_SHD;
    return 0;
}

static int recv_request_or_done(gnutls_session_t s)
{
    uint8_t type;
    keel_cur msg, body;

    TRY(keel_tls12_next_message(s, &type, &msg, &body));
    if (type == GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST && s->hs->tls12_state == KEEL_T12_C_RECV_CR_OR_SHD)
        return recv_certificate_request(s, &msg, body);
    CHECK(type == GNUTLS_HANDSHAKE_SERVER_HELLO_DONE, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    /* struct { } ServerHelloDone; */
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    if (!s->hs->cert_requested)
        keel_hs_drop_log(s);
    s->hs->tls12_state = KEEL_T12_C_SEND_FLIGHT;
    return 0;
}

/* [Certificate] ClientKeyExchange [CertificateVerify] ChangeCipherSpec Finished.
 * RFC 5246 7.4.6: without a suitable certificate "the client MUST send a certificate message
 * containing no certificates". */
static int send_client_flight(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    if (hs->cert_requested)
        TRY(keel_tls12_send_certificate(s, hs->pair));
    if (hs->pair == NULL)
        keel_hs_drop_log(s);            /* no CertificateVerify to sign */
    TRY(keel_tls12_send_client_kx(s));
    if (hs->cert_requested && hs->pair != NULL)
        TRY(keel_tls12_send_certificate_verify(s));
    TRY(keel_tls12_send_ccs_finished(s));
    hs->tls12_state = KEEL_T12_C_RECV_CCS;
    return 0;
}

int keel_tls12_client_step(gnutls_session_t s)
{
    struct keel_hs *hs;

    TRY(keel_hs_ensure(s));
    hs = s->hs;
    for (;;) {
        switch (hs->tls12_state) {
        case KEEL_T12_START:
            /* On an established connection (renegotiation) the ClientHello is ours to
             * send; on a first handshake the hello code sent it and handed over. */
            if (s->established)
                TRY(keel_send_client_hello(s));
            hs->tls12_state = KEEL_T12_C_RECV_SH;
            break;
        case KEEL_T12_C_RECV_SH:        TRY(recv_server_hello(s)); break;
        case KEEL_T12_C_RECV_CERT:      TRY(recv_certificate(s)); break;
        case KEEL_T12_C_RECV_SKE:       TRY(recv_server_key_exchange(s)); break;
        case KEEL_T12_C_RECV_CR_OR_SHD:
        case KEEL_T12_C_RECV_SHD:       TRY(recv_request_or_done(s)); break;
        case KEEL_T12_C_SEND_FLIGHT:    TRY(send_client_flight(s)); break;
        case KEEL_T12_C_RECV_CCS:
            TRY(keel_tls12_recv_ccs(s));
            hs->tls12_state = KEEL_T12_C_RECV_FIN;
            break;
        case KEEL_T12_C_RECV_FIN:
            TRY(keel_tls12_recv_finished(s));
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

int keel_tls12_step(gnutls_session_t s)
{
    TRY(keel_hs_ensure(s));
    s->hs->state = KEEL_HS_TLS12;
    return s->is_server ? keel_tls12_server_step(s) : keel_tls12_client_step(s);
}
