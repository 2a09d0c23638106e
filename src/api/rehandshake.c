/* gnutls_rehandshake (design section 1): a server asks the client for new keys. Under
 * TLS 1.3 that is a KeyUpdate asking the peer to update too; under TLS 1.2 a HelloRequest. */
#include "api/api.h"
#include "handshake/reneg.h"

int gnutls_rehandshake(gnutls_session_t session)
{
    gnutls_session_t s = session;

    if (s->fatal)
        return s->fatal;
    /* Only servers send HelloRequest; a client renegotiates with gnutls_handshake(). */
    CHECK(s->is_server, GNUTLS_E_INVALID_REQUEST);
    if (s->version == GNUTLS_TLS1_3)
        return gnutls_session_key_update(s, GNUTLS_KU_PEER);
    /* TLS 1.2: the HelloRequest, resumable after GNUTLS_E_AGAIN (src/handshake/reneg.c). */
    return keel_tls12_send_hello_request(s);
}
