/* The handshake message layer: framing of outgoing messages into s->hs_out, reassembly of
 * incoming ones from s->hs_in (across and within records), the user's handshake hooks, and
 * the one place where an error becomes an alert (keel_fail). */
#include "session.h"
#include "handshake/handshake.h"
#include "handshake/reneg.h"          /* renegotiation (issue 5) */
#include "creds/creds.h"              /* our key pair (CertificateVerify) */

/* RFC 8446 4 / RFC 5246 7.4: type (1) and length (3). */
#define HS_HEADER 4
#define KEEL_HS_OUT_INITIAL 4096u

/* The type applications see: a HelloRetryRequest travels as a ServerHello with a special
 * random (RFC 8446 4.1.3), but hooks and gnutls_handshake_get_last_in/out name it
 * GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST, as GnuTLS does. */
static unsigned visible_type(unsigned type, const uint8_t *body, size_t len)
{
    keel_cur c = cur_init(body, len);
    const uint8_t *random;

    if (type == GNUTLS_HANDSHAKE_SERVER_HELLO && cur_skip(&c, 2) && cur_bytes(&c, 32, &random)
        && memcmp(random, keel_hrr_random, 32) == 0)
        return GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST;
    return type;
}

static int run_hook(gnutls_session_t s, unsigned type, int when, int incoming,
                    const uint8_t *body, size_t len)
{
    gnutls_datum_t d;

    if (s->hook == NULL)
        return 0;
    type = visible_type(type, body, len);
    if (s->hook_htype != GNUTLS_HANDSHAKE_ANY && s->hook_htype != type)
        return 0;
    if (s->hook_when != GNUTLS_HOOK_BOTH && s->hook_when != when)
        return 0;
    d.data = (unsigned char *)body;
    d.size = (unsigned)len;
    return s->hook(s, type, (unsigned)when, (unsigned)incoming, &d);
}

keel_builder *keel_hs_begin(gnutls_session_t s, uint8_t type)
{
    keel_builder *b = &s->hs_out;

    /* Room for a typical flight up front rather than doubling from a few bytes. */
    if (b->buf == NULL && b->err == 0)
        keel_b_init_growable(b, KEEL_HS_OUT_INITIAL, b->max);
    s->hs_out_start = b->len;
    keel_b_u8(b, type);
    keel_b_u24(b, 0);           /* filled in by keel_hs_end */
    return b;
}

int keel_hs_end(gnutls_session_t s, int transcript)
{
    keel_builder *b = &s->hs_out;
    size_t start = s->hs_out_start, body_len;
    uint8_t *msg;
    uint8_t type;
    int ret;

    ret = keel_b_finish(b);
    if (ret == 0 && b->len < start + HS_HEADER)
        ret = GNUTLS_E_INTERNAL_ERROR;
    if (ret == 0 && b->len - start - HS_HEADER > 0xffffff)
        ret = GNUTLS_E_HANDSHAKE_TOO_LARGE;
    if (ret < 0) {
        /* Drop the half-built message so a retry cannot send it. */
        keel_b_reset(b);
        return ret;
    }
    msg = b->buf + start;
    body_len = b->len - start - HS_HEADER;
    type = msg[0];
    msg[1] = (uint8_t)(body_len >> 16);
    msg[2] = (uint8_t)(body_len >> 8);
    msg[3] = (uint8_t)body_len;
    ret = run_hook(s, type, GNUTLS_HOOK_PRE, 0, msg + HS_HEADER, body_len);
    if (ret == 0 && transcript)
        ret = keel_hs_transcript_add(s, msg, HS_HEADER + body_len);
    if (ret < 0) {
        b->len = start;
        return ret;
    }
    s->last_out = (gnutls_handshake_description_t)visible_type(type, msg + HS_HEADER, body_len);
    /* The hook may not touch hs_out, but it may look at the session; recompute. */
    msg = b->buf + start;
    return run_hook(s, type, GNUTLS_HOOK_POST, 0, msg + HS_HEADER, body_len);
}

/* struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; } CertificateVerify (TLS 1.3
 * 4.4.3; TLS 1.2's digitally-signed struct has the same layout): content signed with our
 * pair's key under hs->sign_scheme (flags: keel_sign_ex's). */
int keel_hs_send_certificate_verify(gnutls_session_t s, const uint8_t *content, size_t len,
                                    unsigned flags)
{
    struct keel_hs *hs = s->hs;
    uint8_t sig[KEEL_MAX_SIG_LEN];
    size_t sig_len = sizeof sig;
    keel_builder *b;

    TRY(keel_sign_ex(hs->pair->key, hs->sign_scheme, flags, content, len, sig, &sig_len));
    if (hs->test != NULL && (hs->test->corrupt & KEEL_TEST_CORRUPT_CV))
        sig[sig_len / 2] ^= 1;
    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY);
    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u16(b, hs->sign_scheme);
    keel_b_open(b, 2);
    keel_b_bytes(b, sig, sig_len);
    keel_b_close(b);
    s->sig_scheme_local = hs->sign_scheme;
    return keel_hs_end(s, 1);
}

/* The length of the complete message at the head of hs_in, or 0 when more bytes are needed. */
static int complete_message(gnutls_session_t s, size_t *total)
{
    keel_cur c;
    uint8_t type;
    uint32_t len;

    *total = 0;
    /* renegotiation (issue 5): a client drops HelloRequests while it negotiates. */
    TRY(keel_reneg_skip_hello_requests(s));
    if (keel_bytes_len(&s->hs_in) == 0)
        return 0;
    c = cur_init(s->hs_in.buf + s->hs_in.start, keel_bytes_len(&s->hs_in));
    if (!cur_u8(&c, &type) || !cur_u24(&c, &len))
        return 0;
    CHECK(len <= KEEL_MAX_HS_MSG, GNUTLS_E_HANDSHAKE_TOO_LARGE);
    if (cur_left(&c) >= len)
        *total = HS_HEADER + (size_t)len;
    return 0;
}

int keel_hs_next(gnutls_session_t s, uint8_t *type, keel_cur *msg, keel_cur *body)
{
    size_t total;
    uint8_t ct;
    int ret;

    TRY(complete_message(s, &total));
    while (total == 0) {
        /* Whatever we owe the peer goes out before we wait for its answer. */
        TRY(keel_rec_flush(s));
        ret = keel_rec_read(s, &ct);
        if (ret < 0)
            return ret;
        switch (ct) {
        case KEEL_CT_HANDSHAKE:
            break;
        case KEEL_CT_APPDATA:
            /* RFC 8446 5.1: "Handshake messages MUST NOT be interleaved with other record
             * types." Between messages, data that overtakes a renegotiation is kept for
             * gnutls_record_recv (design section 1); before the first handshake completes
             * there can be none. */
            if (keel_bytes_len(&s->hs_in) > 0)
                return GNUTLS_E_UNEXPECTED_PACKET;
            if (s->established)
                return GNUTLS_E_GOT_APPLICATION_DATA;
            return GNUTLS_E_UNEXPECTED_PACKET;
        case KEEL_CT_ALERT:
            /* close_notify in the middle of a handshake. */
            return GNUTLS_E_PREMATURE_TERMINATION;
        case KEEL_CT_CCS:
            /* TLS 1.2 state machines wait for it with keel_hs_read_ccs; anywhere else it
             * is out of place. */
        default:
            return GNUTLS_E_UNEXPECTED_PACKET;
        }
        TRY(complete_message(s, &total));
    }
    *msg = cur_init(s->hs_in.buf + s->hs_in.start, total);
    *body = cur_init(s->hs_in.buf + s->hs_in.start + HS_HEADER, total - HS_HEADER);
    {
        keel_cur t = *msg;
        if (!cur_u8(&t, type))
            return GNUTLS_E_INTERNAL_ERROR;
    }
    s->hs_msg_len = total;
    if (!s->hs_msg_hooked) {
        /* As GnuTLS: last_in names the message as soon as it is received, so the PRE hook
         * and a failure while processing it already see it. */
        s->last_in = (gnutls_handshake_description_t)visible_type(*type, body->p, body->len);
        s->hs_msg_hooked = 1;
        /* renegotiation (issue 5): as GnuTLS, no hook for a HelloRequest received. */
        if (!keel_reneg_hello_request_unhooked(s, *type))
            TRY(run_hook(s, *type, GNUTLS_HOOK_PRE, 1, body->p, body->len));
    }
    return 0;
}

int keel_hs_read_ccs(gnutls_session_t s)
{
    uint8_t ct;

    /* RFC 5246 7.1: the ChangeCipherSpec comes between whole handshake messages. */
    CHECK(keel_bytes_len(&s->hs_in) == 0, GNUTLS_E_UNEXPECTED_PACKET);
    TRY(keel_rec_flush(s));
    TRY(keel_rec_read(s, &ct));
    switch (ct) {
    case KEEL_CT_CCS:
        return 0;
    case KEEL_CT_APPDATA:
        return s->established ? GNUTLS_E_GOT_APPLICATION_DATA : GNUTLS_E_UNEXPECTED_PACKET;
    case KEEL_CT_ALERT:
        return GNUTLS_E_PREMATURE_TERMINATION;
    default:
        return GNUTLS_E_UNEXPECTED_PACKET;
    }
}

void keel_hs_consume(gnutls_session_t s)
{
    keel_cur c;
    uint8_t type = 0;
    int ret = 0;

    if (s->hs_msg_len == 0)
        return;
    c = cur_init(s->hs_in.buf + s->hs_in.start, s->hs_msg_len);
    if (cur_u8(&c, &type) && cur_skip(&c, HS_HEADER - 1) &&
        !keel_reneg_hello_request_unhooked(s, type))   /* renegotiation (issue 5) */
        ret = run_hook(s, type, GNUTLS_HOOK_POST, 1, c.p, c.len);
    keel_bytes_consume(&s->hs_in, s->hs_msg_len);
    s->hs_msg_len = 0;
    s->hs_msg_hooked = 0;
    if (ret < 0)
        keel_fail(s, ret);
}

/* Errors after which no alert can or should be sent: the peer is gone, already told us it
 * failed, or the transport itself broke. */
static int alert_is_pointless(int err)
{
    switch (err) {
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
    case GNUTLS_E_PREMATURE_TERMINATION:
    case GNUTLS_E_SESSION_EOF:
    case GNUTLS_E_PUSH_ERROR:
    case GNUTLS_E_PULL_ERROR:
    case GNUTLS_E_TIMEDOUT:
        return 1;
    default:
        return 0;
    }
}

int keel_fail(gnutls_session_t s, int err)
{
    int desc, level = GNUTLS_AL_FATAL;

    if (s->fatal)
        return s->fatal;
    if (err >= 0 || !gnutls_error_is_fatal(err))
        return err;
    s->fatal = err;
    keel_log(3, "session %p: fatal error %d (%s)\n", (void *)s, err, gnutls_strerror_name(err));
    if (alert_is_pointless(err) || s->write_closed)
        return err;
    /* The mapped level: some errors end our session but are told with a warning, e.g.
     * no_renegotiation, which RFC 5246 7.2.2 says is always a warning. */
    desc = gnutls_error_to_alert(err, &level);
    if (desc < 0)
        return err;
    keel_log(3, "session %p: sending alert %d, level %d\n", (void *)s, desc, level);
    /* Best effort, once: the alert is queued after anything pending and pushed now. Later
     * calls return s->fatal and never retry it. */
    s->alert_pending = 0;
    (void)keel_send_alert(s, level, desc);
    s->write_closed = 1;
    return err;
}
