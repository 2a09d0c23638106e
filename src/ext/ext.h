/* The hello-extension table: one entry per extension type Keel understands, saying which
 * messages may carry it (RFC 8446 4.2), how to write it and how to read it. The parsing
 * rules common to all extensions (duplicates, placement, solicitation) live in ext.c. */
#ifndef KEEL_EXT_H
#define KEEL_EXT_H

#include "handshake/handshake.h"

typedef struct {
    uint16_t type;
    const char *name;
    unsigned msgs;                  /* KEEL_MSG_* that may carry it */
    /* May appear in a server message without having been offered (RFC 8446 4.2: "with the
     * exception of the "cookie" extension in the HelloRetryRequest"). */
    unsigned unsolicited;
    /* Whether to send it in msg (NULL: always, where allowed). */
    int (*wanted)(gnutls_session_t s, unsigned msg);
    /* Writes the extension_data of msg (NULL: never sent by Keel). */
    int (*send)(gnutls_session_t s, unsigned msg, keel_builder *b);
    /* Reads the extension_data received in msg (NULL: accepted and ignored). */
    int (*recv)(gnutls_session_t s, unsigned msg, keel_cur body);
} keel_ext;

enum {
    KEEL_EXT_SERVER_NAME = 0,
    KEEL_EXT_SUPPORTED_GROUPS = 10,
    KEEL_EXT_SIGNATURE_ALGORITHMS = 13,
    KEEL_EXT_SUPPORTED_VERSIONS = 43,
    KEEL_EXT_COOKIE = 44,
    KEEL_EXT_PSK_KEY_EXCHANGE_MODES = 45,
    KEEL_EXT_SIGNATURE_ALGORITHMS_CERT = 50,
    KEEL_EXT_KEY_SHARE = 51,
    KEEL_EXT_RECORD_SIZE_LIMIT = 28,
};

/* Each extension's functions (src/ext/<name>.c). */
int keel_ext_server_name_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_server_name_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_server_name_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_supported_groups_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_supported_groups_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_supported_groups_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_signature_algorithms_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_signature_algorithms_recv(gnutls_session_t s, unsigned msg, keel_cur body);
int keel_ext_signature_algorithms_cert_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_key_share_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_key_share_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_key_share_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_supported_versions_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_supported_versions_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_supported_versions_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_cookie_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_cookie_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_cookie_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_psk_modes_wanted(gnutls_session_t s, unsigned msg);
int keel_ext_psk_modes_send(gnutls_session_t s, unsigned msg, keel_builder *b);
int keel_ext_psk_modes_recv(gnutls_session_t s, unsigned msg, keel_cur body);

int keel_ext_record_size_limit_recv(gnutls_session_t s, unsigned msg, keel_cur body);

/* Whether the ClientHello being built offers TLS 1.3 (TLS 1.3-only extensions). */
int keel_ext_offer_tls13(gnutls_session_t s);
/* The first extension of `type` in an extensions block (no other checks): 1 found. */
int keel_ext_find(keel_cur exts, uint16_t type, keel_cur *body);

#endif
