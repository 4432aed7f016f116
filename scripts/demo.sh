#!/usr/bin/env bash
# The demo: filing records validated, rendered and packaged, the package signed by a 社労士
# certificate of a throw-away demo PKI, verified, then tampered with and refused; then a package
# applied to `todoke sim egov` and followed until its signed 公文書 is collected. Everything
# happens in a temporary folder that is removed at the end (kept with KEEP=1).
set -euo pipefail
todoke=$(realpath "${1:?usage: demo.sh PATH/TO/todoke}")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t todoke-demo-XXXXXX)
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
export TODOKE_DEMO_PASSWORD=${TODOKE_DEMO_PASSWORD:-demo-only}
records="$root/samples/records"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. A throw-away demo PKI (samples/pki/make-demo-pki.sh)"
"$root/samples/pki/make-demo-pki.sh" "$work/pki" >/dev/null 2>&1
ls "$work/pki" | grep -v '\.key$' | sed 's/^/   /'

step "2. The catalogue and the sample records (todoke forms list / validate)"
"$todoke" forms list
"$todoke" forms validate "$records"/*.json

step "3. A record with mistakes: every error of every person, in one pass, My Number masked"
sed -e 's/"佐藤　花子"/"髙橋　花子"/' -e 's/526018159084/526018159085/' \
    -e 's/"acquisition_type": "1"/"acquisition_type": "2"/' "$records/kenpo_shutoku.json" > "$work/bad.json"
set +e
"$todoke" forms validate "$work/bad.json"; echo "   exit status $?"
set -e

step "4. 健康保険・厚生年金保険 資格取得届 rendered as the 年金機構 CSV (Shift_JIS, shown as UTF-8)"
"$todoke" forms render "$records/kenpo_shutoku.json" --out "$work/render"
iconv -f CP932 -t UTF-8 "$work"/render/*/*/SHFD0006.CSV | sed 's/^/   /'

step "5. 雇用保険 資格取得届: record -> kousei.xml + 申請書XML + attachment -> signed package"
"$todoke" package "$records/koyo_shutoku.json" --key "$work/pki/sharoushi.p12" \
    --password-env TODOKE_DEMO_PASSWORD --out "$work/koyo.zip"
unzip -l "$work/koyo.zip" | sed -n '4,7p'

step "6. todoke verify against the demo CA"
"$todoke" verify "$work/koyo.zip" --trust "$work/pki/ca.pem"

step "6b. Every sample record packaged and signed (CSV procedures: 総括票 + SHFD0006.CSV)"
"$todoke" package "$records"/*.json --key "$work/pki/sharoushi.p12" \
    --password-env TODOKE_DEMO_PASSWORD --out-dir "$work/packages"
unzip -l "$work/packages/sample-kenpo-santei-2025.zip" | sed -n '4,8p'
"$todoke" verify "$work/packages/sample-kenpo-santei-2025.zip" --trust "$work/pki/ca.pem"

step "7. Co-signing (連署) an existing unsigned package with two certificates"
mkdir "$work/u" && (cd "$work/u" && unzip -q "$work/koyo.zip" \
    && sed -i 's|<署名情報>.*</署名情報>|<署名情報/>|' 4950000020325000/kousei.xml \
    && zip -qrX "$work/unsigned.zip" 4950000020325000)
"$todoke" sign "$work/unsigned.zip" --key "$work/pki/sharoushi.p12" --key "$work/pki/sharoushi2.p12" \
    --password-env TODOKE_DEMO_PASSWORD --out "$work/cosigned.zip"
"$todoke" verify "$work/cosigned.zip" --trust "$work/pki/ca.pem"

step "8. A tampered form file is refused (exit 1, one line saying which check failed where)"
mkdir "$work/t" && (cd "$work/t" && unzip -q "$work/koyo.zip" \
    && sed -i 's/見本　一郎/偽造　次郎/' 4950000020325000/495000020325029841_01.xml \
    && zip -qrX "$work/tampered.zip" 4950000020325000)
set +e
"$todoke" verify "$work/tampered.zip" --trust "$work/pki/ca.pem"; echo "   exit status $?"

step "9. The right signature from an untrusted CA is refused"
"$todoke" verify "$work/koyo.zip" --trust "$work/pki/official-ca.pem"; echo "   exit status $?"
set -e

step "10. The e-Gov simulator: log in, apply, follow the case, collect the signed 公文書"
"$todoke" sim egov --data "$work/sim" --trust "$work/pki/ca.pem" > "$work/ready.json" 2>/dev/null &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/token.key"
sed 's|}$|,"token_file":"'"$work"'/tokens.sealed","token_key_file":"'"$work"'/token.key"}|' \
    "$work/ready.json" > "$work/egov.json"
egov() { "$todoke" egov --config "$work/egov.json" "$@"; }
egov login
egov apply "$work/packages/sample-kenpo-santei-2025.zip" | tee "$work/applied.json"
arrive_id=$(sed 's/.*"arrive_id":"\([0-9]*\)".*/\1/' "$work/applied.json")
egov status "$arrive_id"
"$todoke" sim clock --ready "$work/ready.json" --advance 173401   # two virtual days later
egov fetch "$arrive_id" --out "$work/docs" --official-ca "$work/sim/pki/official-ca.pem"
egov status "$arrive_id"
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true

printf '\nNext: docs/records.md (records), docs/signing.md (signature profiles), docs/simulator.md, docs/egov.md, docs/architecture.md, make test, make bench.\n'
