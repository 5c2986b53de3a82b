# Shared by bench-http.sh and chaos.sh (sourced): start the server on a fresh embedded data
# folder, wait for it, reach its PostgreSQL, stop it. Needs python3 and psql only.

# A fresh, short data folder (the PostgreSQL socket path must stay under 107 bytes); 0755 so
# the unprivileged `postgres` account can enter it when we run as root.
fresh_data_dir() {
    local dir
    dir="$(mktemp -d "/tmp/${1:-mtf}-XXXX")"
    chmod 755 "$dir"
    printf '%s\n' "$dir"
}

# A TCP port free right now on 127.0.0.1 (other checkouts may run their own demo or bench on
# the same machine, and a fixed port would let this script talk to their server).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server BIN DATA PORT TOKEN [LOG]: starts it in the background; sets SERVER_PID.
start_server() {
    local bin="$1" data="$2" port="$3" token="$4" log="${5:-/dev/null}"
    MTF_DATA_DIR="$data" MTF_BIND="127.0.0.1:$port" MTF_BOOTSTRAP_ADMIN_TOKEN="$token" \
        MTF_DUNNING_SCHEDULE=off RUST_LOG="${SERVER_RUST_LOG:-warn}" "$bin" >>"$log" 2>&1 &
    SERVER_PID=$!
}

# wait_health PORT [SECONDS]: until GET /api/v1/health answers 200, while SERVER_PID lives.
wait_health() {
    local port="$1" tries=$(( ${2:-60} * 5 ))
    for _ in $(seq 1 "$tries"); do
        if [ -n "${SERVER_PID:-}" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "the server exited before answering" >&2
            return 1
        fi
        if python3 - "http://127.0.0.1:$port/api/v1/health" <<'PY' 2>/dev/null; then return 0; fi
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=1) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
        sleep 0.2
    done
    echo "server on port $port did not become healthy" >&2
    return 1
}

# db_url DATA: the libpq connection string of the embedded cluster (unix socket, trust).
db_url() {
    printf 'host=%s/postgres port=5432 user=mtf dbname=mtf\n' "$1"
}

# stop_server PID: SIGTERM (graceful: stops the embedded cluster too) and wait.
stop_server() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# stop_cluster DATA: stops an embedded cluster left running by a killed server.
stop_cluster() {
    local data="$1" ctl
    [ -f "$data/postgres/postmaster.pid" ] || return 0
    ctl="$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)"
    if [ "$(id -u)" = 0 ]; then
        su -s /bin/sh "$(stat -c %U "$data/postgres")" -c "$ctl stop -m immediate -D '$data/postgres'" >/dev/null 2>&1 || true
    else
        "$ctl" stop -m immediate -D "$data/postgres" >/dev/null 2>&1 || true
    fi
}
