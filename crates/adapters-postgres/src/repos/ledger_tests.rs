//! The contract of `LedgerRepository` against PostgreSQL (decision 0180): which credit
//! sources exist and in what order they are locked, what recording applications writes, and
//! what the database refuses.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::PgConnection;
use domain::billing::InvoiceRepository;
use domain::error::Error;
use domain::ledger::{
    CreditApplication, LedgerAction, LedgerAuditEntry, LedgerRepository, SourceRef,
};
use domain::money::Money;
use domain::typed_ids::{ClientId, CreditNoteId, InvoiceId, LedgerAuditEntryId, PaymentId};
use time::macros::datetime;

use super::test_support::SEED;
use crate::testing::{fresh_database, TestDatabase};
use crate::tx::PgTx;

/// `cli_1`: two open invoices, an old payment with 30.00 of credit, a newer credit note with
/// 50.00 and a fully used payment; `cli_2`: nothing.
const LEDGER: &str = "
    INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, offer_id,
        service_type, period, issue_date, due_date, status, total_excl_tax, total_tax,
        total_incl_tax, amount_paid, currency, created_at, updated_at, buyer_name,
        service_identifier, seller_identity_id) VALUES
      ('inv_b', 'FAC-b', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-02',
       DATE '2026-03-01', DATE '2026-03-16', 'issued', 9900, 1980, 11880, 0, 'MAD', now(), now(), 'Amal Un', '+212600000001', 100),
      ('inv_a', 'FAC-a', 'run_1', 'cli_1', 'ctr_1', 'ofr_A', 'mobile', '2026-01',
       DATE '2026-02-01', DATE '2026-02-16', 'issued', 9900, 1980, 11880, 0, 'MAD', now(), now(), 'Amal Un', '+212600000001', 100);
    INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at,
        unallocated_amount, actor_id, created_at, updated_at) VALUES
      ('pay_old', 'cli_1', 3000, 'MAD', 'cash', NULL, DATE '2026-01-01', 3000, 'act_1',
       TIMESTAMPTZ '2026-01-01 10:00Z', TIMESTAMPTZ '2026-01-01 10:00Z'),
      ('pay_used', 'cli_1', 1000, 'MAD', 'cash', NULL, DATE '2025-12-01', 0, 'act_1',
       TIMESTAMPTZ '2025-12-01 10:00Z', TIMESTAMPTZ '2025-12-01 10:00Z');
    INSERT INTO credit_notes (id, credit_note_number, invoice_id, client_id, issue_date, reason,
        total_excl_tax, total_tax, total_incl_tax, applied_to_invoice, credited_to_balance,
        credit_remaining, currency, actor_id, created_at) VALUES
      ('cn_1', 'AV-2026-000001', 'inv_a', 'cli_1', DATE '2026-01-05', 'geste', 5000, 0, 5000,
       0, 5000, 5000, 'MAD', 'act_1', TIMESTAMPTZ '2026-01-05 10:00Z');
";

fn seeded() -> (TestDatabase, PgConnection) {
    let db = fresh_database();
    let mut conn = db.connect();
    conn.batch_execute(SEED).expect("seed");
    conn.batch_execute(LEDGER).expect("ledger");
    (db, conn)
}

fn cli(id: &str) -> ClientId {
    ClientId::from_stored(id)
}

fn application(source: SourceRef, invoice: &str, amount: i64) -> CreditApplication {
    CreditApplication {
        source,
        client_id: cli("cli_1"),
        invoice_id: InvoiceId::from_stored(invoice),
        amount: Money::from_stored(amount),
        outstanding_before: Money::ZERO,
        outstanding_after: Money::ZERO,
        source_before: Money::ZERO,
    }
}

#[test]
fn only_clients_holding_credit_are_named_and_their_sources_come_oldest_first() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    assert_eq!(
        tx.clients_with_credit(&[cli("cli_1"), cli("cli_2")])
            .unwrap(),
        [cli("cli_1")]
    );
    assert!(tx.clients_with_credit(&[]).unwrap().is_empty());
    let sources = tx.lock_credit_sources(&[cli("cli_1")]).unwrap();
    let seen: Vec<(&str, i64)> = sources
        .iter()
        .map(|s| (s.source.id(), s.remaining.centimes()))
        .collect();
    assert_eq!(seen, [("pay_old", 3000), ("cn_1", 5000)]);
    assert_eq!(tx.credit_available(&cli("cli_1")).unwrap().centimes(), 8000);
    assert_eq!(tx.credit_available(&cli("cli_2")).unwrap().centimes(), 0);
    let open = tx
        .lock_open_invoices(&[cli("cli_1"), cli("cli_2")])
        .unwrap();
    let ids: Vec<&str> = open.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["inv_a", "inv_b"]);
}

#[test]
fn recorded_applications_name_their_source_and_take_the_credit_off_it() {
    let (_db, mut conn) = seeded();
    let at = datetime!(2026-03-20 10:00 UTC);
    {
        let mut tx = PgTx::new(&mut conn);
        let mut open = tx.lock_open_invoices(&[cli("cli_1")]).unwrap();
        open[0].amount_paid = Money::from_stored(8000);
        open[0].status = domain::billing::InvoiceStatus::PartiallyPaid;
        open[0].updated_at = at;
        tx.save_settlements(&open[..1]).unwrap();
        tx.record_applications(
            &[
                application(
                    SourceRef::Payment(PaymentId::from_stored("pay_old")),
                    "inv_a",
                    3000,
                ),
                application(
                    SourceRef::CreditNote(CreditNoteId::from_stored("cn_1")),
                    "inv_a",
                    5000,
                ),
            ],
            at,
        )
        .unwrap();
        assert_eq!(tx.credit_available(&cli("cli_1")).unwrap(), Money::ZERO);
    }
    let kinds: Vec<(String, String, i64)> = diesel::sql_query(
        "SELECT payment_id AS a, kind AS b, amount FROM payment_allocations
         UNION ALL SELECT credit_note_id, invoice_id, amount FROM credit_note_allocations
         ORDER BY 1",
    )
    .load::<crate::rows::scalar::Triple>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|t| (t.a, t.b, t.amount))
    .collect();
    assert_eq!(
        kinds,
        [
            ("cn_1".into(), "inv_a".into(), 5000),
            ("pay_old".into(), "credit".into(), 3000)
        ]
    );
    let paid: i64 = crate::schema::invoices::table
        .find("inv_a")
        .select(crate::schema::invoices::amount_paid)
        .first(&mut conn)
        .unwrap();
    assert_eq!(paid, 8000);
}

#[test]
fn taking_more_credit_than_a_source_holds_is_refused_by_the_database() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let refused = tx.record_applications(
        &[application(
            SourceRef::Payment(PaymentId::from_stored("pay_old")),
            "inv_a",
            3001,
        )],
        datetime!(2026-03-20 10:00 UTC),
    );
    assert!(matches!(refused, Err(Error::Storage(_))));
}

#[test]
fn settling_an_unknown_invoice_is_a_storage_error() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut open = tx.lock_open_invoices(&[cli("cli_1")]).unwrap();
    open[0].id = InvoiceId::from_stored("inv_gone");
    assert!(matches!(tx.save_settlements(&open), Err(Error::Storage(_))));
}

#[test]
fn audit_entries_are_stored_with_their_figures_as_json() {
    let (_db, mut conn) = seeded();
    PgTx::new(&mut conn)
        .insert_audit(&[LedgerAuditEntry {
            id: LedgerAuditEntryId::from_stored("lau_1"),
            client_id: cli("cli_1"),
            document_kind: "invoice",
            document_id: "inv_a".into(),
            action: LedgerAction::CreditApplied,
            actor_id: "act_1 via act_gw".into(),
            at: datetime!(2026-03-20 10:00 UTC),
            before: vec![("outstanding".into(), 11_880)],
            after: vec![("outstanding".into(), 8_880)],
        }])
        .unwrap();
    let row: (String, String, Option<serde_json::Value>) = crate::schema::ledger_audit::table
        .select((
            crate::schema::ledger_audit::action,
            crate::schema::ledger_audit::actor_id,
            crate::schema::ledger_audit::after,
        ))
        .first(&mut conn)
        .unwrap();
    assert_eq!(row.0, "credit_applied");
    assert_eq!(row.1, "act_1 via act_gw");
    assert_eq!(row.2, Some(serde_json::json!({"outstanding": 8880})));
}

#[test]
fn a_second_reversal_of_a_payment_is_a_conflict_and_a_refund_beyond_a_source_is_refused() {
    use domain::collections::PaymentMethod;
    use domain::error::Conflict;
    use domain::ledger::{PaymentReversal, Refund};
    use domain::typed_ids::{PaymentReversalId, RefundId};

    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let reversal = |id: &str| PaymentReversal {
        id: PaymentReversalId::from_stored(id),
        payment_id: PaymentId::from_stored("pay_old"),
        client_id: cli("cli_1"),
        amount: Money::from_stored(3000),
        reason: "bounced".into(),
        actor_id: "act_1".into(),
        created_at: datetime!(2026-03-20 10:00 UTC),
    };
    tx.insert_reversal(&reversal("rev_1")).unwrap();
    assert!(tx.is_reversed(&PaymentId::from_stored("pay_old")).unwrap());
    assert_eq!(tx.credit_available(&cli("cli_1")).unwrap().centimes(), 5000);
    assert!(matches!(
        tx.insert_reversal(&reversal("rev_2")),
        Err(Error::Conflict(Conflict::PaymentAlreadyReversed))
    ));
    let (_db2, mut conn2) = seeded();
    let mut tx2 = PgTx::new(&mut conn2);
    let refund = Refund {
        id: RefundId::from_stored("rfd_1"),
        client_id: cli("cli_1"),
        amount: Money::from_stored(5001),
        currency: "MAD".into(),
        method: PaymentMethod::Cash,
        reference: None,
        sources: vec![(
            SourceRef::CreditNote(CreditNoteId::from_stored("cn_1")),
            Money::from_stored(5001),
        )],
        actor_id: "act_1".into(),
        created_at: datetime!(2026-03-20 10:00 UTC),
    };
    assert!(matches!(tx2.insert_refund(&refund), Err(Error::Storage(_))));
}

#[test]
fn a_refund_records_its_sources_and_the_balance_follows_the_documents() {
    use domain::collections::PaymentMethod;
    use domain::ledger::Refund;
    use domain::typed_ids::RefundId;

    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    tx.insert_refund(&Refund {
        id: RefundId::from_stored("rfd_1"),
        client_id: cli("cli_1"),
        amount: Money::from_stored(3500),
        currency: "MAD".into(),
        method: PaymentMethod::Transfer,
        reference: Some("VIR".into()),
        sources: vec![
            (
                SourceRef::Payment(PaymentId::from_stored("pay_old")),
                Money::from_stored(3000),
            ),
            (
                SourceRef::CreditNote(CreditNoteId::from_stored("cn_1")),
                Money::from_stored(500),
            ),
        ],
        actor_id: "act_1".into(),
        created_at: datetime!(2026-03-20 10:00 UTC),
    })
    .unwrap();
    assert_eq!(
        tx.refunded_from_payment(&PaymentId::from_stored("pay_old"))
            .unwrap()
            .centimes(),
        3000
    );
    let b = tx.balance(&cli("cli_1")).unwrap();
    assert_eq!(b.refunded.centimes(), 3500);
    assert_eq!(b.credit_available.centimes(), 4500);
    assert_eq!(b.invoiced.centimes(), 23_760);
    assert_eq!(b.credited.centimes(), 5000);
    assert_eq!(b.paid.centimes(), 4000);
    assert_eq!(b.outstanding.centimes(), 23_760);
    let kinds: Vec<&str> = tx
        .movements(&cli("cli_1"))
        .unwrap()
        .iter()
        .map(|m| m.kind.as_str())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "refund").count(), 1);
    assert_eq!(kinds.len(), 2 + 2 + 1 + 1);
}

#[test]
fn a_reversal_locks_the_payments_invoices_with_the_clients_open_ones_in_one_order() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let ids = |invoices: Vec<domain::billing::Invoice>| -> Vec<String> {
        invoices.into_iter().map(|i| i.id.to_string()).collect()
    };
    assert_eq!(
        ids(tx.lock_invoices(&[], &cli("cli_1")).unwrap()),
        ["inv_a", "inv_b"]
    );
    assert_eq!(
        ids(tx
            .lock_invoices(&[InvoiceId::from_stored("inv_b")], &cli("cli_2"))
            .unwrap()),
        ["inv_b"]
    );
}
