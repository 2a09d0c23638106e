/* The record layer through the public API, on two sessions whose keys are installed
 * directly (no handshake): send/recv, fragmentation, GNUTLS_E_AGAIN resumption, 1-byte reads,
 * cork/uncork, bye, alerts, malformed and forged records with the alert each one draws,
 * the middlebox ChangeCipherSpec rule and transport error mapping. */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "record/record.h"
#include "lib/memtransport.h"
#undef CHECK
#include "harness.h"

static const uint8_t key_c2s[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t key_s2c[32] = "fedcba9876543210fedcba9876543210";
static const uint8_t iv_c2s[12] = "client-iv-12";
static const uint8_t iv_s2c[12] = "server-iv-12";

typedef struct {
    gnutls_session_t c, s;
    memt_link *l;
    gnutls_protocol_t v;
    keel_aead_id aead;
    keel_dir_state forge;       /* writes records as the client would, for hand-made input */
} kpair;

static size_t iv_len_for(gnutls_protocol_t v, keel_aead_id id)
{
    return (v == GNUTLS_TLS1_2 && id != KEEL_AEAD_CHACHA20_POLY1305) ? 4 : 12;
}

static void kp_open(kpair *p, gnutls_protocol_t v, keel_aead_id id)
{
    size_t ivl = iv_len_for(v, id);

    memset(p, 0, sizeof *p);
    p->v = v;
    p->aead = id;
    if (gnutls_init(&p->c, GNUTLS_CLIENT) < 0 || gnutls_init(&p->s, GNUTLS_SERVER) < 0)
        abort();
    p->l = memt_new();
    memt_attach(p->l, p->c, p->s);
    if (keel_rec_set_keys(p->c, 1, v, id, key_c2s, iv_c2s, ivl) < 0 ||
        keel_rec_set_keys(p->s, 0, v, id, key_c2s, iv_c2s, ivl) < 0 ||
        keel_rec_set_keys(p->s, 1, v, id, key_s2c, iv_s2c, ivl) < 0 ||
        keel_rec_set_keys(p->c, 0, v, id, key_s2c, iv_s2c, ivl) < 0)
        abort();
    p->c->version = p->s->version = v;
    p->c->established = p->s->established = 1;
    p->forge.version = v;
    p->forge.aead_id = id;
    memcpy(p->forge.iv, iv_c2s, ivl);
    if (keel_aead_new(id, 1, &p->forge.aead) < 0 || keel_aead_set_key(p->forge.aead, key_c2s) < 0)
        abort();
}

static void kp_close(kpair *p)
{
    gnutls_deinit(p->c);
    gnutls_deinit(p->s);
    keel_aead_free(p->forge.aead);
    memt_free(p->l);
}

/* A protected record from the client's side with content type `type`, straight into the
 * server's input. */
static void forge(kpair *p, uint8_t type, const void *data, size_t len, size_t pad)
{
    static uint8_t rec[KEEL_RECORD_HEADER + KEEL_MAX_CIPHERTEXT12];
    size_t rec_len;

    memcpy(rec + KEEL_RECORD_HEADER + keel_rec_prefix_len(&p->forge), data, len);
    if (keel_rec_seal(&p->forge, type, rec, len, pad, &rec_len) < 0)
        abort();
    memt_inject(p->l, MEMT_SERVER, rec, rec_len);
}

static void inject(kpair *p, int side, const char *hex)
{
    uint8_t raw[512];
    size_t n = t_unhex(hex, raw, sizeof raw);
    memt_inject(p->l, side, raw, n);
}

/* The alert the server sent after a failure, as the client sees it. */
static int client_sees_alert(kpair *p, gnutls_alert_description_t want)
{
    char b[16];
    ssize_t r = gnutls_record_recv(p->c, b, sizeof b);
    return r == GNUTLS_E_FATAL_ALERT_RECEIVED && gnutls_alert_get(p->c) == want;
}

static const struct { gnutls_protocol_t v; keel_aead_id id; } modes[] = {
    { GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM },
    { GNUTLS_TLS1_3, KEEL_AEAD_AES_256_GCM },
    { GNUTLS_TLS1_3, KEEL_AEAD_CHACHA20_POLY1305 },
    { GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM },
    { GNUTLS_TLS1_2, KEEL_AEAD_AES_256_GCM },
    { GNUTLS_TLS1_2, KEEL_AEAD_CHACHA20_POLY1305 },
};

static void send_recv_every_mode(void)
{
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        kpair p;
        char b[64];
        kp_open(&p, modes[i].v, modes[i].id);
        CHECK_INT(gnutls_record_send(p.c, "hello server", 12), 12);
        CHECK_INT(gnutls_record_send(p.s, "hello client!", 13), 13);
        CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 12);
        CHECK_MEM(b, "hello server", 12);
        CHECK_INT(gnutls_record_recv(p.c, b, sizeof b), 13);
        CHECK_MEM(b, "hello client!", 13);
        CHECK_INT(gnutls_record_recv(p.c, b, sizeof b), GNUTLS_E_AGAIN);
        CHECK_INT(gnutls_record_get_direction(p.c), 0);
        CHECK_INT(p.c->write.records_since_key, 1);
        kp_close(&p);
    }
}

/* Data larger than a record: one record per call, as GnuTLS; the pieces arrive intact. */
static void fragmentation(void)
{
    static uint8_t big[100000], got[100000];
    size_t sent = 0, recvd = 0;
    kpair p;

    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + (i >> 8));
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    while (sent < sizeof big) {
        ssize_t r = gnutls_record_send(p.c, big + sent, sizeof big - sent);
        REQUIRE(r > 0 && r <= 16384);
        sent += (size_t)r;
        /* Every record fits the limit on the wire. */
        CHECK(memt_pending(p.l, MEMT_SERVER) <= 5 + 16384 + 1 + 16);
        while (memt_pending(p.l, MEMT_SERVER) > 0 || gnutls_record_check_pending(p.s) > 0) {
            ssize_t n = gnutls_record_recv(p.s, got + recvd, sizeof got - recvd);
            REQUIRE(n > 0);
            recvd += (size_t)n;
        }
    }
    CHECK_INT(recvd, sizeof big);
    CHECK_MEM(got, big, sizeof big);
    kp_close(&p);
}

/* A small user buffer: the rest waits in the session (gnutls_record_check_pending). */
static void small_reads_and_pending(void)
{
    char msg[1000], b[10], all[1000];
    size_t got = 0;
    kpair p;

    memset(msg, 'q', sizeof msg);
    msg[999] = 'z';
    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_record_send(p.c, msg, sizeof msg), 1000);
    CHECK_INT(gnutls_record_check_pending(p.s), 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 10);
    memcpy(all, b, 10);
    got = 10;
    CHECK_INT(gnutls_record_check_pending(p.s), 990);
    while (got < sizeof msg) {
        ssize_t n = gnutls_record_recv(p.s, b, sizeof b);
        REQUIRE(n == 10);
        memcpy(all + got, b, 10);
        got += 10;
    }
    CHECK_MEM(all, msg, sizeof msg);
    CHECK_INT(gnutls_record_check_pending(p.s), 0);
    kp_close(&p);
}

static void one_byte_reads(void)
{
    char msg[3000], b[4000];
    kpair p;

    memset(msg, 'x', sizeof msg);
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_CHACHA20_POLY1305);
    memt_set_max_read(p.l, MEMT_SERVER, 1);
    CHECK_INT(gnutls_record_send(p.c, msg, sizeof msg), 3000);
    CHECK_INT(gnutls_record_send(p.c, msg, 5), 5);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 3000);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 5);
    CHECK(memt_calls(p.l, MEMT_SERVER) >= 3000);
    kp_close(&p);
}

/* GNUTLS_E_AGAIN on every other transport call: send resumes with NULL/0 or with the same
 * data, and the peer sees each byte once. */
static void again_resumption(void)
{
    char b[100];
    ssize_t r;
    int agains = 0;
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_256_GCM);
    memt_set_again(p.l, MEMT_CLIENT, 1);
    memt_set_again(p.l, MEMT_SERVER, 1);

    r = gnutls_record_send(p.c, "first", 5);
    CHECK_INT(r, GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_record_get_direction(p.c), 1);
    CHECK_INT(gnutls_record_send(p.c, NULL, 0), 5);

    r = gnutls_record_send(p.c, "second", 6);
    CHECK_INT(r, GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_record_send(p.c, "second", 6), 6);

    for (int i = 0; i < 2; i++) {
        do {
            r = gnutls_record_recv(p.s, b, sizeof b);
            agains += r == GNUTLS_E_AGAIN;
        } while (r == GNUTLS_E_AGAIN);
        CHECK_INT(r, i == 0 ? 5 : 6);
        CHECK_MEM(b, i == 0 ? "first" : "second", (size_t)r);
    }
    CHECK(agains > 0);
    memt_set_again(p.l, MEMT_SERVER, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_AGAIN);   /* nothing more */
    kp_close(&p);
}

static void interrupted_resumption(void)
{
    char b[10];
    ssize_t r;
    kpair p;

    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_CHACHA20_POLY1305);
    memt_set_intr(p.l, MEMT_CLIENT, 1);
    memt_set_intr(p.l, MEMT_SERVER, 1);
    CHECK_INT(gnutls_record_send(p.c, "abc", 3), GNUTLS_E_INTERRUPTED);
    CHECK_INT(gnutls_record_send(p.c, "abc", 3), 3);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_INTERRUPTED);
    /* The header and the body are separate reads; each may be interrupted once. */
    for (int tries = 0; (r = gnutls_record_recv(p.s, b, sizeof b)) == GNUTLS_E_INTERRUPTED && tries < 4; tries++)
        ;
    CHECK_INT(r, 3);
    kp_close(&p);
}

static void cork_uncork(void)
{
    char b[100];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_record_uncork(p.c, 0), 0);        /* not corked: nothing to do */
    gnutls_record_cork(p.c);
    CHECK_INT(gnutls_record_send(p.c, "one ", 4), 4);
    CHECK_INT(gnutls_record_send(p.c, "two ", 4), 4);
    CHECK_INT(gnutls_record_send(p.c, "three", 5), 5);
    CHECK_INT(memt_pending(p.l, MEMT_SERVER), 0);
    CHECK_INT(gnutls_record_uncork(p.c, GNUTLS_RECORD_WAIT), 13);
    /* One record: header, 13 bytes, content type, tag. */
    CHECK_INT(memt_pending(p.l, MEMT_SERVER), 5 + 13 + 1 + 16);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 13);
    CHECK_MEM(b, "one two three", 13);

    /* Without GNUTLS_RECORD_WAIT a transient failure leaves the data corked. */
    memt_set_again(p.l, MEMT_CLIENT, 1);
    gnutls_record_cork(p.c);
    CHECK_INT(gnutls_record_send(p.c, "four", 4), 4);
    {
        int r, agains = 0;
        while ((r = gnutls_record_uncork(p.c, 0)) == GNUTLS_E_AGAIN)
            agains++;
        CHECK_INT(r, 4);
        CHECK(agains <= 2);
    }
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 4);
    CHECK_MEM(b, "four", 4);

    /* And with it, the call retries by itself. */
    gnutls_record_cork(p.c);
    CHECK_INT(gnutls_record_send(p.c, "five", 4), 4);
    CHECK_INT(gnutls_record_uncork(p.c, GNUTLS_RECORD_WAIT), 4);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 4);
    kp_close(&p);
}

static void bye_both_ways(void)
{
    char b[10];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_record_send(p.c, "last", 4), 4);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_WR), 0);
    CHECK_INT(gnutls_record_send(p.c, "more", 4), GNUTLS_E_INVALID_SESSION);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 4);     /* data before close_notify */
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 0);     /* close_notify: EOF */
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 0);
    /* The server's RDWR: sends its close_notify, the client's is already in. */
    CHECK_INT(gnutls_bye(p.s, GNUTLS_SHUT_RDWR), 0);
    CHECK_INT(gnutls_record_recv(p.c, b, sizeof b), 0);
    kp_close(&p);

    /* RDWR waiting for the peer: E_AGAIN until its close_notify arrives; data before it is
     * discarded. */
    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_RDWR), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_record_send(p.s, "ignored", 7), 7);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_RDWR), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_bye(p.s, GNUTLS_SHUT_WR), 0);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_RDWR), 0);
    kp_close(&p);

    /* bye with the transport saying EAGAIN: resumable, close_notify sent once. */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    memt_set_again(p.l, MEMT_CLIENT, 1);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_WR), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_WR), 0);
    CHECK_INT(memt_pending(p.l, MEMT_SERVER), 5 + 2 + 1 + 16);
    kp_close(&p);

    /* A peer that hangs up instead of answering has still closed. */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    memt_close(p.l, MEMT_SERVER);
    CHECK_INT(gnutls_bye(p.c, GNUTLS_SHUT_RDWR), 0);
    kp_close(&p);
}

static void eof_without_close_notify(void)
{
    char b[10];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_record_send(p.c, "data", 4), 4);
    memt_close(p.l, MEMT_CLIENT);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 4);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_PREMATURE_TERMINATION);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_PREMATURE_TERMINATION);
    /* No alert goes to a peer that is gone. */
    CHECK_INT(memt_pending(p.l, MEMT_CLIENT), 0);
    kp_close(&p);

    /* A record cut short by EOF. */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1703030020 0102030405");
    memt_close(p.l, MEMT_CLIENT);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_PREMATURE_TERMINATION);
    kp_close(&p);
}

static void alerts_received(void)
{
    char b[10];
    kpair p;

    /* TLS 1.2: a warning is reported and the connection goes on. */
    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_alert_send(p.c, GNUTLS_AL_WARNING, GNUTLS_A_USER_CANCELED), 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_WARNING_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_USER_CANCELED);
    CHECK_INT(gnutls_record_send(p.c, "ok", 2), 2);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 2);
    /* A refused renegotiation, through gnutls_alert_send_appropriate. */
    CHECK_INT(gnutls_alert_send_appropriate(p.c, GNUTLS_E_REHANDSHAKE), 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_WARNING_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_NO_RENEGOTIATION);
    /* Transient codes draw no alert. */
    CHECK_INT(gnutls_alert_send_appropriate(p.c, GNUTLS_E_AGAIN), 0);
    CHECK_INT(memt_pending(p.l, MEMT_SERVER), 0);
    /* A fatal one ends it, and sticks. */
    CHECK_INT(gnutls_alert_send(p.c, GNUTLS_AL_FATAL, GNUTLS_A_HANDSHAKE_FAILURE), 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_HANDSHAKE_FAILURE);
    CHECK_INT(gnutls_record_send(p.s, "x", 1), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(memt_pending(p.l, MEMT_CLIENT), 0);   /* no alert answers an alert */
    kp_close(&p);

    /* TLS 1.3: every alert but close_notify is fatal, whatever its level (RFC 8446 6). */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_alert_send(p.c, GNUTLS_AL_WARNING, GNUTLS_A_USER_CANCELED), 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_USER_CANCELED);
    kp_close(&p);

    /* An alert record must be exactly one alert. */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_ALERT, "\x01\x00\x00", 3, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(client_sees_alert(&p, GNUTLS_A_DECODE_ERROR));
    kp_close(&p);
}

static void bad_records(void)
{
    char b[10];
    kpair p;

    /* bad tag -> bad_record_mac */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1703030013 00112233445566778899aabbccddeeff001122");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_DECRYPTION_FAILED);
    CHECK(client_sees_alert(&p, GNUTLS_A_BAD_RECORD_MAC));
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_DECRYPTION_FAILED);
    kp_close(&p);

    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_256_GCM);
    forge(&p, KEEL_CT_APPDATA, "abc", 3, 0);
    {
        /* flip the last byte of the tag in the queue */
        uint8_t rec[64];
        size_t n = memt_take(p.l, MEMT_CLIENT, rec, sizeof rec);
        rec[n - 1] ^= 1;
        memt_inject(p.l, MEMT_SERVER, rec, n);
    }
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_DECRYPTION_FAILED);
    CHECK(client_sees_alert(&p, GNUTLS_A_BAD_RECORD_MAC));
    kp_close(&p);

    /* oversized: 2^14 + 256 + 1 in TLS 1.3 -> record_overflow before reading the body */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1703034101");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_RECORD_OVERFLOW);
    CHECK(client_sees_alert(&p, GNUTLS_A_RECORD_OVERFLOW));
    kp_close(&p);

    /* TLS 1.2 allows 2^14 + 2048 of ciphertext, not more */
    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1703034801");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_RECORD_OVERFLOW);
    kp_close(&p);

    /* unknown content type */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1803030001 00");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK(client_sees_alert(&p, GNUTLS_A_UNEXPECTED_MESSAGE));
    kp_close(&p);

    /* TLS 1.3: only application_data (and the middlebox CCS) on the outside */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1603030004 01000000");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);

    /* not TLS: major version 2 */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1702030004 01000000");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNSUPPORTED_VERSION_PACKET);
    CHECK(client_sees_alert(&p, GNUTLS_A_PROTOCOL_VERSION));
    kp_close(&p);

    /* TLS 1.2 records say 3.3 once negotiated */
    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1703010004 01000000");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNSUPPORTED_VERSION_PACKET);
    kp_close(&p);

    /* RFC 8446 5.1: zero-length handshake fragment */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_HANDSHAKE, "", 0, 5);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK(client_sees_alert(&p, GNUTLS_A_UNEXPECTED_MESSAGE));
    kp_close(&p);

    /* a ChangeCipherSpec inside the protection */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_CCS, "\x01", 1, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);

    /* the middlebox CCS after the handshake */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1403030001 01");
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);

    /* a handshake message after the TLS 1.3 handshake that is not allowed there */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_HANDSHAKE, "\x00\x00\x00\x00", 4, 0);     /* HelloRequest */
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);

    /* a handshake message longer than the limit */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_HANDSHAKE, "\x04\x7f\xff\xff", 4, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_HANDSHAKE_TOO_LARGE);
    kp_close(&p);
}

/* Zero-length application data and padding are accepted silently. */
static void empty_and_padded_appdata(void)
{
    char b[10];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_APPDATA, "", 0, 0);
    forge(&p, KEEL_CT_APPDATA, "", 0, 100);
    forge(&p, KEEL_CT_APPDATA, "pad", 3, 1000);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 3);
    CHECK_MEM(b, "pad", 3);
    /* but not without end */
    for (int i = 0; i < 300; i++)
        forge(&p, KEEL_CT_APPDATA, "", 0, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_TOO_MANY_EMPTY_PACKETS);
    kp_close(&p);
}

/* A TLS 1.3 post-handshake message (NewSessionTicket) between data records, split over two
 * records: handled inside record_recv, with the hook fired, and data on either side kept. */
static int hook_calls, hook_last_type, hook_last_incoming;
static int count_hook(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                      const gnutls_datum_t *msg)
{
    hook_calls++;
    hook_last_type = (int)htype;
    hook_last_incoming = (int)incoming;
    return 0;
}

static int n_pre;
static int count_pre(gnutls_session_t s, unsigned htype, unsigned when, unsigned incoming,
                     const gnutls_datum_t *msg)
{
    n_pre++;
    return 0;
}

static void post_handshake_message(void)
{
    static const uint8_t nst[] = {
        4, 0, 0, 16,                    /* NewSessionTicket, 16 bytes */
        0, 0, 0x0e, 0x10,               /* lifetime 3600 */
        1, 2, 3, 4,                     /* age_add */
        1, 9,                           /* nonce */
        0, 2, 0xaa, 0xbb,               /* ticket */
        0, 0,                           /* no extensions */
    };
    char b[20];
    kpair p;
    gnutls_session_t tmp;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    /* Swap roles: the forged records go to p.s, so make p.s the client. */
    tmp = p.s;
    tmp->is_server = 0;
    gnutls_handshake_set_hook_function(tmp, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH, count_hook);
    forge(&p, KEEL_CT_APPDATA, "before", 6, 0);
    forge(&p, KEEL_CT_HANDSHAKE, nst, 10, 0);
    forge(&p, KEEL_CT_HANDSHAKE, nst + 10, sizeof nst - 10, 0);
    forge(&p, KEEL_CT_APPDATA, "after", 5, 0);
    CHECK_INT(gnutls_record_recv(tmp, b, sizeof b), 6);
    /* As GnuTLS: after a post-handshake message with nothing more read, GNUTLS_E_AGAIN. */
    CHECK_INT(gnutls_record_recv(tmp, b, sizeof b), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_record_recv(tmp, b, sizeof b), 5);
    CHECK_MEM(b, "after", 5);
    CHECK_INT(hook_calls, 2);
    CHECK_INT(hook_last_type, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET);
    CHECK_INT(hook_last_incoming, 1);
    CHECK_INT(keel_bytes_len(&tmp->hs_in), 0);
    kp_close(&p);

    /* Application data in the middle of a fragmented handshake message (RFC 8446 5.1). */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    p.s->is_server = 0;
    forge(&p, KEEL_CT_HANDSHAKE, nst, 10, 0);
    forge(&p, KEEL_CT_APPDATA, "x", 1, 0);
    forge(&p, KEEL_CT_HANDSHAKE, nst + 10, sizeof nst - 10, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);
}

/* Application data is opened straight into the caller's buffer, whole or (buffers of 512
 * bytes and more) as far as it fits with the rest kept as pending data; a TLS 1.3 record that
 * turns out to be something else is taken back from that buffer, which keeps none of it. */
static void direct_open(void)
{
    static uint8_t msg[16384], got[20000];
    static const size_t caps[] = { 16384, 600, 100, 20000, 511, 512 };

    for (size_t i = 0; i < 16384; i++)
        msg[i] = (uint8_t)(i * 13 + (i >> 9));
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        kpair p;

        kp_open(&p, modes[m].v, modes[m].id);
        for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
            size_t recvd = 0;
            ssize_t n;

            CHECK_INT(gnutls_record_send(p.c, msg, sizeof msg), 16384);
            memset(got, 0xee, sizeof got);
            n = gnutls_record_recv(p.s, got, caps[c]);
            REQUIRE(n == (ssize_t)(caps[c] < 16384 ? caps[c] : 16384));
            CHECK_INT(gnutls_record_check_pending(p.s), 16384 - (size_t)n);
            recvd = (size_t)n;
            while (recvd < sizeof msg) {
                n = gnutls_record_recv(p.s, got + recvd, sizeof msg - recvd);
                REQUIRE(n > 0);
                recvd += (size_t)n;
            }
            CHECK_MEM(got, msg, sizeof msg);
            CHECK_INT(gnutls_record_check_pending(p.s), 0);
        }
        kp_close(&p);
    }
    /* TLS 1.3 padding: the content type and zeros may land in the caller's buffer or not. */
    for (size_t c = 0; c < 3; c++) {
        static const size_t pcaps[] = { 1000, 1200, 5000 };
        kpair p;

        kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_256_GCM);
        forge(&p, KEEL_CT_APPDATA, msg, 1000, 300);
        forge(&p, KEEL_CT_APPDATA, "tail", 4, 0);
        CHECK_INT(gnutls_record_recv(p.s, got, pcaps[c]), 1000);
        CHECK_MEM(got, msg, 1000);
        CHECK_INT(gnutls_record_check_pending(p.s), 0);
        CHECK_INT(gnutls_record_recv(p.s, got, pcaps[c]), 4);
        CHECK_MEM(got, "tail", 4);
        kp_close(&p);
    }
    /* A post-handshake message (a NewSessionTicket with a 1500-byte ticket) opened into a
     * buffer that holds all of it, or part of it: handled, and the buffer keeps none of it. */
    for (size_t c = 0; c < 2; c++) {
        static uint8_t nst[4 + 4 + 4 + 2 + 2 + 1500 + 2];
        size_t cap = c ? 600 : 4000, zeros = 0;
        kpair p;

        memset(nst, 0x5a, sizeof nst);
        nst[0] = 4;                                 /* NewSessionTicket */
        nst[1] = 0;
        nst[2] = (uint8_t)((sizeof nst - 4) >> 8);
        nst[3] = (uint8_t)(sizeof nst - 4);
        memcpy(nst + 4, "\0\0\x0e\x10", 4);       /* lifetime */
        nst[12] = 1;                                /* nonce length */
        nst[14] = 1500 >> 8;                        /* ticket length */
        nst[15] = 1500 & 0xff;
        nst[sizeof nst - 2] = nst[sizeof nst - 1] = 0;   /* no extensions */
        nst[13] = 9;
        kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_CHACHA20_POLY1305);
        p.s->is_server = 0;
        forge(&p, KEEL_CT_HANDSHAKE, nst, sizeof nst, 0);
        forge(&p, KEEL_CT_APPDATA, "after", 5, 0);
        memset(got, 0, sizeof got);
        CHECK_INT(gnutls_record_recv(p.s, got, cap), GNUTLS_E_AGAIN);   /* the ticket */
        CHECK_INT(gnutls_record_recv(p.s, got, cap), 5);
        CHECK_MEM(got, "after", 5);
        for (size_t i = 5; i < cap; i++)
            zeros += got[i] == 0x5a;
        CHECK_INT(zeros, 0);
        CHECK_INT(keel_bytes_len(&p.s->hs_in), 0);
        kp_close(&p);
    }
}

/* TLS 1.2 after the handshake: HelloRequest (to a client) and ClientHello (to a server)
 * surface as GNUTLS_E_REHANDSHAKE, after the data received before them. */
static void tls12_renegotiation_requests(void)
{
    char b[10];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    p.s->is_server = 0;         /* the forged records go to p.s: make it the client */
    forge(&p, KEEL_CT_APPDATA, "x", 1, 0);
    forge(&p, KEEL_CT_HANDSHAKE, "\x00\x00\x00\x00", 4, 0);
    forge(&p, KEEL_CT_APPDATA, "y", 1, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 1);
    CHECK_INT(b[0], 'x');
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_REHANDSHAKE);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 1);        /* ignoring it is allowed */
    CHECK_INT(b[0], 'y');
    /* a HelloRequest has an empty body */
    forge(&p, KEEL_CT_HANDSHAKE, "\x00\x00\x00\x01\x00", 5, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    kp_close(&p);

    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_APPDATA, "z", 1, 0);
    forge(&p, KEEL_CT_HANDSHAKE, "\x01\x00\x00\x02\x03\x03", 6, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 1);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_REHANDSHAKE);
    /* the ClientHello stays for the gnutls_handshake() that renegotiates */
    CHECK_INT(keel_bytes_len(&p.s->hs_in), 6);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_REHANDSHAKE);
    /* a server never receives a HelloRequest */
    kp_close(&p);
    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    forge(&p, KEEL_CT_HANDSHAKE, "\x00\x00\x00\x00", 4, 0);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);
}

/* Design section 1: application data that overtakes a renegotiation is never lost. */
static void data_during_renegotiation(void)
{
    char b[10];
    uint8_t type;
    keel_cur msg, body;
    kpair p;

    kp_open(&p, GNUTLS_TLS1_2, KEEL_AEAD_AES_128_GCM);
    p.s->handshake_in_progress = 1;     /* established, renegotiating */
    forge(&p, KEEL_CT_APPDATA, "early", 5, 0);
    forge(&p, KEEL_CT_HANDSHAKE, "\x14\x00\x00\x01\x07", 5, 0);
    CHECK_INT(keel_hs_next(p.s, &type, &msg, &body), GNUTLS_E_GOT_APPLICATION_DATA);
    CHECK_INT(gnutls_error_is_fatal(GNUTLS_E_GOT_APPLICATION_DATA), 0);
    CHECK_INT(gnutls_record_check_pending(p.s), 5);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 5);
    CHECK_MEM(b, "early", 5);
    CHECK_INT(keel_hs_next(p.s, &type, &msg, &body), 0);
    CHECK_INT(type, 20);
    keel_hs_consume(p.s);
    kp_close(&p);
}

/* Records read directly with keel_rec_read on a session without keys (epoch 0). */
static void plaintext_records(void)
{
    gnutls_session_t s;
    memt_link *l;
    uint8_t type = 0;
    uint8_t raw[KEEL_RECORD_HEADER + KEEL_MAX_PLAINTEXT + 1];

#define FRESH() do { REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0); l = memt_new(); \
        memt_attach(l, NULL, s); } while (0)
#define DONE() do { gnutls_deinit(s); memt_free(l); } while (0)
#define FEED(hex) do { size_t n_ = t_unhex(hex, raw, sizeof raw); memt_inject(l, MEMT_SERVER, raw, n_); } while (0)

    /* A ClientHello record may say 3.1; its bytes land in hs_in. */
    FRESH();
    FEED("1603010004 01000000");
    CHECK_INT(keel_rec_read(s, &type), 0);
    CHECK_INT(type, KEEL_CT_HANDSHAKE);
    CHECK_INT(keel_bytes_len(&s->hs_in), 4);
    DONE();

    /* application data needs protection */
    FRESH();
    FEED("1703030002 6869");
    CHECK_INT(keel_rec_read(s, &type), GNUTLS_E_UNEXPECTED_PACKET);
    DONE();

    /* zero-length handshake / alert */
    FRESH();
    FEED("1603030000");
    CHECK_INT(keel_rec_read(s, &type), GNUTLS_E_UNEXPECTED_PACKET);
    DONE();
    FRESH();
    FEED("1503030000");
    CHECK_INT(keel_rec_read(s, &type), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    DONE();

    /* plaintext longer than 2^14 */
    FRESH();
    raw[0] = KEEL_CT_HANDSHAKE; raw[1] = 3; raw[2] = 3; raw[3] = 0x40; raw[4] = 0x01;
    memset(raw + 5, 0, KEEL_MAX_PLAINTEXT + 1);
    memt_inject(l, MEMT_SERVER, raw, sizeof raw);
    CHECK_INT(keel_rec_read(s, &type), GNUTLS_E_RECORD_OVERFLOW);
    DONE();

    /* exactly 2^14 is fine */
    FRESH();
    raw[3] = 0x40; raw[4] = 0x00;
    memt_inject(l, MEMT_SERVER, raw, sizeof raw - 1);
    CHECK_INT(keel_rec_read(s, &type), 0);
    CHECK_INT(keel_bytes_len(&s->hs_in), KEEL_MAX_PLAINTEXT);
    DONE();

    /* an alert at epoch 0 */
    FRESH();
    FEED("1503030002 0228");
    CHECK_INT(keel_rec_read(s, &type), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(s), GNUTLS_A_HANDSHAKE_FAILURE);
    DONE();
#undef FRESH
#undef DONE
#undef FEED
}

/* RFC 8446 5: during a TLS 1.3 handshake, unprotected CCS records of value 1 are dropped
 * (up to a bound that stops a peer from keeping us reading them forever). */
static void middlebox_ccs(void)
{
    kpair p;
    uint8_t type;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    p.s->established = 0;
    inject(&p, MEMT_SERVER, "1403030001 01");
    forge(&p, KEEL_CT_HANDSHAKE, "\x14\x00\x00\x00", 4, 0);
    CHECK_INT(keel_rec_read(p.s, &type), 0);
    CHECK_INT(type, KEEL_CT_HANDSHAKE);
    /* a second one is dropped too */
    inject(&p, MEMT_SERVER, "1403030001 01");
    forge(&p, KEEL_CT_HANDSHAKE, "\x14\x00\x00\x00", 4, 0);
    CHECK_INT(keel_rec_read(p.s, &type), 0);
    CHECK_INT(type, KEEL_CT_HANDSHAKE);
    /* an endless stream of them is not */
    for (int i = 0; i < 40; i++)
        inject(&p, MEMT_SERVER, "1403030001 01");
    CHECK_INT(keel_rec_read(p.s, &type), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);
    /* nor one after the handshake */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    inject(&p, MEMT_SERVER, "1403030001 01");
    CHECK_INT(keel_rec_read(p.s, &type), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);

    /* nor one with another value or length */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    p.s->established = 0;
    inject(&p, MEMT_SERVER, "1403030001 02");
    CHECK_INT(keel_rec_read(p.s, &type), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    p.s->established = 0;
    inject(&p, MEMT_SERVER, "1403030002 0101");
    CHECK_INT(keel_rec_read(p.s, &type), GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);

    /* a plaintext alert from a peer that failed before it had keys */
    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    p.s->established = 0;
    inject(&p, MEMT_SERVER, "1503030002 022f");
    CHECK_INT(keel_rec_read(p.s, &type), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_INT(gnutls_alert_get(p.s), GNUTLS_A_ILLEGAL_PARAMETER);
    kp_close(&p);
}

/* RFC 8446 5.1: no handshake message may straddle a key change. */
static void key_change_boundary(void)
{
    kpair p;
    uint8_t type;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    p.s->established = 0;
    forge(&p, KEEL_CT_HANDSHAKE, "\x14\x00\x00\x04\x01", 5, 0);
    CHECK_INT(keel_rec_read(p.s, &type), 0);
    CHECK_INT(keel_rec_set_keys(p.s, 0, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM, key_s2c, iv_s2c, 12),
              GNUTLS_E_UNEXPECTED_PACKET);
    kp_close(&p);
}

/* TLS 1.2: the ChangeCipherSpec read by the handshake between whole messages. */
static void tls12_ccs(void)
{
    gnutls_session_t s;
    memt_link *l = memt_new();
    uint8_t type;
    keel_cur msg, body;

    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    memt_attach(l, NULL, s);
    s->version = GNUTLS_TLS1_2;
    memt_inject(l, MEMT_SERVER, "\x14\x03\x03\x00\x01\x01", 6);
    CHECK_INT(keel_hs_read_ccs(s), 0);
    CHECK_INT(keel_hs_read_ccs(s), GNUTLS_E_AGAIN);
    /* a handshake message where the CCS should be */
    memt_inject(l, MEMT_SERVER, "\x16\x03\x03\x00\x04\x14\x00\x00\x00", 9);
    CHECK_INT(keel_hs_read_ccs(s), GNUTLS_E_UNEXPECTED_PACKET);
    gnutls_deinit(s);

    /* a CCS where a handshake message should be */
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    memt_attach(l, NULL, s);
    s->version = GNUTLS_TLS1_2;
    memt_inject(l, MEMT_SERVER, "\x14\x03\x03\x00\x01\x01", 6);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), GNUTLS_E_UNEXPECTED_PACKET);
    gnutls_deinit(s);

    /* a CCS in the middle of a handshake message */
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    memt_attach(l, NULL, s);
    s->version = GNUTLS_TLS1_2;
    memt_inject(l, MEMT_SERVER, "\x16\x03\x03\x00\x02\x14\x00", 7);
    memt_inject(l, MEMT_SERVER, "\x14\x03\x03\x00\x01\x01", 6);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), GNUTLS_E_UNEXPECTED_PACKET);
    CHECK_INT(keel_hs_read_ccs(s), GNUTLS_E_UNEXPECTED_PACKET);
    gnutls_deinit(s);
    memt_free(l);
}

/* Messages coalesced in one record and one split over three, with the PRE hook fired once
 * per message however often keel_hs_next is asked. */
static void reassembly(void)
{
    gnutls_session_t s;
    memt_link *l = memt_new();
    uint8_t type;
    keel_cur msg, body;

    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    memt_attach(l, NULL, s);
    n_pre = 0;
    gnutls_handshake_set_hook_function(s, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_PRE, count_pre);
    /* two messages (types 1 and 2) in one record, then a third in three records */
    memt_inject(l, MEMT_SERVER, "\x16\x03\x01\x00\x0b\x01\x00\x00\x02\xaa\xbb\x02\x00\x00\x01\xcc", 16);
    memt_inject(l, MEMT_SERVER, "\x16\x03\x03\x00\x02\x0b\x00", 7);
    memt_inject(l, MEMT_SERVER, "\x16\x03\x03\x00\x03\x00\x03\x01", 8);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), 0);
    CHECK_INT(type, 1);
    CHECK_INT(msg.len, 6);
    CHECK_INT(body.len, 2);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), 0);     /* same message again */
    CHECK_INT(n_pre, 1);
    keel_hs_consume(s);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), 0);
    CHECK_INT(type, 2);
    CHECK_INT(body.len, 1);
    keel_hs_consume(s);
    CHECK_INT(gnutls_handshake_get_last_in(s), 2);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), GNUTLS_E_AGAIN);
    memt_inject(l, MEMT_SERVER, "\x16\x03\x03\x00\x02\x02\x03", 7);
    CHECK_INT(keel_hs_next(s, &type, &msg, &body), 0);
    CHECK_INT(type, 11);
    CHECK_INT(body.len, 3);
    CHECK_MEM(body.p, "\x01\x02\x03", 3);
    keel_hs_consume(s);
    CHECK_INT(n_pre, 3);
    gnutls_deinit(s);
    memt_free(l);
}

/* ---- transport ---- */

static ssize_t fail_pull(gnutls_transport_ptr_t ptr, void *b, size_t n) { errno = ECONNRESET; return -1; }
static ssize_t eintr_pull(gnutls_transport_ptr_t ptr, void *b, size_t n) { errno = EINTR; return -1; }
static int errno_says_again(gnutls_transport_ptr_t ptr) { return EAGAIN; }
static ssize_t vec_count_calls;
static ssize_t vec_push(gnutls_transport_ptr_t ptr, const giovec_t *iov, int n)
{
    ssize_t total = 0;
    vec_count_calls++;
    for (int i = 0; i < n; i++)
        total += (ssize_t)iov[i].iov_len;
    return total;
}

static void transport_errors(void)
{
    char b[10];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    gnutls_transport_set_pull_function(p.s, fail_pull);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_PULL_ERROR);
    kp_close(&p);

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    gnutls_transport_set_pull_function(p.s, eintr_pull);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_INTERRUPTED);
    /* the errno function overrides errno */
    gnutls_transport_set_errno_function(p.s, errno_says_again);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_AGAIN);
    kp_close(&p);

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    memt_set_broken(p.l, MEMT_CLIENT, 1);
    CHECK_INT(gnutls_record_send(p.c, "x", 1), GNUTLS_E_PUSH_ERROR);
    CHECK_INT(gnutls_record_send(p.c, "x", 1), GNUTLS_E_PUSH_ERROR);   /* sticks */
    kp_close(&p);

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    gnutls_transport_set_vec_push_function(p.c, vec_push);
    CHECK_INT(gnutls_record_send(p.c, "vec", 3), 3);
    CHECK_INT(vec_count_calls, 1);
    kp_close(&p);
}

/* The default transport: send()/recv() on a socket descriptor. */
static void socket_transport(void)
{
    int sv[2], r2 = 0, s2 = 0;
    gnutls_session_t c, s;
    char b[10];

    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    REQUIRE(gnutls_init(&c, GNUTLS_CLIENT) == 0);
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER | GNUTLS_NONBLOCK) == 0);
    gnutls_transport_set_int(c, sv[0]);
    gnutls_transport_set_int2(s, sv[1], sv[1]);
    CHECK_INT(gnutls_transport_get_int(c), sv[0]);
    gnutls_transport_get_int2(s, &r2, &s2);
    CHECK_INT(r2, sv[1]);
    CHECK_INT(s2, sv[1]);
    fcntl(sv[1], F_SETFL, O_NONBLOCK);
    REQUIRE(keel_rec_set_keys(c, 1, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM, key_c2s, iv_c2s, 12) == 0);
    REQUIRE(keel_rec_set_keys(s, 0, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM, key_c2s, iv_c2s, 12) == 0);
    c->established = s->established = 1;
    c->version = s->version = GNUTLS_TLS1_3;
    CHECK_INT(gnutls_record_recv(s, b, sizeof b), GNUTLS_E_AGAIN);
    CHECK_INT(gnutls_record_send(c, "sock", 4), 4);
    CHECK_INT(gnutls_record_recv(s, b, sizeof b), 4);
    CHECK_MEM(b, "sock", 4);
    close(sv[0]);
    CHECK_INT(gnutls_record_recv(s, b, sizeof b), GNUTLS_E_PREMATURE_TERMINATION);
    gnutls_deinit(c);
    gnutls_deinit(s);
    close(sv[1]);
}

static void transport_pointers(void)
{
    gnutls_session_t s;
    gnutls_transport_ptr_t r, w;
    int x, y;

    REQUIRE(gnutls_init(&s, GNUTLS_CLIENT) == 0);
    CHECK_INT(gnutls_transport_get_int(s), -1);
    gnutls_transport_set_ptr2(s, &x, &y);
    gnutls_transport_get_ptr2(s, &r, &w);
    CHECK(r == &x && w == &y);
    CHECK(gnutls_transport_get_ptr(s) == &x);
    gnutls_transport_set_ptr(s, &y);
    gnutls_transport_get_ptr2(s, &r, &w);
    CHECK(r == &y && w == &y);
    gnutls_deinit(s);
}

/* Idle sessions hold no record buffers once the transport runs dry; large buffers go as soon
 * as a call has drained them, while one still holding bytes stays. */
static void idle_buffers_released(void)
{
    static char big[10000], got[10000];
    char b[10];
    kpair p;

    kp_open(&p, GNUTLS_TLS1_3, KEEL_AEAD_AES_128_GCM);
    CHECK_INT(gnutls_record_send(p.c, big, sizeof big), 10000);
    CHECK(p.c->out.buf == NULL);
    CHECK_INT(gnutls_record_recv(p.s, got, sizeof got), 10000);
    CHECK(p.s->in.buf == NULL);
    CHECK_INT(gnutls_record_send(p.c, "hi", 2), 2);
    CHECK_INT(gnutls_record_send(p.c, big, 1000), 1000);
    CHECK_INT(gnutls_record_recv(p.s, b, 2), 2);
    /* The second record arrived with the first and waits in the buffer. */
    CHECK(p.s->in.buf != NULL);
    CHECK_INT(gnutls_record_recv(p.s, got, sizeof got), 1000);
    CHECK(p.s->in.buf == NULL);
    CHECK_INT(gnutls_record_send(p.c, "hi", 2), 2);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), 2);
    CHECK_INT(gnutls_record_recv(p.s, b, sizeof b), GNUTLS_E_AGAIN);
    CHECK(p.s->in.buf == NULL);
    CHECK(p.s->out.buf == NULL);
    kp_close(&p);
}

static void not_before_handshake(void)
{
    gnutls_session_t s;
    char b[4];

    REQUIRE(gnutls_init(&s, GNUTLS_CLIENT) == 0);
    CHECK_INT(gnutls_record_send(s, "x", 1), GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
    CHECK_INT(gnutls_record_recv(s, b, sizeof b), GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE);
    CHECK_INT(gnutls_handshake(s), GNUTLS_E_NO_PRIORITIES_WERE_SET);
    gnutls_deinit(s);
}

int main(void)
{
    RUN(send_recv_every_mode);
    RUN(fragmentation);
    RUN(small_reads_and_pending);
    RUN(one_byte_reads);
    RUN(again_resumption);
    RUN(interrupted_resumption);
    RUN(cork_uncork);
    RUN(bye_both_ways);
    RUN(eof_without_close_notify);
    RUN(alerts_received);
    RUN(bad_records);
    RUN(empty_and_padded_appdata);
    RUN(post_handshake_message);
    RUN(direct_open);
    RUN(tls12_renegotiation_requests);
    RUN(data_during_renegotiation);
    RUN(plaintext_records);
    RUN(middlebox_ccs);
    RUN(key_change_boundary);
    RUN(tls12_ccs);
    RUN(reassembly);
    RUN(transport_errors);
    RUN(socket_transport);
    RUN(transport_pointers);
    RUN(idle_buffers_released);
    RUN(not_before_handshake);
    return t_done();
}
