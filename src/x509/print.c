/* gnutls_x509_crt_print: the one-line summary and the full listing in GnuTLS's layout
 * (version, serial, names, validity, key, the common extensions, signature, fingerprints and
 * key pin); extensions Keel does not decode are dumped as GnuTLS dumps unknown ones. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/x509v3.h>
#include <gnutls/x509.h>
#include "x509/crt.h"

typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} text;

static void addf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (t->failed)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(t->p != NULL ? t->p + t->len : NULL, t->p != NULL ? t->cap - t->len : 0,
                      fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if (t->p != NULL && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        {
            size_t cap = (t->cap + (size_t)n + 1) * 2;
            char *grown = gnutls_realloc(t->p, cap);
            if (grown == NULL) {
                t->failed = 1;
                return;
            }
            t->p = grown;
            t->cap = cap;
        }
    }
}

static void add_hex(text *t, const unsigned char *p, size_t n, const char *sep)
{
    for (size_t i = 0; i < n; i++)
        addf(t, "%s%02x", (i && sep) ? sep : "", p[i]);
}

static void add_time(text *t, const ASN1_TIME *at, int oneline)
{
    time_t when = keel_asn1_time(at);
    struct tm tm;
    char buf[64];

    if (when == (time_t)-1 || gmtime_r(&when, &tm) == NULL) {
        addf(t, "unknown");
        return;
    }
    /* GnuTLS: ISO-like in the one-line form, ctime-like with the zone in the full one. */
    strftime(buf, sizeof buf, oneline ? "%Y-%m-%d %H:%M:%S UTC" : "%a %b %d %H:%M:%S UTC %Y", &tm);
    addf(t, "%s", buf);
}

static void add_name(text *t, const X509_NAME *name)
{
    char *s;

    /* GnuTLS prints names in RFC 4514 order (gnutls_x509_crt_get_dn3). */
    if (keel_x509_name_string(name, 1, &s) < 0) {
        t->failed = 1;
        return;
    }
    addf(t, "%s", s);
    keel_free(s);
}

/* SHA-256 (or SHA-1) of the subjectPublicKeyInfo: GnuTLS's key ID and pin. */
static int spki_digest(X509 *x, const EVP_MD *md, unsigned char *out, unsigned *len)
{
    unsigned char *der = NULL;
    int der_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
    int ok;

    if (der_len <= 0)
        return 0;
    ok = EVP_Digest(der, (size_t)der_len, out, len, md, NULL);
    OPENSSL_free(der);
    return ok;
}

static void add_pin(text *t, X509 *x)
{
    unsigned char digest[EVP_MAX_MD_SIZE], b64[64];
    unsigned len = 0;

    if (!spki_digest(x, EVP_sha256(), digest, &len)) {
        t->failed = 1;
        return;
    }
    EVP_EncodeBlock(b64, digest, (int)len);
    addf(t, "%s", (const char *)b64);
}

static const char *sec_level_name(int bits)
{
    if (bits >= 256) return "Future";
    if (bits >= 192) return "Ultra";
    if (bits >= 128) return "High";
    if (bits >= 112) return "Medium";
    if (bits >= 96) return "Legacy";
    if (bits >= 80) return "Low";
    return "Very weak";
}

static void add_serial_hex(text *t, X509 *x)
{
    uint8_t serial[KEEL_MAX_SERIAL];
    size_t len;

    if (keel_crt_serial(x, serial, &len) < 0)
        addf(t, "??");
    else
        add_hex(t, serial, len, NULL);
}

/* GnuTLS flags signatures no longer secure for certificates (SHA-1 and older digests). */
static int weak_signature(X509 *x)
{
    int md = NID_undef;

    if (!X509_get_signature_info(x, &md, NULL, NULL, NULL)) {
        ERR_clear_error();
        return 0;
    }
    return md == NID_sha1 || md == NID_md5 || md == NID_md4 || md == NID_md2;
}

static void print_oneline(text *t, X509 *x)
{
    unsigned bits;
    int pk = keel_crt_pk_algorithm(x, &bits);
    const char *pk_name = gnutls_pk_get_name(pk);
    const char *sig_name = gnutls_sign_get_name(keel_crt_sign_algorithm(x));

    addf(t, "subject `");
    add_name(t, X509_get_subject_name(x));
    addf(t, "', issuer `");
    add_name(t, X509_get_issuer_name(x));
    addf(t, "', serial 0x");
    add_serial_hex(t, x);
    addf(t, ", %s key %u bits, signed using %s%s, activated `", pk_name ? pk_name : "unknown",
         bits, sig_name ? sig_name : "unknown", weak_signature(x) ? " (broken!)" : "");
    add_time(t, X509_get0_notBefore(x), 1);
    addf(t, "', expires `");
    add_time(t, X509_get0_notAfter(x), 1);
    addf(t, "', pin-sha256=\"");
    add_pin(t, x);
    addf(t, "\"");
}

static const struct {
    uint32_t bit;
    const char *text;
} key_usages[] = {
    { KU_DIGITAL_SIGNATURE, "Digital signature." },
    { KU_NON_REPUDIATION, "Non repudiation." },
    { KU_KEY_ENCIPHERMENT, "Key encipherment." },
    { KU_DATA_ENCIPHERMENT, "Data encipherment." },
    { KU_KEY_AGREEMENT, "Key agreement." },
    { KU_KEY_CERT_SIGN, "Certificate signing." },
    { KU_CRL_SIGN, "CRL signing." },
    { KU_ENCIPHER_ONLY, "Key encipher only." },
    { KU_DECIPHER_ONLY, "Key decipher only." },
};

static const struct {
    int nid;
    const char *text;
} purposes[] = {
    { NID_server_auth, "TLS WWW Server." },
    { NID_client_auth, "TLS WWW Client." },
    { NID_code_sign, "Code signing." },
    { NID_email_protect, "Email protection." },
    { NID_time_stamp, "Time stamping." },
    { NID_OCSP_sign, "OCSP signing." },
    { NID_anyExtendedKeyUsage, "Any purpose." },
};

static void print_san(text *t, X509_EXTENSION *ext)
{
    GENERAL_NAMES *names = X509V3_EXT_d2i(ext);
    char ip[64];

    if (names == NULL) {
        addf(t, "\t\t\t(unreadable)\n");
        ERR_clear_error();
        return;
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        const ASN1_STRING *s;

        switch (gn->type) {
        case GEN_DNS:
            s = gn->d.dNSName;
            addf(t, "\t\t\tDNSname: %.*s\n", ASN1_STRING_length(s),
                 (const char *)ASN1_STRING_get0_data(s));
            break;
        case GEN_EMAIL:
            s = gn->d.rfc822Name;
            addf(t, "\t\t\tRFC822Name: %.*s\n", ASN1_STRING_length(s),
                 (const char *)ASN1_STRING_get0_data(s));
            break;
        case GEN_URI:
            s = gn->d.uniformResourceIdentifier;
            addf(t, "\t\t\tURI: %.*s\n", ASN1_STRING_length(s),
                 (const char *)ASN1_STRING_get0_data(s));
            break;
        case GEN_IPADD:
            s = gn->d.iPAddress;
            if ((ASN1_STRING_length(s) == 4 &&
                 inet_ntop(AF_INET, ASN1_STRING_get0_data(s), ip, sizeof ip) != NULL) ||
                (ASN1_STRING_length(s) == 16 &&
                 inet_ntop(AF_INET6, ASN1_STRING_get0_data(s), ip, sizeof ip) != NULL))
                addf(t, "\t\t\tIPAddress: %s\n", ip);
            else
                addf(t, "\t\t\tIPAddress: (malformed)\n");
            break;
        default:
            addf(t, "\t\t\tOther name (type %d)\n", gn->type);
            break;
        }
    }
    GENERAL_NAMES_free(names);
}

static void print_subtrees(text *t, const char *label, STACK_OF(GENERAL_SUBTREE) *trees)
{
    if (sk_GENERAL_SUBTREE_num(trees) <= 0)
        return;
    addf(t, "\t\t\t%s:\n", label);
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(trees); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_SUBTREE_value(trees, i)->base;
        if (gn->type == GEN_DNS)
            addf(t, "\t\t\t\tDNSname: %.*s\n", ASN1_STRING_length(gn->d.dNSName),
                 (const char *)ASN1_STRING_get0_data(gn->d.dNSName));
        else if (gn->type == GEN_EMAIL)
            addf(t, "\t\t\t\tRFC822Name: %.*s\n", ASN1_STRING_length(gn->d.rfc822Name),
                 (const char *)ASN1_STRING_get0_data(gn->d.rfc822Name));
        else
            addf(t, "\t\t\t\tOther name (type %d)\n", gn->type);
    }
}

static void print_extension(text *t, X509 *x, X509_EXTENSION *ext)
{
    int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    const char *crit = X509_EXTENSION_get_critical(ext) ? "critical" : "not critical";
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
    char oid[128];

    switch (nid) {
    case NID_basic_constraints: {
        BASIC_CONSTRAINTS *bc = X509V3_EXT_d2i(ext);
        addf(t, "\t\tBasic Constraints (%s):\n", crit);
        if (bc == NULL) {
            addf(t, "\t\t\t(unreadable)\n");
            break;
        }
        addf(t, "\t\t\tCertificate Authority (CA): %s\n", bc->ca ? "TRUE" : "FALSE");
        if (bc->pathlen != NULL)
            addf(t, "\t\t\tPath Length Constraint: %ld\n", ASN1_INTEGER_get(bc->pathlen));
        BASIC_CONSTRAINTS_free(bc);
        break;
    }
    case NID_key_usage: {
        uint32_t ku = X509_get_key_usage(x);
        addf(t, "\t\tKey Usage (%s):\n", crit);
        for (size_t i = 0; i < KEEL_ARRAY_SIZE(key_usages); i++)
            if (ku & key_usages[i].bit)
                addf(t, "\t\t\t%s\n", key_usages[i].text);
        break;
    }
    case NID_ext_key_usage: {
        EXTENDED_KEY_USAGE *eku = X509V3_EXT_d2i(ext);
        addf(t, "\t\tKey Purpose (%s):\n", crit);
        for (int i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
            const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
            const char *name = NULL;
            for (size_t j = 0; j < KEEL_ARRAY_SIZE(purposes); j++)
                if (purposes[j].nid == OBJ_obj2nid(o))
                    name = purposes[j].text;
            if (name != NULL) {
                addf(t, "\t\t\t%s\n", name);
            } else {
                OBJ_obj2txt(oid, sizeof oid, o, 1);
                addf(t, "\t\t\t%s\n", oid);
            }
        }
        EXTENDED_KEY_USAGE_free(eku);
        break;
    }
    case NID_subject_alt_name:
        addf(t, "\t\tSubject Alternative Name (%s):\n", crit);
        print_san(t, ext);
        break;
    case NID_subject_key_identifier: {
        const ASN1_OCTET_STRING *id = X509_get0_subject_key_id(x);
        addf(t, "\t\tSubject Key Identifier (%s):\n\t\t\t", crit);
        if (id != NULL)
            add_hex(t, ASN1_STRING_get0_data(id), (size_t)ASN1_STRING_length(id), NULL);
        addf(t, "\n");
        break;
    }
    case NID_authority_key_identifier: {
        const ASN1_OCTET_STRING *id = X509_get0_authority_key_id(x);
        addf(t, "\t\tAuthority Key Identifier (%s):\n\t\t\t", crit);
        if (id != NULL)
            add_hex(t, ASN1_STRING_get0_data(id), (size_t)ASN1_STRING_length(id), NULL);
        addf(t, "\n");
        break;
    }
    case NID_crl_distribution_points: {
        CRL_DIST_POINTS *dps = X509V3_EXT_d2i(ext);
        addf(t, "\t\tCRL Distribution points (%s):\n", crit);
        for (int i = 0; dps != NULL && i < sk_DIST_POINT_num(dps); i++) {
            DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
            if (dp->distpoint == NULL || dp->distpoint->type != 0)
                continue;
            for (int j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++) {
                const GENERAL_NAME *gn = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j);
                if (gn->type == GEN_URI)
                    addf(t, "\t\t\tURI: %.*s\n",
                         ASN1_STRING_length(gn->d.uniformResourceIdentifier),
                         (const char *)ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier));
            }
        }
        CRL_DIST_POINTS_free(dps);
        break;
    }
    case NID_info_access: {
        AUTHORITY_INFO_ACCESS *aia = X509V3_EXT_d2i(ext);
        addf(t, "\t\tAuthority Information Access (%s):\n", crit);
        for (int i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
            ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
            int method = OBJ_obj2nid(ad->method);
            OBJ_obj2txt(oid, sizeof oid, ad->method, 1);
            addf(t, "\t\t\tAccess Method: %s%s\n", oid,
                 method == NID_ad_OCSP ? " (id-ad-ocsp)"
                 : method == NID_ad_ca_issuers ? " (id-ad-caIssuers)" : "");
            if (ad->location->type == GEN_URI)
                addf(t, "\t\t\tAccess Location URI: %.*s\n",
                     ASN1_STRING_length(ad->location->d.uniformResourceIdentifier),
                     (const char *)ASN1_STRING_get0_data(ad->location->d.uniformResourceIdentifier));
        }
        AUTHORITY_INFO_ACCESS_free(aia);
        break;
    }
    case NID_name_constraints: {
        NAME_CONSTRAINTS *nc = X509V3_EXT_d2i(ext);
        addf(t, "\t\tName Constraints (%s):\n", crit);
        if (nc != NULL) {
            print_subtrees(t, "Permitted", nc->permittedSubtrees);
            print_subtrees(t, "Excluded", nc->excludedSubtrees);
            NAME_CONSTRAINTS_free(nc);
        }
        break;
    }
    default:
        OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(ext), 1);
        addf(t, "\t\tUnknown extension %s (%s):\n\t\t\tASCII: ", oid, crit);
        for (int i = 0; i < ASN1_STRING_length(data); i++) {
            unsigned char c = ASN1_STRING_get0_data(data)[i];
            addf(t, "%c", (c >= 0x20 && c < 0x7f) ? c : '.');
        }
        addf(t, "\n\t\t\tHexdump: ");
        add_hex(t, ASN1_STRING_get0_data(data), (size_t)ASN1_STRING_length(data), NULL);
        addf(t, "\n");
        break;
    }
    ERR_clear_error();
}

/* Key material as GnuTLS lays it out: 16 bytes a line, ':' between them. */
static void add_hex_lines(text *t, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 16) {
        addf(t, "\t\t\t");
        add_hex(t, p + i, n - i < 16 ? n - i : 16, ":");
        addf(t, "\n");
    }
}

/* An unsigned big-endian integer as GnuTLS prints its MPIs: leading zero bytes dropped, one
 * 0x00 added when the top bit is set. */
static void add_integer(text *t, const char *label, const unsigned char *p, size_t n, int bits)
{
    unsigned char buf[1 + 1024];

    while (n > 1 && p[0] == 0) {
        p++;
        n--;
    }
    if (n + 1 > sizeof buf)
        return;
    if (bits)
        addf(t, "\t\t%s (bits %zu):\n", label, n * 8);
    else
        addf(t, "\t\t%s:\n", label);
    buf[0] = 0;
    memcpy(buf + 1, p, n);
    if (p[0] & 0x80)
        add_hex_lines(t, buf, n + 1);
    else
        add_hex_lines(t, buf + 1, n);
}

static void add_bn_param(text *t, EVP_PKEY *pub, const char *param, const char *label)
{
    BIGNUM *bn = NULL;
    unsigned char buf[1024];
    int n;

    if (!EVP_PKEY_get_bn_param(pub, param, &bn)) {
        ERR_clear_error();
        return;
    }
    n = BN_num_bytes(bn);
    if (n > 0 && (size_t)n <= sizeof buf && BN_bn2bin(bn, buf) == n)
        add_integer(t, label, buf, (size_t)n, 1);
    BN_free(bn);
}

static void print_key(text *t, int pk, EVP_PKEY *pub)
{
    unsigned char point[160];
    size_t len = 0;
    char group[64];

    if (pub == NULL)
        return;
    switch (pk) {
    case GNUTLS_PK_RSA:
    case GNUTLS_PK_RSA_PSS:
        add_bn_param(t, pub, OSSL_PKEY_PARAM_RSA_N, "Modulus");
        add_bn_param(t, pub, OSSL_PKEY_PARAM_RSA_E, "Exponent");
        break;
    case GNUTLS_PK_ECDSA: {
        const char *curve = "unknown";
        if (EVP_PKEY_get_group_name(pub, group, sizeof group, &len)) {
            if (strcmp(group, "prime256v1") == 0) curve = "SECP256R1";
            else if (strcmp(group, "secp384r1") == 0) curve = "SECP384R1";
            else if (strcmp(group, "secp521r1") == 0) curve = "SECP521R1";
            else curve = group;
        }
        addf(t, "\t\tCurve:\t%s\n", curve);
        /* The uncompressed point 04 || X || Y. */
        if (EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                            sizeof point, &len) && len > 1 && len % 2 == 1 &&
            point[0] == 4) {
            add_integer(t, "X", point + 1, (len - 1) / 2, 0);
            add_integer(t, "Y", point + 1 + (len - 1) / 2, (len - 1) / 2, 0);
        }
        break;
    }
    case GNUTLS_PK_EDDSA_ED25519:
    case GNUTLS_PK_EDDSA_ED448:
        addf(t, "\t\tCurve:\t%s\n", pk == GNUTLS_PK_EDDSA_ED25519 ? "Ed25519" : "Ed448");
        if (EVP_PKEY_get_raw_public_key(pub, point, &(size_t){ sizeof point })) {
            len = pk == GNUTLS_PK_EDDSA_ED25519 ? 32 : 57;
            addf(t, "\t\tX:\n");
            add_hex_lines(t, point, len);
        }
        break;
    default:
        break;
    }
    ERR_clear_error();
}

static void print_full(text *t, X509 *x)
{
    unsigned bits;
    int pk = keel_crt_pk_algorithm(x, &bits);
    const char *pk_name = gnutls_pk_get_name(pk);
    const char *sig_name = gnutls_sign_get_name(keel_crt_sign_algorithm(x));
    EVP_PKEY *pub = X509_get0_pubkey(x);
    int n_ext = X509_get_ext_count(x);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len;
    size_t der_len = 0;
    unsigned char *der = NULL;
    int der_n;

    addf(t, "X.509 Certificate Information:\n");
    addf(t, "\tVersion: %ld\n", X509_get_version(x) + 1);
    addf(t, "\tSerial Number (hex): ");
    add_serial_hex(t, x);
    addf(t, "\n\tIssuer: ");
    add_name(t, X509_get_issuer_name(x));
    addf(t, "\n\tValidity:\n\t\tNot Before: ");
    add_time(t, X509_get0_notBefore(x), 0);
    addf(t, "\n\t\tNot After: ");
    add_time(t, X509_get0_notAfter(x), 0);
    addf(t, "\n\tSubject: ");
    add_name(t, X509_get_subject_name(x));
    addf(t, "\n\tSubject Public Key Algorithm: %s\n", pk_name ? pk_name : "unknown");
    addf(t, "\tAlgorithm Security Level: %s (%u bits)\n",
         sec_level_name(pub != NULL ? EVP_PKEY_get_security_bits(pub) : 0), bits);
    print_key(t, pk, pub);
    if (n_ext > 0) {
        addf(t, "\tExtensions:\n");
        for (int i = 0; i < n_ext; i++)
            print_extension(t, x, X509_get_ext(x, i));
    }
    addf(t, "\tSignature Algorithm: %s\n", sig_name ? sig_name : "unknown");
    if (weak_signature(x))
        addf(t, "warning: signed using a broken signature algorithm that can be forged.\n");
    {
        const ASN1_BIT_STRING *sig = NULL;
        X509_get0_signature(&sig, NULL, x);
        addf(t, "\tSignature:\n");
        if (sig != NULL) {
            const unsigned char *p = ASN1_STRING_get0_data(sig);
            int n = ASN1_STRING_length(sig);
            for (int i = 0; i < n; i += 16) {
                addf(t, "\t\t");
                add_hex(t, p + i, (size_t)(n - i < 16 ? n - i : 16), ":");
                addf(t, "\n");
            }
        }
    }
    addf(t, "Other Information:\n\tFingerprint:\n");
    der_n = i2d_X509(x, &der);
    if (der_n > 0) {
        der_len = (size_t)der_n;
        if (EVP_Digest(der, der_len, digest, &len, EVP_sha1(), NULL)) {
            addf(t, "\t\tsha1:");
            add_hex(t, digest, len, NULL);
            addf(t, "\n");
        }
        if (EVP_Digest(der, der_len, digest, &len, EVP_sha256(), NULL)) {
            addf(t, "\t\tsha256:");
            add_hex(t, digest, len, NULL);
            addf(t, "\n");
        }
        OPENSSL_free(der);
    }
    addf(t, "\tPublic Key ID:\n");
    if (spki_digest(x, EVP_sha1(), digest, &len)) {
        addf(t, "\t\tsha1:");
        add_hex(t, digest, len, NULL);
        addf(t, "\n");
    }
    if (spki_digest(x, EVP_sha256(), digest, &len)) {
        addf(t, "\t\tsha256:");
        add_hex(t, digest, len, NULL);
        addf(t, "\n");
    }
    addf(t, "\tPublic Key PIN:\n\t\tpin-sha256:");
    add_pin(t, x);
    addf(t, "\n");
}

int gnutls_x509_crt_print(gnutls_x509_crt_t cert, gnutls_certificate_print_formats_t format,
                          gnutls_datum_t *out)
{
    text t = { 0 };
    X509 *x;

    CHECK(cert != NULL && cert->cert != NULL && out != NULL, GNUTLS_E_INVALID_REQUEST);
    x = keel_cert_x509(cert->cert);
    switch (format) {
    case GNUTLS_CRT_PRINT_ONELINE:
    case GNUTLS_CRT_PRINT_COMPACT:      /* GnuTLS adds key IDs below the line; Keel does not */
        print_oneline(&t, x);
        break;
    case GNUTLS_CRT_PRINT_FULL:
    case GNUTLS_CRT_PRINT_UNSIGNED_FULL:
    case GNUTLS_CRT_PRINT_FULL_NUMBERS:
        print_full(&t, x);
        break;
    default:
        return GNUTLS_E_INVALID_REQUEST;
    }
    ERR_clear_error();
    if (t.failed || t.p == NULL) {
        gnutls_free(t.p);
        return GNUTLS_E_MEMORY_ERROR;
    }
    out->data = (unsigned char *)t.p;
    out->size = (unsigned)t.len;
    return 0;
}
