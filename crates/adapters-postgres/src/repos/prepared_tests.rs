//! The payment path's statements, the statement's reads and a client's invoice list stay
//! prepared and PostgreSQL plans them once (decisions 0342, 0390, 0398): after a few
//! executions on one connection each is in `pg_prepared_statements` with a generic plan, where
//! a `sql_query` or a boxed query is parsed and planned again on every call.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{PgConnection, RunQueryDsl};
use domain::billing::{InvoiceFilter, InvoiceRepository, InvoiceStatus};
use domain::collections::{Allocation, Payment, PaymentMethod, PaymentRepository};
use domain::events::{EventEncoder, EventOutbox, EventPayload, NewEvent};
use domain::idempotency::IdempotencyRepository;
use domain::ledger::LedgerRepository;
use domain::money::Money;
use domain::page::PageRequest;
use domain::typed_ids::{ClientId, EventId, PaymentId};

use super::test_support::{at, client_id, invoice_id, seeded};
use crate::prepared::{constant_sql, keep_prepared};
use crate::rows::scalar::Count;
use crate::tx::PgTx;

/// Encodes an event as its type only: what is written does not matter here.
struct TypeEncoder;

impl EventEncoder for TypeEncoder {
    fn encode(&self, payload: &EventPayload) -> domain::Result<String> {
        Ok(format!(
            "{{\"type\":\"{}\"}}",
            payload.event_type().as_str()
        ))
    }
}

/// PostgreSQL keeps custom plans for the first five executions of a prepared statement.
const RUNS: usize = 7;

/// How many statements of this session containing `fragment` are prepared, and how many of
/// them have been executed with a generic plan (planned once, not per call).
fn prepared_and_generic(conn: &mut PgConnection, fragment: &str) -> (i64, i64) {
    let pattern = format!("%{fragment}%");
    let all: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE $1",
    )
    .bind::<Text, _>(&pattern)
    .get_result(conn)
    .unwrap();
    let generic: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_prepared_statements \
         WHERE statement LIKE $1 AND generic_plans > 0",
    )
    .bind::<Text, _>(&pattern)
    .get_result(conn)
    .unwrap();
    (all.n, generic.n)
}

#[test]
fn constant_sql_is_prepared_once_where_sql_query_is_not() {
    let (_db, mut conn) = seeded();
    for i in 0..RUNS {
        let kept: Count = keep_prepared(
            constant_sql("SELECT $1::int8 + 1 AS n /* kept */")
                .bind::<BigInt, _>(i64::try_from(i).unwrap()),
        )
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(kept.n, i64::try_from(i).unwrap() + 1);
        let _: Count = diesel::sql_query("SELECT $1::int8 + 1 AS n /* rebuilt */")
            .bind::<BigInt, _>(1)
            .get_result(&mut conn)
            .unwrap();
    }
    assert_eq!(prepared_and_generic(&mut conn, "/* kept */"), (1, 1));
    assert_eq!(prepared_and_generic(&mut conn, "/* rebuilt */"), (0, 0));
}

fn one_allocation(id: &str, amount: i64) -> Payment {
    Payment {
        id: PaymentId::from_stored(id),
        client_id: ClientId::from_stored("cli_1"),
        amount: Money::from_stored(amount),
        currency: "MAD".into(),
        method: PaymentMethod::Cash,
        reference: None,
        received_at: at().date(),
        allocations: vec![Allocation {
            invoice_id: invoice_id("inv_1"),
            amount: Money::from_stored(amount),
        }],
        unallocated_amount: Money::ZERO,
        actor_id: "act_1".into(),
        created_at: at(),
    }
}

#[test]
fn a_payments_statements_are_planned_once_per_connection() {
    let (_db, mut conn) = seeded();
    for i in 0..RUNS {
        conn.batch_execute("BEGIN").unwrap();
        let mut tx = PgTx::new(&mut conn);
        tx.claim("pay", &format!("key-{i}")).unwrap();
        let mut open = tx.lock_open_invoices(&[client_id("cli_1")]).unwrap();
        let invoice = open
            .iter_mut()
            .find(|i| i.id == invoice_id("inv_1"))
            .unwrap();
        invoice.amount_paid = Money::from_stored(invoice.amount_paid.centimes() + 1);
        invoice.status = InvoiceStatus::PartiallyPaid;
        let payment = one_allocation(&format!("pay_{i}"), 1);
        PaymentRepository::insert(&mut tx, &payment, std::slice::from_ref(invoice)).unwrap();
        let mut tx = PgTx::with_encoder(&mut conn, &TypeEncoder);
        tx.append(&[NewEvent {
            id: EventId::from_stored(format!("evt_{i}")),
            occurred_at: at(),
            actor_id: None,
            payload: EventPayload::PaymentReceived(payment),
        }])
        .unwrap();
        PgTx::new(&mut conn)
            .credit_available(&client_id("cli_1"))
            .unwrap();
        conn.batch_execute("COMMIT").unwrap();
    }
    let paid = InvoiceRepository::find(&mut PgTx::new(&mut conn), &invoice_id("inv_1"))
        .unwrap()
        .unwrap();
    assert_eq!(paid.amount_paid, Money::from_stored(7));
    for statement in [
        "pg_try_advisory_xact_lock",
        "FOR UPDATE",
        "WITH settled AS",
        // The credit read of a payment leaving credit (the write reads it otherwise).
        "SELECT (COALESCE",
    ] {
        assert_eq!(
            prepared_and_generic(&mut conn, statement),
            (1, 1),
            "{statement}"
        );
    }
}

#[test]
fn the_statement_and_balance_reads_are_planned_once_per_connection() {
    let (_db, mut conn) = seeded();
    for _ in 0..RUNS {
        let movements = PgTx::new(&mut conn).movements(&client_id("cli_1")).unwrap();
        assert!(!movements.is_empty());
        PgTx::new(&mut conn).balance(&client_id("cli_1")).unwrap();
    }
    // The movements' first branch and the balance's first figure (decision 0390).
    for statement in ["'invoice' AS kind", "AS invoiced"] {
        assert_eq!(
            prepared_and_generic(&mut conn, statement),
            (1, 1),
            "{statement}"
        );
    }
}

#[test]
fn a_clients_invoice_list_is_planned_once_per_connection() {
    let (_db, mut conn) = seeded();
    let of_client = InvoiceFilter::of_client(client_id("cli_1"), at().date());
    let after_first = PageRequest::new(1, Some("inv_1".into())).unwrap();
    for _ in 0..RUNS {
        let listed =
            InvoiceRepository::list(&mut PgTx::new(&mut conn), &of_client, &PageRequest::first())
                .unwrap();
        let ids: Vec<&str> = listed.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["inv_1", "inv_2"]);
        let next =
            InvoiceRepository::list(&mut PgTx::new(&mut conn), &of_client, &after_first).unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].id.as_str(), "inv_2");
        assert_eq!(next[0].lines.len(), 1);
    }
    // The first page and the next one, planned once.
    for statement in [
        r#"WHERE ("invoices"."client_id" = $1) ORDER"#,
        r#"WHERE (("invoices"."client_id" = $1) AND ("invoices"."id" > $2))"#,
    ] {
        assert_eq!(
            prepared_and_generic(&mut conn, statement),
            (1, 1),
            "{statement}"
        );
    }
    // Their lines, credit notes and usage: one prepared statement each, whatever the number
    // of invoices (PostgreSQL may keep planning them per call, each array being different).
    for statement in [
        r#""invoice_lines"."invoice_id" = ANY($1)"#,
        r#""credit_notes"."invoice_id" = ANY($1)"#,
        r#""invoice_usage"."invoice_id" = ANY($1)"#,
    ] {
        assert_eq!(
            prepared_and_generic(&mut conn, statement).0,
            1,
            "{statement}"
        );
    }
}
