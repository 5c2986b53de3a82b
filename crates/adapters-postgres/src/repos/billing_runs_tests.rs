//! `BillingRunRepository` against PostgreSQL: a run is found by its key, and a locking batch
//! skips the contracts another batch holds.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::billing::{BatchQuery, BillingRunRepository, Period, RunKey};
use domain::typed_ids::ContractId;

use super::test_support::{
    assert_storage, begin, billing_run_id, end, impatient,
    second_contract_of_client_2_billed_per_account, seeded,
};
use crate::tx::PgTx;

fn batch(period: &str, lock: bool) -> BatchQuery {
    BatchQuery {
        period: Period::parse(period).unwrap(),
        after: String::new(),
        limit: 10,
        lock,
    }
}

fn key(key: &str) -> RunKey {
    RunKey {
        scope: "act_1".to_owned(),
        key: key.to_owned(),
        fingerprint: format!("fp-{key}"),
    }
}

#[test]
fn a_run_is_found_by_its_key_with_its_fingerprint() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut run = tx.find(&billing_run_id("run_1")).unwrap().expect("run");
    run.id = billing_run_id("run_2");
    run.period = Period::parse("2026-03").unwrap();
    tx.insert(&run, &key("k1")).expect("insert");
    assert_eq!(
        tx.find_by_key("act_1", "k1").unwrap(),
        Some((run, "fp-k1".to_owned()))
    );
    assert_eq!(tx.find_by_key("act_2", "k1").unwrap(), None);
}

#[test]
fn a_second_run_with_the_same_key_is_refused() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut run = tx.find(&billing_run_id("run_1")).unwrap().expect("run");
    run.id = billing_run_id("run_2");
    tx.insert(&run, &key("k1")).expect("insert");
    run.id = billing_run_id("run_3");
    assert_storage(tx.insert(&run, &key("k1")));
}

#[test]
fn candidates_carry_the_run_that_already_invoiced_them() {
    let (_db, mut conn) = seeded();
    let candidates = PgTx::new(&mut conn)
        .candidates(&batch("2026-02", false))
        .unwrap();
    let seen: Vec<_> = candidates
        .into_iter()
        .map(|c| (c.contract.contract_id, c.invoiced_by))
        .collect();
    assert_eq!(
        seen,
        [
            (
                ContractId::from_stored("ctr_1"),
                Some(billing_run_id("run_1"))
            ),
            (ContractId::from_stored("ctr_2"), None),
        ]
    );
}

#[test]
fn a_per_account_client_is_claimed_once_through_its_first_contract_with_the_others() {
    let (_db, mut conn) = seeded();
    second_contract_of_client_2_billed_per_account(&mut conn, "ctr_3", "internet", "ADSL-0004");
    let candidates = PgTx::new(&mut conn)
        .candidates(&batch("2026-02", true))
        .unwrap();
    let ids: Vec<&str> = candidates
        .iter()
        .map(|c| c.contract.contract_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["ctr_1", "ctr_2"],
        "ctr_3 comes with its account's leader"
    );
    assert_eq!(candidates[0].account, None);
    let others = candidates[1].account.as_ref().expect("an account");
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].contract_id.as_str(), "ctr_3");
    assert_eq!(others[0].offer_periods.len(), 1);
    assert_eq!(candidates[1].contract.offer_periods.len(), 1);
    let rest = PgTx::new(&mut conn)
        .candidates(&BatchQuery {
            after: "ctr_2".into(),
            ..batch("2026-02", false)
        })
        .unwrap();
    assert!(rest.is_empty(), "no batch bills ctr_3 on its own");

    // Once the account has its invoice for a month, its leader is invoiced, alone.
    conn.batch_execute(
        "INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency,
             actor_id, created_at, updated_at) VALUES ('run_3', '2026-03', DATE '2026-04-01',
             DATE '2026-04-16', 'completed', false, 'MAD', 'act_1', now(), now());
         INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id,
             offer_id, service_type, period, issue_date, due_date, status, total_excl_tax,
             total_tax, total_incl_tax, currency, created_at, updated_at, invoicing,
             buyer_name, buyer_ice, service_identifier, seller_identity_id) VALUES
           ('inv_3', 'FAC-3', 'run_3', 'cli_2', 'ctr_2', 'ofr_A', 'mobile', '2026-03',
            DATE '2026-04-01', DATE '2026-04-16', 'issued', 9900, 1980, 11880, 'MAD', now(),
            now(), 'per_account', 'Société', '001525374000089', '+212600000002',
            (SELECT min(id) FROM seller_identities));",
    )
    .expect("the account's March invoice");
    let march = PgTx::new(&mut conn)
        .candidates(&batch("2026-03", false))
        .unwrap();
    let leader = march
        .iter()
        .find(|c| c.contract.contract_id.as_str() == "ctr_2")
        .expect("the leader");
    assert_eq!(leader.invoiced_by, Some(billing_run_id("run_3")));
    assert_eq!(leader.account, None);
}

#[test]
fn a_locking_batch_skips_contracts_another_batch_holds() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    let mut first = batch("2026-03", true);
    first.limit = 1;
    let held = PgTx::new(&mut conn).candidates(&first).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        held[0].contract.contract_id,
        ContractId::from_stored("ctr_1")
    );
    // The second batch shares the usage lock with the first (decision 0375) and claims past
    // the held row (SKIP LOCKED).
    let mut other = impatient(&db);
    let next = PgTx::new(&mut other)
        .candidates(&batch("2026-03", true))
        .expect("batches run side by side");
    assert!(next
        .iter()
        .all(|c| c.contract.contract_id != ContractId::from_stored("ctr_1")));
    assert!(!next.is_empty());
    end(&mut conn);
}

#[test]
fn a_locking_batch_waits_for_an_ingestion_before_it_claims_anything() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    conn.batch_execute(&format!(
        "SELECT pg_advisory_xact_lock({})",
        crate::usage_lock::USAGE_BILLING_LOCK
    ))
    .unwrap();
    let mut other = impatient(&db);
    assert!(
        PgTx::new(&mut other)
            .candidates(&batch("2026-03", true))
            .is_err(),
        "an ingestion holds the usage lock"
    );
    // Its failed transaction still holds what it locked, and that is no contract: the lock
    // comes before the claim, so a batch never holds contracts an ingestion's inserts would
    // wait for.
    let mut third = impatient(&db);
    third
        .batch_execute("SELECT id FROM contracts FOR KEY SHARE NOWAIT")
        .expect("no contract is held");
    other.batch_execute("ROLLBACK").unwrap();
    // A dry run reads without the lock.
    assert!(PgTx::new(&mut third)
        .candidates(&batch("2026-03", false))
        .is_ok());
    end(&mut conn);
}

/// A charge of ctr_2 regularising ctr_1's invoice row is enough here: the table only
/// requires that both exist.
fn charge(id: &str) -> domain::billing::PendingCharge {
    use domain::money::Money;
    use domain::typed_ids::{InvoiceId, OfferId, PendingChargeId};
    use time::macros::date;
    domain::billing::PendingCharge {
        id: PendingChargeId::from_stored(id),
        contract_id: ContractId::from_stored("ctr_2"),
        regularised_invoice_id: InvoiceId::from_stored("inv_2"),
        description: "Régularisation changement d'offre du 10/02/2026 au 28/02/2026".into(),
        offer_id: OfferId::from_stored("ofr_B"),
        start_date: date!(2026 - 02 - 10),
        end_date: date!(2026 - 02 - 28),
        days: 19,
        monthly_price: Money::from_stored(4_900),
        amount_excl_tax: Money::from_stored(3_325),
        tax_rate_bp: 2000,
        created_at: super::test_support::at(),
    }
}

#[test]
fn candidates_carry_their_unbilled_charges_and_a_billed_charge_is_not_billed_again() {
    use domain::contracts::ContractRepository;
    use domain::typed_ids::{InvoiceId, PendingChargeId};
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.insert_pending_charges(&[charge("pch_1")])
        .expect("stored");
    let candidates = tx.candidates(&batch("2026-03", false)).unwrap();
    let charges: Vec<_> = candidates
        .iter()
        .map(|c| {
            (
                c.contract.contract_id.to_string(),
                c.contract.pending_charges.clone(),
            )
        })
        .collect();
    assert_eq!(
        charges,
        [
            ("ctr_1".to_owned(), Vec::new()),
            ("ctr_2".to_owned(), vec![charge("pch_1")])
        ]
    );
    let billed = [(
        PendingChargeId::from_stored("pch_1"),
        InvoiceId::from_stored("inv_1"),
    )];
    tx.consume_pending_charges(&billed).expect("consumed");
    let candidates = tx.candidates(&batch("2026-03", false)).unwrap();
    assert!(candidates
        .iter()
        .all(|c| c.contract.pending_charges.is_empty()));
    // Billing it a second time is a storage fault, never a silent double charge.
    assert_storage(tx.consume_pending_charges(&billed));
}
