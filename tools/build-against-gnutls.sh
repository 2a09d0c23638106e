#!/bin/sh
# Builds keel-cli and keel-serv against the system GnuTLS (the same API as Keel) into $1
# (default /tmp/keel-tools-gnutls), to check that the tools and their test scripts are right
# about GnuTLS's behaviour:
#   sh tools/build-against-gnutls.sh /tmp/kg
#   for s in tests/tools/*.sh; do B=/tmp/kg KEEL_UNDER_GNUTLS=1 sh "$s" | tail -n 1; done
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/keel-tools-gnutls}
mkdir -p "$out"
flags="-Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wpointer-arith -Wstrict-prototypes -std=gnu11 -O2 -g -D_GNU_SOURCE"
for t in keel-cli keel-serv; do
  # shellcheck disable=SC2046,SC2086
  ${CC:-cc} $flags -I"$here" -o "$out/$t" "$here/$t.c" "$here"/common/*.c $(pkg-config --cflags --libs gnutls)
done
echo "built $out/keel-cli $out/keel-serv"
