/* ec_point_formats (RFC 8422 5.1.2): Keel uses and accepts the uncompressed form only, and
 * says so in the ClientHello and in the ServerHello of an ECC suite. */
#include "ext/ext.h"
#include "handshake/tls12.h"

enum { POINT_UNCOMPRESSED = 0 };

int keel_ext_ec_point_formats_wanted(gnutls_session_t s, unsigned msg)
{
    gnutls_kx_algorithm_t kx;

    if (msg == KEEL_MSG_CH)
        return keel_priority_has_version(keel_hs_prio(s), GNUTLS_TLS1_2);
    /* RFC 8422 5.2: the server answers only when it selects an ECC cipher suite. */
    kx = s->suite != NULL ? s->suite->kx : GNUTLS_KX_UNKNOWN;
    return kx == GNUTLS_KX_ECDHE_ECDSA || kx == GNUTLS_KX_ECDHE_RSA || kx == GNUTLS_KX_ANON_ECDH;
}

int keel_ext_ec_point_formats_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    keel_b_open(b, 1);
    keel_b_u8(b, POINT_UNCOMPRESSED);
    keel_b_close(b);
    return 0;
}

int keel_ext_ec_point_formats_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    keel_cur list;
    int uncompressed = 0;

    /* ECPointFormat ec_point_format_list<1..2^8-1> */
    CHECK(cur_u8_prefixed(&body, &list) && cur_empty(&body) && !cur_empty(&list),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    while (!cur_empty(&list)) {
        uint8_t f;
        CHECK(cur_u8(&list, &f), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        uncompressed |= f == POINT_UNCOMPRESSED;
    }
    /* RFC 8422 5.1.2: a list without the uncompressed format is illegal_parameter. */
    CHECK(uncompressed, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    s->hs->peer_sent_point_formats = 1;
    return 0;
}
