/* supported_versions (RFC 8446 4.2.1): the client's list of versions, the server's choice. */
#include "ext/ext.h"

int keel_ext_supported_versions_wanted(gnutls_session_t s, unsigned msg)
{
    return msg != KEEL_MSG_CH || keel_ext_offer_tls13(s);
}

int keel_ext_supported_versions_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    struct keel_hs *hs = s->hs;

    if (msg != KEEL_MSG_CH) {
        keel_b_u16(b, KEEL_TLS13_WIRE);
        return 0;
    }
    hs->n_versions_sent = 0;
    keel_b_open(b, 1);
    for (unsigned i = 0; i < p->n_versions && hs->n_versions_sent < 4; i++) {
        uint16_t wire;
        switch (p->versions[i]) {
        case GNUTLS_TLS1_3: wire = KEEL_TLS13_WIRE; break;
        case GNUTLS_TLS1_2: wire = KEEL_TLS12_WIRE; break;
        default: continue;
        }
        keel_b_u16(b, wire);
        hs->versions_sent[hs->n_versions_sent++] = wire;
    }
    keel_b_close(b);
    return 0;
}

int keel_ext_supported_versions_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur list;

    if (msg != KEEL_MSG_CH) {
        CHECK(cur_u16(&body, &hs->selected_version) && cur_empty(&body),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        return 0;
    }
    /* ProtocolVersion versions<2..254>; */
    CHECK(cur_u8_prefixed(&body, &list) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&list) >= 2 && cur_left(&list) % 2 == 0, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    hs->n_peer_versions = 0;
    while (!cur_empty(&list)) {
        uint16_t v;
        CHECK(cur_u16(&list, &v), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        if (hs->n_peer_versions < KEEL_HS_MAX_LIST)
            hs->peer_versions[hs->n_peer_versions++] = v;
    }
    hs->peer_sent_versions = 1;
    return 0;
}
