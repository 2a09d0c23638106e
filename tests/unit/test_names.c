/* gnutls_handshake_description_get_name() (src/api/names.c). Every expected string was read
 * from GnuTLS 3.7.9 (a throwaway program calling the real libgnutls for every value from -1
 * to 65536): the tools' --trace and scripts that grep "CLIENT HELLO" depend on them. */
#include <gnutls/gnutls.h>
#include "harness.h"

static const char unknown[] = "Unknown Handshake packet";

static const struct { int type; const char *name; } known[] = {
    { 0, "HELLO REQUEST" }, { 1, "CLIENT HELLO" }, { 2, "SERVER HELLO" },
    { 3, "HELLO VERIFY REQUEST" }, { 4, "NEW SESSION TICKET" }, { 5, "END OF EARLY DATA" },
    { 8, "ENCRYPTED EXTENSIONS" }, { 11, "CERTIFICATE" }, { 12, "SERVER KEY EXCHANGE" },
    { 13, "CERTIFICATE REQUEST" }, { 14, "SERVER HELLO DONE" }, { 15, "CERTIFICATE VERIFY" },
    { 16, "CLIENT KEY EXCHANGE" }, { 20, "FINISHED" }, { 22, "CERTIFICATE STATUS" },
    { 23, "SUPPLEMENTAL" }, { 24, "KEY_UPDATE" }, { 25, "COMPRESSED CERTIFICATE" },
    { 254, "CHANGE CIPHER SPEC" }, { 1024, "SSL2 CLIENT HELLO" },
    { 1025, "HELLO RETRY REQUEST" },
};

static const char *expected(int type)
{
    size_t i;
    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].type == type)
            return known[i].name;
    return unknown;
}

static void check_name(int type)
{
    const char *got = gnutls_handshake_description_get_name((gnutls_handshake_description_t)type);
    const char *want = expected(type);
    if (got == NULL || strcmp(got, want) != 0) {
        fprintf(stderr, "  FAIL %s: type %d: got \"%s\", want \"%s\"\n", t_case_name, type,
                got ? got : "(null)", want);
        t_case_failed = 1;
    }
}

static void named_types(void)
{
    size_t i;
    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        check_name(known[i].type);
}

static void enum_constants(void)
{
    CHECK(strcmp(gnutls_handshake_description_get_name(GNUTLS_HANDSHAKE_CLIENT_HELLO),
                 "CLIENT HELLO") == 0);
    CHECK(strcmp(gnutls_handshake_description_get_name(GNUTLS_HANDSHAKE_KEY_UPDATE),
                 "KEY_UPDATE") == 0);
    CHECK(strcmp(gnutls_handshake_description_get_name(GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST),
                 "HELLO RETRY REQUEST") == 0);
    CHECK(strcmp(gnutls_handshake_description_get_name(GNUTLS_HANDSHAKE_CHANGE_CIPHER_SPEC),
                 "CHANGE CIPHER SPEC") == 0);
}

/* Everything else, including the gaps, negative values and GNUTLS_HANDSHAKE_ANY. */
static void unknown_types(void)
{
    int t;
    for (t = -2; t <= 1100; t++)
        check_name(t);
    check_name(65535);
    check_name(65536);
    check_name(0x7fffffff);
    CHECK(strcmp(gnutls_handshake_description_get_name(
                     (gnutls_handshake_description_t)GNUTLS_HANDSHAKE_ANY), unknown) == 0);
}

int main(void)
{
    RUN(named_types);
    RUN(enum_constants);
    RUN(unknown_types);
    return t_done();
}
