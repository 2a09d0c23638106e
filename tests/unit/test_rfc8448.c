/* RFC 8448 section 3 (Simple 1-RTT Handshake) reproduced byte for byte: Keel's client,
 * given the trace's random and X25519 key through the test hooks, sends the trace's
 * ClientHello and client Finished records and derives its secrets from the trace's server
 * flight; Keel's server, given the trace's ClientHello, random, key share and RSA key,
 * sends the trace's ServerHello, EncryptedExtensions and Certificate under the trace's
 * handshake keys. The server's RSA-PSS signature is randomized, so from CertificateVerify
 * on the server side checks that signatures verify instead of comparing bytes. */
#include <errno.h>
#include <gnutls/gnutls.h>
#include "session.h"
#include "handshake/handshake.h"
#include "ext/ext.h"
#include "x509/x509.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

/* Values published in RFC 8448 section 3 (the RSA key in PKCS#1 DER, assembled from the
 * modulus, exponents and primes printed in its section 2). */
static const char V_CPRIV[] =
    "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005";
static const char V_SPRIV[] =
    "b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e";
static const char V_CH[] =
    "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700000613011303130201"
    "0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
    "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b00"
    "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
    "00024001";
static const char V_SH[] =
    "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024"
    "001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";
static const char V_EE[] =
    "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";
static const char V_CERT[] =
    "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a"
    "06035504031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a"
    "0603550403130372736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d98"
    "0836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced4312"
    "0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d0"
    "3e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b060355"
    "1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f"
    "8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102"
    "702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8"
    "f8961229ac9187b42b4de10000";
static const char V_CV[] =
    "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d3"
    "3a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c"
    "9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3";
static const char V_HS_SECRET[] =
    "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
static const char V_C_HS[] =
    "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
static const char V_S_HS[] =
    "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
static const char V_MASTER[] =
    "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919";
static const char V_C_AP[] =
    "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
static const char V_S_AP[] =
    "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
static const char V_EXP[] =
    "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";
static const char V_RES_MASTER[] =
    "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";
static const char V_S_HS_KEY[] =
    "3fce516009c21727d0f2e4e86ee403bc";
static const char V_S_HS_IV[] =
    "5d313eb2671276ee13000b30";
static const char V_SFLIGHT_REC[] =
    "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca"
    "07612ef9f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b"
    "d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c"
    "7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092"
    "8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead686945ba246ab66e5edd8044b4c6de3fcf2a8"
    "9441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f"
    "4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66d902f4f292a3"
    "6ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e"
    "1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052c"
    "f93b16499a66db7cca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe"
    "5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb"
    "5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038"
    "ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee340bbc4fddd50278"
    "4016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e"
    "750edc53370d2b";
static const char V_CFIN_REC[] =
    "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1c"
    "aeacab6867d726c40546";
static const char V_RSA_KEY_DER[] =
    "3082025c02010002818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d0"
    "15abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda43"
    "0846748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001"
    "02818004dea705d43a6ea7209dd8072111a83c81e322a59278b33480641eaf7c0a6985b8e31c44f6de62e1b4c2309f61"
    "26e77b7c41e923314bbfa3881305dc1217f16c819ce538e922f369828d0e57195d8c8488460207b2faa726bcf708bbd7"
    "db7f679f893492fc2a622e08970aac441ce4e0c3088df25ae679233df8a3bda2ff9941024100e435fb7cc83737756dac"
    "ea96ab7f59a2cc1069db7deb190e17e33a532b273f30a327aa0aaabc58cd67466af9845fadc675fe094af92c4bd1f2c1"
    "bc33dd2e0515024100cabd3bc0e0438664c8d4cc9f99977a94d9bbfead8e43870abae3f7eb8b4e0eee8af1d9b4719ba6"
    "196cf2cbbaeeebf8b3490afe9e9ffa74a88aa51fc64562930302403f57345c27fe1b687e6e761627b78b1b826433dd76"
    "0fa0bea6a6acf39490aa1b47cda4869d68f584dd5b5029bd32093b8258661fe715025e5d70a45a08d3d3190240183da0"
    "1363bd2f2885cacbdc9964bf4764f1517636f86401286f71893c52ccfe40a6c23d0d086b47c6fb10d8fd1041e04def7e"
    "9a40ce957c417794e10412d139024100839ca9a085e4286b2c90e466997a2c681f21339aa3477814e4dec11833050ed5"
    "0dd13cc038048a43c59b2acc416889c037665fe5afa605969f8c01dfa5ca969d";

typedef struct {
    unsigned char buf[8192];
    size_t len;
} blob;

static size_t unhex(const char *hex, blob *b)
{
    b->len = t_unhex(hex, b->buf, sizeof b->buf);
    return b->len;
}

/* A scripted peer: the session reads `in` and its output lands in `out`. */
typedef struct {
    gnutls_session_t s;
    blob in, out;
    size_t in_pos;
} script;

static ssize_t script_push(gnutls_transport_ptr_t ptr, const void *data, size_t n)
{
    script *sc = ptr;
    if (sc->out.len + n > sizeof sc->out.buf)
        return -1;
    memcpy(sc->out.buf + sc->out.len, data, n);
    sc->out.len += n;
    return (ssize_t)n;
}

static ssize_t script_pull(gnutls_transport_ptr_t ptr, void *data, size_t n)
{
    script *sc = ptr;
    if (sc->in_pos == sc->in.len) {
        gnutls_transport_set_errno(sc->s, EAGAIN);
        return -1;
    }
    if (n > sc->in.len - sc->in_pos)
        n = sc->in.len - sc->in_pos;
    memcpy(data, sc->in.buf + sc->in_pos, n);
    sc->in_pos += n;
    return (ssize_t)n;
}

static void script_attach(script *sc, gnutls_session_t s)
{
    sc->s = s;
    gnutls_transport_set_ptr(s, sc);
    gnutls_transport_set_push_function(s, script_push);
    gnutls_transport_set_pull_function(s, script_pull);
}

/* record = type 0303|0301 len || body */
static void add_record(blob *b, unsigned char type, unsigned version, const blob *body)
{
    unsigned char *p = b->buf + b->len;
    p[0] = type;
    p[1] = (unsigned char)(version >> 8);
    p[2] = (unsigned char)version;
    p[3] = (unsigned char)(body->len >> 8);
    p[4] = (unsigned char)body->len;
    memcpy(p + 5, body->buf, body->len);
    b->len += 5 + body->len;
}

static const char *rfc_prio =
    "NONE:+VERS-TLS1.3:+AES-128-GCM:+CHACHA20-POLY1305:+AES-256-GCM:+AEAD:+GROUP-X25519:"
    "+SIGN-ALL:+CTYPE-X509";

/* The extensions of the trace's ClientHello, in its order; the ones Keel writes itself are
 * NULL (server_name, key_share, supported_versions, psk_key_exchange_modes). */
static const uint8_t ri_empty[] = { 0x00 };
static const uint8_t groups_raw[] = { 0x00, 0x12, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19,
                                      0x01, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x03, 0x01, 0x04 };
static const uint8_t sigalgs_raw[] = { 0x00, 0x1e, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x02, 0x03,
                                       0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01,
                                       0x06, 0x01, 0x02, 0x01, 0x04, 0x02, 0x05, 0x02, 0x06, 0x02,
                                       0x02, 0x02 };
static const uint8_t rsl_raw[] = { 0x40, 0x01 };
static const keel_test_ext ch_exts[] = {
    { KEEL_EXT_SERVER_NAME, NULL, 0 },
    { 0xff01, ri_empty, sizeof ri_empty },                  /* renegotiation_info */
    { KEEL_EXT_SUPPORTED_GROUPS, groups_raw, sizeof groups_raw },
    { 35, (const uint8_t *)"", 0 },                          /* session_ticket */
    { KEEL_EXT_KEY_SHARE, NULL, 0 },
    { KEEL_EXT_SUPPORTED_VERSIONS, NULL, 0 },
    { KEEL_EXT_SIGNATURE_ALGORITHMS, sigalgs_raw, sizeof sigalgs_raw },
    { KEEL_EXT_PSK_KEY_EXCHANGE_MODES, NULL, 0 },
    { KEEL_EXT_RECORD_SIZE_LIMIT, rsl_raw, sizeof rsl_raw },
};
static const keel_test_ext ee_exts[] = {
    { KEEL_EXT_SUPPORTED_GROUPS, groups_raw, sizeof groups_raw },
    { KEEL_EXT_RECORD_SIZE_LIMIT, rsl_raw, sizeof rsl_raw },
    { KEEL_EXT_SERVER_NAME, NULL, 0 },
};

static void hex_secret(const char *hex, uint8_t *out, size_t *len)
{
    blob b;
    *len = unhex(hex, &b);
    memcpy(out, b.buf, *len);
}

static void test_client(void)
{
    gnutls_session_t s;
    gnutls_certificate_credentials_t cred;
    struct keel_test_hs_params tp;
    script sc;
    blob sh, want, rec, b;
    int ret = GNUTLS_E_AGAIN;

    memset(&tp, 0, sizeof tp);
    memset(&sc, 0, sizeof sc);
    tp.set_random = 1;
    unhex(V_CH, &b);
    memcpy(tp.random, b.buf + 6, 32);           /* ClientHello.random */
    tp.set_session_id = 1;                      /* the trace's client is not in compat mode */
    tp.kx_id = KEEL_KX_X25519;
    hex_secret(V_CPRIV, tp.kx_priv, &tp.kx_priv_len);
    tp.ch_exts = ch_exts;
    tp.n_ch_exts = KEEL_ARRAY_SIZE(ch_exts);

    REQUIRE(gnutls_certificate_allocate_credentials(&cred) == 0);
    REQUIRE(gnutls_init(&s, GNUTLS_CLIENT) == 0);
    REQUIRE(gnutls_priority_set_direct(s, rfc_prio, NULL) == 0);
    REQUIRE(gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) == 0);
    REQUIRE(gnutls_server_name_set(s, GNUTLS_NAME_DNS, "server", 6) == 0);
    REQUIRE(keel_test_hs_set_params(s, &tp) == 0);
    script_attach(&sc, s);

    /* The server's records: ServerHello, then the encrypted flight. */
    unhex(V_SH, &sh);
    add_record(&sc.in, 22, 0x0303, &sh);
    unhex(V_SFLIGHT_REC, &rec);
    memcpy(sc.in.buf + sc.in.len, rec.buf, rec.len);
    sc.in.len += rec.len;

    for (int i = 0; i < 10 && ret == GNUTLS_E_AGAIN; i++)
        ret = gnutls_handshake(s);
    CHECK_INT(ret, 0);

    /* What the client sent: the ClientHello record (legacy version 0x0301), then the
     * Finished record under the client handshake keys. */
    memset(&want, 0, sizeof want);
    unhex(V_CH, &b);
    add_record(&want, 22, 0x0301, &b);
    unhex(V_CFIN_REC, &rec);
    memcpy(want.buf + want.len, rec.buf, rec.len);
    want.len += rec.len;
    CHECK_INT(sc.out.len, want.len);
    CHECK_MEM(sc.out.buf, want.buf, sc.out.len < want.len ? sc.out.len : want.len);

    if (ret == 0) {
        unhex(V_C_AP, &b);
        CHECK_MEM(s->client_app_secret, b.buf, 32);
        unhex(V_S_AP, &b);
        CHECK_MEM(s->server_app_secret, b.buf, 32);
        unhex(V_EXP, &b);
        CHECK_MEM(s->exporter_secret, b.buf, 32);
        unhex(V_RES_MASTER, &b);
        CHECK_MEM(s->resumption_secret, b.buf, 32);
        CHECK_INT(gnutls_protocol_get_version(s), GNUTLS_TLS1_3);
        CHECK_INT(gnutls_cipher_get(s), GNUTLS_CIPHER_AES_128_GCM);
        CHECK_INT(s->sig_scheme_peer, 0x0804);
        CHECK_INT(s->n_peer_certs, 1);
    }
    gnutls_deinit(s);
    gnutls_certificate_free_credentials(cred);
}

/* Opens one TLS 1.3 record with a key and IV from the trace (sequence number 0). */
static int open_record(const unsigned char *rec, size_t len, const char *key_hex,
                       const char *iv_hex, blob *plain)
{
    keel_aead *a;
    blob key, iv;
    int ret;

    if (len < 5 + 16)
        return -1;
    unhex(key_hex, &key);
    unhex(iv_hex, &iv);
    if (keel_aead_new(KEEL_AEAD_AES_128_GCM, 0, &a) < 0)
        return -1;
    ret = keel_aead_set_key(a, key.buf);
    plain->len = len - 5 - 16;
    memcpy(plain->buf, rec + 5, plain->len);
    if (ret == 0)
        ret = keel_aead_open(a, iv.buf, rec, 5, plain->buf, plain->len, rec + len - 16);
    keel_aead_free(a);
    return ret;
}

/* The content of the trace's CertificateVerify: 64 spaces, context, 0, Hash(CH..Cert). */
static size_t cv_content(uint8_t *out)
{
    static const char ctx[] = "TLS 1.3, server CertificateVerify";
    blob b;
    keel_hash *h;
    const char *msgs[] = { V_CH, V_SH, V_EE, V_CERT };

    memset(out, 0x20, 64);
    memcpy(out + 64, ctx, sizeof ctx);          /* with its terminating zero */
    if (keel_hash_new(KEEL_HASH_SHA256, &h) < 0)
        return 0;
    for (unsigned i = 0; i < 4; i++) {
        unhex(msgs[i], &b);
        (void)keel_hash_update(h, b.buf, b.len);
    }
    (void)keel_hash_peek(h, out + 64 + sizeof ctx);
    keel_hash_free(h);
    return 64 + sizeof ctx + 32;
}

static void test_server(void)
{
    gnutls_session_t s;
    gnutls_certificate_credentials_t cred;
    struct keel_test_hs_params tp;
    script sc;
    blob ch, want, plain, cert, key, b, cv;
    gnutls_datum_t cert_d, key_d;
    keel_pkey *pub = NULL;
    uint8_t content[256];
    size_t content_len, off;
    int ret;

    memset(&tp, 0, sizeof tp);
    memset(&sc, 0, sizeof sc);
    tp.set_random = 1;
    unhex(V_SH, &b);
    memcpy(tp.random, b.buf + 6, 32);           /* ServerHello.random */
    tp.kx_id = KEEL_KX_X25519;
    hex_secret(V_SPRIV, tp.kx_priv, &tp.kx_priv_len);
    tp.ee_exts = ee_exts;
    tp.n_ee_exts = KEEL_ARRAY_SIZE(ee_exts);

    /* The certificate as carried in the trace's Certificate message (after the 4-byte
     * header, the empty context, the 3-byte list length and the 3-byte entry length). */
    unhex(V_CERT, &b);
    cert.len = b.len - 4 - 1 - 3 - 3 - 2;
    memcpy(cert.buf, b.buf + 11, cert.len);
    unhex(V_RSA_KEY_DER, &key);
    cert_d.data = cert.buf;
    cert_d.size = (unsigned)cert.len;
    key_d.data = key.buf;
    key_d.size = (unsigned)key.len;
    REQUIRE(gnutls_certificate_allocate_credentials(&cred) == 0);
    REQUIRE(gnutls_certificate_set_x509_key_mem(cred, &cert_d, &key_d, GNUTLS_X509_FMT_DER) == 0);
    REQUIRE(gnutls_init(&s, GNUTLS_SERVER) == 0);
    REQUIRE(gnutls_priority_set_direct(s, rfc_prio, NULL) == 0);
    REQUIRE(gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred) == 0);
    REQUIRE(keel_test_hs_set_params(s, &tp) == 0);
    script_attach(&sc, s);
    unhex(V_CH, &ch);
    add_record(&sc.in, 22, 0x0301, &ch);

    ret = gnutls_handshake(s);
    CHECK_INT(ret, GNUTLS_E_AGAIN);             /* waiting for the client's Finished */

    /* ServerHello, byte for byte. */
    memset(&want, 0, sizeof want);
    unhex(V_SH, &b);
    add_record(&want, 22, 0x0303, &b);
    REQUIRE(sc.out.len > want.len);
    CHECK_MEM(sc.out.buf, want.buf, want.len);

    /* The handshake secrets. */
    REQUIRE(s->hs != NULL);
    unhex(V_HS_SECRET, &b);
    CHECK_MEM(s->hs->handshake_secret, b.buf, 32);
    unhex(V_C_HS, &b);
    CHECK_MEM(s->hs->c_hs_secret, b.buf, 32);
    unhex(V_S_HS, &b);
    CHECK_MEM(s->hs->s_hs_secret, b.buf, 32);
    unhex(V_MASTER, &b);
    CHECK_MEM(s->hs->master_secret, b.buf, 32);

    /* The encrypted flight: one record as long as the trace's, opened with the trace's
     * server handshake key and IV; EncryptedExtensions and Certificate byte for byte. */
    off = want.len;
    unhex(V_SFLIGHT_REC, &b);
    CHECK_INT(sc.out.len - off, b.len);
    CHECK_MEM(sc.out.buf + off, b.buf, 5);
    REQUIRE(sc.out.len - off == b.len);
    REQUIRE(open_record(sc.out.buf + off, b.len, V_S_HS_KEY, V_S_HS_IV, &plain) == 0);
    unhex(V_EE, &b);
    CHECK_MEM(plain.buf, b.buf, b.len);
    off = b.len;
    unhex(V_CERT, &b);
    CHECK_MEM(plain.buf + off, b.buf, b.len);
    off += b.len;

    /* Keel's CertificateVerify (rsa_pss_rsae_sha256, as the trace's) verifies over the
     * trace's transcript, and so does the trace's own. */
    REQUIRE(keel_peer_pubkey_from_der(cert.buf, cert.len, &pub) == 0);
    content_len = cv_content(content);
    REQUIRE(content_len > 0);
    CHECK_INT(plain.buf[off], GNUTLS_HANDSHAKE_CERTIFICATE_VERIFY);
    CHECK_INT(plain.buf[off + 4], 0x08);
    CHECK_INT(plain.buf[off + 5], 0x04);
    CHECK_INT(keel_verify(pub, 0x0804, content, content_len, plain.buf + off + 8,
                          (size_t)plain.buf[off + 6] << 8 | plain.buf[off + 7]), 0);
    unhex(V_CV, &cv);
    CHECK_INT(keel_verify(pub, 0x0804, content, content_len, cv.buf + 8, cv.len - 8), 0);
    keel_pkey_unref(pub);
    gnutls_deinit(s);
    gnutls_certificate_free_credentials(cred);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_client);
    RUN(test_server);
    gnutls_global_deinit();
    return t_done();
}
