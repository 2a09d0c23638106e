/* The extension table and the rules every extensions block obeys (RFC 8446 4.2). A new
 * extension is one file with its functions plus one line here; the table order is the order
 * extensions are written in. */
#include "ext/ext.h"
#include "handshake/tls12.h"   /* TLS 1.2 extensions (issue 4) */

static const keel_ext ext_table[] = {
    { KEEL_EXT_SERVER_NAME, "server_name", KEEL_MSG_CH | KEEL_MSG_EE | KEEL_MSG_SH12, 0,
      keel_ext_server_name_wanted, keel_ext_server_name_send, keel_ext_server_name_recv },
    { KEEL_EXT_SUPPORTED_GROUPS, "supported_groups", KEEL_MSG_CH | KEEL_MSG_EE, 0,
      keel_ext_supported_groups_wanted, keel_ext_supported_groups_send, keel_ext_supported_groups_recv },
    { KEEL_EXT_KEY_SHARE, "key_share", KEEL_MSG_CH | KEEL_MSG_SH | KEEL_MSG_HRR, 0,
      keel_ext_key_share_wanted, keel_ext_key_share_send, keel_ext_key_share_recv },
    { KEEL_EXT_COOKIE, "cookie", KEEL_MSG_CH | KEEL_MSG_HRR, KEEL_MSG_HRR,
      keel_ext_cookie_wanted, keel_ext_cookie_send, keel_ext_cookie_recv },
    { KEEL_EXT_SUPPORTED_VERSIONS, "supported_versions",
      KEEL_MSG_CH | KEEL_MSG_SH | KEEL_MSG_HRR, 0,
      keel_ext_supported_versions_wanted, keel_ext_supported_versions_send,
      keel_ext_supported_versions_recv },
    { KEEL_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms", KEEL_MSG_CH | KEEL_MSG_CR, 0,
      NULL, keel_ext_signature_algorithms_send, keel_ext_signature_algorithms_recv },
    { KEEL_EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert",
      KEEL_MSG_CH | KEEL_MSG_CR, 0, NULL, NULL, keel_ext_signature_algorithms_cert_recv },
    { KEEL_EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes", KEEL_MSG_CH, 0,
      keel_ext_psk_modes_wanted, keel_ext_psk_modes_send, keel_ext_psk_modes_recv },
    { KEEL_EXT_RECORD_SIZE_LIMIT, "record_size_limit", KEEL_MSG_CH | KEEL_MSG_EE, 0,
      NULL, NULL, keel_ext_record_size_limit_recv },
    /* TLS 1.2 (issue 4): src/ext/{ec_point_formats,extended_master_secret,
     * renegotiation_info}.c; session_ticket is accepted and ignored (no resumption yet). */
    { KEEL_EXT_EC_POINT_FORMATS, "ec_point_formats", KEEL_MSG_CH | KEEL_MSG_SH12, 0,
      keel_ext_ec_point_formats_wanted, keel_ext_ec_point_formats_send,
      keel_ext_ec_point_formats_recv },
    { KEEL_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret", KEEL_MSG_CH | KEEL_MSG_SH12, 0,
      keel_ext_ems_wanted, keel_ext_ems_send, keel_ext_ems_recv },
    { KEEL_EXT_SESSION_TICKET, "session_ticket", KEEL_MSG_CH | KEEL_MSG_SH12, 0,
      NULL, NULL, NULL },
    { KEEL_EXT_RENEGOTIATION_INFO, "renegotiation_info", KEEL_MSG_CH | KEEL_MSG_SH12, 0,
      keel_ext_renegotiation_info_wanted, keel_ext_renegotiation_info_send,
      keel_ext_renegotiation_info_recv },
};

_Static_assert(KEEL_ARRAY_SIZE(ext_table) <= 64, "ext_sent/ext_recv_ch are 64-bit sets");

static int ext_index(uint16_t type)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(ext_table); i++)
        if (ext_table[i].type == type)
            return (int)i;
    return -1;
}

/* Messages a server writes in answer to the ClientHello: only extensions the client sent
 * may appear there. */
static int is_response(unsigned msg)
{
    return (msg & (KEEL_MSG_SH | KEEL_MSG_HRR | KEEL_MSG_EE | KEEL_MSG_CT | KEEL_MSG_SH12)) != 0;
}

static int write_one(gnutls_session_t s, unsigned msg, keel_builder *b, int i)
{
    const keel_ext *e = &ext_table[i];

    keel_b_u16(b, e->type);
    keel_b_open(b, 2);
    TRY(e->send(s, msg, b));
    keel_b_close(b);
    if (msg == KEEL_MSG_CH)
        s->hs->ext_sent |= 1ull << i;
    return 0;
}

/* Test-only path: a fixed list of extensions, our encoders for some, raw bytes for others. */
static int write_test_list(gnutls_session_t s, unsigned msg, keel_builder *b,
                           const keel_test_ext *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int i = ext_index(list[k].type);
        if (list[k].raw == NULL) {
            CHECK(i >= 0 && ext_table[i].send != NULL, GNUTLS_E_INTERNAL_ERROR);
            TRY(write_one(s, msg, b, i));
            continue;
        }
        keel_b_u16(b, list[k].type);
        keel_b_open(b, 2);
        keel_b_bytes(b, list[k].raw, list[k].raw_len);
        keel_b_close(b);
        if (i >= 0 && msg == KEEL_MSG_CH)
            s->hs->ext_sent |= 1ull << i;
    }
    return 0;
}

int keel_ext_write(gnutls_session_t s, unsigned msg, keel_builder *b)
{
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;

    keel_b_open(b, 2);
    if (t != NULL && msg == KEEL_MSG_CH && t->ch_exts != NULL && !hs->hrr) {
        TRY(write_test_list(s, msg, b, t->ch_exts, t->n_ch_exts));
    } else if (t != NULL && msg == KEEL_MSG_EE && t->ee_exts != NULL) {
        TRY(write_test_list(s, msg, b, t->ee_exts, t->n_ee_exts));
    } else {
        for (size_t i = 0; i < KEEL_ARRAY_SIZE(ext_table); i++) {
            const keel_ext *e = &ext_table[i];
            if (e->send == NULL || !(e->msgs & msg))
                continue;
            /* RFC 8446 4.2: "Implementations MUST NOT send extension responses if the
             * remote endpoint did not send the corresponding extension requests". */
            if (is_response(msg) && !(hs->ext_recv_ch & (1ull << i)))
                continue;
            if (e->wanted != NULL && !e->wanted(s, msg))
                continue;
            TRY(write_one(s, msg, b, (int)i));
        }
    }
    keel_b_close(b);
    return keel_b_finish(b);
}

int keel_ext_find(keel_cur exts, uint16_t type, keel_cur *body)
{
    while (!cur_empty(&exts)) {
        uint16_t t;
        keel_cur data;
        if (!cur_u16(&exts, &t) || !cur_u16_prefixed(&exts, &data))
            return 0;
        if (t == type) {
            *body = data;
            return 1;
        }
    }
    return 0;
}

int keel_ext_parse(gnutls_session_t s, unsigned msg, keel_cur exts)
{
    struct keel_hs *hs = s->hs;
    uint8_t seen[65536 / 8];

    memset(seen, 0, sizeof seen);
    while (!cur_empty(&exts)) {
        uint16_t type;
        keel_cur body;
        int i;

        CHECK(cur_u16(&exts, &type) && cur_u16_prefixed(&exts, &body),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        /* RFC 8446 4.2: "There MUST NOT be more than one extension of the same type in a
         * given extension block." */
        CHECK(!(seen[type / 8] & (1u << (type % 8))), GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        seen[type / 8] |= (uint8_t)(1u << (type % 8));

        i = ext_index(type);
        if (i < 0) {
            /* RFC 8446 4.1.2 / 4.3.2 / 4.6.1: unrecognized extensions in ClientHello,
             * CertificateRequest and NewSessionTicket are ignored; anything else in a
             * server's answer is a response to something we never sent (4.2:
             * "unsupported_extension"). */
            CHECK(!is_response(msg), GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION);
            continue;
        }
        /* RFC 8446 4.2: "If an implementation receives an extension which it recognizes and
         * which is not specified for the message in which it appears, it MUST abort the
         * handshake with an "illegal_parameter" alert." */
        CHECK(ext_table[i].msgs & msg, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
        if (is_response(msg) && !(ext_table[i].unsolicited & msg))
            CHECK(hs->ext_sent & (1ull << i), GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION);
        if (msg == KEEL_MSG_CH)
            hs->ext_recv_ch |= 1ull << i;
        if (ext_table[i].recv != NULL)
            TRY(ext_table[i].recv(s, msg, body));
    }
    return 0;
}

/* TLS 1.2 (issue 4): the SCSV stands for a received renegotiation_info (RFC 5746 3.6). */
void keel_ext_mark_received(gnutls_session_t s, uint16_t type)
{
    int i = ext_index(type);

    if (i >= 0)
        s->hs->ext_recv_ch |= 1ull << i;
}

int keel_ext_offer_tls13(gnutls_session_t s)
{
    return keel_priority_has_version(keel_hs_prio(s), GNUTLS_TLS1_3);
}
