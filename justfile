# Daily conveniences; plain cargo works for everything (see README).

# Start the server on its embedded PostgreSQL (or DATABASE_URL).
run:
    cargo run --release

# The README's test command.
test:
    cargo test --workspace

# Formatting and lints, as CI runs them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Format the code.
fmt:
    cargo fmt --all

# Everything CI runs.
ci:
    bash .ci/run

# PDF rendering benchmark (contracts and invoices).
bench-pdf:
    cargo run --release -p adapters-pdf --example bench_pdf

# Walks the process map P0 -> P15 over real HTTP on a fresh embedded server; PDFs in target/demo.
demo:
    bash scripts/demo.sh

# Client portal end-to-end tests in headless Chromium (installs chromium and npm packages if
# missing, starts a fresh server); screenshots in target/e2e-screenshots.
e2e-ui *ARGS:
    bash e2e/run.sh {{ARGS}}

# Bills 100,000 contracts through the billing use case and compares with the physical floor
# (release build; private PostgreSQL cluster unless DATABASE_URL names a throw-away database).
# BENCH_USAGE_PER_CONTRACT=10 gives the plans allowances and each contract 10 usage records of
# the month (some over their allowances): the run rates them and writes usage lines and
# invoice_usage rows, and so does the floor.
bench-billing:
    cargo run --release -p app --example bench_billing

# Ingests 100,000 usage records through the use case of POST /usage/records and compares with a
# raw binary COPY of the same rows (release build; private PostgreSQL cluster unless
# DATABASE_URL names a throw-away database). See docs/benchmarks.md ("Usage ingestion").
bench-usage:
    cargo run --release -p app --example bench_usage

# Schemathesis over every operation of the served OpenAPI document (FUZZ_MAX_EXAMPLES, default
# 100; FUZZ_PROFILE=debug to skip the release build). See docs/reliability-fuzz.md.
fuzz-api:
    bash scripts/fuzz-api.sh

# HTTP load benchmark (wrk) of the release server on 10k clients / 100k invoices, against the
# bare actix + diesel ceiling; see docs/benchmarks-http.md.
bench-http:
    bash scripts/bench-http.sh

# Crash safety: SIGKILL during a billing run, a payment burst and webhook deliveries, retry,
# check the books in SQL and the receiver's log; see docs/reliability.md.
chaos:
    bash scripts/chaos.sh

# Backup during writes, restore into a new data folder, serve it, check the books; see
# docs/operations-lifecycle.md.
backup-check:
    bash scripts/backup-restore.sh

# One PostgreSQL, three server instances driven at once (billing runs, payments, dunning,
# landing submits), then the books checked in SQL; see docs/reliability.md.
scale-out:
    bash scripts/scale-out.sh

# Streams the sales journal of 100,000 invoices (the billing benchmark's) as CSV and JSON
# through the HTTP application and prints the peak resident memory; see docs/benchmarks.md.
bench-exports:
    cargo run --release -p app --example bench_exports

# Webhook delivery throughput to a local receiver and the outbox lag (release build; private
# PostgreSQL cluster unless DATABASE_URL names a throw-away database); see docs/benchmarks.md.
bench-webhooks:
    cargo run --release -p app --example bench_webhooks

# The outbox lag (event committed -> webhook received) under HTTP load: offer reads and
# payments at once on the release server; see docs/benchmarks.md.
bench-outbox-lag:
    bash scripts/bench-outbox-lag.sh

# UBL documents of every golden billing case and credit notes, validated against the OASIS UBL
# 2.1 schemas (installs xmllint from Debian when missing; decision 0301).
ubl-xsd:
    bash scripts/install-ubl-validator.sh
    MTF_UBL_XSD_REQUIRED=1 cargo test -p adapters-ubl

# Dunning of 100,000 debtors through the use case against a set-based SQL floor, then a second
# run the same day (release build; private PostgreSQL cluster unless DATABASE_URL names a
# throw-away database); see docs/benchmarks.md.
bench-dunning:
    cargo run --release -p app --example bench_dunning
