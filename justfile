# MT-Facturation recipes (conveniences; cargo alone works).

# Bills 100,000 contracts through the billing use case and compares with the physical floor
# (release build; private PostgreSQL cluster unless DATABASE_URL names a throw-away database).
bench-billing:
    cargo run --release -p app --example bench_billing
