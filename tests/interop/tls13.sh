#!/bin/sh
# TLS 1.3 interop on 127.0.0.1: the Keel test peer (tests/interop/peer.c) as a client of
# openssl s_server and gnutls-serv, and as the server of openssl s_client and gnutls-cli, for
# every suite x group x server key type; HelloRetryRequest; small padded records; key logs;
# long lines. Each case checks a line of data both ways, and the suite, group and signature
# that both ends report. Cases run one after the other, each peer bounded by timeout(1).
. "$(dirname "$0")/lib.sh"
need openssl gnutls-serv gnutls-cli awk od "$PEER"

SUITES="TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256"
TLS13_GROUPS="X25519 SECP256R1 SECP384R1"
KEYS="rsa ecdsa-p256 ed25519"
PRIO13="NORMAL:-VERS-ALL:+VERS-TLS1.3"
CA=$DATA/ca-cert.pem

cipher_of() {
  case $1 in
    TLS_AES_128_GCM_SHA256) echo AES-128-GCM ;;
    TLS_AES_256_GCM_SHA384) echo AES-256-GCM ;;
    TLS_CHACHA20_POLY1305_SHA256) echo CHACHA20-POLY1305 ;;
    *) echo "unknown suite $1" >&2; exit 2 ;;
  esac
}
ossl_group_of() {
  case $1 in X25519) echo X25519 ;; SECP256R1) echo P-256 ;; SECP384R1) echo P-384 ;;
    *) echo "unknown group $1" >&2; exit 2 ;; esac
}
# "Server Temp Key:" in openssl s_client's report
ossl_temp_key_of() {
  case $1 in X25519) echo 'X25519' ;; SECP256R1) echo 'ECDH, prime256v1' ;;
    SECP384R1) echo 'ECDH, secp384r1' ;; *) exit 2 ;; esac
}
# the signature part of a GnuTLS description, and openssl's "Peer signature type:"
sig_of() {
  case $1 in rsa) echo 'RSA-PSS-RSAE-SHA256' ;; ecdsa-p256) echo 'ECDSA-SECP256R1-SHA256' ;;
    ed25519) echo 'EdDSA-Ed25519' ;; *) exit 2 ;; esac
}
ossl_sig_of() {
  case $1 in rsa) echo 'RSA-PSS' ;; ecdsa-p256) echo 'ECDSA' ;; ed25519) echo '[Ee]d25519' ;;
    *) exit 2 ;; esac
}
# desc_re GROUP CIPHER SIG: a gnutls_session_get_desc() string (GnuTLS may add "-X.509").
desc_re() { echo "\(TLS1\.3(-X\.509)?\)-\(ECDHE-$1\)-\($3\)-\($2\)"; }
reverse() { # what openssl s_server -rev answers
  printf '%s\n' "$1" |
    awk '{ s = ""; for (i = length($0); i > 0; i--) s = s substr($0, i, 1); print s }'
}
case_line() { echo "keel-interop $* $(od -An -N6 -tx1 /dev/urandom | tr -d ' ')"; }

SRV=$WORK/server.log
CLI=$WORK/client.log
MSG=$WORK/openssl-msg.log   # openssl's -msg trace, kept out of the data it prints

# Checks on the Keel peer's own report, as client or server.
check_peer() { # LOG ROLE GROUP CIPHER SIG EXPECTED_RECEIVED HRR
  expect "$1" "^desc: $(desc_re "$3" "$4" "$5")\$" "Keel $2 reports another suite/group/signature"
  expect "$1" '^version: TLS1\.3$' "Keel $2 did not negotiate TLS 1.3"
  expect_fixed "$1" "cipher: $4" "gnutls_cipher_get() on the Keel $2 disagrees"
  expect_fixed "$1" "group: $3" "gnutls_group_get() on the Keel $2 disagrees"
  expect_fixed "$1" "received: $6" "Keel $2 did not receive the line intact"
  expect_fixed "$1" "hrr: $7" "Keel $2 did not see exactly $7 HelloRetryRequest"
  expect_fixed "$1" "done" "Keel $2 did not close cleanly"
}

# --- Keel client, openssl s_server: the server restricted to one suite and one group ---------
keel_to_openssl() { # NAME KEEL_PRIO GROUP SUITE KEY HRR [s_server args...]
  _name=$1 _prio=$2 _group=$3 _suite=$4 _key=$5 _hrr=$6; shift 6
  begin_case; show_logs "$CLI" "$SRV"; rm -f "$MSG"
  _line=$(case_line "$_name")
  if ! start_listener "$SRV" '^ACCEPT' openssl s_server -accept 127.0.0.1:@PORT@ -naccept 1 \
       -rev -msg -msgfile "$MSG" -tls1_3 -ciphersuites "$_suite" -cert "$DATA/$_key-cert.pem" \
       -key "$DATA/$_key-key.pem" "$@"; then
    flunk "openssl s_server did not start"; verdict "$_name"; return
  fi
  printf '%s\n' "$_line" | peer_client "$SRV_PORT" "$_prio" >"$CLI" 2>&1
  expect_rc $? 0 "Keel client"
  reap "$SRV_PID"; expect_rc $? 0 "openssl s_server"
  [ -z "$KEEL_KEYLOG" ] || same_key_log "$KEEL_KEYLOG" "$OSSL_KEYLOG" "openssl s_server"
  check_peer "$CLI" client "$_group" "$(cipher_of "$_suite")" "$(sig_of "$_key")" \
    "$(reverse "$_line")" "$_hrr"
  expect_count "$MSG" '^<<< .*, ClientHello$' $((_hrr + 1)) "openssl s_server ClientHellos"
  verdict "$_name"
}

# --- Keel client, gnutls-serv --echo: the client restricted ----------------------------------
keel_to_gnutls() { # NAME KEEL_PRIO GROUP SUITE KEY HRR LINE [gnutls-serv args...]
  _name=$1 _prio=$2 _group=$3 _suite=$4 _key=$5 _hrr=$6 _line=$7; shift 7
  begin_case; show_logs "$CLI" "$SRV"
  if ! start_listener "$SRV" 'Echo Server listening on IPv4' gnutls-serv --echo -p @PORT@ \
       --x509certfile "$DATA/$_key-cert.pem" --x509keyfile "$DATA/$_key-key.pem" "$@"; then
    flunk "gnutls-serv did not start"; verdict "$_name"; return
  fi
  printf '%s\n' "$_line" | peer_client "$SRV_PORT" "$_prio" >"$CLI" 2>&1
  expect_rc $? 0 "Keel client"
  stop "$SRV_PID"   # gnutls-serv serves until stopped; its log is complete once it has exited
  _cipher=$(cipher_of "$_suite") _sig=$(sig_of "$_key")
  check_peer "$CLI" client "$_group" "$_cipher" "$_sig" "$_line" "$_hrr"
  expect "$SRV" "^- Description: $(desc_re "$_group" "$_cipher" "$_sig")\$" \
    "gnutls-serv reports another suite/group/signature"
  verdict "$_name"
}

# --- openssl s_client against the Keel server: the server restricted ------------------------
openssl_to_keel() { # NAME KEEL_PRIO GROUP SUITE KEY HRR LINE [s_client args...]
  _name=$1 _prio=$2 _group=$3 _suite=$4 _key=$5 _hrr=$6 _line=$7; shift 7
  begin_case; show_logs "$SRV" "$CLI"; rm -f "$MSG"
  if ! start_peer_server "$SRV" "$DATA/$_key-cert.pem" "$DATA/$_key-key.pem" "$_prio"; then
    flunk "Keel server did not start"; verdict "$_name"; return
  fi
  feed_until_exit "$_line" "$SRV_PID" | timeout "$CLIENT_TIMEOUT" openssl s_client \
    -connect "127.0.0.1:$SRV_PORT" -tls1_3 -nocommands -msg -msgfile "$MSG" \
    -CAfile "$CA" -verify_return_error -verify_ip 127.0.0.1 "$@" >"$CLI" 2>&1
  expect_rc $? 0 "openssl s_client"
  reap "$SRV_PID"; expect_rc $? 0 "Keel server"
  check_peer "$SRV" server "$_group" "$(cipher_of "$_suite")" "$(sig_of "$_key")" "$_line" "$_hrr"
  expect "$CLI" "^New, TLSv1\.3, Cipher is $_suite\$" "s_client reports another suite"
  expect "$CLI" "^Server Temp Key: $(ossl_temp_key_of "$_group")," "s_client reports another group"
  expect "$CLI" "^Peer signature type: $(ossl_sig_of "$_key")\$" \
    "s_client reports another signature"
  expect "$CLI" '^Verification: OK$' "s_client did not verify the Keel server's certificate"
  expect_fixed "$CLI" "$_line" "s_client did not receive the line intact"
  expect_count "$MSG" '^<<< .*, ServerHello$' $((_hrr + 1)) "s_client ServerHellos"
  [ -z "$KEEL_KEYLOG" ] || same_key_log "$KEEL_KEYLOG" "$OSSL_KEYLOG" "openssl s_client"
  verdict "$_name"
}

# --- gnutls-cli against the Keel server: the client restricted -------------------------------
gnutls_to_keel() { # NAME KEEL_PRIO GROUP SUITE KEY HRR LINE [gnutls-cli args...]
  _name=$1 _prio=$2 _group=$3 _suite=$4 _key=$5 _hrr=$6 _line=$7; shift 7
  begin_case; show_logs "$SRV" "$CLI"
  if ! start_peer_server "$SRV" "$DATA/$_key-cert.pem" "$DATA/$_key-key.pem" "$_prio"; then
    flunk "Keel server did not start"; verdict "$_name"; return
  fi
  feed_until_exit "$_line" "$SRV_PID" | timeout "$CLIENT_TIMEOUT" gnutls-cli -p "$SRV_PORT" \
    --x509cafile "$CA" "$@" 127.0.0.1 >"$CLI" 2>&1
  expect_rc $? 0 "gnutls-cli"
  reap "$SRV_PID"; expect_rc $? 0 "Keel server"
  _cipher=$(cipher_of "$_suite") _sig=$(sig_of "$_key")
  check_peer "$SRV" server "$_group" "$_cipher" "$_sig" "$_line" "$_hrr"
  expect "$CLI" "^- Description: $(desc_re "$_group" "$_cipher" "$_sig")\$" \
    "gnutls-cli reports another suite/group/signature"
  expect "$CLI" '^- Status: The certificate is trusted\.' \
    "gnutls-cli did not verify the Keel server's certificate"
  expect_fixed "$CLI" "$_line" "gnutls-cli did not receive the line intact"
  [ -z "$ALSO_CLI_RE" ] || expect "$CLI" "$ALSO_CLI_RE" "gnutls-cli log lacks: $ALSO_CLI_RE"
  verdict "$_name"
}
ALSO_CLI_RE=""

one() { echo "$PRIO13:-CIPHER-ALL:+$(cipher_of "$1"):-GROUP-ALL:+GROUP-$2"; }

# Every suite x group x key type, in each of the four pairings. The Keel client offers
# GnuTLS's default groups with one key share (secp256r1), so openssl s_server restricted to
# X25519 or P-384 answers with a HelloRetryRequest; openssl s_client's one key share is X25519,
# so the Keel server restricted to another group asks for a retry too.
for suite in $SUITES; do
  for group in $TLS13_GROUPS; do
    case $group in SECP256R1) keel_hrr=0 ;; *) keel_hrr=1 ;; esac
    case $group in X25519) ossl_hrr=0 ;; *) ossl_hrr=1 ;; esac
    for key in $KEYS; do
      keel_to_openssl "Keel client -> openssl s_server $suite $group $key" "$PRIO13" \
        "$group" "$suite" "$key" "$keel_hrr" -groups "$(ossl_group_of "$group")"
      keel_to_gnutls "Keel client -> gnutls-serv $suite $group $key" "$(one "$suite" "$group")" \
        "$group" "$suite" "$key" 0 "$(case_line gnutls-serv "$suite" "$group" "$key")" \
        --priority "$PRIO13"
      openssl_to_keel "openssl s_client -> Keel server $suite $group $key" \
        "$(one "$suite" "$group")" "$group" "$suite" "$key" "$ossl_hrr" \
        "$(case_line s_client "$suite" "$group" "$key")"
      gnutls_to_keel "gnutls-cli -> Keel server $suite $group $key" "$PRIO13" \
        "$group" "$suite" "$key" 0 "$(case_line gnutls-cli "$suite" "$group" "$key")" \
        --priority "$(one "$suite" "$group")"
    done
  done
done

# HelloRetryRequest: the client's first (and only) key share is X25519, the server takes
# SECP384R1 only.
x_then_384="$PRIO13:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1"
only384="$PRIO13:-GROUP-ALL:+GROUP-SECP384R1"
s256=TLS_AES_256_GCM_SHA384
keel_to_openssl "HRR: Keel client (X25519 first) -> openssl s_server -groups P-384" "$x_then_384" \
  SECP384R1 "$s256" ecdsa-p256 1 -groups P-384
keel_to_gnutls "HRR: Keel client (X25519 first) -> gnutls-serv SECP384R1 only" "$x_then_384" \
  SECP384R1 "$s256" ecdsa-p256 1 "$(case_line hrr gnutls-serv)" --priority "$only384"
openssl_to_keel "HRR: openssl s_client -groups X25519:P-384 -> Keel server SECP384R1 only" \
  "$only384" SECP384R1 "$s256" ecdsa-p256 1 "$(case_line hrr s_client)" -groups X25519:P-384
ALSO_CLI_RE='HELLO RETRY REQUEST \(1025\) was received'
gnutls_to_keel "HRR: gnutls-cli --single-key-share X25519 first -> Keel server SECP384R1 only" \
  "$only384" SECP384R1 "$s256" ecdsa-p256 1 "$(case_line hrr gnutls-cli)" \
  --single-key-share --priority "$x_then_384" -d 4
ALSO_CLI_RE=""

# Records the peers cut small and pad: handshake messages (the RSA Certificate) spread over
# several records, padded TLSInnerPlaintext both ways.
small="-max_send_frag 512 -record_padding 256"
# shellcheck disable=SC2086 # $small is two options
keel_to_openssl "small padded records: Keel client -> openssl s_server $small" "$PRIO13" \
  SECP256R1 TLS_AES_256_GCM_SHA384 rsa 0 -groups P-256 $small
# shellcheck disable=SC2086
openssl_to_keel "small padded records: openssl s_client $small -> Keel server" "$PRIO13" \
  X25519 TLS_AES_256_GCM_SHA384 rsa 0 "$(case_line small records)" $small

# SSLKEYLOGFILE: Keel logs the very secrets the peer logs (what Wireshark needs to decrypt).
KEEL_KEYLOG=$WORK/keel.keys OSSL_KEYLOG=$WORK/openssl.keys
rm -f "$KEEL_KEYLOG" "$OSSL_KEYLOG"
keel_to_openssl "SSLKEYLOGFILE: Keel client and openssl s_server log the same secrets" "$PRIO13" \
  X25519 TLS_CHACHA20_POLY1305_SHA256 ecdsa-p256 1 -groups X25519 -keylogfile "$OSSL_KEYLOG"
rm -f "$KEEL_KEYLOG" "$OSSL_KEYLOG"
openssl_to_keel "SSLKEYLOGFILE: Keel server and openssl s_client log the same secrets" \
  "$(one TLS_AES_128_GCM_SHA256 SECP384R1)" SECP384R1 TLS_AES_128_GCM_SHA256 ed25519 1 \
  "$(case_line keylog)" -keylogfile "$OSSL_KEYLOG"
KEEL_KEYLOG=""

# A line of 60000 bytes: several records each way, reassembled by the receiver.
long=$(od -An -v -tx1 -N30000 /dev/urandom | tr -d ' \n')
keel_to_gnutls "long line: Keel client -> gnutls-serv" "$(one TLS_AES_128_GCM_SHA256 X25519)" \
  X25519 TLS_AES_128_GCM_SHA256 rsa 0 "$long" --priority "$PRIO13"
openssl_to_keel "long line: openssl s_client -> Keel server" \
  "$(one TLS_CHACHA20_POLY1305_SHA256 X25519)" X25519 TLS_CHACHA20_POLY1305_SHA256 ed25519 0 "$long"
gnutls_to_keel "long line: gnutls-cli -> Keel server" "$PRIO13" SECP256R1 TLS_AES_256_GCM_SHA384 \
  ecdsa-p256 0 "$long" --priority "$(one TLS_AES_256_GCM_SHA384 SECP256R1)"

finish
