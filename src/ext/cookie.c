/* cookie (RFC 8446 4.2.2): sent by a server in a HelloRetryRequest, echoed by the client in
 * its second ClientHello. Keel's server keeps its HelloRetryRequest state in the session and
 * sends none. */
#include "ext/ext.h"

int keel_ext_cookie_wanted(gnutls_session_t s, unsigned msg)
{
    return msg == KEEL_MSG_CH && s->hs->cookie != NULL;
}

int keel_ext_cookie_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    keel_b_open(b, 2);
    keel_b_bytes(b, s->hs->cookie, s->hs->cookie_len);
    keel_b_close(b);
    return 0;
}

int keel_ext_cookie_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    keel_cur cookie;

    /* opaque cookie<1..2^16-1>; */
    CHECK(cur_u16_prefixed(&body, &cookie) && cur_empty(&body) && !cur_empty(&cookie),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    if (msg != KEEL_MSG_HRR)
        return 0;   /* a cookie we never sent: nothing to check it against */
    keel_free(hs->cookie);
    hs->cookie_len = cur_left(&cookie);
    hs->cookie = keel_malloc(hs->cookie_len);
    CHECK(hs->cookie != NULL, GNUTLS_E_MEMORY_ERROR);
    if (!cur_copy(&cookie, hs->cookie, hs->cookie_len))
        return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
    return 0;
}
