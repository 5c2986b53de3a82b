#!/usr/bin/env bash
# `just scale-out`: three server instances on one PostgreSQL driven at once, then the books
# checked in SQL (scripts/scale_out.py). Report in target/scale-out/report.md; results in
# docs/reliability.md. Knobs: SCALE_PROFILE (debug|release, default debug), SCALE_CLIENTS
# (200), SCALE_PAYMENTS (600).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
profile="${SCALE_PROFILE:-debug}"
if [ "$profile" = release ]; then cargo build --release --bin mt-facturation; else cargo build --bin mt-facturation; fi
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
mkdir -p target/scale-out
work="$(fresh_data_dir mtfs)"
cleanup() { stop_cluster "$work/data"; rm -rf "$work"; }
trap cleanup EXIT
python3 scripts/scale_out.py "target/$profile/mt-facturation" "$work" target/scale-out/report.md
