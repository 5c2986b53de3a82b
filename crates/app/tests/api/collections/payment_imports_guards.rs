//! Issue 22 §3: what `POST /collections/payment-imports` refuses, each time recording nothing.

use super::fixtures::collector;
use super::import_fixtures::{import_day, upload};
use crate::support::TestApp;

const FILE: &str = "date;amount;reference;payer\n2026-11-03;50,00;VIR-1;Inconnu\n";

fn nothing_recorded(app: &TestApp) {
    assert_eq!(app.count("SELECT count(*) FROM payment_imports"), 0);
    assert_eq!(app.count("SELECT count(*) FROM unidentified_receipts"), 0);
    assert_eq!(app.count("SELECT count(*) FROM payments"), 0);
}

#[actix_web::test]
async fn only_a_collections_actor_with_a_key_may_import() {
    let app = TestApp::new().await;
    import_day(&app);
    app.post("/collections/payment-imports")
        .header("idempotency-key", "k1")
        .raw("text/csv", FILE)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    let viewer = app.actor_token(&["viewer"]).await;
    upload(&app, &viewer, "text/csv", FILE)
        .await
        .assert_problem(403, "forbidden");
    let token = collector(&app).await;
    app.post("/collections/payment-imports")
        .token(&token)
        .raw("text/csv", FILE)
        .send()
        .await
        .assert_problem(400, "idempotency_key_required");
    nothing_recorded(&app);
}

#[actix_web::test]
async fn a_file_that_cannot_be_read_is_refused_whole() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    upload(&app, &token, "text/plain", FILE)
        .await
        .assert_problem(415, "unsupported_media_type");
    let bad_header = upload(&app, &token, "text/csv", "date;montant;reference;payer\n").await;
    bad_header.assert_problem(422, "validation_failed");
    assert_eq!(bad_header.error_fields(), ["header"]);
    let empty = upload(&app, &token, "text/csv", "date;amount;reference;payer\n\n").await;
    empty.assert_problem(422, "validation_failed");
    assert_eq!(empty.error_fields(), ["body"]);
    upload(
        &app,
        &token,
        "application/json",
        "{\"date\": \"2026-11-03\"}",
    )
    .await
    .assert_problem(400, "invalid_body");
    app.post("/collections/payment-imports")
        .token(&token)
        .header("idempotency-key", "latin1")
        .raw(
            "text/csv",
            b"date;amount;reference;payer\n2026-11-03;1;R\xe9f;X\n".to_vec(),
        )
        .send()
        .await
        .assert_problem(400, "invalid_body");
    nothing_recorded(&app);
}

#[actix_web::test]
async fn files_past_the_line_or_size_limit_are_refused() {
    let app = TestApp::new().await;
    import_day(&app);
    let token = collector(&app).await;
    let mut many = String::from("date;amount;reference;payer\n");
    for i in 0..10_001 {
        many.push_str(&format!("2026-11-03;1;R{i};X\n"));
    }
    let answer = upload(&app, &token, "text/csv", &many).await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["body"]);
    let mut large = String::from("date;amount;reference;payer\n");
    while large.len() <= 1024 * 1024 {
        large.push_str(&format!("2026-11-03;1;{};X\n", "R".repeat(100)));
    }
    upload(&app, &token, "text/csv", &large)
        .await
        .assert_problem(413, "payload_too_large");
    nothing_recorded(&app);
}
