#!/usr/bin/env bash
# `just bench-outbox-lag`: the outbox lag (event committed -> webhook received) while the
# release server takes the HTTP benchmark's load: offer reads and idempotent payments at once,
# each with wrk at BENCH_CONNECTIONS/2 connections. A local receiver subscribed to every event
# records each delivery's arrival minus its `occurred_at`. Results in
# target/bench-outbox-lag/results.md; docs/benchmarks.md explains them.
# Knobs: BENCH_DURATION (20s), BENCH_CONNECTIONS (64), BENCH_CLIENTS (2000).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh

duration="${BENCH_DURATION:-20s}"
connections="${BENCH_CONNECTIONS:-64}"
clients="${BENCH_CLIENTS:-2000}"
port="$(free_port)"
receiver_port="$(free_port)"
out="target/bench-outbox-lag"
mkdir -p "$out"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
cargo build --release --bin mt-facturation

data="$(fresh_data_dir mtfl)"
token="bench-admin-$(date +%s)-$RANDOM"
receiver_pid=""
cleanup() {
    [ -n "$receiver_pid" ] && { kill "$receiver_pid" 2>/dev/null || true; }
    [ -n "${SERVER_PID:-}" ] && stop_server "$SERVER_PID"
    stop_cluster "$data"
    rm -rf "$data"
}
trap cleanup EXIT

python3 scripts/bench/lag_receiver.py "$receiver_port" "$out/lag.json" &
receiver_pid=$!
MTF_WEBHOOK_ALLOW_PRIVATE=1 start_server target/release/mt-facturation "$data" "$port" "$token" \
    "$data/server.log"
wait_health "$port" 120
url="$(db_url "$data")"
psql "$url" -q -v clients="$clients" -v invoices_per_client=2 -f scripts/bench/seed.sql
psql "$url" -q -c "VACUUM ANALYZE" -c "CHECKPOINT"
psql "$url" -At -c "SELECT id FROM clients ORDER BY id" >"$data/clients.txt"
offer="$(psql "$url" -At -c "SELECT id FROM offers ORDER BY id LIMIT 1")"

python3 - "http://127.0.0.1:$port/api/v1/webhooks/endpoints" "$token" \
    "http://127.0.0.1:$receiver_port/" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1], method="POST", data=json.dumps(
    {"url": sys.argv[3], "event_types": ["*"], "description": "outbox lag benchmark"}).encode())
request.add_header("Authorization", "Bearer " + sys.argv[2])
request.add_header("Content-Type", "application/json")
with urllib.request.urlopen(request, timeout=10) as response:
    assert response.status == 201, response.status
PY

before="$(psql "$url" -At -c "SELECT count(*) FROM events")"
half=$((connections / 2))
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
BENCH_TAG="lag-$RANDOM" BENCH_MODE=get BENCH_PATH="/api/v1/offers/$offer" BENCH_TOKEN="$token" \
    wrk -t1 -c"$half" -d"$duration" -s scripts/bench/wrk.lua "http://127.0.0.1:$port" \
    >"$out/reads.log" &
reads=$!
BENCH_TAG="lag-$RANDOM" BENCH_MODE=payment BENCH_IDS="$data/clients.txt" BENCH_TOKEN="$token" \
    wrk -t1 -c"$half" -d"$duration" -s scripts/bench/wrk.lua "http://127.0.0.1:$port" \
    >"$out/payments.log"
wait "$reads"

# Every event of the load delivered: wait until the receiver has them all (at most 60 s).
events=$(( $(psql "$url" -At -c "SELECT count(*) FROM events") - before ))
for _ in $(seq 1 120); do
    kill -USR1 "$receiver_pid"
    sleep 0.5
    seen="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$out/lag.json" 2>/dev/null || echo 0)"
    [ "$seen" -ge "$events" ] && break
done
kill -TERM "$receiver_pid"; wait "$receiver_pid" 2>/dev/null || true; receiver_pid=""

rps() { sed -n 's/^Requests\/sec: *//p' "$1"; }
python3 - "$out/lag.json" "$events" "$(rps "$out/reads.log")" "$(rps "$out/payments.log")" \
    "$load_before" "$duration" "$connections" >"$out/results.md" <<'PY'
import json, sys
lag = json.load(open(sys.argv[1]))
events, reads, payments, load, duration, connections = sys.argv[2:]
print(f"# bench-outbox-lag\n\nwrk {connections} connections ({duration}): offer reads "
      f"{reads} req/s and payments {payments} req/s at once; load before {load}\n")
print("| events written | delivered | lag p50 ms | p95 ms | p99 ms | max ms |")
print("|---:|---:|---:|---:|---:|---:|")
print(f"| {events} | {lag['events']} | {lag['p50_ms']} | {lag['p95_ms']} | {lag['p99_ms']} | {lag['max_ms']} |")
PY
cat "$out/results.md"
