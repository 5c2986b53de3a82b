#!/usr/bin/env bash
# `just fuzz-api`: schemathesis over every operation of the served OpenAPI document, against the
# server on its embedded PostgreSQL (fresh data dir), authenticated as the bootstrap admin.
#
# Environment:
#   FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 100; CI uses a small one)
#   FUZZ_PROFILE       cargo profile of the server binary: release (default) or debug
#   FUZZ_BIN           an already built server binary (skips the build)
#   FUZZ_SEED          schemathesis random seed (default: fixed, so runs are reproducible)
#   FUZZ_MAX_TIME      optional time budget in seconds for the whole schemathesis run
#   FUZZ_REPORT_DIR    where the JUnit report goes (default target/fuzz-report)
#   FUZZ_WORKERS       schemathesis workers (default 1: with threads, Python 3.11's ast.parse
#                      can fail inside hypothesis with "AST constructor recursion depth mismatch")
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
max_examples="${FUZZ_MAX_EXAMPLES:-100}"
profile="${FUZZ_PROFILE:-release}"
seed="${FUZZ_SEED:-20260310}"
report_dir="${FUZZ_REPORT_DIR:-target/fuzz-report}"
venv=target/fuzz-venv

step() { printf '\n== fuzz: %s\n' "$*"; }

step "schemathesis $SCHEMATHESIS_VERSION in $venv"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep "$SCHEMATHESIS_VERSION" >/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [ -n "${FUZZ_BIN:-}" ]; then
    bin="$FUZZ_BIN"
else
    step "server binary ($profile)"
    if [ "$profile" = release ]; then
        cargo build --release --bin mt-facturation
    else
        cargo build --bin mt-facturation
    fi
    bin="target/$profile/mt-facturation"
fi

work="$(mktemp -d /tmp/mtf-fuzz.XXXXXX)"
# The embedded cluster runs as the postgres user when we are root: it must reach the data dir.
chmod 755 "$work"
mkdir -m 755 "$work/data"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="fuzz-admin-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
base="http://127.0.0.1:$port"

step "server on $base (data in $work/data)"
MTF_DATA_DIR="$work/data" MTF_BIND="127.0.0.1:$port" MTF_BOOTSTRAP_ADMIN_TOKEN="$token" \
    MTF_DUNNING_SCHEDULE=off MTF_VERIFY_CIN_PER_MINUTE=1000000 MTF_LANDING_PER_MINUTE=1000000 \
    RUST_LOG="${RUST_LOG:-warn}" "$bin" >"$work/server.log" 2>&1 &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
        "$base/api/v1/health" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$work/server.log" >&2
        echo "fuzz: the server stopped before answering" >&2
        exit 1
    fi
    sleep 0.2
done

step "seed data and schemathesis configuration"
python3 scripts/fuzz_seed.py "$base" "$token" "$work/schemathesis.toml"

# Switching actors off and rotating tokens would lock the fuzzer out of every later operation
# (its own admin token is one of the actors it can reach), so those two operations run last,
# in their own pass, under a second admin's token.
actor_ops='/admin/actors/\{actor_id\}'
second_token="$(python3 - "$base" "$token" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
request = urllib.request.Request(
    f"{base}/api/v1/admin/actors",
    data=json.dumps({"name": "Fuzz actor management", "roles": ["admin"]}).encode(),
    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
)
print(json.load(urllib.request.urlopen(request, timeout=10))["token"])
PY
)"

step "schemathesis: every operation, --checks all, $max_examples examples"
mkdir -p "$report_dir"
extra=()
if [ -n "${FUZZ_MAX_TIME:-}" ]; then extra+=(--max-time "$FUZZ_MAX_TIME"); fi
status=0
fuzz() {
    local bearer="$1" report="$2"
    shift 2
    "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "$base/api/v1/openapi.json" \
        --checks all \
        --header "Authorization: Bearer $bearer" \
        --max-examples "$max_examples" \
        --seed "$seed" \
        --workers "${FUZZ_WORKERS:-1}" \
        --generation-database none \
        --generation-allow-x00 false \
        --no-color \
        --report junit --report-junit-path "$report_dir/$report" \
        "${extra[@]}" "$@" || status=$?
}
fuzz "$token" junit.xml --exclude-path-regex "$actor_ops"

step "schemathesis: actor management (switch off, new token), last"
fuzz "$second_token" junit-actors.xml --include-path-regex "$actor_ops"

if grep -q 'panicked' "$work/server.log"; then
    echo "fuzz: the server panicked:" >&2
    grep -A5 'panicked' "$work/server.log" >&2
    status=1
fi
exit "$status"
