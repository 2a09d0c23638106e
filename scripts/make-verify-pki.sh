#!/bin/sh
# Generates the certificate-verification test PKI in tests/data/verify/ with the openssl
# command line (OpenSSL 3). The output is committed; rerun only to change it (every run makes
# new keys, so the status bits stay the same but the bytes do not).
#
# Tests verify at a fixed time, 2030-01-01 00:00:00 UTC (1893456000). Ordinary certificates
# are valid 2025-01-01 .. 2045-01-01; "expired" ended in 2024 and "notyet" starts in 2040, so
# tools that can only verify at the real time (certtool) agree until 2040.
#
#   root          ECDSA P-256 root CA "Keel Verify Root", self-signed (the trust anchor)
#   inter         ECDSA P-256 CA under root, pathlen:0
#   leaf-*        under inter, CN=www.keel.test, SAN DNS:www.keel.test,DNS:keel.test,
#                 EKU serverAuth+clientAuth:
#     leaf-rsa leaf-ecdsa leaf-ed25519   the three key types (keys: *-key.pem)
#     expired     notAfter 2024-01-01             notyet      notBefore 2040-01-01
#     wildcard    SAN DNS:*.wild.keel.test        ipsan       SAN IP:192.0.2.7, IP:2001:db8::7
#     cnonly      no SAN, CN=cn-only.keel.test    noserverauth EKU clientAuth only
#     cnsan       CN=cn-name.keel.test with the usual DNS SANs (the CN must not count)
#     client      CN=client.keel.test, EKU clientAuth only (with key)
#     critext     an unknown critical extension   sha1        signed with ECDSA-SHA1
#     rsa1024     an RSA-1024 key                 revoked     listed in inter-crl.pem
#   caf-inter     CA:FALSE "intermediate" under root; leaf-caf under it
#   sub-inter     CA under inter (whose pathlen:0 forbids it); leaf-pathlen under it
#   nc-inter      CA under root, nameConstraints permitted DNS:.allowed.keel.test;
#                 leaf-nc-ok (www.allowed.keel.test), leaf-nc-bad (www.forbidden.test)
#   selfsigned    a self-signed leaf for www.keel.test
#   other-root    an unrelated root (the issuer-unknown case)
#   dnweird       self-signed, a subject full of characters RFC 4514 escapes (printing only)
#   inter-crl.pem CRL of inter revoking leaf-revoked (valid 2025..2045)
#   <case>-chain.pem   the leaf followed by its intermediates (what a server sends)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/tests/data/verify}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$out"
rm -f ./*.pem

START=20250101000000Z
END=20450101000000Z

# openssl ca configuration: one database per issuer, no policy checks, DN kept as given.
ca_cnf() { # dir
  cat <<END
[ca]
default_ca = ca_sect
[ca_sect]
dir = $1
database = $1/index.txt
serial = $1/serial
crlnumber = $1/crlnumber
new_certs_dir = $1
policy = policy_any
unique_subject = no
preserve = yes
email_in_dn = no
copy_extensions = none
default_crl_days = 7300
default_md = sha256
[policy_any]
organizationName = optional
commonName = optional
END
}

issuer_db() { # name
  mkdir -p "$tmp/db-$1"
  [ -f "$tmp/db-$1/index.txt" ] || : >"$tmp/db-$1/index.txt"
  [ -f "$tmp/db-$1/crlnumber" ] || echo 01 >"$tmp/db-$1/crlnumber"
  ca_cnf "$tmp/db-$1" >"$tmp/db-$1/ca.cnf"
}

keygen() { # file type
  case $2 in
    ec)      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    rsa)     openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    rsa1024) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1" 2>/dev/null ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1" ;;
    *) echo "bad key type $2" >&2; exit 1 ;;
  esac
}

serial=4096
# sign name subject issuer ext-body [md [start [end]]]: name-cert.pem from name-key.pem
sign() {
  name=$1 subj=$2 issuer=$3 ext=$4 md=${5:-sha256} start=${6:-$START} end=${7:-$END}
  serial=$((serial + 1))
  printf '[ext]\n%s\n' "$ext" >"$tmp/$name.ext"
  openssl req -new -key "$name-key.pem" -subj "$subj" -out "$tmp/$name.csr"
  if [ "$issuer" = self ]; then
    issuer_db "$name"
    db=$tmp/db-$name
    set -- -selfsign -keyfile "$name-key.pem"
  else
    issuer_db "$issuer"
    db=$tmp/db-$issuer
    set -- -cert "$issuer-cert.pem" -keyfile "$issuer-key.pem"
  fi
  printf '%X\n' "$serial" >"$db/serial"
  openssl ca -config "$db/ca.cnf" -batch -notext "$@" -md "$md" \
    -startdate "$start" -enddate "$end" -extfile "$tmp/$name.ext" -extensions ext \
    -in "$tmp/$name.csr" -out "$name-cert.pem" 2>/dev/null
}

CA_EXT='basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid'
LEAF_SAN='subjectAltName = DNS:www.keel.test, DNS:keel.test'
leaf_ext() { # san eku [extra]
  printf '%s\n' 'basicConstraints = critical, CA:FALSE' \
    'keyUsage = critical, digitalSignature, keyEncipherment' \
    "extendedKeyUsage = $2" 'subjectKeyIdentifier = hash' 'authorityKeyIdentifier = keyid'
  [ -n "$1" ] && printf '%s\n' "$1"
  [ -n "${3:-}" ] && printf '%s\n' "$3"
  return 0
}
BOTH='serverAuth, clientAuth'
WWW=/CN=www.keel.test

# Roots and intermediates
keygen root-key.pem ec
sign root "/O=Keel Test/CN=Keel Verify Root" self "$CA_EXT"
keygen other-root-key.pem ec
sign other-root "/O=Elsewhere/CN=Unrelated Root" self "$CA_EXT"
keygen inter-key.pem ec
sign inter "/O=Keel Test/CN=Keel Verify Intermediate" root \
  "basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid"
keygen caf-inter-key.pem ec
sign caf-inter "/O=Keel Test/CN=Not A CA" root \
  "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid"
keygen sub-inter-key.pem ec
sign sub-inter "/O=Keel Test/CN=Keel Verify Sub-Intermediate" inter "$CA_EXT"
keygen nc-inter-key.pem ec
sign nc-inter "/O=Keel Test/CN=Keel Constrained Intermediate" root "$CA_EXT
nameConstraints = critical, permitted;DNS:allowed.keel.test"

# Leaves under inter
keygen leaf-rsa-key.pem rsa
sign leaf-rsa "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"
keygen leaf-ecdsa-key.pem ec
sign leaf-ecdsa "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"
keygen leaf-ed25519-key.pem ed25519
sign leaf-ed25519 "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH" | sed 's/, keyEncipherment//')"
keygen expired-key.pem ec
sign expired "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")" sha256 20200101000000Z 20240101000000Z
keygen notyet-key.pem ec
sign notyet "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")" sha256 20400101000000Z "$END"
keygen wildcard-key.pem ec
sign wildcard "/CN=*.wild.keel.test" inter "$(leaf_ext 'subjectAltName = DNS:*.wild.keel.test' "$BOTH")"
keygen ipsan-key.pem ec
sign ipsan "/CN=192.0.2.7" inter "$(leaf_ext 'subjectAltName = IP:192.0.2.7, IP:2001:db8::7' "$BOTH")"
keygen cnonly-key.pem ec
sign cnonly "/O=Keel Test/CN=cn-only.keel.test" inter "$(leaf_ext '' "$BOTH")"
keygen cnsan-key.pem ec
sign cnsan "/CN=cn-name.keel.test" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"
keygen noserverauth-key.pem ec
sign noserverauth "$WWW" inter "$(leaf_ext "$LEAF_SAN" clientAuth)"
keygen client-key.pem ec
sign client "/CN=client.keel.test" inter "$(leaf_ext 'subjectAltName = DNS:client.keel.test' clientAuth)"
keygen critext-key.pem ec
sign critext "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH" '1.3.6.1.4.1.55555.1.1 = critical, DER:05:00')"
keygen sha1-key.pem ec
sign sha1 "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")" sha1
keygen rsa1024-key.pem rsa1024
sign rsa1024 "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"
keygen revoked-key.pem ec
sign revoked "$WWW" inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"

# Leaves under the broken intermediates
keygen leaf-caf-key.pem ec
sign leaf-caf "$WWW" caf-inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"
keygen leaf-pathlen-key.pem ec
sign leaf-pathlen "$WWW" sub-inter "$(leaf_ext "$LEAF_SAN" "$BOTH")"
keygen leaf-nc-ok-key.pem ec
sign leaf-nc-ok /CN=www.allowed.keel.test nc-inter \
  "$(leaf_ext 'subjectAltName = DNS:www.allowed.keel.test' "$BOTH")"
keygen leaf-nc-bad-key.pem ec
sign leaf-nc-bad /CN=www.forbidden.test nc-inter \
  "$(leaf_ext 'subjectAltName = DNS:www.forbidden.test' "$BOTH")"

# Self-signed leaf
keygen selfsigned-key.pem ec
sign selfsigned "$WWW" self "$(leaf_ext "$LEAF_SAN" "$BOTH")"

# A self-signed certificate with a difficult subject: RFC 4514 escapes, a multi-valued RDN,
# attribute names GnuTLS spells its own way (only its printing is tested).
keygen dnweird-key.pem ec
openssl req -new -x509 -key dnweird-key.pem -utf8 -multivalue-rdn -days 7300 -set_serial 0x2001 \
  -subj '/C=US/ST=Some, State/O=Keel "Test" <Org>/OU=a;b\\c/CN=#weird name /CN=x+UID=y/emailAddress=x@keel.test/DC=example/serialNumber=42/title=Dr.' \
  -out dnweird-cert.pem

# CRL of inter revoking leaf "revoked"
openssl ca -config "$tmp/db-inter/ca.cnf" -cert inter-cert.pem -keyfile inter-key.pem \
  -revoke revoked-cert.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config "$tmp/db-inter/ca.cnf" -cert inter-cert.pem -keyfile inter-key.pem \
  -gencrl -md sha256 -crl_lastupdate "$START" -crl_nextupdate "$END" -out inter-crl.pem 2>/dev/null

# What a server sends: the leaf, then its intermediates.
for c in leaf-rsa leaf-ecdsa leaf-ed25519 expired notyet wildcard ipsan cnonly cnsan noserverauth \
         client critext sha1 rsa1024 revoked; do
  cat "$c-cert.pem" inter-cert.pem >"$c-chain.pem"
done
cat leaf-caf-cert.pem caf-inter-cert.pem >leaf-caf-chain.pem
cat leaf-pathlen-cert.pem sub-inter-cert.pem inter-cert.pem >leaf-pathlen-chain.pem
cat leaf-nc-ok-cert.pem nc-inter-cert.pem >leaf-nc-ok-chain.pem
cat leaf-nc-bad-cert.pem nc-inter-cert.pem >leaf-nc-bad-chain.pem
cp selfsigned-cert.pem selfsigned-chain.pem

# Keys of the CAs are not needed by the tests (a rerun makes a new PKI anyway).
rm -f root-key.pem other-root-key.pem inter-key.pem caf-inter-key.pem sub-inter-key.pem \
  nc-inter-key.pem

openssl verify -attime 1893456000 -CAfile root-cert.pem -untrusted inter-cert.pem \
  leaf-rsa-cert.pem leaf-ecdsa-cert.pem leaf-ed25519-cert.pem >/dev/null
echo "verification PKI written to $out"
