//! Issue #14 `POST /invoices/{invoice_id}/credit-notes`: full and partial notes, their TVA,
//! the effect on the invoice (void, client credit, status), every refusal, roles and
//! idempotency.

use serde_json::{json, Value};

use super::World;
use crate::support::{Answer, TestApp};

impl World {
    /// Issues a credit note on `invoice_id` as the billing actor with a fresh key.
    pub async fn credit(&self, invoice_id: &str, body: Value) -> Answer {
        self.credit_with_key(invoice_id, &ulid::Ulid::new().to_string(), body)
            .await
    }

    /// Issues a credit note with this `Idempotency-Key`.
    pub async fn credit_with_key(&self, invoice_id: &str, key: &str, body: Value) -> Answer {
        self.app
            .post(&format!("/invoices/{invoice_id}/credit-notes"))
            .token(&self.billing)
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
    }

    /// The invoice with this id, through the API.
    pub async fn invoice(&self, id: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/invoices/{id}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }

    /// Id of the February invoice of `contract_id` (after `bill_february`).
    pub async fn invoice_id_of(&self, contract_id: &str) -> String {
        self.invoice_of(contract_id).await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Rows of a table.
fn rows(app: &TestApp, table: &str) -> i64 {
    app.count(&format!("SELECT count(*) FROM {table}"))
}

#[actix_web::test]
async fn a_full_note_cancels_an_unpaid_invoice_which_becomes_void() {
    let w = World::new().await;
    w.bill_february().await;
    // Two lines: 4 950 + 990 and 9 950 + 1 990.
    let id = w.invoice_id_of(&w.plan_change).await;
    let answer = w
        .credit(&id, json!({"reason": "Résiliation contestée"}))
        .await;
    answer.assert_status(201);
    let note = answer.json();
    assert!(note["id"].as_str().unwrap().starts_with("cn_"));
    assert_eq!(note["credit_note_number"], "AV-2026-000001");
    assert_eq!(note["invoice_id"], id.as_str());
    assert_eq!(note["client_id"], w.omar.as_str());
    assert_eq!(note["issue_date"], "2026-03-10");
    assert_eq!(note["reason"], "Résiliation contestée");
    assert_eq!(
        note["lines"],
        json!([
            {"position": 1, "description": "Offre MOB-99 – février 2026 (prorata)",
             "amount_excl_tax": 4_950, "tax_rate_bp": 2000, "tax_amount": 990,
             "amount_incl_tax": 5_940},
            {"position": 2, "description": "Offre MOB-199 – février 2026 (prorata)",
             "amount_excl_tax": 9_950, "tax_rate_bp": 2000, "tax_amount": 1_990,
             "amount_incl_tax": 11_940}
        ])
    );
    assert_eq!(note["total_excl_tax"], 14_900);
    assert_eq!(note["total_tax"], 2_980);
    assert_eq!(note["total_incl_tax"], 17_880);
    assert_eq!(note["currency"], "MAD");
    assert_eq!(note["applied_to_invoice"], 17_880);
    assert_eq!(note["credited_to_balance"], 0);
    assert_eq!(note["invoice_status"], "void");
    assert_eq!(note["invoice_outstanding"], 0);

    let invoice = w.invoice(&id).await;
    assert_eq!(invoice["status"], "void");
    assert_eq!(invoice["credited_amount"], 17_880);
    assert_eq!(invoice["amount_paid"], 0);
    assert_eq!(invoice["outstanding"], 0);
    assert_eq!(invoice["credit_note_ids"], json!([note["id"]]));
    // The list says the same as the detail, plus the buyer's name as issued.
    let mut listed = w.invoice_of(&w.plan_change).await;
    assert_eq!(listed["client_name"], invoice["buyer"]["name"]);
    listed
        .as_object_mut()
        .expect("invoice")
        .remove("client_name");
    assert_eq!(listed, invoice);
}

#[actix_web::test]
async fn the_note_is_audited_with_its_actor_and_the_invoice_figures_before_and_after() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    let note = w
        .credit(
            &id,
            json!({"reason": "Geste", "lines": [{"position": 1, "amount_excl_tax": 1_000}]}),
        )
        .await
        .assert_status(201)
        .json();
    let note_id = note["id"].as_str().unwrap();
    assert_eq!(
        w.app.count(&format!(
            "SELECT count(*) FROM ledger_audit WHERE document_kind = 'credit_note' \
             AND action = 'credit_note_issued' AND document_id = '{note_id}' \
             AND client_id = '{}' AND actor_id LIKE 'act_%' \
             AND before->>'outstanding' = '11880' AND before->>'credited_amount' = '0' \
             AND after->>'outstanding' = '10680' AND after->>'credited_amount' = '1200'",
            w.hajar
        )),
        1
    );
}

#[actix_web::test]
async fn a_partial_note_credits_part_of_a_line_with_its_tva_rounded_like_invoices() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.plan_change).await;
    // 33.33 MAD at 20 %: 6.666 → 6.67, half up as the billing engine rounds.
    let note = w
        .credit(
            &id,
            json!({"reason": "Coupure", "lines": [{"position": 2, "amount_excl_tax": 3_333}]}),
        )
        .await
        .assert_status(201)
        .json();
    assert_eq!(
        note["lines"],
        json!([{"position": 2, "description": "Offre MOB-199 – février 2026 (prorata)",
                "amount_excl_tax": 3_333, "tax_rate_bp": 2000, "tax_amount": 667,
                "amount_incl_tax": 4_000}])
    );
    assert_eq!(note["total_incl_tax"], 4_000);
    assert_eq!(note["applied_to_invoice"], 4_000);
    assert_eq!(note["invoice_status"], "issued");
    assert_eq!(note["invoice_outstanding"], 17_880 - 4_000);
    let invoice = w.invoice(&id).await;
    assert_eq!(invoice["status"], "issued");
    assert_eq!(invoice["credited_amount"], 4_000);
    assert_eq!(invoice["outstanding"], 13_880);
}

#[actix_web::test]
async fn partial_notes_then_a_full_one_add_up_to_the_invoice_exactly() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.plan_change).await;
    let mut ids = Vec::new();
    for lines in [
        json!([{"position": 1, "amount_excl_tax": 1_651}, {"position": 2, "amount_excl_tax": 3_317}]),
        json!([{"position": 2, "amount_excl_tax": 3_317}]),
    ] {
        let note = w
            .credit(&id, json!({"reason": "Tranche", "lines": lines}))
            .await
            .assert_status(201)
            .json();
        ids.push(note["id"].clone());
    }
    let last = w
        .credit(&id, json!({"reason": "Solde"}))
        .await
        .assert_status(201)
        .json();
    ids.push(last["id"].clone());
    // What remains: line 1 4 950 − 1 651, line 2 9 950 − 2 × 3 317.
    let remaining: Vec<i64> = last["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount_excl_tax"].as_i64().unwrap())
        .collect();
    assert_eq!(remaining, vec![3_299, 3_316]);
    assert_eq!(last["invoice_status"], "void");
    let sums = |column: &str| {
        w.app.count(&format!(
            "SELECT COALESCE(SUM({column}), 0) FROM credit_notes WHERE invoice_id = '{id}'"
        ))
    };
    assert_eq!(sums("total_excl_tax"), 14_900);
    assert_eq!(sums("total_tax"), 2_980);
    assert_eq!(sums("total_incl_tax"), 17_880);
    let invoice = w.invoice(&id).await;
    assert_eq!(invoice["credited_amount"], 17_880);
    assert_eq!(invoice["credit_note_ids"], Value::Array(ids));
    let numbers: Vec<String> = (1..=3).map(|n| format!("AV-2026-{n:06}")).collect();
    assert_eq!(last["credit_note_number"], numbers[2].as_str());
}

#[actix_web::test]
async fn more_than_remains_of_a_line_is_credit_exceeds_invoice_and_changes_nothing() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.plan_change).await;
    w.credit(
        &id,
        json!({"reason": "Tranche", "lines": [{"position": 1, "amount_excl_tax": 4_000}]}),
    )
    .await
    .assert_status(201);
    w.credit(
        &id,
        json!({"reason": "Trop", "lines": [{"position": 1, "amount_excl_tax": 951}]}),
    )
    .await
    .assert_problem(422, "credit_exceeds_invoice");
    assert_eq!(rows(&w.app, "credit_notes"), 1);
    assert_eq!(w.invoice(&id).await["credited_amount"], 4_800);
    // Exactly what remains of the line is accepted, to the centime.
    w.credit(
        &id,
        json!({"reason": "Reste", "lines": [{"position": 1, "amount_excl_tax": 950}]}),
    )
    .await
    .assert_status(201);
}

#[actix_web::test]
async fn nothing_left_to_credit_is_invoice_fully_credited() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    w.credit(&id, json!({"reason": "Annulation"}))
        .await
        .assert_status(201);
    for body in [
        json!({"reason": "Encore"}),
        json!({"reason": "Encore", "lines": [{"position": 1, "amount_excl_tax": 1}]}),
    ] {
        w.credit(&id, body)
            .await
            .assert_problem(409, "invoice_fully_credited");
    }
    assert_eq!(rows(&w.app, "credit_notes"), 1);
}

#[actix_web::test]
async fn a_note_on_a_paid_invoice_becomes_client_credit() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax WHERE id = '{id}'"
    ));
    let note = w
        .credit(&id, json!({"reason": "Double facturation"}))
        .await
        .assert_status(201)
        .json();
    assert_eq!(note["applied_to_invoice"], 0);
    assert_eq!(note["credited_to_balance"], 11_880);
    assert_eq!(note["invoice_status"], "paid");
    assert_eq!(note["invoice_outstanding"], 0);
    // The credit pays the client's other open invoices at once (decision 0151); what they
    // could not take stays on the note.
    let note_id = note["id"].as_str().unwrap();
    let applied = w.app.count(&format!(
        "SELECT COALESCE(sum(amount), 0)::bigint FROM credit_note_allocations \
         WHERE credit_note_id = '{note_id}'"
    ));
    let open_before = w.app.count(&format!(
        "SELECT COALESCE(sum(total_incl_tax - amount_paid - credited_amount), 0)::bigint \
         FROM invoices WHERE client_id = '{}' AND status IN ('issued', 'partially_paid')",
        w.hajar
    )) + applied;
    assert_eq!(applied, open_before.min(11_880));
    assert_eq!(
        w.app.count(&format!(
            "SELECT credit_remaining FROM credit_notes WHERE id = '{note_id}'"
        )),
        11_880 - applied
    );
    let invoice = w.invoice(&id).await;
    assert_eq!(invoice["status"], "paid");
    assert_eq!(invoice["credited_amount"], 0);
}

#[actix_web::test]
async fn a_note_on_a_partly_paid_invoice_settles_it_and_credits_the_rest() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'partially_paid', amount_paid = 5000 WHERE id = '{id}'"
    ));
    let note = w
        .credit(&id, json!({"reason": "Annulation"}))
        .await
        .assert_status(201)
        .json();
    assert_eq!(note["applied_to_invoice"], 6_880);
    assert_eq!(note["credited_to_balance"], 5_000);
    assert_eq!(note["invoice_status"], "paid");
    let invoice = w.invoice(&id).await;
    assert_eq!(
        (
            invoice["status"].clone(),
            invoice["credited_amount"].clone()
        ),
        (json!("paid"), json!(6_880))
    );
}

#[actix_web::test]
async fn a_partial_note_on_a_partly_paid_invoice_leaves_it_partially_paid() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'partially_paid', amount_paid = 5000 WHERE id = '{id}'"
    ));
    let note = w
        .credit(
            &id,
            json!({"reason": "Geste", "lines": [{"position": 1, "amount_excl_tax": 1_000}]}),
        )
        .await
        .assert_status(201)
        .json();
    assert_eq!(note["invoice_status"], "partially_paid");
    assert_eq!(note["invoice_outstanding"], 11_880 - 5_000 - 1_200);
}

#[actix_web::test]
async fn an_unknown_or_malformed_invoice_is_not_found() {
    let w = World::new().await;
    for id in ["inv_01JD0000000000000000000000", "nope"] {
        w.credit(id, json!({"reason": "x"}))
            .await
            .assert_problem(404, "invoice_not_found");
    }
}

#[actix_web::test]
async fn a_bad_body_is_validation_failed_naming_each_field_and_changes_nothing() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.plan_change).await;
    let cases = [
        (json!({"reason": "  "}), vec!["reason"]),
        (json!({"reason": "x".repeat(301)}), vec!["reason"]),
        (json!({"reason": "a\u{1b}[31m"}), vec!["reason"]),
        (json!({"reason": "ok", "lines": []}), vec!["lines"]),
        (
            json!({"reason": "ok", "lines": [{"position": 1, "amount_excl_tax": 0}]}),
            vec!["lines[0].amount_excl_tax"],
        ),
        (
            json!({"reason": "ok", "lines": [{"position": 1, "amount_excl_tax": -5}]}),
            vec!["lines[0].amount_excl_tax"],
        ),
        (
            json!({"reason": "ok", "lines": [{"position": 0, "amount_excl_tax": 5}]}),
            vec!["lines[0].position"],
        ),
        (
            json!({"reason": "ok", "lines": [{"position": 1, "amount_excl_tax": 5},
                                             {"position": 1, "amount_excl_tax": 6}]}),
            vec!["lines[1].position"],
        ),
        (
            json!({"reason": "ok", "lines": [{"position": 1, "amount_excl_tax": 5},
                                             {"position": 3, "amount_excl_tax": 6}]}),
            vec!["lines[1].position"],
        ),
        (
            json!({"reason": "", "lines": [{"position": 1, "amount_excl_tax": 0}]}),
            vec!["reason", "lines[0].amount_excl_tax"],
        ),
    ];
    for (body, fields) in cases {
        let answer = w.credit(&id, body.clone()).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), fields, "{body}");
    }
    // A missing or unknown field is a malformed body, as on every endpoint.
    let answer = w
        .credit(
            &id,
            json!({"lines": [{"position": 1, "amount_excl_tax": 5}]}),
        )
        .await;
    answer.assert_problem(400, "invalid_body");
    assert_eq!(answer.error_fields(), vec!["reason"]);
    w.credit(&id, json!({"reason": "ok", "extra": 1}))
        .await
        .assert_problem(400, "invalid_body");
    assert_eq!(rows(&w.app, "credit_notes"), 0);
    assert_eq!(rows(&w.app, "ledger_audit"), 0);
    let invoice = w.invoice(&id).await;
    assert_eq!(
        (
            invoice["status"].clone(),
            invoice["credited_amount"].clone()
        ),
        (json!("issued"), json!(0))
    );
}

#[actix_web::test]
async fn only_billing_and_admin_actors_issue_notes() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    let path = format!("/invoices/{id}/credit-notes");
    let body = json!({"reason": "Annulation"});
    w.app
        .post(&path)
        .header("idempotency-key", "k-anon")
        .json(&body)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    for role in ["viewer", "agent", "collections"] {
        let token = w.app.actor_token(&[role]).await;
        w.app
            .post(&path)
            .token(&token)
            .header("idempotency-key", "k-role")
            .json(&body)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    assert_eq!(rows(&w.app, "credit_notes"), 0);
    w.app
        .post(&path)
        .admin()
        .header("idempotency-key", "k-admin")
        .json(&body)
        .send()
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn the_key_is_required_a_replay_answers_the_same_note_and_a_reuse_is_refused() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.plan_change).await;
    let path = format!("/invoices/{id}/credit-notes");
    let body = json!({"reason": "Geste", "lines": [{"position": 1, "amount_excl_tax": 1_000}]});
    w.app
        .post(&path)
        .token(&w.billing)
        .json(&body)
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    let first = w.credit_with_key(&id, "cn-1", body.clone()).await;
    first.assert_status(201);
    let again = w.credit_with_key(&id, "cn-1", body.clone()).await;
    again.assert_status(201);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(rows(&w.app, "credit_notes"), 1);
    w.credit_with_key(
        &id,
        "cn-1",
        json!({"reason": "Geste", "lines": [{"position": 1, "amount_excl_tax": 2_000}]}),
    )
    .await
    .assert_problem(422, "idempotency_key_reused");
    assert_eq!(rows(&w.app, "credit_notes"), 1);
    assert_eq!(w.invoice(&id).await["credited_amount"], 1_200);
}
