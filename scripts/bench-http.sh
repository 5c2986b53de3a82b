#!/usr/bin/env bash
# `just bench-http`: HTTP load benchmark of the release server on a private PostgreSQL seeded
# with 10k clients and 100k invoices, against the bare actix + diesel ceiling
# (crates/app/examples/bench_ceiling.rs) on the same database. Results in
# target/bench-http/results.md; docs/benchmarks-http.md explains them.
# Knobs: BENCH_DURATION (20s), BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_CLIENTS (10000),
# BENCH_INVOICES_PER_CLIENT (10), BENCH_PORT (a free one), MTF_DB_POOL_SIZE, MTF_WORKERS.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh

duration="${BENCH_DURATION:-20s}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
clients="${BENCH_CLIENTS:-10000}"
per_client="${BENCH_INVOICES_PER_CLIENT:-10}"
port="${BENCH_PORT:-$(free_port)}"
out="target/bench-http"
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else echo "wrk is needed: sudo apt-get install wrk" >&2; exit 1; fi
fi
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }

# Separately: an example build enables dev-dependency features, which the server must not carry.
cargo build --release --bin mt-facturation
cargo build --release -p app --example bench_ceiling

data="$(fresh_data_dir mtfb)"
token="bench-admin-$(date +%s)-$RANDOM"
tag="bench-$(date +%s)"
ceiling_pid=""
cleanup() {
    [ -n "$ceiling_pid" ] && { kill "$ceiling_pid" 2>/dev/null || true; wait "$ceiling_pid" 2>/dev/null || true; }
    [ -n "${SERVER_PID:-}" ] && stop_server "$SERVER_PID"
    stop_cluster "$data"
    rm -rf "$data"
}
trap cleanup EXIT

# RUST_LOG=warn: the per-request info line is off, as in production at this load.
SERVER_RUST_LOG=warn start_server target/release/mt-facturation "$data" "$port" "$token" "$data/server.log"
wait_health "$port" 120
url="$(db_url "$data")"

echo "== seeding $clients clients, $((clients * per_client)) invoices"
seed_started=$(date +%s)
psql "$url" -q -v clients="$clients" -v invoices_per_client="$per_client" -f scripts/bench/seed.sql
# Vacuumed and checkpointed now, so autovacuum and the checkpointer stay out of the runs.
psql "$url" -q -c "VACUUM ANALYZE" -c "CHECKPOINT"
echo "   seeded in $(( $(date +%s) - seed_started )) s"
psql "$url" -At -c "SELECT id FROM clients ORDER BY id" >"$data/clients.txt"
offer="$(psql "$url" -At -c "SELECT id FROM offers ORDER BY id LIMIT 1")"

ceiling_port="$(free_port)"
DATABASE_URL="$url" BIND="127.0.0.1:$ceiling_port" target/release/examples/bench_ceiling \
    >"$data/ceiling.log" 2>&1 &
ceiling_pid=$!

http_status() { # http_status URL [TOKEN]
    python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2:
    request.add_header("Authorization", "Bearer " + sys.argv[2])
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        print(response.status)
except urllib.error.HTTPError as error:
    print(error.code)
except Exception:
    print(0)
PY
}
for _ in $(seq 1 100); do
    [ "$(http_status "http://127.0.0.1:$ceiling_port/offers/$offer")" = 200 ] && break
    sleep 0.1
done

first_client="$(head -1 "$data/clients.txt")"
if [ "$(http_status "http://127.0.0.1:$port/api/v1/invoices?client_id=$first_client" "$token")" = 200 ]; then
    list_label="GET /api/v1/invoices?client_id=… (rotating $clients clients)"
    list_path="/api/v1/invoices?client_id="
else
    list_label="GET /api/v1/customers/{id} (rotating $clients clients; /invoices not merged yet)"
    list_path="/api/v1/customers/"
fi

rss() { # rss PID -> "VmRSS VmHWM" in MB
    awk '/^VmRSS/ {rss = $2} /^VmHWM/ {hwm = $2} END {printf "%.1f %.1f", rss / 1024, hwm / 1024}' \
        "/proc/$1/status"
}

cpu_ticks() { # cpu_ticks PID -> user + system clock ticks of the process so far
    awk '{print $14 + $15}' "/proc/$1/stat"
}
# The cluster's CPU: the postmaster and every backend (the pools' connections persist).
pg_ticks() {
    local postmaster
    postmaster="$(head -1 "$data/postgres/postmaster.pid")"
    for pid in "$postmaster" $(ps -o pid= --ppid "$postmaster"); do
        awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true
    done | awk '{sum += $1} END {print sum + 0}'
}
tick_us=$((1000000 / $(getconf CLK_TCK)))

results="$out/results.md"
{
    echo "# bench-http $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "wrk $threads threads, $connections connections, $duration per endpoint; nproc $(nproc);" \
        "$(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}');" \
        "load before: $(cut -d' ' -f1-3 /proc/loadavg); server RUST_LOG=warn," \
        "pool ${MTF_DB_POOL_SIZE:-16}, workers ${MTF_WORKERS:-$(nproc)}"
    echo
    echo "| endpoint | req/s | p50 ms | p99 ms | non-2xx / socket errors | server CPU µs/req | PostgreSQL CPU µs/req | server VmRSS / VmHWM MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
} >"$results"

# measure LABEL PORT PID [env...]: 3 s warm-up (discarded), then the measured run.
measure() {
    local label="$1" target="$2" pid="$3" line cpu_before pg_before output failed
    shift 3
    env "$@" BENCH_TAG="$tag-warm-$RANDOM" wrk -t"$threads" -c"$connections" -d3s \
        -s scripts/bench/wrk.lua "http://127.0.0.1:$target" >/dev/null
    cpu_before="$(cpu_ticks "$pid")"
    pg_before="$(pg_ticks)"
    output="$(env "$@" BENCH_TAG="$tag-$RANDOM" wrk -t"$threads" -c"$connections" -d"$duration" \
        --latency -s scripts/bench/wrk.lua "http://127.0.0.1:$target")"
    printf '== %s\n%s\n' "$label" "$output" >>"$out/wrk.log"
    line="$(sed -n 's/^BENCH //p' <<<"$output")"
    failed="$(sed -n 's/^FAILED STATUSES //p' <<<"$output")"
    [ -n "$failed" ] && notes+=("$label: non-2xx answers by status (status x count): $failed")
    python3 - "$label" "$line" "$(rss "$pid")" \
        "$(( ($(cpu_ticks "$pid") - cpu_before) * tick_us ))" \
        "$(( ($(pg_ticks) - pg_before) * tick_us ))" >>"$results" <<'PY'
import json, sys
label, data, mem = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3].split()
cpu_us, pg_us = int(sys.argv[4]), int(sys.argv[5])
print(f"| {label} | {data['rps']:.0f} | {data['p50_ms']:.2f} | {data['p99_ms']:.2f} | "
      f"{data['non_2xx_3xx']} / {data['socket_errors']} | {cpu_us / max(data['requests'], 1):.0f} | "
      f"{pg_us / max(data['requests'], 1):.0f} | "
      f"{mem[0]} / {mem[1]} |")
PY
    tail -1 "$results"
}

notes=()
echo "== measuring ($duration each)"
: >"$out/wrk.log"
measure "ceiling: bare actix + diesel offer PK read (no auth)" "$ceiling_port" "$ceiling_pid" \
    BENCH_MODE=get BENCH_PATH="/offers/$offer"
measure "GET /api/v1/offers/{id} (bearer)" "$port" "$SERVER_PID" \
    BENCH_MODE=get BENCH_PATH="/api/v1/offers/$offer" BENCH_TOKEN="$token"
if [ "$list_path" = "/api/v1/invoices?client_id=" ]; then
    measure "ceiling: bare actix + diesel, same 3 statements and fields (no auth)" \
        "$ceiling_port" "$ceiling_pid" \
        BENCH_MODE=rotate BENCH_PATH="/invoices?client_id=" BENCH_IDS="$data/clients.txt"
fi
measure "$list_label" "$port" "$SERVER_PID" \
    BENCH_MODE=rotate BENCH_PATH="$list_path" BENCH_IDS="$data/clients.txt" BENCH_TOKEN="$token"
measure "POST /api/v1/collections/payments (idempotent, 1 MAD)" "$port" "$SERVER_PID" \
    BENCH_MODE=payment BENCH_IDS="$data/clients.txt" BENCH_TOKEN="$token"
payments="$(psql "$url" -At -c "SELECT count(*) FROM payments")"
{
    echo
    echo "payments stored: $payments; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    for note in "${notes[@]}"; do echo "- $note"; done
} >>"$results"
echo
cat "$results"
