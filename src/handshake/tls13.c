/* Pieces both TLS 1.3 sides share: the middlebox-compatibility ChangeCipherSpec, Finished,
 * the record-boundary rule at key changes, and the dispatch of the messages that arrive
 * after the handshake (NewSessionTicket here, KeyUpdate in key_update.c). */
#include "handshake/handshake.h"
#include "handshake/key_update.h"
#include "ext/ext.h"

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

/* The peer's Finished, verified against base_key (its handshake traffic secret) and added
 * to the transcript. */
int keel_tls13_recv_finished(gnutls_session_t s, const uint8_t *base_key)
{
    struct keel_hs *hs = s->hs;
    uint8_t type, expected[KEEL_MAX_HASH_LEN];
    keel_cur msg, body;
    int ret;

    TRY(keel_hs_next(s, &type, &msg, &body));
    CHECK(type == GNUTLS_HANDSHAKE_FINISHED, GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_left(&body) == hs->hash_len, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    TRY_OUT(keel_tls13_finished(s, base_key, expected));
    /* RFC 8446 4.4.4: "Recipients of Finished messages MUST verify that the contents are
     * correct and if incorrect MUST terminate the connection with a "decrypt_error" alert." */
    CHECK_OUT(keel_memeq_secret(expected, body.p, hs->hash_len), GNUTLS_E_ERROR_IN_FINISHED_PACKET);
    TRY_OUT(keel_hs_transcript_add(s, msg.p, msg.len));
    keel_hs_consume(s);
    TRY_OUT(keel_tls13_check_key_change(s));
out:
    keel_wipe(expected, sizeof expected);
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

    /* RFC 8446 4.6.1: only servers send tickets. */
    CHECK(!s->is_server, GNUTLS_E_UNEXPECTED_PACKET);
    CHECK(cur_u32(&body, &lifetime) && cur_u32(&body, &age_add) &&
          cur_u8_prefixed(&body, &nonce) && cur_u16_prefixed(&body, &ticket) &&
          cur_u16_prefixed(&body, &exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body) && !cur_empty(&ticket), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* "Servers MUST NOT use any value greater than 604800 seconds (7 days)." */
    CHECK(lifetime <= 604800, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* Duplicates and extensions that do not belong in a NewSessionTicket are refused, the
     * unknown ones ignored (RFC 8446 4.2, 4.6.1). */
    return keel_ext_parse(s, KEEL_MSG_NST, exts);
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
