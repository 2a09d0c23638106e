/* What a session says about its TLS 1.2 key exchange and security extensions: the DH prime
 * size, RFC 5746 secure renegotiation and the RFC 7627 extended master secret (the last two
 * also in gnutls_session_get_flags). */
#include "api/api.h"

unsigned gnutls_safe_renegotiation_status(gnutls_session_t session)
{
    return (session->sflags & GNUTLS_SFLAGS_SAFE_RENEGOTIATION) ? 1 : 0;
}

unsigned gnutls_session_ext_master_secret_status(gnutls_session_t session)
{
    return (session->sflags & GNUTLS_SFLAGS_EXT_MASTER_SECRET) ? 1 : 0;
}

/* The size of the finite-field group of the last handshake: an RFC 7919 group (either
 * version) or the server's own TLS 1.2 DHE parameters; 0 when no DH was used. */
int gnutls_dh_get_prime_bits(gnutls_session_t session)
{
    if (session->group != NULL && session->group->is_ffdhe)
        return (int)session->group->bits;
    if (session->version == GNUTLS_TLS1_2 && session->suite != NULL &&
        (session->suite->kx == GNUTLS_KX_DHE_RSA || session->suite->kx == GNUTLS_KX_ANON_DH))
        return (int)session->dh_prime_bits;
    return 0;
}
