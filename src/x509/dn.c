/* Distinguished names as strings, the way GnuTLS writes them: RFC 4514 ("CN=www.example.com,
 * O=Example": last RDN first) or GnuTLS's compat order (DER order, what gnutls_x509_crt_get_dn2
 * returns); multi-valued RDNs joined by '+', GnuTLS's attribute names, special characters
 * escaped, values of unknown types as '#' and the hex of their DER. */
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include "x509/internal.h"

static const struct {
    const char *oid;
    const char *name;
} attr_names[] = {
    { "2.5.4.3", "CN" },            { "2.5.4.6", "C" },
    { "2.5.4.7", "L" },             { "2.5.4.8", "ST" },
    { "2.5.4.9", "street" },        { "2.5.4.10", "O" },
    { "2.5.4.11", "OU" },           { "2.5.4.12", "title" },
    { "2.5.4.4", "surName" },       { "2.5.4.42", "givenName" },
    { "2.5.4.43", "initials" },     { "2.5.4.44", "generationQualifier" },
    { "2.5.4.46", "dnQualifier" },  { "2.5.4.65", "pseudonym" },
    { "2.5.4.5", "serialNumber" },  { "2.5.4.17", "postalCode" },
    { "2.5.4.41", "name" },         { "2.5.4.15", "businessCategory" },
    { "0.9.2342.19200300.100.1.25", "DC" },
    { "0.9.2342.19200300.100.1.1", "UID" },
    { "1.2.840.113549.1.9.1", "EMAIL" },
};

/* A growable string; a failed append sets failed and later appends do nothing. */
typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} strbuf;

static void sb_put(strbuf *b, const char *s, size_t n)
{
    char *grown;
    size_t cap;

    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        cap = (b->len + n + 1) * 2;
        grown = keel_realloc(b->p, cap);
        if (grown == NULL) {
            b->failed = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_hex(strbuf *b, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char two[2];

    for (size_t i = 0; i < n; i++) {
        two[0] = digits[p[i] >> 4];
        two[1] = digits[p[i] & 15];
        sb_put(b, two, 2);
    }
}

/* RFC 4514 2.4 escaping of one attribute value. */
static void sb_escaped(strbuf *b, const unsigned char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = v[i];
        int special = c != '\0' && strchr(",+\"\\<>;", c) != NULL;

        if (special || (i == 0 && (c == '#' || c == ' ')) || (i == n - 1 && c == ' ')) {
            sb_put(b, "\\", 1);
            sb_put(b, (const char *)&c, 1);
        } else if (c == '\0') {
            sb_put(b, "\\00", 3);
        } else {
            sb_put(b, (const char *)&c, 1);
        }
    }
}

static int is_string_type(int type)
{
    switch (type) {
    case V_ASN1_UTF8STRING:
    case V_ASN1_PRINTABLESTRING:
    case V_ASN1_IA5STRING:
    case V_ASN1_T61STRING:
    case V_ASN1_BMPSTRING:
    case V_ASN1_UNIVERSALSTRING:
    case V_ASN1_VISIBLESTRING:
    case V_ASN1_NUMERICSTRING:
        return 1;
    default:
        return 0;
    }
}

static void put_entry(strbuf *b, const X509_NAME_ENTRY *e)
{
    const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
    const ASN1_STRING *val = X509_NAME_ENTRY_get_data(e);
    const char *name = NULL;
    char oid[128];
    unsigned char *utf8 = NULL;
    int n;

    if (OBJ_obj2txt(oid, sizeof oid, obj, 1) <= 0)
        snprintf(oid, sizeof oid, "?");
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(attr_names); i++)
        if (strcmp(attr_names[i].oid, oid) == 0)
            name = attr_names[i].name;
    sb_put(b, name != NULL ? name : oid, strlen(name != NULL ? name : oid));
    sb_put(b, "=", 1);

    if (name != NULL && is_string_type(ASN1_STRING_type(val)) &&
        (n = ASN1_STRING_to_UTF8(&utf8, val)) >= 0) {
        sb_escaped(b, utf8, (size_t)n);
        OPENSSL_free(utf8);
        return;
    }
    /* RFC 4514 2.4: unknown attribute types (and non-strings) as '#' + hex of the DER. */
    {
        ASN1_TYPE *t = ASN1_TYPE_new();
        unsigned char *der = NULL;
        int len = -1;

        if (t != NULL && ASN1_TYPE_set1(t, ASN1_STRING_type(val), val))
            len = i2d_ASN1_TYPE(t, &der);
        ASN1_TYPE_free(t);
        if (len < 0) {
            b->failed = 1;
            return;
        }
        sb_put(b, "#", 1);
        sb_hex(b, der, (size_t)len);
        OPENSSL_free(der);
    }
}

int keel_x509_name_string(const X509_NAME *name, int rfc4514_order, char **out)
{
    strbuf b = { 0 };
    int count = X509_NAME_entry_count(name);
    int rdn = 0;

    *out = NULL;
    sb_put(&b, "", 0);
    /* Walk the RDNs (runs of entries with the same set number), last first for RFC 4514,
     * in DER order for GnuTLS's "compat" strings. */
    for (int k = 0; k < count; rdn++) {
        int first, last, set;

        if (rfc4514_order) {
            last = count - 1 - k;
            set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, last));
            first = last;
            while (first > 0 && X509_NAME_ENTRY_set(X509_NAME_get_entry(name, first - 1)) == set)
                first--;
        } else {
            first = k;
            set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, first));
            last = first;
            while (last + 1 < count && X509_NAME_ENTRY_set(X509_NAME_get_entry(name, last + 1)) == set)
                last++;
        }
        if (rdn > 0)
            sb_put(&b, ",", 1);
        for (int j = first; j <= last; j++) {
            if (j != first)
                sb_put(&b, "+", 1);
            put_entry(&b, X509_NAME_get_entry(name, j));
        }
        k += last - first + 1;
    }
    if (b.failed) {
        keel_free(b.p);
        return keel_x509_fail(GNUTLS_E_MEMORY_ERROR);
    }
    *out = b.p;
    return (int)b.len;
}
