/* The parsed form of a priority string (struct gnutls_priority_st): ordered preference
 * lists and flags. Read-only once built, shared by any number of sessions/threads. */
#ifndef KEEL_PRIORITY_H
#define KEEL_PRIORITY_H

#include "priority/algs.h"

#define KEEL_MAX_PRIO 64

typedef enum {
    KEEL_SR_PARTIAL = 0,        /* %PARTIAL_RENEGOTIATION (default) */
    KEEL_SR_SAFE,               /* %SAFE_RENEGOTIATION */
    KEEL_SR_UNSAFE,             /* %UNSAFE_RENEGOTIATION */
    KEEL_SR_DISABLED,           /* %DISABLE_SAFE_RENEGOTIATION */
} keel_safe_reneg_mode;

/* What the lists hold (src/priority/priority.c builds them as GnuTLS 3.7.9 does):
 *  - versions: TLS 1.3 and/or 1.2 in the order the string named them (usually 1.3 first, but
 *    "-VERS-TLS1.3:+VERS-TLS1.3" puts it last). May be empty after a successful init (e.g.
 *    "NORMAL:-SIGN-ALL"); gnutls_priority_set() refuses such a priority.
 *  - suites: the TLS 1.3 suites (when TLS 1.3 is on) by cipher order, then the TLS 1.2 ones,
 *    key exchange major and cipher minor. TLS 1.2 suites stay listed when only TLS 1.3 is on
 *    with a TLS 1.2 key exchange left, as GnuTLS offers them; filter by version.
 *  - kx: may hold key exchanges other parts implement later (PSK, DHE-PSK, ECDHE-PSK) and
 *    ANON-ECDH, which has no AEAD suite; skip what you cannot do.
 *  - sigs: one entry per TLS code point, in GnuTLS's signature_algorithms order. When GnuTLS
 *    names a code point twice (ECDSA-SHA256 / ECDSA-SECP256R1-SHA256 for 0x0403) the entry is
 *    the TLS 1.3 (curve-bound) one if the string enabled it; otherwise tls13_ok is 0.
 *  - ctypes: always X.509. */
struct gnutls_priority_st {
    /* Each list is in preference order; n_* entries are used. */
    gnutls_protocol_t versions[4];      unsigned n_versions;   /* GNUTLS_TLS1_3, GNUTLS_TLS1_2 */
    const keel_suite *suites[KEEL_MAX_PRIO];    unsigned n_suites;
    const keel_group *groups[KEEL_MAX_PRIO];    unsigned n_groups;
    const keel_sigscheme *sigs[KEEL_MAX_PRIO];  unsigned n_sigs;
    gnutls_kx_algorithm_t kx[16];       unsigned n_kx;          /* enabled TLS 1.2 key exchanges */
    gnutls_cipher_algorithm_t ciphers[16]; unsigned n_ciphers;
    gnutls_mac_algorithm_t macs[16];    unsigned n_macs;
    gnutls_certificate_type_t ctypes[4]; unsigned n_ctypes;

    keel_safe_reneg_mode safe_reneg;
    unsigned server_precedence : 1;     /* %SERVER_PRECEDENCE */
    unsigned no_session_hash : 1;       /* %NO_SESSION_HASH */
    unsigned force_session_hash : 1;    /* %FORCE_SESSION_HASH */
    unsigned no_tickets : 1;            /* %NO_TICKETS */
    unsigned no_extensions : 1;         /* %NO_EXTENSIONS */
    unsigned compat_mode : 1;           /* middlebox compatibility (default on; %DISABLE_TLS13_COMPAT_MODE) */
    unsigned no_etm : 1;                /* %NO_ETM (accepted, CBC is not offered) */
    unsigned verify_allow_sha1 : 1;     /* %VERIFY_ALLOW_SIGN_WITH_SHA1 */
    unsigned allow_small_records : 1;   /* %ALLOW_SMALL_RECORDS */
    unsigned min_dh_bits;               /* from the security level: 1024/2048/3072/... */
    int level;                          /* gnutls_sec_param_t of the keyword, for information */

    /* ---- added with the parser (src/priority/priority.c) ---- */
    /* Signature algorithms as the string named them (GnuTLS ids, e.g. both ECDSA-SHA256 and
     * ECDSA-SECP256R1-SHA256); sigs[] above is this list merged by TLS code point, in the
     * order GnuTLS puts them in signature_algorithms. */
    gnutls_sign_algorithm_t signs[KEEL_MAX_PRIO]; unsigned n_signs;
    unsigned profile;                   /* gnutls_certificate_verification_profiles_t (keyword, %PROFILE_*) */
    unsigned verify_flags;              /* GNUTLS_VERIFY_* added by %VERIFY_* and %DISABLE_WILDCARDS */
    unsigned compat : 1;                /* %COMPAT */
    unsigned dumbfw : 1;                /* %DUMBFW: pad the ClientHello past 512 bytes */
    unsigned no_tickets_tls12 : 1;      /* %NO_TICKETS_TLS12 (also set by PFS) */
    unsigned fallback_scsv : 1;         /* %FALLBACK_SCSV: send TLS_FALLBACK_SCSV */
    unsigned ssl3_record_version : 1;   /* %SSL3_RECORD_VERSION: ClientHello record version 3.0 */
    unsigned latest_record_version : 1; /* %LATEST_RECORD_VERSION: ... the highest version (default 3.1) */
    unsigned allow_key_usage_violation : 1; /* %DEBUG_ALLOW_KEY_USAGE_VIOLATIONS */

    /* The same lists as plain unsigned arrays, for gnutls_priority_*_list(). */
    unsigned list_versions[4], list_ciphers[16], list_macs[16], list_kx[16];
    unsigned list_groups[KEEL_MAX_PRIO], list_signs[KEEL_MAX_PRIO];
    /* Certificate types as named by CTYPE-* (X.509 entries only; ctypes[] above is always
     * X.509, which is what GnuTLS uses when these are empty). */
    unsigned list_ctypes_cli[4], list_ctypes_srv[4];
    unsigned n_list_ctypes_cli, n_list_ctypes_srv;
    unsigned list_curves[KEEL_MAX_PRIO]; unsigned n_list_curves;   /* the EC groups */

    /* Sessions hold references (keel_priority_ref); the built-in default is never freed. */
    unsigned refs;
    unsigned is_static : 1;
};

/* Highest enabled version, or GNUTLS_VERSION_UNKNOWN. */
gnutls_protocol_t keel_priority_max_version(const struct gnutls_priority_st *p);
int keel_priority_has_version(const struct gnutls_priority_st *p, gnutls_protocol_t v);
int keel_priority_has_kx(const struct gnutls_priority_st *p, gnutls_kx_algorithm_t kx);
/* The built-in default ("NORMAL"), built once. */
const struct gnutls_priority_st *keel_priority_default(void);

/* Reference counting (atomic): a session that keeps a priority takes a reference, and
 * gnutls_priority_deinit() only drops the creator's, so a priority may be deinitialized while
 * sessions still use it, as in GnuTLS. Both are no-ops on the built-in default.
 * keel_priority_unref(NULL) is allowed. */
void keel_priority_ref(const struct gnutls_priority_st *p);
void keel_priority_unref(const struct gnutls_priority_st *p);

#endif
