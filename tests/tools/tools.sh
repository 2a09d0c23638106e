#!/bin/sh
# keel-cli and keel-serv as a user meets them (issue 7): options, bad input, the HTTP page
# through curl and Python over TLS 1.2 and 1.3, /rehandshake, many clients at once, a client
# sending garbage, certificate checks with --x509cafile, client certificates, --logfile.
. "$(dirname "$0")/lib.inc"
need python3 gnutls-cli "$CLI" "$SERV"

CA=$CERTS/ca-cert.pem

# run_tool NAME EXPECTED_STATUS STDERR_REGEX COMMAND...: a tool that exits by itself.
run_tool() {
  begin_case "$1"; _want=$2; _re=$3; shift 3
  timeout 20 "$@" >"$T/out" 2>"$T/err" </dev/null
  _st=$?
  [ "$_st" = "$_want" ] || fail_why "exit status $_st, wanted $_want"
  [ -z "$_re" ] || grep -Eq -- "$_re" "$T/err" || fail_why "stderr lacks /$_re/: $(head -c 300 "$T/err")"
  show_logs out err
  end_case
}

printf 'not a certificate\n' >"$T/garbage.pem"
BUSY=$(free_port)
python3 -c 'import socket,time,sys
s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(30)' "$BUSY" &
BUSY_PID=$!; PIDS="$PIDS $BUSY_PID"
CLOSED=$(free_port)
sleep 0.3

run_tool "tools keel-cli unknown option: usage, exit 2" 2 '^Usage: keel-cli' "$CLI" --no-such-option localhost
run_tool "tools keel-serv unknown option: usage, exit 2" 2 '^Usage: keel-serv' "$SERV" --no-such-option
run_tool "tools keel-cli without HOST: exit 2" 2 'no HOST' "$CLI"
run_tool "tools keel-cli --help: exit 0" 0 '' "$CLI" --help
run_tool "tools keel-serv --version: exit 0" 0 '' "$SERV" --version
run_tool "tools keel-serv missing certificate file" 1 "^keel-serv: cannot read certificate file $T/nope.pem: No such file" \
  "$SERV" -p 0 --x509certfile "$T/nope.pem" --x509keyfile "$CERTS/rsa-key.pem"
run_tool "tools keel-serv malformed certificate file" 1 "^keel-serv: cannot load certificate $T/garbage.pem with key .*: " \
  "$SERV" -p 0 --x509certfile "$T/garbage.pem" --x509keyfile "$CERTS/rsa-key.pem"
run_tool "tools keel-serv key that does not match the certificate" 1 "^keel-serv: cannot load certificate .*rsa-cert.pem with key .*ecdsa-p256-key.pem: " \
  "$SERV" -p 0 --x509certfile "$CERTS/rsa-cert.pem" --x509keyfile "$CERTS/ecdsa-p256-key.pem"
run_tool "tools keel-serv certificate without key: exit 2" 2 'needs its --x509keyfile' \
  "$SERV" -p 0 --x509certfile "$CERTS/rsa-cert.pem"
run_tool "tools keel-serv port in use" 1 "^keel-serv: cannot listen on 127.0.0.1 port $BUSY: Address already in use" \
  "$SERV" -p "$BUSY"
run_tool "tools keel-serv missing --dhparams file" 1 "^keel-serv: cannot read DH parameters file $T/nope.pem" \
  "$SERV" -p 0 --dhparams "$T/nope.pem"
run_tool "tools keel-serv malformed --dhparams file" 1 "^keel-serv: cannot load DH parameters $T/garbage.pem: " \
  "$SERV" -p 0 --dhparams "$T/garbage.pem"
run_tool "tools keel-serv bad priority string" 1 '^keel-serv: bad priority string' "$SERV" -p 0 --priority 'NORMAL:+NO-SUCH-THING'
run_tool "tools keel-cli connection refused" 1 "^keel-cli: cannot connect to 127.0.0.1 port $CLOSED: Connection refused" \
  "$CLI" -p "$CLOSED" 127.0.0.1 --insecure
run_tool "tools keel-cli unreadable CA file" 1 "^keel-cli: cannot read CA file $T/nope.pem" \
  "$CLI" -p "$CLOSED" 127.0.0.1 --x509cafile "$T/nope.pem"

# ---- the HTTP page ----
# http_case NAME VERSION: Python fetches / and /rehandshake over TLS VERSION (1.2 or 1.3), then
# curl fetches /. Under TLS 1.2 /rehandshake is a renegotiation (two handshakes on the page),
# under TLS 1.3 a KeyUpdate requested by the server.
http_case() {
  if keel_serv_up "$1" --http; then
    python3 - "$PORT" "$2" >"$T/cli.out" 2>&1 <<'PY' || fail_why "python fetch failed: $(tail -n 1 "$T/cli.out")"
import socket, ssl, sys
port = int(sys.argv[1])
version = ssl.TLSVersion.TLSv1_3 if sys.argv[2] == "1.3" else ssl.TLSVersion.TLSv1_2
for path in ("/", "/rehandshake"):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ctx.maximum_version = version
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10)) as s:
        s.sendall(b"GET " + path.encode() + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    text = data.decode()
    want = "TLS" + sys.argv[2]
    assert text.startswith("HTTP/1.0 200 OK"), text[:100]
    assert "<td>Protocol version</td><td>%s</td>" % want in text, text
    if path == "/rehandshake" and want == "TLS1.2":
        assert "<td>Handshakes on this connection</td><td>2</td>" in text, text
    if path == "/rehandshake" and want == "TLS1.3":
        assert "<td>Key updates requested by the server</td><td>1</td>" in text, text
    print("python", want, path, "ok")
PY
    if command -v curl >/dev/null 2>&1; then
      if ! timeout 10 curl -sk --tlsv$2 --tls-max $2 "https://127.0.0.1:$PORT/" >"$T/curl.out" 2>&1 ||
         ! grep -q "<td>Protocol version</td><td>TLS$2</td>" "$T/curl.out"; then
        fail_why "curl TLS $2 failed"
      fi
    fi
  fi
  done_case
}
http_case "tools keel-serv HTTP page through Python and curl, TLS 1.3, /rehandshake (KeyUpdate)" 1.3
name="tools keel-serv HTTP page through Python and curl, TLS 1.2, /rehandshake (renegotiation)"
if want "$name" tls12 reneg; then http_case "$name" 1.2; fi

# ---- many clients at once, a garbage client, a stalled client ----
if keel_serv_up "tools keel-serv serves 20 clients at once, survives garbage and a stalled client"; then
  # A client that sends garbage, and one that connects and says nothing.
  python3 -c 'import socket,sys
s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"\x16\x03\x01\xff\xff" + b"A"*300); s.close()' "$PORT"
  python3 -c 'import socket,sys,time
s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(20)' "$PORT" &
  STALL=$!; PIDS="$PIDS $STALL"
  i=0; pids=""
  while [ $i -lt 20 ]; do
    ( (printf 'x-client-%s\n' $i; sleep 1) | timeout 15 "$CLI" -p "$PORT" 127.0.0.1 --insecure >"$T/many.$i" 2>&1 ) &
    pids="$pids $!"; i=$((i + 1))
  done
  for p in $pids; do wait "$p"; done
  i=0
  while [ $i -lt 20 ]; do
    grep -q "^x-client-$i\$" "$T/many.$i" || fail_why "client $i got no echo"
    i=$((i + 1))
  done
  client_up '^- Simple Client Mode' gnutls-cli -p "$PORT" 127.0.0.1 --insecure && echo_check after-all
  kill "$STALL" 2>/dev/null
fi
done_case

# ---- certificates ----
SRV="--x509certfile $CERTS/rsa-cert.pem --x509keyfile $CERTS/rsa-key.pem"
if keel_serv_up "tools keel-cli verifies keel-serv's certificate with --x509cafile" $SRV &&
   client_up '^- Simple Client Mode' "$CLI" -p "$PORT" localhost --x509cafile "$CA"; then
  echo_check verified
fi
done_case

# refused_case NAME KEEL-SERV-ARGS -- KEEL-CLI-ARGS: keel-cli must fail verification, exit 1.
refused_case() {
  _n=$1; shift; _sargs=""
  while [ "$1" != -- ]; do _sargs="$_sargs $1"; shift; done; shift
  if want "$_n" verify; then
    if keel_serv_up "$_n" $_sargs; then
      start 8 cli "$CLI" -p "$PORT" "$@"
      CPID=$LAST_PID
      wait_exit "$CPID" || fail_why "keel-cli did not exit"
      [ "$EXIT_STATUS" = 1 ] || fail_why "exit status $EXIT_STATUS, wanted 1"
      see cli.out 'verification' "no verification error reported"
      CPID=""
    fi
    done_case
  fi
}
refused_case "tools keel-cli refuses the untrusted demo identity" -- localhost --x509cafile "$CA"
refused_case "tools keel-cli refuses a certificate for another name" $SRV -- \
  127.0.0.1 --x509cafile "$CA" --verify-hostname www.example.com

# keel-cli answers keel-serv -r's request with its certificate (tests/tools/clientcert.sh has the rest).
if keel_serv_up "tools keel-serv -r with a client certificate from keel-cli" $SRV -r --x509cafile "$CA" &&
   client_up '^- Simple Client Mode' "$CLI" -p "$PORT" 127.0.0.1 --insecure \
     --x509certfile "$CERTS/ecdsa-p256-cert.pem" --x509keyfile "$CERTS/ecdsa-p256-key.pem"; then
  echo_check with-client-cert
fi
done_case

name="tools keel-serv -r refuses a client without a certificate, serves the next"
if want "$name" client_cert; then
  if keel_serv_up "$name" $SRV -r --x509cafile "$CA"; then
    start 8 cli "$CLI" -p "$PORT" 127.0.0.1 --insecure
    CPID=$LAST_PID
    wait_exit "$CPID" || fail_why "keel-cli did not exit"
    [ "$EXIT_STATUS" != 0 ] || see cli.out 'Fatal error' "keel-cli was not refused"
    see srv.out 'Handshake has failed|Fatal error|Error receiving' "keel-serv did not report the refusal"
    CPID=""
    client_up '^- Simple Client Mode' "$CLI" -p "$PORT" 127.0.0.1 --insecure \
       --x509certfile "$CERTS/ecdsa-p256-cert.pem" --x509keyfile "$CERTS/ecdsa-p256-key.pem" &&
      echo_check next-client
  fi
  done_case
fi

# ---- --logfile, --debug, --trace ----
# The library's log is checked once the connection has closed: an alert (close_notify) is
# something both GnuTLS and Keel log at level 4.
if keel_serv_up "tools keel-cli --logfile, -d, --trace" &&
   client_up '^x-never$|.' "$CLI" -p "$PORT" 127.0.0.1 --insecure --logfile "$T/log.txt" -d 4 --trace; then
  wait_for "$T/log.txt" '^- Handshake was completed' || fail_why "--logfile has no handshake line"
  grep -q -- '- Handshake was completed' "$T/cli.out" && fail_why "informational line not moved to --logfile"
  see cli.out 'client ---- CLIENT.HELLO' "--trace printed no ClientHello"
  echo_check logfile
  end_input 8
  wait_exit "$CPID" || fail_why "keel-cli did not exit at the end of its input"
  CPID=""
  see cli.out '^\|<[0-9]+>\|' "-d printed no library log"
fi
done_case

# ---- server name indication ----
for how in "--sni-hostname sni.example.test:sni.example.test" "localhost-default:localhost" "--disable-sni:"; do
  opt=${how%%:*}; want=${how#*:}
  PORT=$(free_port)
  case $opt in
    localhost-default) host=localhost; args="" ;;
    --sni-hostname*) host=127.0.0.1; args=$opt ;;
    *) host=localhost; args=$opt ;;
  esac
  if peer_serv_up "tools keel-cli server name: ${opt} -> '${want}'" 'Echo Server listening' \
       gnutls-serv --echo -p "$PORT" --x509certfile "$CERTS/rsa-cert.pem" --x509keyfile "$CERTS/rsa-key.pem" &&
     client_up '^- Simple Client Mode' "$CLI" -p "$PORT" "$host" --insecure $args; then
    echo_check sni
    if [ -n "$want" ]; then
      see srv.out "Given server name\[1\]: $want\$" "gnutls-serv did not get server name $want"
    else
      ! grep -q 'Given server name' "$T/srv.out" || fail_why "a server name was sent"
    fi
  fi
  done_case
done

# ---- --inline-commands-prefix, keel-serv -d ----
if keel_serv_up "tools keel-cli --inline-commands-prefix=@, keel-serv -d 3" -d 3 --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" &&
   client_up '^- Simple Client Mode' "$CLI" -p "$PORT" 127.0.0.1 --insecure --inline-commands --inline-commands-prefix=@; then
  type_cli '@rekey@'
  see cli.out 'Rekey was completed' "@rekey@ was not run"
  type_cli '^rekey^'
  see cli.out '^\^rekey\^$' "^rekey^ was not sent as data"
  [ "$(count cli.out 'Rekey was completed')" = 1 ] || fail_why "^rekey^ was run as a command"
  end_input 8
  wait_exit "$CPID" || fail_why "keel-cli did not exit at the end of its input"
  CPID=""
  see srv.out '^\|<[0-9]+>\|' "keel-serv -d printed no library log"
fi
done_case
run_tool "tools keel-cli --inline-commands-prefix takes one character" 2 'single character' \
  "$CLI" --inline-commands-prefix=ab localhost

finish
