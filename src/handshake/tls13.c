/* Pieces both TLS 1.3 sides share: the middlebox-compatibility ChangeCipherSpec, Finished,
 * the record-boundary rule at key changes, and the dispatch of the messages that arrive
 * after the handshake (NewSessionTicket here, KeyUpdate in key_update.c). */
#include "handshake/handshake.h"
#include "handshake/key_update.h"

int keel_tls13_send_ccs(gnutls_session_t s)
{
    static const uint8_t ccs = 1;

    TRY(keel_rec_queue(s, KEEL_CT_CCS, &ccs, 1));
    s->hs->ccs_sent = 1;
    return 0;
}

/* struct { opaque verify_data[Hash.length]; } Finished; */
int keel_tls13_send_finished(gnutls_session_t s, const uint8_t *base_key)
{
    uint8_t vd[KEEL_MAX_HASH_LEN];
    keel_builder *b;
    int ret;

    TRY_OUT(keel_tls13_finished(s, base_key, vd));
    if (s->hs->test != NULL && (s->hs->test->corrupt & KEEL_TEST_CORRUPT_FINISHED))
        vd[0] ^= 1;
    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_FINISHED);
    CHECK_OUT(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_bytes(b, vd, s->hs->hash_len);
    TRY_OUT(keel_hs_end(s, 1));
out:
    keel_wipe(vd, sizeof vd);
    return ret;
}

/* RFC 8446 5.1: "Handshake messages MUST NOT span key changes. Implementations MUST verify
 * that all messages immediately preceding a key change align with a record boundary; if
 * not, then they MUST terminate the connection with an "unexpected_message" alert." */
int keel_tls13_check_key_change(gnutls_session_t s)
{
    CHECK(keel_bytes_len(&s->hs_in) == 0, GNUTLS_E_UNEXPECTED_PACKET);
    return 0;
}

/* struct {
 *     uint32 ticket_lifetime;
 *     uint32 ticket_age_add;
 *     opaque ticket_nonce<0..255>;
 *     opaque ticket<1..2^16-1>;
 *     Extension extensions<0..2^16-2>;
 * } NewSessionTicket;
 * Checked for structure and dropped: resumption does not exist yet. */
static int recv_new_session_ticket(gnutls_session_t s, keel_cur body)
{
    uint32_t lifetime, age_add;
    keel_cur nonce, ticket, exts;
    uint8_t seen[65536 / 8];

    /* RFC 8446 4.6.1: only servers send tickets. */
    CHECK(!s->is_server, GNUTLS_E_UNEXPECTED_PACKET);
    CHECK(cur_u32(&body, &lifetime) && cur_u32(&body, &age_add) &&
          cur_u8_prefixed(&body, &nonce) && cur_u16_prefixed(&body, &ticket) &&
          cur_u16_prefixed(&body, &exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body) && !cur_empty(&ticket), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* "Servers MUST NOT use any value greater than 604800 seconds (7 days)." */
    CHECK(lifetime <= 604800, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    memset(seen, 0, sizeof seen);
    while (!cur_empty(&exts)) {
        uint16_t type;
        keel_cur data;
        CHECK(cur_u16(&exts, &type) && cur_u16_prefixed(&exts, &data),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        /* RFC 8446 4.2: no two extensions of one type in a block. */
        CHECK(!(seen[type / 8] & (1u << (type % 8))), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        seen[type / 8] |= (uint8_t)(1u << (type % 8));
    }
    return 0;
}

int keel_tls13_post_handshake(gnutls_session_t s, uint8_t type, keel_cur *msg, keel_cur *body)
{
    switch (type) {
    case GNUTLS_HANDSHAKE_NEW_SESSION_TICKET:
        return recv_new_session_ticket(s, *body);
    case GNUTLS_HANDSHAKE_KEY_UPDATE:
        return keel_tls13_recv_key_update(s, *body);        /* key_update.c */
    default:
        /* RFC 8446 4: after the handshake only these (and post-handshake authentication,
         * not offered) may arrive; HelloRequest and the rest are unexpected. */
        return GNUTLS_E_UNEXPECTED_PACKET;
    }
}
