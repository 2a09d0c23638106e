/* The priority-string parser (src/priority/priority.c, session_prio.c). Expected orders,
 * return codes and error positions were read from GnuTLS 3.7.9 (throwaway programs calling
 * the real gnutls_priority_init, and the bytes of gnutls-cli's ClientHello), then reduced to
 * what Keel implements (no CBC/CCM, no TLS 1.0/1.1 or DTLS). */
#include <pthread.h>
#include <gnutls/x509.h>
#include "session.h"
#undef CHECK    /* keel.h's CHECK(cond, code); the tests use the harness's */
#include "harness.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static gnutls_priority_t init_ok(const char *s)
{
    gnutls_priority_t p = NULL;
    const char *err = NULL;
    int ret = gnutls_priority_init(&p, s, &err);
    if (ret != 0) {
        fprintf(stderr, "  init(\"%s\") = %d at %s\n", s ? s : "(null)", ret, err ? err : "?");
        return NULL;
    }
    return p;
}

/* The suites, groups and signature schemes as TLS code points, the others as GnuTLS ids. */
static int suites_are(gnutls_priority_t p, const uint16_t *want, size_t n)
{
    int ok = p->n_suites == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = p->suites[i]->id == want[i];
    if (!ok) {
        fprintf(stderr, "  suites:");
        for (unsigned i = 0; i < p->n_suites; i++)
            fprintf(stderr, " %04x", p->suites[i]->id);
        fprintf(stderr, "\n");
    }
    return ok;
}

static int groups_are(gnutls_priority_t p, const uint16_t *want, size_t n)
{
    int ok = p->n_groups == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = p->groups[i]->id == want[i];
    if (!ok) {
        fprintf(stderr, "  groups:");
        for (unsigned i = 0; i < p->n_groups; i++)
            fprintf(stderr, " %u", p->groups[i]->id);
        fprintf(stderr, "\n");
    }
    return ok;
}

static int sigs_are(gnutls_priority_t p, const uint16_t *want, size_t n)
{
    int ok = p->n_sigs == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = p->sigs[i]->id == want[i];
    if (!ok) {
        fprintf(stderr, "  sigs:");
        for (unsigned i = 0; i < p->n_sigs; i++)
            fprintf(stderr, " %04x", p->sigs[i]->id);
        fprintf(stderr, "\n");
    }
    return ok;
}

static int ids_are(const unsigned *got, unsigned n_got, const unsigned *want, size_t n)
{
    int ok = n_got == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = got[i] == want[i];
    if (!ok) {
        fprintf(stderr, "  ids:");
        for (unsigned i = 0; i < n_got; i++)
            fprintf(stderr, " %u", got[i]);
        fprintf(stderr, "\n");
    }
    return ok;
}

#define SUITES(p, ...) do { static const uint16_t w_[] = { __VA_ARGS__ }; \
    CHECK(suites_are(p, w_, N(w_))); } while (0)
#define NO_SUITES(p) CHECK_INT((p)->n_suites, 0)
#define GROUPS(p, ...) do { static const uint16_t w_[] = { __VA_ARGS__ }; \
    CHECK(groups_are(p, w_, N(w_))); } while (0)
#define SIGS(p, ...) do { static const uint16_t w_[] = { __VA_ARGS__ }; \
    CHECK(sigs_are(p, w_, N(w_))); } while (0)
#define LIST(field, n, ...) do { static const unsigned w_[] = { __VA_ARGS__ }; \
    unsigned g_[64]; for (unsigned i_ = 0; i_ < (n); i_++) g_[i_] = (unsigned)(field)[i_]; \
    CHECK(ids_are(g_, (n), w_, N(w_))); } while (0)
#define VERSIONS(p, ...) LIST((p)->versions, (p)->n_versions, __VA_ARGS__)
#define CIPHERS(p, ...) LIST((p)->ciphers, (p)->n_ciphers, __VA_ARGS__)
#define KXS(p, ...) LIST((p)->kx, (p)->n_kx, __VA_ARGS__)
#define SIGNS(p, ...) LIST((p)->signs, (p)->n_signs, __VA_ARGS__)

#define T13 GNUTLS_TLS1_3
#define T12 GNUTLS_TLS1_2
#define G128 GNUTLS_CIPHER_AES_128_GCM
#define G256 GNUTLS_CIPHER_AES_256_GCM
#define CHA GNUTLS_CIPHER_CHACHA20_POLY1305

/* GnuTLS's NORMAL signature_algorithms, byte for byte from gnutls-cli's ClientHello */
#define NORMAL_SIGS 0x0401, 0x0809, 0x0804, 0x0403, 0x0807, 0x0501, 0x080a, 0x0805, 0x0503, \
    0x0808, 0x0601, 0x080b, 0x0806, 0x0603, 0x0201, 0x0203
/* ... and supported_groups */
#define NORMAL_GROUPS 23, 24, 25, 29, 30, 256, 257, 258, 259, 260
#define NORMAL_SIGNS GNUTLS_SIGN_RSA_SHA256, GNUTLS_SIGN_RSA_PSS_SHA256, \
    GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, GNUTLS_SIGN_ECDSA_SHA256, \
    GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_SIGN_RSA_SHA384, \
    GNUTLS_SIGN_RSA_PSS_SHA384, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_SIGN_ECDSA_SHA384, \
    GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, GNUTLS_SIGN_EDDSA_ED448, GNUTLS_SIGN_RSA_SHA512, \
    GNUTLS_SIGN_RSA_PSS_SHA512, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, GNUTLS_SIGN_ECDSA_SHA512, \
    GNUTLS_SIGN_ECDSA_SECP521R1_SHA512, GNUTLS_SIGN_RSA_SHA1, GNUTLS_SIGN_ECDSA_SHA1
/* GnuTLS's NORMAL cipher suites (gnutls-cli's ClientHello) without CBC and CCM */
#define NORMAL_SUITES 0x1302, 0x1303, 0x1301, 0xc02c, 0xcca9, 0xc02b, 0xc030, 0xcca8, 0xc02f, \
    0x009d, 0x009c, 0x009f, 0xccaa, 0x009e

static void normal(void)
{
    gnutls_priority_t p = init_ok("NORMAL");
    REQUIRE(p);
    VERSIONS(p, T13, T12);
    CIPHERS(p, G256, CHA, G128);
    LIST(p->macs, p->n_macs, GNUTLS_MAC_AEAD);
    KXS(p, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_RSA, GNUTLS_KX_DHE_RSA);
    GROUPS(p, NORMAL_GROUPS);
    SIGS(p, NORMAL_SIGS);
    SIGNS(p, NORMAL_SIGNS);
    SUITES(p, NORMAL_SUITES);
    LIST(p->ctypes, p->n_ctypes, GNUTLS_CRT_X509);
    CHECK_INT(p->safe_reneg, KEEL_SR_PARTIAL);
    CHECK_INT(p->compat_mode, 1);
    CHECK_INT(p->server_precedence, 0);
    CHECK_INT(p->no_tickets, 0);
    CHECK_INT(p->no_session_hash, 0);
    CHECK_INT(p->level, GNUTLS_SEC_PARAM_WEAK);
    CHECK_INT(p->min_dh_bits, 1008);
    CHECK_INT(p->profile, GNUTLS_PROFILE_LOW);
    /* 0x0403 is offered as the TLS 1.3 (curve-bound) reading */
    CHECK_INT(p->sigs[3]->sign, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256);
    CHECK_INT(p->sigs[3]->tls13_ok, 1);
    gnutls_priority_deinit(p);

    /* case-insensitive keyword; NULL means the default, which is NORMAL */
    gnutls_priority_t q = init_ok("normal");
    REQUIRE(q);
    SUITES(q, NORMAL_SUITES);
    gnutls_priority_deinit(q);
    q = init_ok(NULL);
    REQUIRE(q);
    SUITES(q, NORMAL_SUITES);
    SIGS(q, NORMAL_SIGS);
    gnutls_priority_deinit(q);
}

static void other_keywords(void)
{
    gnutls_priority_t p = init_ok("PERFORMANCE");
    REQUIRE(p);
    CIPHERS(p, G128, G256, CHA);
    KXS(p, GNUTLS_KX_RSA, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_DHE_RSA);
    SUITES(p, 0x1301, 0x1302, 0x1303, 0x009c, 0x009d, 0xc02b, 0xc02c, 0xcca9, 0xc02f, 0xc030,
           0xcca8, 0x009e, 0x009f, 0xccaa);
    GROUPS(p, NORMAL_GROUPS);
    SIGS(p, NORMAL_SIGS);
    gnutls_priority_deinit(p);

    p = init_ok("PFS");
    REQUIRE(p);
    KXS(p, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_DHE_RSA);
    SUITES(p, 0x1302, 0x1303, 0x1301, 0xc02c, 0xcca9, 0xc02b, 0xc030, 0xcca8, 0xc02f,
           0x009f, 0xccaa, 0x009e);
    CHECK_INT(p->no_tickets_tls12, 1);
    gnutls_priority_deinit(p);

    /* SECURE128 (alias SECURE): NORMAL without the SHA-1 signatures */
    const char *s128[] = { "SECURE128", "SECURE" };
    for (size_t i = 0; i < N(s128); i++) {
        p = init_ok(s128[i]);
        REQUIRE(p);
        VERSIONS(p, T13, T12);
        CIPHERS(p, G256, CHA, G128);
        SUITES(p, NORMAL_SUITES);
        SIGS(p, 0x0401, 0x0809, 0x0804, 0x0403, 0x0807, 0x0501, 0x080a, 0x0805, 0x0503,
             0x0808, 0x0601, 0x080b, 0x0806, 0x0603);
        CHECK_INT(p->level, GNUTLS_SEC_PARAM_LOW);
        CHECK_INT(p->min_dh_bits, 1024);
        gnutls_priority_deinit(p);
    }

    const char *s256[] = { "SECURE192", "SECURE256" };
    for (size_t i = 0; i < N(s256); i++) {
        p = init_ok(s256[i]);
        REQUIRE(p);
        CIPHERS(p, G256, CHA);
        SUITES(p, 0x1302, 0x1303, 0xc02c, 0xcca9, 0xc030, 0xcca8, 0x009d, 0x009f, 0xccaa);
        GROUPS(p, 24, 25, 260);
        SIGS(p, 0x0501, 0x080a, 0x0805, 0x0503, 0x0808, 0x0601, 0x080b, 0x0806, 0x0603);
        CHECK_INT(p->level, GNUTLS_SEC_PARAM_HIGH);
        CHECK_INT(p->min_dh_bits, 3072);
        CHECK_INT(p->profile, GNUTLS_PROFILE_HIGH);
        gnutls_priority_deinit(p);
    }

    p = init_ok("SUITEB128");
    REQUIRE(p);
    VERSIONS(p, T12);
    SUITES(p, 0xc02c, 0xc02b);
    GROUPS(p, 23, 24);
    SIGS(p, 0x0403, 0x0503);
    SIGNS(p, GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256,
          GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384);
    CHECK_INT(p->profile, GNUTLS_PROFILE_SUITEB128);
    gnutls_priority_deinit(p);

    p = init_ok("SUITEB192");
    REQUIRE(p);
    VERSIONS(p, T12);
    SUITES(p, 0xc02c);
    GROUPS(p, 24);
    CHECK_INT(p->min_dh_bits, 8192);
    gnutls_priority_deinit(p);

    p = init_ok("LEGACY");
    REQUIRE(p);
    SUITES(p, NORMAL_SUITES);
    CHECK_INT(p->level, GNUTLS_SEC_PARAM_VERY_WEAK);
    CHECK_INT(p->min_dh_bits, 767);
    gnutls_priority_deinit(p);
}

/* A second keyword only appends what is missing; the first sets. */
static void keyword_combinations(void)
{
    gnutls_priority_t p = init_ok("SECURE128:NORMAL");
    REQUIRE(p);
    SIGS(p, NORMAL_SIGS);      /* SHA-1 appended */
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:PERFORMANCE");
    REQUIRE(p);
    CIPHERS(p, G256, CHA, G128);
    gnutls_priority_deinit(p);

    p = init_ok("+AES-128-GCM:NORMAL");        /* NORMAL still sets */
    REQUIRE(p);
    CIPHERS(p, G256, CHA, G128);
    gnutls_priority_deinit(p);

    p = init_ok("+AES-128-GCM:+NORMAL:+VERS-TLS1.2");     /* +KEYWORD adds */
    REQUIRE(p);
    CIPHERS(p, G128, G256, CHA);
    VERSIONS(p, T13, T12);
    gnutls_priority_deinit(p);

    p = init_ok("%COMPAT:+NORMAL:SECURE192");
    REQUIRE(p);
    CIPHERS(p, G256, CHA);
    CHECK_INT(p->compat, 1);
    gnutls_priority_deinit(p);

    /* after NONE a keyword adds and brings no versions */
    p = init_ok("NONE:+VERS-TLS1.2:SECURE128");
    REQUIRE(p);
    VERSIONS(p, T12);
    CIPHERS(p, G256, CHA, G128);
    gnutls_priority_deinit(p);

    /* SUITEB names its version */
    p = init_ok("NORMAL:-VERS-ALL:SUITEB128");
    REQUIRE(p);
    VERSIONS(p, T12);
    gnutls_priority_deinit(p);

    /* without a keyword, versions, signatures and groups have their defaults */
    p = init_ok("+AES-128-GCM:+AEAD:+ECDHE-RSA");
    REQUIRE(p);
    VERSIONS(p, T13, T12);
    SUITES(p, 0x1301, 0xc02f);
    GROUPS(p, NORMAL_GROUPS);
    gnutls_priority_deinit(p);
}

static void none_and_explicit(void)
{
    gnutls_priority_t p = init_ok("NONE:+VERS-TLS1.3:+CHACHA20-POLY1305:+AEAD:+GROUP-X25519:"
                                  "+SIGN-EDDSA-ED25519");
    REQUIRE(p);
    VERSIONS(p, T13);
    SUITES(p, 0x1303);
    GROUPS(p, 29);
    SIGS(p, 0x0807);
    CHECK_INT(p->n_kx, 0);
    gnutls_priority_deinit(p);

    p = init_ok("NONE:+VERS-TLS1.2:+AES-128-GCM:+AES-256-GCM:+ECDHE-RSA:+DHE-RSA:+AEAD:"
                "+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-SHA256:+GROUP-SECP256R1:+GROUP-FFDHE2048");
    REQUIRE(p);
    VERSIONS(p, T12);
    SUITES(p, 0xc02f, 0xc030, 0x009e, 0x009f);
    GROUPS(p, 23, 256);
    SIGS(p, 0x0804, 0x0401);
    gnutls_priority_deinit(p);

    /* everything by hand, in a chosen order */
    p = init_ok("NONE:+VERS-TLS-ALL:+CHACHA20-POLY1305:+AES-128-GCM:+MAC-ALL:+DHE-RSA:"
                "+ECDHE-ECDSA:+SIGN-ALL:+GROUP-X25519:+GROUP-ALL:+CTYPE-ALL:+COMP-NULL");
    REQUIRE(p);
    VERSIONS(p, T13, T12);
    SUITES(p, 0x1303, 0x1301, 0xccaa, 0x009e, 0xcca9, 0xc02b);
    GROUPS(p, 29, 23, 24, 25, 30, 256, 257, 258, 259, 260);
    gnutls_priority_deinit(p);
}

static void versions(void)
{
    gnutls_priority_t p = init_ok("NORMAL:-VERS-ALL:+VERS-TLS1.2");
    REQUIRE(p);
    VERSIONS(p, T12);
    SUITES(p, 0xc02c, 0xcca9, 0xc02b, 0xc030, 0xcca8, 0xc02f, 0x009d, 0x009c, 0x009f, 0xccaa,
           0x009e);
    CHECK_INT(keel_priority_max_version(p), T12);
    CHECK(!keel_priority_has_version(p, T13));
    gnutls_priority_deinit(p);

    /* TLS 1.3 alone: no TLS 1.2 key exchange is left (GnuTLS does the same) */
    p = init_ok("NORMAL:-VERS-ALL:+VERS-TLS1.3");
    REQUIRE(p);
    VERSIONS(p, T13);
    SUITES(p, 0x1302, 0x1303, 0x1301);
    CHECK_INT(p->n_kx, 0);
    CHECK_INT(keel_priority_max_version(p), T13);
    gnutls_priority_deinit(p);

    /* ... unless PSK is there */
    p = init_ok("NORMAL:-VERS-ALL:+VERS-TLS1.3:+PSK");
    REQUIRE(p);
    CHECK(keel_priority_has_kx(p, GNUTLS_KX_PSK));
    CHECK(keel_priority_has_kx(p, GNUTLS_KX_ECDHE_RSA));
    gnutls_priority_deinit(p);

    /* lower case, VERS-TLS-ALL, re-adding appends */
    p = init_ok("NORMAL:-vers-tls-all:+vers-tls1.2:+VERS-TLS1.3");
    REQUIRE(p);
    VERSIONS(p, T12, T13);
    CHECK_INT(keel_priority_max_version(p), T13);
    gnutls_priority_deinit(p);

    /* old versions and DTLS are accepted and never enabled */
    p = init_ok("NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+VERS-DTLS1.2:+VERS-DTLS-ALL:+VERS-SSL3.0");
    REQUIRE(p);
    VERSIONS(p, T13, T12);
    gnutls_priority_deinit(p);

    /* GnuTLS: TLS 1.3 next to TLS 1.1/1.0 needs TLS 1.2, so this enables nothing Keel has;
     * it parses, and gnutls_priority_set refuses it */
    p = init_ok("NORMAL:-VERS-TLS1.2");
    REQUIRE(p);
    CHECK_INT(p->n_versions, 0);
    CHECK_INT(keel_priority_max_version(p), GNUTLS_VERSION_UNKNOWN);
    gnutls_priority_deinit(p);
    p = init_ok("NORMAL:-VERS-TLS1.2:-VERS-TLS1.1:-VERS-TLS1.0");
    REQUIRE(p);
    VERSIONS(p, T13);
    gnutls_priority_deinit(p);

    /* %NO_EXTENSIONS rules TLS 1.3 out */
    p = init_ok("NORMAL:%NO_EXTENSIONS");
    REQUIRE(p);
    VERSIONS(p, T12);
    CHECK_INT(p->no_extensions, 1);
    gnutls_priority_deinit(p);
}

static void ciphers_macs_kx(void)
{
    gnutls_priority_t p = init_ok("NORMAL:+AES-128-GCM:-AES-256-GCM:!CHACHA20-POLY1305");
    REQUIRE(p);
    CIPHERS(p, G128);
    SUITES(p, 0x1301, 0xc02b, 0xc02f, 0x009c, 0x009e);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-CIPHER-ALL:+CHACHA20-POLY1305:+CIPHER-ALL");
    REQUIRE(p);
    CIPHERS(p, CHA, G256, G128);
    gnutls_priority_deinit(p);

    /* CBC, CCM, NULL & co. are known names, accepted, never enabled */
    p = init_ok("NORMAL:+AES-128-CBC:+AES-256-CBC:+3DES-CBC:+AES-128-CCM:+CAMELLIA-128-GCM:"
                "+ARCFOUR-128:-AES-128-CBC:+SHA1:+SHA256:+MD5:+MAC-NULL");
    REQUIRE(p);
    CIPHERS(p, G256, CHA, G128);
    LIST(p->macs, p->n_macs, GNUTLS_MAC_AEAD);
    SUITES(p, NORMAL_SUITES);
    gnutls_priority_deinit(p);

    /* ... but as in GnuTLS, NULL ciphers, SRP and RSA-PSK keep TLS 1.3 out */
    const char *no13[] = { "NORMAL:+NULL", "NORMAL:+SRP", "NORMAL:+RSA-PSK", "NORMAL:+SRP-RSA" };
    for (size_t i = 0; i < N(no13); i++) {
        p = init_ok(no13[i]);
        REQUIRE(p);
        VERSIONS(p, T12);
        gnutls_priority_deinit(p);
    }
    p = init_ok("NORMAL:+NULL:-NULL");
    REQUIRE(p);
    VERSIONS(p, T13, T12);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-KX-ALL:+ECDHE-RSA:+ANON-DH:+ANON-ECDH:+DHE-DSS:+RSA-EXPORT");
    REQUIRE(p);
    KXS(p, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_ANON_DH, GNUTLS_KX_ANON_ECDH);
    /* ECDH_anon has no AEAD suite (no IANA code point) */
    SUITES(p, 0x1302, 0x1303, 0x1301, 0xc030, 0xcca8, 0xc02f, 0x00a7, 0x00a6);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-RSA:-DHE-RSA:+PSK:+DHE-PSK:+ECDHE-PSK");
    REQUIRE(p);
    KXS(p, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_PSK, GNUTLS_KX_DHE_PSK,
        GNUTLS_KX_ECDHE_PSK);
    SUITES(p, 0x1302, 0x1303, 0x1301, 0xc02c, 0xcca9, 0xc02b, 0xc030, 0xcca8, 0xc02f,
           0x00a9, 0xccab, 0x00a8, 0x00ab, 0xccad, 0x00aa, 0xccac);
    gnutls_priority_deinit(p);

    /* the PSK suites are in the table but off by default */
    p = init_ok("NORMAL:+KX-ALL");
    REQUIRE(p);
    CHECK(!keel_priority_has_kx(p, GNUTLS_KX_PSK));
    CHECK(keel_priority_has_kx(p, GNUTLS_KX_RSA));
    gnutls_priority_deinit(p);

    /* *-ALL keywords match as prefixes, as in GnuTLS */
    p = init_ok("NORMAL:-KX-ALLX:+RSA");
    REQUIRE(p);
    KXS(p, GNUTLS_KX_RSA);
    gnutls_priority_deinit(p);

    /* TLS 1.3 suites only need a cipher: no key exchange is fine */
    p = init_ok("NORMAL:-KX-ALL");
    REQUIRE(p);
    SUITES(p, 0x1302, 0x1303, 0x1301);
    gnutls_priority_deinit(p);
    p = init_ok("NORMAL:-VERS-TLS1.3:-KX-ALL");
    REQUIRE(p);
    NO_SUITES(p);
    gnutls_priority_deinit(p);
}

static void groups(void)
{
    gnutls_priority_t p = init_ok("NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1");
    REQUIRE(p);
    GROUPS(p, 29, 24);
    LIST(p->list_groups, p->n_groups, GNUTLS_GROUP_X25519, GNUTLS_GROUP_SECP384R1);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-GROUP-DH-ALL");
    REQUIRE(p);
    GROUPS(p, 23, 24, 25, 29, 30);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-GROUP-EC-ALL");
    REQUIRE(p);
    GROUPS(p, 256, 257, 258, 259, 260);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-GROUP-ALL:+GROUP-DH-ALL:+GROUP-EC-ALL");
    REQUIRE(p);
    GROUPS(p, 256, 257, 258, 259, 260, 23, 24, 25, 29, 30);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-GROUP-ALL:+GROUP-X448:+GROUP-SECP521R1:+GROUP-FFDHE8192:"
                "+GROUP-FFDHE6144:+GROUP-FFDHE4096:+GROUP-FFDHE3072:+GROUP-FFDHE2048");
    REQUIRE(p);
    GROUPS(p, 30, 25, 260, 259, 258, 257, 256);
    gnutls_priority_deinit(p);

    /* CURVE-* are the old names; -CURVE-ALL clears every group, +CURVE-ALL adds all */
    p = init_ok("NORMAL:-CURVE-ALL:+CURVE-X25519:+CURVE-SECP256R1");
    REQUIRE(p);
    GROUPS(p, 29, 23);
    gnutls_priority_deinit(p);
    p = init_ok("NORMAL:-CURVE-ALL:+CURVE-ALL");
    REQUIRE(p);
    GROUPS(p, NORMAL_GROUPS);
    gnutls_priority_deinit(p);

    /* groups Keel lacks are accepted and ignored */
    p = init_ok("NORMAL:+GROUP-SECP192R1:+GROUP-SECP224R1:+GROUP-GC256A:+CURVE-Ed25519:"
                "+GROUP-GOST-ALL");
    REQUIRE(p);
    GROUPS(p, NORMAL_GROUPS);
    gnutls_priority_deinit(p);

    /* TLS 1.3 needs a group */
    p = init_ok("NORMAL:-GROUP-ALL");
    REQUIRE(p);
    VERSIONS(p, T12);
    CHECK_INT(p->n_groups, 0);
    SUITES(p, 0xc02c, 0xcca9, 0xc02b, 0xc030, 0xcca8, 0xc02f, 0x009d, 0x009c, 0x009f, 0xccaa,
           0x009e);
    gnutls_priority_deinit(p);
    p = init_ok("NORMAL:-GROUP-ALL:+GROUP-FFDHE2048");
    REQUIRE(p);
    VERSIONS(p, T13, T12);
    gnutls_priority_deinit(p);
}

static void signatures(void)
{
    /* two GnuTLS names for 0x0403: one entry, at the first one's place, TLS 1.3-capable */
    gnutls_priority_t p = init_ok("NORMAL:-SIGN-ALL:+SIGN-ECDSA-SHA256:+SIGN-RSA-SHA256:"
                                  "+SIGN-ECDSA-SECP256R1-SHA256");
    REQUIRE(p);
    SIGS(p, 0x0403, 0x0401);
    CHECK_INT(p->sigs[0]->sign, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256);
    SIGNS(p, GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_SIGN_RSA_SHA256,
          GNUTLS_SIGN_ECDSA_SECP256R1_SHA256);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-SIGN-ALL:+SIGN-ECDSA-SHA256");
    REQUIRE(p);
    SIGS(p, 0x0403);
    CHECK_INT(p->sigs[0]->tls13_ok, 0);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:!SIGN-RSA-SHA1:!SIGN-ECDSA-SHA1:-SIGN-RSA-PSS-SHA256:"
                "-SIGN-RSA-PSS-SHA384:-SIGN-RSA-PSS-SHA512");
    REQUIRE(p);
    SIGS(p, 0x0401, 0x0804, 0x0403, 0x0807, 0x0501, 0x0805, 0x0503, 0x0808, 0x0601, 0x0806,
         0x0603);
    gnutls_priority_deinit(p);

    /* case-insensitive names; DSA is known and ignored */
    p = init_ok("NORMAL:-SIGN-ALL:+SIGN-EDDSA-ED25519:+SIGN-rsa-pss-rsae-sha256:"
                "+SIGN-DSA-SHA256:+SIGN-GOST-ALL");
    REQUIRE(p);
    SIGS(p, 0x0807, 0x0804);
    gnutls_priority_deinit(p);

    /* no signature algorithm: neither TLS 1.2 nor 1.3 (parses; gnutls_priority_set fails) */
    p = init_ok("NORMAL:-SIGN-ALL");
    REQUIRE(p);
    CHECK_INT(p->n_versions, 0);
    NO_SUITES(p);
    gnutls_priority_deinit(p);

    /* a curve-bound ECDSA name is TLS 1.3's only, a curve-less one TLS 1.2's only */
    const char *no_sig[] = {
        "NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+ECDHE-ECDSA:+SIGN-ECDSA-SECP256R1-SHA256",
        "NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+GROUP-X25519:+SIGN-ECDSA-SHA256",
    };
    for (size_t i = 0; i < N(no_sig); i++) {
        gnutls_priority_t q = NULL;
        CHECK_INT(gnutls_priority_init(&q, no_sig[i], NULL), GNUTLS_E_NO_PRIORITIES_WERE_SET);
        CHECK(q == NULL);
    }
}

static void flags(void)
{
    gnutls_priority_t p = init_ok("NORMAL:%SERVER_PRECEDENCE:%NO_TICKETS:%NO_SESSION_HASH:"
                                  "%DISABLE_TLS13_COMPAT_MODE:%NO_ETM:%ALLOW_SMALL_RECORDS:"
                                  "%VERIFY_ALLOW_SIGN_WITH_SHA1:%COMPAT:%DUMBFW:"
                                  "%NO_TICKETS_TLS12:%FALLBACK_SCSV");
    REQUIRE(p);
    CHECK_INT(p->server_precedence, 1);
    CHECK_INT(p->no_tickets, 1);
    CHECK_INT(p->no_session_hash, 1);
    CHECK_INT(p->compat_mode, 0);
    CHECK_INT(p->no_etm, 1);
    CHECK_INT(p->allow_small_records, 1);
    CHECK_INT(p->verify_allow_sha1, 1);
    CHECK(p->verify_flags & GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1);
    CHECK_INT(p->compat, 1);
    CHECK_INT(p->dumbfw, 1);
    CHECK_INT(p->no_tickets_tls12, 1);
    CHECK_INT(p->fallback_scsv, 1);
    CHECK_INT(p->no_extensions, 0);
    CHECK_INT(p->force_session_hash, 0);
    VERSIONS(p, T13, T12);
    gnutls_priority_deinit(p);

    static const struct { const char *s; keel_safe_reneg_mode m; } sr[] = {
        { "NORMAL", KEEL_SR_PARTIAL },
        { "NORMAL:%SAFE_RENEGOTIATION", KEEL_SR_SAFE },
        { "NORMAL:%UNSAFE_RENEGOTIATION", KEEL_SR_UNSAFE },
        { "NORMAL:%PARTIAL_RENEGOTIATION", KEEL_SR_PARTIAL },
        { "NORMAL:%DISABLE_SAFE_RENEGOTIATION", KEEL_SR_DISABLED },
        { "NORMAL:%UNSAFE_RENEGOTIATION:%SAFE_RENEGOTIATION", KEEL_SR_SAFE },
    };
    for (size_t i = 0; i < N(sr); i++) {
        p = init_ok(sr[i].s);
        REQUIRE(p);
        CHECK_INT(p->safe_reneg, sr[i].m);
        gnutls_priority_deinit(p);
    }

    /* %FORCE_SESSION_HASH is GnuTLS 3.8's; Keel takes it */
    p = init_ok("NORMAL:%FORCE_SESSION_HASH");
    REQUIRE(p);
    CHECK_INT(p->force_session_hash, 1);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:%PROFILE_HIGH:%DISABLE_WILDCARDS:%VERIFY_DISABLE_CRL_CHECKS:"
                "%VERIFY_ALLOW_BROKEN:%SSL3_RECORD_VERSION:%LATEST_RECORD_VERSION");
    REQUIRE(p);
    CHECK_INT(p->profile, GNUTLS_PROFILE_HIGH);
    CHECK_INT(p->level, GNUTLS_SEC_PARAM_HIGH);
    CHECK_INT(p->min_dh_bits, 3072);
    CHECK(p->verify_flags & GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS);
    CHECK(p->verify_flags & GNUTLS_VERIFY_DISABLE_CRL_CHECKS);
    CHECK(p->verify_flags & GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5);
    CHECK_INT(p->latest_record_version, 1);
    CHECK_INT(p->ssl3_record_version, 0);
    gnutls_priority_deinit(p);

    /* accepted where harmless, with no effect */
    p = init_ok("NORMAL:%STATELESS_COMPRESSION:%NEW_PADDING:%FORCE_ETM:"
                "%DEBUG_ALLOW_KEY_USAGE_VIOLATIONS:%VERIFY_ALLOW_X509_V1_CA_CRT:"
                "%VERIFY_ALLOW_SIGN_RSA_MD5:%PROFILE_SUITEB128:%PROFILE_VERY_WEAK");
    REQUIRE(p);
    SUITES(p, NORMAL_SUITES);
    CHECK_INT(p->allow_key_usage_violation, 1);
    gnutls_priority_deinit(p);
}

/* Error positions from the real gnutls_priority_init (GnuTLS 3.7.9). */
static void errors(void)
{
    static const struct { const char *s; int ret; int pos; } cases[] = {
        { "NORMAL:+FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "FOO", GNUTLS_E_INVALID_REQUEST, 0 },
        { "NORMAL:-FOO:+BAR", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:%FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL::+AES-128-GCM", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:", GNUTLS_E_INVALID_REQUEST, 7 },
        { ":NORMAL", GNUTLS_E_INVALID_REQUEST, 0 },
        { "", GNUTLS_E_INVALID_REQUEST, 0 },
        { "NORMAL:FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+ :x", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:%compat", GNUTLS_E_INVALID_REQUEST, 7 },       /* flags are case-sensitive */
        { "NORMAL:+VERS-TLS1.2FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+VERS-FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+CURVE-FFDHE2048", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+SIGN-FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+CTYPE-FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+CTYPE-CLI-FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:NONE", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:\t+FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:  +FOO", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL :+AES-128-GCM", GNUTLS_E_INVALID_REQUEST, 0 },
        { "NORMAL:+AES-128-GCM:  ", GNUTLS_E_INVALID_REQUEST, 20 },
        { "NORMAL:%COMPAT ", GNUTLS_E_INVALID_REQUEST, 7 },
        /* GnuTLS counts earlier tokens without their leading spaces */
        { "NORMAL: +AES-128-GCM:%FOO", GNUTLS_E_INVALID_REQUEST, 20 },
        { "SECURE128: +AES-128-GCM:-CTYPE-X.509:+SIGN-ECDSA-SECP256R1-SHA256: :!RSA",
          GNUTLS_E_INVALID_REQUEST, 65 },
        { "NORMAL:-SECURE128", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+GROUP-", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:%NO_SHUFFLE_EXTENSIONS", GNUTLS_E_INVALID_REQUEST, 7 },
        { "NORMAL:+AES-128-GCM:+FOO:%BAR", GNUTLS_E_INVALID_REQUEST, 20 },
        { "@FOO", GNUTLS_E_INVALID_REQUEST, 0 },
        { "@FOO,BAR:NORMAL", GNUTLS_E_INVALID_REQUEST, 0 },
        /* nothing to negotiate: GNUTLS_E_NO_PRIORITIES_WERE_SET, at the start */
        { "NONE", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NONE:+VERS-TLS1.2", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "none:+vers-tls1.2", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NORMAL:-CIPHER-ALL", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NORMAL:-VERS-ALL", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NORMAL:-MAC-ALL", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NORMAL:-VERS-ALL:+VERS-SSL3.0", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NORMAL:-VERS-TLS-ALL:-VERS-DTLS-ALL", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NONE:+VERS-TLS1.2:+AES-128-GCM:+ECDHE-RSA:+AEAD", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NONE:+VERS-TLS1.2:+AES-128-GCM:+ECDHE-RSA:+SHA256:+SIGN-ALL",
          GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NONE:SECURE128", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "+AES-128-GCM", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        /* Keel has only AEAD: these succeed in GnuTLS (CBC) and enable nothing here */
        { "NORMAL:-AEAD", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
        { "NORMAL:-CIPHER-ALL:+AES-128-CBC:+SHA1", GNUTLS_E_NO_PRIORITIES_WERE_SET, 0 },
    };
    for (size_t i = 0; i < N(cases); i++) {
        gnutls_priority_t p = (gnutls_priority_t)&p;
        const char *err = NULL;
        int ret = gnutls_priority_init(&p, cases[i].s, &err);
        if (ret != cases[i].ret || !err || err - cases[i].s != cases[i].pos) {
            fprintf(stderr, "  \"%s\": %d at %ld, want %d at %d\n", cases[i].s, ret,
                    err ? (long)(err - cases[i].s) : -1L, cases[i].ret, cases[i].pos);
            t_case_failed = 1;
        }
        CHECK(p == NULL);
    }
    /* err_pos may be NULL; on success it points at the string */
    gnutls_priority_t p;
    CHECK_INT(gnutls_priority_init(&p, "NORMAL:+FOO", NULL), GNUTLS_E_INVALID_REQUEST);
    const char *s = "NORMAL", *err = NULL;
    CHECK_INT(gnutls_priority_init(&p, s, &err), 0);
    CHECK(err == s);
    gnutls_priority_deinit(p);
    CHECK_INT(gnutls_priority_init(NULL, "NORMAL", NULL), GNUTLS_E_INVALID_REQUEST);
}

/* Keel has no system configuration file: @SYSTEM is NORMAL (doc/COMPAT.md). */
static void system_keyword(void)
{
    gnutls_priority_t p = init_ok("@SYSTEM");
    REQUIRE(p);
    SUITES(p, NORMAL_SUITES);
    gnutls_priority_deinit(p);
    p = init_ok("@FOO,SYSTEM:-VERS-TLS1.3:%SERVER_PRECEDENCE");
    REQUIRE(p);
    VERSIONS(p, T12);
    CHECK_INT(p->server_precedence, 1);
    gnutls_priority_deinit(p);
    const char *s = "@SYSTEM:+FOO", *err = NULL;
    CHECK_INT(gnutls_priority_init(&p, s, &err), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(err - s, 8);
}

static void ctypes(void)
{
    gnutls_priority_t p = init_ok("NORMAL");
    REQUIRE(p);
    const unsigned *l;
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_SERVER), 1);
    CHECK_INT(l[0], GNUTLS_CRT_X509);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_CLIENT), 1);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_OURS),
              GNUTLS_E_INVALID_REQUEST);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-CTYPE-SRV-ALL:+CTYPE-RAWPK:+CTYPE-OPENPGP:+CTYPE-X.509");
    REQUIRE(p);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_SERVER), 1);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_CLIENT), 1);
    gnutls_priority_deinit(p);

    /* an empty list means X.509, for Keel's own use too */
    p = init_ok("NORMAL:-CTYPE-ALL");
    REQUIRE(p);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_SERVER), 0);
    LIST(p->ctypes, p->n_ctypes, GNUTLS_CRT_X509);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-CTYPE-CLI-X509:+COMP-ALL:-COMP-NULL:+COMP-DEFLATE");
    REQUIRE(p);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_CLIENT), 0);
    CHECK_INT(gnutls_priority_certificate_type_list2(p, &l, GNUTLS_CTYPE_SERVER), 1);
    gnutls_priority_deinit(p);
}

static void def_append(void)
{
    gnutls_priority_t p;
    const char *s = "-VERS-ALL:+VERS-TLS1.2:%SERVER_PRECEDENCE", *err = NULL;
    CHECK_INT(gnutls_priority_init2(&p, s, &err, GNUTLS_PRIORITY_INIT_DEF_APPEND), 0);
    REQUIRE(p);
    VERSIONS(p, T12);
    CIPHERS(p, G256, CHA, G128);
    CHECK_INT(p->server_precedence, 1);
    gnutls_priority_deinit(p);

    /* positions are in the caller's string (GnuTLS: 13, 0, 0, 0) */
    s = "+AES-128-GCM:%BAR";
    CHECK_INT(gnutls_priority_init2(&p, s, &err, GNUTLS_PRIORITY_INIT_DEF_APPEND),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(err - s, 13);
    s = "%FOO";
    CHECK_INT(gnutls_priority_init2(&p, s, &err, GNUTLS_PRIORITY_INIT_DEF_APPEND),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(err - s, 0);
    s = "";
    CHECK_INT(gnutls_priority_init2(&p, s, &err, GNUTLS_PRIORITY_INIT_DEF_APPEND),
              GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(err - s, 0);
    CHECK_INT(gnutls_priority_init2(&p, "-CIPHER-ALL", &err, GNUTLS_PRIORITY_INIT_DEF_APPEND),
              GNUTLS_E_NO_PRIORITIES_WERE_SET);
    CHECK_INT(gnutls_priority_init2(&p, NULL, &err, GNUTLS_PRIORITY_INIT_DEF_APPEND),
              GNUTLS_E_INVALID_REQUEST);
    /* without the flag, init2 is init */
    CHECK_INT(gnutls_priority_init2(&p, "SECURE192", NULL, 0), 0);
    REQUIRE(p);
    CIPHERS(p, G256, CHA);
    gnutls_priority_deinit(p);
}

static void public_lists(void)
{
    gnutls_priority_t p = init_ok("NORMAL");
    REQUIRE(p);
    const unsigned *l;
    int n = gnutls_priority_protocol_list(p, &l);
    CHECK_INT(n, 2);
    CHECK_INT(l[0], GNUTLS_TLS1_3);
    n = gnutls_priority_cipher_list(p, &l);
    CHECK(ids_are(l, (unsigned)n, (const unsigned[]){ G256, CHA, G128 }, 3));
    n = gnutls_priority_mac_list(p, &l);
    CHECK(n == 1 && l[0] == GNUTLS_MAC_AEAD);
    n = gnutls_priority_kx_list(p, &l);
    CHECK(ids_are(l, (unsigned)n, (const unsigned[]){ GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA,
                                                      GNUTLS_KX_RSA, GNUTLS_KX_DHE_RSA }, 4));
    n = gnutls_priority_group_list(p, &l);
    CHECK(ids_are(l, (unsigned)n, (const unsigned[]){ GNUTLS_GROUP_SECP256R1,
        GNUTLS_GROUP_SECP384R1, GNUTLS_GROUP_SECP521R1, GNUTLS_GROUP_X25519, GNUTLS_GROUP_X448,
        GNUTLS_GROUP_FFDHE2048, GNUTLS_GROUP_FFDHE3072, GNUTLS_GROUP_FFDHE4096,
        GNUTLS_GROUP_FFDHE6144, GNUTLS_GROUP_FFDHE8192 }, 10));
    n = gnutls_priority_sign_list(p, &l);
    CHECK(ids_are(l, (unsigned)n, (const unsigned[]){ NORMAL_SIGNS }, 19));

    /* suite indexes walk gnutls_cipher_suite_info() */
    static const uint16_t want[] = { NORMAL_SUITES };
    unsigned i, idx;
    for (i = 0; gnutls_priority_get_cipher_suite_index(p, i, &idx) == 0; i++) {
        unsigned char id[2];
        REQUIRE(i < N(want));
        REQUIRE(gnutls_cipher_suite_info(idx, id, NULL, NULL, NULL, NULL) != NULL);
        CHECK_INT(id[0] << 8 | id[1], want[i]);
    }
    CHECK_INT(i, N(want));
    CHECK_INT(gnutls_priority_get_cipher_suite_index(p, 1000, &idx),
              GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);

    /* the deprecated ones */
    n = gnutls_priority_ecc_curve_list(p, &l);
    CHECK(ids_are(l, (unsigned)n, (const unsigned[]){ GNUTLS_ECC_CURVE_SECP256R1,
        GNUTLS_ECC_CURVE_SECP384R1, GNUTLS_ECC_CURVE_SECP521R1, GNUTLS_ECC_CURVE_X25519,
        GNUTLS_ECC_CURVE_X448 }, 5));
    n = gnutls_priority_compression_list(p, &l);
    CHECK(n == 1 && l[0] == GNUTLS_COMP_NULL);
    n = gnutls_priority_certificate_type_list(p, &l);
    CHECK(n == 1 && l[0] == GNUTLS_CRT_X509);
    gnutls_priority_deinit(p);

    p = init_ok("NORMAL:-GROUP-EC-ALL");
    REQUIRE(p);
    CHECK_INT(gnutls_priority_ecc_curve_list(p, &l), 0);
    gnutls_priority_deinit(p);

    /* as GnuTLS 3.7.9 lists them */
    static const char *const kw[] = { "NORMAL", "PFS", "SECURE128", "SECURE192", "SUITEB128",
                                      "SUITEB192", "LEGACY", "PERFORMANCE", NULL };
    for (unsigned k = 0; k < N(kw); k++) {
        const char *got = gnutls_priority_string_list(k, GNUTLS_PRIORITY_LIST_INIT_KEYWORDS);
        CHECK((got == NULL && kw[k] == NULL) || (got && kw[k] && strcmp(got, kw[k]) == 0));
    }
    CHECK(gnutls_priority_string_list(0, 0) == NULL);
    /* every listed flag parses */
    const char *f;
    for (unsigned k = 0; (f = gnutls_priority_string_list(k, GNUTLS_PRIORITY_LIST_SPECIAL)); k++) {
        char buf[64];
        snprintf(buf, sizeof buf, "NORMAL:%%%s", f);
        gnutls_priority_t q = init_ok(buf);
        CHECK(q != NULL);
        gnutls_priority_deinit(q);
    }
}

static void default_priority(void)
{
    const struct gnutls_priority_st *d = keel_priority_default();
    REQUIRE(d);
    CHECK(d == keel_priority_default());
    CHECK(suites_are((gnutls_priority_t)d, (const uint16_t[]){ NORMAL_SUITES }, 14));
    CHECK(sigs_are((gnutls_priority_t)d, (const uint16_t[]){ NORMAL_SIGS }, 16));
    CHECK(groups_are((gnutls_priority_t)d, (const uint16_t[]){ NORMAL_GROUPS }, 10));
    CHECK_INT(d->safe_reneg, KEEL_SR_PARTIAL);
    CHECK_INT(d->compat_mode, 1);
    /* references on the default do nothing */
    keel_priority_ref(d);
    keel_priority_unref(d);
    keel_priority_unref(d);
    CHECK_INT(d->n_suites, 14);
    keel_priority_unref(NULL);
}

/* gnutls_priority_set keeps a reference: the priority outlives its deinit. ASan checks the
 * frees. */
static void session_set(void)
{
    static struct gnutls_session_int s;
    memset(&s, 0, sizeof s);
    gnutls_priority_t p = init_ok("NORMAL:-VERS-TLS1.3");
    REQUIRE(p);
    CHECK_INT(gnutls_priority_set(&s, p), 0);
    gnutls_priority_deinit(p);
    REQUIRE(s.prio == p);
    VERSIONS(s.prio, T12);

    const char *err = NULL, *bad = "NORMAL:+FOO";
    CHECK_INT(gnutls_priority_set_direct(&s, bad, &err), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(err - bad, 7);
    CHECK(s.prio == p);     /* unchanged */

    CHECK_INT(gnutls_priority_set_direct(&s, "SECURE192", NULL), 0);
    CIPHERS(s.prio, G256, CHA);
    CHECK_INT(gnutls_set_default_priority(&s), 0);
    SUITES(s.prio, NORMAL_SUITES);
    CHECK_INT(gnutls_set_default_priority_append(&s, "-VERS-ALL:+VERS-TLS1.3", NULL, 0), 0);
    VERSIONS(s.prio, T13);
    bad = "+AES-128-GCM:%BAR";
    CHECK_INT(gnutls_set_default_priority_append(&s, bad, &err, 0), GNUTLS_E_INVALID_REQUEST);
    CHECK_INT(err - bad, 13);

    /* a priority that parses but enables nothing is refused here */
    const char *nothing[] = { "NORMAL:-SIGN-ALL", "NORMAL:-VERS-TLS1.2", "NORMAL:-VERS-TLS1.3:-KX-ALL" };
    for (size_t i = 0; i < N(nothing); i++)
        CHECK_INT(gnutls_priority_set_direct(&s, nothing[i], NULL),
                  GNUTLS_E_NO_PRIORITIES_WERE_SET);
    CHECK_INT(gnutls_priority_set(&s, NULL), GNUTLS_E_NO_PRIORITIES_WERE_SET);
    VERSIONS(s.prio, T13);

    /* two sessions share one priority */
    static struct gnutls_session_int s2;
    memset(&s2, 0, sizeof s2);
    gnutls_priority_t q = init_ok("PFS");
    REQUIRE(q);
    CHECK_INT(gnutls_priority_set(&s, q), 0);
    CHECK_INT(gnutls_priority_set(&s2, q), 0);
    gnutls_priority_deinit(q);
    CHECK_INT(s.prio->refs, 2);
    keel_priority_unref(s.prio);
    KXS(s2.prio, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_DHE_RSA);
    keel_priority_unref(s2.prio);
}

/* One priority read by many threads while others parse; the default is built once. */
static gnutls_priority_t shared;
static void *reader(void *arg)
{
    long bad = 0;
    for (int i = 0; i < 200; i++) {
        const struct gnutls_priority_st *d = keel_priority_default();
        bad += d->n_suites != 14;
        bad += shared->n_suites != 14 || shared->suites[0]->id != 0x1302;
        gnutls_priority_t p;
        if (gnutls_priority_init(&p, "SECURE256:-VERS-TLS1.3:+CURVE-ALL", NULL) == 0) {
            bad += p->n_versions != 1;
            keel_priority_ref(shared);
            gnutls_priority_deinit(p);
            keel_priority_unref(shared);
        } else {
            bad++;
        }
    }
    (void)arg;
    return (void *)bad;
}

static void threads(void)
{
    shared = init_ok("NORMAL");
    REQUIRE(shared);
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        REQUIRE(pthread_create(&t[i], NULL, reader, NULL) == 0);
    long bad = 0;
    for (int i = 0; i < 8; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(shared->refs, 1);
    gnutls_priority_deinit(shared);
}

int main(void)
{
    RUN(normal);
    RUN(other_keywords);
    RUN(keyword_combinations);
    RUN(none_and_explicit);
    RUN(versions);
    RUN(ciphers_macs_kx);
    RUN(groups);
    RUN(signatures);
    RUN(flags);
    RUN(errors);
    RUN(system_keyword);
    RUN(ctypes);
    RUN(def_append);
    RUN(public_lists);
    RUN(default_priority);
    RUN(session_set);
    RUN(threads);
    return t_done();
}
