/* Writes seed corpora for the fuzz targets: the transport bytes and handshake messages of
 * in-process TLS 1.3 and TLS 1.2 handshakes (memory transport, a few server keys, suites,
 * groups, key exchanges, HRRs and client certificates), recorded in each target's input
 * format, plus key/certificate files, peer values and valid signatures. Run by `make
 * fuzz-seeds`: fuzz-make-seeds <corpus dir>, from the source tree (KEEL_SRCDIR, default
 * "."). Files it writes start with "gen-"; others are kept.
 *
 * The side a target plays is set up by fuzz_params.h's functions, as in the target (same
 * priorities, credentials, certificate request and fixed x25519 share), and gets the same
 * random stream (fuzz_peer.h: the LCG from seed 1), so what it sends, which the peer echoes,
 * checks and hashes, is what the target sends. A TLS 1.3 handshake then replays in the target
 * to its end when the target's shared group is x25519 and what it signs is deterministic: the
 * fuzzed server signs with Ed25519 when the client allows it; the fuzzed client's own
 * signature is not in any secret the server's later records depend on. TLS 1.2 key exchange
 * keys are random, so a TLS 1.2 seed replays up to the peer's ChangeCipherSpec, except with
 * RSA key exchange against the fuzzed server, whose handshake has no random of its own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "session.h"
#include "crypto/crypto.h"
#include "handshake/handshake.h"
#include "x509/x509.h"
#include "lib/memtransport.h"
#include "fuzz_params.h"

static const char *outdir;
static const char *srcdir;
static unsigned n_written;

/* ---- output ---- */

typedef struct {
    uint8_t *p;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            abort();
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void buf_u8(buf *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    buf_add(b, &c, 1);
}

static void buf_u16(buf *b, unsigned v)
{
    buf_u8(b, v >> 8);
    buf_u8(b, v);
}

static void write_seed(const char *target, const char *name, const void *p, size_t n)
{
    /* Identical inputs (e.g. the empty EncryptedExtensions of every handshake) once only. */
    static uint64_t seen[1024];
    static unsigned n_seen;
    uint64_t h = 14695981039346656037ull;
    char path[1024];
    FILE *f;

    for (const char *c = target; *c; c++)
        h = (h ^ (uint8_t)*c) * 1099511628211ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const uint8_t *)p)[i]) * 1099511628211ull;
    for (unsigned i = 0; i < n_seen; i++)
        if (seen[i] == h)
            return;
    if (n_seen < KEEL_ARRAY_SIZE(seen))
        seen[n_seen++] = h;

    snprintf(path, sizeof path, "%s/%s", outdir, target);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof path, "%s/%s/gen-%s", outdir, target, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    n_written++;
}

static int read_file(const char *name, buf *out)
{
    char path[1024], tmp[4096];
    FILE *f;
    size_t n;

    out->len = 0;
    snprintf(path, sizeof path, "%s/tests/data/%s", srcdir, name);
    f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_add(out, tmp, n);
    fclose(f);
    return 0;
}

static void need(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "make-seeds: %s failed\n", what);
        exit(1);
    }
}

/* ---- deterministic randomness, as in fuzz_peer.h ---- */

static int lcg_random(void *ctx, void *out, size_t n)
{
    uint8_t *o = out;
    uint32_t *state = ctx;

    for (size_t i = 0; i < n; i++) {
        *state = *state * 1103515245u + 12345u;
        o[i] = (uint8_t)(*state >> 16);
    }
    return 0;
}

/* ---- recorded handshakes ---- */

enum { SIDE_CLIENT = 0, SIDE_SERVER = 1 };

typedef struct {
    const char *name;
    int side;                   /* the side the fuzz target plays */
    /* The recorded (not fuzzed) side's priorities, NULL: FUZZ_CLIENT_PRIO / FUZZ_SERVER_PRIO;
     * the fuzzed side's must be NULL (fuzz_params.h sets them). */
    const char *client_prio;
    const char *server_prio;
    /* The recorded side's pair, under tests/data: the server's when the client is fuzzed,
     * the client's (NULL: none) when the server is. */
    const char *cert, *key;
    unsigned flags;             /* SC_* */
} scenario;

/* The recorded server asks for the client's certificate (the fuzzed server always does). */
#define SC_REQUEST  1u
/* ... with certificate_authorities: it trusts tests/data/verify's root, the issuer of the
 * fuzzed client's chain. */
#define SC_CA_NAMES 2u
/* The recorded client sends no key share and x25519 first in supported_groups: the fuzzed
 * server asks for an x25519 one in a HelloRetryRequest (its own share is then the fixed one;
 * a client's first share is always for its first group, hence the raw extensions). */
#define SC_EMPTY_SHARES 4u

typedef struct {
    unsigned type;
    int incoming;
    buf body;
} hs_msg;

static struct {
    gnutls_session_t who;       /* messages of this session are kept */
    hs_msg msgs[32];
    unsigned n;
} captured;

static int capture_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                        const gnutls_datum_t *msg)
{
    hs_msg *m;

    if (s != captured.who || when != GNUTLS_HOOK_POST || captured.n == KEEL_ARRAY_SIZE(captured.msgs))
        return 0;
    m = &captured.msgs[captured.n++];
    m->type = htype;
    m->incoming = (int)incoming;
    m->body.len = 0;
    buf_add(&m->body, msg->data, msg->size);
    return 0;
}

/* Appends what `from` wrote (and its peer has not read yet) to rec, and puts it back for
 * the peer: the queue `from` writes is the one its peer reads. */
static void move(memt_link *l, int from, buf *rec)
{
    uint8_t tmp[1 << 16];
    size_t n = memt_take(l, from, tmp, sizeof tmp);

    need(memt_pending(l, !from) == 0, "one flight at a time");
    buf_add(rec, tmp, n);
    if (n > 0)
        need(memt_inject(l, !from, tmp, n) == 0, "memt_inject");
}

static int fatal(int r)
{
    return r < 0 && gnutls_error_is_fatal(r);
}

/* The recorded side's credentials: the scenario's pair, and for SC_CA_NAMES a trust list. */
static gnutls_certificate_credentials_t recorded_cred(const scenario *sc)
{
    gnutls_certificate_credentials_t cred;
    char path[512];

    need(gnutls_certificate_allocate_credentials(&cred) == 0, "credentials");
    if (sc->cert != NULL)
        need(fuzz_add_pair(cred, sc->cert, sc->key) >= 0, sc->cert);
    if (sc->flags & SC_CA_NAMES) {
        snprintf(path, sizeof path, "%s/tests/data/verify/root-cert.pem", srcdir);
        need(gnutls_certificate_set_x509_trust_file(cred, path, GNUTLS_X509_FMT_PEM) > 0, path);
    }
    return cred;
}

/* SC_EMPTY_SHARES: the recorded client's first ClientHello extensions, in the table's order
 * (src/ext/ext.c), raw for supported_groups (x25519, secp256r1) and key_share (none). */
static const uint8_t groups_x25519_first[] = { 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17 };
static const uint8_t no_shares[] = { 0x00, 0x00 };
static const keel_test_ext empty_shares_exts[] = {
    { 0, NULL, 0 },                                             /* server_name */
    { 10, groups_x25519_first, sizeof groups_x25519_first },    /* supported_groups */
    { 51, no_shares, sizeof no_shares },                        /* key_share */
    { 43, NULL, 0 },                                            /* supported_versions */
    { 13, NULL, 0 },                                            /* signature_algorithms */
    { 45, NULL, 0 },                                            /* psk_key_exchange_modes */
    { 11, NULL, 0 },                                            /* ec_point_formats */
    { 23, NULL, 0 },                                            /* extended_master_secret */
    { 0xff01, NULL, 0 },                                        /* renegotiation_info */
};

/* fuzz_peer.h's input: the peer's bytes in chunks of [length - 1][bytes], at most 256 each.
 * A record's header is a chunk of its own and its body follows in chunks: the record layer
 * reads exactly a header, then exactly the body, and a pull shorter than the chunk would
 * take the rest of the chunk as the next length byte. */
static void peer_chunks(const buf *stream, buf *out)
{
    size_t off = 0;

    out->len = 0;
    while (off < stream->len) {
        size_t n = stream->len - off, body = 0;
        if (n > 5) {
            body = (size_t)stream->p[off + 3] << 8 | stream->p[off + 4];
            n = 5;
        }
        buf_u8(out, (unsigned)(n - 1));
        buf_add(out, stream->p + off, n);
        off += n;
        while (body > 0 && off < stream->len) {
            n = body < 256 ? body : 256;
            if (n > stream->len - off)
                n = stream->len - off;
            buf_u8(out, (unsigned)(n - 1));
            buf_add(out, stream->p + off, n);
            off += n;
            body -= n;
        }
    }
}

/* The plaintext records at the start of a stream (before the first application_data one). */
static size_t plaintext_prefix(const buf *stream)
{
    size_t off = 0;

    while (off + 5 <= stream->len && stream->p[off] != 23)
        off += 5 + ((size_t)stream->p[off + 3] << 8 | stream->p[off + 4]);
    return off < stream->len ? off : stream->len;
}

static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static void record_one(const scenario *sc)
{
    static struct keel_test_hs_params recorded_params;
    gnutls_certificate_credentials_t ccred, scred;
    gnutls_session_t c, s, fuzzed;
    memt_link *l;
    buf c2s = { 0 }, s2c = { 0 }, seed = { 0 };
    uint32_t seed_fuzzed = 1, seed_other = 0x5eed;   /* fuzz_peer.h starts from 1 */
    int rc = GNUTLS_E_AGAIN, rs = GNUTLS_E_AGAIN;
    char name[128];
    char data[64];

    need(gnutls_init(&c, GNUTLS_CLIENT) == 0 && gnutls_init(&s, GNUTLS_SERVER) == 0, "init");
    /* The fuzzed side exactly as its target sets it up (fuzz_params.h). */
    if (sc->side == SIDE_CLIENT) {
        need(sc->client_prio == NULL && fuzz_client_credentials(&ccred) == 0 &&
             fuzz_client_setup(c, ccred) == 0, "fuzzed client");
        scred = recorded_cred(sc);
        need(gnutls_priority_set_direct(s, sc->server_prio ? sc->server_prio : FUZZ_SERVER_PRIO,
                                        NULL) == 0 &&
             gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, scred) == 0, "recorded server");
        if (sc->flags & (SC_REQUEST | SC_CA_NAMES))
            gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
    } else {
        need(sc->server_prio == NULL && fuzz_server_credentials(&scred) == 0 &&
             fuzz_server_setup(s, scred) == 0, "fuzzed server");
        ccred = recorded_cred(sc);
        need(gnutls_priority_set_direct(c, sc->client_prio ? sc->client_prio : FUZZ_CLIENT_PRIO,
                                        NULL) == 0 &&
             gnutls_credentials_set(c, GNUTLS_CRD_CERTIFICATE, ccred) == 0 &&
             gnutls_server_name_set(c, GNUTLS_NAME_DNS, "fuzz.example", 12) == 0,
             "recorded client");
        if (sc->flags & SC_EMPTY_SHARES) {
            memset(&recorded_params, 0, sizeof recorded_params);
            recorded_params.ch_exts = empty_shares_exts;
            recorded_params.n_ch_exts = KEEL_ARRAY_SIZE(empty_shares_exts);
            need(keel_test_hs_set_params(c, &recorded_params) == 0, "test params");
        }
    }
    fuzzed = sc->side == SIDE_CLIENT ? c : s;
    captured.who = fuzzed;
    captured.n = 0;
    gnutls_handshake_set_hook_function(fuzzed, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, capture_hook);
    l = memt_new();
    memt_attach(l, c, s);

    /* Each side's calls draw from its own random stream. */
    for (int i = 0; i < 64 && (rc != 0 || rs != 0); i++) {
        if (rc != 0 && !fatal(rc)) {
            keel_test_set_random(lcg_random, c == fuzzed ? &seed_fuzzed : &seed_other);
            rc = gnutls_handshake(c);
            move(l, MEMT_CLIENT, &c2s);
        }
        if (rs != 0 && !fatal(rs)) {
            keel_test_set_random(lcg_random, s == fuzzed ? &seed_fuzzed : &seed_other);
            rs = gnutls_handshake(s);
            move(l, MEMT_SERVER, &s2c);
        }
        if (fatal(rc) && fatal(rs))
            break;
    }
    if (rc == 0 && rs == 0) {
        /* A little application data each way, as fuzz_peer.h reads after the handshake. */
        for (int k = 0; k < 2; k++) {
            gnutls_session_t from = k ? s : c, to = k ? c : s;
            snprintf(data, sizeof data, "application data from the %s", k ? "server" : "client");
            keel_test_set_random(lcg_random, from == fuzzed ? &seed_fuzzed : &seed_other);
            need(gnutls_record_send(from, data, strlen(data)) == (ssize_t)strlen(data), "send");
            move(l, k ? MEMT_SERVER : MEMT_CLIENT, k ? &s2c : &c2s);
            keel_test_set_random(lcg_random, to == fuzzed ? &seed_fuzzed : &seed_other);
            (void)gnutls_record_recv(to, data, sizeof data);
            move(l, k ? MEMT_CLIENT : MEMT_SERVER, k ? &c2s : &s2c);
        }
    } else {
        fprintf(stderr, "make-seeds: %s: handshake ended with client %s, server %s (kept)\n",
                sc->name, gnutls_strerror_name(rc), gnutls_strerror_name(rs));
    }
    keel_test_set_random(NULL, NULL);

    /* The whole-peer target: the other side's bytes. */
    peer_chunks(sc->side == SIDE_CLIENT ? &s2c : &c2s, &seed);
    snprintf(name, sizeof name, "%s", sc->name);
    write_seed(sc->side == SIDE_CLIENT ? "fuzz_client" : "fuzz_server", name, seed.p, seed.len);

    /* fuzz_record mode 0 (handshake messages from plaintext records): first byte 0x80 for a
     * server, then the peer's plaintext records in 1-byte chunks ([0][byte]): the only
     * chunk size (n * 64 + 1) that never exceeds what a pull asks for (5 for a header). */
    {
        const buf *in = sc->side == SIDE_CLIENT ? &s2c : &c2s;
        size_t plain = plaintext_prefix(in);
        seed.len = 0;
        buf_u8(&seed, sc->side == SIDE_SERVER ? 0x80 : 0x00);
        for (size_t i = 0; i < plain; i++) {
            buf_u8(&seed, 0);
            buf_u8(&seed, in->p[i]);
        }
        snprintf(name, sizeof name, "plain-%s", sc->name);
        write_seed("fuzz_record", name, seed.p, seed.len);
    }

    /* fuzz_hello: [selector][body] for the hello messages the fuzzed side received (of a
     * TLS 1.3 CertificateRequest, its extensions: fuzz_hello.c reads no context). */
    for (unsigned i = 0; i < captured.n; i++) {
        const hs_msg *m = &captured.msgs[i];
        int sel = -1;
        size_t skip = 0;
        const char *what = NULL;
        if (!m->incoming)
            continue;
        switch (m->type) {
        case GNUTLS_HANDSHAKE_CLIENT_HELLO: sel = 0; what = "ch"; break;
        case GNUTLS_HANDSHAKE_SERVER_HELLO:
            /* RFC 8446 4.1.3: an HRR is a ServerHello with this random. */
            if (m->body.len >= 34 && memcmp(m->body.p + 2, hrr_random, 32) == 0) {
                sel = 3;
                what = "hrr";
            } else {
                sel = 1;
                what = "sh";
            }
            break;
        case GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST: sel = 3; what = "hrr"; break;
        case GNUTLS_HANDSHAKE_ENCRYPTED_EXTENSIONS: sel = 5; what = "ee"; break;
        case GNUTLS_HANDSHAKE_CERTIFICATE_REQUEST:
            if (gnutls_protocol_get_version(fuzzed) == GNUTLS_TLS1_3 && m->body.len > 0 &&
                m->body.len > 1u + m->body.p[0]) {
                sel = 7;
                what = "cr";
                skip = 1u + m->body.p[0];
            }
            break;
        default: break;
        }
        if (sel < 0)
            continue;
        seed.len = 0;
        buf_u8(&seed, (unsigned)sel);
        buf_add(&seed, m->body.p + skip, m->body.len - skip);
        snprintf(name, sizeof name, "%s-%s", what, sc->name);
        write_seed("fuzz_hello", name, seed.p, seed.len);
    }

    gnutls_deinit(c);
    gnutls_deinit(s);
    memt_free(l);
    gnutls_certificate_free_credentials(ccred);
    gnutls_certificate_free_credentials(scred);
    for (unsigned i = 0; i < KEEL_ARRAY_SIZE(captured.msgs); i++) {
        free(captured.msgs[i].body.p);
        captured.msgs[i].body = (buf){ 0 };
    }
    free(c2s.p);
    free(s2c.p);
    free(seed.p);
}

/* Priorities of a recorded client: NORMAL's groups with x25519 first (the fuzzed server's
 * share is then the fixed one), TLS 1.2 only. A recorded client with a certificate has the
 * fuzzed client's, or another of tests/data. */
#define X25519_FIRST "NORMAL:" FUZZ_GROUPS
#define TLS12_ONLY ":-VERS-ALL:+VERS-TLS1.2"
#define CLIENT_PAIR FUZZ_CLIENT_CERT, FUZZ_CLIENT_KEY

static const scenario scenarios[] = {
    /* fuzz_client against several servers: TLS 1.3 ... */
    { "ecdsa-p256", SIDE_CLIENT, NULL, NULL, "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", 0 },
    { "ecdsa-p384", SIDE_CLIENT, NULL, NULL, "ecdsa-p384-cert.pem", "ecdsa-p384-key.pem", 0 },
    { "rsa", SIDE_CLIENT, NULL, NULL, "rsa-cert.pem", "rsa-key.pem", 0 },
    { "rsa-pss", SIDE_CLIENT, NULL, NULL, "rsa-pss-cert.pem", "rsa-pss-key.pem", 0 },
    { "ed25519", SIDE_CLIENT, NULL, NULL, "ed25519-cert.pem", "ed25519-key.pem", 0 },
    { "aes256", SIDE_CLIENT, NULL, "NORMAL:-CIPHER-ALL:+AES-256-GCM", "ecdsa-p256-cert.pem",
      "ecdsa-p256-key.pem", 0 },
    { "chacha20", SIDE_CLIENT, NULL, "NORMAL:-CIPHER-ALL:+CHACHA20-POLY1305",
      "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", 0 },
    { "hrr-secp384r1", SIDE_CLIENT, NULL, "NORMAL:-GROUP-ALL:+GROUP-SECP384R1",
      "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", 0 },
    { "secp256r1-only", SIDE_CLIENT, NULL, "NORMAL:-GROUP-ALL:+GROUP-SECP256R1",
      "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", 0 },
    { "hrr-ffdhe2048", SIDE_CLIENT, NULL, "NORMAL:-GROUP-ALL:+GROUP-FFDHE2048",
      "rsa-cert.pem", "rsa-key.pem", 0 },
    { "certreq", SIDE_CLIENT, NULL, NULL, "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem",
      SC_REQUEST },
    { "certreq-cas", SIDE_CLIENT, NULL, NULL, "rsa-cert.pem", "rsa-key.pem", SC_CA_NAMES },
    /* ... and TLS 1.2 only, each key exchange, some asking for the client's certificate */
    { "tls12-ecdhe-ecdsa", SIDE_CLIENT, NULL, "NORMAL" TLS12_ONLY ":-KX-ALL:+ECDHE-ECDSA",
      "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem", 0 },
    { "tls12-ecdhe-rsa", SIDE_CLIENT, NULL, "NORMAL" TLS12_ONLY ":-KX-ALL:+ECDHE-RSA",
      "rsa-cert.pem", "rsa-key.pem", 0 },
    { "tls12-dhe-rsa", SIDE_CLIENT, NULL, "NORMAL" TLS12_ONLY ":-KX-ALL:+DHE-RSA",
      "rsa-cert.pem", "rsa-key.pem", 0 },
    { "tls12-rsa", SIDE_CLIENT, NULL, "NORMAL" TLS12_ONLY ":-KX-ALL:+RSA", "rsa-cert.pem",
      "rsa-key.pem", 0 },
    { "tls12-chacha20", SIDE_CLIENT, NULL,
      "NORMAL" TLS12_ONLY ":-CIPHER-ALL:+CHACHA20-POLY1305", "ecdsa-p256-cert.pem",
      "ecdsa-p256-key.pem", 0 },
    { "tls12-certreq-ecdhe-ecdsa", SIDE_CLIENT, NULL,
      "NORMAL" TLS12_ONLY ":-KX-ALL:+ECDHE-ECDSA", "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem",
      SC_REQUEST },
    { "tls12-certreq-dhe-rsa", SIDE_CLIENT, NULL, "NORMAL" TLS12_ONLY ":-KX-ALL:+DHE-RSA",
      "rsa-cert.pem", "rsa-key.pem", SC_REQUEST },
    { "tls12-certreq-cas-rsa", SIDE_CLIENT, NULL, "NORMAL" TLS12_ONLY ":-KX-ALL:+RSA",
      "rsa-cert.pem", "rsa-key.pem", SC_CA_NAMES },
    /* fuzz_server (Ed25519, ECDSA and RSA pairs, asks for a certificate), several clients:
     * TLS 1.3 ... */
    { "normal", SIDE_SERVER, NULL, NULL, NULL, NULL, 0 },
    { "aes256", SIDE_SERVER, X25519_FIRST ":-CIPHER-ALL:+AES-256-GCM", NULL, NULL, NULL, 0 },
    { "chacha20", SIDE_SERVER, X25519_FIRST ":-CIPHER-ALL:+CHACHA20-POLY1305", NULL, NULL,
      NULL, 0 },
    { "x25519", SIDE_SERVER, "NORMAL:-GROUP-ALL:+GROUP-X25519", NULL, NULL, NULL, 0 },
    { "secp256r1", SIDE_SERVER, "NORMAL:-GROUP-ALL:+GROUP-SECP256R1", NULL, NULL, NULL, 0 },
    { "secp384r1", SIDE_SERVER, "NORMAL:-GROUP-ALL:+GROUP-SECP384R1", NULL, NULL, NULL, 0 },
    { "ffdhe2048", SIDE_SERVER, "NORMAL:-GROUP-ALL:+GROUP-FFDHE2048", NULL, NULL, NULL, 0 },
    { "rsa-only", SIDE_SERVER, X25519_FIRST ":-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA256", NULL, NULL,
      NULL, 0 },
    { "ecdsa-only", SIDE_SERVER, X25519_FIRST ":-SIGN-ALL:+SIGN-ECDSA-SECP256R1-SHA256", NULL,
      NULL, NULL, 0 },
    { "hrr-x25519", SIDE_SERVER, "NORMAL:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-X25519", NULL,
      CLIENT_PAIR, SC_EMPTY_SHARES },
    { "cert-ecdsa", SIDE_SERVER, NULL, NULL, CLIENT_PAIR, 0 },
    { "cert-rsa", SIDE_SERVER, NULL, NULL, "rsa-cert.pem", "rsa-key.pem", 0 },
    { "cert-rsa-pss", SIDE_SERVER, NULL, NULL, "rsa-pss-cert.pem", "rsa-pss-key.pem", 0 },
    { "cert-ed25519", SIDE_SERVER, NULL, NULL, "ed25519-cert.pem", "ed25519-key.pem", 0 },
    /* ... and TLS 1.2 only, with and without a certificate */
    { "tls12", SIDE_SERVER, X25519_FIRST TLS12_ONLY, NULL, NULL, NULL, 0 },
    { "tls12-cert-ecdsa", SIDE_SERVER, X25519_FIRST TLS12_ONLY, NULL, CLIENT_PAIR, 0 },
    { "tls12-dhe-rsa-cert-rsa", SIDE_SERVER, X25519_FIRST TLS12_ONLY ":-KX-ALL:+DHE-RSA", NULL,
      "rsa-cert.pem", "rsa-key.pem", 0 },
    { "tls12-rsa", SIDE_SERVER, X25519_FIRST TLS12_ONLY ":-KX-ALL:+RSA", NULL, NULL, NULL, 0 },
    { "tls12-rsa-cert-ecdsa", SIDE_SERVER, X25519_FIRST TLS12_ONLY ":-KX-ALL:+RSA", NULL,
      CLIENT_PAIR, 0 },
    { "tls12-rsa-cert-rsa", SIDE_SERVER, X25519_FIRST TLS12_ONLY ":-KX-ALL:+RSA", NULL,
      "rsa-cert.pem", "rsa-key.pem", 0 },
};

/* ---- certificate and key files (fuzz_x509) ---- */

static void x509_seeds(void)
{
    static const char *const files[] = {
        "ecdsa-p256-cert.pem", "ecdsa-p256-chain.pem", "ecdsa-p256-key-pkcs8.der",
        "ecdsa-p256-key-sec1.der", "ecdsa-p256-key.pem", "ecdsa-p384-key.pem",
        "ed25519-cert.pem", "ed25519-key.pem", "ed448-key.pem", "rsa-cert.der",
        "rsa-key.der", "rsa-pss-cert.pem", "rsa-key-encrypted.pem",
    };
    static const char *const pairs[][2] = {
        { "ecdsa-p256-cert.pem", "ecdsa-p256-key.pem" }, { "ed25519-cert.pem", "ed25519-key.pem" },
        { "ecdsa-p384-cert.pem", "ecdsa-p384-key.pem" }, { "rsa-cert.der", "rsa-key.der" },
    };
    buf f = { 0 }, k = { 0 }, seed = { 0 };

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(files); i++) {
        need(read_file(files[i], &f) == 0, files[i]);
        write_seed("fuzz_x509", files[i], f.p, f.len);
    }
    /* [split][cert][key]: fuzz_x509.c splits at 1 + split * (size - 1) / 256; a PEM
     * certificate is padded with newlines to end exactly there. */
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(pairs); i++) {
        int der = strstr(pairs[i][0], ".der") != NULL;
        need(read_file(pairs[i][0], &f) == 0 && read_file(pairs[i][1], &k) == 0, "pair");
        for (size_t pad = 0; pad < 512; pad++) {
            size_t total = f.len + pad + k.len;   /* size - 1 */
            unsigned split = (unsigned)(((f.len + pad) * 256 + total - 1) / total);
            if (split > 255 || split * total / 256 != f.len + pad)
                continue;
            if (der && pad > 0)
                break;
            seed.len = 0;
            buf_u8(&seed, split);
            buf_add(&seed, f.p, f.len);
            for (size_t j = 0; j < pad; j++)
                buf_u8(&seed, '\n');
            buf_add(&seed, k.p, k.len);
            char name[128];
            snprintf(name, sizeof name, "pair-%s", pairs[i][0]);
            write_seed("fuzz_x509", name, seed.p, seed.len);
            break;
        }
    }
    free(f.p);
    free(k.p);
    free(seed.p);
}

/* ---- peer values and signatures (fuzz_crypto_peer) ---- */

/* The layout of fuzz_crypto_peer.c: operations and the index of each key file. */
enum { OP_KX_DERIVE, OP_VERIFY, OP_IMPORT_EC, OP_IMPORT_RSA, OP_IMPORT_EDDSA, OP_DH_CUSTOM,
       OP_RSA_PREMASTER };
static const char *const key_files[] = {
    "rsa-key.pem", "rsa-pss-key.pem", "ecdsa-p256-key.pem", "ecdsa-p384-key.pem",
    "ed25519-key.pem", "ed448-key.pem",
};

static keel_pkey *load_key(const char *name)
{
    buf f = { 0 };
    gnutls_datum_t d;
    keel_pkey *k = NULL;

    need(read_file(name, &f) == 0, name);
    d.data = f.p;
    d.size = (unsigned)f.len;
    need(keel_load_private_key(&d, GNUTLS_X509_FMT_PEM, NULL, &k) == 0, name);
    free(f.p);
    return k;
}

/* The bytes after `pattern` in the DER of a PEM certificate file (its public key). */
static int cert_find(const char *file, const uint8_t *pattern, size_t plen, uint8_t *out,
                     size_t n)
{
    buf f = { 0 };
    gnutls_datum_t d;
    keel_cert **chain = NULL;
    unsigned nc = 0;
    const uint8_t *der;
    size_t len;
    int ret = -1;

    need(read_file(file, &f) == 0, file);
    d.data = f.p;
    d.size = (unsigned)f.len;
    need(keel_load_cert_chain(&d, GNUTLS_X509_FMT_PEM, &chain, &nc) == 0 && nc > 0, file);
    der = keel_cert_der(chain[0], &len);
    for (size_t i = 0; i + plen + n <= len; i++)
        if (memcmp(der + i, pattern, plen) == 0) {
            memcpy(out, der + i + plen, n);
            ret = 0;
            break;
        }
    keel_cert_chain_free(chain, nc);
    free(f.p);
    return ret;
}

static void sig_seed(keel_pkey **keys, unsigned key, uint16_t scheme, unsigned flags)
{
    static const char msg[] = "a message signed for the fuzz seeds";
    uint8_t sig[KEEL_MAX_SIG_LEN];
    size_t sig_len = sizeof sig;
    buf seed = { 0 };
    char name[64];

    if (keel_sign_ex(keys[key], scheme, flags, (const uint8_t *)msg, sizeof msg - 1, sig,
                     &sig_len) != 0)
        return;
    buf_u8(&seed, OP_VERIFY);
    buf_u8(&seed, key);
    buf_u16(&seed, 0x8000u | scheme);   /* the raw scheme */
    buf_u8(&seed, flags);
    buf_u8(&seed, sizeof msg - 1);
    buf_add(&seed, msg, sizeof msg - 1);
    buf_add(&seed, sig, sig_len);
    snprintf(name, sizeof name, "verify-%u-%04x%s", key, scheme, flags ? "-tls12" : "");
    write_seed("fuzz_crypto_peer", name, seed.p, seed.len);
    free(seed.p);
}

/* [op][type][public value][signature of "fuzz" by the matching private key] */
static void import_seed(unsigned op, unsigned type, const char *name, const uint8_t *pub,
                        size_t pub_len, const keel_pkey *priv, uint16_t scheme)
{
    uint8_t sig[KEEL_MAX_SIG_LEN];
    size_t sig_len = sizeof sig;
    buf seed = { 0 };

    buf_u8(&seed, op);
    buf_u8(&seed, type);
    buf_add(&seed, pub, pub_len);
    if (keel_sign(priv, scheme, (const uint8_t *)"fuzz", 4, sig, &sig_len) == 0)
        buf_add(&seed, sig, sig_len);
    write_seed("fuzz_crypto_peer", name, seed.p, seed.len);
    free(seed.p);
}

static void crypto_seeds(void)
{
    static const keel_kx_id groups[] = {
        KEEL_KX_X25519, KEEL_KX_X448, KEEL_KX_SECP256R1, KEEL_KX_SECP384R1, KEEL_KX_SECP521R1,
        KEEL_KX_FFDHE2048, KEEL_KX_FFDHE3072, KEEL_KX_FFDHE4096, KEEL_KX_FFDHE6144,
        KEEL_KX_FFDHE8192,
    };
    static const struct { unsigned key; uint16_t scheme; unsigned flags; } sigs[] = {
        { 0, 0x0401, 0 }, { 0, 0x0501, 0 }, { 0, 0x0601, 0 }, { 0, 0x0201, 0 },
        { 0, 0x0804, 0 }, { 0, 0x0805, 0 }, { 0, 0x0806, 0 }, { 0, 0x0401, KEEL_SIG_TLS12 },
        { 1, 0x0809, 0 }, { 1, 0x080a, 0 }, { 1, 0x080b, 0 },
        { 2, 0x0403, 0 }, { 2, 0x0403, KEEL_SIG_TLS12 }, { 2, 0x0503, KEEL_SIG_TLS12 },
        { 3, 0x0503, 0 }, { 3, 0x0403, KEEL_SIG_TLS12 }, { 4, 0x0807, 0 }, { 5, 0x0808, 0 },
    };
    static const uint8_t p256_spki[] = { 0x03, 0x42, 0x00 }, p384_spki[] = { 0x03, 0x62, 0x00 };
    static const uint8_t ed25519_spki[] = { 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
    static const uint8_t ed448_spki[] = { 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00 };
    static const uint8_t rsa_n[] = { 0x02, 0x82, 0x01, 0x01, 0x00 };
    keel_pkey *keys[KEEL_ARRAY_SIZE(key_files)];
    uint8_t pub[KEEL_MAX_KX_PUB_LEN], pt[512];
    size_t pub_len;
    buf seed = { 0 };
    char name[64];

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(key_files); i++)
        keys[i] = load_key(key_files[i]);

    for (size_t g = 0; g < KEEL_ARRAY_SIZE(groups); g++) {
        keel_kx *kx;
        need(keel_kx_generate(groups[g], &kx, pub, &pub_len) == 0, "kx_generate");
        keel_kx_free(kx);
        seed.len = 0;
        buf_u8(&seed, OP_KX_DERIVE);
        buf_u8(&seed, (unsigned)g);
        buf_add(&seed, pub, pub_len);
        snprintf(name, sizeof name, "kx-%zu", g);
        write_seed("fuzz_crypto_peer", name, seed.p, seed.len);
    }

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(sigs); i++)
        sig_seed(keys, sigs[i].key, sigs[i].scheme, sigs[i].flags);

    /* Imports: the public keys of the certificates that go with the key files. */
    if (cert_find("ecdsa-p256-cert.pem", p256_spki, sizeof p256_spki, pt, 65) == 0)
        import_seed(OP_IMPORT_EC, 0, "import-ec-p256", pt, 65, keys[2], 0x0403);
    if (cert_find("ecdsa-p384-cert.pem", p384_spki, sizeof p384_spki, pt, 97) == 0)
        import_seed(OP_IMPORT_EC, 1, "import-ec-p384", pt, 97, keys[3], 0x0503);
    if (cert_find("ed25519-cert.pem", ed25519_spki, sizeof ed25519_spki, pt, 32) == 0)
        import_seed(OP_IMPORT_EDDSA, 0, "import-ed25519", pt, 32, keys[4], 0x0807);
    if (cert_find("ed448-cert.pem", ed448_spki, sizeof ed448_spki, pt, 57) == 0)
        import_seed(OP_IMPORT_EDDSA, 1, "import-ed448", pt, 57, keys[5], 0x0808);
    if (cert_find("rsa-cert.pem", rsa_n, sizeof rsa_n, pt, 256 + 5) == 0 &&
        memcmp(pt + 256, "\x02\x03\x01\x00\x01", 5) == 0) {
        uint8_t sig[KEEL_MAX_SIG_LEN];
        size_t sig_len = sizeof sig;
        seed.len = 0;
        buf_u8(&seed, OP_IMPORT_RSA);
        buf_u16(&seed, 256);
        buf_u8(&seed, 3);
        buf_add(&seed, pt, 256);
        buf_add(&seed, "\x01\x00\x01", 3);
        if (keel_sign(keys[0], 0x0804, (const uint8_t *)"fuzz", 4, sig, &sig_len) == 0)
            buf_add(&seed, sig, sig_len);
        write_seed("fuzz_crypto_peer", "import-rsa", seed.p, seed.len);
    }

    /* TLS 1.2 DHE with the server's group: a 512-bit odd p (the smallest accepted), g = 2,
     * and a peer value. */
    seed.len = 0;
    buf_u8(&seed, OP_DH_CUSTOM);
    buf_u16(&seed, 64);
    buf_u16(&seed, 1);
    for (int i = 0; i < 64; i++)
        buf_u8(&seed, 0xff);
    buf_u8(&seed, 2);
    for (int i = 0; i < 64; i++)
        buf_u8(&seed, i == 0 ? 0x7f : 0x35);
    write_seed("fuzz_crypto_peer", "dh-custom", seed.p, seed.len);

    /* An RSA-encrypted premaster for the RSA key (TLS 1.2 RSA key exchange). */
    {
        uint8_t pm[48], ct[1024];
        size_t ct_len = sizeof ct;
        memset(pm, 0x42, sizeof pm);
        pm[0] = 3;
        pm[1] = 3;
        if (keel_rsa_encrypt(keys[0], pm, sizeof pm, ct, &ct_len) == 0) {
            seed.len = 0;
            buf_u8(&seed, OP_RSA_PREMASTER);
            buf_u16(&seed, 0x0303);
            buf_add(&seed, ct, ct_len);
            write_seed("fuzz_crypto_peer", "rsa-premaster", seed.p, seed.len);
        }
    }
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(key_files); i++)
        keel_pkey_unref(keys[i]);
    free(seed.p);
}

/* ---- KeyUpdate operation lists (fuzz_keyupdate) ---- */

static void keyupdate_seeds(void)
{
    /* Ops (fuzz_keyupdate.c): 0-3 key update client/server (odd: request the peer's),
     * 4/5 data from client/server [len][bytes], 6/7 drain at server/client, 8 hand-made
     * handshake message from the client [len][bytes], 10 clock tick, 11 EAGAIN once [side],
     * 12 rekey threshold [arg]. */
    static const struct { const char *name; const char *ops; size_t len; } seeds[] = {
#define S(n, s) { n, s, sizeof s - 1 }
        S("update-both", "\x00\x04\x05hello\x06\x02\x05\x05world\x07"),
        S("update-requested", "\x01\x04\x03" "abc" "\x06\x07\x03\x05\x03" "xyz\x07\x06"),
        S("many-updates", "\x00\x00\x00\x00\x0a\x00\x00\x00\x00\x06\x07\x02\x02\x02\x07\x06"),
        S("again", "\x0b\x01\x00\x04\x04" "data" "\x06\x0b\x00\x03\x05\x04" "back" "\x07\x06"),
        S("threshold", "\x0c\x05\x04\x08" "abcdefgh" "\x04\x08" "ijklmnop" "\x06\x07"),
        S("crafted-keyupdate", "\x08\x05\x18\x00\x00\x01\x01\x06\x07"),
        S("crafted-bad", "\x08\x05\x18\x00\x00\x01\x02\x06"),
        S("crafted-two", "\x08\x0a\x18\x00\x00\x01\x00\x18\x00\x00\x01\x00\x06\x07"),
#undef S
    };

    for (size_t i = 0; i < KEEL_ARRAY_SIZE(seeds); i++)
        write_seed("fuzz_keyupdate", seeds[i].name, seeds[i].ops, seeds[i].len);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    srcdir = getenv("KEEL_SRCDIR") ? getenv("KEEL_SRCDIR") : ".";
    need(gnutls_global_init() == 0, "global_init");
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(scenarios); i++)
        record_one(&scenarios[i]);
    x509_seeds();
    crypto_seeds();
    keyupdate_seeds();
    gnutls_global_deinit();
    printf("make-seeds: %u files written under %s\n", n_written, outdir);
    return 0;
}
