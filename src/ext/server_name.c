/* server_name (RFC 6066 3): the client names the host it wants; the server keeps the first
 * host_name for gnutls_server_name_get(). As GnuTLS, Keel's server does not acknowledge it
 * (the empty answer RFC 6066 permits is written only through the test hooks). */
#include "ext/ext.h"

enum { NAME_TYPE_HOST_NAME = 0 };

int keel_ext_server_name_wanted(gnutls_session_t s, unsigned msg)
{
    return msg == KEEL_MSG_CH && s->server_name_len > 0;
}

int keel_ext_server_name_send(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    if (msg != KEEL_MSG_CH)
        return 0;   /* the server's acknowledgement is empty */
    keel_b_open(b, 2);
    keel_b_u8(b, NAME_TYPE_HOST_NAME);
    keel_b_open(b, 2);
    keel_b_bytes(b, s->server_name, s->server_name_len);
    keel_b_close(b);
    keel_b_close(b);
    return 0;
}

int keel_ext_server_name_recv(gnutls_session_t s, unsigned msg, keel_cur body)
{
    keel_cur list;
    int have_name = 0;

    if (msg != KEEL_MSG_CH) {
        /* RFC 6066 3: the server's "extension_data" field ... SHALL be empty. */
        CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        return 0;
    }
    CHECK(cur_u16_prefixed(&body, &list) && !cur_empty(&list), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    while (!cur_empty(&list)) {
        uint8_t type;
        keel_cur name;
        CHECK(cur_u8(&list, &type) && cur_u16_prefixed(&list, &name) && !cur_empty(&name),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        /* RFC 6066 3: "The ServerNameList MUST NOT contain more than one name of the same
         * name_type." */
        if (type == NAME_TYPE_HOST_NAME) {
            CHECK(!have_name, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
            have_name = 1;
            if (cur_left(&name) < sizeof s->server_name) {
                s->server_name_len = cur_left(&name);
                if (!cur_copy(&name, s->server_name, s->server_name_len))
                    return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
                s->server_name[s->server_name_len] = 0;
            }
        }
    }
    return 0;
}
