/* The record layer: keys per direction, fragmentation and protection of outgoing data,
 * reading, validating and dispatching incoming records (RFC 8446 5, RFC 5246 6). */
#include "record/record.h"
#include "priority/algs.h"

/* Middlebox ChangeCipherSpec records a TLS 1.3 handshake drops before it gives up. */
#define KEEL_MAX_TLS13_CCS 32

int keel_rec_set_keys(gnutls_session_t s, int write, gnutls_protocol_t version,
                      keel_aead_id aead, const uint8_t *key, const uint8_t *iv, size_t iv_len)
{
    keel_dir_state *d = write ? &s->write : &s->read;

    CHECK(iv_len == KEEL_AEAD_NONCE_LEN || iv_len == 4, GNUTLS_E_INTERNAL_ERROR);
    if (write) {
        /* Handshake bytes built so far belong to the old epoch. */
        TRY(keel_rec_queue(s, KEEL_CT_HANDSHAKE, NULL, 0));
    } else {
        /* RFC 8446 5.1: "Handshake messages MUST NOT span key changes ... If this happens
         * the receiver MUST terminate the connection with an unexpected_message alert."
         * The message being processed (keel_hs_next) is not leftover. */
        CHECK(keel_bytes_len(&s->hs_in) == s->hs_msg_len, GNUTLS_E_UNEXPECTED_PACKET);
    }
    if (d->aead != NULL && d->aead_id != aead) {
        keel_aead_free(d->aead);
        d->aead = NULL;
    }
    if (d->aead == NULL)
        TRY(keel_aead_new(aead, write, &d->aead));
    if (keel_aead_set_key(d->aead, key) < 0) {
        keel_aead_free(d->aead);
        d->aead = NULL;
        return GNUTLS_E_INTERNAL_ERROR;
    }
    d->aead_id = aead;
    memset(d->iv, 0, sizeof d->iv);
    memcpy(d->iv, iv, iv_len);
    d->seq = 0;
    d->records_since_key = 0;
    d->version = version;
    return 0;
}

/* legacy_record_version of our unprotected records: RFC 8446 5.1 allows 0x0301 for an
 * initial ClientHello, which is what GnuTLS sends; everything else says 0x0303. */
static uint16_t plain_version(gnutls_session_t s)
{
    if (s->is_server || s->peer_record_seen)
        return KEEL_TLS12_WIRE;
    if (s->prio != NULL && s->prio->ssl3_record_version)
        return 0x0300;
    if (s->prio != NULL && s->prio->latest_record_version)
        return KEEL_TLS12_WIRE;
    return 0x0301;
}

static void out_drop(gnutls_session_t s);

/* An empty s->out too small for need bytes (or without a buffer) takes the thread's spare
 * of the right size, if any, and gives back its own. */
static void out_from_spare(gnutls_session_t s, size_t need)
{
    int kind = need > KEEL_KEEP_MAX ? KEEL_SPARE_OUT : KEEL_SPARE_OUT_SMALL;
    size_t cap;
    uint8_t *p;

    if (s->out.cap >= need || s->out.start != s->out.end)
        return;
    p = keel_spare_take(kind, need, SIZE_MAX, &cap);
    if (p != NULL) {
        out_drop(s);
        s->out.buf = p;
        s->out.cap = cap;
        s->out.start = s->out.end = 0;
    }
}

/* Below this a copy and one in-place AEAD call cost less than sealing from the source
 * (which takes a second call for the TLS 1.3 content type). */
#define KEEL_SEAL_FROM_MIN 256u

static int queue_records(gnutls_session_t s, uint8_t type, const uint8_t *data, size_t len)
{
    keel_dir_state *d = &s->write;
    size_t max = s->max_record_send ? s->max_record_send : KEEL_MAX_PLAINTEXT;
    size_t prefix = keel_rec_prefix_len(d), over = keel_rec_overhead(d);

    /* Nothing follows our close_notify or fatal alert (RFC 8446 6.1, 6.2), whatever a state
     * machine or a hook that failed on an already consumed message goes on to build. */
    if (s->write_closed)
        return s->fatal ? s->fatal : GNUTLS_E_INVALID_SESSION;
    if (max > KEEL_MAX_PLAINTEXT)
        max = KEEL_MAX_PLAINTEXT;
    /* RFC 8446 5.1: only application data may be sent in zero-length fragments. */
    if (len == 0 && type != KEEL_CT_APPDATA)
        return 0;
    do {
        size_t frag = len < max ? len : max, rec_len;
        uint8_t *rec;

        out_from_spare(s, KEEL_RECORD_HEADER + over + frag);
        TRY(keel_bytes_reserve(&s->out, KEEL_RECORD_HEADER + over + frag));
        rec = s->out.buf + s->out.end;
        if (d->aead != NULL && frag >= KEEL_SEAL_FROM_MIN) {
            /* Sealed from the caller's bytes into the record: no copy. */
            TRY(keel_rec_seal_from(d, type, rec, data, frag, 0, &rec_len));
        } else if (d->aead != NULL) {
            int ret;

            memcpy(rec + KEEL_RECORD_HEADER + prefix, data, frag);
            ret = keel_rec_seal_from(d, type, rec, NULL, frag, 0, &rec_len);
            if (ret < 0) {
                /* The output buffer holds only protected bytes. */
                keel_wipe(rec + KEEL_RECORD_HEADER + prefix, frag);
                return ret;
            }
        } else {
            uint16_t v = plain_version(s);

            if (frag)
                memcpy(rec + KEEL_RECORD_HEADER + prefix, data, frag);
            rec[0] = type;
            rec[1] = (uint8_t)(v >> 8);
            rec[2] = (uint8_t)v;
            rec[3] = (uint8_t)(frag >> 8);
            rec[4] = (uint8_t)frag;
            rec_len = KEEL_RECORD_HEADER + frag;
        }
        s->out.end += rec_len;
        data += frag;
        len -= frag;
    } while (len > 0);
    return 0;
}

int keel_rec_queue(gnutls_session_t s, uint8_t content_type, const uint8_t *data, size_t len)
{
    /* Queued handshake messages go first, coalesced into as few records as possible. */
    if (s->hs_out.len > 0) {
        TRY(keel_b_finish(&s->hs_out));
        TRY(queue_records(s, KEEL_CT_HANDSHAKE, s->hs_out.buf, s->hs_out.len));
        keel_b_reset(&s->hs_out);
        s->hs_out_start = 0;
    }
    if (data == NULL && len == 0)
        return 0;
    return queue_records(s, content_type, data, len);
}

int keel_rec_flush(gnutls_session_t s)
{
    TRY(keel_rec_queue(s, KEEL_CT_HANDSHAKE, NULL, 0));
    return keel_io_flush(s);
}

int keel_send_alert(gnutls_session_t s, int level, int desc)
{
    uint8_t alert[2] = { (uint8_t)level, (uint8_t)desc };

    /* A call after GNUTLS_E_AGAIN for the same alert only pushes what is queued. */
    if (s->alert_pending && s->alert_pending != desc + 1) {
        TRY(keel_rec_flush(s));
        s->alert_pending = 0;
    }
    if (!s->alert_pending) {
        TRY(keel_rec_queue(s, KEEL_CT_ALERT, alert, sizeof alert));
        s->alert_pending = desc + 1;
        if (desc == GNUTLS_A_CLOSE_NOTIFY)
            s->write_closed = 1;
    }
    TRY(keel_rec_flush(s));
    s->alert_pending = 0;
    return 0;
}

static int tls13_rules(gnutls_session_t s)
{
    return s->version == GNUTLS_TLS1_3 || (s->read.aead != NULL && s->read.version == GNUTLS_TLS1_3);
}

/* An alert record: exactly one two-byte message (RFC 8446 5.1, 6). */
static int process_alert(gnutls_session_t s, keel_cur body)
{
    uint8_t level, desc;

    CHECK(cur_u8(&body, &level) && cur_u8(&body, &desc) && cur_empty(&body),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    s->last_alert = (gnutls_alert_description_t)desc;
    s->last_alert_level = level;
    keel_log(3, "session %p: received alert %d, level %d\n", (void *)s, desc, level);
    if (desc == GNUTLS_A_CLOSE_NOTIFY && level != GNUTLS_AL_FATAL) {
        s->read_closed = 1;
        return 0;
    }
    /* RFC 8446 6: in TLS 1.3 every alert but close_notify ends the connection, whatever
     * its level (GnuTLS treats user_canceled the same way). */
    if (level == GNUTLS_AL_WARNING && !tls13_rules(s))
        return GNUTLS_E_WARNING_ALERT_RECEIVED;
    return GNUTLS_E_FATAL_ALERT_RECEIVED;
}

int keel_rec_read_into(gnutls_session_t s, uint8_t *type, keel_cur *plain, uint8_t *dst,
                       size_t dst_cap, size_t *direct)
{
    for (;;) {
        keel_cur hdr;
        uint8_t ct, vmajor, vminor, *rec, *p;
        uint16_t len;
        size_t n, max_body;
        int protected_rec;

        *direct = 0;
        if (s->read_closed) {
            *type = KEEL_CT_ALERT;
            *plain = cur_init(NULL, 0);
            return 0;
        }
        TRY(keel_io_fill(s, KEEL_RECORD_HEADER));
        hdr = cur_init(s->in.buf + s->in.start, KEEL_RECORD_HEADER);
        if (!cur_u8(&hdr, &ct) || !cur_u8(&hdr, &vmajor) || !cur_u8(&hdr, &vminor) ||
            !cur_u16(&hdr, &len))
            return GNUTLS_E_INTERNAL_ERROR;
        if (ct < KEEL_CT_CCS || ct > KEEL_CT_APPDATA)
            return GNUTLS_E_UNEXPECTED_PACKET;
        /* RFC 8446 5.1: legacy_record_version is ignored in TLS 1.3, but it is still a
         * TLS 1.x record; a negotiated TLS 1.2 connection uses exactly 3.3. */
        if (vmajor != 3)
            return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
        if (s->version == GNUTLS_TLS1_2 && vminor != 3)
            return GNUTLS_E_UNSUPPORTED_VERSION_PACKET;

        protected_rec = s->read.aead != NULL;
        if (protected_rec && s->read.version == GNUTLS_TLS1_3 && ct != KEEL_CT_APPDATA) {
            /* Unprotected records allowed next to TLS 1.3 protection: the middlebox CCS
             * and, before the handshake completes, a plaintext alert from a peer that
             * failed before it had keys. */
            if (ct == KEEL_CT_CCS || (ct == KEEL_CT_ALERT && !s->established && len == 2))
                protected_rec = 0;
            else
                return GNUTLS_E_UNEXPECTED_PACKET;
        }
        if (!protected_rec)
            max_body = KEEL_MAX_PLAINTEXT;
        else if (s->read.version == GNUTLS_TLS1_3)
            max_body = KEEL_MAX_CIPHERTEXT13;
        else
            max_body = KEEL_MAX_CIPHERTEXT12;
        CHECK(len <= max_body, GNUTLS_E_RECORD_OVERFLOW);

        TRY(keel_io_fill(s, KEEL_RECORD_HEADER + len));
        rec = s->in.buf + s->in.start;
        /* The record leaves the queue now; its bytes stay in place until the next fill. */
        keel_bytes_consume(&s->in, KEEL_RECORD_HEADER + len);
        s->peer_record_seen = 1;

        if (protected_rec) {
            TRY(keel_rec_open_to(&s->read, rec, KEEL_RECORD_HEADER + len, dst, dst_cap, &ct,
                                 &p, &n, direct));
            if (n > 0) {
                size_t lo = (size_t)(p - s->in.buf), hi = lo + n;
                if (s->in_plain_hi == 0 || lo < s->in_plain_lo)
                    s->in_plain_lo = lo;
                if (hi > s->in_plain_hi)
                    s->in_plain_hi = hi;
            }
            /* RFC 8446 5: change_cipher_spec is never protected in TLS 1.3. */
            if (s->read.version == GNUTLS_TLS1_3 && ct == KEEL_CT_CCS)
                return GNUTLS_E_UNEXPECTED_PACKET;
        } else {
            p = rec + KEEL_RECORD_HEADER;
            n = len;
        }
        if (*direct + n > s->max_record_recv && s->max_record_recv != 0) {
            keel_wipe(dst, *direct);
            return GNUTLS_E_RECORD_OVERFLOW;
        }
        *plain = cur_init(p, n);

        switch (ct) {
        case KEEL_CT_CCS: {
            uint8_t v;
            keel_cur c = *plain;
            if (!cur_u8(&c, &v) || v != 1 || !cur_empty(&c))
                return GNUTLS_E_UNEXPECTED_PACKET;
            if (tls13_rules(s)) {
                /* RFC 8446 5: a change_cipher_spec of value 0x01 received before the peer's
                 * Finished "MUST simply" be dropped, however many come; a bound keeps a
                 * peer from holding us in this loop forever. */
                if (s->established || s->ccs_seen_tls13 >= KEEL_MAX_TLS13_CCS)
                    return GNUTLS_E_UNEXPECTED_PACKET;
                s->ccs_seen_tls13++;
                continue;
            }
            *type = KEEL_CT_CCS;
            return 0;
        }
        case KEEL_CT_ALERT:
            *type = KEEL_CT_ALERT;
            return process_alert(s, *plain);
        case KEEL_CT_HANDSHAKE:
            /* RFC 8446 5.1: "Implementations MUST NOT send zero-length fragments of
             * Handshake types" - so receiving one is a protocol violation. */
            CHECK(n > 0, GNUTLS_E_UNEXPECTED_PACKET);
            TRY(keel_bytes_append(&s->hs_in, p, n));
            *type = KEEL_CT_HANDSHAKE;
            return 0;
        case KEEL_CT_APPDATA:
            /* Application data is only ever protected. */
            CHECK(s->read.aead != NULL, GNUTLS_E_UNEXPECTED_PACKET);
            *type = KEEL_CT_APPDATA;
            return 0;
        default:
            return GNUTLS_E_UNEXPECTED_PACKET;
        }
    }
}

int keel_rec_read_raw(gnutls_session_t s, uint8_t *type, keel_cur *plain)
{
    size_t direct;

    return keel_rec_read_into(s, type, plain, NULL, 0, &direct);
}

int keel_rec_read(gnutls_session_t s, uint8_t *type)
{
    keel_cur plain;

    TRY(keel_rec_read_raw(s, type, &plain));
    if (*type == KEEL_CT_APPDATA)
        TRY(keel_bytes_append(&s->appdata, plain.p, plain.len));
    return 0;
}

void keel_rec_in_drop(gnutls_session_t s)
{
    keel_bytes *in = &s->in;

    if (in->buf == NULL)
        return;
    /* Opened plaintext is wiped; headers and ciphertext are not secret. */
    if (s->in_plain_hi > s->in_plain_lo)
        keel_wipe(in->buf + s->in_plain_lo, s->in_plain_hi - s->in_plain_lo);
    s->in_plain_lo = s->in_plain_hi = 0;
    if (!keel_spare_give(in->cap > KEEL_KEEP_MAX ? KEEL_SPARE_IN : KEEL_SPARE_IN_SMALL,
                         in->buf, in->cap))
        keel_free(in->buf);
    in->buf = NULL;
    in->start = in->end = in->cap = 0;
}

/* The output buffer holds only protected (or public plaintext handshake) bytes. */
static void out_drop(gnutls_session_t s)
{
    keel_bytes *out = &s->out;

    if (out->buf == NULL)
        return;
    if (!keel_spare_give(out->cap > KEEL_KEEP_MAX ? KEEL_SPARE_OUT : KEEL_SPARE_OUT_SMALL,
                         out->buf, out->cap))
        keel_free(out->buf);
    out->buf = NULL;
    out->start = out->end = out->cap = 0;
}

void keel_rec_release_drained(gnutls_session_t s)
{
    if (s->in.buf != NULL && s->in.start == s->in.end && s->in.cap > KEEL_KEEP_MAX)
        keel_rec_in_drop(s);
    if (s->out.buf != NULL && s->out.start == s->out.end && s->out.cap > KEEL_KEEP_MAX
        && !s->alert_pending)
        out_drop(s);
}

void keel_rec_release_idle(gnutls_session_t s)
{
    if (keel_bytes_len(&s->in) == 0)
        keel_rec_in_drop(s);
    if (keel_bytes_len(&s->out) == 0 && !s->alert_pending)
        out_drop(s);
    if (keel_bytes_len(&s->appdata) == 0)
        keel_bytes_free(&s->appdata);
    if (keel_bytes_len(&s->hs_in) == 0 && s->hs == NULL)
        keel_bytes_free(&s->hs_in);
    if (s->hs_out.len == 0 && s->hs == NULL)
        keel_b_free(&s->hs_out);
}

void keel_rec_deinit(gnutls_session_t s)
{
    keel_aead_free(s->read.aead);
    keel_aead_free(s->write.aead);
    s->read.aead = s->write.aead = NULL;
    keel_wipe(s->read.iv, sizeof s->read.iv);
    keel_wipe(s->write.iv, sizeof s->write.iv);
    keel_rec_in_drop(s);
    out_drop(s);
    keel_bytes_free(&s->appdata);
    keel_bytes_free(&s->hs_in);
    keel_b_free(&s->hs_out);
    keel_b_free(&s->cork_buf);
}
