#!/bin/sh
# Every constant of Keel's public headers has GnuTLS 3.7.9's value, and none is missing:
# tests/unit/header_constants.py compiles a printing program against include/ and against
# the system's GnuTLS headers (libgnutls28-dev) and compares. Ends with "N passed, N failed".
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ ! -f /usr/include/gnutls/gnutls.h ]; then
  echo "not ok - /usr/include/gnutls/gnutls.h is missing: install libgnutls28-dev" \
       "(run scripts/install-deps.sh as root)"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "not ok - python3 is missing (run scripts/install-deps.sh as root)"
  echo "0 passed, 1 failed"
  exit 1
fi
exec python3 "$here/header_constants.py" "$root/include" "${CC:-cc}"
