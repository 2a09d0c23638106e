#!/bin/sh
# Runs every test program and test script, and sums their "N passed, N failed" lines.
# A program that crashes or exits non-zero without such a line counts as one failure.
B=${B:-build}
total_pass=0; total_fail=0; failed_names=""
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

run_one() { # name, command...
  name=$1; shift
  printf '== %s\n' "$name"
  "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
  grep -v '^ok - ' "$tmp/out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed' || true
  cat "$tmp/err" | head -50
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -n 1)
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
  else
    p=0; f=0
  fi
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  [ "$f" = 0 ] || failed_names="$failed_names $name"
  printf '   %s passed, %s failed\n' "$p" "$f"
}

for t in "$B"/tests/unit/* "$B"/tests/session/*; do
  [ -x "$t" ] || continue
  case "$t" in *.d|*.o) continue ;; esac
  run_one "$t" timeout 600 "$t"
done
for s in tests/unit/*.sh tests/interop/*.sh tests/tools/*.sh; do
  [ -f "$s" ] || continue
  run_one "$s" timeout 1200 env B="$B" sh "$s"
done

[ -z "$failed_names" ] || echo "failing:$failed_names"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
