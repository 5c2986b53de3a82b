//! The billing benchmark's customer base, shared by the benchmarks that need invoices
//! (`bench_billing`, `bench_exports`).

use std::error::Error;

use diesel::{PgConnection, RunQueryDsl};

/// Six offers (two per service type), a line and a contract per contract, a client per
/// `k` contracts (a company billed per account when `k` > 1); one contract in ten starts
/// during February, one in ten changes plan on 15 February.
pub fn seed_accounts(conn: &mut PgConnection, n: i64, k: i64) -> Result<(), Box<dyn Error>> {
    let clients = (n + k - 1) / k;
    let client_rows = if k > 1 {
        format!(
            "INSERT INTO clients (id, kind, company_name, ice, invoicing, email, phone, address, \
             city, status, created_at, updated_at) SELECT 'cli_B' || lpad(m::text, 9, '0'), \
             'company', 'Société ' || m, lpad(m::text, 15, '0'), 'per_account', NULL, NULL, \
             'Rue ' || m, 'Rabat', 'active', now(), now() FROM generate_series(1, {clients}) m"
        )
    } else {
        format!(
            "INSERT INTO clients (id, cin, first_name, last_name, email, phone, address, city, \
             status, created_at, updated_at) SELECT 'cli_B' || lpad(n::text, 9, '0'), \
             'BK' || lpad(n::text, 7, '0'), 'Client', 'N' || n, NULL, NULL, 'Rue ' || n, \
             'Rabat', 'active', now(), now() FROM generate_series(1, {n}) n"
        )
    };
    let statements = [
        "INSERT INTO offers (id, code, name, description, service_type, monthly_price, currency, \
         tax_rate_bp, commitment_months, status, created_at, updated_at) \
         SELECT 'ofr_BENCH' || i, 'BENCH-' || i, 'Offre ' || i, '', \
         (ARRAY['mobile', 'internet', 'landline'])[i / 2 + 1], 4900 + 5000 * i, 'MAD', 2000, 12, \
         'active', now(), now() FROM generate_series(0, 5) i"
            .to_owned(),
        client_rows,
        // The offer a contract has now: its first one, or the other of its type after a change.
        format!(
            "CREATE TEMP TABLE bench_plan AS SELECT n, (n - 1) / {k} + 1 AS m, \
             'ofr_BENCH' || (n % 6) AS first_offer, \
             'ofr_BENCH' || ((n % 6) # 1) AS other_offer, \
             CASE WHEN n % 10 = 0 THEN DATE '2026-02-01' + (n % 27 + 1)::int \
                  ELSE DATE '2025-06-01' END AS start_date, (n % 10 = 5) AS changes \
             FROM generate_series(1, {n}) n"
        ),
        "INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, \
         updated_at) SELECT 'sub_B' || lpad(p.n::text, 9, '0'), 'cli_B' || lpad(p.m::text, 9, '0'), \
         o.service_type, '+2126' || lpad(p.n::text, 8, '0'), now(), now() \
         FROM bench_plan p JOIN offers o ON o.id = p.first_offer"
            .to_owned(),
        "INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, \
         service_type, status, contract_start_date, commitment_months, commitment_end_date, \
         monthly_price, currency, tax_rate_bp, termination_date, document_version, \
         suspended_by_dunning, created_at, updated_at) \
         SELECT 'ctr_B' || lpad(p.n::text, 9, '0'), 'CTR-BENCH-' || p.n, \
         'cli_B' || lpad(p.m::text, 9, '0'), 'sub_B' || lpad(p.n::text, 9, '0'), o.id, \
         o.service_type, 'active', \
         CASE WHEN p.changes THEN DATE '2026-02-15' ELSE p.start_date END, 12, DATE '2027-06-01', \
         o.monthly_price, 'MAD', o.tax_rate_bp, NULL, 1, false, now(), now() \
         FROM bench_plan p JOIN offers o \
           ON o.id = CASE WHEN p.changes THEN p.other_offer ELSE p.first_offer END"
            .to_owned(),
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp, \
         start_date, end_date, created_at) \
         SELECT 'ctr_B' || lpad(p.n::text, 9, '0'), o.id, o.monthly_price, o.tax_rate_bp, \
         p.start_date, CASE WHEN p.changes THEN DATE '2026-02-15' END, now() \
         FROM bench_plan p JOIN offers o ON o.id = p.first_offer"
            .to_owned(),
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp, \
         start_date, end_date, created_at) \
         SELECT 'ctr_B' || lpad(p.n::text, 9, '0'), o.id, o.monthly_price, o.tax_rate_bp, \
         DATE '2026-02-15', NULL, now() \
         FROM bench_plan p JOIN offers o ON o.id = p.other_offer WHERE p.changes"
            .to_owned(),
        "DROP TABLE bench_plan".to_owned(),
        "ANALYZE".to_owned(),
    ];
    for statement in statements {
        diesel::sql_query(statement).execute(conn)?;
    }
    Ok(())
}

/// Usage for the billing benchmark (`BENCH_USAGE_PER_CONTRACT`): every offer and offer period
/// gets usage terms (1 h of calls, 50 SMS, 1 GiB of data, unlimited on odd offers; 1.50 MAD a
/// started minute, 0.50 MAD an SMS, 0.10 MAD a started MB), and each of the `n` contracts
/// `per_contract` February records (calls, SMS and data in turn, none before its start):
/// about 40 % of full-month contracts go over on calls, 40 % on SMS, half on data of the
/// limited offers, so the run writes usage lines and `invoice_usage` rows.
#[allow(dead_code)] // `bench_exports` seeds no usage.
pub fn seed_usage(
    conn: &mut PgConnection,
    n: i64,
    per_contract: i64,
) -> Result<(), Box<dyn Error>> {
    // The columns are the same on offers and on their periods' snapshots; `offer` names the
    // offer id column of the table updated.
    let terms = |offer: &str| {
        format!(
            "usage_terms = true, allowance_voice_seconds = 3600, allowance_sms = 50, \
             allowance_data_bytes = CASE WHEN right({offer}, 1)::int % 2 = 1 THEN NULL \
             ELSE 1073741824 END, rate_voice_per_minute = 150, rate_sms_each = 50, \
             rate_data_per_mb = 10"
        )
    };
    let statements = [
        format!(
            "UPDATE offers SET {} WHERE id LIKE 'ofr_BENCH%'",
            terms("id")
        ),
        format!(
            "UPDATE contract_offer_periods SET {} WHERE offer_id LIKE 'ofr_BENCH%'",
            terms("offer_id")
        ),
        format!(
            "INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, \
             started_at, usage_date, quantity, received_at) \
             SELECT 'cdr_B' || c.n || '_' || j, 'ctr_B' || lpad(c.n::text, 9, '0'), \
             '+2126' || lpad(c.n::text, 8, '0'), k.kind, \
             (d.day + time '10:00') AT TIME ZONE 'Africa/Casablanca', d.day, \
             CASE k.kind WHEN 'voice' THEN 600 + (c.n % 5) * 300 \
                         WHEN 'sms' THEN c.n % 20 + 1 \
                         ELSE 1 + (c.n % 4) * 209715200 END, now() \
             FROM generate_series(1, {n}) c(n) CROSS JOIN generate_series(1, {per_contract}) j \
             CROSS JOIN LATERAL (SELECT (ARRAY['voice', 'sms', 'data'])[j % 3 + 1] AS kind) k \
             CROSS JOIN LATERAL (SELECT greatest( \
               CASE WHEN c.n % 10 = 0 THEN DATE '2026-02-01' + (c.n % 27 + 1)::int \
                    ELSE DATE '2026-02-01' END, \
               DATE '2026-02-01' + ((c.n + j) % 28)::int) AS day) d"
        ),
        "ANALYZE usage_records".to_owned(),
    ];
    for statement in statements {
        diesel::sql_query(statement).execute(conn)?;
    }
    Ok(())
}
