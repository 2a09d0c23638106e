/* ClientHello and ServerHello: the structural parsers (shared by every version), the
 * ClientHello a Keel client sends, and the TLS 1.3 ServerHello / HelloRetryRequest a Keel
 * server sends. Version-specific decisions stay in the per-version state machines. */
#include "handshake/handshake.h"
#include "ext/ext.h"

/* RFC 8446 4.1.3: SHA-256("HelloRetryRequest") */
const uint8_t keel_hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* RFC 8446 4.1.3: the last eight bytes of a ServerHello.random from a TLS 1.3-capable server
 * negotiating TLS 1.2 ("DOWNGRD" 01) or TLS 1.1 and below ("DOWNGRD" 00). */
static const uint8_t downgrade_tls12[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01 };
static const uint8_t downgrade_tls11[8] = { 0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00 };

int keel_downgrade_sentinel_present(const uint8_t random[32])
{
    return memcmp(random + 24, downgrade_tls12, 8) == 0 ||
           memcmp(random + 24, downgrade_tls11, 8) == 0;
}

const struct gnutls_priority_st *keel_hs_prio(gnutls_session_t s)
{
    return s->prio != NULL ? s->prio : keel_priority_default();
}

int keel_prio_has_group(gnutls_session_t s, uint16_t id)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);

    for (unsigned i = 0; i < p->n_groups; i++)
        if (p->groups[i]->id == id)
            return 1;
    return 0;
}

int keel_prio_has_sig(gnutls_session_t s, uint16_t id)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);

    for (unsigned i = 0; i < p->n_sigs; i++)
        if (p->sigs[i]->id == id)
            return 1;
    return 0;
}

/* Whether a suite is one this side offers (client) or accepts (server) for the enabled
 * versions. */
static int suite_usable(const struct gnutls_priority_st *p, const keel_suite *su)
{
    if (su->min_version == GNUTLS_TLS1_3)
        return keel_priority_has_version(p, GNUTLS_TLS1_3);
    return su->min_version <= GNUTLS_TLS1_2 && su->max_version >= GNUTLS_TLS1_2 &&
           keel_priority_has_version(p, GNUTLS_TLS1_2);
}

const keel_suite *keel_hs_suite_offered(gnutls_session_t s, uint16_t id)
{
    const struct gnutls_priority_st *p = keel_hs_prio(s);

    for (unsigned i = 0; i < p->n_suites; i++)
        if (p->suites[i]->id == id && suite_usable(p, p->suites[i]))
            return p->suites[i];
    return NULL;
}

/* struct {
 *     ProtocolVersion legacy_version = 0x0303;
 *     Random random;
 *     opaque legacy_session_id<0..32>;
 *     CipherSuite cipher_suites<2..2^16-2>;
 *     opaque legacy_compression_methods<1..2^8-1>;
 *     Extension extensions<8..2^16-1>;
 * } ClientHello;                          (RFC 8446 4.1.2; extensions optional before 1.3) */
int keel_parse_client_hello(keel_cur body, keel_hello *h)
{
    memset(h, 0, sizeof *h);
    CHECK(cur_u16(&body, &h->legacy_version) && cur_bytes(&body, 32, &h->random) &&
          cur_u8_prefixed(&body, &h->session_id) && cur_u16_prefixed(&body, &h->suites) &&
          cur_u8_prefixed(&body, &h->compression), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&h->session_id) <= 32, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&h->suites) >= 2 && cur_left(&h->suites) % 2 == 0,
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&h->compression) >= 1, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    if (!cur_empty(&body)) {
        CHECK(cur_u16_prefixed(&body, &h->exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        h->has_exts = 1;
    }
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    return 0;
}

/* struct {
 *     ProtocolVersion legacy_version = 0x0303;
 *     Random random;
 *     opaque legacy_session_id_echo<0..32>;
 *     CipherSuite cipher_suite;
 *     uint8 legacy_compression_method = 0;
 *     Extension extensions<6..2^16-1>;
 * } ServerHello;                          (RFC 8446 4.1.3; extensions optional before 1.3) */
int keel_parse_server_hello(keel_cur body, keel_hello *h)
{
    memset(h, 0, sizeof *h);
    CHECK(cur_u16(&body, &h->legacy_version) && cur_bytes(&body, 32, &h->random) &&
          cur_u8_prefixed(&body, &h->session_id) && cur_u16(&body, &h->suite) &&
          cur_u8(&body, &h->compression_method), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(cur_left(&h->session_id) <= 32, GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    if (!cur_empty(&body)) {
        CHECK(cur_u16_prefixed(&body, &h->exts), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        h->has_exts = 1;
    }
    CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    return 0;
}

/* The first ClientHello fixes the random, the legacy_session_id and the key share; the
 * second one (after a HelloRetryRequest) reuses them, except for a share of the group the
 * server asked for (RFC 8446 4.1.2). */
static int client_hello_first_values(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    const struct keel_test_hs_params *t = hs->test;

    if (t != NULL && t->set_random)
        memcpy(s->client_random, t->random, 32);
    else
        TRY(keel_random(s->client_random, 32));

    /* RFC 8446 D.4: in middlebox compatibility mode the client always sends a non-empty
     * legacy_session_id. */
    hs->session_id_len = 0;
    if (t != NULL && t->set_session_id) {
        hs->session_id_len = t->session_id_len;
        memcpy(hs->session_id, t->session_id, t->session_id_len);
    } else if (keel_ext_offer_tls13(s) && p->compat_mode) {
        hs->session_id_len = 32;
        TRY(keel_random(hs->session_id, 32));
    }
    return 0;
}

static int client_key_share(gnutls_session_t s, const keel_group *g)
{
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;

    keel_kx_free(hs->kx);
    hs->kx = NULL;
    hs->kx_group = g;
    hs->kx_pub_len = sizeof hs->kx_pub;
    if (t != NULL && t->kx_priv_len && t->kx_id == g->kx)
        return keel_test_kx_from_private(g->kx, t->kx_priv, t->kx_priv_len, &hs->kx,
                                         hs->kx_pub, &hs->kx_pub_len);
    return keel_kx_generate(g->kx, &hs->kx, hs->kx_pub, &hs->kx_pub_len);
}

int keel_send_client_hello(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    keel_builder *b;
    int first = !hs->hrr;

    CHECK(p->n_versions > 0 && p->n_suites > 0, GNUTLS_E_NO_PRIORITIES_WERE_SET);
    if (first) {
        TRY(client_hello_first_values(s));
        /* A TLS 1.2 CertificateVerify would sign the messages from this one on. Whether
         * there will be one is known only at the CertificateRequest (the application may
         * add a certificate from a hook until then), so every TLS 1.2 offer keeps them;
         * TLS 1.3, a ServerHelloDone without a request, or no certificate to send ends it. */
        if (keel_priority_has_version(p, GNUTLS_TLS1_2))
            TRY(keel_hs_keep_log(s));
        /* One share, for the first group in priority order; a HelloRetryRequest handles a
         * server that wants another. */
        if (keel_ext_offer_tls13(s)) {
            CHECK(p->n_groups > 0, GNUTLS_E_NO_PRIORITIES_WERE_SET);
            TRY(client_key_share(s, p->groups[0]));
        }
    } else if (hs->hrr_group != NULL) {
        TRY(client_key_share(s, hs->hrr_group));
    }

    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CLIENT_HELLO);
    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u16(b, KEEL_TLS12_WIRE);     /* legacy_version: RFC 8446 4.1.2 */
    keel_b_bytes(b, s->client_random, 32);
    keel_b_open(b, 1);
    keel_b_bytes(b, hs->session_id, hs->session_id_len);
    keel_b_close(b);
    keel_b_open(b, 2);
    for (unsigned i = 0; i < p->n_suites; i++)
        if (suite_usable(p, p->suites[i]))
            keel_b_u16(b, p->suites[i]->id);
    keel_b_close(b);
    keel_b_u8(b, 1);                    /* legacy_compression_methods: null only */
    keel_b_u8(b, 0);
    hs->ext_sent = 0;
    TRY(keel_ext_write(s, KEEL_MSG_CH, b));
    return keel_hs_end(s, 1);
}

int keel_send_server_hello13(gnutls_session_t s, int hrr)
{
    struct keel_hs *hs = s->hs;
    keel_builder *b = keel_hs_begin(s, GNUTLS_HANDSHAKE_SERVER_HELLO);

    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    keel_b_u16(b, KEEL_TLS12_WIRE);     /* legacy_version: RFC 8446 4.1.3 */
    keel_b_bytes(b, hrr ? keel_hrr_random : s->server_random, 32);
    keel_b_open(b, 1);
    keel_b_bytes(b, hs->session_id, hs->session_id_len);
    keel_b_close(b);
    keel_b_u16(b, s->suite->id);
    keel_b_u8(b, 0);
    TRY(keel_ext_write(s, hrr ? KEEL_MSG_HRR : KEEL_MSG_SH, b));
    return keel_hs_end(s, 1);
}

int keel_test_hs_set_params(gnutls_session_t s, struct keel_test_hs_params *p)
{
    TRY(keel_hs_ensure(s));
    s->hs->test = p;
    return 0;
}
