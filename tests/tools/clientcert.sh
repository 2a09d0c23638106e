#!/bin/sh
# Client certificates (issue 8), under TLS 1.3 and TLS 1.2, in both roles.
# keel-serv requiring one (-r) or asking for one (--verify-client-cert), both verifying it
# against the test root: openssl s_client, gnutls-cli and keel-cli with a trusted, an
# untrusted or no certificate. keel-cli with or without one against openssl s_server and
# gnutls-serv that require, request or do not ask for one; each peer must confirm that it
# received and verified the certificate. RSA, ECDSA and Ed25519 client keys.
#
# PKI (tests/data/verify): every chain is leaf + "Keel Verify Intermediate", under
# root-cert.pem. The server is leaf-ecdsa (www.keel.test); clients verify it by name. The
# client identities are client (ECDSA P-256, clientAuth only) and, for the RSA and Ed25519
# keys, the leaf-rsa and leaf-ed25519 server certificates, which carry clientAuth too (there
# is no RSA or Ed25519 client-only certificate). The untrusted one is tests/data's
# ecdsa-p256 certificate, from the other test CA.
. "$(dirname "$0")/lib.inc"
need openssl gnutls-serv gnutls-cli python3 "$CLI" "$SERV"
require_features client_cert verify

V=$CERTS/verify
ROOT=$V/root-cert.pem
INTER=$V/inter-cert.pem
SNAME=www.keel.test
S_CHAIN=$V/leaf-ecdsa-chain.pem; S_CERT=$V/leaf-ecdsa-cert.pem; S_KEY=$V/leaf-ecdsa-key.pem

# identity ID: the client's files. Sets ID_GNUTLS (keel-cli and gnutls-cli options),
# ID_OPENSSL (s_client options), ID_CN (its subject CN) and ID_N (certificates sent).
identity() {
  case $1 in
    none) ID_GNUTLS=""; ID_OPENSSL=""; ID_CN=""; ID_N=0; return ;;
    ecdsa) _b=$V/client; ID_CN=client.keel.test ;;
    rsa) _b=$V/leaf-rsa; ID_CN=$SNAME ;;
    ed25519) _b=$V/leaf-ed25519; ID_CN=$SNAME ;;
    untrusted)
      ID_GNUTLS="--x509certfile $CERTS/ecdsa-p256-cert.pem --x509keyfile $CERTS/ecdsa-p256-key.pem"
      ID_OPENSSL="-cert $CERTS/ecdsa-p256-cert.pem -key $CERTS/ecdsa-p256-key.pem"
      ID_CN=localhost; ID_N=1; return ;;
    *) echo "unknown identity $1"; exit 1 ;;
  esac
  ID_GNUTLS="--x509certfile $_b-chain.pem --x509keyfile $_b-key.pem"
  ID_OPENSSL="-cert $_b-cert.pem -key $_b-key.pem -cert_chain $INTER"
  ID_N=2
}

# version 1.3|1.2: the priority for keel-cli and gnutls-cli, openssl's flag, the
# description's version.
version() {
  VER=$1
  PRIO="NORMAL:-VERS-ALL:+VERS-TLS$1"
  OFLAG=-tls1_$(echo "$1" | cut -c3)
  DESC_RE="\(TLS$(echo "$1" | sed 's/\./\\./')"
}

# start_client KIND ID: openssl s_client, gnutls-cli or keel-cli to keel-serv on $PORT, each
# verifying the server by name against the root. Sets CPID.
start_client() {
  identity "$2"
  case $1 in
    openssl) start 8 cli openssl s_client -connect "127.0.0.1:$PORT" "$OFLAG" -CAfile "$ROOT" \
               -verify_return_error -verify_hostname "$SNAME" $ID_OPENSSL ;;
    gnutls) start 8 cli gnutls-cli -p "$PORT" 127.0.0.1 --priority "$PRIO" --x509cafile "$ROOT" \
              --verify-hostname "$SNAME" $ID_GNUTLS ;;
    keel) start 8 cli "$CLI" -V -p "$PORT" 127.0.0.1 --priority "$PRIO" --x509cafile "$ROOT" \
            --verify-hostname "$SNAME" $ID_GNUTLS ;;
  esac
  CPID=$LAST_PID
}

client_ready_re() {
  case $1 in
    openssl) echo '^ *Verify return code' ;;
    *) echo '^- Simple Client Mode' ;;
  esac
}

# XFAIL, if set: the reason why the next cases fail with the tools built against GnuTLS
# (KEEL_UNDER_GNUTLS=1); Keel must pass them.
XFAIL=""

# ---- keel-serv asking for a certificate, or not ----

# request_seen KIND: the client's log shows the server's CertificateRequest (keel-cli prints
# nothing about it: always true).
request_seen() {
  case $1 in
    openssl) grep -Eq '^(Requested Signature Algorithms|Acceptable client certificate CA names)' \
               "$T/cli.out" ;;
    gnutls) grep -Eq '^- (Server has requested a|Successfully sent [0-9]+) certificate' \
              "$T/cli.out" ;;
    *) true ;;
  esac
}

# serv_accepts MODE CLIENT ID: keel-serv MODE (-r or --verify-client-cert) serves CLIENT
# presenting ID (or none); it must report the chain as received and trusted, or none sent.
serv_accepts() {
  _mode=$1; _kind=$2; _id=$3
  if keel_serv_up "clientcert $VER $_kind ($_id) -> keel-serv $_mode: accepted" \
       --x509certfile "$S_CHAIN" --x509keyfile "$S_KEY" --x509cafile "$ROOT" $_mode; then
    start_client "$_kind" "$_id"
    watch_expect "$CPID" cli.out "$(client_ready_re "$_kind")" "handshake did not complete"
    echo_check "$_kind-$_id"
    [ -n "$WHY" ] || check_desc srv.out "$DESC_RE"
    [ -n "$WHY" ] || request_seen "$_kind" || fail_why "$_kind saw no certificate request"
    [ "$_kind" != keel ] || [ -n "$WHY" ] || check_desc cli.out "$DESC_RE"
    # keel-serv reports on the certificate when the handshake completes, before any data.
    if [ -n "$WHY" ]; then :
    elif [ "$ID_N" = 0 ]; then
      grep -q '^\[#1\] - The client sent no certificate\.' "$T/srv.out" ||
        fail_why "keel-serv did not report the missing certificate"
    else
      grep -q "^\[#1\] - Got a certificate list of $ID_N certificates\." "$T/srv.out" ||
        fail_why "keel-serv did not receive the client's chain"
      grep -q '^\[#1\] - Status: The certificate is trusted' "$T/srv.out" ||
        fail_why "keel-serv did not verify the client's certificate"
    fi
  fi
  done_case "$XFAIL"
}

# serv_ignores CLIENT ID: keel-serv as by default (no -r): CLIENT, with a certificate, is
# served without being asked for it.
serv_ignores() {
  _kind=$1; _id=$2
  if keel_serv_up "clientcert $VER $_kind ($_id) -> keel-serv not asking: accepted" \
       --x509certfile "$S_CHAIN" --x509keyfile "$S_KEY" --x509cafile "$ROOT"; then
    start_client "$_kind" "$_id"
    watch_expect "$CPID" cli.out "$(client_ready_re "$_kind")" "handshake did not complete"
    echo_check "$_kind-$_id"
    [ -n "$WHY" ] || check_desc srv.out "$DESC_RE"
    [ -n "$WHY" ] || ! request_seen "$_kind" || fail_why "keel-serv asked for a certificate"
  fi
  done_case "$XFAIL"
}

# serv_refuses MODE CLIENT ID CLIENT_RE: keel-serv must fail the handshake (not serve the
# client), the client must end with a fatal error matching CLIENT_RE.
serv_refuses() {
  _mode=$1; _kind=$2; _id=$3; _cre=$4
  if keel_serv_up "clientcert $VER $_kind ($_id) -> keel-serv $_mode: refused" \
       --x509certfile "$S_CHAIN" --x509keyfile "$S_KEY" --x509cafile "$ROOT" $_mode; then
    start_client "$_kind" "$_id"
    wait_for "$T/srv.out" '\*\*\* Handshake has failed|- Handshake was completed'
    if grep -q -- '- Handshake was completed' "$T/srv.out"; then
      _how=$(grep -E -- '- (The client sent|Got a cert|Status)' "$T/srv.out" | head -n 2)
      fail_why "keel-serv accepted the client: $(echo "$_how" | tr '\n' ' ')"
    else
      see srv.out '\*\*\* Handshake has failed' "keel-serv reported no failed handshake"
    fi
    if [ -z "$WHY" ]; then
      wait_exit "$CPID" || fail_why "the client did not end after the refusal"
      case $EXIT_STATUS in 0|timeout) fail_why "client exit status $EXIT_STATUS" ;; esac
      grep -Eq -- "$_cre" "$T/cli.out" || fail_why "the client did not report /$_cre/"
    fi
    stop 8 "$CPID"; CPID=""
  fi
  done_case "$XFAIL"
}

# Fatal errors as each client reports them.
OSSL_FATAL='SSL alert number [0-9]+'
GNUTLS_FATAL='\*\*\* (Fatal error|Handshake has failed)'

# ---- keel-cli against openssl s_server and gnutls-serv ----

# peer_up SERVER ASK: openssl s_server or gnutls-serv; ASK is require, request or no.
peer_up() {
  _name=$1; _srv=$2; _ask=$3
  _port=$(free_port)
  case $_srv in
    openssl)
      case $_ask in require) _o="-Verify 1" ;; request) _o="-verify 1" ;; *) _o="" ;; esac
      peer_serv_up "$_name" '^ACCEPT' openssl s_server -accept "127.0.0.1:$_port" -naccept 1 \
        "$OFLAG" -cert "$S_CERT" -cert_chain "$INTER" -key "$S_KEY" -CAfile "$ROOT" \
        -verify_return_error $_o $OSSL_SERV_ARGS ;;
    gnutls)
      # gnutls-serv asks by default and verifies only with --verify-client-cert.
      case $_ask in require) _o="--require-client-cert --verify-client-cert" ;;
                    request) _o="--verify-client-cert" ;; *) _o="--disable-client-cert" ;; esac
      peer_serv_up "$_name" 'Echo Server listening on IPv4' gnutls-serv --echo -p "$_port" \
        --x509certfile "$S_CHAIN" --x509keyfile "$S_KEY" --x509cafile "$ROOT" $_o ;;
  esac
}

keel_cli_up() { # ID
  identity "$1"
  client_up '^- Simple Client Mode' "$CLI" -V -p "$_port" 127.0.0.1 --priority "$PRIO" \
    --x509cafile "$ROOT" --verify-hostname "$SNAME" $ID_GNUTLS
}

# cli_accepted SERVER ASK ID: keel-cli presenting ID (or none) is served; the server confirms
# it received and verified the chain, or that none came.
cli_accepted() {
  _srv=$1; _ask=$2; _id=$3
  if peer_up "clientcert $VER keel-cli ($_id) -> $_srv server, client cert $_ask: accepted" \
       "$_srv" "$_ask" &&
     keel_cli_up "$_id"; then
    check_desc cli.out "$DESC_RE"
    case $_srv in
      openssl) c2s_check keel-to-openssl; s2c_check openssl-to-keel ;;
      gnutls) echo_check echoed-by-gnutls ;;
    esac
    if [ -z "$WHY" ] && [ "$ID_N" != 0 ] && [ "$_ask" != no ]; then
      case $_srv in
        openssl)
          grep -q '^Client certificate' "$T/srv.out" ||
            fail_why "openssl s_server got no client certificate"
          grep -A1 "^depth=0 CN = $ID_CN\$" "$T/srv.out" | grep -q '^verify return:1' ||
            fail_why "openssl s_server did not verify CN=$ID_CN" ;;
        gnutls)
          grep -q "^- Got a certificate list of $ID_N certificates\." "$T/srv.out" ||
            fail_why "gnutls-serv got no client chain"
          grep -q "Subject: CN=$ID_CN\$" "$T/srv.out" ||
            fail_why "gnutls-serv did not get CN=$ID_CN"
          grep -q '^- Status: The certificate is trusted' "$T/srv.out" ||
            fail_why "gnutls-serv did not verify the client's certificate" ;;
      esac
    elif [ -z "$WHY" ]; then
      # Not asked for, or none to give: nothing reached the server.
      grep -q '^Client certificate\|^- Got a certificate list' "$T/srv.out" &&
        fail_why "the server received a client certificate"
    fi
  fi
  done_case "$XFAIL"
}

# cli_refused SERVER ASK ID SERVER_RE: the server refuses keel-cli presenting ID (or none);
# keel-cli must end with status 1 and a fatal error, the server's log match SERVER_RE.
cli_refused() {
  _srv=$1; _ask=$2; _id=$3; _sre=$4
  if peer_up "clientcert $VER keel-cli ($_id) -> $_srv server, client cert $_ask: refused" \
       "$_srv" "$_ask"; then
    identity "$_id"
    start 8 cli "$CLI" -V -p "$_port" 127.0.0.1 --priority "$PRIO" --x509cafile "$ROOT" \
      --verify-hostname "$SNAME" $ID_GNUTLS
    CPID=$LAST_PID
    wait_exit "$CPID" || fail_why "keel-cli still runs: not refused"
    [ "$EXIT_STATUS" = 1 ] || fail_why "keel-cli exit status $EXIT_STATUS, wanted 1"
    see cli.out "$GNUTLS_FATAL" "keel-cli reported no fatal error"
    see srv.out "$_sre" "the server did not report /$_sre/"
    stop 8 "$CPID"; CPID=""
  fi
  done_case "$XFAIL"
}

OSSL_NOCERT='peer did not return a certificate'
OSSL_SERV_ARGS=""   # more s_server arguments (word-split)
OSSL_BADCERT='verify error|certificate verify failed'
GNUTLS_SRV_FAIL='Error in handshake'

# ---- the matrix ----

# GnuTLS's gnutls_handshake() sends no alert when it fails (the application would call
# gnutls_alert_send_appropriate); Keel's does, and openssl s_client must see it.
NO_ALERT_UNDER_GNUTLS="gnutls_handshake sends no alert on failure"
# GnuTLS 3.7.9's own choice of client certificate (no retrieve function) never offers an
# Ed25519 one under TLS 1.2: it sends an empty Certificate.
NO_ED25519_12_UNDER_GNUTLS="no Ed25519 client certificate under TLS 1.2"

if quick; then
  version 1.3
  serv_accepts -r gnutls ecdsa
  cli_accepted openssl require ecdsa
  version 1.2
  serv_accepts -r openssl ecdsa
  serv_refuses -r gnutls none "$GNUTLS_FATAL"
  finish
  exit
fi

for v in 1.3 1.2; do
  version $v
  # keel-serv requires a certificate
  for kind in openssl gnutls keel; do serv_accepts -r $kind ecdsa; done
  for id in rsa ed25519; do
    serv_accepts -r gnutls $id
    serv_accepts -r openssl $id
  done
  serv_refuses -r gnutls none "$GNUTLS_FATAL"
  serv_refuses -r keel none "$GNUTLS_FATAL"
  serv_refuses -r gnutls untrusted "$GNUTLS_FATAL"
  XFAIL=$NO_ALERT_UNDER_GNUTLS
  serv_refuses -r openssl none "$OSSL_FATAL"
  serv_refuses -r openssl untrusted "$OSSL_FATAL"
  XFAIL=""
  # keel-serv asks for one, verifies one that is sent
  serv_accepts --verify-client-cert gnutls none
  serv_accepts --verify-client-cert openssl none
  serv_accepts --verify-client-cert openssl ecdsa
  serv_accepts --verify-client-cert gnutls ecdsa
  serv_refuses --verify-client-cert gnutls untrusted "$GNUTLS_FATAL"
  # keel-serv does not ask
  serv_ignores gnutls ecdsa
  serv_ignores openssl ecdsa

  # keel-cli as the client
  for srv in openssl gnutls; do
    for id in ecdsa rsa ed25519; do
      [ "$v$id" != 1.2ed25519 ] || XFAIL=$NO_ED25519_12_UNDER_GNUTLS
      cli_accepted $srv require $id
      XFAIL=""
    done
    cli_accepted $srv request ecdsa
    cli_accepted $srv request none
    cli_accepted $srv no ecdsa
  done
  cli_refused openssl require none "$OSSL_NOCERT"
  cli_refused gnutls require none "$GNUTLS_SRV_FAIL"
  # s_server names the other test CA in its request (so that keel-cli offers the untrusted
  # certificate) but verifies against the root. gnutls-serv names only the root: keel-cli then
  # offers no certificate at all, which must be refused just the same.
  OSSL_SERV_ARGS="-CAfile $CERTS/ca-cert.pem -verifyCAfile $ROOT"
  cli_refused openssl require untrusted "$OSSL_BADCERT"
  OSSL_SERV_ARGS=""
  cli_refused gnutls require untrusted "$GNUTLS_SRV_FAIL"
done

finish
