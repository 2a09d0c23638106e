#!/bin/sh
# Generates the small test PKI in tests/data/ with the openssl command line. The output is
# committed; rerun only to change it (every run makes new keys). Needs OpenSSL 3.
#
#   ca-{key,cert}.pem                  ECDSA P-256 CA, self-signed
#   <kind>-cert.pem / <kind>-key*.pem  server leaves signed by the CA, CN=localhost,
#                                      SAN DNS:localhost, IP:127.0.0.1, 10 years
#     rsa         RSA-2048:   rsa-key.pem (PKCS#1), rsa-key-pkcs8.pem, rsa-key.der (PKCS#1),
#                             rsa-key-encrypted.pem (PKCS#8, AES-256, password "keel-test"),
#                             rsa-key-legacy-encrypted.pem (PKCS#1, Proc-Type, AES-128,
#                             password "keel-test"),
#                             rsa-cert.der
#     rsa-pss     RSA-PSS-2048 (id-RSASSA-PSS key): rsa-pss-key.pem (PKCS#8)
#     ecdsa-p256  ecdsa-p256-key.pem (SEC1), ecdsa-p256-key-pkcs8.pem,
#                 ecdsa-p256-key-pkcs8.der, ecdsa-p256-key-sec1.der,
#                 ecdsa-p256-chain.pem (leaf then CA)
#     ecdsa-p384  ecdsa-p384-key.pem (PKCS#8)
#     ed25519     ed25519-key.pem (PKCS#8)
#     ed448       ed448-key.pem (PKCS#8)
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/tests/data}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$out"

DAYS=3650

# A self-contained config, so the user's openssl.cnf adds nothing.
cat >"$tmp/req.cnf" <<'END'
[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
END

# RSA keys may also do TLS 1.2 RSA key exchange, hence keyEncipherment for them.
leaf_ext() { # extra-key-usage
  cat <<END
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature$1
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
END
}

# openssl 3.0 picks the DER key syntax itself; the PEM body is exactly the DER we want.
pem_to_der() { # in out
  sed '1d;$d' "$1" | base64 -d >"$2"
}

serial=1000
issue_leaf() { # name key-file extra-key-usage
  serial=$((serial + 1))
  leaf_ext "$3" >"$tmp/$1.ext"
  openssl req -new -config "$tmp/req.cnf" -key "$2" -subj /CN=localhost -out "$tmp/$1.csr"
  openssl x509 -req -in "$tmp/$1.csr" -CA ca-cert.pem -CAkey ca-key.pem -sha256 \
    -set_serial "$serial" -days "$DAYS" -extfile "$tmp/$1.ext" -out "$1-cert.pem" 2>/dev/null
}

# CA
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca-key.pem
openssl req -new -x509 -config "$tmp/req.cnf" -key ca-key.pem -subj "/CN=Keel Test CA" \
  -sha256 -days "$DAYS" -set_serial 1 -out ca-cert.pem

# RSA-2048
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa-key-pkcs8.pem 2>/dev/null
openssl pkey -in rsa-key-pkcs8.pem -traditional -out rsa-key.pem
pem_to_der rsa-key.pem rsa-key.der
openssl pkcs8 -topk8 -in rsa-key-pkcs8.pem -v2 aes-256-cbc -passout pass:keel-test \
  -out rsa-key-encrypted.pem
openssl pkey -in rsa-key-pkcs8.pem -traditional -aes-128-cbc -passout pass:keel-test \
  -out rsa-key-legacy-encrypted.pem
issue_leaf rsa rsa-key.pem ", keyEncipherment"
openssl x509 -in rsa-cert.pem -outform DER -out rsa-cert.der

# RSA-PSS-2048 (the key itself is id-RSASSA-PSS)
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsa-pss-key.pem 2>/dev/null
issue_leaf rsa-pss rsa-pss-key.pem ""

# ECDSA P-256
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ecdsa-p256-key-pkcs8.pem
openssl pkey -in ecdsa-p256-key-pkcs8.pem -traditional -out ecdsa-p256-key.pem
pem_to_der ecdsa-p256-key-pkcs8.pem ecdsa-p256-key-pkcs8.der
pem_to_der ecdsa-p256-key.pem ecdsa-p256-key-sec1.der
issue_leaf ecdsa-p256 ecdsa-p256-key.pem ""
cat ecdsa-p256-cert.pem ca-cert.pem >ecdsa-p256-chain.pem

# ECDSA P-384
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ecdsa-p384-key.pem
issue_leaf ecdsa-p384 ecdsa-p384-key.pem ""

# Ed25519, Ed448
openssl genpkey -algorithm ED25519 -out ed25519-key.pem
issue_leaf ed25519 ed25519-key.pem ""
openssl genpkey -algorithm ED448 -out ed448-key.pem
issue_leaf ed448 ed448-key.pem ""

openssl verify -CAfile ca-cert.pem rsa-cert.pem rsa-pss-cert.pem ecdsa-p256-cert.pem \
  ecdsa-p384-cert.pem ed25519-cert.pem ed448-cert.pem >/dev/null
echo "test PKI written to $out"
