#!/usr/bin/env bash
# `just backup-check`: backup during writes, restore into a new data folder, serve it, check the
# books (scripts/backup_restore.py). Report in target/backup/report.md.
# Knobs: BACKUP_PROFILE (debug|release, default debug), BACKUP_CLIENTS (300).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/server.sh
source scripts/lib/server.sh
profile="${BACKUP_PROFILE:-debug}"
if [ "$profile" = release ]; then cargo build --release --bin mt-facturation; else cargo build --bin mt-facturation; fi
command -v psql >/dev/null || { echo "psql is needed (apt-get install postgresql-client)" >&2; exit 1; }
mkdir -p target/backup
work="$(fresh_data_dir mtfb)"
cleanup() { stop_cluster "$work/source"; stop_cluster "$work/restored"; rm -rf "$work"; }
trap cleanup EXIT
python3 scripts/backup_restore.py "target/$profile/mt-facturation" "$work" target/backup/report.md
