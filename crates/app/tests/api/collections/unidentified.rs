//! Issue 22 §3: unidentified money (`GET /collections/unidentified`, `POST …/{id}/assign`),
//! `GET /collections/payments/{payment_id}` and the payment list's `reference` filter.

use serde_json::{json, Value};

use super::fixtures::{collector, invoice_state};
use super::import_fixtures::{debtor_with_invoice, import_day, upload};
use crate::support::{Answer, TestApp};

/// Imports lines no client can be found for; returns their receipt ids.
async fn receipts(app: &TestApp, token: &str, references: &[&str]) -> Vec<String> {
    let mut file = String::from("date;amount;reference;payer\n");
    for reference in references {
        file.push_str(&format!("2026-11-04;75,50;{reference};Inconnu\n"));
    }
    let answer = upload(app, token, "text/csv", &file).await;
    answer.assert_status(201);
    answer.json()["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["receipt_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn assign(app: &TestApp, token: &str, receipt: &str, body: Value, key: &str) -> Answer {
    app.post(&format!("/collections/unidentified/{receipt}/assign"))
        .token(token)
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await
}

#[actix_web::test]
async fn an_assigned_receipt_becomes_the_clients_payment_and_shows_in_the_statement() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (d, invoice) = debtor_with_invoice(&app, "931001", "FAC-2026-000201", 12_000);
    let receipt = receipts(&app, &token, &["VIR-201"]).await.remove(0);
    let body = json!({"client_id": d.client_id, "invoice_id": invoice});
    let answer = assign(&app, &token, &receipt, body.clone(), "assign-201").await;
    answer.assert_status(201);
    let assigned = answer.json();
    assert_eq!(assigned["receipt"]["status"], "assigned");
    assert_eq!(assigned["receipt"]["client_id"], d.client_id.as_str());
    let payment = assigned["payment"]["payment_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(assigned["receipt"]["payment_id"], payment.as_str());
    assert_eq!(assigned["payment"]["amount"], 7_550);
    assert_eq!(assigned["payment"]["reference"], "VIR-201");
    assert_eq!(assigned["payment"]["received_at"], "2026-11-04");
    assert_eq!(assigned["payment"]["invoice_id"], invoice.as_str());
    assert_eq!(assigned["payment"]["allocation_state"], "partial");
    assert_eq!(
        invoice_state(&app, &invoice),
        ("partially_paid".into(), 7_550)
    );
    // Replayed with the same key: the same answer, nothing posted twice.
    let replay = assign(&app, &token, &receipt, body, "assign-201").await;
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, answer.body);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
    // A second assignment is refused, whoever it names.
    assign(
        &app,
        &token,
        &receipt,
        json!({"client_id": d.client_id}),
        "assign-202",
    )
    .await
    .assert_problem(409, "receipt_already_assigned");
    // The receipt reads back assigned; the list filters by status.
    let read = app
        .get(&format!("/collections/unidentified/{receipt}"))
        .token(&token)
        .send()
        .await;
    read.assert_status(200);
    assert_eq!(read.json()["status"], "assigned");
    let waiting = app
        .get("/collections/unidentified?status=unidentified")
        .token(&token)
        .send()
        .await;
    assert_eq!(waiting.json()["items"], json!([]));
    let done = app
        .get("/collections/unidentified?status=assigned")
        .token(&token)
        .send()
        .await;
    assert_eq!(done.json()["items"][0]["receipt_id"], receipt.as_str());
    // The client's statement shows the payment.
    let statement = app
        .get(&format!("/customers/{}/statement", d.client_id))
        .admin()
        .send()
        .await;
    statement.assert_status(200);
    let lines = statement.json()["lines"].as_array().unwrap().clone();
    assert!(
        lines.iter().any(|l| l["kind"] == "payment"
            && l["document_id"] == payment.as_str()
            && l["effect"] == -7_550),
        "{lines:?}"
    );
    // Re-importing the bank line later is still a duplicate.
    let again = upload(
        &app,
        &token,
        "text/csv",
        "date;amount;reference;payer\n2026-11-04;75,50;VIR-201;Inconnu\n",
    )
    .await;
    assert_eq!(again.json()["lines"][0]["status"], "duplicate");
}

#[actix_web::test]
async fn an_assignment_naming_an_unknown_or_foreign_party_changes_nothing() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (d, _) = debtor_with_invoice(&app, "931011", "FAC-2026-000211", 12_000);
    let (_, foreign) = debtor_with_invoice(&app, "931012", "FAC-2026-000212", 12_000);
    let receipt = receipts(&app, &token, &["VIR-211"]).await.remove(0);
    let unknown_client = json!({"client_id": "cli_01JD0000000000000000000000"});
    assign(&app, &token, &receipt, unknown_client, "a1")
        .await
        .assert_problem(404, "client_not_found");
    let unknown_invoice =
        json!({"client_id": d.client_id, "invoice_id": "inv_01JD0000000000000000000000"});
    assign(&app, &token, &receipt, unknown_invoice, "a2")
        .await
        .assert_problem(404, "invoice_not_found");
    let other = json!({"client_id": d.client_id, "invoice_id": foreign});
    assign(&app, &token, &receipt, other, "a3")
        .await
        .assert_problem(422, "invoice_not_owned");
    assign(&app, &token, &receipt, json!({"invoice_id": foreign}), "a4")
        .await
        .assert_problem(400, "invalid_body");
    assign(
        &app,
        &token,
        "rcp_01JD0000000000000000000000",
        json!({"client_id": d.client_id}),
        "a5",
    )
    .await
    .assert_problem(404, "receipt_not_found");
    let viewer = app.actor_token(&["viewer"]).await;
    assign(
        &app,
        &viewer,
        &receipt,
        json!({"client_id": d.client_id}),
        "a6",
    )
    .await
    .assert_problem(403, "forbidden");
    app.post(&format!("/collections/unidentified/{receipt}/assign"))
        .token(&token)
        .json(&json!({"client_id": d.client_id}))
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
    assert_eq!(
        app.count("SELECT count(*) FROM unidentified_receipts WHERE status = 'unidentified'"),
        1
    );
}

#[actix_web::test]
async fn receipts_list_in_pages_and_refuse_a_bad_query() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let ids = receipts(&app, &token, &["VIR-221", "VIR-222", "VIR-223"]).await;
    let first = app
        .get("/collections/unidentified?limit=2")
        .token(&token)
        .send()
        .await;
    first.assert_status(200);
    let first = first.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get(&format!(
            "/collections/unidentified?limit=2&cursor={cursor}"
        ))
        .token(&token)
        .send()
        .await
        .json();
    let mut seen: Vec<String> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["items"].as_array().unwrap())
        .map(|r| r["receipt_id"].as_str().unwrap().to_owned())
        .collect();
    seen.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(seen, expected);
    assert!(second["next_cursor"].is_null());
    app.get("/collections/unidentified?status=lost")
        .token(&token)
        .send()
        .await
        .assert_problem(400, "invalid_query");
    app.get("/collections/unidentified")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    app.get("/collections/unidentified/rcp_01JD0000000000000000000000")
        .token(&token)
        .send()
        .await
        .assert_problem(404, "receipt_not_found");
}

#[actix_web::test]
async fn a_payment_reads_by_id_and_the_list_filters_by_reference() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    debtor_with_invoice(&app, "931031", "FAC-2026-000231", 12_000);
    let file = "date;amount;reference;payer;invoice_number\n\
        2026-11-03;10,00;VIR-231;;FAC-2026-000231\n\
        2026-11-03;20,00;VIR-232;;FAC-2026-000231\n";
    let import = upload(&app, &token, "text/csv", file).await.json();
    let second = import["lines"][1]["payment_id"].as_str().unwrap();
    let listed = app
        .get("/collections/payments?reference=VIR-232")
        .token(&token)
        .send()
        .await;
    listed.assert_status(200);
    let items = listed.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["payment_id"], second);
    let read = app
        .get(&format!("/collections/payments/{second}"))
        .token(&token)
        .send()
        .await;
    read.assert_status(200);
    assert_eq!(read.json()["amount"], 2_000);
    app.get("/collections/payments/pay_01JD0000000000000000000000")
        .token(&token)
        .send()
        .await
        .assert_problem(404, "payment_not_found");
    app.get("/collections/payments/nope")
        .token(&token)
        .send()
        .await
        .assert_problem(404, "payment_not_found");
    app.get(&format!(
        "/collections/payments?reference={}",
        "R".repeat(101)
    ))
    .token(&token)
    .send()
    .await
    .assert_problem(400, "invalid_query");
}
