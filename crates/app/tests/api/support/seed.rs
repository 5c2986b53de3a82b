//! Direct SQL seeding for tests that need data owned by other features (fast, no HTTP).
//! Ids are prefixed ULIDs like the application's own.

use time::Date;

use super::TestApp;

fn id(prefix: &str) -> String {
    format!("{prefix}{}", ulid::Ulid::new())
}

/// An active offer; returns its id.
pub fn offer(app: &TestApp, code: &str, service_type: &str, monthly_price: i64) -> String {
    let id = id("ofr_");
    app.sql(&format!(
        "INSERT INTO offers (id, code, name, description, service_type, monthly_price, currency, \
         tax_rate_bp, commitment_months, status, created_at, updated_at) VALUES \
         ('{id}', '{code}', 'Offre {code}', '', '{service_type}', {monthly_price}, 'MAD', 2000, \
         12, 'active', now(), now())"
    ));
    id
}

/// An active client with this CIN; returns its id.
pub fn client(app: &TestApp, cin: &str) -> String {
    let id = id("cli_");
    app.sql(&format!(
        "INSERT INTO clients (id, cin, first_name, last_name, email, phone, address, city, \
         status, created_at, updated_at) VALUES ('{id}', '{cin}', 'Hajar', 'Benkirane', \
         'hajar@example.ma', '+212612345678', '12 rue Talaa', 'Fès', 'active', now(), now())"
    ));
    id
}

/// A line of `client_id`; returns its id.
pub fn subscriber(app: &TestApp, client_id: &str, service_type: &str, identifier: &str) -> String {
    let id = id("sub_");
    app.sql(&format!(
        "INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, \
         updated_at) VALUES ('{id}', '{client_id}', '{service_type}', '{identifier}', now(), now())"
    ));
    id
}

/// A contract of `client_id` on `offer_id` for a new line, with its first offer period, at
/// the offer's current price; returns its id.
pub fn contract(
    app: &TestApp,
    client_id: &str,
    offer_id: &str,
    start: Date,
    status: &str,
) -> String {
    let id = id("ctr_");
    let line = format!("+2126{:08}", rand_digits());
    let sub = subscriber(app, client_id, "mobile", &line);
    let number = format!("CTR-TEST-{}", &id[4..14]);
    app.sql(&format!(
        "INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, \
         service_type, status, contract_start_date, commitment_months, commitment_end_date, \
         monthly_price, currency, tax_rate_bp, termination_date, document_version, \
         suspended_by_dunning, created_at, updated_at) \
         SELECT '{id}', '{number}', '{client_id}', '{sub}', o.id, o.service_type, '{status}', \
         DATE '{start}', 12, DATE '{start}' + INTERVAL '12 months', o.monthly_price, o.currency, \
         o.tax_rate_bp, NULL, 1, false, now(), now() FROM offers o WHERE o.id = '{offer_id}'"
    ));
    app.sql(&format!(
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp, \
         start_date, end_date, created_at) SELECT '{id}', o.id, o.monthly_price, o.tax_rate_bp, \
         DATE '{start}', NULL, now() FROM offers o WHERE o.id = '{offer_id}'"
    ));
    id
}

fn rand_digits() -> u64 {
    let n = ulid::Ulid::new().random();
    u64::try_from(n % 100_000_000).unwrap_or(0)
}

/// Id of the billing run every seeded invoice belongs to.
pub const SEED_RUN_ID: &str = "run_01JD0000000000000000000000";

/// An `issued` invoice of `contract_id` (with one line) totalling `total_incl_tax`
/// (20 % TVA included), under a seeded billing run written once; returns its id.
pub fn invoice(
    app: &TestApp,
    client_id: &str,
    contract_id: &str,
    period: &str,
    issue_date: Date,
    due_date: Date,
    total_incl_tax: i64,
) -> String {
    app.sql(&format!(
        "INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency, \
         actor_id, created_at, updated_at) VALUES ('{SEED_RUN_ID}', '{period}', \
         DATE '{issue_date}', DATE '{due_date}', 'completed', false, 'MAD', 'system', now(), \
         now()) ON CONFLICT (id) DO NOTHING"
    ));
    let id = id("inv_");
    let number = format!("FAC-TEST-{}", &id[4..]);
    let excl = total_incl_tax * 10_000 / 12_000;
    let tax = total_incl_tax - excl;
    app.sql(&format!(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
         offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, \
         total_tax, total_incl_tax, amount_paid, currency, created_at, updated_at, buyer_name, \
         buyer_cin, buyer_address, buyer_city, service_identifier, seller_identity_id) \
         SELECT '{id}', '{number}', '{SEED_RUN_ID}', '{client_id}', c.id, c.offer_id, \
         c.service_type, '{period}', DATE '{issue_date}', DATE '{due_date}', 'issued', {excl}, \
         {tax}, {total_incl_tax}, 0, 'MAD', now(), now(), cl.first_name || ' ' || cl.last_name, \
         cl.cin, cl.address, cl.city, s.service_identifier, \
         (SELECT min(id) FROM seller_identities WHERE NOT pending) \
         FROM contracts c JOIN clients cl ON cl.id = c.client_id \
         JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = '{contract_id}'"
    ));
    app.sql(&format!(
        "INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date, \
         end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount, \
         amount_incl_tax, contract_id) SELECT '{id}', 1, 'Abonnement {period}', c.offer_id, \
         DATE '{issue_date}', DATE '{issue_date}', 1, {excl}, {excl}, 2000, {tax}, \
         {total_incl_tax}, c.id FROM contracts c WHERE c.id = '{contract_id}'"
    ));
    id
}

/// Moves `contract_id` to `offer_id` from `effective` (first day on the new offer): closes
/// the current offer period there and opens a new one at the offer's price, like a plan
/// change does.
pub fn plan_change(app: &TestApp, contract_id: &str, offer_id: &str, effective: Date) {
    app.sql(&format!(
        "UPDATE contract_offer_periods SET end_date = DATE '{effective}' \
         WHERE contract_id = '{contract_id}' AND end_date IS NULL"
    ));
    app.sql(&format!(
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp, \
         start_date, end_date, created_at) SELECT '{contract_id}', o.id, o.monthly_price, \
         o.tax_rate_bp, DATE '{effective}', NULL, now() FROM offers o WHERE o.id = '{offer_id}'"
    ));
    app.sql(&format!(
        "UPDATE contracts c SET offer_id = o.id, monthly_price = o.monthly_price, \
         tax_rate_bp = o.tax_rate_bp, contract_start_date = DATE '{effective}' \
         FROM offers o WHERE o.id = '{offer_id}' AND c.id = '{contract_id}'"
    ));
}

/// Terminates `contract_id` with `last_day` as its last day of service.
pub fn terminate(app: &TestApp, contract_id: &str, last_day: Date) {
    app.sql(&format!(
        "UPDATE contracts SET status = 'terminated', termination_date = DATE '{last_day}' \
         WHERE id = '{contract_id}'"
    ));
    app.sql(&format!(
        "UPDATE contract_offer_periods SET end_date = DATE '{last_day}' + 1 \
         WHERE contract_id = '{contract_id}' AND end_date IS NULL"
    ));
}

/// `count` active contracts of `client_id` on `offer_id` from `start`, each on its own line,
/// written server-side in two statements (ids `ctr_BULK…`, sortable, unique per call tag).
pub fn many_contracts(
    app: &TestApp,
    tag: &str,
    client_id: &str,
    offer_id: &str,
    count: i64,
    start: Date,
) {
    app.sql(&format!(
        "INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at, \
         updated_at) SELECT 'sub_BULK{tag}' || lpad(n::text, 8, '0'), '{client_id}', 'mobile', \
         '+2127{tag}' || lpad(n::text, 7, '0'), now(), now() FROM generate_series(1, {count}) n"
    ));
    app.sql(&format!(
        "INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id, \
         service_type, status, contract_start_date, commitment_months, commitment_end_date, \
         monthly_price, currency, tax_rate_bp, termination_date, document_version, \
         suspended_by_dunning, created_at, updated_at) \
         SELECT 'ctr_BULK{tag}' || lpad(n::text, 8, '0'), 'CTR-BULK{tag}-' || n, '{client_id}', \
         'sub_BULK{tag}' || lpad(n::text, 8, '0'), o.id, o.service_type, 'active', \
         DATE '{start}', 0, DATE '{start}', o.monthly_price, o.currency, o.tax_rate_bp, NULL, \
         1, false, now(), now() FROM offers o, generate_series(1, {count}) n \
         WHERE o.id = '{offer_id}'"
    ));
    app.sql(&format!(
        "INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp, \
         start_date, end_date, created_at) SELECT 'ctr_BULK{tag}' || lpad(n::text, 8, '0'), \
         o.id, o.monthly_price, o.tax_rate_bp, DATE '{start}', NULL, now() \
         FROM offers o, generate_series(1, {count}) n WHERE o.id = '{offer_id}'"
    ));
}
