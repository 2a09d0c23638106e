#!/bin/sh
# `make demo` as a new user runs it (scripts/demo.sh with B): it exits 0, prints the trace and
# a summary, and each scene ends with its outcome, or, while the library lacks what a scene
# needs, with what is missing.
. "$(dirname "$0")/lib.inc"
need "$CLI" "$SERV"

begin_case "demo: scripts/demo.sh exits 0 with a summary"
timeout 120 env B="$B" sh scripts/demo.sh >"$T/demo.out" 2>&1
st=$?
[ "$st" = 0 ] || fail_why "exit status $st"
grep -q '^=== Summary' "$T/demo.out" || fail_why "no summary"
grep -q 'client ---- CLIENT HELLO' "$T/demo.out" || fail_why "no trace"
show_logs demo.out
end_case

# scene SCENE SUCCESS_TEXT FEATURE...: the summary line of SCENE.
scene() {
  _s=$1; _ok=$2; shift 2
  begin_case "demo: $_s"
  _line=$(sed -n '/^=== Summary/,$p' "$T/demo.out" | grep -F "  $_s: ")
  _want=$_ok
  for _f in "$@"; do
    if _why=$(feature_missing "$_f"); then _want="not yet: this build $_why"; break; fi
  done
  case $_line in
    *": $_want"*) ;;
    *) fail_why "wanted '$_want', got '${_line#*: }'" ;;
  esac
  show_logs demo.out
  end_case
}
scene "Scene 1 (server-initiated renegotiation)" "renegotiated, data intact before and after" tls12 reneg
scene "Scene 2 (refused renegotiation)" "refused; the server saw no_renegotiation and the connection went on" tls12 reneg
scene "Scene 3 (TLS 1.3 KeyUpdate both ways)" "client and server each updated their keys; data intact"

finish
