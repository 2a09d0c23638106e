#!/bin/sh
# Placeholder for `make demo` until the real demo exists: builds a tiny program against
# the freshly built library, prints the version and runs a short self-test.
set -eu
B=${B:-build}
CC=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/demo.c" <<'C'
#include <stdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
int main(void)
{
    unsigned char r[16];
    if (gnutls_global_init() != 0 || !gnutls_check_version("3.7.0") ||
        gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r) != 0) {
        puts("self-test: FAILED");
        return 1;
    }
    printf("keel %s, GnuTLS API %s\n", KEEL_VERSION, gnutls_check_version(NULL));
    puts("self-test: ok");
    gnutls_global_deinit();
    return 0;
}
C
# shellcheck disable=SC2046,SC2086
"$CC" ${CFLAGS:-} -Iinclude -DKEEL_VERSION="\"${VERSION:-?}\"" -o "$tmp/demo" "$tmp/demo.c" \
  "$B/libkeel.a" $(pkg-config --libs libcrypto) -lpthread
"$tmp/demo"
