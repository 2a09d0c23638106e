#!/bin/sh
# Keel's certificate verification and <gnutls/x509.h> output against the real tools, on the
# PKI of tests/data/verify (scripts/make-verify-pki.sh):
#   1. one probe program (below) built twice, against Keel ($B/libkeel.a) and against the
#      system GnuTLS 3.7.9: for every case the exact status bits at the fixed time
#      2030-01-01, and for every certificate the one-line print, DNs, serial, times, key,
#      signature algorithm and subjectAltNames must be identical;
#   2. `certtool --verify` (now) must print the same status text as Keel;
#   3. `openssl verify -attime` must agree on trusted / not trusted.
# Needs cc, pkg-config gnutls (libgnutls28-dev), certtool (gnutls-bin) and openssl.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${B:-build}
D=tests/data/verify
T=1893456000
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()  { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ -z "${2:-}" ] || printf '  %s\n' "$2" >&2; }

cat >"$tmp/probe.c" <<'EOF'
/* probe verify CA CHAIN HOST|- PURPOSE|- CRL|- FLAGS  -> "0x<status> <text>"
 * probe print CERT                                   -> facts, one per line
 * (Keel only) probe client ... / probe server ...    -> one TLS 1.3 connection (below) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#ifdef KEEL
#include "x509/x509.h"
#endif

static time_t fixed(time_t *t) { if (t) *t = 1893456000; return 1893456000; }
static const char *arg(const char *s) { return strcmp(s, "-") ? s : NULL; }

static int load(const char *path, gnutls_datum_t *d)
{
    FILE *f = fopen(path, "rb");
    long n;
    if (!f) return -1;
    fseek(f, 0, SEEK_END); n = ftell(f); fseek(f, 0, SEEK_SET);
    d->data = gnutls_malloc(n + 1); d->size = (unsigned)n;
    if (fread(d->data, 1, n, f) != (size_t)n) { fclose(f); return -1; }
    fclose(f);
    return 0;
}

static int do_verify(char **a)
{
    gnutls_datum_t ca, chain, crl;
    unsigned status = 0, flags = (unsigned)strtoul(a[5], NULL, 0);
    if (load(a[0], &ca) || load(a[1], &chain)) return 2;
#ifdef KEEL
    keel_trust *t; keel_cert **certs; unsigned n;
    gnutls_datum_t der[16];
    keel_verify_req req = { arg(a[2]), arg(a[3]), flags, 1893456000, NULL };
    if (keel_trust_new(&t) || keel_trust_add_cas(t, &ca, GNUTLS_X509_FMT_PEM) < 1) return 2;
    if (arg(a[4]) && (load(a[4], &crl) || keel_trust_add_crls(t, &crl, GNUTLS_X509_FMT_PEM) < 1)) return 2;
    if (keel_load_cert_chain(&chain, GNUTLS_X509_FMT_PEM, &certs, &n) || n > 16) return 2;
    for (unsigned i = 0; i < n; i++) { size_t len; der[i].data = (unsigned char *)keel_cert_der(certs[i], &len); der[i].size = (unsigned)len; }
    if (keel_verify_chain(t, der, n, &req, &status)) return 2;
    keel_cert_chain_free(certs, n);
    keel_trust_free(t);
#else
    gnutls_x509_trust_list_t tl; gnutls_x509_crt_t *list; unsigned n, nv = 0;
    gnutls_typed_vdata_st vd[2];
    gnutls_x509_trust_list_init(&tl, 0);
    if (gnutls_x509_trust_list_add_trust_mem(tl, &ca, NULL, GNUTLS_X509_FMT_PEM, 0, 0) < 1) return 2;
    if (arg(a[4]) && (load(a[4], &crl) || gnutls_x509_trust_list_add_trust_mem(tl, NULL, &crl, GNUTLS_X509_FMT_PEM, 0, 0) < 0)) return 2;
    if (gnutls_x509_crt_list_import2(&list, &n, &chain, GNUTLS_X509_FMT_PEM, 0)) return 2;
    if (arg(a[2])) { vd[nv].type = GNUTLS_DT_DNS_HOSTNAME; vd[nv].data = (void *)a[2]; vd[nv++].size = 0; }
    if (arg(a[3])) { vd[nv].type = GNUTLS_DT_KEY_PURPOSE_OID; vd[nv].data = (void *)a[3]; vd[nv++].size = 0; }
    if (gnutls_x509_trust_list_verify_crt2(tl, list, n, vd, nv, flags, &status, NULL)) return 2;
#endif
    gnutls_datum_t text;
    gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
    printf("0x%x %s\n", status, text.data);
    gnutls_free(text.data);
    return 0;
}

static int do_print_full(const char *file)
{
    gnutls_datum_t pem, out;
    gnutls_x509_crt_t c;

    if (load(file, &pem) || gnutls_x509_crt_init(&c) || gnutls_x509_crt_import(c, &pem, GNUTLS_X509_FMT_PEM)) return 2;
    if (gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_FULL, &out)) return 2;
    fwrite(out.data, 1, out.size, stdout);
    gnutls_free(out.data);
    gnutls_x509_crt_deinit(c);
    gnutls_free(pem.data);
    return 0;
}

static int do_print(const char *file)
{
    gnutls_datum_t pem, out;
    gnutls_x509_crt_t c;
    unsigned char buf[256];
    size_t size;
    unsigned bits, crit;
    int r;
    if (load(file, &pem) || gnutls_x509_crt_init(&c) || gnutls_x509_crt_import(c, &pem, GNUTLS_X509_FMT_PEM)) return 2;
    gnutls_x509_crt_print(c, GNUTLS_CRT_PRINT_ONELINE, &out); printf("oneline: %s\n", out.data); gnutls_free(out.data);
    gnutls_x509_crt_get_dn2(c, &out); printf("dn: %s\n", out.data); gnutls_free(out.data);
    gnutls_x509_crt_get_issuer_dn2(c, &out); printf("issuer: %s\n", out.data); gnutls_free(out.data);
    gnutls_x509_crt_get_dn3(c, &out, 0); printf("dn3: %s\n", out.data); gnutls_free(out.data);
    gnutls_x509_crt_get_issuer_dn3(c, &out, 0); printf("issuer3: %s\n", out.data); gnutls_free(out.data);
    size = sizeof buf; gnutls_x509_crt_get_dn(c, (char *)buf, &size); printf("dn-buf: %zu %s\n", size, buf);
    size = sizeof buf; gnutls_x509_crt_get_serial(c, buf, &size);
    printf("serial:"); for (size_t i = 0; i < size; i++) printf(" %02x", buf[i]); printf("\n");
    printf("version: %d\n", gnutls_x509_crt_get_version(c));
    printf("times: %ld %ld\n", (long)gnutls_x509_crt_get_activation_time(c), (long)gnutls_x509_crt_get_expiration_time(c));
    r = gnutls_x509_crt_get_pk_algorithm(c, &bits); printf("pk: %d %u\n", r, bits);
    printf("sig: %d\n", gnutls_x509_crt_get_signature_algorithm(c));
    for (unsigned i = 0;; i++) {
        size = sizeof buf;
        r = gnutls_x509_crt_get_subject_alt_name(c, i, buf, &size, &crit);
        if (r < 0) { printf("san end: %d\n", r); break; }
        printf("san %u: type %d size %zu crit %u ", i, r, size, crit);
        for (size_t j = 0; j < size; j++) printf("%02x", buf[j]);
        printf("\n");
    }
    size = 0; r = gnutls_x509_crt_export(c, GNUTLS_X509_FMT_DER, NULL, &size); printf("export-size: %d %zu\n", r, size);
    { unsigned ku = 0, kc = 9; r = gnutls_x509_crt_get_key_usage(c, &ku, &kc); printf("key-usage: %d %u %u\n", r, ku, kc); }
    { unsigned cc = 9; r = gnutls_x509_crt_get_ca_status(c, &cc); printf("ca: %d %u\n", r, cc); }
    for (unsigned i = 0;; i++) {
        char oid[128]; size_t os = sizeof oid; unsigned oc = 9;
        r = gnutls_x509_crt_get_key_purpose_oid(c, i, oid, &os, &oc);
        if (r < 0) { printf("purpose end: %d\n", r); break; }
        printf("purpose %u: %s %zu %u\n", i, oid, os, oc);
    }
    size = sizeof buf; r = gnutls_x509_crt_get_fingerprint(c, GNUTLS_DIG_SHA256, buf, &size);
    printf("fp: %d %zu", r, size); for (size_t i = 0; i < size && r == 0; i++) printf("%02x", buf[i]); printf("\n");
    size = 4; r = gnutls_x509_crt_get_fingerprint(c, GNUTLS_DIG_SHA1, buf, &size); printf("fp-short: %d %zu\n", r, size);
    const char *names[] = { "www.keel.test", "keel.test", "x.keel.test", "a.wild.keel.test", "a.b.wild.keel.test",
                            "192.0.2.7", "2001:db8::7", "cn-only.keel.test", "cn-name.keel.test", "client.keel.test", 0 };
    for (int i = 0; names[i]; i++) printf("host %s: %u %u\n", names[i], gnutls_x509_crt_check_hostname(c, names[i]),
                                          gnutls_x509_crt_check_hostname2(c, names[i], GNUTLS_VERIFY_DO_NOT_ALLOW_WILDCARDS));
    gnutls_x509_crt_deinit(c);
    gnutls_free(pem.data);
    return 0;
}

#ifdef KEEL
/* probe client PORT HOST|- TRUST|- CHAIN|- KEY|-        -> handshake, verification, bye
 * probe server CHAIN KEY TRUST|- REQUEST(0|1|2)          -> "listening PORT", one client */
static const char *prio13 = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

static void report(gnutls_session_t s, int ret)
{
    unsigned n = 0;
    printf("handshake: %d\n", ret);
    printf("verify: 0x%x\n", gnutls_session_get_verify_cert_status(s));
    gnutls_certificate_get_peers(s, &n);
    printf("peers: %u\n", n);
    printf("ours: %s\n", gnutls_certificate_get_ours(s) ? "yes" : "no");
    fflush(stdout);
}

static int do_tls(char **a, int server)
{
    gnutls_certificate_credentials_t x;
    gnutls_session_t s;
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    int fd, ret;
    char buf[64];

    gnutls_certificate_allocate_credentials(&x);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (server) {
        int lfd = fd;
        if (gnutls_certificate_set_x509_key_file(x, a[0], a[1], GNUTLS_X509_FMT_PEM) < 0) return 2;
        if (arg(a[2]) && gnutls_certificate_set_x509_trust_file(x, a[2], GNUTLS_X509_FMT_PEM) < 1) return 2;
        if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) || listen(lfd, 1) ||
            getsockname(lfd, (struct sockaddr *)&sa, &sl)) return 2;
        printf("listening %d\n", ntohs(sa.sin_port));
        fflush(stdout);
        fd = accept(lfd, NULL, NULL);
        close(lfd);
        gnutls_init(&s, GNUTLS_SERVER);
        gnutls_certificate_server_set_request(s, atoi(a[3]));
        if (arg(a[2])) gnutls_session_set_verify_cert(s, NULL, 0);
    } else {
        sa.sin_port = htons((unsigned short)atoi(a[0]));
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) return 2;
        if (arg(a[2]) && gnutls_certificate_set_x509_trust_file(x, a[2], GNUTLS_X509_FMT_PEM) < 1) return 2;
        if (arg(a[3]) && gnutls_certificate_set_x509_key_file(x, a[3], a[4], GNUTLS_X509_FMT_PEM) < 0) return 2;
        gnutls_init(&s, GNUTLS_CLIENT);
        if (arg(a[1])) gnutls_server_name_set(s, GNUTLS_NAME_DNS, a[1], strlen(a[1]));
        if (arg(a[2])) gnutls_session_set_verify_cert(s, arg(a[1]), 0);
    }
    gnutls_priority_set_direct(s, getenv("PROBE_PRIO") ? getenv("PROBE_PRIO") : prio13, NULL);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, x);
    gnutls_transport_set_int(s, fd);
    do ret = gnutls_handshake(s); while (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
    report(s, ret);
    if (ret == 0) {
        /* One line each way proves the session works (and lets TLS 1.3 alerts arrive). */
        if (server) {
            do ret = (int)gnutls_record_recv(s, buf, sizeof buf); while (ret == GNUTLS_E_AGAIN);
            printf("read: %d\n", ret);
            if (ret > 0) gnutls_record_send(s, buf, (size_t)ret);
        } else {
            gnutls_record_send(s, "ping\n", 5);
            do ret = (int)gnutls_record_recv(s, buf, sizeof buf); while (ret == GNUTLS_E_AGAIN);
            printf("read: %d\n", ret);
        }
        gnutls_bye(s, GNUTLS_SHUT_WR);
    }
    fflush(stdout);
    close(fd);
    gnutls_deinit(s);
    gnutls_certificate_free_credentials(x);
    return 0;
}
#endif

int main(int argc, char **argv)
{
    gnutls_global_init();
    gnutls_global_set_time_function(fixed);
    if (argc == 8 && !strcmp(argv[1], "verify")) return do_verify(argv + 2);
    if (argc == 3 && !strcmp(argv[1], "print")) return do_print(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "full")) return do_print_full(argv[2]);
#ifdef KEEL
    if (argc == 7 && !strcmp(argv[1], "client")) return do_tls(argv + 2, 0);
    if (argc == 6 && !strcmp(argv[1], "server")) return do_tls(argv + 2, 1);
#endif
    return 2;
}
EOF

SAN=""
# A sanitized libkeel.a needs the same sanitizers in the program that links it.
if nm "$B/libkeel.a" 2>/dev/null | grep -q __asan_report; then
  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
  # The probe is a one-shot program that does not free everything; the unit tests and
  # valgrind cover the library's leaks.
  export ASAN_OPTIONS=detect_leaks=0
fi
CC=${CC:-cc}
if ! $CC $SAN -std=gnu11 -DKEEL -Iinclude -Isrc -o "$tmp/probe-keel" "$tmp/probe.c" \
     "$B/libkeel.a" $(pkg-config --libs libcrypto) -lpthread 2>"$tmp/cc.err"; then
  bad "probe builds against Keel" "$(head -c 2000 "$tmp/cc.err")"
  echo "$pass passed, $fail failed"; exit 1
fi
if ! cc -std=gnu11 -o "$tmp/probe-gnutls" "$tmp/probe.c" $(pkg-config --cflags --libs gnutls) \
     2>"$tmp/cc.err"; then
  bad "probe builds against GnuTLS" "$(head -c 2000 "$tmp/cc.err")"
  echo "$pass passed, $fail failed"; exit 1
fi
ok "probe builds against Keel and GnuTLS"

SRV=1.3.6.1.5.5.7.3.1
CLI=1.3.6.1.5.5.7.3.2
WWW=www.keel.test
MEDIUM=0x05000000       # GNUTLS_PROFILE_TO_VFLAGS(GNUTLS_PROFILE_MEDIUM): Keel's default level

# name | CA | chain | host | purpose | CRL | flags for GnuTLS (Keel gets 0 unless given)
cases() {
cat <<EOF
rsa            root leaf-rsa-chain        $WWW $SRV - $MEDIUM
ecdsa          root leaf-ecdsa-chain      $WWW $SRV - $MEDIUM
ed25519        root leaf-ed25519-chain    $WWW $SRV - $MEDIUM
expired        root expired-chain         $WWW $SRV - $MEDIUM
notyet         root notyet-chain          $WWW $SRV - $MEDIUM
wronghost      root leaf-ecdsa-chain      wrong.keel.test $SRV - $MEDIUM
wildcard       root wildcard-chain        a.wild.keel.test $SRV - $MEDIUM
wildcard-deep  root wildcard-chain        a.b.wild.keel.test $SRV - $MEDIUM
wildcard-bare  root wildcard-chain        wild.keel.test $SRV - $MEDIUM
ipv4           root ipsan-chain           192.0.2.7 $SRV - $MEDIUM
ipv6           root ipsan-chain           2001:db8::7 $SRV - $MEDIUM
ip-wrong       root ipsan-chain           192.0.2.8 $SRV - $MEDIUM
cn-only        root cnonly-chain          cn-only.keel.test $SRV - $MEDIUM
cn-ignored     root cnsan-chain           cn-name.keel.test $SRV - $MEDIUM
noserverauth   root noserverauth-chain    $WWW $SRV - $MEDIUM
client         root client-chain          client.keel.test $CLI - $MEDIUM
client-as-srv  root client-chain          $WWW $SRV - $MEDIUM
critext        root critext-chain         $WWW $SRV - $MEDIUM
sha1           root sha1-chain            $WWW $SRV - $MEDIUM
rsa1024        root rsa1024-chain         $WWW $SRV - $MEDIUM
revoked        root revoked-chain         $WWW $SRV inter-crl $MEDIUM
not-a-ca       root leaf-caf-chain        $WWW $SRV - $MEDIUM
pathlen        root leaf-pathlen-chain    $WWW $SRV - $MEDIUM
nc-ok          root leaf-nc-ok-chain      www.allowed.keel.test $SRV - $MEDIUM
nc-bad         root leaf-nc-bad-chain     www.forbidden.test $SRV - $MEDIUM
selfsigned     root selfsigned-chain      $WWW $SRV - $MEDIUM
other-root     other-root leaf-ecdsa-chain $WWW $SRV - $MEDIUM
inter-anchor   inter leaf-ecdsa-cert      $WWW $SRV - $MEDIUM
EOF
}

# 1. Keel == GnuTLS, exact bits and text, at the fixed time.
cases | while read -r name ca chain host purpose crl gflags; do
  crlf=-; [ "$crl" = - ] || crlf=$D/$crl.pem
  k=$("$tmp/probe-keel" verify "$D/$ca-cert.pem" "$D/$chain.pem" "$host" "$purpose" "$crlf" 0 2>&1)
  g=$("$tmp/probe-gnutls" verify "$D/$ca-cert.pem" "$D/$chain.pem" "$host" "$purpose" "$crlf" "$gflags" 2>&1)
  echo "$name|$k|$g"
done >"$tmp/status"
while IFS='|' read -r name k g; do
  if [ "$k" = "$g" ] && [ -n "$k" ]; then ok "status $name: $k"; else bad "status $name" "keel [$k] gnutls [$g]"; fi
done <"$tmp/status"

# 2. certtool --verify (at the real time: every case but the time ones is the same then).
cases | while read -r name ca chain host purpose crl gflags; do
  case $name in expired|notyet) continue ;; esac
  set -- --verify --verify-profile medium --load-ca-certificate "$D/$ca-cert.pem" \
    --infile "$D/$chain.pem" --verify-hostname "$host" --verify-purpose "$purpose"
  [ "$crl" = - ] || set -- "$@" --load-crl "$D/$crl.pem"
  c=$(certtool "$@" 2>/dev/null | sed -n 's/^Chain verification output: \(Not verified\. \|Verified\. \)//p' | tail -n 1)
  k=$(grep "^$name|" "$tmp/status" | cut -d'|' -f2 | cut -d' ' -f2-)
  echo "$name|$k|$c"
done >"$tmp/certtool"
while IFS='|' read -r name k c; do
  if [ "$k" = "$c" ] && [ -n "$k" ]; then ok "certtool $name"; else bad "certtool $name" "keel [$k] certtool [$c]"; fi
done <"$tmp/certtool"

# 3. openssl verify: trusted or not (its -purpose sslserver also checks key usage, as Keel's
# EKU check does for these certificates; level 2 refuses SHA-1 and RSA-1024).
cases | while read -r name ca chain host purpose crl gflags; do
  leaf=$tmp/$name-leaf.pem
  awk '/BEGIN/{n++} n==1' "$D/$chain.pem" >"$leaf"
  set -- -attime $T -auth_level 2 -CAfile "$D/$ca-cert.pem" -untrusted "$D/$chain.pem"
  [ "$host" = - ] || case $host in
    *:*|[0-9]*.[0-9]*.[0-9]*.[0-9]*) set -- "$@" -verify_ip "$host" ;;
    *) set -- "$@" -verify_hostname "$host" ;;
  esac
  [ "$purpose" = "$SRV" ] && set -- "$@" -purpose sslserver
  [ "$purpose" = "$CLI" ] && set -- "$@" -purpose sslclient
  [ "$crl" = - ] || set -- "$@" -CRLfile "$D/$crl.pem" -crl_check
  [ "$ca" = inter ] && set -- "$@" -partial_chain
  if openssl verify "$@" "$leaf" >/dev/null 2>&1; then o=trusted; else o=untrusted; fi
  k=$(grep "^$name|" "$tmp/status" | cut -d'|' -f2 | cut -d' ' -f1)
  [ "$k" = 0x0 ] && k=trusted || k=untrusted
  echo "$name|$k|$o"
done >"$tmp/openssl"
while IFS='|' read -r name k o; do
  if [ "$k" = "$o" ]; then ok "openssl verify $name: $k"; else bad "openssl verify $name" "keel $k, openssl $o"; fi
done <"$tmp/openssl"

# 4. <gnutls/x509.h> facts and the one-line print, certificate by certificate.
for f in "$D"/*-cert.pem; do
  n=$(basename "$f" -cert.pem)
  "$tmp/probe-keel" print "$f" >"$tmp/k.txt" 2>&1
  "$tmp/probe-gnutls" print "$f" >"$tmp/g.txt" 2>&1
  if cmp -s "$tmp/k.txt" "$tmp/g.txt"; then ok "x509 facts and oneline print: $n"
  else bad "x509 facts and oneline print: $n" "$(diff "$tmp/g.txt" "$tmp/k.txt" | head -20)"; fi
done

# The same facts for the CAs of the system bundle (real-world names, serials, keys), and the
# full print, identical for the test PKI (GnuTLS decodes a few more extensions of real CAs,
# certificate policies for one, which Keel prints as unknown extensions).
n_sys=0; bad_sys=""
for f in /usr/share/ca-certificates/mozilla/*.crt; do
  [ -f "$f" ] || continue
  n_sys=$((n_sys + 1))
  "$tmp/probe-keel" print "$f" >"$tmp/k.txt" 2>&1
  "$tmp/probe-gnutls" print "$f" >"$tmp/g.txt" 2>&1
  cmp -s "$tmp/k.txt" "$tmp/g.txt" || bad_sys="$bad_sys $(basename "$f")"
done
if [ -z "$bad_sys" ]; then ok "x509 facts and oneline print: $n_sys system CAs"
else bad "x509 facts and oneline print of system CAs" "differ:$bad_sys"; fi
for f in "$D"/*-cert.pem; do
  n=$(basename "$f" -cert.pem)
  "$tmp/probe-keel" full "$f" >"$tmp/k.txt" 2>&1
  "$tmp/probe-gnutls" full "$f" >"$tmp/g.txt" 2>&1
  if cmp -s "$tmp/k.txt" "$tmp/g.txt"; then ok "full print: $n"
  else bad "full print: $n" "$(diff "$tmp/g.txt" "$tmp/k.txt" | head -20)"; fi
done

# 5. Verification and client certificates in TLS 1.3 handshakes with the real peers, both
# roles (127.0.0.1, ports picked free, every process bounded by timeout and stopped by PID).
pids=""
cleanup_pids() { for p in $pids; do kill "$p" 2>/dev/null; done; for p in $pids; do wait "$p" 2>/dev/null; done; pids=""; }
trap 'cleanup_pids; rm -rf "$tmp"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_for LOG ERE PID: the line appears (5 s at most) while PID runs
wait_for() {
  ticks=100
  until grep -Eq -- "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || return 1
    [ $ticks -gt 0 ] || return 1
    sleep 0.05; ticks=$((ticks - 1))
  done
}
# bg LOG CMD...: CMD in the background for 15 s at most; its PID in BG
bg() { log=$1; shift; timeout 15 "$@" >"$log" 2>&1 & BG=$!; pids="$pids $BG"; }
# peer_server LOG READY_ERE CMD... with @PORT@: PORT and SRV set, 0 when ready
peer_server() {
  log=$1; ready=$2; shift 2
  PORT=$(free_port)
  cmd=""
  for a in "$@"; do cmd="$cmd '$(printf %s "$a" | sed "s/@PORT@/$PORT/g")'"; done
  eval "bg \"\$log\" $cmd"
  SRV=$BG
  wait_for "$log" "$ready" "$SRV"
}
has() { grep -Eq -- "$2" "$1" 2>/dev/null; }
# reap PID: lets it end by itself (3 s at most), then stops it
reap() {
  ticks=60
  while kill -0 "$1" 2>/dev/null && [ $ticks -gt 0 ]; do sleep 0.05; ticks=$((ticks - 1)); done
  kill "$1" 2>/dev/null; wait "$1" 2>/dev/null
}
check() { # name command...
  case_name=$1; shift
  if "$@"; then ok "$case_name"
  else bad "$case_name" "$(tail -n 8 "$tmp"/hs-*.log 2>/dev/null)"; fi
}
K=$tmp/probe-keel

# Keel client -> openssl s_server (which requires a client certificate and names its CA)
run_keel_vs_openssl_server() { # host expect-handshake expect-verify
  rm -f "$tmp"/hs-*.log
  peer_server "$tmp/hs-srv.log" 'ACCEPT' openssl s_server -accept @PORT@ -tls1_3 -rev -naccept 1 \
    -cert "$D/leaf-ecdsa-cert.pem" -cert_chain "$D/inter-cert.pem" -key "$D/leaf-ecdsa-key.pem" \
    -Verify 2 -CAfile "$D/root-cert.pem" -verify_return_error || return 1
  printf '' | "$K" client "$PORT" "$1" "$D/root-cert.pem" "$D/client-chain.pem" "$D/client-key.pem" \
    >"$tmp/hs-cli.log" 2>&1
  reap "$SRV"
  has "$tmp/hs-cli.log" "^handshake: $2\$" && has "$tmp/hs-cli.log" "^verify: $3\$"
}
check "handshake: Keel client verifies openssl s_server and sends its certificate" \
  run_keel_vs_openssl_server www.keel.test 0 0x0
check "handshake: Keel client rejects openssl s_server for the wrong name (-348, 0x4002)" \
  run_keel_vs_openssl_server wrong.keel.test -348 0x4002
ossl_saw_alert() { has "$tmp/hs-srv.log" 'alert bad certificate|alert number 42'; }
check "handshake: openssl s_server received bad_certificate" ossl_saw_alert

# Keel client -> gnutls-serv requiring and verifying a client certificate
run_keel_vs_gnutls_server() {
  rm -f "$tmp"/hs-*.log
  peer_server "$tmp/hs-srv.log" 'listening|Echo Server' gnutls-serv --port @PORT@ --echo \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --x509certfile "$D/leaf-rsa-chain.pem" \
    --x509keyfile "$D/leaf-rsa-key.pem" --x509cafile "$D/root-cert.pem" \
    --require-client-cert --verify-client-cert || return 1
  printf '' | "$K" client "$PORT" www.keel.test "$D/root-cert.pem" "$D/client-chain.pem" \
    "$D/client-key.pem" >"$tmp/hs-cli.log" 2>&1
  reap "$SRV"
  has "$tmp/hs-cli.log" '^handshake: 0$' && has "$tmp/hs-cli.log" '^verify: 0x0$' &&
    has "$tmp/hs-cli.log" '^ours: yes$' && has "$tmp/hs-cli.log" '^read: 5$'
}
check "handshake: Keel client with gnutls-serv --require-client-cert --verify-client-cert" \
  run_keel_vs_gnutls_server

# openssl s_client / gnutls-cli -> Keel server requiring a client certificate
run_openssl_client() { # with-cert(1|0) expect-handshake
  rm -f "$tmp"/hs-*.log
  peer_server "$tmp/hs-srv.log" '^listening' "$K" server "$D/leaf-ecdsa-chain.pem" \
    "$D/leaf-ecdsa-key.pem" "$D/root-cert.pem" 2 || return 1
  PORT=$(sed -n 's/^listening //p' "$tmp/hs-srv.log")
  set -- "$1" "$2" -connect "127.0.0.1:$PORT" -tls1_3 -CAfile "$D/root-cert.pem" \
    -verify_hostname www.keel.test -verify_return_error
  [ "$1" = 1 ] && set -- "$@" -cert "$D/client-cert.pem" -cert_chain "$D/inter-cert.pem" \
    -key "$D/client-key.pem"
  want=$2; shift 2
  (echo hello; sleep 1) | timeout 10 openssl s_client "$@" >"$tmp/hs-cli.log" 2>&1
  reap "$SRV"
  has "$tmp/hs-srv.log" "^handshake: $want\$" && has "$tmp/hs-cli.log" 'Verify return code: 0 \(ok\)'
}
check "handshake: openssl s_client with a certificate -> Keel server (REQUIRE, verified)" \
  run_openssl_client 1 0
peers_two() { has "$tmp/hs-srv.log" '^peers: 2$' && has "$tmp/hs-srv.log" '^verify: 0x0$'; }
check "handshake: Keel server got and verified the 2-certificate chain" peers_two
check "handshake: openssl s_client without a certificate -> Keel server fails (-112)" \
  run_openssl_client 0 -112

run_gnutls_client() {
  rm -f "$tmp"/hs-*.log
  peer_server "$tmp/hs-srv.log" '^listening' "$K" server "$D/leaf-ed25519-chain.pem" \
    "$D/leaf-ed25519-key.pem" "$D/root-cert.pem" 2 || return 1
  PORT=$(sed -n 's/^listening //p' "$tmp/hs-srv.log")
  (echo hello; sleep 1) | timeout 10 gnutls-cli --port "$PORT" 127.0.0.1 \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.3 --x509cafile "$D/root-cert.pem" \
    --verify-hostname www.keel.test --x509certfile "$D/client-chain.pem" \
    --x509keyfile "$D/client-key.pem" >"$tmp/hs-cli.log" 2>&1
  reap "$SRV"
  has "$tmp/hs-srv.log" '^handshake: 0$' && has "$tmp/hs-srv.log" '^verify: 0x0$' &&
    has "$tmp/hs-cli.log" 'The certificate is trusted'
}
check "handshake: gnutls-cli with a certificate -> Keel server (REQUIRE, both verified)" \
  run_gnutls_client

# TLS 1.2: the client's verification of the server (client certificates are TLS 1.3 only).
run_keel12_vs_gnutls_server() { # host expect-handshake expect-verify
  rm -f "$tmp"/hs-*.log
  peer_server "$tmp/hs-srv.log" 'listening|Echo Server' gnutls-serv --port @PORT@ --echo \
    --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 --x509certfile "$D/leaf-ecdsa-chain.pem" \
    --x509keyfile "$D/leaf-ecdsa-key.pem" --disable-client-cert || return 1
  printf '' | PROBE_PRIO=NORMAL:-VERS-ALL:+VERS-TLS1.2 "$K" client "$PORT" "$1" \
    "$D/root-cert.pem" - - >"$tmp/hs-cli.log" 2>&1
  reap "$SRV"
  has "$tmp/hs-cli.log" "^handshake: $2\$" && has "$tmp/hs-cli.log" "^verify: $3\$"
}
check "handshake: TLS 1.2 Keel client verifies gnutls-serv" \
  run_keel12_vs_gnutls_server www.keel.test 0 0x0
check "handshake: TLS 1.2 Keel client rejects gnutls-serv for the wrong name" \
  run_keel12_vs_gnutls_server wrong.keel.test -348 0x4002
cleanup_pids

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
