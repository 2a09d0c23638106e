/* supported_groups (RFC 8446 4.2.7): the named groups a client can do key exchange with, in
 * its order of preference. */
#include "ext/ext.h"

/* Servers may list their groups in EncryptedExtensions (RFC 8446 4.2.7); Keel's do not:
 * the HelloRetryRequest already says what a client needs to know. */
int keel_ext_supported_groups_wanted(gnutls_session_t s, unsigned msg)
{
    return msg == KEEL_MSG_CH;
}

int keel_ext_supported_groups_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);

    keel_b_open(b, 2);
    for (unsigned i = 0; i < p->n_groups; i++)
        keel_b_u16(b, p->groups[i]->id);
    keel_b_close(b);
    return 0;
}

int keel_ext_supported_groups_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur list;

    /* NamedGroup named_group_list<2..2^16-1>; */
    CHECK(cur_u16_prefixed(&body, &list) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&list) >= 2 && cur_left(&list) % 2 == 0, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    if (msg != KEEL_MSG_CH)
        return 0;   /* RFC 8446 4.2.7: clients MUST NOT act upon it before the handshake ends */
    hs->n_peer_groups = 0;
    while (!cur_empty(&list)) {
        uint16_t g;
        CHECK(cur_u16(&list, &g), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        if (hs->n_peer_groups < KEEL_HS_MAX_LIST && keel_group_by_id(g) != NULL)
            hs->peer_groups[hs->n_peer_groups++] = g;
    }
    hs->peer_sent_groups = 1;
    return 0;
}
