# Helpers for the interop scripts, sourced by tests/interop/*.sh (on its own it does nothing):
# a work directory, peers started and stopped by PID and bounded by timeout(1), free ports on
# 127.0.0.1, case verdicts ("ok - ..." / "not ok - ...") and the closing "N passed, N failed".

# tests/run.sh runs every tests/interop/*.sh, this file too: alone, it has nothing to test.
case $0 in
  */lib.sh | lib.sh) echo "0 passed, 0 failed"; exit 0 ;;
esac

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
PEER=$B/interop/peer
DATA=${KEEL_TEST_CERTS:-$ROOT/tests/data}
SERVER_TIMEOUT=${SERVER_TIMEOUT:-20}
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-10}

# A key log is written only where a case asks for one (KEEL_KEYLOG below).
unset SSLKEYLOGFILE
KEEL_KEYLOG=""

PASSED=0
FAILED=0
LIVE_PIDS=""
WHY=""
WORK=$(mktemp -d "${TMPDIR:-/tmp}/keel-interop.XXXXXX") || exit 1

# Every process this script started is stopped by its PID, whatever way the script ends.
cleanup() {
  for _pid in $LIVE_PIDS; do kill "$_pid" 2>/dev/null; done
  for _pid in $LIVE_PIDS; do wait "$_pid" 2>/dev/null; done
  LIVE_PIDS=""
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# need TOOL...: a missing peer fails the script (a skipped interop test would pass silently).
need() {
  _missing=""
  for _tool in "$@"; do
    command -v "$_tool" >/dev/null 2>&1 || [ -x "$_tool" ] || _missing="$_missing $_tool"
  done
  if [ -n "$_missing" ]; then
    echo "not ok - missing:$_missing (make deps-tests; make B=$B tests)"
    FAILED=$((FAILED + 1))
    finish
  fi
}

# alive PID: running, and not a zombie waiting for `wait`.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  case $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) in
    Z | X | '') return 1 ;;
  esac
  return 0
}

forget() {
  _left=""
  for _pid in $LIVE_PIDS; do [ "$_pid" = "$1" ] || _left="$_left $_pid"; done
  LIVE_PIDS=$_left
}

# spawn LOG CMD...: CMD in the background, bounded by SERVER_TIMEOUT; its PID in SPAWNED.
spawn() {
  _log=$1; shift
  rm -f "$_log"   # else wait_ready could match the previous run's lines before the truncation
  timeout "$SERVER_TIMEOUT" "$@" >"$_log" 2>&1 </dev/null &
  SPAWNED=$!
  LIVE_PIDS="$LIVE_PIDS $SPAWNED"
}

# stop PID: ends it (if still running) and returns its exit status.
stop() {
  alive "$1" && kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  _rc=$?
  forget "$1"
  return $_rc
}

# reap PID [SECONDS]: lets it exit by itself (default 5 s) before stopping it; its exit status.
reap() {
  _ticks=$(( ${2:-5} * 20 ))
  while alive "$1" && [ "$_ticks" -gt 0 ]; do
    sleep 0.05
    _ticks=$((_ticks - 1))
  done
  stop "$1"
}

# wait_ready PID LOG ERE: until LOG has a line matching ERE (5 s at most) while PID runs.
wait_ready() {
  _ticks=100
  until grep -Eq -- "$3" "$2" 2>/dev/null; do
    alive "$1" || return 1
    [ "$_ticks" -gt 0 ] || return 1
    sleep 0.05
    _ticks=$((_ticks - 1))
  done
}

used_ports() {
  for _f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$_f" ] && awk 'NR > 1 { split($2, a, ":"); print a[2] }' "$_f"
  done
}

# free_port: a port in 20000..49999 no TCP socket uses now (start_listener retries on a race).
free_port() {
  _used=" $(used_ports | tr '\n' ' ') "
  while :; do
    _port=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
    _hex=$(printf '%04X' "$_port")
    case $_used in *" $_hex "*) continue ;; esac
    echo "$_port"
    return
  done
}

# start_listener LOG READY_ERE CMD...: starts a server whose arguments say @PORT@ where the
# port goes, on a free port, and waits until LOG matches READY_ERE; a server that dies first
# (the port was taken meanwhile) is retried on another port. Sets SRV_PID and SRV_PORT.
start_listener() {
  _log=$1; _ready=$2; shift 2
  for _try in 1 2 3; do
    SRV_PORT=$(free_port)
    spawn "$_log" sh -c 'p=$1; shift; n=$#
      while [ "$n" -gt 0 ]; do
        a=$1; shift
        case $a in *@PORT@*) a=$(printf "%s" "$a" | sed "s/@PORT@/$p/g") ;; esac
        set -- "$@" "$a"; n=$((n - 1))
      done
      exec "$@"' sh "$SRV_PORT" "$@"
    SRV_PID=$SPAWNED
    wait_ready "$SRV_PID" "$_log" "$_ready" && return 0
    stop "$SRV_PID"
  done
  return 1
}

# start_peer_server LOG ARGS...: the Keel test peer as a server on a port of its own choosing
# (port 0); sets SRV_PID and SRV_PORT.
start_peer_server() {
  _log=$1; shift
  spawn "$_log" env ${KEEL_KEYLOG:+"SSLKEYLOGFILE=$KEEL_KEYLOG"} "$PEER" server 0 "$@"
  SRV_PID=$SPAWNED
  wait_ready "$SRV_PID" "$_log" '^listening [0-9]+$' || return 1
  SRV_PORT=$(sed -n 's/^listening //p' "$_log")
}

# peer_client PORT PRIORITY < LINE: the Keel test peer as a client, bounded by CLIENT_TIMEOUT.
peer_client() {
  env ${KEEL_KEYLOG:+"SSLKEYLOGFILE=$KEEL_KEYLOG"} timeout "$CLIENT_TIMEOUT" "$PEER" client "$@"
}

# same_key_log KEEL_LOG OTHER_LOG WHO: both ends logged the same secrets (NSS key log format).
same_key_log() {
  for _label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET \
                CLIENT_TRAFFIC_SECRET_0 SERVER_TRAFFIC_SECRET_0; do
    expect "$1" "^$_label [0-9a-f]{64} [0-9a-f]{64,96}\$" "Keel's key log lacks $_label"
  done
  grep -v '^#' "$1" 2>/dev/null | sort >"$1.sorted"
  grep -v '^#' "$2" 2>/dev/null | sort >"$2.sorted"
  cmp -s "$1.sorted" "$2.sorted" || flunk "Keel's and $3's key logs differ"
}

# feed_until_exit LINE PID: writes LINE, then keeps the pipe open until PID has exited, so a
# client that quits at end of input (gnutls-cli) still reads the server's answer.
feed_until_exit() {
  printf '%s\n' "$1"
  while alive "$2"; do sleep 0.05; done
}

# The checks of one case add their failures to WHY; verdict prints the case's line.
begin_case() { WHY=""; CASE_LOGS=""; }
flunk() { WHY="$WHY${WHY:+; }$*"; }
# expect LOG ERE WHAT / expect_fixed LOG STRING WHAT (a whole line) / expect_count LOG ERE N WHAT
expect() { grep -Eq -- "$2" "$1" 2>/dev/null || flunk "$3"; }
expect_fixed() { grep -qxF -- "$2" "$1" 2>/dev/null || flunk "$3"; }
expect_count() {
  _n=$(grep -Ec -- "$2" "$1" 2>/dev/null)
  [ "${_n:-0}" = "$3" ] || flunk "$4 (seen ${_n:-0} times, expected $3)"
}
expect_rc() { [ "$1" = "$2" ] || flunk "$3 exited with $1, expected $2"; }
show_logs() { CASE_LOGS="$CASE_LOGS $*"; }

verdict() {
  if [ -z "$WHY" ]; then
    PASSED=$((PASSED + 1))
    echo "ok - $*"
    return 0
  fi
  FAILED=$((FAILED + 1))
  echo "not ok - $*"
  echo "#   $WHY"
  for _f in $CASE_LOGS; do
    [ -f "$_f" ] || continue
    echo "#   --- $(basename "$_f") (last lines)"
    tail -n 12 "$_f" | cut -c1-200 | sed 's/^/#   /'
  done
  return 1
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ] && exit 0
  exit 1
}
