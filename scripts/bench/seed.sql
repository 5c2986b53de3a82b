-- Seeds a benchmark / chaos base straight in SQL (server-side generate_series, seconds even at
-- 100k rows). Variables (psql -v): clients (one mobile line and one active contract each),
-- invoices_per_client (past monthly invoices of each contract, 0 for none).
-- Ids are the application's format: prefix + a 26-character ULID (here 01JB + 22 hex digits,
-- all valid Crockford base32), so the API accepts them in paths.
\set ON_ERROR_STOP on
BEGIN;

INSERT INTO offers (id, code, name, description, service_type, monthly_price, currency,
                    tax_rate_bp, commitment_months, status, created_at, updated_at)
SELECT 'ofr_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'BENCH-' || n, 'Mobile Bench ' || n,
       'Offre de charge', 'mobile', 9900 + 100 * n, 'MAD', 2000, 12, 'active', now(), now()
  FROM generate_series(1, 20) AS n;

INSERT INTO clients (id, cin, first_name, last_name, email, phone, address, city, birth_date,
                     status, created_at, updated_at)
SELECT 'cli_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'BK' || lpad(n::text, 6, '0'),
       'Prenom' || n, 'Nom' || n, 'client' || n || '@example.ma', '06' || lpad(n::text, 8, '0'),
       n || ' rue Talaa', 'Rabat', date '1990-01-01' + (n % 7000), 'active', now(), now()
  FROM generate_series(1, :clients) AS n;

INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, updated_at)
SELECT 'sub_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'cli_01JB' || lpad(upper(to_hex(n)), 22, '0'),
       'mobile', '+2126' || lpad(n::text, 8, '0'), now(), now()
  FROM generate_series(1, :clients) AS n;

INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, service_type,
                       status, contract_start_date, commitment_months, commitment_end_date,
                       monthly_price, currency, tax_rate_bp, created_at, updated_at)
SELECT 'ctr_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'CTR-2025-' || lpad(n::text, 6, '0'),
       'cli_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'sub_01JB' || lpad(upper(to_hex(n)), 22, '0'),
       'ofr_01JB' || lpad(upper(to_hex(1 + n % 20)), 22, '0'), 'mobile', 'active',
       date '2025-01-01', 12, date '2026-01-01', 9900 + 100 * (1 + n % 20), 'MAD', 2000, now(), now()
  FROM generate_series(1, :clients) AS n;

INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp,
                                    start_date, end_date, created_at)
SELECT 'ctr_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'ofr_01JB' || lpad(upper(to_hex(1 + n % 20)), 22, '0'),
       9900 + 100 * (1 + n % 20), 2000, date '2025-01-01', NULL, now()
  FROM generate_series(1, :clients) AS n;

-- One completed run per past month (2025-01 ...), then that month's invoice of every contract.
INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, invoice_count,
                          currency, actor_id, created_at, updated_at)
SELECT 'run_01JB' || lpad(upper(to_hex(m)), 22, '0'), to_char(date '2025-01-01' + (m - 1) * interval '1 month', 'YYYY-MM'),
       (date '2025-02-01' + (m - 1) * interval '1 month')::date,
       (date '2025-02-16' + (m - 1) * interval '1 month')::date, 'completed', false, :clients,
       'MAD', 'act_bench', now(), now()
  FROM generate_series(1, :invoices_per_client) AS m;

INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, offer_id,
                      service_type, period, issue_date, due_date, status, total_excl_tax,
                      total_tax, total_incl_tax, amount_paid, currency, created_at, updated_at,
                      buyer_name, buyer_cin, buyer_address, buyer_city, service_identifier,
                      seller_identity_id)
SELECT 'inv_01JB' || lpad(upper(to_hex(m * 1000000 + n)), 22, '0'),
       'FAC-2025-' || lpad(((m - 1) * :clients + n)::text, 6, '0'),
       'run_01JB' || lpad(upper(to_hex(m)), 22, '0'),
       'cli_01JB' || lpad(upper(to_hex(n)), 22, '0'), 'ctr_01JB' || lpad(upper(to_hex(n)), 22, '0'),
       'ofr_01JB' || lpad(upper(to_hex(1 + n % 20)), 22, '0'), 'mobile',
       to_char(date '2025-01-01' + (m - 1) * interval '1 month', 'YYYY-MM'),
       (date '2025-02-01' + (m - 1) * interval '1 month')::date,
       (date '2025-02-16' + (m - 1) * interval '1 month')::date, 'issued',
       10000, 2000, 12000, 0, 'MAD', now(), now(),
       'Prenom' || n || ' Nom' || n, 'BK' || lpad(n::text, 6, '0'), n || ' rue Talaa', 'Rabat',
       '+2126' || lpad(n::text, 8, '0'),
       -- The migration's seller identity, which the server's first start fills in.
       (SELECT min(id) FROM seller_identities)
  FROM generate_series(1, :invoices_per_client) AS m, generate_series(1, :clients) AS n;

INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date, end_date, days,
                           monthly_price, amount_excl_tax, tax_rate_bp, tax_amount, amount_incl_tax,
                           contract_id)
SELECT i.id, 1, 'Abonnement ' || i.period, i.offer_id, to_date(i.period, 'YYYY-MM'),
       (to_date(i.period, 'YYYY-MM') + interval '1 month' - interval '1 day')::date, 30,
       10000, 10000, 2000, 2000, 12000, i.contract_id
  FROM invoices i WHERE i.invoice_number LIKE 'FAC-2025-%';

-- The legal sequences continue after the seeded numbers.
INSERT INTO number_sequences (name, year, last_value)
SELECT 'FAC', 2025, count(*) FROM invoices WHERE invoice_number LIKE 'FAC-2025-%'
HAVING count(*) > 0;
INSERT INTO number_sequences (name, year, last_value) VALUES ('CTR', 2025, :clients);

COMMIT;
ANALYZE;
