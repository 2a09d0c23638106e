/* TLS 1.2 certificate messages of both sides (RFC 5246 7.4.2, 7.4.4, 7.4.6, 7.4.8): our
 * Certificate, the peer's Certificate, the server's CertificateRequest, and the client's
 * CertificateVerify, which signs every handshake message so far (the message log kept by
 * transcript.c, keel_hs_keep_log). Called from tls12_client.c and tls12_server.c. */
#include "handshake/tls12.h"
#include "ext/ext.h"
#include "creds/creds.h"
#include "x509/x509.h"

#define MAX_PEER_CHAIN 32

/* ClientCertificateType (RFC 5246 7.4.4; RFC 8422 5.5: ecdsa_sign also for EdDSA keys). */
enum { CERT_TYPE_RSA_SIGN = 1, CERT_TYPE_ECDSA_SIGN = 64 };

/* opaque ASN.1Cert<1..2^24-1>;
 * struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
 * pair NULL: the empty list of a client without a suitable certificate (7.4.6). */
int keel_tls12_send_certificate(gnutls_session_t s, const struct keel_cert_pair *pair)
{
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CERTIFICATE_PKT);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_open(b, 3);
    for (unsigned i = 0; pair != NULL && i < pair->n_chain; i++) {
        size_t len;
        const uint8_t *der = keel_cert_der(pair->chain[i], &len);
        keel_b_open(b, 3);
        keel_b_bytes(b, der, len);
        keel_b_close(b);
    }
    keel_b_close(b);
    if (pair != NULL)
        s->vfy.own_pair = pair;         /* gnutls_certificate_get_ours */
    return keel_hs_end(s, 1);
}

int keel_tls12_recv_certificate(gnutls_session_t s, keel_cur msg, keel_cur body, unsigned *n_out)
{
    struct keel_hs *hs = s->hs;
    keel_cur list, scan, first, der;
    unsigned n = 0;

    CHECK(cur_u24_prefixed(&body, &list) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    scan = list;
    while (!cur_empty(&scan)) {
        CHECK(cur_u24_prefixed(&scan, &der) && !cur_empty(&der), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        n++;
    }
    CHECK(n <= MAX_PEER_CHAIN, GNUTLS_E_CERTIFICATE_ERROR);
    /* A renegotiation may not change who the peer is (src/handshake/reneg.c). */
    if (n > 0) {
        first = list;
        if (!cur_u24_prefixed(&first, &der))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        TRY(keel_reneg_check_peer_cert(s, der.p, der.len));
    }
    TRY(keel_set_peer_chain(s, list, n, 0, &hs->peer_key));
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    *n_out = n;
    return 0;
}

/* ---- server ---- */

/* struct {
 *     ClientCertificateType certificate_types<1..2^8-1>;
 *     SignatureAndHashAlgorithm supported_signature_algorithms<2^16-1>;
 *     DistinguishedName certificate_authorities<0..2^16-1>;
 * } CertificateRequest;
 * The schemes are our priorities' (those a CertificateVerify may use), the authorities the
 * subjects of our trust anchors, as GnuTLS sends them. */
int keel_tls12_send_certificate_request(gnutls_session_t s)
{
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u8(b, 2);
    keel_b_u8(b, CERT_TYPE_RSA_SIGN);
    keel_b_u8(b, CERT_TYPE_ECDSA_SIGN);
    TRY(keel_ext_signature_algorithms_send(s, KEEL_MSG_CR, b));
    keel_write_ca_names(s, b);
    s->hs->cert_requested = 1;
    return keel_hs_end(s, 1);
}

/* struct { digitally-signed struct { opaque handshake_messages[handshake_messages_length]; } }
 * CertificateVerify; over every message up to and not including this one. The scheme must
 * be one our CertificateRequest offered and fit the client's key (RFC 5246 7.4.8). Then the
 * client's chain is verified (gnutls_session_set_verify_cert, the verify function). */
int keel_tls12_recv_certificate_verify(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    uint8_t type;
    keel_cur msg, body, sig;
    uint16_t scheme;
    const uint8_t *log;
    size_t log_len;

    TRY(keel_tls12_next_message(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_u16(&body, &scheme) && cur_u16_prefixed(&body, &sig) && cur_empty(&body),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(keel_sigscheme_by_id(scheme) != NULL && keel_prio_has_sig(s, scheme),
          GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    CHECK(hs->peer_key != NULL && hs->keep_log, GNUTLS_E_INTERNAL_ERROR);
    CHECK(keel_pkey_scheme_ok_ex(hs->peer_key, scheme, KEEL_SIG_TLS12) == 0,
          GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    CHECK(!cur_empty(&sig), GNUTLS_E_PK_SIG_VERIFY_FAILED);
    keel_hs_log(s, &log, &log_len);
    TRY(keel_verify_ex(hs->peer_key, scheme, KEEL_SIG_TLS12, log, log_len, sig.p, sig.len));
    s->sig_scheme_peer = scheme;
    TRY(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    keel_hs_drop_log(s);
    return keel_verify_peer_in_handshake(s);
}

/* ---- client ---- */

static int type_allows(unsigned types, keel_pk_type pk)
{
    switch (pk) {
    case KEEL_PK_RSA:
    case KEEL_PK_RSA_PSS:
        return (types & 1u) != 0;
    case KEEL_PK_EC_P256:
    case KEEL_PK_EC_P384:
    case KEEL_PK_EC_P521:
    case KEEL_PK_ED25519:
    case KEEL_PK_ED448:
        return (types & 2u) != 0;
    default:
        return 0;
    }
}

/* The request's fields; the pair we answer with (hs->pair, NULL: an empty Certificate) is
 * chosen by its types and schemes (restricted to our priorities) and its authorities. */
int keel_tls12_recv_certificate_request(gnutls_session_t s, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur types, sigs, cas;
    unsigned type_bits = 0, n = 0;
    uint16_t usable[KEEL_HS_MAX_LIST];

    CHECK(cur_u8_prefixed(&body, &types) && cur_u16_prefixed(&body, &sigs) &&
          cur_u16_prefixed(&body, &cas) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(!cur_empty(&types) && cur_left(&sigs) >= 2 && cur_left(&sigs) % 2 == 0,
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    while (!cur_empty(&types)) {
        uint8_t t;
        if (!cur_u8(&types, &t))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        if (t == CERT_TYPE_RSA_SIGN)
            type_bits |= 1u;
        else if (t == CERT_TYPE_ECDSA_SIGN)
            type_bits |= 2u;
    }
    while (!cur_empty(&sigs)) {
        uint16_t id;
        const keel_sigscheme *ss;
        if (!cur_u16(&sigs, &id))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        ss = keel_sigscheme_by_id(id);
        if (ss != NULL && n < KEEL_HS_MAX_LIST && keel_prio_has_sig(s, id) &&
            type_allows(type_bits, ss->pk))
            usable[n++] = id;
    }
    /* Each DistinguishedName is opaque<1..2^16-1>; the list is checked as a whole here. */
    {
        keel_cur scan = cas, dn;
        while (!cur_empty(&scan))
            CHECK(cur_u16_prefixed(&scan, &dn) && !cur_empty(&dn),
                  GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    }
    hs->cert_requested = 1;
    TRY(keel_client_choose_pair(s, cur_empty(&cas) ? NULL : cas.p, cur_left(&cas), usable, n,
                                GNUTLS_TLS1_2, &hs->pair, &hs->sign_scheme));
    /* Without the messages to sign (not kept: never with a TLS 1.2 offer), send none. */
    if (!hs->keep_log)
        hs->pair = NULL;
    return 0;
}

/* After ClientKeyExchange, with a certificate sent: the signature over the messages so far. */
int keel_tls12_send_certificate_verify(gnutls_session_t s)
{
    const uint8_t *log;
    size_t log_len;

    CHECK(s->hs->keep_log, GNUTLS_E_INTERNAL_ERROR);
    keel_hs_log(s, &log, &log_len);
    TRY(keel_hs_send_certificate_verify(s, log, log_len, KEEL_SIG_TLS12));
    keel_hs_drop_log(s);
    return 0;
}
