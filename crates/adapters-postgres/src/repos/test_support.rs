//! Shared setup of the repository contract tests: one seeded database per test, the ids it
//! holds, and probes of locks and errors.
//!
//! Every id a test passes to a repository is built by the one function of its kind below, so
//! a change of id type (`String` to a typed id) is one edit per kind here.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::{PgConnection, RunQueryDsl};
use domain::error::{Conflict, Error, Resource};
use domain::typed_ids::{
    ActorId, BillingRunId, CaseActionId, CaseId, ClientId, ContractId, DraftId, InvoiceId, OfferId,
    OtpChallengeId, SubscriberId,
};
use time::macros::datetime;
use time::OffsetDateTime;

use crate::rows::scalar::Count;
use crate::testing::{fresh_database, TestDatabase};

/// Offers A (with contracts) and B (without); clients 1 and 2, each with a line and an active
/// contract on offer A; client 3 without any history; one completed run.
pub(super) const SEED: &str = "
    INSERT INTO offers (id, code, name, service_type, monthly_price, tax_rate_bp,
        commitment_months, status, created_at, updated_at) VALUES
      ('ofr_A', 'OFFRE-A', 'Offre A', 'mobile', 9900, 2000, 12, 'active', now(), now()),
      ('ofr_B', 'OFFRE-B', 'Offre B', 'mobile', 4900, 2000, 12, 'active', now(), now());
    INSERT INTO clients (id, cin, first_name, last_name, address, city, status,
        created_at, updated_at) VALUES
      ('cli_1', 'AB100001', 'Amal', 'Un', 'Rue 1', 'Rabat', 'active', now(), now()),
      ('cli_2', 'AB100002', 'Badr', 'Deux', 'Rue 2', 'Rabat', 'active', now(), now()),
      ('cli_3', 'AB100003', 'Chama', 'Trois', 'Rue 3', 'Rabat', 'active', now(), now());
    INSERT INTO subscribers (id, client_id, service_type, service_identifier,
        created_at, updated_at) VALUES
      ('sub_1', 'cli_1', 'mobile', '+212600000001', now(), now()),
      ('sub_2', 'cli_2', 'mobile', '+212600000002', now(), now()),
      ('sub_3', 'cli_3', 'mobile', '+212600000003', now(), now());
    INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id,
        service_type, status, contract_start_date, commitment_months, commitment_end_date,
        monthly_price, currency, tax_rate_bp, created_at, updated_at) VALUES
      ('ctr_1', 'CTR-1', 'cli_1', 'sub_1', 'ofr_A', 'mobile', 'active', DATE '2026-01-01',
       12, DATE '2027-01-01', 9900, 'MAD', 2000, now(), now()),
      ('ctr_2', 'CTR-2', 'cli_2', 'sub_2', 'ofr_A', 'mobile', 'active', DATE '2026-01-01',
       12, DATE '2027-01-01', 9900, 'MAD', 2000, now(), now());
    INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp,
        start_date, created_at) VALUES
      ('ctr_1', 'ofr_A', 9900, 2000, DATE '2026-01-01', now()),
      ('ctr_2', 'ofr_A', 9900, 2000, DATE '2026-01-01', now());
    INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency,
        actor_id, created_at, updated_at) VALUES
      ('run_1', '2026-02', DATE '2026-03-01', DATE '2026-03-16', 'completed', false, 'MAD',
       'act_1', now(), now());";

/// What the contract tests add to [`SEED`]: an admin, a seller identity (100), two invoices of
/// client 1 (January due
/// after February's, so due-date order differs from id order), an open draft, a one-time-code
/// challenge of client 1 and an open collection case of client 1.
const MORE: &str = "
    INSERT INTO actors (id, name, roles, token_hash, active, created_at, updated_at) VALUES
      ('act_1', 'Admin', ARRAY['admin'], 'hash-1', true, now(), now());
    INSERT INTO seller_identities (id, name, address, ice, if_number, rc, tva_number) VALUES
      (100, 'Vendeur SA', 'Rue du Vendeur, Rabat', '001234567000089', '12345678', 'RC 1',
       'TVA 1');
    INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id,
        offer_id, service_type, period, issue_date, due_date, status, total_excl_tax,
        total_tax, total_incl_tax, currency, created_at, updated_at, buyer_name, buyer_cin,
        buyer_address, buyer_city, service_identifier, seller_identity_id) VALUES
      ('inv_1', 'FAC-1', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-01',
       DATE '2026-02-01', DATE '2026-04-30', 'issued', 9900, 1980, 11880, 'MAD', now(), now(),
       'Amal Un', 'AB100001', 'Rue 1', 'Rabat', '+212600000001', 100),
      ('inv_2', 'FAC-2', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-02',
       DATE '2026-03-01', DATE '2026-03-16', 'issued', 9900, 1980, 11880, 'MAD', now(), now(),
       'Amal Un', 'AB100001', 'Rue 1', 'Rabat', '+212600000001', 100);
    INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date,
        end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount,
        amount_incl_tax, contract_id) VALUES
      ('inv_1', 1, 'Offre A', 'ofr_A', DATE '2026-01-01', DATE '2026-01-31', 31, 9900, 9900,
       2000, 1980, 11880, 'ctr_1'),
      ('inv_2', 1, 'Offre A', 'ofr_A', DATE '2026-02-01', DATE '2026-02-28', 28, 9900, 9900,
       2000, 1980, 11880, 'ctr_1');
    INSERT INTO drafts (id, payload, status, expires_at, created_at, updated_at, created_by)
      VALUES ('drf_1', '{}', 'open', now() + interval '1 day', now(), now(), 'creator-1');
    INSERT INTO landing_otp_challenges (id, client_id, channel, code_hash, attempts_left,
        expires_at, created_at) VALUES
      ('otp_1', 'cli_1', 'sms', 'code-hash', 3, now() + interval '5 minutes', now());
    INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at,
        created_at, updated_at) VALUES
      ('case_1', 'cli_1', 'open', 0, now(), now(), now());";

/// A fresh database holding [`SEED`] and the rows of the contract tests, and a connection.
pub(super) fn seeded() -> (TestDatabase, PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    conn.batch_execute(SEED).expect("seed");
    conn.batch_execute(MORE)
        .expect("seed the contract-test rows");
    (db, conn)
}

/// A fixed instant, so no test depends on the wall clock.
pub(super) fn at() -> OffsetDateTime {
    datetime!(2026-03-20 10:00 UTC)
}

pub(super) fn actor_id(id: &str) -> ActorId {
    ActorId::from_stored(id)
}
pub(super) fn offer_id(id: &str) -> OfferId {
    OfferId::from_stored(id)
}
pub(super) fn client_id(id: &str) -> ClientId {
    ClientId::from_stored(id)
}
pub(super) fn subscriber_id(id: &str) -> SubscriberId {
    SubscriberId::from_stored(id)
}
pub(super) fn contract_id(id: &str) -> ContractId {
    ContractId::from_stored(id)
}
pub(super) fn draft_id(id: &str) -> DraftId {
    DraftId::from_stored(id)
}
pub(super) fn billing_run_id(id: &str) -> BillingRunId {
    BillingRunId::from_stored(id)
}
pub(super) fn invoice_id(id: &str) -> InvoiceId {
    InvoiceId::from_stored(id)
}
pub(super) fn case_id(id: &str) -> CaseId {
    CaseId::from_stored(id)
}
pub(super) fn case_action_id(id: &str) -> CaseActionId {
    CaseActionId::from_stored(id)
}
pub(super) fn otp_challenge_id(id: &str) -> OtpChallengeId {
    OtpChallengeId::from_stored(id)
}

/// Panics unless `result` failed with this conflict.
pub(super) fn assert_conflict<T: std::fmt::Debug>(
    result: domain::error::Result<T>,
    want: Conflict,
) {
    match result {
        Err(Error::Conflict(got)) if got == want => {}
        other => panic!("expected Conflict::{want:?}, got {other:?}"),
    }
}

/// Panics unless `result` failed with `NotFound` of this resource.
pub(super) fn assert_not_found<T: std::fmt::Debug>(
    result: domain::error::Result<T>,
    want: Resource,
) {
    match result {
        Err(Error::NotFound(got)) if got == want => {}
        other => panic!("expected NotFound({want:?}), got {other:?}"),
    }
}

/// Panics unless `result` failed with a storage fault.
pub(super) fn assert_storage<T: std::fmt::Debug>(result: domain::error::Result<T>) {
    match result {
        Err(Error::Storage(_)) => {}
        other => panic!("expected Error::Storage, got {other:?}"),
    }
}

/// Number of rows of `table` matching the SQL condition `condition`.
pub(super) fn count(conn: &mut PgConnection, table: &str, condition: &str) -> i64 {
    diesel::sql_query(format!(
        "SELECT count(*) AS n FROM {table} WHERE {condition}"
    ))
    .get_result::<Count>(conn)
    .expect("count")
    .n
}

/// Bills client 2 per account and gives it a second contract `contract` (on `ofr_A` since
/// 10 February 2026), on a new line `sub_4` of `service_type` numbered `service_identifier`.
pub(super) fn second_contract_of_client_2_billed_per_account(
    conn: &mut PgConnection,
    contract: &str,
    service_type: &str,
    service_identifier: &str,
) {
    let number = contract.to_uppercase().replace('_', "-");
    conn.batch_execute(&format!(
        "UPDATE clients SET invoicing = 'per_account' WHERE id = 'cli_2';
         INSERT INTO subscribers (id, client_id, service_type, service_identifier, created_at,
             updated_at) VALUES ('sub_4', 'cli_2', '{service_type}', '{service_identifier}',
             now(), now());
         INSERT INTO contracts (id, contract_number, client_id, subscriber_id, offer_id,
             service_type, status, contract_start_date, commitment_months, commitment_end_date,
             monthly_price, currency, tax_rate_bp, created_at, updated_at) VALUES
           ('{contract}', '{number}', 'cli_2', 'sub_4', 'ofr_A', '{service_type}', 'active',
            DATE '2026-02-10', 12, DATE '2027-02-10', 9900, 'MAD', 2000, now(), now());
         INSERT INTO contract_offer_periods (contract_id, offer_id, monthly_price, tax_rate_bp,
             start_date, created_at) VALUES ('{contract}', 'ofr_A', 9900, 2000,
             DATE '2026-02-10', now());"
    ))
    .expect("a second contract of client 2, billed per account");
}

/// Opens a transaction on `conn`, kept open until [`end`] (or the connection drops).
pub(super) fn begin(conn: &mut PgConnection) {
    conn.batch_execute("BEGIN").expect("begin");
}

/// Rolls back the transaction [`begin`] opened.
pub(super) fn end(conn: &mut PgConnection) {
    conn.batch_execute("ROLLBACK").expect("rollback");
}

/// A second connection in its own transaction that gives up waiting for a lock after 200 ms,
/// so "another transaction holds this row" shows as an error instead of a hung test.
pub(super) fn impatient(db: &TestDatabase) -> PgConnection {
    let mut conn = db.connect();
    conn.batch_execute("BEGIN; SET LOCAL lock_timeout = '200ms'")
        .expect("begin an impatient transaction");
    conn
}
