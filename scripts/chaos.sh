#!/usr/bin/env bash
# `just chaos`: crash safety. SIGKILLs the server during a billing run, during a burst of
# payments, during webhook deliveries and during a usage file's ingestion, restarts it, retries every Idempotency-Key and
# checks the books in SQL and the receiver's log; then stops and starts PostgreSQL under load
# while the server keeps running (scripts/chaos.py).
# Report in target/chaos/report.md; docs/reliability.md explains it.
# Knobs: CHAOS_PROFILE (release|debug), CHAOS_CONTRACTS (30000), CHAOS_PAYMENTS (1500),
# CHAOS_PARTS (abcwu), CHAOS_OUTAGE_SECS (4), CHAOS_WEBHOOK_EVENTS (1000),
# CHAOS_USAGE_RECORDS (100000).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
profile="${CHAOS_PROFILE:-release}"
if [ "$profile" = release ]; then cargo build --release --bin mt-facturation; else cargo build --bin mt-facturation; fi
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
mkdir -p target/chaos
data="$(fresh_data_dir mtfc)"
cleanup() { stop_cluster "$data"; rm -rf "$data"; }
trap cleanup EXIT
python3 scripts/chaos.py "target/$profile/mt-facturation" "$data" target/chaos/report.md
