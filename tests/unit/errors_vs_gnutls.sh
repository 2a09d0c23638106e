#!/bin/sh
# Keel's error and alert functions against the system's libgnutls, for every code from 1 down
# to -1300 (and the application range) and every alert number 0..255: the same
# gnutls_strerror_name, gnutls_error_is_fatal, gnutls_error_to_alert (alert and level),
# gnutls_alert_get_name and gnutls_alert_get_strname. Descriptions are Keel's own words and
# are not compared. The one intended difference, GNUTLS_E_GOT_APPLICATION_DATA being
# non-fatal (doc/COMPAT.md), is checked explicitly. Ends with "N passed, N failed".
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
CC=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

if [ ! -f /usr/include/gnutls/gnutls.h ]; then
  echo "not ok - /usr/include/gnutls/gnutls.h is missing: install libgnutls28-dev" \
       "(run scripts/install-deps.sh as root)"
  echo "0 passed, 1 failed"; exit 1
fi

cat >"$tmp/probe.c" <<'EOF'
#include <stdio.h>
#include <gnutls/gnutls.h>

static void code(int c)
{
    int level = -1;
    int alert = gnutls_error_to_alert(c, &level);
    const char *name = gnutls_strerror_name(c);
    printf("error %d name=%s fatal=%d alert=%d level=%d described=%d\n", c,
           name ? name : "-", gnutls_error_is_fatal(c), alert, level,
           gnutls_strerror(c) != NULL);
}

int main(void)
{
    for (int c = 1; c >= -1300; c--)
        code(c);
    code(-65000); code(-65500); code(-100000);
    for (int a = 0; a < 256; a++) {
        const char *n = gnutls_alert_get_name((gnutls_alert_description_t)a);
        const char *s = gnutls_alert_get_strname((gnutls_alert_description_t)a);
        printf("alert %d name=%s strname=%s\n", a, n ? n : "-", s ? s : "-");
    }
    return 0;
}
EOF

pass=0; fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }

if $CC -std=gnu11 -o "$tmp/gnutls" "$tmp/probe.c" -lgnutls 2>"$tmp/err1" &&
   $CC -std=gnu11 -D_GNU_SOURCE -I"$root/include" -I"$root/src" -o "$tmp/keel" \
       "$tmp/probe.c" "$root/src/api/errors.c" 2>"$tmp/err2"; then
  "$tmp/gnutls" >"$tmp/gnutls.out"; "$tmp/keel" >"$tmp/keel.out"
  # The deliberate difference, then everything else must be identical.
  if grep -q '^error -38 name=GNUTLS_E_GOT_APPLICATION_DATA fatal=0 ' "$tmp/keel.out"; then
    ok "GNUTLS_E_GOT_APPLICATION_DATA is non-fatal in Keel"
  else
    notok "GNUTLS_E_GOT_APPLICATION_DATA is non-fatal in Keel"
  fi
  sed '/^error -38 /s/fatal=[01]/fatal=*/' "$tmp/gnutls.out" >"$tmp/a"
  sed '/^error -38 /s/fatal=[01]/fatal=*/' "$tmp/keel.out" >"$tmp/b"
  for kind in error alert; do
    if diff "$tmp/a" "$tmp/b" | grep "^[<>] $kind " >"$tmp/d"; [ -s "$tmp/d" ]; then
      notok "$kind table matches libgnutls $(pkg-config --modversion gnutls 2>/dev/null)"
      head -40 "$tmp/d" | sed 's/^/    /'
    else
      ok "$kind table matches libgnutls $(pkg-config --modversion gnutls 2>/dev/null)"
    fi
  done
else
  notok "probe builds against libgnutls and against Keel"
  cat "$tmp/err1" "$tmp/err2" 2>/dev/null | head -20
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
