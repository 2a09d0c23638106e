#!/bin/sh
# Instructions per operation for each library under valgrind --tool=callgrind (stable on a
# noisy machine). Each program runs the row twice with a fixed number of operations, small and
# larger; the difference of the instruction totals divided by the difference of the counts
# leaves out start-up, credential loading and connection set-up.
# Usage: sh bench/callgrind.sh [build/bench]   (make bench-callgrind)
# The callgrind files stay in <dir>/callgrind/ for callgrind_annotate.
d=${1:-build/bench}
out=$d/callgrind
mkdir -p "$out"
command -v valgrind >/dev/null 2>&1 || { echo "bench-callgrind: valgrind is not installed" >&2; exit 1; }

total_ir() { # callgrind output file -> total instructions
  sed -n -E 's/^(summary|totals): *([0-9]+).*/\2/p' "$1" | tail -n 1
}

# lib prog row n1 n2 -> prints instructions per operation (or a reason)
per_op() {
  lib=$1 prog=$2 row=$3 n1=$4 n2=$5
  for n in "$n1" "$n2"; do
    f="$out/$lib.$row.$n.out"
    if ! BENCH_CEILING_CACHED_ONLY=1 valgrind --tool=callgrind --callgrind-out-file="$f" \
        "$prog" --row "$row" --iters "$n" >"$out/$lib.$row.$n.log" 2>&1; then
      echo "failed"; return
    fi
    if grep -q 'status=' "$out/$lib.$row.$n.log"; then
      sed -n -E 's/.*status=([a-z]+).*/\1/p' "$out/$lib.$row.$n.log" | head -n 1; return
    fi
  done
  a=$(total_ir "$out/$lib.$row.$n1.out"); b=$(total_ir "$out/$lib.$row.$n2.out")
  if [ -z "$a" ] || [ -z "$b" ]; then echo "no-data"; return; fi
  echo $(( (b - a) / (n2 - n1) ))
}

printf '%-32s %14s %14s %14s %14s\n' "instructions per operation" keel gnutls openssl ceiling
for spec in "tls13_ecdsa_hs:2:12:TLS 1.3 ECDSA handshake" "tls13_rsa_hs:2:7:TLS 1.3 RSA-PSS handshake" \
            "tls12_ecdsa_hs:2:12:TLS 1.2 ECDHE-ECDSA handshake" \
            "bulk_aes128gcm:20:220:16 KiB record AES-128-GCM" "bulk_chacha20:20:220:16 KiB record ChaCha20" \
            "small_records:200:2200:64-byte record"; do
  row=${spec%%:*}; rest=${spec#*:}; n1=${rest%%:*}; rest=${rest#*:}; n2=${rest%%:*}; label=${rest#*:}
  k=$(per_op keel "$d/bench_keel" "$row" "$n1" "$n2")
  g=$(per_op gnutls "$d/bench_gnutls" "$row" "$n1" "$n2")
  o=$(per_op openssl "$d/bench_openssl" "$row" "$n1" "$n2")
  c=$(per_op ceiling "$d/bench_ceiling" "$row" "$n1" "$n2")
  printf '%-32s %14s %14s %14s %14s\n' "$label" "$k" "$g" "$o" "$c"
done
# Rows whose operations sit between untimed set-up (key updates come in batches with
# handshakes between them; renegotiations need an established connection): count only inside
# the operation's function.
toggled() { # lib prog row function n
  f="$out/$1.$3.out"
  if ! valgrind --tool=callgrind --toggle-collect="$4" --callgrind-out-file="$f" \
      "$2" --row "$3" --iters "$5" >"$out/$1.$3.log" 2>&1; then
    echo failed; return
  fi
  if grep -q 'status=' "$out/$1.$3.log"; then
    sed -n -E 's/.*status=([a-z]+).*/\1/p' "$out/$1.$3.log" | head -n 1; return
  fi
  t=$(total_ir "$f"); [ -n "$t" ] && echo $((t / $5)) || echo no-data
}
# The renegotiation ceiling is the TLS 1.2 handshake's (bench_ceiling has no such row).
printf '%-32s %14s %14s %14s %14s\n' "TLS 1.2 renegotiation" \
  "$(toggled keel "$d/bench_keel" tls12_reneg op_renegotiate 20)" \
  "$(toggled gnutls "$d/bench_gnutls" tls12_reneg op_renegotiate 20)" \
  "$(toggled openssl "$d/bench_openssl" tls12_reneg op_renegotiate 20)" "(as above)"
printf '%-32s %14s %14s %14s %14s\n' "TLS 1.3 key update + 1-byte rec" \
  "$(toggled keel "$d/bench_keel" tls13_keyupdate op_key_update 80)" \
  "$(toggled gnutls "$d/bench_gnutls" tls13_keyupdate op_key_update 80)" \
  "$(toggled openssl "$d/bench_openssl" tls13_keyupdate op_key_update 80)" \
  "$(toggled ceiling "$d/bench_ceiling" tls13_keyupdate op_key_update 80)"
echo "(ceiling: libcrypto alone; handshake ceiling with the server certificate cached)"
echo "profiles: callgrind_annotate $out/keel.tls13_ecdsa_hs.12.out | head -40"
