/* Names of protocol elements that GnuTLS exposes as plain strings: handshake message types.
 * The strings are GnuTLS 3.7.9's, byte for byte (tests/unit/test_names.c pins them). */
#include <gnutls/gnutls.h>

const char *gnutls_handshake_description_get_name(gnutls_handshake_description_t type)
{
    switch (type) {
    case GNUTLS_HANDSHAKE_HELLO_REQUEST: return "HELLO REQUEST";
    case GNUTLS_HANDSHAKE_CLIENT_HELLO: return "CLIENT HELLO";
    case GNUTLS_HANDSHAKE_SERVER_HELLO: return "SERVER HELLO";
    case GNUTLS_HANDSHAKE_HELLO_VERIFY_REQUEST: return "HELLO VERIFY REQUEST";
    case GNUTLS_HANDSHAKE_NEW_SESSION_TICKET: return "NEW SESSION TICKET";
    case GNUTLS_HANDSHAKE_END_OF_EARLY_DATA: return "END OF EARLY DATA";
    case GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS: return "ENCRYPTED EXTENSIONS";
    case GNUTLS_HANDSHAKE_CERTIFICATE_PKT: return "CERTIFICATE";
    case GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE: return "SERVER KEY EXCHANGE";
    case GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST: return "CERTIFICATE REQUEST";
    case GNUTLS_HANDSHAKE_SERVER_HELLO_DONE: return "SERVER HELLO DONE";
    case GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY: return "CERTIFICATE VERIFY";
    case GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE: return "CLIENT KEY EXCHANGE";
    case GNUTLS_HANDSHAKE_FINISHED: return "FINISHED";
    case GNUTLS_HANDSHAKE_CERTIFICATE_STATUS: return "CERTIFICATE STATUS";
    case GNUTLS_HANDSHAKE_SUPPLEMENTAL: return "SUPPLEMENTAL";
    /* GnuTLS's own spelling, with the underscore. */
    case GNUTLS_HANDSHAKE_KEY_UPDATE: return "KEY_UPDATE";
    case GNUTLS_HANDSHAKE_COMPRESSED_CERTIFICATE_PKT: return "COMPRESSED CERTIFICATE";
    case GNUTLS_HANDSHAKE_CHANGE_CIPHER_SPEC: return "CHANGE CIPHER SPEC";
    case GNUTLS_HANDSHAKE_CLIENT_HELLO_V2: return "SSL2 CLIENT HELLO";
    case GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST: return "HELLO RETRY REQUEST";
    default: return "Unknown Handshake packet";
    }
}
