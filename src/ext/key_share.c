/* key_share (RFC 8446 4.2.8): the client's ephemeral public values, the server's one share,
 * or the group a HelloRetryRequest asks for. The choice of group is the state machines';
 * this file only reads and writes the wire forms. */
#include "ext/ext.h"

int keel_ext_key_share_wanted(gnutls_session_t s, unsigned msg)
{
    return msg != KEEL_MSG_CH || (keel_ext_offer_tls13(s) && s->hs->kx != NULL);
}

int keel_ext_key_share_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    struct keel_hs *hs = s->hs;

    switch (msg) {
    case KEEL_MSG_CH:
        keel_b_open(b, 2);
        keel_b_u16(b, hs->kx_group->id);
        keel_b_open(b, 2);
        keel_b_bytes(b, hs->kx_pub, hs->kx_pub_len);
        keel_b_close(b);
        keel_b_close(b);
        return 0;
    case KEEL_MSG_SH:
        keel_b_u16(b, hs->kx_group->id);
        keel_b_open(b, 2);
        keel_b_bytes(b, hs->kx_pub, hs->kx_pub_len);
        keel_b_close(b);
        return 0;
    case KEEL_MSG_HRR:
        keel_b_u16(b, hs->hrr_group->id);
        return 0;
    default:
        return GNUTLS_E_INTERNAL_ERROR;
    }
}

static int recv_client_shares(struct keel_hs *hs, keel_cur body)
{
    keel_cur list;

    /* KeyShareEntry client_shares<0..2^16-1>; */
    CHECK(cur_u16_prefixed(&body, &list) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    hs->n_peer_shares = 0;
    while (!cur_empty(&list)) {
        uint16_t id;
        keel_cur key;
        const keel_group *g;

        /* opaque key_exchange<1..2^16-1>; */
        CHECK(cur_u16(&list, &id) && cur_u16_prefixed(&list, &key) && !cur_empty(&key),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        /* Unknown groups are skipped: the server picks among what it understands. */
        g = keel_group_by_id(id);
        if (g == NULL)
            continue;
        /* RFC 8446 4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
         * group ... Servers MAY check for violations of these rules and abort the handshake
         * with an "illegal_parameter" alert if one is violated." */
        for (unsigned i = 0; i < hs->n_peer_shares; i++)
            CHECK(hs->peer_shares[i].group != g, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        if (hs->n_peer_shares < KEEL_HS_MAX_SHARES) {
            keel_peer_share *ps = &hs->peer_shares[hs->n_peer_shares++];
            ps->group = g;
            ps->len = cur_left(&key);
            if (!cur_bytes(&key, ps->len, &ps->pub))
                return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        }
    }
    hs->peer_sent_key_share = 1;
    return 0;
}

int keel_ext_key_share_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur key;

    switch (msg) {
    case KEEL_MSG_CH:
        return recv_client_shares(hs, body);
    case KEEL_MSG_SH:
        /* KeyShareEntry server_share; */
        CHECK(cur_u16(&body, &hs->sh_share_group) && cur_u16_prefixed(&body, &key) &&
              cur_empty(&body) && !cur_empty(&key), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        CHECK(cur_left(&key) <= sizeof hs->peer_pub, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        hs->peer_pub_len = cur_left(&key);
        if (!cur_copy(&key, hs->peer_pub, hs->peer_pub_len))
            return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        hs->peer_sent_key_share = 1;
        return 0;
    case KEEL_MSG_HRR:
        /* NamedGroup selected_group; */
        CHECK(cur_u16(&body, &hs->sh_share_group) && cur_empty(&body),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        hs->peer_sent_key_share = 1;
        return 0;
    default:
        return GNUTLS_E_INTERNAL_ERROR;
    }
}
