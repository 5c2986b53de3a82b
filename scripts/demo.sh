#!/usr/bin/env bash
# `just demo`: starts the server on its embedded default (fresh data dir) and walks P0 -> P15.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${DEMO_PROFILE:-release}"
if [ "$profile" = release ]; then cargo build --release --bin mt-facturation; else cargo build --bin mt-facturation; fi
bin="target/$profile/mt-facturation"
data="$(mktemp -d /tmp/mtf-demo.XXXXXX)"
port="${DEMO_PORT:-18090}"
token="demo-admin-$(date +%s)"
chmod 755 "$data"
MTF_DATA_DIR="$data" MTF_BIND="127.0.0.1:$port" MTF_BOOTSTRAP_ADMIN_TOKEN="$token" \
    MTF_DUNNING_SCHEDULE=off RUST_LOG=warn "$bin" &
server=$!
cleanup() { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
        "http://127.0.0.1:$port/api/v1/health" 2>/dev/null && break
    sleep 0.2
done
python3 scripts/demo.py "http://127.0.0.1:$port" "$token" target/demo
