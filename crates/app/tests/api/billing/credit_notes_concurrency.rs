//! Issue #14: credit notes under concurrency (never over-credited) and the gapless `AV-`
//! series after refused and rolled-back notes.

use std::sync::{Arc, Barrier};

use domain::credit_notes::{CreditNoteInput, CreditNoteLineInput};
use domain::error::RuleViolation;
use domain::idempotency::{self, IdempotencyRequest, StoredResponse};
use domain::typed_ids::InvoiceId;
use serde_json::json;

use super::World;

/// The credit-note numbers in the database, in order.
fn note_numbers(w: &World) -> Vec<String> {
    use diesel::{QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = diesel::sql_types::Text)]
        credit_note_number: String,
    }
    let mut conn = w.app.db.connect();
    diesel::sql_query("SELECT credit_note_number FROM credit_notes ORDER BY credit_note_number")
        .load::<Number>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|n| n.credit_note_number)
        .collect()
}

fn av(count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("AV-2026-{n:06}")).collect()
}

/// Issues `input` on `invoice_id` under its own idempotency key, as the HTTP write does,
/// answering `Ok(())` or the error.
fn issue_with_key(
    w: &World,
    invoice_id: &InvoiceId,
    input: &CreditNoteInput,
    key: &str,
) -> domain::Result<()> {
    let request = IdempotencyRequest {
        scope: "act_billing".into(),
        key: key.into(),
        fingerprint: key.into(),
    };
    let notes = w.app.services.credit_notes.clone();
    let tx = w.app.services.ports.tx.clone();
    idempotency::execute(
        tx.as_ref(),
        &request,
        w.app.clock_now(),
        |uow| notes.issue_in(uow, invoice_id, input, "act_billing"),
        |_| {
            Ok(StoredResponse {
                status: 201,
                body: Vec::new(),
            })
        },
    )
    .map(|_| ())
}

#[actix_web::test]
async fn ten_parallel_notes_of_thirty_percent_never_over_credit_the_invoice() {
    let w = Arc::new(World::new().await);
    w.bill_february().await;
    // Lines of 4 950 and 9 950 excl. tax: 30 % is 1 485 and 2 985; three fit, a fourth not.
    let id = InvoiceId::parse(&w.invoice_id_of(&w.plan_change).await).unwrap();
    let input = CreditNoteInput {
        reason: "Geste".into(),
        lines: Some(vec![
            CreditNoteLineInput {
                position: 1,
                amount_excl_tax: 1_485,
            },
            CreditNoteLineInput {
                position: 2,
                amount_excl_tax: 2_985,
            },
        ]),
    };
    // Ten threads released at once, each with its own key and connection.
    let barrier = Arc::new(Barrier::new(10));
    let handles: Vec<_> = (0..10)
        .map(|n| {
            let (w, id, input, barrier) = (w.clone(), id.clone(), input.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                issue_with_key(&w, &id, &input, &format!("parallel-{n}"))
            })
        })
        .collect();
    let outcomes: Vec<domain::Result<()>> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();
    let created = outcomes.iter().filter(|o| o.is_ok()).count();
    assert!(created <= 3, "{created} notes succeeded: {outcomes:?}");
    assert_eq!(created, 3, "three fit: {outcomes:?}");
    assert!(
        outcomes.iter().filter(|o| o.is_err()).all(|o| matches!(
            o,
            Err(domain::Error::Rule(RuleViolation::CreditExceedsInvoice))
        )),
        "{outcomes:?}"
    );
    let id = id.as_str();
    let per_line = |position: i32, column: &str| {
        w.app.count(&format!(
            "SELECT COALESCE(SUM(l.{column}), 0) FROM credit_note_lines l \
             JOIN credit_notes n ON n.id = l.credit_note_id \
             WHERE n.invoice_id = '{id}' AND l.position = {position}"
        ))
    };
    assert_eq!(per_line(1, "amount_excl_tax"), 3 * 1_485);
    assert_eq!(per_line(2, "amount_excl_tax"), 3 * 2_985);
    assert!(per_line(1, "tax_amount") <= 990 && per_line(2, "tax_amount") <= 1_990);
    let credited = w.invoice(id).await["credited_amount"].as_i64().unwrap();
    let notes = w.app.count(&format!(
        "SELECT SUM(applied_to_invoice) FROM credit_notes WHERE invoice_id = '{id}'"
    ));
    assert_eq!(credited, notes);
    assert!(credited <= 17_880);
    assert_eq!(note_numbers(&w), av(3));
}

#[actix_web::test]
async fn refused_and_rolled_back_notes_leave_no_gap_in_the_av_series() {
    let w = World::new().await;
    w.bill_february().await;
    let first = w.invoice_id_of(&w.plan_change).await;
    let second = w.invoice_id_of(&w.full_month).await;
    w.credit(
        &first,
        json!({"reason": "Un", "lines": [{"position": 1, "amount_excl_tax": 100}]}),
    )
    .await
    .assert_status(201);
    // Refused: validation, an excess on a line, an unknown invoice.
    w.credit(&first, json!({"reason": ""}))
        .await
        .assert_problem(422, "validation_failed");
    w.credit(
        &first,
        json!({"reason": "Trop", "lines": [{"position": 1, "amount_excl_tax": 99_999}]}),
    )
    .await
    .assert_problem(422, "credit_exceeds_invoice");
    w.credit(
        "inv_01JD0000000000000000000000",
        json!({"reason": "Inconnue"}),
    )
    .await
    .assert_problem(404, "invoice_not_found");
    // Rolled back after its number was taken: the database refuses the note's audit entry.
    w.app.sql(
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$",
    );
    w.app.sql(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON ledger_audit \
         FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
    );
    w.credit(&second, json!({"reason": "Perdu"}))
        .await
        .assert_problem(500, "internal_error");
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM credit_notes WHERE reason = 'Perdu'"),
        0
    );
    assert_eq!(w.invoice(&second).await["status"], "issued");
    w.app.sql("DROP TRIGGER refuse_audit ON ledger_audit");
    w.credit(&second, json!({"reason": "Deux"}))
        .await
        .assert_status(201);
    w.credit(&first, json!({"reason": "Trois"}))
        .await
        .assert_status(201);
    assert_eq!(note_numbers(&w), av(3));
}
