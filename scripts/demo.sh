#!/bin/sh
# `make demo`: keel-serv and keel-cli on 127.0.0.1 play three scenes with --trace on, then a
# summary. 1: TLS 1.2, the server calls gnutls_rehandshake() and the client renegotiates;
# 2: the client refuses with a no_renegotiation warning alert; 3: TLS 1.3, a KeyUpdate in each
# direction. A scene whose feature the library does not have yet says what is missing
# (tests/tools/features.inc); the demo then still exits 0. It exits 1 if the tools are not
# built or a scene fails although the library has what it needs.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
B=${B:-build}
CLI=$B/keel-cli
SERV=$B/keel-serv
for t in "$CLI" "$SERV"; do
  [ -x "$t" ] || { echo "demo: $t is not built (run make B=$B tools)"; exit 1; }
done
. tests/tools/features.inc
T=$(mktemp -d "${TMPDIR:-/tmp}/keel-demo.XXXXXX") || exit 1
PIDS=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap '' PIPE
SUMMARY=""
FAILED=0

wait_for() { # FILE REGEX [SECONDS]
  n=$(( ${3:-5} * 20 ))
  while [ $n -gt 0 ]; do
    grep -Eq -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05; n=$((n - 1))
  done
  return 1
}

# server PRIORITY: keel-serv --echo --trace on a port of its own choosing; sets SPID, PORT.
server() {
  rm -f "$T/serv.out"
  timeout 60 "$SERV" --echo -p 0 --trace --priority "$1" >"$T/serv.out" 2>&1 </dev/null &
  SPID=$!; PIDS="$PIDS $SPID"
  wait_for "$T/serv.out" 'port [0-9]+\.\.\.done' || { echo "  keel-serv did not start"; return 1; }
  PORT=$(sed -n 's/.*port \([0-9]*\)\.\.\.done.*/\1/p' "$T/serv.out" | head -n 1)
}

# client ARGS...: keel-cli --trace, its standard input a fifo held open on descriptor 8.
client() {
  rm -f "$T/in" "$T/cli.out"; mkfifo "$T/in"
  timeout 60 "$CLI" -p "$PORT" 127.0.0.1 --insecure --trace "$@" <"$T/in" >"$T/cli.out" 2>&1 8>&- &
  CPID=$!; PIDS="$PIDS $CPID"
  exec 8>"$T/in"
  wait_for "$T/cli.out" '^- Simple Client Mode'
}
say() { printf '%s\n' "$1" >&8; }
finish_scene() {
  exec 8>&-
  wait_for "$T/cli.out" 'Peer has closed' 2
  kill "$CPID" "$SPID" 2>/dev/null; wait "$CPID" 2>/dev/null; wait "$SPID" 2>/dev/null
  echo "  --- client (keel-cli --trace):"
  sed 's/^/  | /' "$T/cli.out"
  echo "  --- server (keel-serv --echo --trace):"
  grep -v '^Using the built-in' "$T/serv.out" | sed 's/^/  | /'
  echo
}
# outcome SCENE RESULT [FEATURE...]: a scene that failed is "not yet" when one of the
# features it needs is missing, else a failure of the demo.
outcome() {
  _scene=$1; _r=$2; shift 2
  case $_r in
    FAILED*)
      for _f in "$@"; do
        if _why=$(feature_missing "$_f"); then _r="not yet: this build $_why (${_r#FAILED: })"; break; fi
      done ;;
  esac
  case $_r in FAILED*) FAILED=$((FAILED + 1)) ;; esac
  echo ">>> $_scene: $_r"; echo
  SUMMARY="$SUMMARY
  $_scene: $_r"
}
# The line of a log saying why something failed, for the summary.
reason() { grep -E "$2" "$T/$1" 2>/dev/null | head -n 1 | sed 's/^\[#[0-9]*\] //; s/^\*\*\* //'; }

P12="NORMAL:-VERS-ALL:+VERS-TLS1.2"
P13="NORMAL:-VERS-ALL:+VERS-TLS1.3"

echo "=== Scene 1: TLS 1.2, the server calls gnutls_rehandshake(), the client renegotiates"
if server "$P12" && client; then
  say "hello before the renegotiation"
  wait_for "$T/cli.out" '^hello before'
  say "**REHANDSHAKE**"
  if wait_for "$T/cli.out" 'ReHandshake was completed'; then
    say "hello after the renegotiation"
    if wait_for "$T/cli.out" '^hello after'; then
      r="renegotiated, data intact before and after"
    else
      r="FAILED: data lost after the renegotiation"
    fi
  else
    r="FAILED: no renegotiation; $(reason serv.out 'Rehandshake request failed|Error|Fatal')"
  fi
else
  r="FAILED: no TLS 1.2 connection; $(reason cli.out 'Fatal error|cannot')"
fi
finish_scene; outcome "Scene 1 (server-initiated renegotiation)" "$r" tls12 reneg

echo "=== Scene 2: TLS 1.2, the client refuses with a no_renegotiation warning alert"
if server "$P12" && client --refuse-renegotiation; then
  say "**REHANDSHAKE**"
  if wait_for "$T/serv.out" 'Received alert \[100\]'; then
    say "hello after the refusal"
    if wait_for "$T/cli.out" '^hello after'; then
      r="refused; the server saw no_renegotiation and the connection went on"
    else
      r="FAILED: the connection did not go on after the refusal"
    fi
  else
    r="FAILED: the server saw no refusal; $(reason serv.out 'Rehandshake request failed|Error|Fatal')"
  fi
else
  r="FAILED: no TLS 1.2 connection; $(reason cli.out 'Fatal error|cannot')"
fi
finish_scene; outcome "Scene 2 (refused renegotiation)" "$r" tls12 reneg

echo "=== Scene 3: TLS 1.3, a KeyUpdate in each direction"
if server "$P13" && client --inline-commands; then
  say "hello before the key updates"
  wait_for "$T/cli.out" '^hello before'
  say "^rekey^"
  if wait_for "$T/cli.out" 'Rekey was completed'; then
    say "**REHANDSHAKE**"
    wait_for "$T/serv.out" 'Sent a KeyUpdate'
    say "hello after the key updates"
    if wait_for "$T/cli.out" '^hello after' &&
       grep -q 'client ---- KeyUpdate' "$T/cli.out" && grep -q 'client <--- KeyUpdate' "$T/cli.out"; then
      r="client and server each updated their keys; data intact"
    else
      r="FAILED: data lost or a KeyUpdate missing after the key updates"
    fi
  else
    r="FAILED: no KeyUpdate; $(reason cli.out 'Rekey has failed|Fatal')"
  fi
else
  r="FAILED: no TLS 1.3 connection; $(reason cli.out 'Fatal error|cannot')"
fi
finish_scene; outcome "Scene 3 (TLS 1.3 KeyUpdate both ways)" "$r"

echo "=== Summary$SUMMARY"
[ "$FAILED" = 0 ]
