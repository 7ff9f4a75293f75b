#!/usr/bin/env bash
# Makes the seed corpora with openssl: small files of every kind the parsers meet, the real-world oddities of
# issue 15 included (empty EKU, v1 roots, RSA-PSS, explicit curves, DSA, IDN names, trailing bytes). Seeds are named
# seed-*; the files the fuzzer found (minimised) sit beside them. Run from anywhere: ./make-seeds.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
o() { openssl "$@" 2>/dev/null; }
mkdir -p "$here"/corpus/{certificate,pkcs7,key,csr,pfx}
c=$here/corpus

# Keys (small ones: the fuzzer works on short inputs).
o ecparam -name prime256v1 -genkey -noout -out ec.key
o genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:512 -out rsa512.key
o genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:512 -out pss.key
o genpkey -algorithm ED25519 -out ed.key
o genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.param
o genpkey -paramfile dsa.param -out dsa.key
o ecparam -name prime256v1 -genkey -noout -param_enc explicit -out ec-explicit.key

cp ec.key "$c/key/seed-ec-sec1.pem"
o ec -in ec.key -outform DER -out "$c/key/seed-ec-sec1.der"
o pkcs8 -topk8 -nocrypt -in ec.key -out "$c/key/seed-ec-pkcs8.pem"
o pkcs8 -topk8 -nocrypt -in ec.key -outform DER -out "$c/key/seed-ec-pkcs8.der"
o pkcs8 -topk8 -in ec.key -v2 aes-128-cbc -iter 1 -passout pass:fuzz -out "$c/key/seed-ec-pkcs8-encrypted.pem"
o pkcs8 -topk8 -in ec.key -v2 aes-128-cbc -iter 1 -passout pass:fuzz -outform DER -out "$c/key/seed-ec-pkcs8-encrypted.der"
o ec -in ec.key -aes128 -passout pass:fuzz -out "$c/key/seed-ec-legacy-encrypted.pem"
o rsa -in rsa512.key -traditional -out "$c/key/seed-rsa512-pkcs1.pem"
o rsa -in rsa512.key -traditional -outform DER -out "$c/key/seed-rsa512-pkcs1.der"
cp rsa512.key "$c/key/seed-rsa512-pkcs8.pem"
cp pss.key "$c/key/seed-rsapss-pkcs8.pem"
cp ed.key "$c/key/seed-ed25519.pem"
cp dsa.key "$c/key/seed-dsa.pem"
o pkey -in dsa.key -outform DER -out "$c/key/seed-dsa.der"
cp ec-explicit.key "$c/key/seed-ec-explicit.pem"
o pkcs8 -topk8 -nocrypt -in ec-explicit.key -outform DER -out "$c/key/seed-ec-explicit-pkcs8.der"

# Certificates.
cat > ext.cnf <<'CNF'
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:www.example.com,DNS:*.example.com,IP:192.0.2.1,email:a@example.com
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
authorityInfoAccess=caIssuers;URI:http://127.0.0.1/ca.crt,OCSP;URI:http://127.0.0.1/ocsp
certificatePolicies=2.23.140.1.2.1
[ca]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
nameConstraints=permitted;DNS:example.com,excluded;DNS:bad.example.com
[emptyeku]
extendedKeyUsage=DER:30:00
[oddeku]
extendedKeyUsage=DER:30:02:06:00
CNF
o req -x509 -new -key ec.key -subj "/CN=Fuzz Root/O=Fuzz" -days 30 -out root.pem
o req -new -key ec.key -subj "/CN=Fuzz Int" -out int.csr
o x509 -req -in int.csr -CA root.pem -CAkey ec.key -days 30 -extfile ext.cnf -extensions ca -out int.pem
o req -new -key ec.key -subj "/CN=www.example.com/O=Example/C=GB" -out leaf.csr
o x509 -req -in leaf.csr -CA int.pem -CAkey ec.key -days 30 -extfile ext.cnf -extensions leaf -out leaf.pem
o x509 -req -in leaf.csr -signkey ec.key -days 30 -out v1.pem
o x509 -req -in leaf.csr -CA root.pem -CAkey ec.key -days 30 -extfile ext.cnf -extensions emptyeku -out emptyeku.pem
o x509 -req -in leaf.csr -CA root.pem -CAkey ec.key -days 30 -extfile ext.cnf -extensions oddeku -out oddeku.pem
o req -x509 -new -key pss.key -subj "/CN=pss.example" -days 30 -out pss.pem
o req -x509 -new -key rsa512.key -subj "/CN=rsa.example" -days 30 -sha1 -out rsa512.pem
o req -x509 -new -key ec-explicit.key -subj "/CN=explicit.example" -days 30 -out explicit.pem
printf '[s]\nsubjectAltName=DNS:xn--bcher-kva.example,DNS:b\xc3\xbccher.example\n' > idn.cnf
o x509 -req -in leaf.csr -CA root.pem -CAkey ec.key -days 30 -extfile idn.cnf -extensions s -out idn.pem
cp leaf.pem "$c/certificate/seed-leaf.pem"
o x509 -in leaf.pem -outform DER -out "$c/certificate/seed-leaf.der"
o x509 -in int.pem -outform DER -out "$c/certificate/seed-intermediate.der"
o x509 -in root.pem -outform DER -out "$c/certificate/seed-root.der"
cat leaf.pem int.pem root.pem > "$c/certificate/seed-chain.pem"
o x509 -in v1.pem -outform DER -out "$c/certificate/seed-v1.der"
o x509 -in emptyeku.pem -outform DER -out "$c/certificate/seed-empty-eku.der"
o x509 -in oddeku.pem -outform DER -out "$c/certificate/seed-eku-empty-oid.der"
o x509 -in pss.pem -outform DER -out "$c/certificate/seed-rsapss.der"
o x509 -in rsa512.pem -outform DER -out "$c/certificate/seed-rsa512-sha1.der"
o x509 -in explicit.pem -outform DER -out "$c/certificate/seed-ec-explicit.der"
o x509 -in idn.pem -outform DER -out "$c/certificate/seed-idn.der"
o x509 -in leaf.pem -outform DER | cat - <(printf '\0\0\0\0\0') > "$c/certificate/seed-leaf-trailing-zeros.der"

# PKCS#7 bundles.
o crl2pkcs7 -nocrl -certfile "$c/certificate/seed-chain.pem" -outform DER -out "$c/pkcs7/seed-chain.p7b"
o crl2pkcs7 -nocrl -certfile "$c/certificate/seed-chain.pem" -out "$c/pkcs7/seed-chain-pem.p7b"
o crl2pkcs7 -nocrl -certfile leaf.pem -outform DER | cat - <(printf '\0\0\0\0\0') > "$c/pkcs7/seed-trailing-zeros.p7b"

# Requests.
o req -new -key ec.key -subj "/CN=www.example.com/O=Example/C=GB" -addext "subjectAltName=DNS:www.example.com,IP:192.0.2.1,email:a@example.com" -out "$c/csr/seed-ec.pem"
o req -in "$c/csr/seed-ec.pem" -outform DER -out "$c/csr/seed-ec.der"
o req -new -key rsa512.key -subj "/CN=weak.example" -md5 -out "$c/csr/seed-rsa512-md5.pem" || true
o req -new -key dsa.key -subj "/CN=dsa.example" -out "$c/csr/seed-dsa.pem" || true
o req -new -key pss.key -subj "/CN=pss.example" -out "$c/csr/seed-rsapss.pem" || true
o req -new -key ec.key -subj "/CN=ca.example" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=keyCertSign" -outform DER -out "$c/csr/seed-asks-ca.der"
o req -new -key ec.key -subj "/CN=idn.example" -addext "subjectAltName=DNS:$(printf 'b\xc3\xbccher.example')" -outform DER -out "$c/csr/seed-idn-utf8.der"

# PKCS#12 (one iteration, so the fuzzer spends its time parsing, not hashing passwords).
o pkcs12 -export -inkey ec.key -in leaf.pem -certfile int.pem -passout pass:fuzz -noiter -nomaciter -out "$c/pfx/seed-ec-aes.pfx"
o pkcs12 -export -legacy -inkey ec.key -in leaf.pem -passout pass:fuzz -noiter -nomaciter -out "$c/pfx/seed-ec-legacy.pfx" || true
o pkcs12 -export -inkey ec.key -in leaf.pem -passout pass:fuzz -noiter -nomac -out "$c/pfx/seed-nomac.pfx"
o pkcs12 -export -nokeys -in leaf.pem -passout pass:fuzz -noiter -nomaciter -out "$c/pfx/seed-nokey.pfx"
o pkcs12 -export -keypbe NONE -certpbe NONE -inkey ec.key -in leaf.pem -passout pass: -nomaciter -out "$c/pfx/seed-unencrypted.pfx"
o pkcs12 -export -inkey dsa.key -in <(o req -x509 -new -key dsa.key -subj /CN=dsa -days 30) -passout pass:fuzz -noiter -nomaciter -out "$c/pfx/seed-dsa.pfx" || true
cat "$c/pfx/seed-ec-aes.pfx" <(printf '\0\0\0\0\0\0\0\0') > "$c/pfx/seed-trailing-zeros.pfx"
ls -la "$c"/* | grep -c seed- | xargs echo "seed files:"
