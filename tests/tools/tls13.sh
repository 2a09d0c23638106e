#!/bin/sh
# TLS 1.3 through the tools: keel-cli against openssl s_server and gnutls-serv, openssl
# s_client, gnutls-cli and keel-cli against keel-serv --echo, on a few representative suites,
# groups and certificate types, and HelloRetryRequest as --trace draws it. The full matrix
# (every suite x group x key type, key logs) is tests/interop/tls13.sh's, with the library's
# own test peer: here the point is the tools (options, -V report, echo, trace).
. "$(dirname "$0")/lib.inc"
need openssl gnutls-serv gnutls-cli python3 "$CLI" "$SERV"

# suite group: every peer pairing on the first, two pairings on each of the others
one_combination() { # SUITE GROUP PAIRINGS...
  _suite=$1; _group=$2; shift 2
  _cipher=$(gnutls_cipher_of "$_suite")
  _prio="NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+$_cipher:-GROUP-ALL:+GROUP-$_group"
  _re="\(TLS1\.3[^)]*\)-\(ECDHE-$_group\)-.*\($_cipher\)"
  _og=$(openssl_group_of "$_group")
  for _p in "$@"; do
    case $_p in
      cli-openssl) pair_keel_cli_openssl "tls13 keel-cli -> openssl s_server $_suite $_group" "$_re" "$_prio" -tls1_3 ;;
      cli-gnutls) pair_keel_cli_gnutls "tls13 keel-cli -> gnutls-serv $_suite $_group" "$_re" "$_prio" ;;
      openssl-serv) pair_openssl_keel_serv "tls13 openssl s_client -> keel-serv $_suite $_group" "$_re" \
          "Cipher is $_suite" -tls1_3 -ciphersuites "$_suite" -groups "$_og" ;;
      gnutls-serv) pair_gnutls_keel_serv "tls13 gnutls-cli -> keel-serv $_suite $_group" "$_re" "$_prio" ;;
      keel-keel) pair_keel_keel "tls13 keel-cli -> keel-serv $_suite $_group" "$_re" "$_prio" ;;
    esac
  done
}
one_combination TLS_AES_128_GCM_SHA256 X25519 cli-openssl cli-gnutls openssl-serv gnutls-serv keel-keel
if ! quick; then
  one_combination TLS_AES_256_GCM_SHA384 SECP384R1 cli-openssl gnutls-serv
  one_combination TLS_CHACHA20_POLY1305_SHA256 SECP256R1 cli-gnutls openssl-serv
fi

# Server certificate types (signature algorithm in the description), keel-serv loading each.
KINDS="rsa rsa-pss ed25519"
! quick || KINDS=rsa
for kind in $KINDS; do
  SRV_CERT=$CERTS/$kind-cert.pem
  SRV_KEY=$CERTS/$kind-key.pem
  case $kind in
    rsa) sig='RSA-PSS-RSAE-SHA[0-9]+' ;;
    rsa-pss) sig='RSA-PSS-SHA[0-9]+' ;;
    ed25519) sig='EdDSA-Ed25519' ;;
  esac
  pair_keel_keel "tls13 keel-cli -> keel-serv cert $kind" "\(TLS1\.3[^)]*\)-.*\($sig\)" "NORMAL:-VERS-ALL:+VERS-TLS1.3"
done

# keel-serv with an RSA and an ECDSA identity picks the one the client can verify.
SRV_CERT=$CERTS/ecdsa-p256-cert.pem; SRV_KEY=$CERTS/ecdsa-p256-key.pem
KEEL_SERV_ARGS="--x509certfile $CERTS/rsa-cert.pem --x509keyfile $CERTS/rsa-key.pem"
pair_gnutls_keel_serv "tls13 gnutls-cli (RSA only) -> keel-serv with two identities" "\(RSA-PSS-RSAE-SHA[0-9]+\)" \
  "NORMAL:-VERS-ALL:+VERS-TLS1.3:-SIGN-ALL:+SIGN-RSA-PSS-RSAE-SHA256:+SIGN-RSA-PSS-RSAE-SHA384"
KEEL_SERV_ARGS=""

# HelloRetryRequest: the client's first key share is for a group the server does not take;
# --trace on the Keel side must draw the HelloRetryRequest.
many="NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1"
only384="NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1"
re384="\(TLS1\.3[^)]*\)-\(ECDHE-SECP384R1\)"
KEEL_CLI_ARGS="--trace"; ALSO_FILE=cli.out; ALSO_RE='client <--- HELLO.RETRY.REQUEST'
pair_keel_cli_openssl "tls13 HRR keel-cli --trace -> openssl s_server -groups P-384" "$re384" "$many" -tls1_3 -groups P-384
KEEL_CLI_ARGS=""; KEEL_SERV_ARGS="--trace --priority $only384"; ALSO_FILE=srv.out
pair_gnutls_keel_serv "tls13 HRR gnutls-cli --single-key-share -> keel-serv --trace SECP384R1 only" "$re384" "$many" --single-key-share
if ! quick; then
  pair_openssl_keel_serv "tls13 HRR openssl s_client -> keel-serv --trace SECP384R1 only" "$re384" "New, TLSv1\.3" \
    -tls1_3 -groups X25519:P-384
  pair_keel_keel "tls13 HRR keel-cli -> keel-serv --trace SECP384R1 only" "$re384" "$many"
fi
KEEL_SERV_ARGS=""; ALSO_FILE=""; ALSO_RE=""

finish
