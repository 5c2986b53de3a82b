-- One long-standing client for the statement benchmark (issue #19, target 5), after seed.sql:
-- 10 years of monthly invoices (120, from 2015-01), each paid by a payment a few days after
-- its due date (120 payments and allocations), and a credit note every 30 months (4), part
-- applied to its invoice and part kept as credit. Its id is the last client id + 1, written by
-- the caller from `SELECT id FROM clients WHERE cin = 'ST900001'` (a CIN the domain accepts:
-- one or two letters, then digits; a 500 on every statement read otherwise).
\set ON_ERROR_STOP on
BEGIN;

INSERT INTO clients (id, cin, first_name, last_name, email, phone, address, city, birth_date,
                     status, created_at, updated_at)
VALUES ('cli_01JB5T00000000000000000001', 'ST900001', 'Ancien', 'Client',
        'ancien@example.ma', '0611111111', '1 avenue Mohammed V', 'Rabat', date '1970-01-01',
        'active', now(), now());
INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, updated_at)
VALUES ('sub_01JB5T00000000000000000001', 'cli_01JB5T00000000000000000001', 'mobile',
        '+212611111111', now(), now());
INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, service_type,
                       status, contract_start_date, commitment_months, commitment_end_date,
                       monthly_price, currency, tax_rate_bp, created_at, updated_at)
SELECT 'ctr_01JB5T00000000000000000001', 'CTR-2015-000001', 'cli_01JB5T00000000000000000001',
       'sub_01JB5T00000000000000000001', min(id), 'mobile', 'active', date '2015-01-01', 12,
       date '2016-01-01', 9900, 'MAD', 2000, now(), now()
  FROM offers;
-- One billing run per month of the ten years (the benchmark's runs cover 2025 only).
INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, invoice_count,
                          currency, actor_id, created_at, updated_at)
SELECT 'run_01JB5T' || lpad(upper(to_hex(m)), 20, '0'),
       to_char(date '2015-01-01' + (m - 1) * interval '1 month', 'YYYY-MM'),
       (date '2015-02-01' + (m - 1) * interval '1 month')::date,
       (date '2015-02-16' + (m - 1) * interval '1 month')::date, 'completed', false, 1,
       'MAD', 'act_bench', now(), now()
  FROM generate_series(1, 120) AS m;

INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, offer_id,
                      service_type, period, issue_date, due_date, status, total_excl_tax,
                      total_tax, total_incl_tax, amount_paid, currency, created_at, updated_at,
                      buyer_name, buyer_cin, buyer_address, buyer_city, service_identifier,
                      seller_identity_id)
SELECT 'inv_01JB5T' || lpad(upper(to_hex(m)), 20, '0'), 'FAC-STMT-' || lpad(m::text, 4, '0'),
       'run_01JB5T' || lpad(upper(to_hex(m)), 20, '0'), 'cli_01JB5T00000000000000000001',
       'ctr_01JB5T00000000000000000001', c.offer_id, 'mobile',
       to_char(date '2015-01-01' + (m - 1) * interval '1 month', 'YYYY-MM'),
       (date '2015-02-01' + (m - 1) * interval '1 month')::date,
       (date '2015-02-16' + (m - 1) * interval '1 month')::date, 'paid',
       10000, 2000, 12000, 12000, 'MAD',
       (date '2015-02-01' + (m - 1) * interval '1 month')::timestamptz,
       (date '2015-02-01' + (m - 1) * interval '1 month')::timestamptz,
       'Ancien Client', 'ST900001', '1 avenue Mohammed V', 'Rabat', '+212611111111',
       (SELECT min(id) FROM seller_identities)
  FROM generate_series(1, 120) AS m,
       (SELECT offer_id FROM contracts WHERE id = 'ctr_01JB5T00000000000000000001') AS c;

INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date, end_date, days,
                           monthly_price, amount_excl_tax, tax_rate_bp, tax_amount, amount_incl_tax,
                           contract_id)
SELECT i.id, 1, 'Abonnement ' || i.period, i.offer_id, to_date(i.period, 'YYYY-MM'),
       (to_date(i.period, 'YYYY-MM') + interval '1 month' - interval '1 day')::date, 30,
       10000, 10000, 2000, 2000, 12000, i.contract_id
  FROM invoices i WHERE i.client_id = 'cli_01JB5T00000000000000000001';

-- Each invoice paid in full five days after its due date.
INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at,
                      unallocated_amount, actor_id, created_at, updated_at)
SELECT 'pay_01JB5T' || lpad(upper(to_hex(m)), 20, '0'), 'cli_01JB5T00000000000000000001',
       12000, 'MAD', 'transfer', 'VIR-STMT-' || m,
       (date '2015-02-21' + (m - 1) * interval '1 month')::date, 0, 'act_bench',
       (date '2015-02-21' + (m - 1) * interval '1 month')::timestamptz,
       (date '2015-02-21' + (m - 1) * interval '1 month')::timestamptz
  FROM generate_series(1, 120) AS m;
INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at)
SELECT 'pay_01JB5T' || lpad(upper(to_hex(m)), 20, '0'),
       'inv_01JB5T' || lpad(upper(to_hex(m)), 20, '0'), 12000,
       (date '2015-02-21' + (m - 1) * interval '1 month')::timestamptz
  FROM generate_series(1, 120) AS m;

-- A credit note every 30 months, issued after its invoice was paid: all of it is client
-- credit, of which half is still unused.
INSERT INTO credit_notes (id, credit_note_number, invoice_id, client_id, issue_date, reason,
                          total_excl_tax, total_tax, total_incl_tax, applied_to_invoice,
                          credited_to_balance, credit_remaining, currency, actor_id, created_at)
SELECT 'cn_01JB5T' || lpad(upper(to_hex(m)), 20, '0'), 'AV-STMT-' || m,
       'inv_01JB5T' || lpad(upper(to_hex(m)), 20, '0'), 'cli_01JB5T00000000000000000001',
       (date '2015-03-01' + (m - 1) * interval '1 month')::date, 'Geste commercial',
       2500, 500, 3000, 0, 3000, 1500, 'MAD', 'act_bench',
       (date '2015-03-01' + (m - 1) * interval '1 month')::timestamptz
  FROM generate_series(30, 120, 30) AS m;

COMMIT;
ANALYZE;
