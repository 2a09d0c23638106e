#!/bin/sh
# TLS 1.2 renegotiation interop (issue 5): a Keel server's gnutls_rehandshake() completed by
# gnutls-cli and openssl s_client; client-initiated renegotiation from gnutls-cli
# (^renegotiate^) and openssl s_client (R) against keel-serv; keel-cli renegotiating when
# gnutls-serv or openssl s_server sends a HelloRequest, and on its own (^renegotiate^, -e);
# peers that refuse renegotiation or lack RFC 5746. Data is checked before and after.
# Skipped as a whole while the library has no TLS 1.2 (issue 4) or renegotiation (issue 5).
. "$(dirname "$0")/lib.inc"
need openssl gnutls-serv gnutls-cli python3 "$CLI" "$SERV"
require_features tls12 reneg

P12="NORMAL:-VERS-ALL:+VERS-TLS1.2"
SRV_CERT=$CERTS/rsa-cert.pem
SRV_KEY=$CERTS/rsa-key.pem
KSERV="--priority $P12 --x509certfile $SRV_CERT --x509keyfile $SRV_KEY"
OSERV="-cert $SRV_CERT -key $SRV_KEY -naccept 1 -tls1_2"
GSERV="--echo --x509certfile $SRV_CERT --x509keyfile $SRV_KEY --priority $P12"
GCLI_READY='^- Simple Client Mode'
OCLI_READY='^ *Verify return code'
KCLI_READY='^- Simple Client Mode'

# ---- Keel as the server ----

if keel_serv_up "reneg keel-serv gnutls_rehandshake() completed by gnutls-cli" $KSERV &&
   client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$P12"; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see srv.out 'Sending rehandshake request' "keel-serv did not call gnutls_rehandshake()"
  see srv.out 'ReHandshake was completed' "renegotiation did not complete"
  echo_check after
fi
done_case

if keel_serv_up "reneg keel-serv gnutls_rehandshake() completed by openssl s_client" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_2; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see srv.out 'ReHandshake was completed' "renegotiation did not complete"
  echo_check after
fi
done_case

if keel_serv_up "reneg gnutls-cli ^renegotiate^ against keel-serv" $KSERV &&
   client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$P12" --inline-commands; then
  echo_check before
  type_cli '^renegotiate^'
  see srv.out 'ReHandshake was completed' "renegotiation did not complete"
  echo_check after
  type_cli '^renegotiate^'
  expect_count srv.out 'ReHandshake was completed' 2 "second renegotiation did not complete"
  echo_check after-second
fi
done_case

if keel_serv_up "reneg openssl s_client R against keel-serv" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_2; then
  echo_check before
  type_cli 'R'
  see cli.out 'RENEGOTIATING' "s_client did not renegotiate"
  see srv.out 'ReHandshake was completed' "renegotiation did not complete"
  echo_check after
fi
done_case

if keel_serv_up "reneg keel-cli ^renegotiate^ and **REHANDSHAKE** against keel-serv" $KSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands --trace; then
  echo_check before
  type_cli '^renegotiate^'
  see cli.out 'Rehandshake was performed' "client-initiated renegotiation failed"
  echo_check after-client-reneg
  type_cli '**REHANDSHAKE**'
  see cli.out 'ReHandshake was completed' "server-initiated renegotiation failed"
  echo_check after-server-reneg
  see cli.out 'ms  client ---- CLIENT HELLO' "--trace shows no ClientHello"
fi
done_case

if keel_serv_up "reneg keel-serv refused by keel-cli --refuse-renegotiation" $KSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --refuse-renegotiation; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see cli.out 'Refused the rehandshake request' "keel-cli did not refuse"
  see srv.out 'Received alert \[100\]' "keel-serv did not see the no_renegotiation alert"
  echo_check after-refusal
fi
done_case

if keel_serv_up "reneg keel-serv refused by openssl s_client -no_renegotiation" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -no_renegotiation; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see srv.out 'Received alert \[100\]' "keel-serv did not see the no_renegotiation alert"
  echo_check after-refusal
fi
done_case

if keel_serv_up "reneg gnutls-cli without RFC 5746 is denied renegotiation by keel-serv" $KSERV &&
   client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --inline-commands \
     --priority "$P12:%DISABLE_SAFE_RENEGOTIATION"; then
  echo_check before
  type_cli '^renegotiate^'
  # gnutls_strerror(GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED): GnuTLS's words, then Keel's
  see srv.out 'Unsafe renegotiation denied|without RFC 5746 protection is not allowed' \
    "keel-serv did not deny with GNUTLS_E_UNSAFE_RENEGOTIATION_DENIED"
  # The server goes on serving others.
  stop 8 "$CPID"; CPID=""
  client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$P12" &&
    echo_check next-client
fi
done_case

# Every TLS 1.2 key exchange, several renegotiations on one connection.
KXS="ECDHE-RSA ECDHE-ECDSA DHE-RSA RSA ANON-DH"
! quick || KXS="ECDHE-RSA DHE-RSA"   # KEEL_QUICK: a representative subset
for kx in $KXS; do
  case $kx in
    ECDHE-ECDSA) c=$CERTS/ecdsa-p256-cert.pem; k=$CERTS/ecdsa-p256-key.pem ;;
    *) c=$SRV_CERT; k=$SRV_KEY ;;
  esac
  prio="$P12:-KX-ALL:+$kx"
  if keel_serv_up "reneg $kx: keel-serv gnutls_rehandshake() three times, gnutls-cli completes" \
       --priority "$prio" --x509certfile "$c" --x509keyfile "$k" &&
     client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$prio"; then
    for i in 1 2 3; do
      type_cli '**REHANDSHAKE**'
      expect_count srv.out 'ReHandshake was completed' "$i" "renegotiation $i did not complete"
      echo_check "after-reneg$i"
    done
    [ -n "$WHY" ] || [ "$(count srv.out "Key Exchange: $kx\$")" -ge 4 ] ||
      fail_why "key exchange is not $kx in every handshake"
  fi
  done_case
done

OKXS="ECDHE-RSA DHE-RSA RSA"
! quick || OKXS="RSA"
for kx in $OKXS; do
  PORT=$(free_port)
  if peer_serv_up "reneg $kx: keel-cli renegotiates three times on openssl s_server HelloRequest" '^ACCEPT' \
       openssl s_server -accept "127.0.0.1:$PORT" $OSERV &&
     client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P12:-KX-ALL:+$kx" -V; then
    for i in 1 2 3; do
      type_srv 'r'
      expect_count cli.out 'ReHandshake was completed' "$i" "renegotiation $i did not complete"
      c2s_check "after-reneg$i"
      s2c_check "after-reneg$i"
    done
    see cli.out "Key Exchange: $kx\$" "key exchange is not $kx"
  fi
  done_case
done

# ---- Keel as the client ----

PORT=$(free_port)
if peer_serv_up "reneg keel-cli renegotiates on gnutls-serv **REHANDSHAKE** (echo right after HelloRequest)" \
     'Echo Server listening' gnutls-serv -p "$PORT" $GSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see cli.out 'ReHandshake was completed' "renegotiation did not complete"
  echo_check after
fi
done_case "GnuTLS 3.7.9 clients fail the renegotiation when data follows the HelloRequest"

PORT=$(free_port)
if peer_serv_up "reneg keel-cli --refuse-renegotiation refuses gnutls-serv's HelloRequest" \
     'Echo Server listening' gnutls-serv -p "$PORT" $GSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --refuse-renegotiation; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see cli.out 'Refused the rehandshake request' "keel-cli did not refuse"
  # gnutls-serv (3.7.9) ends the connection on any warning alert, so only the alert is checked.
  see srv.out 'warning alert has been received' "gnutls-serv did not receive the warning alert"
fi
done_case

PORT=$(free_port)
if peer_serv_up "reneg keel-cli renegotiates on openssl s_server HelloRequest (r)" '^ACCEPT' \
     openssl s_server -accept "127.0.0.1:$PORT" $OSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P12"; then
  c2s_check before
  s2c_check before
  type_srv 'r'
  see cli.out 'ReHandshake was completed' "renegotiation did not complete"
  c2s_check after
  s2c_check after
fi
done_case

PORT=$(free_port)
# OpenSSL 3 servers refuse client-initiated renegotiation unless told otherwise.
if peer_serv_up "reneg keel-cli ^renegotiate^ against openssl s_server" '^ACCEPT' \
     openssl s_server -accept "127.0.0.1:$PORT" $OSERV -client_renegotiation &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P12" --inline-commands; then
  c2s_check before
  type_cli '^renegotiate^'
  see cli.out 'Rehandshake was performed' "renegotiation did not complete"
  c2s_check after
  s2c_check after
fi
done_case

PORT=$(free_port)
if peer_serv_up "reneg keel-cli -e (renegotiate at once) against gnutls-serv" \
     'Echo Server listening' gnutls-serv -p "$PORT" $GSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure -e; then
  see cli.out '^- ReHandshake was completed' "renegotiation did not complete"
  echo_check after
fi
done_case

PORT=$(free_port)
if peer_serv_up "reneg keel-cli ^renegotiate^ refused by openssl s_server -no_renegotiation" '^ACCEPT' \
     openssl s_server -accept "127.0.0.1:$PORT" $OSERV -no_renegotiation &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P12" --inline-commands; then
  c2s_check before
  type_cli '^renegotiate^'
  see cli.out 'Received alert \[100\]' "keel-cli did not report the no_renegotiation alert"
  see cli.out 'Rehandshake Failed' "keel-cli did not report the refused renegotiation"
  c2s_check after-refusal
  s2c_check after-refusal
fi
done_case

PORT=$(free_port)
if peer_serv_up "reneg keel-cli without RFC 5746 is denied renegotiation by gnutls-serv" \
     'Echo Server listening' gnutls-serv -p "$PORT" $GSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands \
     --priority "$P12:%DISABLE_SAFE_RENEGOTIATION"; then
  echo_check before
  type_cli '^renegotiate^'
  see cli.out 'Rehandshake Failed' "keel-cli did not report the denied renegotiation"
fi
done_case

finish
