#!/bin/sh
# TLS 1.3 KeyUpdate interop (issue 6): openssl s_client/s_server "k" (update_not_requested)
# and "K" (update_requested) against Keel in both roles; gnutls-cli ^rekey^ (both sides) and
# ^rekey1^ (ours only) against keel-serv; keel-serv's and gnutls-serv's **REHANDSHAKE**
# (gnutls_rehandshake() under TLS 1.3 is a KeyUpdate); keel-cli's own ^rekey^/^rekey1^.
# Data is checked in both directions after each update.
. "$(dirname "$0")/lib.inc"
need openssl gnutls-serv gnutls-cli python3 "$CLI" "$SERV"

P13="NORMAL:-VERS-ALL:+VERS-TLS1.3"
SRV_CERT=$CERTS/ecdsa-p256-cert.pem
SRV_KEY=$CERTS/ecdsa-p256-key.pem
KSERV="--priority $P13 --x509certfile $SRV_CERT --x509keyfile $SRV_KEY"
OSERV="-cert $SRV_CERT -key $SRV_KEY -naccept 1 -tls1_3 -msg"
GSERV="--echo --x509certfile $SRV_CERT --x509keyfile $SRV_KEY --priority $P13"
GCLI_READY='^- Simple Client Mode'
OCLI_READY='^ *Verify return code'
KCLI_READY='^- Simple Client Mode'
# openssl -msg lines for a KeyUpdate it sent (>>>) or received (<<<)
OSSL_KU_IN='^<<< .*KeyUpdate'
OSSL_KU_OUT='^>>> .*KeyUpdate'
# gnutls_strerror(GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS): GnuTLS's words, then Keel's
TOO_MANY='Too many handshake packets|too many handshake messages'

# ---- Keel as the server ----

if keel_serv_up "keyupdate openssl s_client k against keel-serv" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -msg; then
  echo_check before
  type_cli 'k'
  see cli.out "$OSSL_KU_OUT" "s_client sent no KeyUpdate"
  echo_check after-k
  type_cli 'k'
  expect_count cli.out "$OSSL_KU_OUT" 2 "s_client sent no second KeyUpdate"
  echo_check after-second-k
  [ -n "$WHY" ] || [ "$(count cli.out "$OSSL_KU_IN")" = 0 ] ||
    fail_why "keel-serv answered an update_not_requested"
fi
done_case

if keel_serv_up "keyupdate openssl s_client K against keel-serv (update_requested answered)" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -msg; then
  echo_check before
  type_cli 'K'
  see cli.out "$OSSL_KU_OUT" "s_client sent no KeyUpdate"
  echo_check after-K
  see cli.out "$OSSL_KU_IN" "keel-serv did not answer with its own KeyUpdate"
  echo_check after-answer
fi
done_case

if keel_serv_up "keyupdate keel-serv **REHANDSHAKE** under TLS 1.3 with openssl s_client" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -msg; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see srv.out 'Sent a KeyUpdate' "keel-serv did not send a KeyUpdate"
  see cli.out "$OSSL_KU_IN" "s_client received no KeyUpdate"
  echo_check after
  # OpenSSL answers update_requested just before its next application data.
  see cli.out "$OSSL_KU_OUT" "s_client did not answer the requested update"
  echo_check after-2
fi
done_case

for cmd in rekey rekey1; do
  if keel_serv_up "keyupdate gnutls-cli ^$cmd^ against keel-serv" $KSERV &&
     client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$P13" --inline-commands; then
    echo_check before
    type_cli "^$cmd^"
    see cli.out 'Rekey was completed' "gnutls-cli's key update failed"
    echo_check after-first
    type_cli "^$cmd^"
    expect_count cli.out 'Rekey was completed' 2 "gnutls-cli's second key update failed"
    echo_check after-second
  fi
  done_case
done

if keel_serv_up "keyupdate keel-serv **REHANDSHAKE** under TLS 1.3 with gnutls-cli" $KSERV &&
   client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$P13"; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  see srv.out 'Sent a KeyUpdate' "keel-serv did not send a KeyUpdate"
  echo_check after
  echo_check after-2
fi
done_case

if keel_serv_up "keyupdate keel-cli ^rekey^ ^rekey1^ and **REHANDSHAKE** against keel-serv (trace)" $KSERV --trace &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands --trace; then
  echo_check before
  type_cli '^rekey^'
  see cli.out 'Rekey was completed' "^rekey^ failed"
  echo_check after-rekey
  type_cli '^rekey1^'
  expect_count cli.out 'Rekey was completed' 2 "^rekey1^ failed"
  echo_check after-rekey1
  type_cli '**REHANDSHAKE**'
  see srv.out 'Sent a KeyUpdate' "keel-serv did not send a KeyUpdate"
  echo_check after-server-update
  see cli.out 'ms  client ---- KeyUpdate' "--trace shows no outgoing KeyUpdate"
  see cli.out 'ms  client <--- KeyUpdate' "--trace shows no incoming KeyUpdate"
fi
done_case

# ---- Keel as the client ----

for cmd in k K; do
  PORT=$(free_port)
  if peer_serv_up "keyupdate keel-cli against openssl s_server $cmd" '^ACCEPT' \
       openssl s_server -accept "127.0.0.1:$PORT" $OSERV &&
     client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P13"; then
    c2s_check before
    s2c_check before
    type_srv "$cmd"
    see srv.out "$OSSL_KU_OUT" "s_server sent no KeyUpdate"
    s2c_check after
    c2s_check after
    if [ "$cmd" = K ]; then
      see srv.out "$OSSL_KU_IN" "keel-cli did not answer the requested update"
    fi
    s2c_check after-2
    c2s_check after-2
  fi
  done_case
done

for cmd in rekey rekey1; do
  PORT=$(free_port)
  if peer_serv_up "keyupdate keel-cli ^$cmd^ against openssl s_server" '^ACCEPT' \
       openssl s_server -accept "127.0.0.1:$PORT" $OSERV &&
     client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P13" --inline-commands; then
    c2s_check before
    type_cli "^$cmd^"
    see cli.out 'Rekey was completed' "key update failed"
    see srv.out "$OSSL_KU_IN" "s_server received no KeyUpdate"
    c2s_check after
    s2c_check after
    if [ "$cmd" = rekey ]; then
      see srv.out "$OSSL_KU_OUT" "s_server did not answer the requested update"
    fi
  fi
  done_case
done

PORT=$(free_port)
if peer_serv_up "keyupdate keel-cli against gnutls-serv **REHANDSHAKE** under TLS 1.3" \
     'Echo Server listening' gnutls-serv -p "$PORT" $GSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P13" --trace; then
  echo_check before
  type_cli '**REHANDSHAKE**'
  # gnutls-serv takes a whole record for its command: the next line must not join it.
  see cli.out 'client <--- KeyUpdate' "keel-cli received no KeyUpdate"
  echo_check after
  echo_check after-2
  [ -n "$WHY" ] || ! grep -q 'Received rehandshake request' "$T/cli.out" ||
    fail_why "gnutls_record_recv() returned GNUTLS_E_REHANDSHAKE for a KeyUpdate"
fi
done_case

for cmd in rekey rekey1; do
  PORT=$(free_port)
  if peer_serv_up "keyupdate keel-cli ^$cmd^ against gnutls-serv" \
       'Echo Server listening' gnutls-serv -p "$PORT" $GSERV &&
     client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --priority "$P13" --inline-commands; then
    echo_check before
    type_cli "^$cmd^"
    see cli.out 'Rekey was completed' "key update failed"
    echo_check after
    echo_check after-2
  fi
  done_case
done

# ---- every suite (the SHA-384 suite derives its next secrets with HKDF-SHA384) ----

KU_SUITES="TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256"
! quick || KU_SUITES=TLS_AES_256_GCM_SHA384   # KEEL_QUICK: the suite with its own hash
for suite in $KU_SUITES; do
  cipher=$(gnutls_cipher_of "$suite")
  if keel_serv_up "keyupdate $suite: openssl s_client K three times against keel-serv" $KSERV &&
     client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -msg -ciphersuites "$suite"; then
    see srv.out "\($cipher\)" "suite $suite not negotiated"
    for i in 1 2 3; do
      type_cli 'K'
      expect_count cli.out "$OSSL_KU_OUT" "$i" "s_client sent no KeyUpdate $i"
      echo_check "after-K$i"
      expect_count cli.out "$OSSL_KU_IN" "$i" "keel-serv did not answer KeyUpdate $i"
    done
  fi
  done_case

  PORT=$(free_port)
  if peer_serv_up "keyupdate $suite: keel-cli ^rekey^ three times against openssl s_server" '^ACCEPT' \
       openssl s_server -accept "127.0.0.1:$PORT" $OSERV &&
     client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands \
       --priority "$P13:-CIPHER-ALL:+$cipher"; then
    for i in 1 2 3; do
      type_cli '^rekey^'
      expect_count cli.out 'Rekey was completed' "$i" "^rekey^ $i failed"
      c2s_check "after-rekey$i"
      s2c_check "after-rekey$i"
      expect_count srv.out "$OSSL_KU_IN" "$i" "s_server received no KeyUpdate $i"
      expect_count srv.out "$OSSL_KU_OUT" "$i" "s_server did not answer KeyUpdate $i"
    done
  fi
  done_case
done

# ---- many updates on one connection, and a flood ----

# Paced: the server receives two KeyUpdates per round (ours, and the answer to its own
# update_requested), kept under the limit of 8 per second.
ROUNDS=15
! quick || ROUNDS=4
if keel_serv_up "keyupdate $ROUNDS paced key updates each way on one connection (keel-cli, keel-serv)" $KSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands; then
  i=0
  while [ $i -lt $ROUNDS ] && [ -z "$WHY" ]; do
    type_cli '^rekey1^'
    type_cli '**REHANDSHAKE**'
    sleep 0.4
    i=$((i + 1))
  done
  expect_count cli.out 'Rekey was completed' $ROUNDS "not all client updates completed"
  expect_count srv.out 'Sent a KeyUpdate' $ROUNDS "not all server updates were sent"
  echo_check after-all-updates
fi
done_case

# More than 8 KeyUpdates within a second: GNUTLS_E_TOO_MANY_HANDSHAKE_PACKETS, that client
# only; the server serves the next one.
if keel_serv_up "keyupdate flood of 20 from keel-cli is cut by keel-serv, next client served" $KSERV &&
   client_up "$KCLI_READY" "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands; then
  i=0
  while [ $i -lt 20 ]; do type_cli '^rekey1^'; i=$((i + 1)); done
  see srv.out "$TOO_MANY" "keel-serv did not stop the flood"
  stop 8 "$CPID"; CPID=""
  client_up "$GCLI_READY" gnutls-cli -p "$PORT" 127.0.0.1 --insecure --priority "$P13" &&
    echo_check next-client
fi
done_case

# s_client reads its commands one read() at a time: pace them so each is its own.
if keel_serv_up "keyupdate flood of 20 from openssl s_client is cut by keel-serv" $KSERV &&
   client_up "$OCLI_READY" openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -msg; then
  i=0
  while [ $i -lt 20 ]; do type_cli 'k'; sleep 0.02; i=$((i + 1)); done
  see srv.out "$TOO_MANY" "keel-serv did not stop the flood"
fi
done_case

finish
