#!/bin/sh
# Prints -DBENCH_HAVE_<NAME> for each optional API function that the given gnutls.h declares,
# so bench_gnutls_api.c skips (for Keel: "not implemented") the rows that need a missing one.
# Usage: sh bench/features.sh path/to/gnutls/gnutls.h
h=$1
[ -f "$h" ] || { echo "features.sh: no header $h" >&2; exit 1; }
for f in gnutls_rehandshake gnutls_session_key_update; do
  if grep -Eq "[^a-z_0-9]$f[[:space:]]*\(" "$h"; then
    printf ' -DBENCH_HAVE_%s' "$(echo "$f" | tr 'a-z' 'A-Z')"
  fi
done
echo
