/* renegotiation_info (RFC 5746): the extension's place in the hellos. What it carries and
 * what a missing or wrong one means under the four priority modes are the renegotiation
 * rules of src/handshake/reneg.c (issue 5); this file only connects them to the extension
 * table. */
#include "ext/ext.h"
#include "handshake/tls12.h"

int keel_ext_renegotiation_info_wanted(gnutls_session_t s, unsigned msg)
{
    if (msg == KEEL_MSG_CH)
        return keel_priority_has_version(keel_hs_prio(s), GNUTLS_TLS1_2) &&
               keel_reneg_info_wanted(s, 0);
    /* The server answers the extension or the SCSV (RFC 5746 3.6). */
    return keel_reneg_info_wanted(s, s->hs->peer_sent_ri);
}

/* keel_reneg_info_send checks its builder with keel_b_finish, which fails inside the open
 * extension blocks of a hello: it writes into a builder of its own, copied here. */
static int write_body(gnutls_session_t s, keel_builder *b)
{
    uint8_t body[1 + 2 * 12];
    keel_builder tmp;

    keel_b_init_fixed(&tmp, body, sizeof body);
    TRY(keel_reneg_info_send(s, &tmp));
    keel_b_bytes(b, body, tmp.len);
    return 0;
}

/* struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo; */
int keel_ext_renegotiation_info_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    const struct keel_test_hs_params *t = s->hs->test;

    if (t != NULL && (t->corrupt & KEEL_TEST_T12_RI_DATA) && !s->established) {
        keel_b_open(b, 1);
        keel_b_bytes(b, s->client_random, 12);
        keel_b_close(b);
        return 0;
    }
    return write_body(s, b);
}

int keel_ext_renegotiation_info_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    TRY(keel_reneg_info_recv(s, body));
    if (keel_hs_prio(s)->safe_reneg == KEEL_SR_DISABLED)
        return 0;
    s->hs->peer_sent_ri = 1;
    /* As GnuTLS (checked against libgnutls 3.7.9), a server reports the client's support
     * even when TLS 1.3 is negotiated; TLS 1.2 decides for good in
     * keel_reneg_check_peer_hello. */
    if (msg == KEEL_MSG_CH)
        s->sflags |= GNUTLS_SFLAGS_SAFE_RENEGOTIATION;
    return 0;
}
