/* The priority-string parser (gnutls_priority_init & co.) and the public functions that read
 * a parsed priority. The semantics are GnuTLS 3.7's, measured against libgnutls, restricted
 * to what Keel implements: names of algorithms Keel lacks are accepted and ignored. */
#include <pthread.h>
#include <strings.h>
#include <gnutls/x509.h>
#include "priority/priority.h"
#include "priority/names.h"

/* ---- the keyword lists: Keel's subset of GnuTLS's, in GnuTLS's order ---- */

typedef struct {
    const unsigned *ids;
    unsigned n;
} idset;

#define SET(a) { a, KEEL_ARRAY_SIZE(a) }
#define NO_SET { NULL, 0 }

/* Versions are tracked as GnuTLS does, old ones and DTLS included, because whether a string
 * "enables nothing" depends on them; only TLS 1.2 and 1.3 reach the result. */
static const unsigned vers_all[] = {
    GNUTLS_TLS1_3, GNUTLS_TLS1_2, GNUTLS_TLS1_1, GNUTLS_TLS1_0, GNUTLS_DTLS1_2, GNUTLS_DTLS1_0
};
static const unsigned vers_stream[] = { GNUTLS_TLS1_3, GNUTLS_TLS1_2, GNUTLS_TLS1_1, GNUTLS_TLS1_0 };
static const unsigned vers_dtls_add[] = { GNUTLS_DTLS1_2, GNUTLS_DTLS1_0 };
static const unsigned vers_dtls_remove[] = { GNUTLS_DTLS1_2, GNUTLS_DTLS1_0, GNUTLS_DTLS0_9 };
static const unsigned vers_tls12[] = { GNUTLS_TLS1_2 };

static const unsigned ciphers_normal[] = {
    GNUTLS_CIPHER_AES_256_GCM, GNUTLS_CIPHER_CHACHA20_POLY1305, GNUTLS_CIPHER_AES_128_GCM
};
static const unsigned ciphers_performance[] = {
    GNUTLS_CIPHER_AES_128_GCM, GNUTLS_CIPHER_AES_256_GCM, GNUTLS_CIPHER_CHACHA20_POLY1305
};
static const unsigned ciphers_secure192[] = {
    GNUTLS_CIPHER_AES_256_GCM, GNUTLS_CIPHER_CHACHA20_POLY1305
};
static const unsigned ciphers_suiteb128[] = { GNUTLS_CIPHER_AES_256_GCM, GNUTLS_CIPHER_AES_128_GCM };
static const unsigned ciphers_suiteb192[] = { GNUTLS_CIPHER_AES_256_GCM };

static const unsigned macs_all[] = { GNUTLS_MAC_AEAD };

static const unsigned kx_normal[] = {
    GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_RSA, GNUTLS_KX_DHE_RSA
};
static const unsigned kx_pfs[] = { GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_DHE_RSA };
static const unsigned kx_performance[] = {
    GNUTLS_KX_RSA, GNUTLS_KX_ECDHE_ECDSA, GNUTLS_KX_ECDHE_RSA, GNUTLS_KX_DHE_RSA
};
static const unsigned kx_suiteb[] = { GNUTLS_KX_ECDHE_ECDSA };

static const unsigned groups_normal[] = {
    GNUTLS_GROUP_SECP256R1, GNUTLS_GROUP_SECP384R1, GNUTLS_GROUP_SECP521R1, GNUTLS_GROUP_X25519,
    GNUTLS_GROUP_X448, GNUTLS_GROUP_FFDHE2048, GNUTLS_GROUP_FFDHE3072, GNUTLS_GROUP_FFDHE4096,
    GNUTLS_GROUP_FFDHE6144, GNUTLS_GROUP_FFDHE8192
};
static const unsigned groups_ec[] = {
    GNUTLS_GROUP_SECP256R1, GNUTLS_GROUP_SECP384R1, GNUTLS_GROUP_SECP521R1, GNUTLS_GROUP_X25519,
    GNUTLS_GROUP_X448
};
static const unsigned groups_dh[] = {
    GNUTLS_GROUP_FFDHE2048, GNUTLS_GROUP_FFDHE3072, GNUTLS_GROUP_FFDHE4096,
    GNUTLS_GROUP_FFDHE6144, GNUTLS_GROUP_FFDHE8192
};
static const unsigned groups_secure192[] = {
    GNUTLS_GROUP_SECP384R1, GNUTLS_GROUP_SECP521R1, GNUTLS_GROUP_FFDHE8192
};
static const unsigned groups_suiteb128[] = { GNUTLS_GROUP_SECP256R1, GNUTLS_GROUP_SECP384R1 };
static const unsigned groups_suiteb192[] = { GNUTLS_GROUP_SECP384R1 };

#define SIGNS_256 GNUTLS_SIGN_RSA_SHA256, GNUTLS_SIGN_RSA_PSS_SHA256, \
    GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, GNUTLS_SIGN_ECDSA_SHA256, \
    GNUTLS_SIGN_ECDSA_SECP256R1_SHA256, GNUTLS_SIGN_EDDSA_ED25519
#define SIGNS_384_512 GNUTLS_SIGN_RSA_SHA384, GNUTLS_SIGN_RSA_PSS_SHA384, \
    GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_SIGN_ECDSA_SHA384, \
    GNUTLS_SIGN_ECDSA_SECP384R1_SHA384, GNUTLS_SIGN_EDDSA_ED448, \
    GNUTLS_SIGN_RSA_SHA512, GNUTLS_SIGN_RSA_PSS_SHA512, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, \
    GNUTLS_SIGN_ECDSA_SHA512, GNUTLS_SIGN_ECDSA_SECP521R1_SHA512
static const unsigned signs_normal[] = {
    SIGNS_256, SIGNS_384_512, GNUTLS_SIGN_RSA_SHA1, GNUTLS_SIGN_ECDSA_SHA1
};
static const unsigned signs_secure128[] = { SIGNS_256, SIGNS_384_512 };
static const unsigned signs_secure192[] = { SIGNS_384_512 };
static const unsigned signs_suiteb128[] = {
    GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256,
    GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384
};
static const unsigned signs_suiteb192[] = {
    GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384
};

/* Only the SUITEB keywords name versions; the others leave them to the defaults. */
typedef struct {
    const char *name;
    idset vers, ciphers, kx, groups, signs;
    int sec_param;
    unsigned profile;
    unsigned no_tickets_tls12;
} level_def;

static const level_def levels[] = {
    { "NORMAL", NO_SET, SET(ciphers_normal), SET(kx_normal), SET(groups_normal),
      SET(signs_normal), GNUTLS_SEC_PARAM_WEAK, GNUTLS_PROFILE_LOW, 0 },
    { "PFS", NO_SET, SET(ciphers_normal), SET(kx_pfs), SET(groups_normal),
      SET(signs_normal), GNUTLS_SEC_PARAM_WEAK, GNUTLS_PROFILE_LOW, 1 },
    { "SECURE128", NO_SET, SET(ciphers_normal), SET(kx_normal), SET(groups_normal),
      SET(signs_secure128), GNUTLS_SEC_PARAM_LOW, GNUTLS_PROFILE_LOW, 0 },
    { "SECURE", NO_SET, SET(ciphers_normal), SET(kx_normal), SET(groups_normal),
      SET(signs_secure128), GNUTLS_SEC_PARAM_LOW, GNUTLS_PROFILE_LOW, 0 },
    { "SECURE192", NO_SET, SET(ciphers_secure192), SET(kx_normal), SET(groups_secure192),
      SET(signs_secure192), GNUTLS_SEC_PARAM_HIGH, GNUTLS_PROFILE_HIGH, 0 },
    { "SECURE256", NO_SET, SET(ciphers_secure192), SET(kx_normal), SET(groups_secure192),
      SET(signs_secure192), GNUTLS_SEC_PARAM_HIGH, GNUTLS_PROFILE_HIGH, 0 },
    { "SUITEB128", SET(vers_tls12), SET(ciphers_suiteb128), SET(kx_suiteb), SET(groups_suiteb128),
      SET(signs_suiteb128), GNUTLS_SEC_PARAM_HIGH, GNUTLS_PROFILE_SUITEB128, 0 },
    { "SUITEB192", SET(vers_tls12), SET(ciphers_suiteb192), SET(kx_suiteb), SET(groups_suiteb192),
      SET(signs_suiteb192), GNUTLS_SEC_PARAM_ULTRA, GNUTLS_PROFILE_SUITEB192, 0 },
    { "LEGACY", NO_SET, SET(ciphers_normal), SET(kx_normal), SET(groups_normal),
      SET(signs_normal), GNUTLS_SEC_PARAM_VERY_WEAK, GNUTLS_PROFILE_UNKNOWN, 0 },
    { "PERFORMANCE", NO_SET, SET(ciphers_performance), SET(kx_performance),
      SET(groups_normal), SET(signs_normal), GNUTLS_SEC_PARAM_WEAK, GNUTLS_PROFILE_LOW, 0 },
};

/* gnutls_sec_param_to_pk_bits(GNUTLS_PK_DH, level), as GnuTLS 3.7 answers it. */
static unsigned dh_bits_for_level(int sec_param)
{
    switch (sec_param) {
    case GNUTLS_SEC_PARAM_VERY_WEAK: return 767;
    case GNUTLS_SEC_PARAM_WEAK: return 1008;
    case GNUTLS_SEC_PARAM_LOW: return 1024;
    case GNUTLS_SEC_PARAM_LEGACY: return 1776;
    case GNUTLS_SEC_PARAM_MEDIUM: return 2048;
    case GNUTLS_SEC_PARAM_HIGH: return 3072;
    case GNUTLS_SEC_PARAM_ULTRA: return 8192;
    case GNUTLS_SEC_PARAM_FUTURE: return 15360;
    default: return 0;
    }
}

/* ---- working lists while parsing ---- */

typedef struct {
    unsigned n;
    unsigned v[KEEL_MAX_PRIO];
} plist;

typedef struct {
    plist vers, ciphers, macs, kx, groups, signs, ctypes_cli, ctypes_srv;
    int level_set;          /* a keyword has replaced the lists (later ones only add) */
    struct gnutls_priority_st *p;
} parse_ctx;

static void pl_add(plist *l, unsigned id)
{
    for (unsigned i = 0; i < l->n; i++)
        if (l->v[i] == id)
            return;
    if (l->n < KEEL_MAX_PRIO)
        l->v[l->n++] = id;
}

static void pl_remove(plist *l, unsigned id)
{
    unsigned j = 0;
    for (unsigned i = 0; i < l->n; i++)
        if (l->v[i] != id)
            l->v[j++] = l->v[i];
    l->n = j;
}

static void pl_add_set(plist *l, idset s)
{
    for (unsigned i = 0; i < s.n; i++)
        pl_add(l, s.ids[i]);
}

static void pl_remove_set(plist *l, idset s)
{
    for (unsigned i = 0; i < s.n; i++)
        pl_remove(l, s.ids[i]);
}

static void pl_set(plist *l, idset s)
{
    l->n = 0;
    pl_add_set(l, s);
}

static int pl_has(const plist *l, unsigned id)
{
    for (unsigned i = 0; i < l->n; i++)
        if (l->v[i] == id)
            return 1;
    return 0;
}

/* ---- tokens ---- */

static int word_eq(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* GnuTLS matches the *-ALL keywords as prefixes ("+KX-ALLX" is +KX-ALL). */
static int word_prefix(const char *s, size_t len, const char *word)
{
    size_t wl = strlen(word);
    return len >= wl && strncasecmp(s, word, wl) == 0;
}

static const level_def *find_level(const char *s, size_t len)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(levels); i++)
        if (word_eq(s, len, levels[i].name))
            return &levels[i];
    return NULL;
}

/* A keyword replaces its lists the first time; after another keyword (or NONE) and for
 * "+KEYWORD" it only appends what is missing. */
static void apply_level(parse_ctx *c, const level_def *lv, int add)
{
    struct gnutls_priority_st *p = c->p;
    if (!add) {
        if (lv->vers.n)
            pl_set(&c->vers, lv->vers);
        pl_set(&c->ciphers, lv->ciphers);
        pl_set(&c->macs, (idset)SET(macs_all));
        pl_set(&c->kx, lv->kx);
        pl_set(&c->groups, lv->groups);
        pl_set(&c->signs, lv->signs);
        p->level = lv->sec_param;
        p->profile = lv->profile;
        p->no_tickets_tls12 = lv->no_tickets_tls12 != 0;
        c->level_set = 1;
        return;
    }
    pl_add_set(&c->vers, lv->vers);
    pl_add_set(&c->ciphers, lv->ciphers);
    pl_add_set(&c->macs, (idset)SET(macs_all));
    pl_add_set(&c->kx, lv->kx);
    pl_add_set(&c->groups, lv->groups);
    pl_add_set(&c->signs, lv->signs);
    if (p->level == 0 || lv->sec_param < p->level)
        p->level = lv->sec_param;
}

static const keel_name ctype_names[] = {
    { GNUTLS_CRT_X509, "X.509" }, { GNUTLS_CRT_X509, "X509" },
    { GNUTLS_CRT_RAWPK, "RAWPK" }, { GNUTLS_CRT_RAWPK, "Raw Public Key" },
    { 0, NULL },
};

static const unsigned ctypes_all[] = { GNUTLS_CRT_X509, GNUTLS_CRT_RAWPK };

/* CTYPE-*: Keel speaks X.509 only, and an empty list means X.509, so these only shape what
 * gnutls_priority_certificate_type_list2() reports. */
static int apply_ctype(parse_ctx *c, const char *b, size_t len, int plus)
{
    void (*op)(plist *, unsigned) = plus ? pl_add : pl_remove;
    unsigned id;
    if (word_prefix(b, len, "CTYPE-ALL")) {
        if (plus) {
            pl_add_set(&c->ctypes_cli, (idset)SET(ctypes_all));
            pl_add_set(&c->ctypes_srv, (idset)SET(ctypes_all));
        } else {
            c->ctypes_cli.n = c->ctypes_srv.n = 0;
        }
        return 0;
    }
    if (word_prefix(b, len, "CTYPE-CLI-") || word_prefix(b, len, "CTYPE-SRV-")) {
        plist *l = (b[6] == 'C' || b[6] == 'c') ? &c->ctypes_cli : &c->ctypes_srv;
        if (word_prefix(b + 10, len - 10, "ALL")) {
            if (plus)
                pl_add_set(l, (idset)SET(ctypes_all));
            else
                l->n = 0;
            return 0;
        }
        if (!keel_id_of(ctype_names, b + 10, len - 10, &id))
            return -1;
        op(l, id);
        return 0;
    }
    if (keel_id_of(ctype_names, b + 6, len - 6, &id)) {
        op(&c->ctypes_cli, id);
        op(&c->ctypes_srv, id);
        return 0;
    }
    return word_eq(b, len, "CTYPE-OPENPGP") ? 0 : -1;
}

/* "+X", "-X" or "!X" with b = X. Returns -1 when X means nothing. */
static int apply_algorithm(parse_ctx *c, const char *b, size_t len, int plus)
{
    void (*op)(plist *, unsigned) = plus ? pl_add : pl_remove;
    void (*op_set)(plist *, idset) = plus ? pl_add_set : pl_remove_set;
    const level_def *lv;
    unsigned id;

    if (plus && (lv = find_level(b, len)) != NULL) {
        apply_level(c, lv, 1);
        return 0;
    }
    /* MACs, ciphers and key exchanges Keel lacks are kept here and dropped at the end:
     * some of them (NULL, SRP, RSA-PSK) still switch TLS 1.3 off, as in GnuTLS. */
    if (keel_id_of(keel_mac_names, b, len, &id)) {
        op(&c->macs, id);
        return 0;
    }
    if (keel_id_of(keel_cipher_names, b, len, &id)) {
        op(&c->ciphers, id);
        return 0;
    }
    if (keel_id_of(keel_kx_names, b, len, &id)) {
        op(&c->kx, id);
        return 0;
    }
    if (word_eq(b, len, "RSA-EXPORT"))
        return 0;

    if (word_prefix(b, len, "VERS-")) {
        if (word_prefix(b, len, "VERS-TLS-ALL")) {
            op_set(&c->vers, (idset)SET(vers_stream));
        } else if (word_prefix(b, len, "VERS-DTLS-ALL")) {
            if (plus)
                pl_add_set(&c->vers, (idset)SET(vers_dtls_add));
            else
                pl_remove_set(&c->vers, (idset)SET(vers_dtls_remove));
        } else if (word_prefix(b, len, "VERS-ALL")) {
            if (plus)
                pl_add_set(&c->vers, (idset)SET(vers_all));
            else
                c->vers.n = 0;
        } else {
            if (!keel_id_of(keel_protocol_names, b + 5, len - 5, &id))
                return -1;
            /* TLS 1.0/1.1 and DTLS are tracked but never enabled, SSL 3.0 is dropped at once
             * as in a GnuTLS built without it (doc/COMPAT.md) */
            if (id != GNUTLS_SSL3)
                op(&c->vers, id);
        }
        return 0;
    }
    if (word_prefix(b, len, "COMP-"))
        return 0;
    if (word_prefix(b, len, "CURVE-")) {
        if (word_prefix(b, len, "CURVE-ALL")) {
            /* GnuTLS adds all groups here, the finite-field ones too */
            if (plus)
                pl_add_set(&c->groups, (idset)SET(groups_normal));
            else
                c->groups.n = 0;
            return 0;
        }
        if (!keel_id_of(keel_curve_names, b + 6, len - 6, &id))
            return -1;
        /* EC curve ids and their group ids are the same numbers in GnuTLS */
        if (keel_group_by_gnutls((gnutls_group_t)id))
            op(&c->groups, id);
        return 0;
    }
    if (word_prefix(b, len, "GROUP-")) {
        if (word_prefix(b, len, "GROUP-ALL")) {
            if (plus)
                pl_add_set(&c->groups, (idset)SET(groups_normal));
            else
                c->groups.n = 0;
        } else if (word_prefix(b, len, "GROUP-DH-ALL")) {
            op_set(&c->groups, (idset)SET(groups_dh));
        } else if (word_prefix(b, len, "GROUP-EC-ALL")) {
            op_set(&c->groups, (idset)SET(groups_ec));
        } else if (word_prefix(b, len, "GROUP-GOST-ALL")) {
            /* no GOST in Keel */
        } else {
            if (!keel_id_of(keel_group_names, b + 6, len - 6, &id))
                return -1;
            if (keel_group_by_gnutls((gnutls_group_t)id))
                op(&c->groups, id);
        }
        return 0;
    }
    if (word_prefix(b, len, "CTYPE-"))
        return apply_ctype(c, b, len, plus);
    if (word_prefix(b, len, "SIGN-")) {
        if (word_prefix(b, len, "SIGN-ALL")) {
            if (plus)
                pl_add_set(&c->signs, (idset)SET(signs_normal));
            else
                c->signs.n = 0;
        } else if (word_prefix(b, len, "SIGN-GOST-ALL")) {
            /* no GOST in Keel */
        } else {
            if (!keel_id_of(keel_sign_names, b + 5, len - 5, &id))
                return -1;
            if (keel_sigscheme_by_gnutls((gnutls_sign_algorithm_t)id))
                op(&c->signs, id);
        }
        return 0;
    }
    if (word_prefix(b, len, "MAC-ALL")) {
        if (plus)
            pl_add_set(&c->macs, (idset)SET(macs_all));
        else
            c->macs.n = 0;
        return 0;
    }
    if (word_prefix(b, len, "CIPHER-ALL")) {
        if (plus)
            pl_add_set(&c->ciphers, (idset)SET(ciphers_normal));
        else
            c->ciphers.n = 0;
        return 0;
    }
    if (word_prefix(b, len, "KX-ALL")) {
        if (plus)
            pl_add_set(&c->kx, (idset)SET(kx_normal));
        else
            c->kx.n = 0;
        return 0;
    }
    if (word_prefix(b, len, "CIPHER-GOST-ALL") || word_prefix(b, len, "MAC-GOST-ALL") ||
        word_prefix(b, len, "KX-GOST-ALL"))
        return 0;
    return -1;
}

/* ---- %FLAGS: matched exactly, case-sensitively, as GnuTLS does ---- */

enum flag_id {
    F_COMPAT, F_DUMBFW, F_NO_EXTENSIONS, F_NO_TICKETS, F_NO_TICKETS_TLS12, F_NO_ETM,
    F_FORCE_ETM, F_NO_SESSION_HASH, F_FORCE_SESSION_HASH, F_STATELESS_COMPRESSION,
    F_VERIFY_FLAG, F_SSL3_RECORD_VERSION, F_LATEST_RECORD_VERSION,
    F_UNSAFE_RENEGOTIATION, F_SAFE_RENEGOTIATION, F_PARTIAL_RENEGOTIATION,
    F_DISABLE_SAFE_RENEGOTIATION, F_SERVER_PRECEDENCE, F_PROFILE, F_NEW_PADDING,
    F_KEY_USAGE_VIOLATIONS, F_ALLOW_SMALL_RECORDS, F_DISABLE_TLS13_COMPAT_MODE,
    F_VERIFY_ALLOW_SHA1, F_FALLBACK_SCSV,
};

static const struct {
    const char *name;
    enum flag_id flag;
    unsigned arg;       /* verify flags, or the profile */
    int sec_param;      /* for profiles */
} flag_table[] = {
    { "COMPAT", F_COMPAT, 0, 0 },
    { "DUMBFW", F_DUMBFW, 0, 0 },
    { "NO_EXTENSIONS", F_NO_EXTENSIONS, 0, 0 },
    { "NO_TICKETS", F_NO_TICKETS, 0, 0 },
    { "NO_TICKETS_TLS12", F_NO_TICKETS_TLS12, 0, 0 },
    { "NO_ETM", F_NO_ETM, 0, 0 },
    { "FORCE_ETM", F_FORCE_ETM, 0, 0 },
    { "NO_SESSION_HASH", F_NO_SESSION_HASH, 0, 0 },
    /* not in GnuTLS 3.7.9 (3.8 has it); Keel takes it (doc/COMPAT.md) */
    { "FORCE_SESSION_HASH", F_FORCE_SESSION_HASH, 0, 0 },
    { "STATELESS_COMPRESSION", F_STATELESS_COMPRESSION, 0, 0 },
    { "VERIFY_ALLOW_SIGN_RSA_MD5", F_VERIFY_FLAG, GNUTLS_VERIFY_ALLOW_SIGN_RSA_MD5, 0 },
    { "VERIFY_DISABLE_CRL_CHECKS", F_VERIFY_FLAG, GNUTLS_VERIFY_DISABLE_CRL_CHECKS, 0 },
    { "VERIFY_ALLOW_X509_V1_CA_CRT", F_VERIFY_FLAG, GNUTLS_VERIFY_ALLOW_X509_V1_CA_CRT, 0 },
    { "VERIFY_ALLOW_BROKEN", F_VERIFY_FLAG, GNUTLS_VERIFY_ALLOW_BROKEN, 0 },
    { "DISABLE_WILDCARDS", F_VERIFY_FLAG, GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS, 0 },
    { "VERIFY_ALLOW_SIGN_WITH_SHA1", F_VERIFY_ALLOW_SHA1, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, 0 },
    { "SSL3_RECORD_VERSION", F_SSL3_RECORD_VERSION, 0, 0 },
    { "LATEST_RECORD_VERSION", F_LATEST_RECORD_VERSION, 0, 0 },
    { "UNSAFE_RENEGOTIATION", F_UNSAFE_RENEGOTIATION, 0, 0 },
    { "SAFE_RENEGOTIATION", F_SAFE_RENEGOTIATION, 0, 0 },
    { "PARTIAL_RENEGOTIATION", F_PARTIAL_RENEGOTIATION, 0, 0 },
    { "DISABLE_SAFE_RENEGOTIATION", F_DISABLE_SAFE_RENEGOTIATION, 0, 0 },
    { "SERVER_PRECEDENCE", F_SERVER_PRECEDENCE, 0, 0 },
    { "PROFILE_VERY_WEAK", F_PROFILE, GNUTLS_PROFILE_VERY_WEAK, GNUTLS_SEC_PARAM_VERY_WEAK },
    { "PROFILE_LOW", F_PROFILE, GNUTLS_PROFILE_LOW, GNUTLS_SEC_PARAM_LOW },
    { "PROFILE_LEGACY", F_PROFILE, GNUTLS_PROFILE_LEGACY, GNUTLS_SEC_PARAM_LEGACY },
    { "PROFILE_MEDIUM", F_PROFILE, GNUTLS_PROFILE_MEDIUM, GNUTLS_SEC_PARAM_MEDIUM },
    { "PROFILE_HIGH", F_PROFILE, GNUTLS_PROFILE_HIGH, GNUTLS_SEC_PARAM_HIGH },
    { "PROFILE_ULTRA", F_PROFILE, GNUTLS_PROFILE_ULTRA, GNUTLS_SEC_PARAM_ULTRA },
    { "PROFILE_FUTURE", F_PROFILE, GNUTLS_PROFILE_FUTURE, GNUTLS_SEC_PARAM_FUTURE },
    { "PROFILE_SUITEB128", F_PROFILE, GNUTLS_PROFILE_SUITEB128, GNUTLS_SEC_PARAM_HIGH },
    { "PROFILE_SUITEB192", F_PROFILE, GNUTLS_PROFILE_SUITEB192, GNUTLS_SEC_PARAM_ULTRA },
    { "NEW_PADDING", F_NEW_PADDING, 0, 0 },
    { "DEBUG_ALLOW_KEY_USAGE_VIOLATIONS", F_KEY_USAGE_VIOLATIONS, 0, 0 },
    { "ALLOW_SMALL_RECORDS", F_ALLOW_SMALL_RECORDS, 0, 0 },
    { "DISABLE_TLS13_COMPAT_MODE", F_DISABLE_TLS13_COMPAT_MODE, 0, 0 },
    { "FALLBACK_SCSV", F_FALLBACK_SCSV, 0, 0 },
};

static int apply_flag(parse_ctx *c, const char *b, size_t len)
{
    struct gnutls_priority_st *p = c->p;
    size_t i;
    for (i = 0; i < KEEL_ARRAY_SIZE(flag_table); i++)
        if (strlen(flag_table[i].name) == len && memcmp(flag_table[i].name, b, len) == 0)
            break;
    if (i == KEEL_ARRAY_SIZE(flag_table))
        return -1;
    switch (flag_table[i].flag) {
    case F_COMPAT: p->compat = 1; break;
    case F_DUMBFW: p->dumbfw = 1; break;
    case F_NO_EXTENSIONS: p->no_extensions = 1; break;
    case F_NO_TICKETS: p->no_tickets = 1; break;
    case F_NO_TICKETS_TLS12: p->no_tickets_tls12 = 1; break;
    case F_NO_ETM: p->no_etm = 1; break;
    case F_NO_SESSION_HASH: p->no_session_hash = 1; break;
    case F_FORCE_SESSION_HASH: p->force_session_hash = 1; break;
    case F_VERIFY_FLAG: p->verify_flags |= flag_table[i].arg; break;
    case F_VERIFY_ALLOW_SHA1:
        p->verify_flags |= flag_table[i].arg;
        p->verify_allow_sha1 = 1;
        break;
    case F_SSL3_RECORD_VERSION:
        p->ssl3_record_version = 1;
        p->latest_record_version = 0;
        break;
    case F_LATEST_RECORD_VERSION:
        p->latest_record_version = 1;
        p->ssl3_record_version = 0;
        break;
    case F_UNSAFE_RENEGOTIATION: p->safe_reneg = KEEL_SR_UNSAFE; break;
    case F_SAFE_RENEGOTIATION: p->safe_reneg = KEEL_SR_SAFE; break;
    case F_PARTIAL_RENEGOTIATION: p->safe_reneg = KEEL_SR_PARTIAL; break;
    case F_DISABLE_SAFE_RENEGOTIATION: p->safe_reneg = KEEL_SR_DISABLED; break;
    case F_SERVER_PRECEDENCE: p->server_precedence = 1; break;
    case F_PROFILE:
        p->profile = flag_table[i].arg;
        p->level = flag_table[i].sec_param;
        break;
    case F_KEY_USAGE_VIOLATIONS: p->allow_key_usage_violation = 1; break;
    case F_ALLOW_SMALL_RECORDS: p->allow_small_records = 1; break;
    case F_DISABLE_TLS13_COMPAT_MODE: p->compat_mode = 0; break;
    case F_FALLBACK_SCSV: p->fallback_scsv = 1; break;
    /* no CBC (so no encrypt-then-MAC), no compression, GnuTLS's obsolete no-op */
    case F_FORCE_ETM: case F_STATELESS_COMPRESSION: case F_NEW_PADDING:
        break;
    default:
        return -1;
    }
    return 0;
}

/* "@KEYWORD1,KEYWORD2,...": GnuTLS expands these from its system configuration file. Keel has
 * none, so @SYSTEM falls back to NORMAL (doc/COMPAT.md); other keywords are unknown. */
static int apply_system(parse_ctx *c, const char *s, size_t len)
{
    size_t i = 1;
    while (i <= len) {
        size_t j = i;
        while (j < len && s[j] != ',')
            j++;
        if (j - i == 6 && memcmp(s + i, "SYSTEM", 6) == 0) {
            apply_level(c, &levels[0], 0);
            return 0;
        }
        i = j + 1;
    }
    return -1;
}

/* ---- building the result ---- */

static void add_sig(struct gnutls_priority_st *p, const keel_sigscheme *s)
{
    for (unsigned i = 0; i < p->n_sigs; i++)
        if (p->sigs[i]->id == s->id) {
            /* one code point, two GnuTLS names: keep the place, prefer the TLS 1.3 reading */
            if (!p->sigs[i]->tls13_ok && s->tls13_ok)
                p->sigs[i] = s;
            return;
        }
    if (p->n_sigs < KEEL_MAX_PRIO)
        p->sigs[p->n_sigs++] = s;
}

/* GnuTLS's reading of the versions a signature name is for: the curve-less ECDSA names are
 * TLS 1.2's, the curve-bound ones TLS 1.3's, the others both. */
static int sign_fits(unsigned sign, int tls12, int tls13)
{
    switch (sign) {
    case GNUTLS_SIGN_ECDSA_SHA1: case GNUTLS_SIGN_ECDSA_SHA256:
    case GNUTLS_SIGN_ECDSA_SHA384: case GNUTLS_SIGN_ECDSA_SHA512:
        return tls12;
    case GNUTLS_SIGN_ECDSA_SECP256R1_SHA256: case GNUTLS_SIGN_ECDSA_SECP384R1_SHA384:
    case GNUTLS_SIGN_ECDSA_SECP521R1_SHA512:
        return tls13;
    default:
        return tls12 || tls13;
    }
}

static void add_suite(struct gnutls_priority_st *p, const keel_suite *s)
{
    if (s && p->n_suites < KEEL_MAX_PRIO)
        p->suites[p->n_suites++] = s;
}

static int finish(parse_ctx *c)
{
    struct gnutls_priority_st *p = c->p;
    unsigned i, j;

    for (i = 0; i < c->ciphers.n; i++)
        if (keel_cipher_supported((gnutls_cipher_algorithm_t)c->ciphers.v[i]) &&
            p->n_ciphers < KEEL_ARRAY_SIZE(p->ciphers))
            p->ciphers[p->n_ciphers++] = (gnutls_cipher_algorithm_t)c->ciphers.v[i];
    if (pl_has(&c->macs, GNUTLS_MAC_AEAD))
        p->macs[p->n_macs++] = GNUTLS_MAC_AEAD;
    for (i = 0; i < c->groups.n; i++)
        p->groups[p->n_groups++] = keel_group_by_gnutls((gnutls_group_t)c->groups.v[i]);
    for (i = 0; i < c->signs.n; i++) {
        p->signs[p->n_signs++] = (gnutls_sign_algorithm_t)c->signs.v[i];
        add_sig(p, keel_sigscheme_by_gnutls((gnutls_sign_algorithm_t)c->signs.v[i]));
    }
    p->ctypes[0] = GNUTLS_CRT_X509;
    p->n_ctypes = 1;

    /* The order of these checks is GnuTLS's. TLS 1.3 cannot carry NULL ciphers, SRP or
     * RSA-PSK, nor run without extensions; TLS 1.2 and up need signature algorithms. */
    if (pl_has(&c->ciphers, GNUTLS_CIPHER_NULL) || pl_has(&c->kx, GNUTLS_KX_SRP) ||
        pl_has(&c->kx, GNUTLS_KX_SRP_RSA) || pl_has(&c->kx, GNUTLS_KX_SRP_DSS) ||
        pl_has(&c->kx, GNUTLS_KX_RSA_PSK) || p->no_extensions)
        pl_remove(&c->vers, GNUTLS_TLS1_3);
    int tls12 = pl_has(&c->vers, GNUTLS_TLS1_2) || pl_has(&c->vers, GNUTLS_DTLS1_2);
    int tls13 = pl_has(&c->vers, GNUTLS_TLS1_3);
    unsigned fitting = 0;
    for (i = 0; i < c->signs.n; i++)
        fitting += (unsigned)sign_fits(c->signs.v[i], tls12, tls13);
    if (fitting == 0) {
        pl_remove(&c->vers, GNUTLS_TLS1_3);
        pl_remove(&c->vers, GNUTLS_TLS1_2);
        pl_remove(&c->vers, GNUTLS_DTLS1_2);
    }
    /* Nothing to negotiate: no version at all (old ones count here, as in GnuTLS, so that
     * "NORMAL:-VERS-TLS1.2:-VERS-TLS1.3" parses and fails at gnutls_priority_set), or no
     * AEAD cipher Keel has. */
    if (c->vers.n == 0 || p->n_ciphers == 0 || p->n_macs == 0)
        return GNUTLS_E_NO_PRIORITIES_WERE_SET;
    /* RFC 8446 4.2.8: TLS 1.3 without PSK needs a group to share a key in. */
    int have_psk = pl_has(&c->kx, GNUTLS_KX_PSK) || pl_has(&c->kx, GNUTLS_KX_DHE_PSK) ||
                   pl_has(&c->kx, GNUTLS_KX_ECDHE_PSK);
    if (p->n_groups == 0 && !have_psk)
        pl_remove(&c->vers, GNUTLS_TLS1_3);
    /* GnuTLS: a TLS 1.3 client falls back to what the server has, so TLS 1.3 next to older
     * versions needs TLS 1.2 ("NORMAL:-VERS-TLS1.2" enables neither). */
    if (!pl_has(&c->vers, GNUTLS_TLS1_2) &&
        (pl_has(&c->vers, GNUTLS_TLS1_1) || pl_has(&c->vers, GNUTLS_TLS1_0)))
        pl_remove(&c->vers, GNUTLS_TLS1_3);
    /* GnuTLS: with TLS 1.3 alone the TLS 1.2 key exchanges go, unless PSK is there. */
    if (c->vers.n == 1 && c->vers.v[0] == GNUTLS_TLS1_3 && !have_psk)
        c->kx.n = 0;
    for (i = 0; i < c->kx.n; i++)
        if (keel_kx_supported((gnutls_kx_algorithm_t)c->kx.v[i]) &&
            p->n_kx < KEEL_ARRAY_SIZE(p->kx))
            p->kx[p->n_kx++] = (gnutls_kx_algorithm_t)c->kx.v[i];
    for (i = 0; i < c->vers.n; i++)
        if ((c->vers.v[i] == GNUTLS_TLS1_3 || c->vers.v[i] == GNUTLS_TLS1_2) &&
            p->n_versions < KEEL_ARRAY_SIZE(p->versions))
            p->versions[p->n_versions++] = (gnutls_protocol_t)c->vers.v[i];

    /* TLS 1.3 suites (by cipher), then TLS 1.2 suites (kx major, cipher minor). GnuTLS lists
     * the TLS 1.2 ones even when only TLS 1.3 is enabled, and offers them too; with no
     * version that has them (DTLS 1.2 counts) there are none. */
    if (keel_priority_has_version(p, GNUTLS_TLS1_3))
        for (j = 0; j < p->n_ciphers; j++)
            add_suite(p, keel_suite_by_algs(GNUTLS_KX_UNKNOWN, p->ciphers[j], GNUTLS_MAC_AEAD));
    int tls12_suites = pl_has(&c->vers, GNUTLS_TLS1_3) || pl_has(&c->vers, GNUTLS_TLS1_2) ||
                       pl_has(&c->vers, GNUTLS_DTLS1_2);
    for (i = 0; i < p->n_kx && tls12_suites; i++)
        for (j = 0; j < p->n_ciphers; j++)
            add_suite(p, keel_suite_by_algs(p->kx[i], p->ciphers[j], GNUTLS_MAC_AEAD));

    if (p->level == 0)
        p->level = GNUTLS_SEC_PARAM_WEAK;
    p->min_dh_bits = dh_bits_for_level(p->level);

    for (i = 0; i < p->n_versions; i++)
        p->list_versions[i] = p->versions[i];
    for (i = 0; i < p->n_ciphers; i++)
        p->list_ciphers[i] = p->ciphers[i];
    for (i = 0; i < p->n_macs; i++)
        p->list_macs[i] = p->macs[i];
    for (i = 0; i < p->n_kx; i++)
        p->list_kx[i] = p->kx[i];
    for (i = 0; i < p->n_groups; i++) {
        p->list_groups[i] = p->groups[i]->group;
        /* EC groups and their gnutls_ecc_curve_t share numbers */
        if (!p->groups[i]->is_ffdhe)
            p->list_curves[p->n_list_curves++] = p->groups[i]->group;
    }
    for (i = 0; i < p->n_signs; i++)
        p->list_signs[i] = p->signs[i];
    for (i = 0; i < c->ctypes_cli.n; i++)
        if (c->ctypes_cli.v[i] == GNUTLS_CRT_X509)
            p->list_ctypes_cli[p->n_list_ctypes_cli++] = GNUTLS_CRT_X509;
    for (i = 0; i < c->ctypes_srv.n; i++)
        if (c->ctypes_srv.v[i] == GNUTLS_CRT_X509)
            p->list_ctypes_srv[p->n_list_ctypes_srv++] = GNUTLS_CRT_X509;
    return 0;
}

/* Parses s into p (zeroed by the caller). On a syntax error returns GNUTLS_E_INVALID_REQUEST
 * with *bad = offset of the offending token; GNUTLS_E_NO_PRIORITIES_WERE_SET has *bad = 0. */
static int parse(const char *s, struct gnutls_priority_st *p, size_t *bad)
{
    parse_ctx c;
    size_t pos = 0, len = strlen(s), gnutls_pos = 0;
    int first = 1;

    memset(&c, 0, sizeof c);
    c.p = p;
    p->compat_mode = 1;
    p->safe_reneg = KEEL_SR_PARTIAL;
    *bad = 0;

    for (;;) {
        size_t start = pos, end = pos;
        while (end < len && s[end] != ':')
            end++;
        /* GnuTLS skips spaces (only) before a token */
        size_t t = start;
        while (t < end && s[t] == ' ')
            t++;
        const char *tok = s + t;
        size_t tlen = end - t;
        const level_def *lv;
        int err = 0;

        if (first) {
            if (word_eq(tok, tlen, "NONE")) {
                c.level_set = 1;
            } else {
                /* unless the string starts with NONE, versions, signatures, groups and
                 * certificate types start from the defaults */
                pl_set(&c.vers, (idset)SET(vers_all));
                pl_set(&c.signs, (idset)SET(signs_normal));
                pl_set(&c.groups, (idset)SET(groups_normal));
                pl_add(&c.ctypes_cli, GNUTLS_CRT_X509);
                pl_add(&c.ctypes_srv, GNUTLS_CRT_X509);
                if (tlen > 0 && tok[0] == '@')
                    err = apply_system(&c, tok, tlen);
                else
                    first = 0;      /* an ordinary token: handled below */
            }
        }
        if (!first) {
            if (tlen == 0)
                err = -1;
            else if ((lv = find_level(tok, tlen)) != NULL)
                apply_level(&c, lv, c.level_set);
            else if (tok[0] == '+' || tok[0] == '-' || tok[0] == '!')
                err = apply_algorithm(&c, tok + 1, tlen - 1, tok[0] == '+');
            else if (tok[0] == '%')
                err = apply_flag(&c, tok + 1, tlen - 1);
            else
                err = -1;
        }
        if (err < 0) {
            /* GnuTLS counts the tokens before this one without their leading spaces */
            *bad = gnutls_pos;
            return GNUTLS_E_INVALID_REQUEST;
        }
        gnutls_pos += tlen + 1;
        first = 0;
        if (end >= len)
            break;
        pos = end + 1;
    }
    return finish(&c);
}

/* ---- public API ---- */

static const char default_string[] = "NORMAL";

int gnutls_priority_init2(gnutls_priority_t *priority_cache, const char *priorities,
                          const char **err_pos, unsigned flags)
{
    char *joined = NULL;
    const char *text = priorities;
    size_t bad = 0, skip = 0;
    int ret;

    if (err_pos)
        *err_pos = priorities;
    if (!priority_cache)
        return GNUTLS_E_INVALID_REQUEST;
    *priority_cache = NULL;

    if (flags & GNUTLS_PRIORITY_INIT_DEF_APPEND) {
        if (!priorities)
            return GNUTLS_E_INVALID_REQUEST;
        size_t n = strlen(priorities);
        skip = sizeof default_string;   /* "NORMAL:" */
        joined = keel_malloc(skip + n + 1);
        if (!joined)
            return GNUTLS_E_MEMORY_ERROR;
        memcpy(joined, default_string, skip - 1);
        joined[skip - 1] = ':';
        memcpy(joined + skip, priorities, n + 1);
        text = joined;
    } else if (!priorities) {
        text = default_string;
    }

    struct gnutls_priority_st *p = keel_calloc(1, sizeof *p);
    if (!p) {
        keel_free(joined);
        return GNUTLS_E_MEMORY_ERROR;
    }
    ret = parse(text, p, &bad);
    keel_free(joined);
    if (ret < 0) {
        keel_free(p);
        if (err_pos && priorities)
            *err_pos = priorities + (bad >= skip ? bad - skip : 0);
        return ret;
    }
    p->refs = 1;
    *priority_cache = p;
    return 0;
}

int gnutls_priority_init(gnutls_priority_t *priority_cache, const char *priorities,
                         const char **err_pos)
{
    return gnutls_priority_init2(priority_cache, priorities, err_pos, 0);
}

void keel_priority_ref(const struct gnutls_priority_st *p)
{
    if (p && !p->is_static)
        __atomic_add_fetch(&((struct gnutls_priority_st *)p)->refs, 1, __ATOMIC_RELAXED);
}

void keel_priority_unref(const struct gnutls_priority_st *p)
{
    if (!p || p->is_static)
        return;
    if (__atomic_sub_fetch(&((struct gnutls_priority_st *)p)->refs, 1, __ATOMIC_ACQ_REL) == 0)
        keel_free((void *)p);
}

void gnutls_priority_deinit(gnutls_priority_t priority_cache)
{
    keel_priority_unref(priority_cache);
}

static struct gnutls_priority_st default_priority;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void build_default(void)
{
    size_t bad;
    /* "NORMAL" always parses; a failure here would be a bug in the tables */
    if (parse(default_string, &default_priority, &bad) < 0)
        keel_log(1, "priority: the built-in default does not parse");
    default_priority.is_static = 1;
}

const struct gnutls_priority_st *keel_priority_default(void)
{
    pthread_once(&default_once, build_default);
    return &default_priority;
}

gnutls_protocol_t keel_priority_max_version(const struct gnutls_priority_st *p)
{
    gnutls_protocol_t best = GNUTLS_VERSION_UNKNOWN;
    for (unsigned i = 0; i < p->n_versions; i++)
        if (best == GNUTLS_VERSION_UNKNOWN || p->versions[i] > best)
            best = p->versions[i];
    return best;
}

int keel_priority_has_version(const struct gnutls_priority_st *p, gnutls_protocol_t v)
{
    for (unsigned i = 0; i < p->n_versions; i++)
        if (p->versions[i] == v)
            return 1;
    return 0;
}

int keel_priority_has_kx(const struct gnutls_priority_st *p, gnutls_kx_algorithm_t kx)
{
    for (unsigned i = 0; i < p->n_kx; i++)
        if (p->kx[i] == kx)
            return 1;
    return 0;
}

/* The index is into the table gnutls_cipher_suite_info() walks. */
int gnutls_priority_get_cipher_suite_index(gnutls_priority_t pcache, unsigned int idx,
                                           unsigned int *sidx)
{
    if (!pcache || idx >= pcache->n_suites)
        return GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE;
    *sidx = (unsigned)(pcache->suites[idx] - keel_suites);
    return 0;
}

int gnutls_priority_protocol_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_versions;
    return (int)pcache->n_versions;
}

int gnutls_priority_cipher_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_ciphers;
    return (int)pcache->n_ciphers;
}

int gnutls_priority_mac_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_macs;
    return (int)pcache->n_macs;
}

int gnutls_priority_kx_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_kx;
    return (int)pcache->n_kx;
}

int gnutls_priority_group_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_groups;
    return (int)pcache->n_groups;
}

int gnutls_priority_sign_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_signs;
    return (int)pcache->n_signs;
}

int gnutls_priority_certificate_type_list2(gnutls_priority_t pcache, const unsigned int **list,
                                           gnutls_ctype_target_t target)
{
    switch (target) {
    case GNUTLS_CTYPE_CLIENT:
        *list = pcache->list_ctypes_cli;
        return (int)pcache->n_list_ctypes_cli;
    case GNUTLS_CTYPE_SERVER:
        *list = pcache->list_ctypes_srv;
        return (int)pcache->n_list_ctypes_srv;
    default:
        return GNUTLS_E_INVALID_REQUEST;
    }
}

/* Deprecated in GnuTLS, kept for old programs. */
int gnutls_priority_certificate_type_list(gnutls_priority_t pcache, const unsigned int **list)
{
    return gnutls_priority_certificate_type_list2(pcache, list, GNUTLS_CTYPE_CLIENT);
}

int gnutls_priority_ecc_curve_list(gnutls_priority_t pcache, const unsigned int **list)
{
    *list = pcache->list_curves;
    return (int)pcache->n_list_curves;
}

int gnutls_priority_compression_list(gnutls_priority_t pcache, const unsigned int **list)
{
    static const unsigned null_only[] = { GNUTLS_COMP_NULL };
    (void)pcache;
    *list = null_only;
    return 1;
}

/* The initial keywords (GnuTLS lists neither NONE nor the SECURE/SECURE256 aliases), or the
 * %FLAGS. */
const char *gnutls_priority_string_list(unsigned iter, unsigned int flags)
{
    static const char *const keywords[] = {
        "NORMAL", "PFS", "SECURE128", "SECURE192", "SUITEB128", "SUITEB192", "LEGACY",
        "PERFORMANCE"
    };
    if (flags & GNUTLS_PRIORITY_LIST_INIT_KEYWORDS)
        return iter < KEEL_ARRAY_SIZE(keywords) ? keywords[iter] : NULL;
    if (flags & GNUTLS_PRIORITY_LIST_SPECIAL)
        return iter < KEEL_ARRAY_SIZE(flag_table) ? flag_table[iter].name : NULL;
    return NULL;
}
