#!/bin/sh
# Builds every libFuzzer target (make fuzz) and runs each one briefly on a copy of its seed
# corpus, FUZZ_JOBS at a time, so the committed corpus is never modified. A target fails
# if it crashes, leaks, times out or runs out of memory (on a seed or a new input); its
# reproducers are copied to $FUZZ_ARTIFACTS. Ends with "N passed, N failed".
#   FUZZ_SECONDS    fuzzing time per target (default 20)
#   FUZZ_JOBS       targets run at once (default: the number of CPUs)
#   FUZZ_TARGETS    names to run (default: every tests/fuzz/fuzz_*.c)
#   FUZZ_ARTIFACTS  where reproducers are kept (default: build-fuzz/artifacts)
#   FUZZ_B          build directory (default: build-fuzz, as in the Makefile)
#   FUZZ_NO_BUILD   if set, run the targets already built (no make fuzz)
# Internal: run-short.sh --one <name> <workdir> runs one target (used through xargs).
set -u
cd "$(dirname "$0")/../.."
root=$(pwd)
FUZZ_B=${FUZZ_B:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

# Runs one target; writes <work>/<name>.result: "pass|fail <detail>".
run_one() {
  name=$1; work=$2
  bin=$FUZZ_B/fuzz/$name
  dir=$work/$name
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # Seeds: tests/fuzz/corpus/<name>, plus the same name without fuzz_ if it exists.
  for c in "tests/fuzz/corpus/$name" "tests/fuzz/corpus/${name#fuzz_}"; do
    [ -d "$c" ] && cp -R "$c"/. "$dir/corpus/" 2>/dev/null
  done
  nseeds=$(ls "$dir/corpus" | wc -l)
  start=$(date +%s)
  # The libFuzzer bound is in-process; timeout(1) bounds the whole run (loading the seeds,
  # a hang inside a sanitizer report) in case it is not honoured.
  KEEL_SRCDIR=$root \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    timeout -k 10 $((FUZZ_SECONDS * 2 + 120)) "$bin" \
      -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/corpus" \
      >"$dir/log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  cov=$(grep -E '^#[0-9]+.*cov: ' "$dir/log" | tail -n 1 | sed -E 's/.*cov: ([0-9]+).*/\1/')
  arts=$(ls "$dir/artifacts" | wc -l)
  info="${secs}s, ${nseeds} seeds, ${runs:-?} runs, cov ${cov:-?}"
  if [ "$rc" = 0 ] && [ "$arts" = 0 ]; then
    echo "pass $info" >"$dir.result"
  else
    echo "fail $info, exit $rc" >"$dir.result"
  fi
}

if [ "${1:-}" = "--one" ]; then
  run_one "$2" "$3"
  exit 0
fi

jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
arts_dir=${FUZZ_ARTIFACTS:-$FUZZ_B/artifacts}

if [ -z "${FUZZ_NO_BUILD:-}" ] && ! make -j"$jobs" fuzz >/dev/null; then
  echo "make fuzz failed"
  echo "0 passed, 1 failed"
  exit 1
fi

if [ -n "${FUZZ_TARGETS:-}" ]; then
  targets=$FUZZ_TARGETS
else
  targets=$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/keel-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "fuzzing each target for ${FUZZ_SECONDS}s, $jobs at a time"
printf '%s\n' $targets | xargs -P "$jobs" -I{} sh "$root/tests/fuzz/run-short.sh" --one {} "$work"

pass=0; fail=0; failed=""
for name in $targets; do
  res=$(cat "$work/$name.result" 2>/dev/null || echo "fail did not run")
  verdict=${res%% *}; detail=${res#* }
  if [ "$verdict" = pass ]; then
    pass=$((pass + 1))
    printf 'ok   %-20s %s\n' "$name" "$detail"
    continue
  fi
  fail=$((fail + 1)); failed="$failed $name"
  printf 'FAIL %-20s %s\n' "$name" "$detail"
  # The report: its first lines up to the end of the first stack, and its SUMMARY line
  # (or the end of the log when there is no report).
  if [ -f "$work/$name/log" ]; then
    if grep -q -E '^==[0-9]+==|runtime error:|^ERROR: libFuzzer' "$work/$name/log"; then
      awk '/^==[0-9]+==|runtime error:|^ERROR: libFuzzer/ {p=1}
           p && /^$/ && n > 3 {exit} p && n++ < 30' "$work/$name/log"
      grep -m 1 '^SUMMARY' "$work/$name/log"
    else
      tail -n 15 "$work/$name/log"
    fi | sed 's/^/     /'
  fi
  for a in "$work/$name/artifacts"/*; do
    [ -f "$a" ] || continue
    mkdir -p "$arts_dir/$name"
    cp "$a" "$arts_dir/$name/"
    echo "     reproducer: $arts_dir/$name/$(basename "$a")  (run: $FUZZ_B/fuzz/$name <file>)"
  done
done

[ -z "$failed" ] || echo "failing:$failed"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
