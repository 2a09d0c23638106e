/* Error and alert functions (src/api/errors.c): names, descriptions, fatality, the alert sent
 * for each error, and the alert names. tests/unit/errors_vs_gnutls.sh compares all of it
 * with libgnutls; this test pins the cases the protocol code relies on. */
#include <unistd.h>
#include <gnutls/gnutls.h>
#include "harness.h"

/* Every GNUTLS_E_* code GnuTLS 3.7.9 describes (aliases listed under the name GnuTLS reports). */
static const struct { int code; const char *name; } known[] = {
#define K(c) { c, #c }
    K(GNUTLS_E_SUCCESS), K(GNUTLS_E_UNKNOWN_COMPRESSION_ALGORITHM), K(GNUTLS_E_UNKNOWN_CIPHER_TYPE),
    K(GNUTLS_E_LARGE_PACKET), K(GNUTLS_E_UNSUPPORTED_VERSION_PACKET),
    K(GNUTLS_E_UNEXPECTED_PACKET_LENGTH), K(GNUTLS_E_INVALID_SESSION),
    K(GNUTLS_E_FATAL_ALERT_RECEIVED), K(GNUTLS_E_UNEXPECTED_PACKET),
    K(GNUTLS_E_WARNING_ALERT_RECEIVED), K(GNUTLS_E_ERROR_IN_FINISHED_PACKET),
    K(GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET), K(GNUTLS_E_UNKNOWN_CIPHER_SUITE),
    K(GNUTLS_E_UNWANTED_ALGORITHM), K(GNUTLS_E_MPI_SCAN_FAILED), K(GNUTLS_E_DECRYPTION_FAILED),
    K(GNUTLS_E_MEMORY_ERROR), K(GNUTLS_E_DECOMPRESSION_FAILED), K(GNUTLS_E_COMPRESSION_FAILED),
    K(GNUTLS_E_AGAIN), K(GNUTLS_E_EXPIRED), K(GNUTLS_E_DB_ERROR), K(GNUTLS_E_SRP_PWD_ERROR),
    K(GNUTLS_E_INSUFFICIENT_CREDENTIALS), K(GNUTLS_E_HASH_FAILED),
    K(GNUTLS_E_BASE64_DECODING_ERROR), K(GNUTLS_E_MPI_PRINT_FAILED), K(GNUTLS_E_REHANDSHAKE),
    K(GNUTLS_E_GOT_APPLICATION_DATA), K(GNUTLS_E_RECORD_LIMIT_REACHED),
    K(GNUTLS_E_ENCRYPTION_FAILED), K(GNUTLS_E_CERTIFICATE_ERROR), K(GNUTLS_E_PK_ENCRYPTION_FAILED),
    K(GNUTLS_E_PK_DECRYPTION_FAILED), K(GNUTLS_E_PK_SIGN_FAILED),
    K(GNUTLS_E_X509_UNSUPPORTED_CRITICAL_EXTENSION), K(GNUTLS_E_KEY_USAGE_VIOLATION),
    K(GNUTLS_E_NO_CERTIFICATE_FOUND), K(GNUTLS_E_INVALID_REQUEST), K(GNUTLS_E_SHORT_MEMORY_BUFFER),
    K(GNUTLS_E_INTERRUPTED), K(GNUTLS_E_PUSH_ERROR), K(GNUTLS_E_PULL_ERROR),
    K(GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER), K(GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE),
    K(GNUTLS_E_PKCS1_WRONG_PAD), K(GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION), K(GNUTLS_E_INTERNAL_ERROR),
    K(GNUTLS_E_CERTIFICATE_KEY_MISMATCH), K(GNUTLS_E_UNSUPPORTED_CERTIFICATE_TYPE),
    K(GNUTLS_E_X509_UNKNOWN_SAN), K(GNUTLS_E_DH_PRIME_UNACCEPTABLE), K(GNUTLS_E_FILE_ERROR),
    K(GNUTLS_E_ASN1_ELEMENT_NOT_FOUND), K(GNUTLS_E_ASN1_IDENTIFIER_NOT_FOUND),
    K(GNUTLS_E_ASN1_DER_ERROR), K(GNUTLS_E_ASN1_VALUE_NOT_FOUND), K(GNUTLS_E_ASN1_GENERIC_ERROR),
    K(GNUTLS_E_ASN1_VALUE_NOT_VALID), K(GNUTLS_E_ASN1_TAG_ERROR), K(GNUTLS_E_ASN1_TAG_IMPLICIT),
    K(GNUTLS_E_ASN1_TYPE_ANY_ERROR), K(GNUTLS_E_ASN1_SYNTAX_ERROR), K(GNUTLS_E_ASN1_DER_OVERFLOW),
    K(GNUTLS_E_TOO_MANY_EMPTY_PACKETS), K(GNUTLS_E_OPENPGP_UID_REVOKED),
    K(GNUTLS_E_UNKNOWN_PK_ALGORITHM), K(GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS),
    K(GNUTLS_E_RECEIVED_DISALLOWED_NAME), K(GNUTLS_E_CERTIFICATE_REQUIRED),
    K(GNUTLS_E_NO_TEMPORARY_RSA_PARAMS), K(GNUTLS_E_NO_COMPRESSION_ALGORITHMS),
    K(GNUTLS_E_NO_CIPHER_SUITES), K(GNUTLS_E_OPENPGP_GETKEY_FAILED),
    K(GNUTLS_E_PK_SIG_VERIFY_FAILED), K(GNUTLS_E_ILLEGAL_SRP_USERNAME),
    K(GNUTLS_E_SRP_PWD_PARSING_ERROR), K(GNUTLS_E_NO_TEMPORARY_DH_PARAMS),
    K(GNUTLS_E_OPENPGP_FINGERPRINT_UNSUPPORTED), K(GNUTLS_E_X509_UNSUPPORTED_ATTRIBUTE),
    K(GNUTLS_E_UNKNOWN_HASH_ALGORITHM), K(GNUTLS_E_UNKNOWN_PKCS_CONTENT_TYPE),
    K(GNUTLS_E_UNKNOWN_PKCS_BAG_TYPE), K(GNUTLS_E_INVALID_PASSWORD), K(GNUTLS_E_MAC_VERIFY_FAILED),
    K(GNUTLS_E_CONSTRAINT_ERROR), K(GNUTLS_E_IA_VERIFY_FAILED), K(GNUTLS_E_UNKNOWN_ALGORITHM),
    K(GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM), K(GNUTLS_E_SAFE_RENEGOTIATION_FAILED),
    K(GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED), K(GNUTLS_E_UNKNOWN_SRP_USERNAME),
    K(GNUTLS_E_PREMATURE_TERMINATION), K(GNUTLS_E_MALFORMED_CIDR),
    K(GNUTLS_E_BASE64_ENCODING_ERROR), K(GNUTLS_E_INCOMPATIBLE_GCRYPT_LIBRARY),
    K(GNUTLS_E_INCOMPATIBLE_LIBTASN1_LIBRARY), K(GNUTLS_E_OPENPGP_KEYRING_ERROR),
    K(GNUTLS_E_X509_UNSUPPORTED_OID), K(GNUTLS_E_RANDOM_FAILED),
    K(GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR), K(GNUTLS_E_OPENPGP_SUBKEY_ERROR),
    K(GNUTLS_E_CRYPTO_ALREADY_REGISTERED), K(GNUTLS_E_HANDSHAKE_TOO_LARGE),
    K(GNUTLS_E_CRYPTODEV_IOCTL_ERROR), K(GNUTLS_E_CRYPTODEV_DEVICE_ERROR),
    K(GNUTLS_E_CHANNEL_BINDING_NOT_AVAILABLE), K(GNUTLS_E_BAD_COOKIE),
    K(GNUTLS_E_OPENPGP_PREFERRED_KEY_ERROR), K(GNUTLS_E_INCOMPAT_DSA_KEY_WITH_TLS_PROTOCOL),
    K(GNUTLS_E_INSUFFICIENT_SECURITY), K(GNUTLS_E_HEARTBEAT_PONG_RECEIVED),
    K(GNUTLS_E_HEARTBEAT_PING_RECEIVED), K(GNUTLS_E_UNRECOGNIZED_NAME), K(GNUTLS_E_PKCS11_ERROR),
    K(GNUTLS_E_PKCS11_LOAD_ERROR), K(GNUTLS_E_PARSING_ERROR), K(GNUTLS_E_PKCS11_PIN_ERROR),
    K(GNUTLS_E_PKCS11_SLOT_ERROR), K(GNUTLS_E_LOCKING_ERROR), K(GNUTLS_E_PKCS11_ATTRIBUTE_ERROR),
    K(GNUTLS_E_PKCS11_DEVICE_ERROR), K(GNUTLS_E_PKCS11_DATA_ERROR),
    K(GNUTLS_E_PKCS11_UNSUPPORTED_FEATURE_ERROR), K(GNUTLS_E_PKCS11_KEY_ERROR),
    K(GNUTLS_E_PKCS11_PIN_EXPIRED), K(GNUTLS_E_PKCS11_PIN_LOCKED), K(GNUTLS_E_PKCS11_SESSION_ERROR),
    K(GNUTLS_E_PKCS11_SIGNATURE_ERROR), K(GNUTLS_E_PKCS11_TOKEN_ERROR),
    K(GNUTLS_E_PKCS11_USER_ERROR), K(GNUTLS_E_CRYPTO_INIT_FAILED), K(GNUTLS_E_TIMEDOUT),
    K(GNUTLS_E_USER_ERROR), K(GNUTLS_E_ECC_NO_SUPPORTED_CURVES), K(GNUTLS_E_ECC_UNSUPPORTED_CURVE),
    K(GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE), K(GNUTLS_E_CERTIFICATE_LIST_UNSORTED),
    K(GNUTLS_E_ILLEGAL_PARAMETER), K(GNUTLS_E_NO_PRIORITIES_WERE_SET),
    K(GNUTLS_E_X509_UNSUPPORTED_EXTENSION), K(GNUTLS_E_SESSION_EOF), K(GNUTLS_E_TPM_ERROR),
    K(GNUTLS_E_TPM_KEY_PASSWORD_ERROR), K(GNUTLS_E_TPM_SRK_PASSWORD_ERROR),
    K(GNUTLS_E_TPM_SESSION_ERROR), K(GNUTLS_E_TPM_KEY_NOT_FOUND), K(GNUTLS_E_TPM_UNINITIALIZED),
    K(GNUTLS_E_TPM_NO_LIB), K(GNUTLS_E_NO_CERTIFICATE_STATUS), K(GNUTLS_E_OCSP_RESPONSE_ERROR),
    K(GNUTLS_E_RANDOM_DEVICE_ERROR), K(GNUTLS_E_AUTH_ERROR), K(GNUTLS_E_NO_APPLICATION_PROTOCOL),
    K(GNUTLS_E_SOCKETS_INIT_ERROR), K(GNUTLS_E_KEY_IMPORT_FAILED),
    K(GNUTLS_E_INAPPROPRIATE_FALLBACK), K(GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR),
    K(GNUTLS_E_PRIVKEY_VERIFICATION_ERROR), K(GNUTLS_E_UNEXPECTED_EXTENSIONS_LENGTH),
    K(GNUTLS_E_ASN1_EMBEDDED_NULL_IN_STRING), K(GNUTLS_E_SELF_TEST_ERROR),
    K(GNUTLS_E_NO_SELF_TEST), K(GNUTLS_E_LIB_IN_ERROR_STATE), K(GNUTLS_E_PK_GENERATION_ERROR),
    K(GNUTLS_E_IDNA_ERROR), K(GNUTLS_E_SESSION_USER_ID_CHANGED),
    K(GNUTLS_E_HANDSHAKE_DURING_FALSE_START), K(GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE),
    K(GNUTLS_E_PK_INVALID_PUBKEY), K(GNUTLS_E_PK_INVALID_PRIVKEY), K(GNUTLS_E_NOT_YET_ACTIVATED),
    K(GNUTLS_E_INVALID_UTF8_STRING), K(GNUTLS_E_NO_EMBEDDED_DATA), K(GNUTLS_E_INVALID_UTF8_EMAIL),
    K(GNUTLS_E_INVALID_PASSWORD_STRING), K(GNUTLS_E_CERTIFICATE_TIME_ERROR),
    K(GNUTLS_E_RECORD_OVERFLOW), K(GNUTLS_E_ASN1_TIME_ERROR), K(GNUTLS_E_INCOMPATIBLE_SIG_WITH_KEY),
    K(GNUTLS_E_PK_INVALID_PUBKEY_PARAMS), K(GNUTLS_E_PK_NO_VALIDATION_PARAMS),
    K(GNUTLS_E_OCSP_MISMATCH_WITH_CERTS), K(GNUTLS_E_NO_COMMON_KEY_SHARE),
    K(GNUTLS_E_REAUTH_REQUEST), K(GNUTLS_E_TOO_MANY_MATCHES), K(GNUTLS_E_CRL_VERIFICATION_ERROR),
    K(GNUTLS_E_MISSING_EXTENSION), K(GNUTLS_E_DB_ENTRY_EXISTS), K(GNUTLS_E_EARLY_DATA_REJECTED),
    K(GNUTLS_E_X509_DUPLICATE_EXTENSION), K(GNUTLS_E_UNIMPLEMENTED_FEATURE),
#undef K
};

static void every_code_has_name_and_description(void)
{
    const char *unknown = gnutls_strerror(-9999);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *name = gnutls_strerror_name(known[i].code);
        const char *text = gnutls_strerror(known[i].code);
        REQUIRE(name != NULL);
        if (strcmp(name, known[i].name) != 0)
            fprintf(stderr, "  %d is named %s, want %s\n", known[i].code, name, known[i].name);
        CHECK(strcmp(name, known[i].name) == 0);
        REQUIRE(text != NULL);
        CHECK(strlen(text) > 5);
        CHECK(strcmp(text, unknown) != 0);
    }
}

static void names_round_trip(void)
{
    /* Every code in range that has a name maps back to itself through the header's macro
     * list above; and names never repeat across codes. */
    int named = 0;
    for (int c = 0; c >= -1300; c--) {
        const char *name = gnutls_strerror_name(c);
        if (!name)
            continue;
        named++;
        CHECK(strncmp(name, "GNUTLS_E_", 9) == 0);
        int found = 0;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (known[i].code == c && strcmp(known[i].name, name) == 0)
                found = 1;
        CHECK(found);
    }
    CHECK_INT(named, sizeof known / sizeof known[0]);
}

static void unknown_codes(void)
{
    /* Codes GnuTLS defines but does not describe behave as unknown there too. */
    static const int codes[] = { -1, -2, -11, -1000, GNUTLS_E_WARNING_IA_IPHF_RECEIVED,
                                 GNUTLS_E_WARNING_IA_FPHF_RECEIVED, GNUTLS_E_NEED_FALLBACK,
                                 GNUTLS_E_INT_RET_0, GNUTLS_E_APPLICATION_ERROR_MIN, 7 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        CHECK(gnutls_strerror_name(codes[i]) == NULL);
        CHECK(gnutls_strerror(codes[i]) != NULL);
        CHECK(strcmp(gnutls_strerror(codes[i]), "(unknown error code)") == 0);
    }
    CHECK(strcmp(gnutls_strerror(0), "Success.") == 0);
    CHECK(strcmp(gnutls_strerror_name(0), "GNUTLS_E_SUCCESS") == 0);
}

static void fatality(void)
{
    static const int non_fatal[] = {
        GNUTLS_E_AGAIN, GNUTLS_E_INTERRUPTED, GNUTLS_E_REHANDSHAKE,
        GNUTLS_E_WARNING_ALERT_RECEIVED, GNUTLS_E_GOT_APPLICATION_DATA, GNUTLS_E_LARGE_PACKET,
        GNUTLS_E_HEARTBEAT_PING_RECEIVED, GNUTLS_E_HEARTBEAT_PONG_RECEIVED,
        GNUTLS_E_REAUTH_REQUEST, GNUTLS_E_SUCCESS,
    };
    static const int fatal[] = {
        GNUTLS_E_FATAL_ALERT_RECEIVED, GNUTLS_E_DECRYPTION_FAILED, GNUTLS_E_UNEXPECTED_PACKET,
        GNUTLS_E_PUSH_ERROR, GNUTLS_E_PULL_ERROR, GNUTLS_E_SESSION_EOF,
        GNUTLS_E_PREMATURE_TERMINATION, GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED,
        GNUTLS_E_SAFE_RENEGOTIATION_FAILED, GNUTLS_E_SESSION_USER_ID_CHANGED,
        GNUTLS_E_INVALID_REQUEST, GNUTLS_E_MEMORY_ERROR, GNUTLS_E_INTERNAL_ERROR,
        GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS, GNUTLS_E_ILLEGAL_PARAMETER,
        -1, -9999, GNUTLS_E_WARNING_IA_IPHF_RECEIVED, /* unknown negative codes are fatal */
    };
    for (size_t i = 0; i < sizeof non_fatal / sizeof non_fatal[0]; i++)
        CHECK_INT(gnutls_error_is_fatal(non_fatal[i]), 0);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        CHECK_INT(gnutls_error_is_fatal(fatal[i]), 1);
    CHECK_INT(gnutls_error_is_fatal(1), 0);
    CHECK_INT(gnutls_error_is_fatal(12345), 0);
    /* Exactly the non-fatal set above and nothing else in the named range. */
    int non_fatal_named = 0;
    for (int c = -1; c >= -1300; c--)
        if (gnutls_strerror_name(c) && !gnutls_error_is_fatal(c))
            non_fatal_named++;
    CHECK_INT(non_fatal_named, sizeof non_fatal / sizeof non_fatal[0] - 1);
}

static void alerts_for_errors(void)
{
    static const struct { int err, alert, level; } map[] = {
        { GNUTLS_E_REHANDSHAKE, GNUTLS_A_NO_RENEGOTIATION, GNUTLS_AL_WARNING },
        { GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, GNUTLS_A_NO_RENEGOTIATION, GNUTLS_AL_WARNING },
        { GNUTLS_E_SAFE_RENEGOTIATION_FAILED, GNUTLS_A_HANDSHAKE_FAILURE, GNUTLS_AL_FATAL },
        { GNUTLS_E_UNEXPECTED_PACKET, GNUTLS_A_UNEXPECTED_MESSAGE, GNUTLS_AL_FATAL },
        { GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET, GNUTLS_A_UNEXPECTED_MESSAGE, GNUTLS_AL_FATAL },
        { GNUTLS_E_DECRYPTION_FAILED, GNUTLS_A_BAD_RECORD_MAC, GNUTLS_AL_FATAL },
        { GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER, GNUTLS_AL_FATAL },
        { GNUTLS_E_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER, GNUTLS_AL_FATAL },
        { GNUTLS_E_UNEXPECTED_PACKET_LENGTH, GNUTLS_A_DECODE_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_UNEXPECTED_EXTENSIONS_LENGTH, GNUTLS_A_DECODE_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR, GNUTLS_A_BAD_CERTIFICATE, GNUTLS_AL_FATAL },
        { GNUTLS_E_CERTIFICATE_ERROR, GNUTLS_A_BAD_CERTIFICATE, GNUTLS_AL_FATAL },
        { GNUTLS_E_CERTIFICATE_REQUIRED, GNUTLS_A_CERTIFICATE_REQUIRED, GNUTLS_AL_FATAL },
        { GNUTLS_E_NO_CIPHER_SUITES, GNUTLS_A_HANDSHAKE_FAILURE, GNUTLS_AL_FATAL },
        { GNUTLS_E_INSUFFICIENT_CREDENTIALS, GNUTLS_A_HANDSHAKE_FAILURE, GNUTLS_AL_FATAL },
        { GNUTLS_E_NO_COMMON_KEY_SHARE, GNUTLS_A_HANDSHAKE_FAILURE, GNUTLS_AL_FATAL },
        { GNUTLS_E_UNSUPPORTED_VERSION_PACKET, GNUTLS_A_PROTOCOL_VERSION, GNUTLS_AL_FATAL },
        { GNUTLS_E_MISSING_EXTENSION, GNUTLS_A_MISSING_EXTENSION, GNUTLS_AL_FATAL },
        { GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION, GNUTLS_A_UNSUPPORTED_EXTENSION, GNUTLS_AL_FATAL },
        { GNUTLS_E_NO_APPLICATION_PROTOCOL, GNUTLS_A_NO_APPLICATION_PROTOCOL, GNUTLS_AL_FATAL },
        { GNUTLS_E_RECORD_OVERFLOW, GNUTLS_A_RECORD_OVERFLOW, GNUTLS_AL_FATAL },
        { GNUTLS_E_DH_PRIME_UNACCEPTABLE, GNUTLS_A_INSUFFICIENT_SECURITY, GNUTLS_AL_FATAL },
        { GNUTLS_E_SESSION_USER_ID_CHANGED, GNUTLS_A_INSUFFICIENT_SECURITY, GNUTLS_AL_FATAL },
        { GNUTLS_E_ERROR_IN_FINISHED_PACKET, GNUTLS_A_DECRYPT_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_PK_SIG_VERIFY_FAILED, GNUTLS_A_DECRYPT_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_INAPPROPRIATE_FALLBACK, GNUTLS_A_INAPPROPRIATE_FALLBACK, GNUTLS_AL_FATAL },
        { GNUTLS_E_UNRECOGNIZED_NAME, GNUTLS_A_UNRECOGNIZED_NAME, GNUTLS_AL_FATAL },
        { GNUTLS_E_HANDSHAKE_TOO_LARGE, GNUTLS_A_DECODE_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_PREMATURE_TERMINATION, GNUTLS_A_UNEXPECTED_MESSAGE, GNUTLS_AL_FATAL },
        /* no specific alert: internal_error, as GnuTLS */
        { GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS, GNUTLS_A_INTERNAL_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_MEMORY_ERROR, GNUTLS_A_INTERNAL_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_AGAIN, GNUTLS_A_INTERNAL_ERROR, GNUTLS_AL_FATAL },
        { GNUTLS_E_GOT_APPLICATION_DATA, GNUTLS_A_INTERNAL_ERROR, GNUTLS_AL_FATAL },
        { -9999, GNUTLS_A_INTERNAL_ERROR, GNUTLS_AL_FATAL },
        { 0, GNUTLS_A_INTERNAL_ERROR, GNUTLS_AL_FATAL },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        int level = -1;
        int alert = gnutls_error_to_alert(map[i].err, &level);
        if (alert != map[i].alert || level != map[i].level)
            fprintf(stderr, "  %s -> alert %d level %d\n", gnutls_strerror_name(map[i].err),
                    alert, level);
        CHECK_INT(alert, map[i].alert);
        CHECK_INT(level, map[i].level);
    }
    /* The level pointer is optional. */
    CHECK_INT(gnutls_error_to_alert(GNUTLS_E_UNEXPECTED_PACKET, NULL),
              GNUTLS_A_UNEXPECTED_MESSAGE);
}

static void alert_names(void)
{
    static const struct { gnutls_alert_description_t a; const char *name, *strname; } names[] = {
        { GNUTLS_A_CLOSE_NOTIFY, "Close notify", "GNUTLS_A_CLOSE_NOTIFY" },
        { GNUTLS_A_UNEXPECTED_MESSAGE, "Unexpected message", "GNUTLS_A_UNEXPECTED_MESSAGE" },
        { GNUTLS_A_BAD_RECORD_MAC, "Bad record MAC", "GNUTLS_A_BAD_RECORD_MAC" },
        { GNUTLS_A_HANDSHAKE_FAILURE, "Handshake failed", "GNUTLS_A_HANDSHAKE_FAILURE" },
        { GNUTLS_A_NO_RENEGOTIATION, "No renegotiation is allowed",
          "GNUTLS_A_NO_RENEGOTIATION" },
        { GNUTLS_A_PROTOCOL_VERSION, "Error in protocol version", "GNUTLS_A_PROTOCOL_VERSION" },
        { GNUTLS_A_DECODE_ERROR, "Decode error", "GNUTLS_A_DECODE_ERROR" },
        { GNUTLS_A_MISSING_EXTENSION, "An extension was expected but was not seen",
          "GNUTLS_A_MISSING_EXTENSION" },
        { GNUTLS_A_NO_APPLICATION_PROTOCOL,
          "No supported application protocol could be negotiated",
          "GNUTLS_A_NO_APPLICATION_PROTOCOL" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *n = gnutls_alert_get_name(names[i].a);
        const char *s = gnutls_alert_get_strname(names[i].a);
        REQUIRE(n != NULL && s != NULL);
        CHECK(strcmp(n, names[i].name) == 0);
        CHECK(strcmp(s, names[i].strname) == 0);
    }
    /* Every alert number the header defines has both names; others have none. */
    int named = 0;
    for (int a = 0; a < 256; a++) {
        const char *n = gnutls_alert_get_name((gnutls_alert_description_t)a);
        const char *s = gnutls_alert_get_strname((gnutls_alert_description_t)a);
        CHECK((n == NULL) == (s == NULL));
        if (s) {
            named++;
            CHECK(strncmp(s, "GNUTLS_A_", 9) == 0);
        }
    }
    CHECK_INT(named, 32);
    CHECK(gnutls_alert_get_name((gnutls_alert_description_t)3) == NULL);
    CHECK(gnutls_alert_get_strname((gnutls_alert_description_t)255) == NULL);
}

static void perror_prints_description(void)
{
    char buf[256] = { 0 };
    FILE *tmp = tmpfile();
    REQUIRE(tmp != NULL);
    fflush(stderr);
    int saved = dup(fileno(stderr));
    REQUIRE(saved >= 0);
    REQUIRE(dup2(fileno(tmp), fileno(stderr)) >= 0);
    gnutls_perror(GNUTLS_E_AGAIN);
    fflush(stderr);
    dup2(saved, fileno(stderr));
    close(saved);
    rewind(tmp);
    size_t n = fread(buf, 1, sizeof buf - 1, tmp);
    fclose(tmp);
    char want[256];
    snprintf(want, sizeof want, "GnuTLS error: %s\n", gnutls_strerror(GNUTLS_E_AGAIN));
    CHECK_INT(n, strlen(want));
    CHECK(strcmp(buf, want) == 0);
}

int main(void)
{
    RUN(every_code_has_name_and_description);
    RUN(names_round_trip);
    RUN(unknown_codes);
    RUN(fatality);
    RUN(alerts_for_errors);
    RUN(alert_names);
    RUN(perror_prints_description);
    return t_done();
}
