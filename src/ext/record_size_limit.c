/* record_size_limit (RFC 8449): the largest record plaintext the sender of the extension is
 * willing to receive. Keel's client offers it only through the test hooks (RFC 8448
 * traces) for now, and honours a server's answer; Keel's server does not answer it. */
#include "ext/ext.h"

int keel_ext_record_size_limit_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    uint16_t limit;
    size_t max;

    /* uint16 RecordSizeLimit; */
    CHECK(cur_u16(&body, &limit) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* RFC 8449 4: "Endpoints MUST NOT send a "record_size_limit" extension with a value
     * smaller than 64. An endpoint MUST treat receipt of a smaller value as a fatal error
     * and generate an "illegal_parameter" alert." */
    CHECK(limit >= 64, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    if (msg == KEEL_MSG_CH)
        return 0;
    /* In TLS 1.3 the limit counts the content type byte (and padding) of the inner
     * plaintext. */
    max = (size_t)limit - (msg == KEEL_MSG_EE ? 1 : 0);
    if (max < KEEL_MAX_PLAINTEXT)
        s->max_record_send = max;
    return 0;
}
