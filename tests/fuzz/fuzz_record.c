/* libFuzzer target for the record layer and the handshake-message reassembly: the input is
 * what the transport delivers to one session (in chunks whose sizes come from the input).
 * The first byte picks the setting:
 *   mode 0    no keys, handshake in progress: records read as handshake messages
 *             (keel_hs_next / keel_hs_consume), as during a first flight;
 *   mode 1-4  TLS 1.3 AES-128-GCM / ChaCha20-Poly1305, TLS 1.2 AES-128-GCM / ChaCha20:
 *             an established session, gnutls_record_recv in a loop (random ciphertext);
 *   mode 5-6  the same TLS 1.3 / TLS 1.2 sessions, but the input after the first byte is a
 *             list of plaintext records [type][len16][padlen8][bytes] sealed with the session's
 *             key before they are fed, to reach everything behind the AEAD.
 * Bit 7 of the first byte makes the session a server.
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_record.c \
 *         src/STAR/STAR.c -lcrypto -lpthread     (STAR: every part and file) */
#include <errno.h>
#include <stdlib.h>
#include "record/record.h"
#include "priority/algs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fz_key[32] = "fuzz-key-fuzz-key-fuzz-key-fuzz!";
static const uint8_t fz_iv[12] = "fuzz-iv-0123";

typedef struct {
    gnutls_session_t s;
    const uint8_t *p;
    size_t left;
    size_t chunk_left;                  /* unread bytes of the current chunk */
    int whole;                          /* no chunk lengths in the stream */
} feed;

static ssize_t feed_pull(gnutls_transport_ptr_t ptr, void *buf, size_t n)
{
    feed *f = ptr;
    size_t chunk;

    if (f->left == 0)
        return 0;                       /* EOF */
    if (f->whole) {
        chunk = f->left < n ? f->left : n;
        memcpy(buf, f->p, chunk);
        f->p += chunk;
        f->left -= chunk;
        return (ssize_t)chunk;
    }
    /* A chunk longer than one read asks for is handed out over several reads. */
    if (f->chunk_left == 0) {
        f->chunk_left = (size_t)f->p[0] * 64 + 1;   /* 1 .. 16321 bytes */
        f->p++;
        f->left--;
        if (f->left == 0)
            return 0;
    }
    chunk = f->chunk_left;
    if (chunk > f->left)
        chunk = f->left;
    if (chunk > n)
        chunk = n;
    f->chunk_left -= chunk;
    memcpy(buf, f->p, chunk);
    f->p += chunk;
    f->left -= chunk;
    return (ssize_t)chunk;
}

static ssize_t feed_push(gnutls_transport_ptr_t ptr, const void *buf, size_t n)
{
    (void)ptr;
    (void)buf;
    return (ssize_t)n;
}

static void install(gnutls_session_t s, gnutls_protocol_t v, keel_aead_id id)
{
    size_t ivl = (v == GNUTLS_TLS1_2 && id != KEEL_AEAD_CHACHA20_POLY1305) ? 4 : 12;

    if (keel_rec_set_keys(s, 0, v, id, fz_key, fz_iv, ivl) < 0 ||
        keel_rec_set_keys(s, 1, v, id, fz_key, fz_iv, ivl) < 0)
        abort();
    s->version = v;
    s->established = 1;
    /* A suite, as after a handshake (KeyUpdate derives from its hash). */
    s->suite = keel_suite_by_id(id == KEEL_AEAD_CHACHA20_POLY1305 ? 0x1303 : 0x1301);
}

/* Turns [type][len16][pad8][bytes]... into sealed records; returns the stream length. */
static size_t seal_all(gnutls_protocol_t v, keel_aead_id id, const uint8_t *in, size_t n,
                       uint8_t *out, size_t cap)
{
    keel_dir_state d;
    size_t used = 0, ivl = (v == GNUTLS_TLS1_2 && id != KEEL_AEAD_CHACHA20_POLY1305) ? 4 : 12;

    memset(&d, 0, sizeof d);
    d.version = v;
    d.aead_id = id;
    memcpy(d.iv, fz_iv, ivl);
    if (keel_aead_new(id, 1, &d.aead) < 0 || keel_aead_set_key(d.aead, fz_key) < 0)
        abort();
    while (n >= 4) {
        uint8_t type = in[0];
        size_t len = ((size_t)in[1] << 8 | in[2]) % (KEEL_MAX_PLAINTEXT + 1), pad = in[3], rec_len;
        in += 4;
        n -= 4;
        if (len > n)
            len = n;
        if (v != GNUTLS_TLS1_3)
            pad = 0;
        if (cap - used < KEEL_RECORD_HEADER + 8 + len + 1 + pad + KEEL_AEAD_TAG_LEN)
            break;
        memcpy(out + used + KEEL_RECORD_HEADER + keel_rec_prefix_len(&d), in, len);
        if (keel_rec_seal(&d, type, out + used, len, pad, &rec_len) < 0)
            break;
        used += rec_len;
        in += len;
        n -= len;
    }
    keel_aead_free(d.aead);
    return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t sealed[1 << 20];
    static const struct { gnutls_protocol_t v; keel_aead_id id; } modes[] = {
        { GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM },
        { GNUTLS_TLS1_3, KEEL_AEAD_CHACHA20_POLY1305 },
        { GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM },
        { GNUTLS_TLS1_2, KEEL_AEAD_CHACHA20_POLY1305 },
    };
    gnutls_session_t s;
    feed f;
    unsigned mode;
    uint8_t buf[4096];

    if (size < 1)
        return 0;
    mode = (data[0] & 0x7f) % 7;
    if (gnutls_init(&s, (data[0] & 0x80) ? GNUTLS_SERVER : GNUTLS_CLIENT) < 0)
        abort();
    f.s = s;
    f.p = data + 1;
    f.left = size - 1;
    f.whole = 0;
    f.chunk_left = 0;
    gnutls_transport_set_ptr(s, &f);
    gnutls_transport_set_pull_function(s, feed_pull);
    gnutls_transport_set_push_function(s, feed_push);

    if (mode == 0) {
        s->handshake_in_progress = 1;
        for (int i = 0; i < 1000; i++) {
            uint8_t type;
            keel_cur msg, body;
            if (keel_hs_next(s, &type, &msg, &body) < 0)
                break;
            keel_hs_consume(s);
        }
    } else {
        if (mode <= 4) {
            install(s, modes[mode - 1].v, modes[mode - 1].id);
        } else {
            int i = mode == 5 ? 0 : 2;
            install(s, modes[i].v, modes[i].id);
            f.left = seal_all(modes[i].v, modes[i].id, data + 1, size - 1, sealed, sizeof sealed);
            f.p = sealed;
            f.whole = 1;
        }
        for (int i = 0; i < 10000; i++) {
            ssize_t r = gnutls_record_recv(s, buf, sizeof buf);
            if (r == 0 || (r < 0 && gnutls_error_is_fatal((int)r)))
                break;
        }
    }
    gnutls_deinit(s);
    return 0;
}
