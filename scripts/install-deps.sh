#!/bin/sh
# Installs the Debian packages Keel needs. Without arguments (or with --check-tests, what
# `make check` runs): everything for the build, the tests (peers openssl/gnutls-bin,
# valgrind, the GnuTLS header for the constants test, clang and its runtimes for sanitizers
# and fuzzing) and the benchmarks. With --check-build (what `make` runs): only what the
# build needs. As root it installs what is missing; otherwise it prints the exact command
# to run and fails. Never prompts.
set -eu

BUILD_PKGS="build-essential pkg-config libssl-dev"
TEST_PKGS="openssl gnutls-bin libgnutls28-dev valgrind clang libclang-rt-14-dev curl python3 iproute2"

# Prints the packages of the list that are not installed. Without dpkg (not Debian),
# falls back to looking for what the build uses.
missing() {
  if command -v dpkg-query >/dev/null 2>&1; then
    for p in "$@"; do
      status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
      case "$status" in *" installed") ;; *) printf '%s ' "$p" ;; esac
    done
    return 0
  fi
  command -v cc >/dev/null 2>&1 || printf 'build-essential '
  command -v pkg-config >/dev/null 2>&1 || printf 'pkg-config '
  pkg-config --atleast-version=3.0 libcrypto 2>/dev/null || printf 'libssl-dev '
}

install() {
  if [ "$(id -u)" != 0 ]; then
    echo "keel: missing packages: $*" >&2
    echo "keel: run as root (or with sudo):" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends $*" >&2
    exit 1
  fi
  echo "keel: installing $*" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Bounded, so CI never hangs on a dead mirror or a held dpkg lock.
  timeout 900 apt-get update -qq -o Acquire::Retries=3 </dev/null
  timeout 1800 apt-get install -y -qq --no-install-recommends \
    -o Acquire::Retries=3 -o DPkg::Lock::Timeout=300 "$@" </dev/null
}

# shellcheck disable=SC2086
case "${1:-all}" in
  --check-build) pkgs=$(missing $BUILD_PKGS) ;;
  all|--all|--check-tests) pkgs=$(missing $BUILD_PKGS $TEST_PKGS) ;;
  -h|--help)     echo "usage: $0 [--check-build|--check-tests]"; exit 0 ;;
  *)             echo "usage: $0 [--check-build|--check-tests]" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086
if [ -n "$pkgs" ]; then install $pkgs; fi

# The build needs OpenSSL 3's libcrypto, whatever installed it.
if ! pkg-config --atleast-version=3.0 libcrypto 2>/dev/null; then
  echo "keel: pkg-config cannot find libcrypto >= 3.0 (Debian: libssl-dev)" >&2
  exit 1
fi
