/* TLS 1.2 renegotiation (issue 5): the HelloRequest and the client's answer to it, starting a
 * handshake again on an established connection, and the checks that make a renegotiation
 * safe: RFC 5746 (renegotiation_info, the SCSV, the four priority modes), the peer's identity
 * and the extended master secret (RFC 7627) staying what they were. */
#include "handshake/handshake.h"
#include "handshake/reneg.h"

#define VERIFY_DATA_LEN 12      /* RFC 5246 7.4.9: verify_data_length for every AEAD suite */

static keel_safe_reneg_mode mode_of(gnutls_session_t s)
{
    return keel_hs_prio(s)->safe_reneg;
}

int keel_tls12_send_hello_request(gnutls_session_t s)
{
    keel_builder *b;
    int ret;

    CHECK(s->is_server && s->established && s->version != GNUTLS_TLS1_3,
          GNUTLS_E_INVALID_REQUEST);
    CHECK(!s->write_closed, GNUTLS_E_INVALID_SESSION);
    /* A renegotiation is already running: what the caller asked for is under way. */
    if (s->handshake_in_progress)
        return 0;
    /* A call after GNUTLS_E_AGAIN finds its HelloRequest still queued: only push it. */
    if (s->last_out != GNUTLS_HANDSHAKE_HELLO_REQUEST || keel_bytes_len(&s->out) == 0) {
        b = keel_hs_begin(s, GNUTLS_HANDSHAKE_HELLO_REQUEST);
        CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
        /* RFC 5246 7.4.1.1: HelloRequest is empty and "MUST NOT be included in the message
         * hashes". */
        TRY(keel_hs_end(s, 0));
        TRY(keel_rec_queue(s, KEEL_CT_HANDSHAKE, NULL, 0));
    }
    ret = keel_rec_flush(s);
    return ret < 0 ? keel_fail(s, ret) : 0;
}

int keel_reneg_hello_request(gnutls_session_t s)
{
    /* As GnuTLS: gnutls_handshake_get_last_in() does not report a HelloRequest received. */
    s->last_in = (gnutls_handshake_description_t)-1;
    if (!(s->init_flags & GNUTLS_AUTO_REAUTH))
        return GNUTLS_E_REHANDSHAKE;
    return gnutls_handshake(s);
}

int keel_reneg_hello_request_unhooked(gnutls_session_t s, uint8_t type)
{
    return !s->is_server && type == GNUTLS_HANDSHAKE_HELLO_REQUEST;
}

int keel_reneg_auto_reauth(gnutls_session_t s)
{
    if (s->is_server || !(s->init_flags & GNUTLS_AUTO_REAUTH) || !s->established ||
        !s->handshake_in_progress || s->version == GNUTLS_TLS1_3)
        return 0;
    return gnutls_handshake(s);
}

int keel_reneg_skip_hello_requests(gnutls_session_t s)
{
    if (s->is_server || !s->established || !s->handshake_in_progress ||
        s->version == GNUTLS_TLS1_3 || s->hs_msg_len != 0)
        return 0;
    while (keel_bytes_len(&s->hs_in) >= 4) {
        keel_cur c = cur_init(s->hs_in.buf + s->hs_in.start, keel_bytes_len(&s->hs_in));
        uint8_t type;
        uint32_t len;

        if (!cur_u8(&c, &type) || !cur_u24(&c, &len) || type != GNUTLS_HANDSHAKE_HELLO_REQUEST)
            return 0;
        /* RFC 5246 7.4.1.1: "struct { } HelloRequest;" */
        CHECK(len == 0, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        /* "This message will be ignored by the client if the client is currently
         * negotiating a session." */
        keel_bytes_consume(&s->hs_in, 4);
    }
    return 0;
}

int keel_reneg_begin(gnutls_session_t s)
{
    keel_safe_reneg_mode mode = mode_of(s);

    CHECK(s->established && s->version != GNUTLS_TLS1_3, GNUTLS_E_INTERNAL_ERROR);
    /* A client that knows the server lacks RFC 5746 does not even ask, unless told to
     * (%UNSAFE_RENEGOTIATION) or told to ignore RFC 5746 (%DISABLE_SAFE_RENEGOTIATION). The
     * server's side of this is keel_reneg_check_peer_hello on the ClientHello. */
    if (!s->is_server && !s->safe_renegotiation &&
        (mode == KEEL_SR_SAFE || mode == KEEL_SR_PARTIAL))
        return GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED;
    /* Nothing of the previous handshake is left in s->hs (it was freed when it completed)
     * unless a test hook set parameters for this one. */
    return keel_hs_ensure(s);
}

/* ---- RFC 5746 ---- */

static void set_safe(gnutls_session_t s, int safe)
{
    s->safe_renegotiation = safe;
    if (safe)
        s->sflags |= GNUTLS_SFLAGS_SAFE_RENEGOTIATION;
    else
        s->sflags &= ~(unsigned)GNUTLS_SFLAGS_SAFE_RENEGOTIATION;
}

int keel_reneg_info_wanted(gnutls_session_t s, int peer_signalled)
{
    if (mode_of(s) == KEEL_SR_DISABLED)
        return 0;
    if (s->is_server)
        return peer_signalled;
    /* A connection that was not safe has no verify_data to prove in it. */
    return !s->established || s->safe_renegotiation;
}

int keel_reneg_info_send(gnutls_session_t s, keel_builder *b)
{
    /* RFC 5746 3.4/3.6: empty on the initial handshake; 3.5/3.7: the saved verify_data
     * (client: client_verify_data; server: client_verify_data || server_verify_data). */
    keel_b_open(b, 1);
    if (s->established && s->safe_renegotiation) {
        keel_b_bytes(b, s->client_verify_data, VERIFY_DATA_LEN);
        if (s->is_server)
            keel_b_bytes(b, s->server_verify_data, VERIFY_DATA_LEN);
    }
    keel_b_close(b);
    /* No keel_b_finish here: inside a hello's open extension blocks it would fail; the
     * caller's finish reports any builder error. */
    return 0;
}

int keel_reneg_info_recv(gnutls_session_t s, keel_cur body)
{
    uint8_t expect[2 * VERIFY_DATA_LEN];
    size_t n = VERIFY_DATA_LEN;
    keel_cur field;
    int same;

    CHECK(cur_u8_prefixed(&body, &field) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    if (mode_of(s) == KEEL_SR_DISABLED)
        return 0;
    if (!s->established) {
        /* RFC 5746 3.4/3.6: "... MUST then verify that the length of the
         * "renegotiated_connection" field is zero, and if it is not, MUST abort the
         * handshake (by sending a fatal handshake_failure alert)." */
        CHECK(cur_empty(&field), GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
        return 0;
    }
    /* RFC 5746 4.2/4.4: renegotiating a connection that was not safe, the extension may not
     * appear. */
    CHECK(s->safe_renegotiation, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    memcpy(expect, s->client_verify_data, VERIFY_DATA_LEN);
    if (!s->is_server) {
        memcpy(expect + VERIFY_DATA_LEN, s->server_verify_data, VERIFY_DATA_LEN);
        n = 2 * VERIFY_DATA_LEN;
    }
    /* RFC 5746 3.5 (client) / 3.7 (server): compare with the saved verify_data; abort with
     * handshake_failure when they differ. The length is public; the bytes are compared in
     * constant time. */
    same = cur_left(&field) == n && keel_memeq_secret(field.p, expect, n);
    keel_wipe(expect, sizeof expect);
    CHECK(same, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    return 0;
}

int keel_reneg_suites_have_scsv(keel_cur suites)
{
    uint16_t id;

    while (cur_u16(&suites, &id))
        if (id == KEEL_SCSV_RENEGOTIATION)
            return 1;
    return 0;
}

int keel_reneg_check_peer_hello(gnutls_session_t s, int peer_sent_ri, int peer_sent_scsv)
{
    keel_safe_reneg_mode mode = mode_of(s);

    if (!s->is_server)
        peer_sent_scsv = 0;
    if (mode == KEEL_SR_DISABLED) {
        set_safe(s, 0);
        return 0;
    }
    if (!s->established) {
        int safe = peer_sent_ri || peer_sent_scsv;
        /* %SAFE_RENEGOTIATION: no connection at all with a peer that lacks RFC 5746. */
        CHECK(safe || mode != KEEL_SR_SAFE, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
        set_safe(s, safe);
        return 0;
    }
    /* RFC 5746 3.7: "When a ClientHello is received, the server MUST verify that it does not
     * contain the TLS_EMPTY_RENEGOTIATION_INFO_SCSV SCSV. If the SCSV is present, the server
     * MUST abort the handshake." */
    CHECK(!peer_sent_scsv, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
    if (s->safe_renegotiation) {
        /* RFC 5746 3.5/3.7: a safe connection renegotiates only with the extension. */
        CHECK(peer_sent_ri, GNUTLS_E_SAFE_RENEGOTIATION_FAILED);
        return 0;
    }
    /* A connection without RFC 5746: only %UNSAFE_RENEGOTIATION lets it renegotiate. */
    CHECK(mode == KEEL_SR_UNSAFE, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED);
    return 0;
}

/* ---- identity and EMS ---- */

int keel_reneg_check_peer_cert(gnutls_session_t s, const uint8_t *der, size_t len)
{
    const gnutls_datum_t *old;

    if (!s->established || (s->init_flags & GNUTLS_ALLOW_ID_CHANGE))
        return 0;
    /* A connection that had no peer certificate (anonymous) may acquire one. */
    if (s->n_peer_certs == 0 || s->peer_certs == NULL)
        return 0;
    old = &s->peer_certs[0];
    /* Certificates are public: an ordinary comparison is enough. */
    CHECK(der != NULL && len == old->size && memcmp(der, old->data, len) == 0,
          GNUTLS_E_SESSION_USER_ID_CHANGED);
    return 0;
}

int keel_reneg_check_ems(gnutls_session_t s, int ems_negotiated)
{
    /* RFC 7627 5.3 applied to renegotiation, as its section 5.4 recommends for any new
     * handshake on a connection: once the master secret is bound to the session hash, a new
     * handshake without that binding is refused. */
    if (s->established && s->version != GNUTLS_TLS1_3 && s->ems && !ems_negotiated)
        return GNUTLS_E_INSUFFICIENT_SECURITY;
    return 0;
}
