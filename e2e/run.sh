#!/usr/bin/env bash
# `just e2e-ui`: the client portal's end-to-end tests in Debian's headless Chromium.
# Installs what is missing (chromium, the npm packages), builds and starts the server on a
# free port with a fresh data folder and admin token, runs the tests, and always stops the
# server. Screenshots: target/e2e-screenshots/. Server log: target/e2e-server.log.
# Extra arguments go to `node --test` (e.g. a test file).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's chromium, and its French UI strings (date inputs then read jj/mm/aaaa).
if ! command -v chromium >/dev/null 2>&1 || [ ! -e /usr/lib/chromium/locales/fr.pak ]; then
    echo "== installing Debian's chromium and chromium-l10n"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n >/dev/null
fi
export E2E_CHROMIUM="${E2E_CHROMIUM:-$(command -v chromium)}"

echo "== npm packages (playwright-core, its own browser download never used; axe-core)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

echo "== building the server"
cargo build --bin mt-facturation
bin="target/debug/mt-facturation"

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
data="$(mktemp -d /tmp/mtf-e2e.XXXXXX)"
chmod 755 "$data" # the embedded PostgreSQL runs as an unprivileged user
token="e2e-admin-$(node -e "console.log(require('crypto').randomBytes(12).toString('hex'))")"
log="target/e2e-server.log"
rm -rf target/e2e-screenshots
mkdir -p target/e2e-screenshots

echo "== starting the server on 127.0.0.1:$port (data in $data)"
MTF_DATA_DIR="$data" MTF_BIND="127.0.0.1:$port" MTF_BOOTSTRAP_ADMIN_TOKEN="$token" \
    MTF_DUNNING_SCHEDULE=off MTF_VERIFY_CIN_PER_MINUTE=1000 MTF_LANDING_PER_MINUTE=10000 \
    RUST_LOG="${RUST_LOG:-warn}" "$bin" >"$log" 2>&1 &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT INT TERM

up=""
for _ in $(seq 1 300); do
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the server stopped during start-up; its log:" >&2
        tail -40 "$log" >&2
        exit 1
    fi
    if node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" \
        "http://127.0.0.1:$port/api/v1/health"; then
        up=yes
        break
    fi
    sleep 0.2
done
if [ -z "$up" ]; then
    echo "the server did not answer /api/v1/health within 60 s; its log:" >&2
    tail -40 "$log" >&2
    exit 1
fi

echo "== end-to-end tests"
cd e2e
E2E_BASE_URL="http://127.0.0.1:$port" E2E_ADMIN_TOKEN="$token" \
    node --test --test-concurrency=1 "${@:-tests/}"
