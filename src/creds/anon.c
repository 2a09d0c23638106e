/* Anonymous credentials (gnutls_anon_*): they enable the DH_anon key exchange; the server's
 * carry its DH parameters (borrowed, as in GnuTLS), the client's nothing. */
#include "creds/creds.h"
#include "handshake/tls12.h"

int gnutls_anon_allocate_server_credentials(gnutls_anon_server_credentials_t *sc)
{
    CHECK(sc != NULL, GNUTLS_E_INVALID_REQUEST);
    *sc = keel_calloc(1, sizeof **sc);
    CHECK(*sc != NULL, GNUTLS_E_MEMORY_ERROR);
    return 0;
}

void gnutls_anon_free_server_credentials(gnutls_anon_server_credentials_t sc)
{
    keel_free(sc);
}

int gnutls_anon_allocate_client_credentials(gnutls_anon_client_credentials_t *sc)
{
    CHECK(sc != NULL, GNUTLS_E_INVALID_REQUEST);
    *sc = keel_calloc(1, sizeof **sc);
    CHECK(*sc != NULL, GNUTLS_E_MEMORY_ERROR);
    return 0;
}

void gnutls_anon_free_client_credentials(gnutls_anon_client_credentials_t sc)
{
    keel_free(sc);
}

void gnutls_anon_set_server_dh_params(gnutls_anon_server_credentials_t res,
                                      gnutls_dh_params_t dh_params)
{
    if (res != NULL)
        res->dh = dh_params;
}

int gnutls_anon_set_server_known_dh_params(gnutls_anon_server_credentials_t res,
                                           gnutls_sec_param_t sec_param)
{
    const struct gnutls_dh_params_int *dh = keel_known_dh_params(sec_param);

    CHECK(res != NULL && dh != NULL, GNUTLS_E_INVALID_REQUEST);
    res->dh = dh;
    return 0;
}
