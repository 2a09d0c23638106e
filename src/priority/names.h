/* Name <-> id tables shared by the algorithm functions (algs.c) and the priority-string
 * parser (priority.c): GnuTLS's names for every id it knows, so that strings naming
 * algorithms Keel does not implement are still recognised (and then ignored). */
#ifndef KEEL_PRIORITY_NAMES_H
#define KEEL_PRIORITY_NAMES_H

#include "priority/algs.h"

typedef struct {
    unsigned id;
    const char *name;
} keel_name;

/* Zero-terminated tables (last entry has name NULL). */
extern const keel_name *const keel_cipher_names;
extern const keel_name *const keel_mac_names;
extern const keel_name *const keel_kx_names;
extern const keel_name *const keel_protocol_names;
extern const keel_name *const keel_group_names;
extern const keel_name *const keel_curve_names;   /* gnutls_ecc_curve_t names (CURVE-*) */
extern const keel_name *const keel_sign_names;

const char *keel_name_of(const keel_name *t, unsigned id);
/* Case-insensitive match of name[0..len); 1 and *id on a hit. */
int keel_id_of(const keel_name *t, const char *name, size_t len, unsigned *id);

/* What Keel implements among GnuTLS's ids. */
int keel_cipher_supported(gnutls_cipher_algorithm_t c);
int keel_kx_supported(gnutls_kx_algorithm_t kx);
const keel_suite *keel_suite_by_algs(gnutls_kx_algorithm_t kx, gnutls_cipher_algorithm_t cipher,
                                     gnutls_mac_algorithm_t mac);

#endif
