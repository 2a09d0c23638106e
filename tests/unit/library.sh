#!/bin/sh
# The shared library as a user gets it: what it links (libcrypto, never libgnutls/libssl),
# what it exports (gnutls_* only), its soname, the `make install` layout, and a program
# built with `pkg-config keel` against the installed tree. Works on $B (build, build-san).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
so=$B/libkeel.so.0
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

ok()  { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || echo "  $2" >&2; }
t() { name=$1; shift; if "$@" >"$tmp/last" 2>&1; then ok "$name"; else bad "$name" "$(head -c 2000 "$tmp/last")"; fi; }

if [ ! -f "$so" ]; then
  bad "shared library $so exists"
  echo "$pass passed, $fail failed"; exit 1
fi

# A sanitized library pulls in the ASan runtime, which must come first in any program
# that loads it: such programs are built with the same sanitizers.
SAN=""
if ldd "$so" | grep -q libasan; then
  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
fi
CC=${CC:-cc}

links_libcrypto_only() {
  ldd "$so" > "$tmp/ldd" || return 1
  grep -q 'libcrypto\.so' "$tmp/ldd" || { echo "no libcrypto"; cat "$tmp/ldd"; return 1; }
  if grep -E 'libgnutls|libssl\.so|libnettle|libhogweed' "$tmp/ldd"; then return 1; fi
}
t "ldd: libcrypto, and no libgnutls/libssl" links_libcrypto_only

exports_gnutls_only() {
  nm -D --defined-only "$so" | awk '{ print $NF }' | sed 's/@.*//' > "$tmp/syms" || return 1
  grep -qx gnutls_global_init "$tmp/syms" || { echo "gnutls_global_init not exported"; return 1; }
  grep -qx gnutls_malloc "$tmp/syms" || { echo "gnutls_malloc not exported"; return 1; }
  if grep -v -E '^(gnutls_.*|KEEL_[0-9_]+)$' "$tmp/syms"; then return 1; fi
}
t "nm -D: only gnutls_* symbols (and the version node)" exports_gnutls_only

# "A function is declared only once implemented": every function the public headers
# declare must be defined and exported. gcc's -aux-info lists the declarations as parsed.
declared_are_exported() {
  command -v gcc >/dev/null 2>&1 || { echo "gcc not found"; return 1; }
  for h in include/gnutls/*.h; do echo "#include <gnutls/${h##*/}>"; done > "$tmp/all.c"
  gcc -Iinclude -aux-info "$tmp/aux" -c "$tmp/all.c" -o "$tmp/all.o" || return 1
  grep 'include/gnutls/' "$tmp/aux" |
    awk 'match($0, /gnutls_[A-Za-z0-9_]+ \(/) { print substr($0, RSTART, RLENGTH - 2) }' |
    sort -u > "$tmp/declared"
  [ -s "$tmp/declared" ] || { echo "no declarations found"; return 1; }
  nm -D --defined-only "$so" | awk '{ print $NF }' | sed 's/@.*//' | sort -u > "$tmp/exported"
  missing=$(comm -23 "$tmp/declared" "$tmp/exported")
  [ -z "$missing" ] || { echo "declared but not exported: $missing"; return 1; }
}
t "every function declared in include/gnutls/*.h is exported" declared_are_exported

has_soname() {
  objdump -p "$so" | grep -E '^ *SONAME +libkeel\.so\.0$'
}
t "soname is libkeel.so.0" has_soname

# ---- make install into a staging DESTDIR ----
stage=$tmp/stage
make_install() { # prefix destdir
  ${MAKE:-make} -s --no-print-directory -C "$top" install B="$B" PREFIX="$1" DESTDIR="$2"
}
t "make install PREFIX=/usr/local DESTDIR=..." make_install /usr/local "$stage"

staged_layout() {
  r=$stage/usr/local
  for f in lib/libkeel.so.0 lib/libkeel.a include/keel/gnutls/gnutls.h lib/pkgconfig/keel.pc; do
    [ -f "$r/$f" ] || { echo "missing $f"; return 1; }
  done
  [ -L "$r/lib/libkeel.so" ] || { echo "lib/libkeel.so is not a symlink"; return 1; }
  # never shadow a system GnuTLS: nothing directly under include/gnutls
  [ ! -e "$r/include/gnutls" ] || { echo "include/gnutls installed"; return 1; }
  grep -qx 'includedir=/usr/local/include/keel' "$r/lib/pkgconfig/keel.pc" || return 1
  grep -qx 'libdir=/usr/local/lib' "$r/lib/pkgconfig/keel.pc" || return 1
  # shellcheck disable=SC2016
  grep -qx 'Cflags: -I${includedir}' "$r/lib/pkgconfig/keel.pc" || return 1
  if find "$stage" -path "$stage/usr" -prune -o -print | grep -v -x "$stage"; then
    echo "files outside DESTDIR/PREFIX"; return 1
  fi
}
t "install layout: lib, include/keel/gnutls/gnutls.h, keel.pc -> include/keel" staged_layout

uninstall_removes_all() {
  ${MAKE:-make} -s --no-print-directory -C "$top" uninstall B="$B" PREFIX=/usr/local DESTDIR="$stage" ||
    return 1
  left=$(find "$stage" -type f -o -type l)
  [ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
t "make uninstall removes what install put there" uninstall_removes_all

# ---- a program built with pkg-config against an installed tree ----
prefix=$tmp/prefix
t "make install PREFIX=<tmp>" make_install "$prefix" ""

cat > "$tmp/prog.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>
int main(void)
{
    const char *v;
    if (gnutls_global_init() != 0) return 1;
    v = gnutls_check_version("3.0.0");
    if (!v || strcmp(v, GNUTLS_VERSION) != 0 || gnutls_check_version("99.0") != NULL) return 2;
    printf("version %s\n", v);
    gnutls_global_deinit();
    return 0;
}
EOF

pc() { PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config "$@" keel; }
build_prog() {
  flags=$(pc --cflags --libs) || return 1
  case "$flags" in *"$prefix/include/keel"*) ;; *) echo "cflags: $flags"; return 1 ;; esac
  # shellcheck disable=SC2086
  $CC $SAN -Wall -Werror -o "$tmp/prog" "$tmp/prog.c" $flags || return 1
  # the header came from the installed tree, not from a system GnuTLS
  # shellcheck disable=SC2046
  $CC $(pc --cflags) -M "$tmp/prog.c" | grep -q "$prefix/include/keel/gnutls/gnutls.h"
}
t "compile with pkg-config --cflags --libs keel" build_prog

run_prog() {
  out=$(LD_LIBRARY_PATH=$prefix/lib "$tmp/prog") || { echo "exit $?: $out"; return 1; }
  [ "$out" = "version 3.7.9" ] || { echo "printed: $out"; return 1; }
  LD_LIBRARY_PATH=$prefix/lib ldd "$tmp/prog" | grep -q "$prefix/lib/libkeel.so.0"
}
t "program runs against the installed libkeel.so.0" run_prog

# Implicit initialisation when the library loads, and GNUTLS_SKIP_GLOBAL_INIT to opt out:
# with GNUTLS_DEBUG_LEVEL set, initialisation announces itself on stderr, so its position
# relative to main's first line shows when it ran.
cat > "$tmp/order.c" <<'EOF'
#include <stdio.h>
#include <gnutls/gnutls.h>
#ifdef SKIP
GNUTLS_SKIP_GLOBAL_INIT
#endif
int main(void)
{
    fprintf(stderr, "main\n");
    fflush(stderr);
    if (gnutls_global_init() != 0) return 1;
    gnutls_global_deinit();
    return 0;
}
EOF
init_order() { # extra-cflags expected-first-line [VAR=value for the run]
  # shellcheck disable=SC2086,SC2046
  $CC $SAN $1 -Wall -Werror -o "$tmp/order" "$tmp/order.c" $(pc --cflags --libs) || return 1
  # shellcheck disable=SC2086
  first=$(env ${3:-} GNUTLS_DEBUG_LEVEL=2 LD_LIBRARY_PATH="$prefix/lib" "$tmp/order" 2>&1 >/dev/null |
    head -n 1)
  case "$first" in "$2"*) ;; *) echo "first line: $first"; return 1 ;; esac
}
t "implicit gnutls_global_init when the library loads" init_order "" "gnutls[2]: Enabled"
t "GNUTLS_SKIP_GLOBAL_INIT turns it off" init_order "-DSKIP" "main"
t "GNUTLS_NO_IMPLICIT_INIT=1 turns it off" init_order "" "main" GNUTLS_NO_IMPLICIT_INIT=1

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
