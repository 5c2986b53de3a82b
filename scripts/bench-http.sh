#!/usr/bin/env bash
# `just bench-http`: HTTP load benchmark of the release server on a private PostgreSQL seeded
# with 10k clients and 100k invoices (and one client with ten years of history), against the
# bare actix + diesel ceilings (crates/app/examples/bench_ceiling.rs) on the same database.
# Per endpoint, two phases: closed loop (wrk, 64 connections) gives its maximum throughput; open
# loop (oha -q with latency correction; crates/app/examples/bench_open_loop.rs for payments,
# which need a key per request) then holds 50 % and 80 % of it and reports the latencies.
# Results in target/bench-http/results.md; docs/benchmarks-http.md explains them.
# Knobs: BENCH_DURATION (20s), BENCH_THREADS (2), BENCH_CONNECTIONS (64), BENCH_CLIENTS (10000,
# at least 8191: the open-loop list draws ids up to 0x1FFF), BENCH_INVOICES_PER_CLIENT (10),
# BENCH_OPEN_SECONDS (15), BENCH_PORT (a free one), BENCH_NO_BUILD, MTF_DB_POOL_SIZE, MTF_WORKERS.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh

duration="${BENCH_DURATION:-20s}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-64}"
clients="${BENCH_CLIENTS:-10000}"
per_client="${BENCH_INVOICES_PER_CLIENT:-10}"
open_seconds="${BENCH_OPEN_SECONDS:-15}"
port="${BENCH_PORT:-$(free_port)}"
out="target/bench-http"
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else echo "wrk is needed: sudo apt-get install wrk" >&2; exit 1; fi
fi
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
# oha: the open-loop load (constant rate, latency counted from the scheduled send).
export PATH="$HOME/.cargo/bin:$PATH"
command -v oha >/dev/null || cargo install oha --locked --version 1.16.0

# Separately: an example build enables dev-dependency features, which the server must not carry.
# BENCH_NO_BUILD=1 takes the binaries already in target/release as they are (for a second run,
# or when only an example-profile build fits in the time; say so with the figures).
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    cargo build --release --bin mt-facturation
    cargo build --release -p app --example bench_ceiling --example bench_open_loop
fi

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

# The landing's per-address limits would answer 429 to a load from one address: raised so the
# benchmark measures the work (the counters are still written on every call).
export MTF_VERIFY_CIN_PER_MINUTE=1000000000 MTF_VERIFY_CIN_PER_CIN_PER_HOUR=1000000000 \
    MTF_LANDING_PER_MINUTE=1000000000
# The archive's sealer off: it would spend the whole run rendering and sealing the PDFs of
# the 100,000 seeded invoices, a core's worth of background work that the billing benchmark
# measures on its own ("sealer on"), and that here took CPU from the endpoints being measured
# and from their ceilings alike (decision 0389).
export MTF_ARCHIVE_SEALER=off
# RUST_LOG=warn: the per-request info line is off, as in production at this load.
SERVER_RUST_LOG=warn start_server target/release/mt-facturation "$data" "$port" "$token" "$data/server.log"
wait_health "$port" 120
url="$(db_url "$data")"

echo "== seeding $clients clients, $((clients * per_client)) invoices"
seed_started=$(date +%s)
psql "$url" -q -v clients="$clients" -v invoices_per_client="$per_client" -f scripts/bench/seed.sql
psql "$url" -q -f scripts/bench/seed-statement.sql
# Vacuumed and checkpointed now, so autovacuum and the checkpointer stay out of the runs.
psql "$url" -q -c "VACUUM ANALYZE" -c "CHECKPOINT"
echo "   seeded in $(( $(date +%s) - seed_started )) s"
psql "$url" -At -c "SELECT id FROM clients WHERE cin <> 'ST900001' ORDER BY id" >"$data/clients.txt"
offer="$(psql "$url" -At -c "SELECT id FROM offers ORDER BY id LIMIT 1")"
history_client="$(psql "$url" -At -c "SELECT id FROM clients WHERE cin = 'ST900001'")"

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
    last_rps="$(python3 -c 'import json, sys; print(round(json.loads(sys.argv[1])["rps"]))' "$line")"
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
: >"$out/wrk.log"
: >"$out/oha.log"
# Open-loop rows go to their own table, printed after the closed-loop one.
open_results="$out/open-loop.md"
{
    echo
    echo "Open loop, ${open_seconds} s per rate, at 50 % and 80 % of the closed-loop throughput" \
        "measured just before it:"
    echo
    echo "| endpoint | load | target req/s | achieved req/s | p50 ms | p99 ms | max ms | failed | cut at the end |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$open_results"
# open_oha LABEL MAX_RPS OHA_ARGS...: oha at 50 % and 80 % of MAX_RPS, at a constant rate
# whatever the answers, latency counted from the scheduled send (--latency-correction).
open_oha() {
    local label="$1" max="$2" share rate json
    shift 2
    for share in 50 80; do
        rate=$(( max * share / 100 ))
        # --disable-compression: the same request as wrk's, whose maximum the rates are shares
        # of (wrk sends no Accept-Encoding; decision 0393).
        json="$(oha --no-tui --output-format json -z "${open_seconds}s" -q "$rate" \
            --latency-correction --disable-compression -c 256 "$@" 2>>"$out/oha.log")"
        printf '== %s at %s req/s\n%s\n' "$label" "$rate" "$json" >>"$out/oha.log"
        python3 - "$label" "$share" "$rate" "$json" >>"$open_results" <<'PY'
import json, sys
label, share, rate, data = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
summary, pct = data["summary"], data["latencyPercentiles"]
codes = data.get("statusCodeDistribution", {})
errors = dict(data.get("errorDistribution", {}))
# Requests still in flight when the run's time is up: oha counts them as errors.
cut = errors.pop("aborted due to deadline", 0)
failed = sum(n for code, n in codes.items() if not code.startswith("2")) + sum(errors.values())
print(f"| {label} | {share} % | {rate} | {summary['requestsPerSec']:.0f} | "
      f"{pct['p50'] * 1000:.2f} | {pct['p99'] * 1000:.2f} | {summary['slowest'] * 1000:.2f} | "
      f"{failed} | {cut} |")
PY
        tail -1 "$open_results"
    done
}
base="http://127.0.0.1:$port"
ceiling_base="http://127.0.0.1:$ceiling_port"

# Each endpoint: its maximum (closed loop), then at once its open loop at shares of that
# maximum, so the machine has not changed between the two (decision 0395). Each latency
# target is printed beside its floor: the bare ceiling doing the same reads at the same rates,
# from the same oha on the same two cores (decision 0389).
echo "== measuring ($duration each, then ${open_seconds} s per open-loop rate)"
measure "ceiling: bare actix + diesel offer PK read (no auth)" "$ceiling_port" "$ceiling_pid" \
    BENCH_MODE=get BENCH_PATH="/offers/$offer"
measure "GET /api/v1/offers/{id} (bearer)" "$port" "$SERVER_PID" \
    BENCH_MODE=get BENCH_PATH="/api/v1/offers/$offer" BENCH_TOKEN="$token"
offer_rps="$last_rps"
open_oha "GET /api/v1/offers/{id}" "$offer_rps" -H "Authorization: Bearer $token" \
    "$base/api/v1/offers/$offer"
open_oha "floor: bare ceiling, offer PK read (no auth)" "$offer_rps" "$ceiling_base/offers/$offer"

if [ "$list_path" = "/api/v1/invoices?client_id=" ]; then
    measure "ceiling: bare actix + diesel, same 4 statements and fields (no auth)" \
        "$ceiling_port" "$ceiling_pid" \
        BENCH_MODE=rotate BENCH_PATH="/invoices?client_id=" BENCH_IDS="$data/clients.txt"
fi
measure "$list_label" "$port" "$SERVER_PID" \
    BENCH_MODE=rotate BENCH_PATH="$list_path" BENCH_IDS="$data/clients.txt" BENCH_TOKEN="$token"
list_rps="$last_rps"
# Client ids 0x0001..0x1FFF drawn at random (the seed's ids are 'cli_01JB' + 22 hex digits).
list_ids='client_id=cli_01JB0{18}[01][0-9A-F]{2}[1-9A-F]'
open_oha "GET /api/v1/invoices?client_id=…" "$list_rps" -H "Authorization: Bearer $token" \
    --rand-regex-url "$base/api/v1/invoices\\?$list_ids"
open_oha "floor: bare ceiling, same 4 statements (no auth)" "$list_rps" \
    --rand-regex-url "$ceiling_base/invoices\\?$list_ids"
# The same list for a client that accepts gzip: what compressing its ~12 KB answers costs.
# Every other row, and the open loop, asks for uncompressed answers (decision 0393).
measure "$list_label, Accept-Encoding: gzip" "$port" "$SERVER_PID" \
    BENCH_MODE=rotate BENCH_PATH="$list_path" BENCH_IDS="$data/clients.txt" BENCH_TOKEN="$token" \
    BENCH_GZIP=1

measure "ceiling: payment, minimum SQL (claim, one set-based write, stored answer)" \
    "$ceiling_port" "$ceiling_pid" \
    BENCH_MODE=payment BENCH_PATH="/payments" BENCH_IDS="$data/clients.txt"
measure "POST /api/v1/collections/payments (idempotent, 1 MAD)" "$port" "$SERVER_PID" \
    BENCH_MODE=payment BENCH_IDS="$data/clients.txt" BENCH_TOKEN="$token"
payment_rps="$last_rps"
# Payments need a key per request: bench_open_loop, same method as oha -q --latency-correction.
for share in 50 80; do
    rate=$(( payment_rps * share / 100 ))
    open_line="$(TARGET="$base" RATE="$rate" DURATION="$open_seconds" BENCH_TOKEN="$token" \
        BENCH_IDS="$data/clients.txt" BENCH_TAG="$tag-open-$share" \
        target/release/examples/bench_open_loop | sed -n 's/^OPEN //p')"
    python3 - "$share" "$open_line" >>"$open_results" <<'PY'
import json, sys
share, data = sys.argv[1], json.loads(sys.argv[2])
print(f"| POST /api/v1/collections/payments (bench_open_loop) | {share} % | {data['target_rps']:.0f} | "
      f"{data['achieved_rps']:.0f} | {data['p50_ms']:.2f} | {data['p99_ms']:.2f} | "
      f"{data['max_ms']:.2f} | {data['failed']} | – |")
PY
    tail -1 "$open_results"
done

cin_body='{"cin":"BK000001"}'
measure "POST /api/v1/landing/clients/verify-cin (one CIN)" "$port" "$SERVER_PID" \
    BENCH_MODE=post BENCH_PATH="/api/v1/landing/clients/verify-cin" BENCH_BODY="$cin_body"
cin_rps="$last_rps"
open_oha "POST /api/v1/landing/clients/verify-cin" "$cin_rps" -m POST \
    -H "Content-Type: application/json" -d "$cin_body" "$base/api/v1/landing/clients/verify-cin"

lookup_token="$(curl -s -X POST -H 'Content-Type: application/json' -d "$cin_body" \
    "http://127.0.0.1:$port/api/v1/landing/clients/verify-cin" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["lookup_token"])')"
landing_path="/api/v1/landing/clients/BK000001/invoices?lookup_token=$lookup_token"
measure "GET /api/v1/landing/clients/{cin}/invoices (lookup token)" "$port" "$SERVER_PID" \
    BENCH_MODE=get BENCH_PATH="$landing_path"
landing_rps="$last_rps"
open_oha "GET /api/v1/landing/clients/{cin}/invoices" "$landing_rps" "$base$landing_path"

statement_path="/api/v1/customers/$history_client/statement"
measure "GET /api/v1/customers/{id}/statement (120 invoices, 120 payments, 4 credit notes)" \
    "$port" "$SERVER_PID" BENCH_MODE=get BENCH_PATH="$statement_path" BENCH_TOKEN="$token"
statement_rps="$last_rps"
open_oha "GET /api/v1/customers/{id}/statement" "$statement_rps" \
    -H "Authorization: Bearer $token" "$base$statement_path"
# The lightest read there is, at the statement's rates: the tail the machine adds to any
# request at that rate.
open_oha "floor: bare ceiling, offer PK read, at the statement's rates" "$statement_rps" \
    "$ceiling_base/offers/$offer"

cat "$open_results" >>"$results"
payments="$(psql "$url" -At -c "SELECT count(*) FROM payments")"
{
    echo
    echo "payments stored: $payments; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    for note in "${notes[@]}"; do echo "- $note"; done
} >>"$results"
echo
cat "$results"
