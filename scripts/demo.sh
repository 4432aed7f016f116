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

step "10. The durable pipeline: todoke sim egov (fast virtual clock) + todoke serve on SQLite"
# The simulator: one virtual hour per real second; every 雇用保険 喪失届 gets a 補正 (部分補正).
cat > "$work/sim.json" <<'JSON'
{"clock_speed": "3600", "review_after_s": 600, "decide_after_s": 14400,
 "procedures": {"4950000020326000": {"amendment_every": 1, "correct_type": "部分補正"}}}
JSON
"$todoke" sim egov --data "$work/sim" --trust "$work/pki/ca.pem" --config "$work/sim.json" \
    > "$work/ready.json" 2>"$work/sim.log" &
sim_pid=$!
serve_pid=
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
    kill "$sim_pid" 2>/dev/null
    wait 2>/dev/null
    [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$work/ready.json" ] && break; sleep 0.1; done
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/token.key"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/data.key"   # never beside the data
sed 's|}$|,"token_file":"'"$work"'/tokens.sealed","token_key_file":"'"$work"'/token.key"}|' \
    "$work/ready.json" > "$work/egov.json"
cat > "$work/serve.json" <<'JSON'
{"pipeline": {"poll_interval_ms": 300, "reconcile_after_ms": 1000, "idle_ms": 100}}
JSON
data=(--data "$work/data" --data-key-file "$work/data.key")
"$todoke" egov --config "$work/egov.json" login
echo "   submitting every sample record (the key is each record's record_id):"
"$todoke" submit "$records"/*.json "${data[@]}" | sed 's/^/   /'
echo "   the same records again: nothing new (idempotent)"
"$todoke" submit "$records"/*.json "${data[@]}" | grep -c '"created":false' | sed 's/^/   unchanged: /'
echo "   one more 賞与支払届 under its own key: it will be withdrawn (取下げ) once it has arrived"
withdraw_id=$("$todoke" submit "$records/kenpo_shoyo.json" --key demo-withdraw "${data[@]}" \
    | sed 's/^{"filing":\([0-9]*\),.*/\1/')
withdraw_asked=
"$todoke" serve "${data[@]}" --egov-config "$work/egov.json" --key "$work/pki/sharoushi.p12" \
    --password-env TODOKE_DEMO_PASSWORD --official-ca "$work/sim/pki/official-ca.pem" \
    --config "$work/serve.json" > /dev/null 2>"$work/serve.log" &
serve_pid=$!

step "11. Waiting for every filing to reach a final state (a 補正 is answered, a 取下げ asked for)"
corrected=
for _ in $(seq 600); do
    summary=$("$todoke" status --summary "${data[@]}")
    printf '\r   %-110s' "$(echo "$summary" | sed 's/.*"by_state":{\([^}]*\)}.*/\1/' | tr -d '"')"
    for id in $("$todoke" status --json --state amendment_requested "${data[@]}" \
                | sed 's/^{"filing":\([0-9]*\),.*/\1/'); do
        case " $corrected " in *" $id "*) continue ;; esac
        printf '\n   filing %s: 補正 requested; answering with the corrected record (todoke correct)\n' "$id"
        "$todoke" correct "$id" "$records/koyo_soshitsu.json" "${data[@]}" > /dev/null
        corrected="$corrected $id"
    done
    # Asked for once the case has arrived and is not decided yet. With the demo's fast clock
    # it is `arrived` for a fraction of a second only, then `under_review` for a few seconds.
    if [ -z "$withdraw_asked" ] && "$todoke" status --json "${data[@]}" \
            | grep -E "^\{\"filing\":$withdraw_id,.*\"state\":\"(arrived|under_review)\"" > /dev/null; then
        printf '\n   filing %s arrived; asking for its 取下げ (todoke withdraw)\n' "$withdraw_id"
        "$todoke" withdraw "$withdraw_id" --reason "誤って提出したため" "${data[@]}" > /dev/null
        withdraw_asked=1
    fi
    total=$(echo "$summary" | sed 's/.*"total":\([0-9]*\).*/\1/')
    final=$(echo "$summary" | sed 's/.*"final":\([0-9]*\).*/\1/')
    pending=$(echo "$summary" | sed 's/.*"outbox_pending":\([0-9]*\).*/\1/')
    [ "$total" = "$final" ] && [ "$pending" = 0 ] && break
    sleep 0.5
done
printf '\n'
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
tail -n 3 "$work/serve.log" | sed 's/^/   serve: /'

step "12. Filings, their cases and the mailboxes the 公文書 went to"
"$todoke" status "${data[@]}" | sed 's/^/   /'
company=$("$todoke" status --json "${data[@]}" | sed -n 1p | sed 's/.*"company":"\([^"]*\)".*/\1/')
echo "   mailbox of $company:"
"$todoke" mailbox list "$company" "${data[@]}" | sed -n 1,3p | cut -c1-150 | sed 's/^/   /'
"$todoke" mailbox get 1 "${data[@]}" --out "$work/doc1.zip" | sed 's/^/   /'
"$todoke" verify "$work/doc1.zip" --official --trust "$work/sim/pki/official-ca.pem" 2>&1 | head -3 | sed 's/^/   /' || true
if ! "$todoke" status --json --state withdrawn "${data[@]}" | grep -q "^{\"filing\":$withdraw_id,"; then
    echo "demo: filing $withdraw_id was to be withdrawn and was not; the end of serve.log" \
        "(KEEP=1 keeps the whole work folder):" >&2
    tail -n 20 "$work/serve.log" | sed 's/^/   /' >&2
    exit 1
fi

printf '\nNext: todoke status ID (history), docs/pipeline.md (states, guarantees, crash tests), docs/records.md, docs/signing.md, docs/simulator.md, docs/egov.md, docs/architecture.md, make test, make bench.\n'
