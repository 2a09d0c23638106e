/* libFuzzer target for the hello parsers: the input's first byte picks ClientHello (read by
 * a server) or ServerHello / HelloRetryRequest / EncryptedExtensions / CertificateRequest
 * (read by a client that offered every extension); the rest is the message body. The
 * structural parser runs first, then the extension table's rules and parsers.
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_hello.c \
 *         <library sources> -lcrypto -lpthread */
#include <stdlib.h>
#include "session.h"
#include "handshake/handshake.h"
#include "ext/ext.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gnutls_session_t client, server;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (gnutls_global_init() < 0 || gnutls_init(&client, GNUTLS_CLIENT) < 0 ||
        gnutls_init(&server, GNUTLS_SERVER) < 0 ||
        gnutls_priority_set_direct(client, "NORMAL", NULL) < 0 ||
        gnutls_priority_set_direct(server, "NORMAL", NULL) < 0)
        abort();
    return 0;
}

static const unsigned client_msgs[] = { KEEL_MSG_SH, KEEL_MSG_HRR, KEEL_MSG_EE, KEEL_MSG_CR,
                                        KEEL_MSG_CT };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    keel_cur body;
    keel_hello h;
    gnutls_session_t s;
    uint8_t sel;

    if (size < 1)
        return 0;
    sel = data[0];
    body = cur_init(data + 1, size - 1);
    s = (sel & 1) ? client : server;
    keel_hs_free(s);
    if (keel_hs_ensure(s) < 0)
        abort();
    if (s == server) {
        if (keel_parse_client_hello(body, &h) == 0)
            (void)keel_ext_parse(s, KEEL_MSG_CH, h.exts);
    } else {
        unsigned msg = client_msgs[(sel >> 1) % KEEL_ARRAY_SIZE(client_msgs)];
        keel_cur exts;
        s->hs->ext_sent = ~0ull;        /* as if every extension had been offered */
        if (msg == KEEL_MSG_SH || msg == KEEL_MSG_HRR) {
            if (keel_parse_server_hello(body, &h) == 0) {
                keel_cur sv;
                (void)keel_ext_find(h.exts, KEEL_EXT_SUPPORTED_VERSIONS, &sv);
                (void)keel_ext_parse(s, msg, h.exts);
            }
        } else if (cur_u16_prefixed(&body, &exts)) {
            (void)keel_ext_parse(s, msg, exts);
        }
    }
    keel_hs_free(s);
    return 0;
}
