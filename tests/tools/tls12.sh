#!/bin/sh
# TLS 1.2 interop: for each key exchange and AEAD cipher, keel-cli against openssl s_server
# and gnutls-serv, openssl s_client and gnutls-cli (and keel-cli) against keel-serv --echo;
# anonymous key exchanges against GnuTLS only (OpenSSL has no anonymous suites at its
# default security level). A line of data is checked in both directions each time.
# Skipped as a whole while the library has no TLS 1.2 (issue 4).
. "$(dirname "$0")/lib.inc"
need openssl gnutls-serv gnutls-cli python3 "$CLI" "$SERV"
require_features tls12

# openssl's name for a kx + cipher, empty if the suite does not exist
openssl_suite() {
  case $1 in
    ECDHE-RSA) _p=ECDHE-RSA- ;;
    ECDHE-ECDSA) _p=ECDHE-ECDSA- ;;
    DHE-RSA) _p=DHE-RSA- ;;
    RSA) _p="" ;;
    *) return 0 ;;
  esac
  case $2 in
    AES-128-GCM) echo "${_p}AES128-GCM-SHA256" ;;
    AES-256-GCM) echo "${_p}AES256-GCM-SHA384" ;;
    CHACHA20-POLY1305) [ "$1" = RSA ] || echo "${_p}CHACHA20-POLY1305" ;;
  esac
}

# Only the AEAD suites that exist: no RSA or anonymous ChaCha20 suites; anonymous ECDH
# has only CBC suites in GnuTLS, so it cannot be tested with AEAD ciphers (see the report).
suite_exists() {
  case "$1 $2" in
    "RSA CHACHA20-POLY1305"|"ANON-DH CHACHA20-POLY1305"|"ANON-ECDH "*) return 1 ;;
  esac
  return 0
}

for kx in ECDHE-RSA ECDHE-ECDSA DHE-RSA RSA ANON-DH ANON-ECDH; do
  case $kx in
    ECDHE-ECDSA) SRV_CERT=$CERTS/ecdsa-p256-cert.pem; SRV_KEY=$CERTS/ecdsa-p256-key.pem ;;
    *) SRV_CERT=$CERTS/rsa-cert.pem; SRV_KEY=$CERTS/rsa-key.pem ;;
  esac
  ciphers="AES-128-GCM AES-256-GCM CHACHA20-POLY1305"
  ! quick || ciphers=AES-128-GCM   # KEEL_QUICK: one cipher per key exchange
  for cipher in $ciphers; do
    suite_exists "$kx" "$cipher" || continue
    prio="NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+$kx:-CIPHER-ALL:+$cipher"
    re="\(TLS1\.2[^)]*\)-.*\($cipher\)"
    CHECK_KX=$kx
    case $kx in
      ANON-*) ;;
      *)
        os=$(openssl_suite "$kx" "$cipher")
        pair_keel_cli_openssl "tls12 keel-cli -> openssl s_server $kx $cipher" "$re" "$prio" -tls1_2
        pair_openssl_keel_serv "tls12 openssl s_client -> keel-serv $kx $cipher" "$re" \
          "Cipher is $os" -tls1_2 -cipher "$os"
        ;;
    esac
    # Servers do not enable anonymous key exchange by default: give them the priority.
    case $kx in ANON-*) sprio="--priority $prio" ;; *) sprio="" ;; esac
    KEEL_SERV_ARGS=$sprio
    pair_keel_cli_gnutls "tls12 keel-cli -> gnutls-serv $kx $cipher" "$re" "$prio" $sprio
    pair_gnutls_keel_serv "tls12 gnutls-cli -> keel-serv $kx $cipher" "$re" "$prio"
    pair_keel_keel "tls12 keel-cli -> keel-serv $kx $cipher" "$re" "$prio"
    KEEL_SERV_ARGS=""
  done
done
CHECK_KX=""

# A server with an RSA and an ECDSA identity picks the one the suite needs.
SRV_CERT=$CERTS/ecdsa-p256-cert.pem; SRV_KEY=$CERTS/ecdsa-p256-key.pem
KEEL_SERV_ARGS="--x509certfile $CERTS/rsa-cert.pem --x509keyfile $CERTS/rsa-key.pem"
for kx in ECDHE-RSA ECDHE-ECDSA; do
  CHECK_KX=$kx
  pair_gnutls_keel_serv "tls12 gnutls-cli -> keel-serv with two identities, $kx" "\(TLS1\.2[^)]*\)" \
    "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+$kx"
done
CHECK_KX=""; KEEL_SERV_ARGS=""

# Version negotiation: a TLS 1.3-capable side against a TLS 1.2-only peer settles on 1.2.
SRV_CERT=$CERTS/rsa-cert.pem; SRV_KEY=$CERTS/rsa-key.pem
pair_keel_cli_openssl "tls12 keel-cli (1.2+1.3) -> openssl s_server -tls1_2" "\(TLS1\.2[^)]*\)" NORMAL -tls1_2
pair_keel_cli_gnutls "tls12 keel-cli (1.2+1.3) -> gnutls-serv 1.2 only" "\(TLS1\.2[^)]*\)" NORMAL \
  --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2"
pair_openssl_keel_serv "tls12 openssl s_client -tls1_2 -> keel-serv (1.2+1.3)" "\(TLS1\.2[^)]*\)" "New, TLSv1\.2" -tls1_2
pair_gnutls_keel_serv "tls12 gnutls-cli 1.2 only -> keel-serv (1.2+1.3)" "\(TLS1\.2[^)]*\)" "NORMAL:-VERS-ALL:+VERS-TLS1.2"

keylog_case "tls12 SSLKEYLOGFILE" "NORMAL:-VERS-ALL:+VERS-TLS1.2" -tls1_2 CLIENT_RANDOM

finish
