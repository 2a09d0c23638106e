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
};

/* Highest enabled version, or GNUTLS_VERSION_UNKNOWN. */
gnutls_protocol_t keel_priority_max_version(const struct gnutls_priority_st *p);
int keel_priority_has_version(const struct gnutls_priority_st *p, gnutls_protocol_t v);
int keel_priority_has_kx(const struct gnutls_priority_st *p, gnutls_kx_algorithm_t kx);
/* The built-in default ("NORMAL"), built once. */
const struct gnutls_priority_st *keel_priority_default(void);

#endif
