/* The TLS 1.2 key schedule against independent values: master secret with and without
 * RFC 7627's extended master secret, and Finished verify_data. The expected bytes come from
 * OpenSSL's TLS1-PRF KDF (`openssl kdf -kdfopt digest:SHA256 ... TLS1-PRF`) on the same
 * inputs. */
#include <gnutls/gnutls.h>
#include "handshake/tls12.h"
#undef CHECK
#include "harness.h"

static const char transcript[] = "keel transcript bytes for a test";

static gnutls_session_t setup(uint16_t suite, int ems)
{
    gnutls_session_t s;

    if (gnutls_init(&s, GNUTLS_CLIENT) < 0 || keel_hs_ensure(s) < 0)
        return NULL;
    s->suite = keel_suite_by_id(suite);
    for (int i = 0; i < 32; i++) {
        s->client_random[i] = (uint8_t)i;
        s->server_random[i] = (uint8_t)(255 - i);
    }
    s->ems = ems;
    if (keel_hs_transcript_add(s, (const uint8_t *)transcript, sizeof transcript - 1) < 0 ||
        keel_transcript_start(s, s->suite->prf) < 0) {
        gnutls_deinit(s);
        return NULL;
    }
    return s;
}

static void premaster(uint8_t pm[48])
{
    for (int i = 0; i < 48; i++)
        pm[i] = (uint8_t)(i * 7 + 1);
}

static void test_master_secret(void)
{
    uint8_t pm[48], want[48];
    gnutls_session_t s = setup(0xC02F, 0);   /* ECDHE_RSA_AES_128_GCM_SHA256 */

    REQUIRE(s != NULL);
    premaster(pm);
    CHECK_INT(keel_tls12_master_secret(s, pm, sizeof pm), 0);
    t_unhex("0B6572E2750FFA011E5CCCFB9D42AEA87F500D6F6072AC075E6485C988605AAE"
            "4B25E80DC71AC8FCF3A96EC610196B6E", want, sizeof want);
    CHECK_MEM(s->master_secret, want, 48);
    gnutls_deinit(s);
}

static void test_extended_master_secret(void)
{
    uint8_t pm[48], want[48];
    gnutls_session_t s = setup(0xC02F, 1);

    REQUIRE(s != NULL);
    premaster(pm);
    CHECK_INT(keel_tls12_master_secret(s, pm, sizeof pm), 0);
    t_unhex("A64C3B81E8FCDB3143B525430BD629F662915AAB160CC2C2DC87DF4E70D889FA"
            "7B283440BFCFEA0CD576ECD28566357E", want, sizeof want);
    CHECK_MEM(s->master_secret, want, 48);
    gnutls_deinit(s);

    /* A SHA-384 suite hashes the transcript and runs the PRF with SHA-384. */
    s = setup(0xC030, 1);   /* ECDHE_RSA_AES_256_GCM_SHA384 */
    REQUIRE(s != NULL);
    CHECK_INT(keel_tls12_master_secret(s, pm, sizeof pm), 0);
    t_unhex("3AA722397D500F09C7826936E1DE6D98B134C88D431BFBDDEEFD9266D1D85B1B"
            "13FB6B89724350016A40B5D716BEB38A", want, sizeof want);
    CHECK_MEM(s->master_secret, want, 48);
    gnutls_deinit(s);
}

static void test_verify_data(void)
{
    uint8_t pm[48], vd[12], want[12];
    gnutls_session_t s = setup(0xC02F, 0);

    REQUIRE(s != NULL);
    premaster(pm);
    REQUIRE(keel_tls12_master_secret(s, pm, sizeof pm) == 0);
    CHECK_INT(keel_tls12_verify_data(s, 1, vd), 0);
    t_unhex("5F061CFA01AE3D33F3CE2B9B", want, sizeof want);
    CHECK_MEM(vd, want, 12);
    CHECK_INT(keel_tls12_verify_data(s, 0, vd), 0);
    t_unhex("E72C8AB21A626EEF5B65B936", want, sizeof want);
    CHECK_MEM(vd, want, 12);
    gnutls_deinit(s);
}

/* The RFC 7919 groups are recognised by value, and only with generator 2. */
static void test_ffdhe_match(void)
{
    const keel_group *g2048 = keel_group_by_gnutls(GNUTLS_GROUP_FFDHE2048);
    const keel_group *g8192 = keel_group_by_gnutls(GNUTLS_GROUP_FFDHE8192);
    const struct gnutls_dh_params_int *d = keel_ffdhe_params(g2048);
    uint8_t five = 5;

    REQUIRE(d != NULL && keel_ffdhe_params(g8192) != NULL);
    CHECK_INT(d->p_len, 256);
    CHECK(keel_ffdhe_match(d->p, d->p_len, d->g, d->g_len) == g2048);
    CHECK(keel_ffdhe_match(d->p, d->p_len, &five, 1) == NULL);
    CHECK(keel_ffdhe_match(d->p, d->p_len - 1, d->g, d->g_len) == NULL);
    CHECK(keel_ffdhe_params(keel_group_by_gnutls(GNUTLS_GROUP_SECP256R1)) == NULL);
}

/* gnutls_dh_params_*: PKCS #3 in PEM and DER, raw import, generate2 (an RFC 7919 group). */
static void test_dh_params_api(void)
{
    static const char pem[] =
        "-----BEGIN DH PARAMETERS-----\n"
        "MGYCYQCIE1B+MueN2slMDCx9np8ApZT4bmv5raVC72J1Tt1YY+HiK6XJGBsAOza1\n"
        "DR1PD+WwKEJP1lwv1qpYA891uIcCfsW0/wPZ2a2dfUfO9TkUyoB5EejtgqYRH/BL\n"
        "P/We9f8CAQI=\n"
        "-----END DH PARAMETERS-----\n";
    gnutls_dh_params_t dh, copy;
    gnutls_datum_t d = { (unsigned char *)pem, sizeof pem - 1 };
    uint8_t der[128];
    gnutls_datum_t dd = { der, 0 };

    REQUIRE(gnutls_dh_params_init(&dh) == 0);
    CHECK_INT(gnutls_dh_params_import_pkcs3(dh, &d, GNUTLS_X509_FMT_PEM), 0);
    CHECK_INT(dh->p_len, 96);
    CHECK_INT(dh->g_len, 1);
    CHECK(dh->group == NULL);
    /* The DER inside the PEM, byte for byte. */
    dd.size = (unsigned)t_unhex(
        "3066026100881350 7e32e78ddac94c0c 2c7d9e9f00a594f8 6e6bf9ada542ef62"
        "754edd5863e1e22b a5c9181b003b36b5 0d1d4f0fe5b02842 4fd65c2fd6aa5803"
        "cf75b887027ec5b4 ff03d9d9ad9d7d47 cef53914ca807911 e8ed82a6111ff04b"
        "3ff59ef5ff020102", der, sizeof der);
    REQUIRE(gnutls_dh_params_init(&copy) == 0);
    CHECK_INT(gnutls_dh_params_import_pkcs3(copy, &dd, GNUTLS_X509_FMT_DER), 0);
    CHECK_INT(copy->p_len, dh->p_len);
    CHECK_MEM(copy->p, dh->p, dh->p_len);
    der[0] = 0x31;
    CHECK_INT(gnutls_dh_params_import_pkcs3(copy, &dd, GNUTLS_X509_FMT_DER), GNUTLS_E_ASN1_DER_ERROR);
    CHECK_INT(gnutls_dh_params_generate2(copy, 2048), 0);
    CHECK(copy->group == keel_group_by_gnutls(GNUTLS_GROUP_FFDHE2048));
    CHECK_INT(gnutls_dh_params_generate2(copy, 3000), 0);
    CHECK(copy->group == keel_group_by_gnutls(GNUTLS_GROUP_FFDHE3072));
    CHECK_INT(gnutls_dh_params_cpy(copy, dh), 0);
    CHECK_MEM(copy->p, dh->p, dh->p_len);
    gnutls_dh_params_deinit(copy);
    gnutls_dh_params_deinit(dh);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_master_secret);
    RUN(test_extended_master_secret);
    RUN(test_verify_data);
    RUN(test_ffdhe_match);
    RUN(test_dh_params_api);
    gnutls_global_deinit();
    return t_done();
}
