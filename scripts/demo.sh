#!/usr/bin/env bash
# `just demo`: starts the server on its embedded default (fresh data dir) and walks P0 -> P15.
# Needs python3 only (no curl or jq); works as root. DEMO_PROFILE=debug uses the debug binary,
# DEMO_PORT fixes the port (default: a free one), DEMO_STRICT=1 fails on unserved processes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
profile="${DEMO_PROFILE:-release}"
if [ "$profile" = release ]; then cargo build --release --bin mt-facturation; else cargo build --bin mt-facturation; fi
data="$(fresh_data_dir mtf-demo)"
port="${DEMO_PORT:-$(free_port)}"
token="demo-admin-$(date +%s)-$RANDOM"
cleanup() { [ -n "${SERVER_PID:-}" ] && stop_server "$SERVER_PID"; stop_cluster "$data"; rm -rf "$data"; }
trap cleanup EXIT
# Clearance on, by the built-in simulator (issue #18): documents are offered once cleared.
export MTF_EINVOICING=simulator MTF_EINVOICING_POLL_MS=200
start_server "target/$profile/mt-facturation" "$data" "$port" "$token" "$data/server.log"
if ! wait_health "$port" 120; then
    tail -20 "$data/server.log" >&2
    exit 1
fi
python3 scripts/demo.py "http://127.0.0.1:$port" "$token" target/demo
