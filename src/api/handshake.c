/* gnutls_handshake: the loop around the per-version state machines. It starts the clock,
 * runs the state machine until it completes or needs the transport, pushes the final
 * flight, and turns failures into the sticky error plus its alert (keel_fail). */
#include "api/api.h"
#include "handshake/reneg.h"
#include "handshake/tls12.h"   /* TLS 1.2 (issue 4) */

static int step(gnutls_session_t s)
{
    int ret;

    /* TLS 1.2 (issue 4): once the hello code handed over, or on an established TLS 1.2
     * connection (renegotiation), the TLS 1.2 engine runs. */
    if ((s->hs != NULL && s->hs->state == KEEL_HS_TLS12) ||
        (s->established && s->version == GNUTLS_TLS1_2))
        return keel_tls12_step(s);
    ret = s->is_server ? keel_tls13_server_step(s) : keel_tls13_client_step(s);
    if (ret == GNUTLS_E_UNSUPPORTED_VERSION_PACKET && s->hs != NULL &&
        s->hs->state == KEEL_HS_TLS12)
        return keel_tls12_step(s);
    return ret;
}

int gnutls_handshake(gnutls_session_t session)
{
    gnutls_session_t s = session;
    int ret;

    if (s->fatal)
        return s->fatal;
    if (s->established && !s->handshake_in_progress) {
        /* TLS 1.3 has no renegotiation (design section 1): a server has nothing to do, a
         * client's call asks for new keys both ways, as with GnuTLS. */
        if (s->version == GNUTLS_TLS1_3)
            return s->is_server ? 0 : gnutls_session_key_update(s, GNUTLS_KU_PEER);
        /* TLS 1.2: a renegotiation. Refused before anything is sent (RFC 5746 modes), the
         * connection stays as it was. */
        ret = keel_reneg_begin(s);
        if (ret < 0)
            return ret;
    }
    if (s->prio == NULL)
        return GNUTLS_E_NO_PRIORITIES_WERE_SET;
    if (!s->handshake_in_progress) {
        s->handshake_in_progress = 1;
        s->hs_final_flush = 0;
        s->hs_start_ms = keel_now_ms();
    }
    if (!s->hs_final_flush) {
        ret = step(s);
        if (ret < 0)
            goto fail;
        s->hs_final_flush = 1;
    }
    ret = keel_rec_flush(s);
    if (ret < 0)
        goto fail;
    /* A hook that failed on a consumed message made the error stick. */
    if (s->fatal)
        return s->fatal;
    s->established = 1;
    s->handshake_in_progress = 0;
    s->hs_final_flush = 0;
    /* As GnuTLS: after a successful handshake the last messages carry no meaning. */
    s->last_in = s->last_out = (gnutls_handshake_description_t)-1;
    keel_hs_free(s);
    keel_rec_release_idle(s);
    return 0;

fail:
    if (s->fatal)
        return s->fatal;
    return keel_fail(s, ret);
}
