//! The contract of `ExportRepository` against PostgreSQL (decision 0149): journal pages that
//! resume exactly after their cursor across both document kinds, the encaissements figures
//! dated as decision 0233 says, and the storage error every read documents.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::billing::Period;
use domain::exports::{DateRange, ExportRepository, ReceiptCursor, SalesCursor};
use domain::money::Money;
use time::macros::date;

use super::test_support::{assert_storage, seeded};
use crate::tx::PgTx;

/// Two more invoices of client 2 issued on 1 March (`FAC-3`, `FAC-4`, a 10 % line on `FAC-4`),
/// a credit note on `inv_2` the same day, a payment of 60.00 on `inv_2` received 28 February
/// and one of 59.40 received 2 March, and the reversal of the first on 5 March.
const MARCH: &str = "
    INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id,
        offer_id, service_type, period, issue_date, due_date, status, total_excl_tax,
        total_tax, total_incl_tax, currency, created_at, updated_at, buyer_name, buyer_cin,
        buyer_address, buyer_city, service_identifier, seller_identity_id) VALUES
      ('inv_3', 'FAC-3', 'run_1', 'cli_2', 'ctr_2', 'ofr_A', 'mobile', '2026-02',
       DATE '2026-03-01', DATE '2026-03-16', 'issued', 9900, 1980, 11880, 'MAD', now(), now(),
       'Badr Deux', 'AB100002', 'Rue 2', 'Rabat', '+212600000002', 100),
      ('inv_4', 'FAC-4', 'run_1', 'cli_2', 'ctr_2', 'ofr_A', 'mobile', '2026-03',
       DATE '2026-03-01', DATE '2026-03-16', 'issued', 1000, 100, 1100, 'MAD', now(), now(),
       'Badr Deux', 'AB100002', 'Rue 2', 'Rabat', '+212600000002', 100);
    INSERT INTO invoice_lines (invoice_id, position, description, offer_id, start_date,
        end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, tax_amount,
        amount_incl_tax, contract_id) VALUES
      ('inv_3', 1, 'Offre A', 'ofr_A', DATE '2026-02-01', DATE '2026-02-28', 28, 9900, 9900,
       2000, 1980, 11880, 'ctr_2'),
      ('inv_4', 1, 'Offre A', 'ofr_A', DATE '2026-03-01', DATE '2026-03-31', 31, 1000, 1000,
       1000, 100, 1100, 'ctr_2');
    INSERT INTO credit_notes (id, credit_note_number, invoice_id, client_id, issue_date, reason,
        total_excl_tax, total_tax, total_incl_tax, applied_to_invoice, credited_to_balance,
        credit_remaining, currency, actor_id, created_at) VALUES
      ('cn_1', 'AV-1', 'inv_2', 'cli_1', DATE '2026-03-01', 'geste', 1000, 200, 1200, 1200, 0,
       0, 'MAD', 'act_1', now());
    INSERT INTO credit_note_lines (credit_note_id, position, description, amount_excl_tax,
        tax_rate_bp, tax_amount, amount_incl_tax) VALUES
      ('cn_1', 1, 'Offre A', 1000, 2000, 200, 1200);
    INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at,
        unallocated_amount, actor_id, created_at, updated_at) VALUES
      ('pay_1', 'cli_1', 6000, 'MAD', 'transfer', 'VIR-1', DATE '2026-02-28', 0, 'act_1',
       TIMESTAMPTZ '2026-03-01 08:00Z', now()),
      ('pay_2', 'cli_1', 5940, 'MAD', 'cash', NULL, DATE '2026-03-02', 0, 'act_1',
       TIMESTAMPTZ '2026-03-02 08:00Z', now());
    INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at) VALUES
      ('pay_1', 'inv_2', 6000, TIMESTAMPTZ '2026-03-01 08:00Z'),
      ('pay_2', 'inv_2', 5940, TIMESTAMPTZ '2026-03-02 08:00Z');
    INSERT INTO payment_reversals (id, payment_id, client_id, amount, reason, actor_id,
        created_at) VALUES
      ('rev_1', 'pay_1', 'cli_1', 6000, 'rejet', 'act_1', TIMESTAMPTZ '2026-03-05 23:30Z');";

fn march() -> DateRange {
    DateRange::new(date!(2026 - 03 - 01), date!(2026 - 03 - 31)).unwrap()
}

#[test]
fn sales_pages_resume_after_their_cursor_across_invoices_and_credit_notes() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(MARCH).unwrap();
    let mut tx = PgTx::new(&mut conn);
    let start = SalesCursor::start(date!(2026 - 03 - 01));
    let first = tx.sales_page(&march(), &start, 2).unwrap();
    let numbers = |page: &[domain::exports::SalesEntry]| -> Vec<String> {
        page.iter().map(|e| e.number.clone()).collect()
    };
    // Same day: `AV-1` sorts before the `FAC-` numbers; `FAC-1` was issued in February.
    assert_eq!(numbers(&first), ["AV-1", "FAC-2"]);
    let rest = tx
        .sales_page(&march(), &SalesCursor::after(&first[1]), 2)
        .unwrap();
    assert_eq!(numbers(&rest), ["FAC-3", "FAC-4"]);
    let last = tx
        .sales_page(&march(), &SalesCursor::after(&rest[1]), 2)
        .unwrap();
    assert!(last.is_empty());
    assert_eq!(first[0].document.kind(), "credit_note");
    assert_eq!(first[0].client_name, "Amal Un");
    assert_eq!(first[0].client_tax_id, "AB100001");
    assert_eq!(first[0].document.signed(first[0].total_incl_tax), -1200);
    assert_eq!(rest[1].by_rate[0].rate_bp, 1000);
    assert_eq!(tx.sales_rates(&march()).unwrap(), [2000, 1000]);
}

#[test]
fn receipts_are_dated_by_receipt_or_by_utc_day_recorded_with_their_allocations() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(MARCH).unwrap();
    let mut tx = PgTx::new(&mut conn);
    let page = tx
        .receipts_page(&march(), &ReceiptCursor::start(date!(2026 - 03 - 01)), 10)
        .unwrap();
    // `pay_1` was received in February; the reversal at 23:30 UTC is dated 5 March.
    let rows: Vec<(&str, String, usize)> = page
        .iter()
        .map(|e| (e.document.id(), e.date.to_string(), e.allocations.len()))
        .collect();
    assert_eq!(
        rows,
        [
            ("pay_2", "2026-03-02".to_owned(), 1),
            ("rev_1", "2026-03-05".to_owned(), 1)
        ]
    );
    assert_eq!(page[1].allocations[0].amount, Money::from_stored(6000));
    assert_eq!(page[1].allocations[0].target.number(), Some("FAC-2"));
    let after = tx
        .receipts_page(&march(), &ReceiptCursor::after(&page[0]), 10)
        .unwrap();
    assert_eq!(after.len(), 1);
}

#[test]
fn collections_give_each_touched_invoice_what_it_had_before_and_through_the_month() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(MARCH).unwrap();
    let mut tx = PgTx::new(&mut conn);
    let march = tx.collections(Period::parse("2026-03").unwrap()).unwrap();
    assert_eq!(march.len(), 1);
    let inv2 = &march[0];
    assert_eq!(inv2.invoice_id.as_str(), "inv_2");
    // 60.00 received in February; in March 59.40 more and the 60.00 reversed.
    assert_eq!(inv2.collected_before, Money::from_stored(6000));
    assert_eq!(inv2.collected_through, Money::from_stored(5940));
    assert_eq!(inv2.by_rate.len(), 1);
    let february = tx.collections(Period::parse("2026-02").unwrap()).unwrap();
    assert_eq!(february[0].collected_through, Money::from_stored(6000));
    let issued = tx.tax_issued(Period::parse("2026-03").unwrap()).unwrap();
    let figures: Vec<(i32, i64, i64)> = issued
        .iter()
        .map(|r| (r.rate_bp, r.excl_tax, r.tax))
        .collect();
    assert_eq!(
        figures,
        [
            (2000, 9900 + 9900 - 1000, 1980 + 1980 - 200),
            (1000, 1000, 100)
        ]
    );
    let revenue = tx.revenue_lines(Period::parse("2026-03").unwrap()).unwrap();
    let net: i64 = revenue.iter().map(|l| l.excl_tax).sum();
    assert_eq!(net, 9900 + 9900 + 1000 - 1000);
}

#[test]
fn every_read_is_a_storage_error_when_the_database_fails() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "BEGIN; DROP TABLE payment_reversals, refund_sources, refunds, \
                        credit_note_allocations, credit_note_documents, credit_note_lines, \
                        credit_notes CASCADE",
    )
    .unwrap();
    let mut tx = PgTx::new(&mut conn);
    let month = Period::parse("2026-03").unwrap();
    assert_storage(tx.sales_rates(&march()));
    assert_storage(tx.sales_page(&march(), &SalesCursor::start(march().from()), 10));
    assert_storage(tx.receipts_page(&march(), &ReceiptCursor::start(march().from()), 10));
    assert_storage(tx.tax_issued(month));
    assert_storage(tx.collections(month));
    assert_storage(tx.revenue_lines(month));
}
