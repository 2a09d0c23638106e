/* signature_algorithms and signature_algorithms_cert (RFC 8446 4.2.3): the signature
 * schemes a peer accepts in CertificateVerify and in certificates. */
#include "ext/ext.h"

int keel_ext_signature_algorithms_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    int tls12 = keel_priority_has_version(p, GNUTLS_TLS1_2);

    keel_b_open(b, 2);
    for (unsigned i = 0; i < p->n_sigs; i++) {
        /* TLS 1.3-only offers leave out schemes TLS 1.3 forbids in CertificateVerify
         * (PKCS#1 v1.5, SHA-1); they remain usable for certificate chains. */
        if (!tls12 && !p->sigs[i]->tls13_ok)
            continue;
        keel_b_u16(b, p->sigs[i]->id);
    }
    keel_b_close(b);
    return 0;
}

static int read_schemes(keel_cur body, uint16_t *out, unsigned *n)
{
    keel_cur list;

    /* SignatureScheme supported_signature_algorithms<2..2^16-2>; */
    CHECK(cur_u16_prefixed(&body, &list) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&list) >= 2 && cur_left(&list) % 2 == 0, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    *n = 0;
    while (!cur_empty(&list)) {
        uint16_t v;
        CHECK(cur_u16(&list, &v), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        if (*n < KEEL_HS_MAX_LIST && keel_sigscheme_by_id(v) != NULL)
            out[(*n)++] = v;
    }
    return 0;
}

int keel_ext_signature_algorithms_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;

    TRY(read_schemes(body, hs->peer_sigs, &hs->n_peer_sigs));
    hs->peer_sent_sigs = 1;
    return 0;
}

int keel_ext_signature_algorithms_cert_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    struct keel_hs *hs = s->hs;

    TRY(read_schemes(body, hs->peer_sigs_cert, &hs->n_peer_sigs_cert));
    hs->peer_sent_sigs_cert = 1;
    return 0;
}
