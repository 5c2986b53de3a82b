//! P3: deleting a client is safe-only — any contract, invoice, payment or collection history
//! blocks it; lines no contract used go with the client.

use serde_json::json;
use time::macros::date;

use super::{client_body, create_client, create_offer, id, offer_body};
use crate::support::{seed, TestApp};

/// Rows other features own, written directly: an invoice of `client_id` on `contract_id`.
fn invoice(app: &TestApp, client_id: &str, contract_id: &str, offer_id: &str) {
    let run = format!("run_{}", ulid::Ulid::new());
    app.sql(&format!(
        "INSERT INTO billing_runs (id, period, issue_date, due_date, status, dry_run, currency, \
         actor_id, created_at, updated_at) VALUES ('{run}', '2026-02', DATE '2026-03-01', \
         DATE '2026-03-16', 'completed', false, 'MAD', 'system', now(), now())"
    ));
    app.sql(&format!(
        "INSERT INTO invoices (id, invoice_number, billing_run_id, client_id, contract_id, \
         offer_id, service_type, period, issue_date, due_date, status, total_excl_tax, \
         total_tax, total_incl_tax, currency, created_at, updated_at, buyer_name, \
         service_identifier, seller_identity_id) VALUES \
         ('inv_{}', 'FAC-2026-000001', '{run}', '{client_id}', '{contract_id}', '{offer_id}', \
         'mobile', '2026-02', DATE '2026-03-01', DATE '2026-03-16', 'issued', 9900, 1980, \
         11880, 'MAD', now(), now(), 'Client', '+212600000000', 1)",
        ulid::Ulid::new()
    ));
}

fn payment(app: &TestApp, client_id: &str) {
    app.sql(&format!(
        "INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at, \
         unallocated_amount, actor_id, created_at, updated_at) VALUES ('pay_{}', '{client_id}', \
         5000, 'MAD', 'cash', NULL, DATE '2026-03-01', 5000, 'system', now(), now())",
        ulid::Ulid::new()
    ));
}

fn collection_case(app: &TestApp, client_id: &str) {
    app.sql(&format!(
        "INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at, \
         resolved_at, created_at, updated_at) VALUES ('case_{}', '{client_id}', 'closed', 0, \
         now(), now(), now(), now())",
        ulid::Ulid::new()
    ));
}

#[actix_web::test]
async fn a_client_without_history_is_deleted_with_its_unused_lines() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let client = create_client(&app, &client_body("AB123456")).await;
    let line = app
        .post("/subscribers")
        .admin()
        .json(&json!({"client_id": id(&client), "service_type": "mobile",
                      "service_identifier": "0612345678"}))
        .send()
        .await;
    line.assert_status(201);
    let path = format!("/customers/{}", id(&client));
    let answer = app.delete(&path).token(&agent).send().await;
    answer.assert_status(204);
    assert!(answer.body.is_empty());
    app.get(&path)
        .admin()
        .send()
        .await
        .assert_problem(404, "client_not_found");
    app.get(&format!("/subscribers/{}", id(&line.json())))
        .admin()
        .send()
        .await
        .assert_problem(404, "subscriber_not_found");
    assert_eq!(app.count("SELECT count(*) FROM subscribers"), 0);
    // The CIN is free again.
    create_client(&app, &client_body("AB123456")).await;
}

#[actix_web::test]
async fn each_kind_of_history_blocks_deleting_the_client_and_keeps_its_lines() {
    let app = TestApp::new().await;
    let offer = id(&create_offer(&app, &offer_body("HISTORY", "mobile")).await);
    let kinds = ["contract", "invoice", "payment", "collection case"];
    for (n, kind) in kinds.into_iter().enumerate() {
        let client = id(&create_client(&app, &client_body(&format!("H{n}12345"))).await);
        match kind {
            "contract" => {
                seed::contract(&app, &client, &offer, date!(2025 - 01 - 01), "terminated");
            }
            "invoice" => {
                // An invoice always comes with its client's own contract: the database refuses
                // one on another client's contract (decision 0094).
                let contract =
                    seed::contract(&app, &client, &offer, date!(2025 - 01 - 01), "terminated");
                invoice(&app, &client, &contract, &offer);
            }
            "payment" => payment(&app, &client),
            _ => collection_case(&app, &client),
        }
        seed::subscriber(&app, &client, "internet", &format!("LINE-{n}"));
        app.delete(&format!("/customers/{client}"))
            .admin()
            .send()
            .await
            .assert_problem(409, "client_delete_blocked");
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) FROM clients WHERE id = '{client}'"
            )),
            1,
            "{kind}"
        );
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) FROM subscribers WHERE client_id = '{client}'"
            )),
            if kind == "contract" || kind == "invoice" {
                2
            } else {
                1
            },
            "{kind}: lines kept"
        );
    }
}
