/* extended_master_secret (RFC 7627): offered by default, answered when the client offered
 * it; %NO_SESSION_HASH leaves it out, %FORCE_SESSION_HASH refuses a peer without it. */
#include "ext/ext.h"
#include "handshake/tls12.h"

static int ems_enabled(gnutls_session_t s)
{
    return !keel_hs_prio(s)->no_session_hash;
}

int keel_ext_ems_wanted(gnutls_session_t s, unsigned msg)
{
    if (msg == KEEL_MSG_CH)
        return ems_enabled(s) && keel_priority_has_version(keel_hs_prio(s), GNUTLS_TLS1_2);
    return s->ems;
}

int keel_ext_ems_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    return 0;   /* RFC 7627 5.1: "The "extension_data" field of this extension is empty." */
}

int keel_ext_ems_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    s->hs->peer_sent_ems = 1;
    /* GnuTLS reports the client's offer even when the server then negotiates TLS 1.3
     * (checked against libgnutls 3.7.9); TLS 1.2 decides for good in keel_tls12_ems_decide. */
    if (msg == KEEL_MSG_CH && ems_enabled(s))
        s->sflags |= GNUTLS_SFLAGS_EXT_MASTER_SECRET;
    return 0;
}

int keel_tls12_ems_decide(gnutls_session_t s)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    /* RFC 7627 5.2: in use when both hellos carry the extension (a client that did not
     * offer it never gets here with peer_sent_ems: the answer would be unsolicited). */
    int ems = s->hs->peer_sent_ems && ems_enabled(s);

    /* A renegotiation may not drop it, whichever side would (src/handshake/reneg.c). */
    TRY(keel_reneg_check_ems(s, ems));
    s->ems = ems;
    if (s->ems)
        s->sflags |= GNUTLS_SFLAGS_EXT_MASTER_SECRET;
    else
        s->sflags &= ~(unsigned)GNUTLS_SFLAGS_EXT_MASTER_SECRET;
    /* RFC 7627 5.2: a peer that insists may "abort the handshake"; GnuTLS's error for it. */
    CHECK(s->ems || !p->force_session_hash, GNUTLS_E_INSUFFICIENT_SECURITY);
    return 0;
}
