//! Issue #22 §6 over HTTP: a contract change inside a month already invoiced is refused
//! (`period_already_billed`) unless `regularize: true`, which corrects the invoices in the
//! change's transaction: a credit note for what is no longer owed, a regularisation charge
//! billed on the next invoice for what is owed now. Amounts are golden, to the centime, on
//! February 2026 (28 days) billed in full at 99.00 MAD (9 900 + 1 980).

use serde_json::{json, Value};
use time::macros::date;

use crate::support::{seed, Answer, TestApp};

struct Billed {
    app: TestApp,
    /// Agent and billing: may regularise.
    operator: String,
    /// Agent only.
    agent: String,
    billing: String,
    contract: String,
    mobile_plus: String,
    /// February's invoice of `contract`.
    invoice_id: String,
    invoice_number: String,
}

/// A contract on MOB-99 since December whose February is invoiced.
async fn february_billed() -> Billed {
    let app = TestApp::new().await;
    let operator = app.actor_token(&["agent", "billing"]).await;
    let agent = app.actor_token(&["agent"]).await;
    let billing = app.actor_token(&["billing"]).await;
    let mobile = seed::offer(&app, "MOB-99", "mobile", 9_900);
    let mobile_plus = seed::offer(&app, "MOB-199", "mobile", 19_900);
    let client = seed::client(&app, "AB123456");
    let contract = seed::contract(&app, &client, &mobile, date!(2025 - 12 - 01), "active");
    let mut billed = Billed {
        app,
        operator,
        agent,
        billing,
        contract,
        mobile_plus,
        invoice_id: String::new(),
        invoice_number: String::new(),
    };
    billed.run("feb", "2026-02", Some("2026-03-01")).await;
    let invoice = billed.invoice_for("2026-02").await;
    billed.invoice_id = invoice["id"].as_str().unwrap().to_owned();
    billed.invoice_number = invoice["invoice_number"].as_str().unwrap().to_owned();
    billed
}

impl Billed {
    async fn run(&self, key: &str, period: &str, issue_date: Option<&str>) {
        let mut body = json!({ "period": period });
        if let Some(issue) = issue_date {
            body["issue_date"] = json!(issue);
        }
        self.app
            .post("/billing/runs")
            .token(&self.billing)
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
            .assert_status(201);
    }

    async fn invoice_for(&self, period: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/invoices?period={period}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["contract_id"] == self.contract.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no {period} invoice"))
    }

    async fn invoice(&self, id: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/invoices/{id}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }

    async fn put(&self, token: &str, what: &str, body: Value) -> Answer {
        self.app
            .put(&format!("/contracts/{}/{what}", self.contract))
            .token(token)
            .json(&body)
            .send()
            .await
    }

    async fn audit_actions(&self) -> Vec<String> {
        let answer = self
            .app
            .get(&format!("/contracts/{}/audit", self.contract))
            .token(&self.agent)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect()
    }

    /// What a refused change must leave as it was.
    fn state(&self) -> (i64, i64, i64, i64, i64) {
        let c = &self.contract;
        let app = &self.app;
        (
            app.count(&format!(
                "SELECT count(*) FROM contracts WHERE id = '{c}' AND status = 'active' \
                 AND termination_date IS NULL AND document_version = 1"
            )),
            app.count(&format!(
                "SELECT count(*) FROM contract_offer_periods WHERE contract_id = '{c}'"
            )),
            app.count(&format!(
                "SELECT count(*) FROM contract_audit WHERE contract_id = '{c}'"
            )),
            app.count("SELECT count(*) FROM credit_notes"),
            app.count("SELECT count(*) FROM pending_charges"),
        )
    }

    fn assert_billed_conflict(&self, answer: &Answer) {
        answer.assert_problem(409, "period_already_billed");
        let problem = answer.json();
        assert_eq!(problem["invoice_number"], self.invoice_number.as_str());
        assert_eq!(problem["period"], "2026-02");
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains(&self.invoice_number));
    }
}

fn terminate(date: &str, regularize: bool) -> Value {
    json!({"status": "terminated", "effective_date": date, "regularize": regularize})
}

/// (position, excl., tax, incl.) of a document line.
type Line = (i64, i64, i64, i64);

/// Each line of a document.
fn lines(document: &Value) -> Vec<Line> {
    document["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["position"].as_i64().unwrap(),
                l["amount_excl_tax"].as_i64().unwrap(),
                l["tax_amount"].as_i64().unwrap(),
                l["amount_incl_tax"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn each_change_inside_an_invoiced_month_is_refused_without_regularize_and_changes_nothing() {
    let b = february_billed().await;
    let before = b.state();
    let changes = [
        ("status", terminate("2026-02-10", false)),
        (
            "status",
            json!({"status": "terminated", "effective_date": "2026-02-10"}),
        ),
        (
            "status",
            json!({"status": "suspended", "effective_date": "2026-02-20"}),
        ),
        (
            "offer",
            json!({"offer_id": b.mobile_plus, "effective_date": "2026-02-10"}),
        ),
        (
            "offer",
            json!({"offer_id": b.mobile_plus, "effective_date": "2026-02-01", "regularize": false}),
        ),
    ];
    for (what, body) in changes {
        let answer = b.put(&b.operator, what, body).await;
        b.assert_billed_conflict(&answer);
        assert_eq!(b.state(), before);
    }

    // A reactivation dated inside the month too (the suspension itself dated today).
    b.put(&b.agent, "status", json!({"status": "suspended"}))
        .await
        .assert_status(200);
    let suspended = b.state();
    let answer = b
        .put(
            &b.operator,
            "status",
            json!({"status": "active", "effective_date": "2026-02-25"}),
        )
        .await;
    b.assert_billed_conflict(&answer);
    assert_eq!(b.state(), suspended);
}

#[actix_web::test]
async fn a_regularised_termination_on_the_10th_credits_the_11th_to_the_28th() {
    let b = february_billed().await;
    let answer = b
        .put(&b.operator, "status", terminate("2026-02-10", true))
        .await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["status"], "terminated");
    assert_eq!(body["termination_date"], "2026-02-10");
    let notes = body["regularisation"]["credit_notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    // 1st–10th stay billed: 9 900 × 10 / 28 = 3 535.71 → 3 536; credited 6 364 + 1 273.
    let note = &notes[0];
    assert_eq!(note["invoice_id"], b.invoice_id.as_str());
    assert_eq!(lines(note), [(1, 6_364, 1_273, 7_637)]);
    assert_eq!(note["total_incl_tax"], 7_637);
    assert_eq!(
        note["reason"],
        format!(
            "Régularisation : résiliation au 10/02/2026 (contrat {})",
            body["contract_number"].as_str().unwrap()
        )
    );
    assert_eq!(note["invoice_outstanding"], 11_880 - 7_637);
    assert!(body["regularisation"]["pending_charges"]
        .as_array()
        .unwrap()
        .is_empty());

    // The invoice and the contract agree: what remains billed is what the 1st–10th cost.
    let invoice = b.invoice(&b.invoice_id).await;
    assert_eq!(invoice["credited_amount"], 7_637);
    assert_eq!(invoice["outstanding"], 3_536 + 707);
    assert_eq!(invoice["credit_note_ids"][0], note["id"]);

    // The audit names the change and the credit note.
    let actions = b.audit_actions().await;
    assert_eq!(
        actions[actions.len() - 2..],
        ["status_changed".to_owned(), "regularised".to_owned()]
    );
    let audit = b
        .app
        .get(&format!("/contracts/{}/audit", b.contract))
        .token(&b.agent)
        .send()
        .await
        .json();
    let last = audit["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["before"]["invoices"], b.invoice_number.as_str());
    assert_eq!(last["after"]["credit_notes"], note["credit_note_number"]);

    // Sending it again changes nothing: the contract is terminated, one note only.
    b.put(&b.operator, "status", terminate("2026-02-10", true))
        .await
        .assert_problem(409, "invalid_status_transition");
    assert_eq!(b.app.count("SELECT count(*) FROM credit_notes"), 1);
}

#[actix_web::test]
async fn a_termination_reaching_back_over_two_invoiced_months_credits_each() {
    let b = february_billed().await;
    b.run("mar", "2026-03", None).await;
    let march = b.invoice_for("2026-03").await;
    let answer = b
        .put(&b.operator, "status", terminate("2026-02-10", true))
        .await;
    answer.assert_status(200);
    let notes = answer.json()["regularisation"]["credit_notes"].clone();
    let totals: Vec<(String, Vec<Line>, String)> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["invoice_id"].as_str().unwrap().to_owned(),
                lines(n),
                n["invoice_status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        totals,
        [
            (
                b.invoice_id.clone(),
                vec![(1, 6_364, 1_273, 7_637)],
                "issued".to_owned()
            ),
            (
                march["id"].as_str().unwrap().to_owned(),
                vec![(1, 9_900, 1_980, 11_880)],
                "void".to_owned()
            ),
        ]
    );
}

#[actix_web::test]
async fn a_regularised_upgrade_credits_the_old_offer_and_bills_the_new_one_on_the_next_invoice() {
    let b = february_billed().await;
    let answer = b
        .put(
            &b.operator,
            "offer",
            json!({"offer_id": b.mobile_plus, "effective_date": "2026-02-10", "regularize": true}),
        )
        .await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["offer_id"], b.mobile_plus.as_str());
    // MOB-99 keeps the 1st–9th: 9 900 × 9 / 28 = 3 182.14 → 3 182; credited 6 718 + 1 344.
    let note = &body["regularisation"]["credit_notes"][0];
    assert_eq!(lines(note), [(1, 6_718, 1_344, 8_062)]);
    // MOB-199 is owed for the 10th–28th: 19 900 × 19 / 28 = 13 503.57 → 13 504.
    let charges = body["regularisation"]["pending_charges"]
        .as_array()
        .unwrap();
    assert_eq!(charges.len(), 1);
    let charge = &charges[0];
    assert_eq!(
        charge["description"],
        "Régularisation changement d'offre du 10/02/2026 au 28/02/2026"
    );
    assert_eq!(
        (
            charge["start_date"].as_str().unwrap(),
            charge["end_date"].as_str().unwrap(),
            charge["days"].as_i64().unwrap(),
            charge["amount_excl_tax"].as_i64().unwrap(),
            charge["regularised_invoice_id"].as_str().unwrap(),
        ),
        (
            "2026-02-10",
            "2026-02-28",
            19,
            13_504,
            b.invoice_id.as_str()
        )
    );
    let actions = b.audit_actions().await;
    assert_eq!(actions.last().map(String::as_str), Some("regularised"));

    // Sending it again is the same offer: nothing more is charged.
    b.put(
        &b.operator,
        "offer",
        json!({"offer_id": b.mobile_plus, "effective_date": "2026-02-10", "regularize": true}),
    )
    .await
    .assert_problem(422, "same_offer");
    assert_eq!(b.app.count("SELECT count(*) FROM pending_charges"), 1);

    // March's invoice bills the month on MOB-199 and the regularisation as its own line.
    b.run("mar", "2026-03", None).await;
    let march = b.invoice_for("2026-03").await;
    assert_eq!(
        lines(&march),
        [(1, 19_900, 3_980, 23_880), (2, 13_504, 2_701, 16_205)]
    );
    assert_eq!(
        march["lines"][1]["description"],
        "Régularisation changement d'offre du 10/02/2026 au 28/02/2026"
    );
    assert_eq!(
        (
            march["total_excl_tax"].as_i64().unwrap(),
            march["total_tax"].as_i64().unwrap(),
            march["total_incl_tax"].as_i64().unwrap()
        ),
        (33_404, 6_681, 40_085)
    );
    // Billed once: the charge is marked with March's invoice and no later run bills it.
    assert_eq!(
        b.app.count(&format!(
            "SELECT count(*) FROM pending_charges WHERE billed_invoice_id = '{}'",
            march["id"].as_str().unwrap()
        )),
        1
    );
    b.app
        .clock
        .set(time::macros::datetime!(2026-04-02 09:00 UTC));
    b.run("apr", "2026-04", None).await;
    let april = b.invoice_for("2026-04").await;
    assert_eq!(lines(&april), [(1, 19_900, 3_980, 23_880)]);
}

#[actix_web::test]
async fn a_regularised_suspension_is_applied_and_audited_with_nothing_to_correct() {
    let b = february_billed().await;
    let answer = b
        .put(
            &b.operator,
            "status",
            json!({"status": "suspended", "effective_date": "2026-02-20", "regularize": true}),
        )
        .await;
    answer.assert_status(200);
    let body = answer.json();
    assert_eq!(body["status"], "suspended");
    // A suspended contract is billed as an active one: February stays right as it is.
    assert_eq!(
        body["regularisation"],
        json!({"credit_notes": [], "pending_charges": []})
    );
    assert_eq!(b.app.count("SELECT count(*) FROM credit_notes"), 0);
    let actions = b.audit_actions().await;
    assert_eq!(actions.last().map(String::as_str), Some("regularised"));
}

#[actix_web::test]
async fn a_change_dated_after_the_invoiced_months_works_as_before() {
    let b = february_billed().await;
    // An agent without the billing role, no regularize: nothing invoiced from 1 March on.
    let answer = b
        .put(
            &b.agent,
            "offer",
            json!({"offer_id": b.mobile_plus, "effective_date": "2026-03-01"}),
        )
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["regularisation"], Value::Null);
    let answer = b
        .put(
            &b.agent,
            "status",
            json!({"status": "terminated", "effective_date": "2026-03-05"}),
        )
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["regularisation"], Value::Null);
    assert_eq!(b.app.count("SELECT count(*) FROM credit_notes"), 0);
}

#[actix_web::test]
async fn the_last_invoiced_day_can_be_the_last_day_of_service() {
    let b = february_billed().await;
    // February is billed to its 28th, and nothing after it is.
    let answer = b
        .put(
            &b.agent,
            "status",
            json!({"status": "terminated", "effective_date": "2026-02-28"}),
        )
        .await;
    answer.assert_status(200);
    assert_eq!(answer.json()["termination_date"], "2026-02-28");
    assert_eq!(answer.json()["regularisation"], Value::Null);
    assert_eq!(b.app.count("SELECT count(*) FROM credit_notes"), 0);
}

#[actix_web::test]
async fn an_invoice_already_credited_is_not_regularised_again() {
    let b = february_billed().await;
    b.app
        .post(&format!("/invoices/{}/credit-notes", b.invoice_id))
        .token(&b.billing)
        .header("idempotency-key", "goodwill")
        .json(&json!({"reason": "Geste commercial", "lines": [{"position": 1, "amount_excl_tax": 1_000}]}))
        .send()
        .await
        .assert_status(201);
    let before = b.state();
    let answer = b
        .put(&b.operator, "status", terminate("2026-02-10", true))
        .await;
    answer.assert_problem(409, "invoice_already_corrected");
    assert_eq!(answer.json()["invoice_number"], b.invoice_number.as_str());
    assert_eq!(b.state(), before);
}

#[actix_web::test]
async fn regularising_needs_an_agent_with_the_billing_role() {
    let b = february_billed().await;
    let viewer = b.app.actor_token(&["viewer"]).await;
    let before = b.state();
    b.app
        .put(&format!("/contracts/{}/status", b.contract))
        .json(&terminate("2026-02-10", true))
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    for token in [&viewer, &b.billing, &b.agent] {
        b.put(token, "status", terminate("2026-02-10", true))
            .await
            .assert_problem(403, "forbidden");
        b.put(
            token,
            "offer",
            json!({"offer_id": b.mobile_plus, "effective_date": "2026-02-10", "regularize": true}),
        )
        .await
        .assert_problem(403, "forbidden");
    }
    assert_eq!(b.state(), before);
}

#[actix_web::test]
async fn regularize_must_be_a_boolean() {
    let b = february_billed().await;
    let before = b.state();
    let answer = b
        .put(
            &b.operator,
            "status",
            json!({"status": "terminated", "effective_date": "2026-02-10", "regularize": "yes"}),
        )
        .await;
    assert!(
        answer.status == 400 || answer.status == 422,
        "{}",
        answer.status
    );
    assert!(
        answer.json()["detail"]
            .as_str()
            .unwrap()
            .contains("regularize")
            || answer.error_fields().contains(&"regularize".to_owned()),
        "{}",
        answer.json()
    );
    assert_eq!(b.state(), before);
}

#[actix_web::test]
async fn the_landing_plan_change_only_takes_dates_not_yet_billed() {
    let b = february_billed().await;
    let token = crate::landing::lookup_token(&b.app, "AB123456").await;
    let change = |date: &str| {
        json!({
            "cin": "AB123456", "lookup_token": token, "contract_id": b.contract,
            "offer_id": b.mobile_plus, "contract_start_date": date
        })
    };
    let before = b.state();
    let answer = crate::landing::plan_change(&b.app, "pc-feb", &change("2026-02-15")).await;
    b.assert_billed_conflict(&answer);
    assert_eq!(b.state(), before);
    // `regularize` is no member of the landing's body.
    let mut with_regularize = change("2026-02-15");
    with_regularize["regularize"] = json!(true);
    crate::landing::plan_change(&b.app, "pc-reg", &with_regularize)
        .await
        .assert_status(400);
    assert_eq!(b.state(), before);

    crate::landing::plan_change(&b.app, "pc-mar", &change("2026-03-01"))
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn a_contract_ended_after_a_regularised_change_gets_a_last_invoice_for_its_charge() {
    let b = february_billed().await;
    b.put(
        &b.operator,
        "offer",
        json!({"offer_id": b.mobile_plus, "effective_date": "2026-02-10", "regularize": true}),
    )
    .await
    .assert_status(200);
    // Service ends with February, which is billed: no regularisation needed for that.
    b.put(
        &b.agent,
        "status",
        json!({"status": "terminated", "effective_date": "2026-02-28"}),
    )
    .await
    .assert_status(200);
    b.run("mar", "2026-03", None).await;
    let march = b.invoice_for("2026-03").await;
    assert_eq!(lines(&march), [(1, 13_504, 2_701, 16_205)]);
    assert_eq!(march["offer_id"], b.mobile_plus.as_str());
    assert_eq!(
        b.app
            .count("SELECT count(*) FROM pending_charges WHERE billed_invoice_id IS NULL"),
        0
    );
}
