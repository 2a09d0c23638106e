#!/bin/sh
# The benchmarks are not tests: this only checks that the bench programs (built by make check
# into $B/bench) run one tiny iteration of every row. A GnuTLS, OpenSSL or ceiling row that
# fails is a failure; a Keel row that cannot run yet (not implemented, or failing while the
# library is being completed) is reported as skipped. Ends with "N passed, N failed".
B=${B:-build}
d=$B/bench
pass=0; fail=0; skip=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Leaks in the peers' global state are not this test's business (the sanitizer build).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}; export ASAN_OPTIONS

asan_binary() { grep -q __asan_init "$1" 2>/dev/null; }

# lib prog row [env...]: one tiny iteration of one row
smoke() {
  lib=$1 prog=$2 row=$3; shift 3
  if [ ! -x "$prog" ]; then
    if [ "$lib" = keel ]; then
      echo "skip - $lib $row: $prog not built"; skip=$((skip + 1))
    else
      echo "not ok - $lib $row: $prog not built"; fail=$((fail + 1))
    fi
    return
  fi
  env "$@" timeout 60 "$prog" --row "$row" --smoke --datadir tests/data >"$tmp/out" 2>"$tmp/err"
  rc=$?
  lines=$(grep -c '^row=' "$tmp/out")
  if [ "$lines" = 0 ]; then
    reason="exit $rc, no result: $(tail -n 3 "$tmp/err" | tr '\n' ' ')"
    if [ "$lib" = keel ]; then
      echo "skip - $lib $row: $reason"; skip=$((skip + 1))
    else
      echo "not ok - $lib $row: $reason"; fail=$((fail + 1))
    fi
    return
  fi
  while IFS= read -r line; do
    r=$(echo "$line" | sed -E 's/^row=([^ ]+).*/\1/')
    case "$line" in
      *" value="*)
        echo "ok - $lib $r: $(echo "$line" | sed -E 's/.* value=([^ ]+) unit=([^ ]+).*/\1 \2/')"
        pass=$((pass + 1)) ;;
      *" status=skipped"*)
        echo "skip - $lib $r: $(echo "$line" | sed -E 's/.*reason="(.*)"/\1/')"; skip=$((skip + 1)) ;;
      *" status=failed"*)
        why=$(echo "$line" | sed -E 's/.*reason="(.*)"/\1/')
        if [ "$lib" = keel ]; then
          echo "skip - $lib $r: cannot run yet: $why"; skip=$((skip + 1))
        else
          echo "not ok - $lib $r: $why"; fail=$((fail + 1))
        fi ;;
      *) ;;
    esac
  done <"$tmp/out"
  if [ "$rc" != 0 ] && [ "$lib" != keel ] && ! grep -q 'status=failed' "$tmp/out"; then
    echo "not ok - $lib $row: exit status $rc: $(tail -n 3 "$tmp/err" | tr '\n' ' ')"
    fail=$((fail + 1))
  fi
}

for lib in keel gnutls openssl; do
  prog=$d/bench_$lib
  rows=$("$prog" --list 2>/dev/null)
  [ -n "$rows" ] || rows="tls13_ecdsa_hs"
  for row in $rows; do
    if [ "$row" = mem_idle ]; then
      if asan_binary "$prog"; then
        echo "skip - $lib mem_idle: the malloc counter cannot be preloaded under ASan"
        skip=$((skip + 1))
        continue
      fi
      smoke "$lib" "$prog" "$row" LD_PRELOAD="$PWD/$d/malloc_count.so"
    else
      smoke "$lib" "$prog" "$row"
    fi
  done
done
for row in $("$d/bench_ceiling" --list 2>/dev/null || echo bulk_aes128gcm); do
  smoke ceiling "$d/bench_ceiling" "$row"
done

echo "($skip skipped)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
