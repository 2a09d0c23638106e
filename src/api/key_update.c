/* gnutls_session_key_update: the application's TLS 1.3 KeyUpdate, resumable after
 * GNUTLS_E_AGAIN / GNUTLS_E_INTERRUPTED. The protocol side is src/handshake/key_update.c. */
#include "api/api.h"
#include "handshake/key_update.h"

/* The KeyUpdate is queued and our keys switched in one step; only pushing it to the
 * transport can be interrupted. A call after GNUTLS_E_AGAIN therefore only pushes what is
 * queued: it never sends a second KeyUpdate, whatever flags it is given. */
int gnutls_session_key_update(gnutls_session_t session, unsigned flags)
{
    gnutls_session_t s = session;
    int ret;

    if (s->fatal)
        return s->fatal;
    if (!s->ku.send_pending) {
        /* GnuTLS documents GNUTLS_E_INVALID_REQUEST for anything but TLS 1.3. */
        CHECK(s->version == GNUTLS_TLS1_3, GNUTLS_E_INVALID_REQUEST);
        CHECK(s->established && !s->handshake_in_progress, GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
        CHECK(!s->write_closed, GNUTLS_E_INVALID_SESSION);
        /* At most one update_requested of ours is outstanding: while the peer has not
         * updated its keys since the last one, asking again adds nothing. */
        ret = keel_tls13_send_key_update(s, (flags & GNUTLS_KU_PEER) && !s->ku.requested);
        if (ret < 0)
            return keel_fail(s, ret);
        s->ku.send_pending = 1;
    }
    ret = keel_rec_flush(s);
    if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        return ret;
    s->ku.send_pending = 0;
    if (ret < 0)
        return keel_fail(s, ret);
    return 0;
}
