#!/bin/sh
# Regenerates the test CA and the 127.0.0.1/localhost server certificate in this folder.
# Test-only: the CA's key is thrown away, so nothing else can be signed by it.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Valid from 2025 (not "now", so a machine whose clock lags still accepts them) for a century.
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[any]
organizationName = optional
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
CNF
touch "$work/index.txt"
echo 01 > "$work/serial"
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.csr" -subj "/O=guanxi tests/CN=guanxi test CA"
openssl ca -batch -config "$work/ca.cnf" -selfsign -keyfile "$work/ca.key" -in "$work/ca.csr" -out ca.crt \
  -startdate 20250101000000Z -enddate 21250101000000Z -extensions ca_ext -notext
openssl req -new -newkey rsa:2048 -nodes -keyout server.key -out "$work/server.csr" -subj "/O=guanxi tests/CN=127.0.0.1"
openssl ca -batch -config "$work/ca.cnf" -cert ca.crt -keyfile "$work/ca.key" -in "$work/server.csr" -out server.crt \
  -startdate 20250101000000Z -enddate 21250101000000Z -extensions server_ext -notext
openssl verify -CAfile ca.crt server.crt
