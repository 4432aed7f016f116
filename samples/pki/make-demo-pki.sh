#!/usr/bin/env bash
# Makes a throw-away demo PKI with openssl, for the demo, the simulator and manual tests:
#   ca.pem / ca.key                  "todoke Demo Sharoushi CA" (the applicant trust anchor)
#   sharoushi.p12                    a 社労士 signer: RSA-2048, digitalSignature+nonRepudiation
#   sharoushi2.p12                   a second signer (連署)
#   official-ca.pem / official-ca.key  "DemoOfficialStatusCA", as e-Gov's sandbox names it
#   official.p12 / official.pem      a 官職 certificate for signing 公文書: key usage critical,
#                                    certificatePolicies critical, CRL point a DirName only
# The PKCS#12 password is taken from $TODOKE_DEMO_PASSWORD (default "demo-only").
# Nothing made here may protect real data; no key made here is ever committed.
# Usage: samples/pki/make-demo-pki.sh OUTDIR
set -euo pipefail
out=${1:?usage: make-demo-pki.sh OUTDIR}
pass=${TODOKE_DEMO_PASSWORD:-demo-only}
mkdir -p "$out"
cd "$out"
umask 077

cat > ext.cnf <<'CNF'
[req]
distinguished_name = dn
[dn]

[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[signer]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[official]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
certificatePolicies = critical, 2.999.1.1
crlDistributionPoints = crldp_dirname
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[crldp_dirname]
fullname = dirName:crl_dn

[crl_dn]
C = JP
O = Japanese Government
OU = DemoOfficialStatusCA
CN = CRL1
CNF

ca() {  # name subject
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
        -keyout "$1.key" -out "$1.pem" -subj "$2" -config ext.cnf -extensions ca
}
leaf() {  # name subject ca extensions
    openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" \
        -config ext.cnf 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -sha256 \
        -days 825 -out "$1.pem" -extfile ext.cnf -extensions "$4" 2>/dev/null
    openssl pkcs12 -export -inkey "$1.key" -in "$1.pem" -out "$1.p12" -passout "pass:$pass" \
        -name "$1"
    rm -f "$1.csr"
}

ca ca "/C=JP/O=todoke demo/CN=todoke Demo Sharoushi CA"
leaf sharoushi "/C=JP/O=Demo Sharoushi Office/CN=Demo Sharoushi Taro" ca signer
leaf sharoushi2 "/C=JP/O=Demo Sharoushi Office/CN=Demo Sharoushi Hanako" ca signer
ca official-ca "/C=JP/O=Japanese Government/OU=DemoOfficialStatusCA"
leaf official "/C=JP/O=Japanese Government/OU=Ministry of Health, Labour and Welfare/CN=Demo Official" official-ca official
rm -f ext.cnf ./*.srl
chmod 644 ./*.pem
echo "demo PKI written to $out (PKCS#12 password from TODOKE_DEMO_PASSWORD)"
