/* TLS 1.2 key exchange messages (RFC 5246 7.4.3, 7.4.7; RFC 8422 5.4, 5.7; RFC 7919):
 * ServerKeyExchange for ECDHE_ECDSA, ECDHE_RSA, DHE_RSA, ECDH_anon and DH_anon, and
 * ClientKeyExchange for those and RSA, on both sides. The premaster secret never leaves this
 * file except to the master-secret derivation. */
#include "handshake/tls12.h"
#include "x509/x509.h"
#include "creds/creds.h"

/* RFC 8422 5.4: ECCurveType named_curve */
#define NAMED_CURVE 3
#define RSA_PREMASTER_LEN 48

static int kx_is_ecdh(gnutls_kx_algorithm_t kx)
{
    return kx == GNUTLS_KX_ECDHE_ECDSA || kx == GNUTLS_KX_ECDHE_RSA || kx == GNUTLS_KX_ANON_ECDH;
}

static int kx_is_dh(gnutls_kx_algorithm_t kx)
{
    return kx == GNUTLS_KX_DHE_RSA || kx == GNUTLS_KX_ANON_DH;
}

static int kx_is_signed(gnutls_kx_algorithm_t kx)
{
    return kx == GNUTLS_KX_ECDHE_ECDSA || kx == GNUTLS_KX_ECDHE_RSA || kx == GNUTLS_KX_DHE_RSA;
}

int keel_tls12_kx_has_cert(gnutls_kx_algorithm_t kx)
{
    return kx_is_signed(kx) || kx == GNUTLS_KX_RSA;
}

int keel_tls12_kx_has_ske(gnutls_kx_algorithm_t kx)
{
    return kx_is_ecdh(kx) || kx_is_dh(kx);
}

/* RFC 5246 8.1.2: "Leading bytes of Z that contain all zero bits are stripped before it is
 * used as the pre_master_secret." */
static void strip_leading_zeros(uint8_t *z, size_t *len)
{
    size_t i = 0;

    while (i + 1 < *len && z[i] == 0)
        i++;
    if (i > 0) {
        memmove(z, z + i, *len - i);
        keel_wipe(z + *len - i, i);
        *len -= i;
    }
}

/* Number of significant bits of a big-endian integer. */
static size_t bits_of(const uint8_t *p, size_t len)
{
    size_t i = 0, bits;
    uint8_t top;

    while (i < len && p[i] == 0)
        i++;
    if (i == len)
        return 0;
    bits = (len - i) * 8;
    for (top = p[i]; !(top & 0x80); top <<= 1)
        bits--;
    return bits;
}

/* ---- server ---- */

/* The server's ephemeral key: a named group (ECDHE, RFC 7919 FFDHE) or the DH parameters
 * of its credentials. */
static int server_ephemeral(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;

    keel_kx_free(hs->kx);
    hs->kx = NULL;
    hs->kx_pub_len = sizeof hs->kx_pub;
    if (hs->kx_group != NULL)
        return keel_kx_generate(hs->kx_group->kx, &hs->kx, hs->kx_pub, &hs->kx_pub_len);
    CHECK(hs->dh != NULL, GNUTLS_E_INTERNAL_ERROR);
    return keel_kx_generate_dh(hs->dh->p, hs->dh->p_len, hs->dh->g, hs->dh->g_len, &hs->kx,
                               hs->kx_pub, &hs->kx_pub_len);
}

int keel_tls12_send_server_kx(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;
    gnutls_kx_algorithm_t kx = s->suite->kx;
    uint8_t *content = NULL, sig[KEEL_MAX_SIG_LEN];
    size_t params_at, params_len, sig_len = sizeof sig;
    keel_builder *b;
    int ret;

    TRY(server_ephemeral(s));
    if (t != NULL && (t->corrupt & KEEL_TEST_T12_BAD_POINT) && kx_is_ecdh(kx))
        hs->kx_pub[hs->kx_pub_len - 1] ^= 1;
    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_SERVER_KEY_EXCHANGE);
    CHECK(b != NULL, GNUTLS_E_MEMORY_ERROR);
    params_at = b->len;
    if (kx_is_ecdh(kx)) {
        /* struct { ECParameters curve_params; ECPoint public; } ServerECDHParams; */
        keel_b_u8(b, NAMED_CURVE);
        keel_b_u16(b, hs->kx_group->id);
        keel_b_open(b, 1);
        keel_b_bytes(b, hs->kx_pub, hs->kx_pub_len);
        keel_b_close(b);
    } else {
        /* struct { opaque dh_p<1..2^16-1>; opaque dh_g<1..2^16-1>;
         *          opaque dh_Ys<1..2^16-1>; } ServerDHParams; */
        const struct gnutls_dh_params_int *dh =
            hs->kx_group != NULL ? keel_ffdhe_params(hs->kx_group) : hs->dh;
        CHECK(dh != NULL, GNUTLS_E_INTERNAL_ERROR);
        s->dh_prime_bits = (unsigned)bits_of(dh->p, dh->p_len);
        keel_b_open(b, 2);
        keel_b_bytes(b, dh->p, dh->p_len);
        keel_b_close(b);
        keel_b_open(b, 2);
        keel_b_bytes(b, dh->g, dh->g_len);
        keel_b_close(b);
        keel_b_open(b, 2);
        keel_b_bytes(b, hs->kx_pub, hs->kx_pub_len);
        keel_b_close(b);
    }
    TRY(keel_b_finish(b));
    params_len = b->len - params_at;
    if (!kx_is_signed(kx))
        return keel_hs_end(s, 1);

    /* RFC 5246 7.4.3: signed over ClientHello.random + ServerHello.random + params, with a
     * SignatureAndHashAlgorithm from the client's signature_algorithms. */
    content = keel_malloc(64 + params_len);
    CHECK_OUT(content != NULL, GNUTLS_E_MEMORY_ERROR);
    memcpy(content, s->client_random, 32);
    memcpy(content + 32, s->server_random, 32);
    memcpy(content + 64, b->buf + params_at, params_len);
    TRY_OUT(keel_sign_ex(hs->pair->key, hs->sign_scheme, KEEL_SIG_TLS12, content,
                         64 + params_len, sig, &sig_len));
    if (t != NULL && (t->corrupt & KEEL_TEST_CORRUPT_CV))
        sig[sig_len / 2] ^= 1;
    keel_b_u16(b, hs->sign_scheme);
    keel_b_open(b, 2);
    keel_b_bytes(b, sig, sig_len);
    keel_b_close(b);
    s->sig_scheme_local = hs->sign_scheme;
    ret = keel_hs_end(s, 1);
out:
    keel_free(content);
    return ret;
}

int keel_tls12_recv_client_kx(gnutls_session_t s, keel_cur body, uint8_t *pm, size_t *pm_len)
{
    struct keel_hs *hs = s->hs;
    gnutls_kx_algorithm_t kx = s->suite->kx;
    keel_cur v;

    *pm_len = 0;
    if (kx == GNUTLS_KX_RSA) {
        /* struct { public-key-encrypted PreMasterSecret pre_master_secret; }
         * EncryptedPreMasterSecret; (an opaque<0..2^16-1> in TLS 1.2) */
        CHECK(cur_u16_prefixed(&body, &v) && cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        /* RFC 5246 7.4.7.1: on a bad padding, length or version a random premaster is
         * used and the handshake fails at Finished, indistinguishable from a wrong key. */
        TRY(keel_rsa_decrypt_premaster(hs->pair->key, v.p, v.len, hs->client_hello_version, pm));
        *pm_len = RSA_PREMASTER_LEN;
        return 0;
    }
    if (kx_is_ecdh(kx)) {
        /* struct { opaque point <1..2^8-1>; } ECPoint; */
        CHECK(cur_u8_prefixed(&body, &v) && cur_empty(&body) && !cur_empty(&v),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    } else {
        CHECK(kx_is_dh(kx), GNUTLS_E_INTERNAL_ERROR);
        /* opaque dh_Yc<1..2^16-1>; */
        CHECK(cur_u16_prefixed(&body, &v) && cur_empty(&body) && !cur_empty(&v),
              GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    }
    *pm_len = KEEL_MAX_KX_SECRET_LEN;
    /* The peer's value is validated here (on the curve / 1 < Yc < p-1): illegal_parameter. */
    TRY(keel_kx_derive(hs->kx, v.p, v.len, pm, pm_len));
    if (kx_is_dh(kx))
        strip_leading_zeros(pm, pm_len);
    return 0;
}

/* ---- client ---- */

/* Whether this client put the group in its supported_groups. */
static int group_offered(gnutls_session_t s, const keel_group *g)
{
    return g != NULL && keel_prio_has_group(s, g->id);
}

static int read_ecdh_params(gnutls_session_t s, keel_cur *body)
{
    struct keel_hs *hs = s->hs;
    uint8_t curve_type;
    uint16_t id;
    keel_cur point;
    const keel_group *g;

    CHECK(cur_u8(body, &curve_type) && cur_u16(body, &id) && cur_u8_prefixed(body, &point),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* RFC 8422 5.4: only named curves exist now; explicit ones are deprecated. */
    CHECK(curve_type == NAMED_CURVE, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    /* RFC 8422 5.4: the server picks a curve from the client's supported_groups; any
     * other is illegal_parameter, as is an FFDHE group in ECDHE. */
    g = keel_group_by_id(id);
    CHECK(group_offered(s, g) && !g->is_ffdhe, GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    CHECK(!cur_empty(&point) && cur_left(&point) <= sizeof hs->peer_pub,
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    hs->peer_pub_len = cur_left(&point);
    if (!cur_copy(&point, hs->peer_pub, hs->peer_pub_len))
        return GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
    hs->kx_group = g;
    s->group = g;
    return 0;
}

static int read_dh_params(gnutls_session_t s, keel_cur *body)
{
    struct keel_hs *hs = s->hs;
    const struct gnutls_priority_st *p = keel_hs_prio(s);
    keel_cur dp, dg, ys;
    const keel_group *g;

    CHECK(cur_u16_prefixed(body, &dp) && cur_u16_prefixed(body, &dg) &&
          cur_u16_prefixed(body, &ys), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    CHECK(!cur_empty(&dp) && !cur_empty(&dg) && !cur_empty(&ys),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* The priority's security level sets the smallest prime the client accepts. */
    s->dh_prime_bits = (unsigned)bits_of(dp.p, dp.len);
    CHECK(s->dh_prime_bits >= p->min_dh_bits, GNUTLS_E_DH_PRIME_UNACCEPTABLE);
    CHECK(cur_left(&ys) <= sizeof hs->peer_pub && cur_left(&ys) <= cur_left(&dp),
          GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
    hs->peer_pub_len = cur_left(&ys);
    memcpy(hs->peer_pub, ys.p, ys.len);
    keel_kx_free(hs->kx);
    hs->kx = NULL;
    hs->kx_pub_len = sizeof hs->kx_pub;
    TRY(keel_kx_generate_dh(dp.p, dp.len, dg.p, dg.len, &hs->kx, hs->kx_pub, &hs->kx_pub_len));
    /* RFC 7919 4: parameters equal to a group the client offered are that group. */
    g = keel_ffdhe_match(dp.p, dp.len, dg.p, dg.len);
    if (g != NULL && group_offered(s, g)) {
        s->group = g;
        s->sflags |= GNUTLS_SFLAGS_RFC7919;
    } else {
        s->group = NULL;
    }
    hs->kx_group = NULL;
    return 0;
}

int keel_tls12_recv_server_kx(gnutls_session_t s, keel_cur body)
{
    struct keel_hs *hs = s->hs;
    gnutls_kx_algorithm_t kx = s->suite->kx;
    const uint8_t *params = body.p;
    size_t params_len;
    uint16_t scheme;
    keel_cur sig;
    uint8_t *content;
    int ret;

    if (kx_is_ecdh(kx))
        TRY(read_ecdh_params(s, &body));
    else if (kx_is_dh(kx))
        TRY(read_dh_params(s, &body));
    else
        return GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET;
    params_len = (size_t)(body.p - params);
    if (!kx_is_signed(kx)) {
        CHECK(cur_empty(&body), GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
        return 0;
    }
    /* struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; }
     * digitally-signed */
    CHECK(cur_u16(&body, &scheme) && cur_u16_prefixed(&body, &sig) && cur_empty(&body),
          GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
    /* RFC 5246 7.4.1.4.1: the server signs with one of the pairs the client offered, with
     * a key its certificate holds. */
    CHECK(keel_prio_has_sig(s, scheme), GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    CHECK(hs->peer_key != NULL, GNUTLS_E_INTERNAL_ERROR);
    CHECK(keel_pkey_scheme_ok_ex(hs->peer_key, scheme, KEEL_SIG_TLS12) == 0,
          GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
    content = keel_malloc(64 + params_len);
    CHECK(content != NULL, GNUTLS_E_MEMORY_ERROR);
    memcpy(content, s->client_random, 32);
    memcpy(content + 32, s->server_random, 32);
    memcpy(content + 64, params, params_len);
    ret = keel_verify_ex(hs->peer_key, scheme, KEEL_SIG_TLS12, content, 64 + params_len,
                         sig.p, sig.len);
    keel_free(content);
    TRY(ret);
    s->sig_scheme_peer = scheme;
    return 0;
}

/* RFC 5246 7.4.7.1: PreMasterSecret = client_version (the version in our ClientHello) and
 * 46 random bytes, encrypted to the server certificate's RSA key. */
static int rsa_premaster(gnutls_session_t s, uint8_t *pm, size_t *pm_len,
                         uint8_t *enc, size_t *enc_len)
{
    struct keel_hs *hs = s->hs;
    const struct keel_test_hs_params *t = hs->test;
    keel_pkey *key = hs->peer_key, *other = NULL;
    uint8_t sent[RSA_PREMASTER_LEN];
    int ret;

    TRY(keel_random(pm, RSA_PREMASTER_LEN));
    pm[0] = KEEL_TLS12_WIRE >> 8;
    pm[1] = KEEL_TLS12_WIRE & 0xff;
    *pm_len = RSA_PREMASTER_LEN;
    memcpy(sent, pm, sizeof sent);
    if (t != NULL && (t->corrupt & KEEL_TEST_T12_PM_VERSION))
        sent[1] = 0x01;
    if (t != NULL && (t->corrupt & KEEL_TEST_T12_PM_WRONG_KEY)) {
        TRY_OUT(keel_test_pkey_generate(KEEL_PK_RSA, keel_pkey_bits(hs->peer_key), &other));
        key = other;
    }
    TRY_OUT(keel_rsa_encrypt(key, sent, sizeof sent, enc, enc_len));
    if (t != NULL && (t->corrupt & KEEL_TEST_T12_PM_PADDING))
        enc[*enc_len / 2] ^= 0x40;
out:
    if (other != NULL)
        keel_pkey_unref(other);
    keel_wipe(sent, sizeof sent);
    return ret;
}

int keel_tls12_send_client_kx(gnutls_session_t s)
{
    struct keel_hs *hs = s->hs;
    gnutls_kx_algorithm_t kx = s->suite->kx;
    uint8_t pm[KEEL_MAX_KX_SECRET_LEN], enc[KEEL_MAX_SIG_LEN];
    size_t pm_len = sizeof pm, enc_len = sizeof enc;
    keel_builder *b;
    int ret;

    /* Everything that can fail on the peer's values happens before the message exists. */
    if (kx == GNUTLS_KX_RSA) {
        CHECK(hs->peer_key != NULL && keel_pkey_type(hs->peer_key) == KEEL_PK_RSA,
              GNUTLS_E_INTERNAL_ERROR);
        TRY_OUT(rsa_premaster(s, pm, &pm_len, enc, &enc_len));
    } else if (kx_is_ecdh(kx)) {
        keel_kx_free(hs->kx);
        hs->kx = NULL;
        hs->kx_pub_len = sizeof hs->kx_pub;
        TRY_OUT(keel_kx_generate(hs->kx_group->kx, &hs->kx, hs->kx_pub, &hs->kx_pub_len));
        /* RFC 8422 5.10: the server's point is validated (on the curve) before use. */
        TRY_OUT(keel_kx_derive(hs->kx, hs->peer_pub, hs->peer_pub_len, pm, &pm_len));
    } else if (kx_is_dh(kx)) {
        CHECK_OUT(hs->kx != NULL, GNUTLS_E_INTERNAL_ERROR);
        TRY_OUT(keel_kx_derive(hs->kx, hs->peer_pub, hs->peer_pub_len, pm, &pm_len));
        strip_leading_zeros(pm, &pm_len);
    } else {
        CHECK_OUT(0, GNUTLS_E_INTERNAL_ERROR);
    }

    b = keel_hs_begin(s, GNUTLS_HANDSHAKE_CLIENT_KEY_EXCHANGE);
    CHECK_OUT(b != NULL, GNUTLS_E_MEMORY_ERROR);
    if (kx == GNUTLS_KX_RSA) {
        keel_b_open(b, 2);
        keel_b_bytes(b, enc, enc_len);
        keel_b_close(b);
    } else {
        keel_b_open(b, kx_is_ecdh(kx) ? 1 : 2);
        keel_b_bytes(b, hs->kx_pub, hs->kx_pub_len);
        keel_b_close(b);
    }
    TRY_OUT(keel_hs_end(s, 1));
    /* The transcript now ends with ClientKeyExchange, as RFC 7627's session_hash needs. */
    TRY_OUT(keel_tls12_master_secret(s, pm, pm_len));
out:
    keel_wipe(pm, sizeof pm);
    return ret;
}
