#!/usr/bin/env bash
# The demo: a throw-away demo PKI, an unsigned sample application (雇用保険 資格取得届), signed by
# two 社労士 certificates (連署), verified, then tampered with and refused. Everything happens in a
# temporary folder that is removed at the end (kept with KEEP=1).
set -euo pipefail
todoke=$(realpath "${1:?usage: demo.sh PATH/TO/todoke}")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t todoke-demo-XXXXXX)
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
export TODOKE_DEMO_PASSWORD=${TODOKE_DEMO_PASSWORD:-demo-only}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A throw-away demo PKI (samples/pki/make-demo-pki.sh)"
"$root/samples/pki/make-demo-pki.sh" "$work/pki" >/dev/null 2>&1
ls "$work/pki" | grep -v '\.key$' | sed 's/^/   /'

step "2. The unsigned sample application: samples/packages/koyo-shutoku"
(cd "$root/samples/packages/koyo-shutoku" && zip -qrX "$work/unsigned.zip" 4950000020325000)
unzip -l "$work/unsigned.zip" | sed -n '4,6p'

step "3. todoke sign (two signers; the password comes from an environment variable)"
"$todoke" sign "$work/unsigned.zip" --key "$work/pki/sharoushi.p12" --key "$work/pki/sharoushi2.p12" \
    --password-env TODOKE_DEMO_PASSWORD --out "$work/signed.zip"

step "4. todoke verify against the demo CA"
"$todoke" verify "$work/signed.zip" --trust "$work/pki/ca.pem"
"$todoke" verify "$work/signed.zip" --trust "$work/pki/ca.pem" --format json | head -c 400; echo " ..."

step "5. A tampered form file is refused (exit 1, one line saying which check failed where)"
mkdir "$work/t" && (cd "$work/t" && unzip -q "$work/signed.zip" \
    && sed -i 's/見本　一郎/偽造　次郎/' 4950000020325000/495000020325029841_01.xml \
    && zip -qrX "$work/tampered.zip" 4950000020325000)
set +e
"$todoke" verify "$work/tampered.zip" --trust "$work/pki/ca.pem"; echo "   exit status $?"

step "6. The right signature from an untrusted CA is refused"
"$todoke" verify "$work/signed.zip" --trust "$work/pki/official-ca.pem"; echo "   exit status $?"
set -e

printf '\nNext: docs/architecture.md (design), docs/signing.md (the signature profiles), make test, make bench.\n'
