/* Error codes and alerts: the one table {code, fatality, alert, name, description} that every
 * error report and every alert Keel sends is derived from, plus the alert names. */
#include <stdio.h>
#include "keel.h"

/* How the peer is told about an error: the alert GnuTLS sends for it. Errors without a
 * specific alert are reported as a fatal internal_error. */
#define NO_ALERT 0, 0
#define FATAL(desc) GNUTLS_AL_FATAL, desc
#define WARNING(desc) GNUTLS_AL_WARNING, desc

enum { NOT_FATAL = 0, IS_FATAL = 1 };

struct error_entry {
    int code;
    unsigned char fatal;
    unsigned char alert_level; /* 0: no specific alert */
    unsigned char alert;
    const char *name;
    const char *description;
};

#define E(code, fatal, alert, text) { code, fatal, alert, #code, text }

/* Codes GnuTLS 3.7.9 itself does not describe (GNUTLS_E_WARNING_IA_*_RECEIVED,
 * GNUTLS_E_NEED_FALLBACK, GNUTLS_E_INT_*, GNUTLS_E_APPLICATION_ERROR_*) are left out on
 * purpose: like GnuTLS, Keel treats them as unknown codes. Where two names share a value,
 * the name listed is the one GnuTLS reports. */
static const struct error_entry error_table[] = {
    E(GNUTLS_E_SUCCESS, NOT_FATAL, NO_ALERT, "Success."),
    E(GNUTLS_E_UNKNOWN_COMPRESSION_ALGORITHM, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "No compression method acceptable to both sides could be agreed on."),
    E(GNUTLS_E_UNKNOWN_CIPHER_TYPE, IS_FATAL, NO_ALERT, "This cipher is not supported."),
    E(GNUTLS_E_LARGE_PACKET, NOT_FATAL, NO_ALERT,
      "The data to send is larger than a record may carry (EMSGSIZE)."),
    E(GNUTLS_E_UNSUPPORTED_VERSION_PACKET, IS_FATAL, FATAL(GNUTLS_A_PROTOCOL_VERSION),
      "The peer sent a protocol version that is not supported or not allowed."),
    E(GNUTLS_E_UNEXPECTED_PACKET_LENGTH, IS_FATAL, FATAL(GNUTLS_A_DECODE_ERROR),
      "A received message has an invalid length, or a connection was cut short."),
    E(GNUTLS_E_INVALID_SESSION, IS_FATAL, NO_ALERT,
      "This session is not usable: it failed earlier or was never set up."),
    E(GNUTLS_E_FATAL_ALERT_RECEIVED, IS_FATAL, NO_ALERT, "The peer sent a fatal alert."),
    E(GNUTLS_E_UNEXPECTED_PACKET, IS_FATAL, FATAL(GNUTLS_A_UNEXPECTED_MESSAGE),
      "A record of a type not allowed at this point was received."),
    E(GNUTLS_E_WARNING_ALERT_RECEIVED, NOT_FATAL, NO_ALERT, "The peer sent a warning alert."),
    E(GNUTLS_E_ERROR_IN_FINISHED_PACKET, IS_FATAL, FATAL(GNUTLS_A_DECRYPT_ERROR),
      "The peer's Finished message does not match the handshake."),
    E(GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET, IS_FATAL, FATAL(GNUTLS_A_UNEXPECTED_MESSAGE),
      "A handshake message arrived that was not expected at this point."),
    E(GNUTLS_E_UNKNOWN_CIPHER_SUITE, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The peer chose a cipher suite that was not offered or is unknown."),
    E(GNUTLS_E_UNWANTED_ALGORITHM, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The peer chose an algorithm that is not enabled."),
    E(GNUTLS_E_MPI_SCAN_FAILED, IS_FATAL, NO_ALERT, "A big number could not be decoded."),
    E(GNUTLS_E_DECRYPTION_FAILED, IS_FATAL, FATAL(GNUTLS_A_BAD_RECORD_MAC),
      "A received record could not be decrypted or failed its integrity check."),
    E(GNUTLS_E_MEMORY_ERROR, IS_FATAL, NO_ALERT, "Out of memory."),
    E(GNUTLS_E_DECOMPRESSION_FAILED, IS_FATAL, FATAL(GNUTLS_A_DECOMPRESSION_FAILURE),
      "A received record could not be decompressed."),
    E(GNUTLS_E_COMPRESSION_FAILED, IS_FATAL, NO_ALERT, "A record could not be compressed."),
    E(GNUTLS_E_AGAIN, NOT_FATAL, NO_ALERT,
      "The transport is not ready (EAGAIN); call the function again."),
    E(GNUTLS_E_EXPIRED, IS_FATAL, NO_ALERT, "The session or the object has expired."),
    E(GNUTLS_E_DB_ERROR, IS_FATAL, NO_ALERT, "The session cache could not be used."),
    E(GNUTLS_E_SRP_PWD_ERROR, IS_FATAL, NO_ALERT, "A key or password file could not be read."),
    E(GNUTLS_E_INSUFFICIENT_CREDENTIALS, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The credentials set on this session are not enough to complete the handshake."),
    E(GNUTLS_E_HASH_FAILED, IS_FATAL, NO_ALERT, "A hash computation failed."),
    E(GNUTLS_E_BASE64_DECODING_ERROR, IS_FATAL, NO_ALERT, "Invalid base64 data."),
    E(GNUTLS_E_MPI_PRINT_FAILED, IS_FATAL, NO_ALERT, "A big number could not be encoded."),
    E(GNUTLS_E_REHANDSHAKE, NOT_FATAL, WARNING(GNUTLS_A_NO_RENEGOTIATION),
      "The peer asks for a new handshake (renegotiation)."),
    /* Keel differs from GnuTLS 3.7.9 here (doc/COMPAT.md): application data that arrives
     * during a renegotiation is delivered, not lost, and the handshake can be resumed. */
    E(GNUTLS_E_GOT_APPLICATION_DATA, NOT_FATAL, NO_ALERT,
      "Application data arrived during a handshake; read it with gnutls_record_recv() and "
      "call the handshake function again."),
    E(GNUTLS_E_RECORD_LIMIT_REACHED, IS_FATAL, NO_ALERT,
      "The limit of records under the current keys has been reached."),
    E(GNUTLS_E_ENCRYPTION_FAILED, IS_FATAL, NO_ALERT, "Encryption failed."),
    E(GNUTLS_E_CERTIFICATE_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "The certificate is invalid or could not be processed."),
    E(GNUTLS_E_PK_ENCRYPTION_FAILED, IS_FATAL, NO_ALERT, "Public key encryption failed."),
    E(GNUTLS_E_PK_DECRYPTION_FAILED, IS_FATAL, NO_ALERT, "Public key decryption failed."),
    E(GNUTLS_E_PK_SIGN_FAILED, IS_FATAL, NO_ALERT, "Signing with the private key failed."),
    E(GNUTLS_E_X509_UNSUPPORTED_CRITICAL_EXTENSION, IS_FATAL, NO_ALERT,
      "The certificate has a critical extension that is not supported."),
    E(GNUTLS_E_KEY_USAGE_VIOLATION, IS_FATAL, NO_ALERT,
      "The key usage of the certificate does not allow this operation."),
    E(GNUTLS_E_NO_CERTIFICATE_FOUND, IS_FATAL, FATAL(GNUTLS_A_DECODE_ERROR),
      "No certificate was found."),
    E(GNUTLS_E_INVALID_REQUEST, IS_FATAL, NO_ALERT,
      "The request is not valid in this state or with these arguments."),
    E(GNUTLS_E_SHORT_MEMORY_BUFFER, IS_FATAL, NO_ALERT,
      "The buffer given is too small for the result."),
    E(GNUTLS_E_INTERRUPTED, NOT_FATAL, NO_ALERT,
      "The call was interrupted (EINTR); call the function again."),
    E(GNUTLS_E_PUSH_ERROR, IS_FATAL, NO_ALERT, "Sending data on the transport failed."),
    E(GNUTLS_E_PULL_ERROR, IS_FATAL, NO_ALERT, "Receiving data from the transport failed."),
    E(GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "The peer sent a parameter with an invalid value."),
    E(GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE, IS_FATAL, NO_ALERT,
      "The requested data is not available."),
    E(GNUTLS_E_PKCS1_WRONG_PAD, IS_FATAL, NO_ALERT, "Invalid PKCS #1 padding."),
    E(GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION, IS_FATAL, FATAL(GNUTLS_A_UNSUPPORTED_EXTENSION),
      "The peer sent an extension that is not allowed here."),
    E(GNUTLS_E_INTERNAL_ERROR, IS_FATAL, NO_ALERT, "An internal error occurred."),
    E(GNUTLS_E_CERTIFICATE_KEY_MISMATCH, IS_FATAL, NO_ALERT,
      "The private key does not belong to the certificate."),
    E(GNUTLS_E_UNSUPPORTED_CERTIFICATE_TYPE, IS_FATAL, FATAL(GNUTLS_A_UNSUPPORTED_CERTIFICATE),
      "This certificate type is not supported."),
    E(GNUTLS_E_X509_UNKNOWN_SAN, IS_FATAL, NO_ALERT,
      "The subject alternative name has an unknown type."),
    E(GNUTLS_E_DH_PRIME_UNACCEPTABLE, IS_FATAL, FATAL(GNUTLS_A_INSUFFICIENT_SECURITY),
      "The peer's Diffie-Hellman group is too weak."),
    E(GNUTLS_E_FILE_ERROR, IS_FATAL, NO_ALERT, "A file could not be read or written."),
    E(GNUTLS_E_ASN1_ELEMENT_NOT_FOUND, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: an expected element is missing."),
    E(GNUTLS_E_ASN1_IDENTIFIER_NOT_FOUND, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: an identifier was not found."),
    E(GNUTLS_E_ASN1_DER_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: invalid DER encoding."),
    E(GNUTLS_E_ASN1_VALUE_NOT_FOUND, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: a value was not found."),
    E(GNUTLS_E_ASN1_GENERIC_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: decoding failed."),
    E(GNUTLS_E_ASN1_VALUE_NOT_VALID, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: a value is not valid."),
    E(GNUTLS_E_ASN1_TAG_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: unexpected tag."),
    E(GNUTLS_E_ASN1_TAG_IMPLICIT, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: unexpected implicit tag."),
    E(GNUTLS_E_ASN1_TYPE_ANY_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: an ANY value could not be decoded."),
    E(GNUTLS_E_ASN1_SYNTAX_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: syntax error."),
    E(GNUTLS_E_ASN1_DER_OVERFLOW, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "ASN.1: the encoding runs past the end of the data."),
    E(GNUTLS_E_TOO_MANY_EMPTY_PACKETS, IS_FATAL, NO_ALERT,
      "The peer sent too many empty records."),
    E(GNUTLS_E_OPENPGP_UID_REVOKED, IS_FATAL, NO_ALERT, "The OpenPGP user ID is revoked."),
    E(GNUTLS_E_UNKNOWN_PK_ALGORITHM, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The public key algorithm is not supported."),
    E(GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS, IS_FATAL, NO_ALERT,
      "The peer sent too many handshake messages."),
    E(GNUTLS_E_RECEIVED_DISALLOWED_NAME, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "The peer sent a name that is not allowed."),
    E(GNUTLS_E_CERTIFICATE_REQUIRED, IS_FATAL, FATAL(GNUTLS_A_CERTIFICATE_REQUIRED),
      "The peer is required to present a certificate and did not."),
    E(GNUTLS_E_NO_TEMPORARY_RSA_PARAMS, IS_FATAL, NO_ALERT,
      "No temporary RSA parameters are available."),
    E(GNUTLS_E_NO_COMPRESSION_ALGORITHMS, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "No compression method is enabled."),
    E(GNUTLS_E_NO_CIPHER_SUITES, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "No cipher suite is enabled, or none is shared with the peer."),
    E(GNUTLS_E_OPENPGP_GETKEY_FAILED, IS_FATAL, FATAL(GNUTLS_A_CERTIFICATE_UNOBTAINABLE),
      "The OpenPGP key could not be obtained."),
    E(GNUTLS_E_PK_SIG_VERIFY_FAILED, IS_FATAL, FATAL(GNUTLS_A_DECRYPT_ERROR),
      "A signature did not verify."),
    E(GNUTLS_E_ILLEGAL_SRP_USERNAME, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "The SRP username is not valid."),
    E(GNUTLS_E_SRP_PWD_PARSING_ERROR, IS_FATAL, NO_ALERT,
      "A key or password file could not be parsed."),
    E(GNUTLS_E_NO_TEMPORARY_DH_PARAMS, IS_FATAL, NO_ALERT,
      "No Diffie-Hellman parameters are available."),
    E(GNUTLS_E_OPENPGP_FINGERPRINT_UNSUPPORTED, IS_FATAL, NO_ALERT,
      "This OpenPGP fingerprint is not supported."),
    E(GNUTLS_E_X509_UNSUPPORTED_ATTRIBUTE, IS_FATAL, NO_ALERT,
      "This certificate attribute is not supported."),
    E(GNUTLS_E_UNKNOWN_HASH_ALGORITHM, IS_FATAL, NO_ALERT,
      "The hash algorithm is unknown or not supported."),
    E(GNUTLS_E_UNKNOWN_PKCS_CONTENT_TYPE, IS_FATAL, NO_ALERT,
      "The PKCS content type is not supported."),
    E(GNUTLS_E_UNKNOWN_PKCS_BAG_TYPE, IS_FATAL, NO_ALERT,
      "The PKCS #12 bag type is not supported."),
    E(GNUTLS_E_INVALID_PASSWORD, IS_FATAL, NO_ALERT, "The password is wrong or not valid."),
    E(GNUTLS_E_MAC_VERIFY_FAILED, IS_FATAL, NO_ALERT, "A MAC did not verify."),
    E(GNUTLS_E_CONSTRAINT_ERROR, IS_FATAL, NO_ALERT, "A constraint was violated."),
    E(GNUTLS_E_IA_VERIFY_FAILED, IS_FATAL, NO_ALERT,
      "Verifying the inner application exchange failed."),
    E(GNUTLS_E_UNKNOWN_ALGORITHM, IS_FATAL, NO_ALERT, "The algorithm is unknown."),
    E(GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The signature algorithm is not supported or not enabled."),
    E(GNUTLS_E_SAFE_RENEGOTIATION_FAILED, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The secure renegotiation check (RFC 5746) failed."),
    E(GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED, IS_FATAL, WARNING(GNUTLS_A_NO_RENEGOTIATION),
      "Renegotiation without RFC 5746 protection is not allowed."),
    E(GNUTLS_E_UNKNOWN_SRP_USERNAME, IS_FATAL, FATAL(GNUTLS_A_UNKNOWN_PSK_IDENTITY),
      "The username is not known."),
    E(GNUTLS_E_PREMATURE_TERMINATION, IS_FATAL, FATAL(GNUTLS_A_UNEXPECTED_MESSAGE),
      "The connection was closed without a TLS close_notify."),
    E(GNUTLS_E_MALFORMED_CIDR, IS_FATAL, NO_ALERT, "The CIDR address is malformed."),
    E(GNUTLS_E_BASE64_ENCODING_ERROR, IS_FATAL, NO_ALERT, "Base64 encoding failed."),
    E(GNUTLS_E_INCOMPATIBLE_GCRYPT_LIBRARY, IS_FATAL, NO_ALERT,
      "The crypto library in use is too old."),
    E(GNUTLS_E_INCOMPATIBLE_LIBTASN1_LIBRARY, IS_FATAL, NO_ALERT,
      "The ASN.1 library in use is too old."),
    E(GNUTLS_E_OPENPGP_KEYRING_ERROR, IS_FATAL, NO_ALERT,
      "The OpenPGP keyring could not be read."),
    E(GNUTLS_E_X509_UNSUPPORTED_OID, IS_FATAL, NO_ALERT, "The object identifier is not supported."),
    E(GNUTLS_E_RANDOM_FAILED, IS_FATAL, NO_ALERT, "Random numbers could not be generated."),
    E(GNUTLS_E_BASE64_UNEXPECTED_HEADER_ERROR, IS_FATAL, NO_ALERT,
      "The PEM header is not the expected one."),
    E(GNUTLS_E_OPENPGP_SUBKEY_ERROR, IS_FATAL, NO_ALERT, "The OpenPGP subkey could not be used."),
    E(GNUTLS_E_CRYPTO_ALREADY_REGISTERED, IS_FATAL, NO_ALERT,
      "An implementation is already registered for this algorithm."),
    E(GNUTLS_E_HANDSHAKE_TOO_LARGE, IS_FATAL, FATAL(GNUTLS_A_DECODE_ERROR),
      "A handshake message is larger than allowed."),
    E(GNUTLS_E_CRYPTODEV_IOCTL_ERROR, IS_FATAL, NO_ALERT, "A crypto device operation failed."),
    E(GNUTLS_E_CRYPTODEV_DEVICE_ERROR, IS_FATAL, NO_ALERT, "The crypto device could not be opened."),
    E(GNUTLS_E_CHANNEL_BINDING_NOT_AVAILABLE, IS_FATAL, NO_ALERT,
      "This kind of channel binding is not available for the session."),
    E(GNUTLS_E_BAD_COOKIE, IS_FATAL, NO_ALERT, "The cookie sent by the peer is not valid."),
    E(GNUTLS_E_OPENPGP_PREFERRED_KEY_ERROR, IS_FATAL, NO_ALERT,
      "The preferred OpenPGP key could not be used."),
    E(GNUTLS_E_INCOMPAT_DSA_KEY_WITH_TLS_PROTOCOL, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "This DSA key cannot be used with the negotiated protocol version."),
    E(GNUTLS_E_INSUFFICIENT_SECURITY, IS_FATAL, FATAL(GNUTLS_A_INSUFFICIENT_SECURITY),
      "The parameters offered are below the required security level."),
    E(GNUTLS_E_HEARTBEAT_PONG_RECEIVED, NOT_FATAL, NO_ALERT, "A heartbeat response arrived."),
    E(GNUTLS_E_HEARTBEAT_PING_RECEIVED, NOT_FATAL, NO_ALERT, "A heartbeat request arrived."),
    E(GNUTLS_E_UNRECOGNIZED_NAME, IS_FATAL, FATAL(GNUTLS_A_UNRECOGNIZED_NAME),
      "The server name requested is not served here."),
    E(GNUTLS_E_PKCS11_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: operation failed."),
    E(GNUTLS_E_PKCS11_LOAD_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: the module could not be loaded."),
    E(GNUTLS_E_PARSING_ERROR, IS_FATAL, NO_ALERT, "The input could not be parsed."),
    E(GNUTLS_E_PKCS11_PIN_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: the PIN was not accepted."),
    E(GNUTLS_E_PKCS11_SLOT_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: slot error."),
    E(GNUTLS_E_LOCKING_ERROR, IS_FATAL, NO_ALERT, "A mutex could not be initialised or taken."),
    E(GNUTLS_E_PKCS11_ATTRIBUTE_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: attribute error."),
    E(GNUTLS_E_PKCS11_DEVICE_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: device error."),
    E(GNUTLS_E_PKCS11_DATA_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: data error."),
    E(GNUTLS_E_PKCS11_UNSUPPORTED_FEATURE_ERROR, IS_FATAL, NO_ALERT,
      "PKCS #11: the feature is not supported."),
    E(GNUTLS_E_PKCS11_KEY_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: key error."),
    E(GNUTLS_E_PKCS11_PIN_EXPIRED, IS_FATAL, NO_ALERT, "PKCS #11: the PIN has expired."),
    E(GNUTLS_E_PKCS11_PIN_LOCKED, IS_FATAL, NO_ALERT, "PKCS #11: the PIN is locked."),
    E(GNUTLS_E_PKCS11_SESSION_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: session error."),
    E(GNUTLS_E_PKCS11_SIGNATURE_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: signature error."),
    E(GNUTLS_E_PKCS11_TOKEN_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: token error."),
    E(GNUTLS_E_PKCS11_USER_ERROR, IS_FATAL, NO_ALERT, "PKCS #11: user error."),
    E(GNUTLS_E_CRYPTO_INIT_FAILED, IS_FATAL, NO_ALERT,
      "The cryptographic back end could not be initialised."),
    E(GNUTLS_E_TIMEDOUT, IS_FATAL, NO_ALERT, "The operation timed out."),
    E(GNUTLS_E_USER_ERROR, IS_FATAL, FATAL(GNUTLS_A_USER_CANCELED),
      "An application callback reported an error."),
    E(GNUTLS_E_ECC_NO_SUPPORTED_CURVES, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "No elliptic curve or group is shared with the peer."),
    E(GNUTLS_E_ECC_UNSUPPORTED_CURVE, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "The elliptic curve or group is not supported."),
    E(GNUTLS_E_PKCS11_REQUESTED_OBJECT_NOT_AVAILBLE, IS_FATAL, NO_ALERT,
      "PKCS #11: the requested object does not exist."),
    E(GNUTLS_E_CERTIFICATE_LIST_UNSORTED, IS_FATAL, NO_ALERT,
      "The certificate chain is not in issuer order."),
    E(GNUTLS_E_ILLEGAL_PARAMETER, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "A parameter received is not valid."),
    E(GNUTLS_E_NO_PRIORITIES_WERE_SET, IS_FATAL, NO_ALERT,
      "No priorities (algorithm preferences) were set on the session."),
    E(GNUTLS_E_X509_UNSUPPORTED_EXTENSION, IS_FATAL, NO_ALERT,
      "The certificate extension is not supported."),
    E(GNUTLS_E_SESSION_EOF, IS_FATAL, NO_ALERT, "The peer closed the connection."),
    E(GNUTLS_E_TPM_ERROR, IS_FATAL, NO_ALERT, "TPM: operation failed."),
    E(GNUTLS_E_TPM_KEY_PASSWORD_ERROR, IS_FATAL, NO_ALERT, "TPM: the key password is wrong."),
    E(GNUTLS_E_TPM_SRK_PASSWORD_ERROR, IS_FATAL, NO_ALERT, "TPM: the SRK password is wrong."),
    E(GNUTLS_E_TPM_SESSION_ERROR, IS_FATAL, NO_ALERT, "TPM: could not open a session."),
    E(GNUTLS_E_TPM_KEY_NOT_FOUND, IS_FATAL, NO_ALERT, "TPM: the key was not found."),
    E(GNUTLS_E_TPM_UNINITIALIZED, IS_FATAL, NO_ALERT, "TPM: the device is not initialised."),
    E(GNUTLS_E_TPM_NO_LIB, IS_FATAL, NO_ALERT, "TPM: the support library is not available."),
    E(GNUTLS_E_NO_CERTIFICATE_STATUS, IS_FATAL, NO_ALERT,
      "The peer sent no certificate status (OCSP) response."),
    E(GNUTLS_E_OCSP_RESPONSE_ERROR, IS_FATAL, NO_ALERT, "The OCSP response is not valid."),
    E(GNUTLS_E_RANDOM_DEVICE_ERROR, IS_FATAL, NO_ALERT, "The system random source failed."),
    E(GNUTLS_E_AUTH_ERROR, IS_FATAL, NO_ALERT, "Authentication of the peer failed."),
    E(GNUTLS_E_NO_APPLICATION_PROTOCOL, IS_FATAL, FATAL(GNUTLS_A_NO_APPLICATION_PROTOCOL),
      "No application protocol (ALPN) is shared with the peer."),
    E(GNUTLS_E_SOCKETS_INIT_ERROR, IS_FATAL, NO_ALERT, "The socket layer could not be set up."),
    E(GNUTLS_E_KEY_IMPORT_FAILED, IS_FATAL, NO_ALERT, "The key could not be imported."),
    E(GNUTLS_E_INAPPROPRIATE_FALLBACK, IS_FATAL, FATAL(GNUTLS_A_INAPPROPRIATE_FALLBACK),
      "The client retried with a lower version than both sides support (fallback SCSV)."),
    E(GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR, IS_FATAL, FATAL(GNUTLS_A_BAD_CERTIFICATE),
      "The peer's certificate did not verify."),
    E(GNUTLS_E_PRIVKEY_VERIFICATION_ERROR, IS_FATAL, NO_ALERT,
      "The private key failed its consistency check."),
    E(GNUTLS_E_UNEXPECTED_EXTENSIONS_LENGTH, IS_FATAL, FATAL(GNUTLS_A_DECODE_ERROR),
      "The extensions block has an invalid length."),
    E(GNUTLS_E_ASN1_EMBEDDED_NULL_IN_STRING, IS_FATAL, NO_ALERT,
      "An ASN.1 string contains a NUL byte."),
    E(GNUTLS_E_SELF_TEST_ERROR, IS_FATAL, NO_ALERT, "A self test failed."),
    E(GNUTLS_E_NO_SELF_TEST, IS_FATAL, NO_ALERT, "There is no self test for this algorithm."),
    E(GNUTLS_E_LIB_IN_ERROR_STATE, IS_FATAL, NO_ALERT,
      "The library is in an error state after a failed self test."),
    E(GNUTLS_E_PK_GENERATION_ERROR, IS_FATAL, NO_ALERT, "Key generation failed."),
    E(GNUTLS_E_IDNA_ERROR, IS_FATAL, NO_ALERT,
      "The internationalised domain name could not be converted."),
    E(GNUTLS_E_SESSION_USER_ID_CHANGED, IS_FATAL, FATAL(GNUTLS_A_INSUFFICIENT_SECURITY),
      "The peer presented a different identity during renegotiation."),
    E(GNUTLS_E_HANDSHAKE_DURING_FALSE_START, IS_FATAL, NO_ALERT,
      "A handshake was started while false start was still in progress."),
    E(GNUTLS_E_UNAVAILABLE_DURING_HANDSHAKE, IS_FATAL, NO_ALERT,
      "This cannot be done while a handshake is in progress."),
    E(GNUTLS_E_PK_INVALID_PUBKEY, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "The public key is not valid."),
    E(GNUTLS_E_PK_INVALID_PRIVKEY, IS_FATAL, NO_ALERT, "The private key is not valid."),
    E(GNUTLS_E_NOT_YET_ACTIVATED, IS_FATAL, NO_ALERT, "The object is not yet valid."),
    E(GNUTLS_E_INVALID_UTF8_STRING, IS_FATAL, NO_ALERT, "The string is not valid UTF-8."),
    E(GNUTLS_E_NO_EMBEDDED_DATA, IS_FATAL, NO_ALERT, "The structure carries no embedded data."),
    E(GNUTLS_E_INVALID_UTF8_EMAIL, IS_FATAL, NO_ALERT, "The e-mail address is not valid UTF-8."),
    E(GNUTLS_E_INVALID_PASSWORD_STRING, IS_FATAL, NO_ALERT,
      "The password contains characters that are not allowed."),
    E(GNUTLS_E_CERTIFICATE_TIME_ERROR, IS_FATAL, NO_ALERT,
      "The certificate's validity period could not be checked."),
    E(GNUTLS_E_RECORD_OVERFLOW, IS_FATAL, FATAL(GNUTLS_A_RECORD_OVERFLOW),
      "A received record is larger than allowed."),
    E(GNUTLS_E_ASN1_TIME_ERROR, IS_FATAL, NO_ALERT, "ASN.1: the time value is not valid."),
    E(GNUTLS_E_INCOMPATIBLE_SIG_WITH_KEY, IS_FATAL, FATAL(GNUTLS_A_ILLEGAL_PARAMETER),
      "The signature algorithm cannot be used with this key."),
    E(GNUTLS_E_PK_INVALID_PUBKEY_PARAMS, IS_FATAL, NO_ALERT,
      "The public key parameters are not valid."),
    E(GNUTLS_E_PK_NO_VALIDATION_PARAMS, IS_FATAL, NO_ALERT,
      "The key has no parameters to validate it with."),
    E(GNUTLS_E_OCSP_MISMATCH_WITH_CERTS, IS_FATAL, NO_ALERT,
      "The OCSP response does not match the certificates."),
    E(GNUTLS_E_NO_COMMON_KEY_SHARE, IS_FATAL, FATAL(GNUTLS_A_HANDSHAKE_FAILURE),
      "No key share group is shared with the peer."),
    E(GNUTLS_E_REAUTH_REQUEST, NOT_FATAL, NO_ALERT,
      "The peer asks for re-authentication (post-handshake)."),
    E(GNUTLS_E_TOO_MANY_MATCHES, IS_FATAL, NO_ALERT, "More than one object matched."),
    E(GNUTLS_E_CRL_VERIFICATION_ERROR, IS_FATAL, NO_ALERT, "The CRL did not verify."),
    E(GNUTLS_E_MISSING_EXTENSION, IS_FATAL, FATAL(GNUTLS_A_MISSING_EXTENSION),
      "A required extension is missing."),
    E(GNUTLS_E_DB_ENTRY_EXISTS, IS_FATAL, NO_ALERT, "The entry already exists in the database."),
    E(GNUTLS_E_EARLY_DATA_REJECTED, IS_FATAL, NO_ALERT, "The server rejected the early data."),
    E(GNUTLS_E_X509_DUPLICATE_EXTENSION, IS_FATAL, NO_ALERT,
      "The certificate carries the same extension twice."),
    E(GNUTLS_E_UNIMPLEMENTED_FEATURE, IS_FATAL, NO_ALERT, "This feature is not implemented."),
};

static const struct error_entry *find_error(int code)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(error_table); i++)
        if (error_table[i].code == code)
            return &error_table[i];
    return NULL;
}

const char *gnutls_strerror(int error)
{
    const struct error_entry *e = find_error(error);
    return e ? e->description : "(unknown error code)";
}

const char *gnutls_strerror_name(int error)
{
    const struct error_entry *e = find_error(error);
    return e ? e->name : NULL;
}

void gnutls_perror(int error)
{
    fprintf(stderr, "GnuTLS error: %s\n", gnutls_strerror(error));
}

/* As GnuTLS: positive values are not errors; a negative code nobody knows is fatal. */
int gnutls_error_is_fatal(int error)
{
    const struct error_entry *e;
    if (error > 0)
        return 0;
    e = find_error(error);
    return e ? e->fatal : 1;
}

int gnutls_error_to_alert(int err, int *level)
{
    const struct error_entry *e = find_error(err);
    int alert_level = GNUTLS_AL_FATAL, alert = GNUTLS_A_INTERNAL_ERROR;
    if (e && e->alert_level != 0) {
        alert_level = e->alert_level;
        alert = e->alert;
    }
    if (level)
        *level = alert_level;
    return alert;
}

struct alert_entry {
    gnutls_alert_description_t alert;
    const char *strname;
    const char *name; /* the text GnuTLS gives, which applications print and match */
};

#define A(alert, text) { alert, #alert, text }

static const struct alert_entry alert_table[] = {
    A(GNUTLS_A_CLOSE_NOTIFY, "Close notify"),
    A(GNUTLS_A_UNEXPECTED_MESSAGE, "Unexpected message"),
    A(GNUTLS_A_BAD_RECORD_MAC, "Bad record MAC"),
    A(GNUTLS_A_DECRYPTION_FAILED, "Decryption failed"),
    A(GNUTLS_A_RECORD_OVERFLOW, "Record overflow"),
    A(GNUTLS_A_DECOMPRESSION_FAILURE, "Decompression failed"),
    A(GNUTLS_A_HANDSHAKE_FAILURE, "Handshake failed"),
    A(GNUTLS_A_SSL3_NO_CERTIFICATE, "No certificate (SSL 3.0)"),
    A(GNUTLS_A_BAD_CERTIFICATE, "Certificate is bad"),
    A(GNUTLS_A_UNSUPPORTED_CERTIFICATE, "Certificate is not supported"),
    A(GNUTLS_A_CERTIFICATE_REVOKED, "Certificate was revoked"),
    A(GNUTLS_A_CERTIFICATE_EXPIRED, "Certificate is expired"),
    A(GNUTLS_A_CERTIFICATE_UNKNOWN, "Unknown certificate"),
    A(GNUTLS_A_ILLEGAL_PARAMETER, "Illegal parameter"),
    A(GNUTLS_A_UNKNOWN_CA, "CA is unknown"),
    A(GNUTLS_A_ACCESS_DENIED, "Access was denied"),
    A(GNUTLS_A_DECODE_ERROR, "Decode error"),
    A(GNUTLS_A_DECRYPT_ERROR, "Decrypt error"),
    A(GNUTLS_A_EXPORT_RESTRICTION, "Export restriction"),
    A(GNUTLS_A_PROTOCOL_VERSION, "Error in protocol version"),
    A(GNUTLS_A_INSUFFICIENT_SECURITY, "Insufficient security"),
    A(GNUTLS_A_INTERNAL_ERROR, "Internal error"),
    A(GNUTLS_A_INAPPROPRIATE_FALLBACK, "Inappropriate fallback"),
    A(GNUTLS_A_USER_CANCELED, "User canceled"),
    A(GNUTLS_A_NO_RENEGOTIATION, "No renegotiation is allowed"),
    A(GNUTLS_A_MISSING_EXTENSION, "An extension was expected but was not seen"),
    A(GNUTLS_A_UNSUPPORTED_EXTENSION, "An unsupported extension was sent"),
    A(GNUTLS_A_CERTIFICATE_UNOBTAINABLE, "Could not retrieve the specified certificate"),
    A(GNUTLS_A_UNRECOGNIZED_NAME, "The server name sent was not recognized"),
    A(GNUTLS_A_UNKNOWN_PSK_IDENTITY, "The SRP/PSK username is missing or not known"),
    A(GNUTLS_A_CERTIFICATE_REQUIRED, "Certificate is required"),
    A(GNUTLS_A_NO_APPLICATION_PROTOCOL, "No supported application protocol could be negotiated"),
};

static const struct alert_entry *find_alert(gnutls_alert_description_t alert)
{
    for (size_t i = 0; i < KEEL_ARRAY_SIZE(alert_table); i++)
        if (alert_table[i].alert == alert)
            return &alert_table[i];
    return NULL;
}

const char *gnutls_alert_get_name(gnutls_alert_description_t alert)
{
    const struct alert_entry *a = find_alert(alert);
    return a ? a->name : NULL;
}

const char *gnutls_alert_get_strname(gnutls_alert_description_t alert)
{
    const struct alert_entry *a = find_alert(alert);
    return a ? a->strname : NULL;
}
