#!/usr/bin/env bash
# Profiles POST /api/v1/collections/payments on the database side (issue #19, target 3):
# statements and round trips per payment, their execution time (pg_stat_statements) and the
# CPU time of the PostgreSQL processes per payment (/proc), over a wrk run.
# Usage: profile-payments.sh BASE_URL TOKEN PSQL_URL CLIENT_IDS_FILE [SECONDS] [CONNECTIONS]
# The cluster must preload pg_stat_statements (shared_preload_libraries) and have the
# extension created in the database; the server must use that database (DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/../.."
base="$1" token="$2" url="$3" ids="$4" seconds="${5:-20}" connections="${6:-16}"
pg_ticks() {
    local postmaster
    postmaster="$(psql "$url" -At -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" | head -1)"
    postmaster="$(ps -o ppid= -p "$postmaster" | tr -d ' ')"
    for pid in "$postmaster" $(ps -o pid= --ppid "$postmaster"); do
        awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || true
    done | awk '{sum += $1} END {print sum + 0}'
}
tick_us=$((1000000 / $(getconf CLK_TCK)))
before="$(psql "$url" -At -c "SELECT count(*) FROM payments")"
psql "$url" -q -c "SELECT pg_stat_statements_reset()" >/dev/null
ticks_before="$(pg_ticks)"
BENCH_MODE=payment BENCH_IDS="$ids" BENCH_TOKEN="$token" BENCH_TAG="profile-$(date +%s)-$RANDOM" \
    wrk -t2 -c"$connections" -d"${seconds}s" -s scripts/bench/wrk.lua "$base" | sed -n 's/^BENCH //p'
ticks_after="$(pg_ticks)"
after="$(psql "$url" -At -c "SELECT count(*) FROM payments")"
n=$((after - before))
echo "payments: $n; PostgreSQL CPU per payment: $(( (ticks_after - ticks_before) * tick_us / (n > 0 ? n : 1) )) µs (/proc, all backends)"
psql "$url" -P pager=off -c "
SELECT round(sum(calls)::numeric / $n, 2) AS statements_per_payment,
       round((sum(total_exec_time) * 1000 / $n)::numeric, 1) AS exec_us_per_payment,
       round((sum(total_plan_time) * 1000 / $n)::numeric, 1) AS plan_us_per_payment
FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
psql "$url" -P pager=off -c "
SELECT round(calls::numeric / $n, 2) AS per_payment,
       round(plans::numeric / $n, 2) AS plans_per_payment,
       round((total_exec_time * 1000 / GREATEST(calls, 1))::numeric, 1) AS exec_us,
       round((total_exec_time * 1000 / $n)::numeric, 1) AS us_per_payment,
       round((total_plan_time * 1000 / $n)::numeric, 1) AS plan_us_per_payment,
       shared_blks_hit / GREATEST(calls, 1) AS blks_hit,
       left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY total_exec_time + total_plan_time DESC LIMIT 25"
