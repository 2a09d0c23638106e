#!/bin/sh
# Installs the Debian packages Keel needs. Without arguments: everything for the build,
# the tests (peers openssl/gnutls-bin, valgrind, the GnuTLS header for the constants test,
# clang for fuzzing) and the benchmarks. With --check-build: only verify what the build
# needs, installing it when root, otherwise printing the exact command and failing.
set -eu

BUILD_PKGS="build-essential pkg-config libssl-dev"
TEST_PKGS="openssl gnutls-bin libgnutls28-dev valgrind clang libclang-rt-14-dev curl python3 iproute2"

need_build() {
  command -v cc >/dev/null 2>&1 || return 0
  command -v pkg-config >/dev/null 2>&1 || return 0
  pkg-config --exists libcrypto 2>/dev/null || return 0
  return 1
}

need_tests() {
  for b in openssl gnutls-cli gnutls-serv certtool valgrind clang curl python3; do
    command -v "$b" >/dev/null 2>&1 || return 0
  done
  [ -f /usr/include/gnutls/gnutls.h ] || return 0
  return 1
}

install() {
  if [ "$(id -u)" != 0 ]; then
    echo "keel: missing packages; run as root:" >&2
    echo "  apt-get update && apt-get install -y $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@"
}

case "${1:-all}" in
  --check-build)
    if need_build; then install $BUILD_PKGS; fi ;;
  all|--all)
    if need_build || need_tests; then install $BUILD_PKGS $TEST_PKGS; fi ;;
  *)
    echo "usage: $0 [--check-build]" >&2; exit 2 ;;
esac
