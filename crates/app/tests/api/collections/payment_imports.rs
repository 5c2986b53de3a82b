//! Issue 22 §3: `POST /collections/payment-imports`: every line status in one file, the CSV
//! variants and the JSON form, duplicates, re-imports and idempotent replays.

use serde_json::json;

use super::fixtures::{collector, invoice_state, text};
use super::import_fixtures::{debtor_with_invoice, import_day, statuses, upload, upload_with_key};
use crate::support::TestApp;

#[actix_web::test]
async fn a_file_reports_every_line_status_and_posts_through_the_payment_path() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (a, a1) = debtor_with_invoice(&app, "930001", "FAC-2026-000101", 12_000);
    let (b, b1) = debtor_with_invoice(&app, "930002", "FAC-2026-000102", 20_000);
    let (c, c1) = debtor_with_invoice(&app, "930003", "FAC-2026-000103", 30_000);
    let (d, d1) = debtor_with_invoice(&app, "930004", "FAC-2026-000104", 50_000);
    let file = "date;amount;reference;payer;invoice_number\n\
        2026-11-03;120,00;VIR-001;Societe X;FAC-2026-000101\n\
        2026-11-03;200.00;VIR-002 fac-2026-000102;;\n\
        04/11/2026;300,00;VIR-003;M. Alaoui k930003;\n\
        2026-11-04;100,00;VIR-004;;FAC-2026-000104\n\
        2026-11-05;75,50;VIR-005;Inconnu;\n\
        2026-11-05;12,345;VIR-006;;\n\
        2026-02-31;10,00;VIR-007;;\n\
        2026-11-03;120,00;VIR-001;Societe X;FAC-2026-000101\n";
    let answer = upload(&app, &token, "text/csv", file).await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(
        statuses(&body),
        [
            "matched",
            "matched",
            "matched",
            "partial",
            "unidentified",
            "rejected",
            "rejected",
            "duplicate"
        ]
    );
    let line = |i: usize| &body["lines"][i];
    // By the number in invoice_number, in the reference, and by the CIN in the payer.
    assert_eq!(line(0)["client_id"], a.client_id.as_str());
    assert_eq!(line(0)["invoice_number"], "FAC-2026-000101");
    assert_eq!(line(1)["client_id"], b.client_id.as_str());
    assert_eq!(line(1)["invoice_number"], "FAC-2026-000102");
    assert_eq!(line(2)["client_id"], c.client_id.as_str());
    assert_eq!(line(2)["invoice_number"], "FAC-2026-000103");
    assert_eq!(invoice_state(&app, &a1), ("paid".into(), 12_000));
    assert_eq!(invoice_state(&app, &b1), ("paid".into(), 20_000));
    assert_eq!(invoice_state(&app, &c1), ("paid".into(), 30_000));
    // Partial: the named invoice keeps an outstanding, said in the message.
    assert_eq!(line(3)["client_id"], d.client_id.as_str());
    assert_eq!(line(3)["invoice_number"], "FAC-2026-000104");
    assert!(line(3)["message"]
        .as_str()
        .unwrap()
        .contains("400.00 MAD remain outstanding on FAC-2026-000104"));
    assert_eq!(invoice_state(&app, &d1), ("partially_paid".into(), 10_000));
    // Unidentified: kept as a receipt, listed for assignment.
    let receipt = line(4)["receipt_id"].as_str().unwrap().to_owned();
    assert!(line(4)["client_id"].is_null());
    assert_eq!(line(4)["amount"], 7_550);
    let listed = app
        .get("/collections/unidentified?status=unidentified")
        .token(&token)
        .send()
        .await;
    listed.assert_status(200);
    assert_eq!(listed.json()["items"][0]["receipt_id"], receipt.as_str());
    assert_eq!(listed.json()["items"][0]["reference"], "VIR-005");
    assert_eq!(listed.json()["items"][0]["payer"], "Inconnu");
    // Rejected lines say why, and record nothing.
    assert!(line(5)["message"].as_str().unwrap().starts_with("amount: "));
    assert!(line(6)["message"].as_str().unwrap().starts_with("date: "));
    assert!(line(5)["payment_id"].is_null() && line(5)["receipt_id"].is_null());
    // The same bank line twice in one file: the second is a duplicate of the first payment.
    assert_eq!(line(7)["payment_id"], line(0)["payment_id"]);
    assert_eq!(
        body["totals"],
        json!({"posted_amount": 72_000, "unidentified_amount": 7_550, "duplicate_count": 1,
               "rejected_count": 2, "currency": "MAD"})
    );
    // Posted through the payment use case: transfers with the bank reference and date.
    let payment = line(0)["payment_id"].as_str().unwrap();
    let posted = app
        .get(&format!("/collections/payments/{payment}"))
        .token(&token)
        .send()
        .await;
    posted.assert_status(200);
    let posted = posted.json();
    assert_eq!(posted["method"], "transfer");
    assert_eq!(posted["reference"], "VIR-001");
    assert_eq!(posted["received_at"], "2026-11-03");
    assert_eq!(posted["allocations"][0]["invoice_id"], a1.as_str());
    assert_eq!(app.count("SELECT count(*) FROM payments"), 4);
    assert_eq!(app.count("SELECT count(*) FROM unidentified_receipts"), 1);
    // The import is stored and reads back as it was answered.
    let import_id = body["import_id"].as_str().unwrap();
    let stored = app
        .get(&format!("/collections/payment-imports/{import_id}"))
        .token(&token)
        .send()
        .await;
    stored.assert_status(200);
    assert_eq!(stored.json()["lines"], body["lines"]);
    assert_eq!(stored.json()["totals"], body["totals"]);
}

#[actix_web::test]
async fn a_comma_file_with_a_bom_and_crlf_reads_like_a_semicolon_file() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (a, a1) = debtor_with_invoice(&app, "930011", "FAC-2026-000111", 12_000);
    let file = "\u{feff}Date,Amount,Reference,Payer\r\n\
        2026-11-03,\"120,00\",\"VIR, 11\",K930011\r\n";
    let answer = upload(&app, &token, "text/csv; charset=utf-8", file).await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(statuses(&body), ["matched"]);
    assert_eq!(body["lines"][0]["client_id"], a.client_id.as_str());
    assert_eq!(body["lines"][0]["invoice_number"], "FAC-2026-000111");
    assert_eq!(invoice_state(&app, &a1), ("paid".into(), 12_000));
    let reference = text(&app, "SELECT reference AS value FROM payments LIMIT 1");
    assert_eq!(reference, "VIR, 11");
}

#[actix_web::test]
async fn the_json_form_takes_the_same_fields_and_refuses_number_amounts_per_line() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (a, a1) = debtor_with_invoice(&app, "930021", "FAC-2026-000121", 12_000);
    let body = json!([
        {"date": "2026-11-03", "amount": "60.00", "reference": "VIR-21",
         "invoice_number": "FAC-2026-000121"},
        {"date": "2026-11-03", "amount": 60.5, "reference": "VIR-22", "payer": "K930021"},
        {"date": "2026-11-03", "amount": "10", "reference": "VIR-23", "iban": "MA64"},
        "not an object"
    ]);
    let answer = upload(&app, &token, "application/json", &body.to_string()).await;
    answer.assert_status(201);
    let answer = answer.json();
    assert_eq!(
        statuses(&answer),
        ["partial", "rejected", "rejected", "rejected"]
    );
    assert_eq!(answer["lines"][0]["client_id"], a.client_id.as_str());
    assert!(answer["lines"][1]["message"]
        .as_str()
        .unwrap()
        .contains("never a JSON number"));
    assert!(answer["lines"][2]["message"]
        .as_str()
        .unwrap()
        .contains("unknown field `iban`"));
    assert_eq!(invoice_state(&app, &a1), ("partially_paid".into(), 6_000));
}

#[actix_web::test]
async fn importing_the_same_file_again_posts_nothing_and_reports_every_line_duplicate() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (_, a1) = debtor_with_invoice(&app, "930031", "FAC-2026-000131", 12_000);
    let file = "date;amount;reference;payer;invoice_number\n\
        2026-11-03;50,00;VIR-031;;FAC-2026-000131\n\
        2026-11-04;75,50;VIR-032;Inconnu;\n";
    let first = upload(&app, &token, "text/csv", file).await;
    first.assert_status(201);
    assert_eq!(statuses(&first.json()), ["partial", "unidentified"]);
    let again = upload(&app, &token, "text/csv", file).await;
    again.assert_status(201);
    let again = again.json();
    assert_eq!(statuses(&again), ["duplicate", "duplicate"]);
    assert_ne!(again["import_id"], first.json()["import_id"]);
    assert_eq!(
        again["lines"][0]["payment_id"],
        first.json()["lines"][0]["payment_id"]
    );
    assert_eq!(
        again["lines"][1]["receipt_id"],
        first.json()["lines"][1]["receipt_id"]
    );
    assert_eq!(
        again["totals"],
        json!({"posted_amount": 0, "unidentified_amount": 0, "duplicate_count": 2,
               "rejected_count": 0, "currency": "MAD"})
    );
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
    assert_eq!(app.count("SELECT count(*) FROM unidentified_receipts"), 1);
    assert_eq!(invoice_state(&app, &a1), ("partially_paid".into(), 5_000));
    // A payment posted by hand with the same bank line is a duplicate too.
    let manual = "date;amount;reference;payer\n2026-11-05;10,00;VIR-033;K930031\n";
    super::fixtures::pay(
        &app,
        &token,
        json!({"client_id": text(&app, "SELECT client_id AS value FROM payments LIMIT 1"),
               "amount": 1_000, "method": "transfer", "reference": "VIR-033",
               "received_at": "2026-11-05"}),
    )
    .await
    .assert_status(201);
    let answer = upload(&app, &token, "text/csv", manual).await;
    assert_eq!(statuses(&answer.json()), ["duplicate"]);
}

#[actix_web::test]
async fn a_replay_with_the_same_key_answers_the_first_import_and_records_nothing_more() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    debtor_with_invoice(&app, "930041", "FAC-2026-000141", 12_000);
    let file =
        "date;amount;reference;payer;invoice_number\n2026-11-03;50,00;VIR-041;;FAC-2026-000141\n";
    let first = upload_with_key(&app, &token, "text/csv", file, "import-041").await;
    first.assert_status(201);
    let replay = upload_with_key(&app, &token, "text/csv", file, "import-041").await;
    replay.assert_status(201);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.body, first.body);
    assert_eq!(app.count("SELECT count(*) FROM payment_imports"), 1);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 1);
    let other = file.replace("50,00", "60,00");
    upload_with_key(&app, &token, "text/csv", &other, "import-041")
        .await
        .assert_problem(422, "idempotency_key_reused");
}

#[actix_web::test]
async fn a_company_is_matched_by_the_ice_in_the_payer() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let (company, invoice) = debtor_with_invoice(&app, "930051", "FAC-2026-000151", 24_000);
    app.sql(&format!(
        "UPDATE clients SET kind = 'company', cin = NULL, first_name = NULL, last_name = NULL, \
         company_name = 'Atlas Logistique SARL', ice = '001525374000089', \
         invoicing = 'per_account' WHERE id = '{}'",
        company.client_id
    ));
    let file = "date;amount;reference;payer;invoice_number\n\
        2026-11-03;240,00;VIR-051;ATLAS LOGISTIQUE ICE 001525374000089;\n";
    let answer = upload(&app, &token, "text/csv", file).await;
    answer.assert_status(201);
    let body = answer.json();
    assert_eq!(statuses(&body), ["matched"]);
    assert_eq!(body["lines"][0]["client_id"], company.client_id.as_str());
    assert_eq!(invoice_state(&app, &invoice), ("paid".into(), 24_000));
    assert_eq!(app.count("SELECT count(*) FROM unidentified_receipts"), 0);
}
