/* psk_key_exchange_modes (RFC 8446 4.2.9): offered as psk_dhe_ke so that a server may send
 * tickets usable later; Keel's server reads it for structure only until resumption exists. */
#include "ext/ext.h"

enum { PSK_DHE_KE = 1 };

int keel_ext_psk_modes_wanted(gnutls_session_t s, unsigned msg)
{
    return keel_ext_offer_tls13(s);
}

int keel_ext_psk_modes_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    keel_b_open(b, 1);
    keel_b_u8(b, PSK_DHE_KE);
    keel_b_close(b);
    return 0;
}

int keel_ext_psk_modes_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    keel_cur modes;

    /* PskKeyExchangeMode ke_modes<1..255>; */
    CHECK(cur_u8_prefixed(&body, &modes) && cur_empty(&body) && !cur_empty(&modes),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    return 0;
}
