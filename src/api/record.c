/* The application data calls: gnutls_record_send/recv with their GNUTLS_E_AGAIN resumption
 * rules, cork/uncork, alerts and gnutls_bye. */
#include "api/api.h"
#include "handshake/key_update.h"
#include "handshake/reneg.h"

/* A failed read: transient codes pass through (an idle session gives back its buffers on
 * GNUTLS_E_AGAIN), anything else ends the session with its alert. */
static int recv_failed(gnutls_session_t s, int err)
{
    if (err == GNUTLS_E_AGAIN)
        keel_rec_release_idle(s);
    return keel_fail(s, err);
}

/* Sends at most one record of data, as GnuTLS does; after GNUTLS_E_AGAIN or
 * GNUTLS_E_INTERRUPTED the next call finishes that record whatever it is given. */
static ssize_t send_one(gnutls_session_t s, const void *data, size_t size)
{
    size_t n;
    int ret;

    if (s->pending_send_len) {
        ret = keel_rec_flush(s);
        if (ret < 0)
            return keel_fail(s, ret);
        n = s->pending_send_len;
        s->pending_send_len = 0;
        return (ssize_t)n;
    }
    if (size == 0)
        return 0;
    CHECK(data != NULL, GNUTLS_E_INVALID_REQUEST);
    n = size < s->max_record_send ? size : s->max_record_send;
    /* A KeyUpdate we owe the peer, or the automatic one, goes out before the data. */
    if (s->version == GNUTLS_TLS1_3) {
        ret = keel_tls13_before_app_data(s);
        if (ret < 0)
            return keel_fail(s, ret);
    }
    ret = keel_rec_queue(s, KEEL_CT_APPDATA, data, n);
    if (ret < 0)
        return keel_fail(s, ret);
    ret = keel_rec_flush(s);
    if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) {
        s->pending_send_len = n;
        return ret;
    }
    if (ret < 0)
        return keel_fail(s, ret);
    return (ssize_t)n;
}

static ssize_t record_send(gnutls_session_t s, const void *data, size_t data_size)
{

    if (s->fatal)
        return s->fatal;
    CHECK(s->established, GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
    CHECK(!s->write_closed, GNUTLS_E_INVALID_SESSION);
    if (s->corked && s->pending_send_len == 0) {
        CHECK(data != NULL || data_size == 0, GNUTLS_E_INVALID_REQUEST);
        keel_b_bytes(&s->cork_buf, data, data_size);
        if (keel_b_finish(&s->cork_buf) < 0) {
            keel_b_reset(&s->cork_buf);
            s->cork_off = 0;
            return GNUTLS_E_MEMORY_ERROR;
        }
        return (ssize_t)data_size;
    }
    return send_one(s, data, data_size);
}

ssize_t gnutls_record_send(gnutls_session_t session, const void *data, size_t data_size)
{
    ssize_t ret = record_send(session, data, data_size);

    keel_rec_release_drained(session);
    return ret;
}

void gnutls_record_cork(gnutls_session_t session)
{
    session->corked = 1;
}

/* Sends the corked data, a record at a time. Without GNUTLS_RECORD_WAIT a transient
 * failure returns with the rest still corked; call again to continue. Returns the bytes
 * sent by this call. */
int gnutls_record_uncork(gnutls_session_t session, unsigned int flags)
{
    gnutls_session_t s = session;
    size_t total = 0;
    ssize_t ret;

    if (!s->corked)
        return 0;
    if (s->fatal)
        return s->fatal;
    while (s->cork_off < s->cork_buf.len || s->pending_send_len) {
        size_t left = s->cork_buf.len - s->cork_off;
        ret = send_one(s, left ? s->cork_buf.buf + s->cork_off : NULL, left);
        if ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) && (flags & GNUTLS_RECORD_WAIT))
            continue;
        if (ret < 0)
            return (int)ret;
        s->cork_off += (size_t)ret;
        total += (size_t)ret;
    }
    keel_b_free(&s->cork_buf);
    s->cork_off = 0;
    s->corked = 0;
    return total > 0x7fffffff ? 0x7fffffff : (int)total;
}

/* TLS 1.2 after the handshake: a HelloRequest (client) or ClientHello (server) asks for a
 * renegotiation, which the application sees as GNUTLS_E_REHANDSHAKE (design section 1). */
static int post_handshake12(gnutls_session_t s, uint8_t type, keel_cur *body)
{
    if (!s->is_server && type == GNUTLS_HANDSHAKE_HELLO_REQUEST) {
        CHECK(cur_empty(body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        keel_hs_consume(s);
        if (s->fatal)
            return s->fatal;
        /* RFC 5246 7.4.1.1: ignored while a handshake is already being negotiated;
         * otherwise GNUTLS_E_REHANDSHAKE, or the renegotiation itself (GNUTLS_AUTO_REAUTH). */
        return s->handshake_in_progress ? 0 : keel_reneg_hello_request(s);
    }
    if (s->is_server && type == GNUTLS_HANDSHAKE_CLIENT_HELLO) {
        /* Kept in hs_in for the gnutls_handshake() that renegotiates. */
        return GNUTLS_E_REHANDSHAKE;
    }
    return GNUTLS_E_UNEXPECTED_PACKET;
}

/* Handles the handshake messages that arrive after the handshake, until hs_in is empty. */
static int post_handshake(gnutls_session_t s)
{
    while (keel_bytes_len(&s->hs_in) > 0) {
        uint8_t type;
        keel_cur msg, body;

        TRY(keel_hs_next(s, &type, &msg, &body));
        if (s->version == GNUTLS_TLS1_3) {
            TRY(keel_tls13_post_handshake(s, type, &msg, &body));
            keel_hs_consume(s);
            if (s->fatal)
                return s->fatal;
        } else {
            TRY(post_handshake12(s, type, &body));
        }
    }
    return 0;
}

static ssize_t copy_appdata(gnutls_session_t s, void *data, size_t size)
{
    size_t n = keel_bytes_len(&s->appdata);

    if (n > size)
        n = size;
    if (n)
        memcpy(data, s->appdata.buf + s->appdata.start, n);
    keel_bytes_consume(&s->appdata, n);
    return (ssize_t)n;
}

/* Empty application data records in a row before a peer counts as flooding us. */
#define KEEL_MAX_EMPTY_RECORDS 256

static ssize_t recv_records(gnutls_session_t s, void *data, size_t data_size)
{
    keel_cur plain;
    uint8_t type;
    size_t direct;
    int ret, empty = 0;

    if (s->fatal)
        return s->fatal;
    CHECK(s->established, GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
    /* 0 means end of data; a request for nothing cannot be told apart from it. */
    CHECK(data != NULL && data_size > 0, GNUTLS_E_INVALID_REQUEST);
    /* Data received earlier comes first, before anything that follows it. */
    if (keel_bytes_len(&s->appdata) > 0)
        return copy_appdata(s, data, data_size);
    /* A renegotiation GNUTLS_AUTO_REAUTH started inside an earlier call goes on first. */
    ret = keel_reneg_auto_reauth(s);
    if (ret == GNUTLS_E_GOT_APPLICATION_DATA)
        return copy_appdata(s, data, data_size);
    if (ret < 0)
        return ret;
    for (;;) {
        if (s->read_closed)
            return 0;
        if (keel_bytes_len(&s->hs_in) > 0 && !s->handshake_in_progress) {
            ret = post_handshake(s);
            if (ret == GNUTLS_E_GOT_APPLICATION_DATA)
                return copy_appdata(s, data, data_size);
            if (ret < 0)
                return recv_failed(s, ret);
            /* GnuTLS returns GNUTLS_E_AGAIN after a post-handshake message (even on a
             * blocking transport) when no more input is buffered; applications that poll
             * before each recv depend on not being blocked here (doc/COMPAT.md). */
            if (keel_bytes_len(&s->in) == 0)
                return GNUTLS_E_AGAIN;
            continue;
        }
        /* Application data is opened straight into the caller's buffer. */
        ret = keel_rec_read_into(s, &type, &plain, data, data_size, &direct);
        if (ret < 0)
            return recv_failed(s, ret);
        switch (type) {
        case KEEL_CT_APPDATA: {
            size_t room = data_size - direct;
            size_t n = plain.len < room ? plain.len : room;
            /* Zero-length application data is legal (RFC 8446 5.1) and means nothing, but
             * an endless run of it would keep us here forever. */
            if (direct + plain.len == 0) {
                if (++empty > KEEL_MAX_EMPTY_RECORDS)
                    return recv_failed(s, GNUTLS_E_TOO_MANY_EMPTY_PACKETS);
                continue;
            }
            if (n)
                memcpy((uint8_t *)data + direct, plain.p, n);
            if (plain.len > n) {
                ret = keel_bytes_append(&s->appdata, plain.p + n, plain.len - n);
                if (ret < 0)
                    return keel_fail(s, ret);
            }
            return (ssize_t)(direct + n);
        }
        case KEEL_CT_ALERT:
            return 0;           /* close_notify */
        case KEEL_CT_HANDSHAKE:
            /* During a renegotiation its messages are gnutls_handshake()'s to read. */
            if (s->handshake_in_progress)
                return GNUTLS_E_REHANDSHAKE;
            continue;
        default:
            return recv_failed(s, GNUTLS_E_UNEXPECTED_PACKET);
        }
    }
}

ssize_t gnutls_record_recv(gnutls_session_t session, void *data, size_t data_size)
{
    ssize_t ret = recv_records(session, data, data_size);

    /* Large buffers drained by this call go back to the thread. */
    keel_rec_release_drained(session);
    return ret;
}

int gnutls_alert_send(gnutls_session_t session, gnutls_alert_level_t level,
                      gnutls_alert_description_t desc)
{
    CHECK(!session->write_closed || session->alert_pending == (int)desc + 1,
          GNUTLS_E_INVALID_SESSION);
    return keel_send_alert(session, level, desc);
}

int gnutls_alert_send_appropriate(gnutls_session_t session, int err)
{
    int level, desc;

    /* Transient codes and a received fatal alert call for no answer; a refused
     * renegotiation does (no_renegotiation). */
    if (err != GNUTLS_E_REHANDSHAKE &&
        (!gnutls_error_is_fatal(err) || err == GNUTLS_E_FATAL_ALERT_RECEIVED))
        return 0;
    desc = gnutls_error_to_alert(err, &level);
    if (desc < 0)
        return desc;
    return gnutls_alert_send(session, (gnutls_alert_level_t)level, (gnutls_alert_description_t)desc);
}

/* close_notify, then (GNUTLS_SHUT_RDWR) the peer's: everything before it is discarded. */
int gnutls_bye(gnutls_session_t session, gnutls_close_request_t how)
{
    gnutls_session_t s = session;
    keel_cur plain;
    uint8_t type;
    int ret;

    if (s->fatal)
        return s->fatal;
    if (!s->bye_sent || s->alert_pending) {
        ret = keel_send_alert(s, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);
        if (s->alert_pending || ret == 0)
            s->bye_sent = 1;
        if (ret < 0)
            return ret;
    }
    if (how == GNUTLS_SHUT_WR)
        return 0;
    while (!s->read_closed) {
        ret = keel_rec_read_raw(s, &type, &plain);
        if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
            return ret;
        /* The peer's answer was all we waited for: a peer that just hangs up, or sends
         * something broken, has still closed the connection. */
        if (ret < 0)
            return 0;
        if (type == KEEL_CT_HANDSHAKE) {
            /* A TLS 1.3 KeyUpdate before the peer's close_notify changes the key that
             * close_notify is protected with: process it rather than drop it. */
            if (s->version == GNUTLS_TLS1_3 && post_handshake(s) == 0)
                continue;
            keel_bytes_consume(&s->hs_in, keel_bytes_len(&s->hs_in));
        }
    }
    return 0;
}
