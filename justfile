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
