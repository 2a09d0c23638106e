/* TLS 1.3 certificate authentication of the client (issue 8), called from the state machines
 * of tls13_client.c and tls13_server.c: the server's CertificateRequest and its reading of
 * the client's Certificate and CertificateVerify; the client's choice of certificate and its
 * Certificate and CertificateVerify. RFC 8446 4.3.2, 4.4.2, 4.4.3. */
#include "handshake/handshake.h"
#include "creds/creds.h"
#include "ext/ext.h"
#include "x509/x509.h"

#define KEEL_EXT_CERTIFICATE_AUTHORITIES 47     /* RFC 8446 4.2.4 */
#define MAX_PEER_CHAIN 32

/* ---- server ---- */

/* struct {
 *     opaque certificate_request_context<0..2^8-1>;
 *     Extension extensions<2..2^16-1>;
 * } CertificateRequest; */
int keel_tls13_send_certificate_request(gnutls_session_t s)
{
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u8(b, 0);                    /* context: empty outside post-handshake auth */
    if (keel_ca_names_len(s) == 0) {
        TRY(keel_ext_write(s, KEEL_MSG_CR, b));
    } else {
        /* signature_algorithms, then certificate_authorities: the subjects of our trust
         * anchors, as GnuTLS sends them, so that clients pick a certificate we accept. */
        keel_b_open(b, 2);
        keel_b_u16(b, KEEL_EXT_SIGNATURE_ALGORITHMS);
        keel_b_open(b, 2);
        TRY(keel_ext_signature_algorithms_send(s, KEEL_MSG_CR, b));
        keel_b_close(b);
        keel_b_u16(b, KEEL_EXT_CERTIFICATE_AUTHORITIES);
        keel_b_open(b, 2);
        keel_write_ca_names(s, b);
        keel_b_close(b);
        keel_b_close(b);
    }
    s->hs->cert_requested = 1;
    return keel_hs_end(s, 1);
}

/* The client's Certificate, with the context we sent (empty). An empty list is refused only
 * under GNUTLS_CERT_REQUIRE (as GnuTLS: GNUTLS_E_CERTIFICATE_REQUIRED, alert
 * certificate_required); then the next message is the client's Finished. */
int keel_tls13_recv_client_certificate(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t type;
    keel_cur msg, body, ctx, list, scan;
    unsigned n = 0;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CERTIFICATE_PKT, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_u8_prefixed(&body, &ctx) && cur_u24_prefixed(&body, &list),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* RFC 8446 4.4.2: the context of the CertificateRequest being answered. */
    CHECK(cur_empty(&ctx), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    scan = list;
    while (!cur_empty(&scan)) {
        keel_cur der, exts;
        CHECK(cur_u24_prefixed(&scan, &der) && !cur_empty(&der) &&
              cur_u16_prefixed(&scan, &exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        TRY(keel_ext_parse(s, KEEL_MSG_CT, exts));
        n++;
    }
    CHECK(n <= MAX_PEER_CHAIN, GNUTLS_E_CERTIFICATE_ERROR);
    CHECK(n > 0 || s->vfy.request != GNUTLS_CERT_REQUIRE, GNUTLS_E_CERTIFICATE_REQUIRED);
    TRY(keel_set_peer_chain(s, list, n, 1, &hs->peer_key));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    hs->state = n > 0 ? KEEL_S_RECV_CV : KEEL_S_RECV_FIN;
    /* Without a certificate the application's checks run now (a chain: after its
     * CertificateVerify). */
    return n > 0 ? 0 : keel_verify_peer_in_handshake(s);
}

/* struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; } CertificateVerify;
 * received from either side (from_server says which context string it signed). RFC 8446
 * 4.4.3: the scheme MUST be one we offered (signature_algorithms, or our CertificateRequest:
 * both are our priorities) and RSASSA-PKCS1-v1_5 "MUST NOT be used"; then the peer's chain
 * is verified (gnutls_session_set_verify_cert and the credentials' verify function). */
int keel_tls13_recv_certificate_verify(gnutls_session_t s, int from_server)
{
    struct keel_hs *hs = s->hs;
    uint8_t type;
    keel_cur msg, body, sig;
    uint16_t scheme;
    const keel_sigscheme *ss;
    uint8_t content[KEEL_CV_CONTENT_MAX];
    size_t content_len;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_u16(&body, &scheme) && cur_u16_prefixed(&body, &sig),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    ss = keel_sigscheme_by_id(scheme);
    CHECK(ss != NULL && ss->tls13_ok && keel_prio_has_sig(s, scheme),
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK(keel_pkey_scheme_ok(hs->peer_key, scheme) == 0, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* An empty signature is malformed rather than merely wrong (GnuTLS: illegal_parameter). */
    CHECK(!cur_empty(&sig), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    TRY(keel_tls13_cv_content(s, from_server, content, &content_len));
    TRY(keel_verify(hs->peer_key, scheme, content, content_len, sig.p, sig.len));
    s->sig_scheme_peer = scheme;
    TRY(keel_verify_peer_in_handshake(s));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    return 0;
}

/* ---- client ---- */

/* At a CertificateRequest: our pair (NULL: an empty Certificate), by the server's
 * signature_algorithms restricted to our priorities and by its certificate_authorities
 * (DistinguishedName authorities<3..2^16-1>) when sent. */
int keel_tls13_choose_client_pair(gnutls_session_t s, keel_cur exts)
{
    struct keel_hs *hs = s->hs;
    uint16_t sigs[KEEL_HS_MAX_LIST];
    unsigned n = 0;
    keel_cur ca_ext, cas = { NULL, 0 };

    for (unsigned i = 0; i < hs->n_peer_sigs; i++)
        if (keel_prio_has_sig(s, hs->peer_sigs[i]))
            sigs[n++] = hs->peer_sigs[i];
    if (keel_ext_find(exts, KEEL_EXT_CERTIFICATE_AUTHORITIES, &ca_ext))
        CHECK(cur_u16_prefixed(&ca_ext, &cas) && cur_empty(&ca_ext) && cur_left(&cas) >= 3,
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    return keel_client_choose_pair(s, cas.p, cur_left(&cas), sigs, n, GNUTLS_TLS1_3,
                                   &hs->pair, &hs->sign_scheme);
}

/* Our Certificate in answer to a CertificateRequest: the chosen chain, or none ("If the
 * server requests client authentication but no suitable certificate is available, the
 * client MUST send a Certificate message containing no certificates."); then, with a chain,
 * our CertificateVerify. */
int keel_tls13_send_client_auth(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t content[KEEL_CV_CONTENT_MAX];
    size_t content_len;
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CERTIFICATE_PKT);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u8(b, 0);                    /* certificate_request_context: empty, as received */
    keel_b_open(b, 3);
    for (unsigned i = 0; hs->pair != NULL && i < hs->pair->n_chain; i++) {
        size_t len;
        const uint8_t *der = keel_cert_der(hs->pair->chain[i], &len);
        keel_b_open(b, 3);
        keel_b_bytes(b, der, len);
        keel_b_close(b);
        keel_b_u16(b, 0);
    }
    keel_b_close(b);
    TRY(keel_hs_end(s, 1));
    if (hs->pair == NULL)
        return 0;
    s->vfy.own_pair = hs->pair;

    TRY(keel_tls13_cv_content(s, 0, content, &content_len));
    return keel_hs_send_certificate_verify(s, content, content_len, 0);
}
