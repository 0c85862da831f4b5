#!/usr/bin/env bash
# Measures, on this machine, with the real gateway jar and its embedded defaults (fresh H2):
#   - start time (JVM start to "Started", demo data loaded) and resident memory after start;
#   - $submit of a JP_Bundle_CLINS with 10 items: median and p90 over a warm run, both for new
#     items (validate + create) and for a re-send of the same items (validate + replace);
#   - resident memory after the run.
# Prints figures; asserts nothing. Usage: benchmarks/submission-benchmark.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-40}
WARMUP=10
# A port the OS hands out (BENCH_PORT to choose one), so a gateway already running here is no obstacle.
PORT=${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')}
BUNDLE=${BENCH_BUNDLE:-ig/src/main/fhir/example/Bundle-clins-lab-yoshida-tokyo.json}  # the Patient and ten lab results
INSTITUTION=${BENCH_INSTITUTION:-1311234567}
DATA=$(mktemp -d)
LOG=$DATA/gateway.log

[ -f fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar ] || mvn -q -B -ntp install -DskipTests
items=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['entry'])-1)" "$BUNDLE")
echo "bundle: $BUNDLE ($items items)"

start=$(date +%s%N)
GATEWAY_DATA_DIR=$DATA SERVER_PORT=$PORT GATEWAY_MANAGEMENT_PORT=0 java -Xmx1g -jar fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar --gateway.identity.development-header-enabled=true >"$LOG" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$DATA"' EXIT
until grep -q "Started GatewayApplication" "$LOG"; do
  kill -0 $pid 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
ready=$(date +%s%N)
echo "start: $(( (ready - start) / 1000000 )) ms to ready ($(grep -o 'Started GatewayApplication in [0-9.]* seconds' "$LOG"))"
echo "rss after start: $(( $(ps -o rss= -p $pid) / 1024 )) MB"

# Each "new" run sends the Bundle as a new report with fresh local ids (validate + create); each
# "resend" run sends one fixed report again, the same items (validate + replace, nothing withdrawn).
# A report is named by its Bundle.identifier: a new run under the resend's identifier would
# withdraw the resend's items instead.
python3 - "$BUNDLE" "$DATA" "$RUNS" "$WARMUP" <<'PY'
import json, sys, uuid
src, out, runs, warm = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bundle = json.load(open(src))
def with_fresh_ids(tag):
    b = json.loads(json.dumps(bundle))
    report = b['identifier']['value'].split('^')
    b['identifier']['value'] = '^'.join(report[:2] + [report[2] + '-' + tag])
    for e in b['entry'][1:]:
        for i in e['resource'].get('identifier', []):
            if i.get('system') == 'http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier':
                parts = i['value'].split('^')
                i['value'] = '^'.join(parts[:2] + [parts[2] + '-' + tag])
    return b
for n in range(runs + warm):
    json.dump(with_fresh_ids(uuid.uuid4().hex[:8]), open(f"{out}/new-{n}.json", "w"), ensure_ascii=False)
json.dump(with_fresh_ids("resend"), open(f"{out}/resend.json", "w"), ensure_ascii=False)
PY

submit() {
  curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -X POST -H "Content-Type: application/fhir+json" \
    -H "X-Development-Institution-Code: $INSTITUTION" --data-binary @"$1" "http://localhost:$PORT/fhir/\$submit"
}
stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms, p90 %.1f ms, min %.1f ms (n=%d)\n", a[int((NR+1)/2)]*1000, a[int(NR*0.9)]*1000, a[1]*1000, NR}'; }

for n in $(seq 0 $((WARMUP - 1))); do submit "$DATA/new-$n.json" >/dev/null; submit "$DATA/resend.json" >/dev/null; done
: >"$DATA/new.times"; : >"$DATA/resend.times"
for n in $(seq $WARMUP $((WARMUP + RUNS - 1))); do
  r=$(submit "$DATA/new-$n.json"); [ "${r%% *}" = 200 ] || { echo "submit failed: $r"; exit 1; }
  echo "${r#* }" >>"$DATA/new.times"
  r=$(submit "$DATA/resend.json"); [ "${r%% *}" = 200 ] || { echo "resend failed: $r"; exit 1; }
  echo "${r#* }" >>"$DATA/resend.times"
done
echo "submit $items new items (validate + create):   $(stats <"$DATA/new.times")"
echo "submit $items same items (validate + replace): $(stats <"$DATA/resend.times")"
echo "rss after run: $(( $(ps -o rss= -p $pid) / 1024 )) MB"
