/* TLS 1.3 KeyUpdate: the next traffic secret (RFC 8446 7.2), sending and receiving the
 * message (4.6.3), the answer owed to update_requested, the flood limit and the automatic
 * rekey before the AEAD limits (5.5). The application's entry is src/api/key_update.c. */
#include "handshake/handshake.h"
#include "handshake/key_update.h"

/* application_traffic_secret_N+1 =
 *     HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
 * The old secret is overwritten in place: nothing of it survives the call. */
static int next_secret(gnutls_session_t s, int write)
{
    keel_hash_id id = s->suite->prf;
    size_t n = keel_hash_len(id);
    /* Our write secret is the client's on a client; our read secret the other one. */
    uint8_t *secret = (write != s->is_server) ? s->client_app_secret : s->server_app_secret;
    uint8_t next[KEEL_MAX_HASH_LEN];
    int ret;

    CHECK(n != 0 && n <= sizeof next, GNUTLS_E_INTERNAL_ERROR);
    TRY_OUT(keel_hkdf_expand_label(id, secret, "traffic upd", NULL, 0, next, n));
    memcpy(secret, next, n);
    TRY_OUT(keel_tls13_install(s, write, secret));
out:
    keel_wipe(next, sizeof next);
    return ret;
}

/* The flood limit counts KeyUpdates per second of the application's clock
 * (gnutls_global_set_time_function). A peer that rekeys at any steady pace up to the limit
 * is never cut off: the count starts again with every new second. */
static int flood_check(gnutls_session_t s)
{
    int64_t now = (int64_t)keel_time();

    if (s->ku.window_count == 0 || now < s->ku.window_start || now - s->ku.window_start >= 1) {
        s->ku.window_start = now;
        s->ku.window_count = 0;
    }
    if (++s->ku.window_count > KEEL_KU_MAX_PER_SECOND) {
        keel_audit_log(s, "peer sent more than %u KeyUpdate messages within a second\n",
                       KEEL_KU_MAX_PER_SECOND);
        return GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS;
    }
    return 0;
}

/* enum { update_not_requested(0), update_requested(1), (255) } KeyUpdateRequest;
 * struct { KeyUpdateRequest request_update; } KeyUpdate; */
int keel_tls13_recv_key_update(gnutls_session_t s, keel_cur body)
{
    uint8_t request;

    /* RFC 8446 4.6.3: KeyUpdate exists only in TLS 1.3, after the handshake; a peer that
     * sends it earlier "MUST" get unexpected_message. */
    CHECK(s->version == GNUTLS_TLS1_3 && s->established && !s->handshake_in_progress,
          GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
    CHECK(cur_u8(&body, &request), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* "If an implementation receives any other value, it MUST terminate the connection
     * with an "illegal_parameter" alert." */
    CHECK(request == KEEL_KU_NOT_REQUESTED || request == KEEL_KU_REQUESTED,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* RFC 8446 5.1: a message before a key change must end its record, else
     * unexpected_message. What is left in hs_in beyond this message came in its record. */
    CHECK(keel_bytes_len(&s->hs_in) == s->hs_msg_len, GNUTLS_E_UNEXPECTED_PACKET);
    TRY(flood_check(s));
    TRY(next_secret(s, 0));
    /* Whatever the peer meant by it, its sending keys changed after our request. */
    s->ku.requested = 0;
    /* "the receiver MUST send a KeyUpdate of its own with request_update set to
     * "update_not_requested" prior to sending its next Application Data record": one
     * answer covers every request received while we were silent. */
    if (request == KEEL_KU_REQUESTED)
        s->ku.owed = 1;
    return 0;
}

int keel_tls13_send_key_update(gnutls_session_t s, int request)
{
    keel_builder *b;

    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_KEY_UPDATE);
    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u8(b, request ? KEEL_KU_REQUESTED : KEEL_KU_NOT_REQUESTED);
    /* Post-handshake messages are not part of the transcript. */
    TRY(keel_hs_end(s, 0));
    /* keel_rec_set_keys protects the queued KeyUpdate under the old keys first
     * (RFC 8446 4.6.3: "after sending a KeyUpdate message, the sender SHALL send all its
     * traffic using the next generation of keys"). */
    TRY(next_secret(s, 1));
    /* Any KeyUpdate of ours answers what the peer asked for. */
    s->ku.owed = 0;
    if (request)
        s->ku.requested = 1;
    return 0;
}

static uint64_t rekey_threshold(gnutls_session_t s)
{
    return s->ku.rekey_after != 0 ? s->ku.rekey_after : KEEL_KU_REKEY_RECORDS;
}

int keel_tls13_before_app_data(gnutls_session_t s)
{
    if (s->version != GNUTLS_TLS1_3 || !s->established || s->write.aead == NULL)
        return 0;
    if (s->ku.owed)
        return keel_tls13_send_key_update(s, 0);
    if (!(s->init_flags & GNUTLS_NO_AUTO_REKEY) &&
        s->write.records_since_key >= rekey_threshold(s)) {
        keel_log(3, "KeyUpdate: %llu records under one key, rekeying\n",
                 (unsigned long long)s->write.records_since_key);
        return keel_tls13_send_key_update(s, 0);
    }
    return 0;
}

void keel_test_set_rekey_threshold(gnutls_session_t s, uint64_t records)
{
    s->ku.rekey_after = records;
}

int keel_test_send_handshake(gnutls_session_t s, const uint8_t *msgs, size_t len)
{
    keel_b_bytes(&s->hs_out, msgs, len);
    TRY(keel_b_finish(&s->hs_out));
    return keel_rec_flush(s);
}
