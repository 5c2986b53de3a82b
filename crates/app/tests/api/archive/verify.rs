//! `GET /archive/verify`: ranges of issue dates, their validation and who may call it.

use super::{assert_intact, chain, Archive};

#[actix_web::test]
async fn an_untouched_archive_verifies_intact_over_every_series() {
    let a = Archive::sealed().await;
    let body = a.verify_march().await;
    assert_eq!(body["from"], "2026-03-01");
    assert_eq!(body["to"], "2026-03-31");
    assert_intact(&body, 4, 1, 2);
}

#[actix_web::test]
async fn the_range_selects_documents_by_issue_date_and_anchors_on_the_entry_before() {
    let a = Archive::sealed().await;
    // Invoices are of 1 March; the note and the contract documents of 10 March.
    let answer = a.verify("from=2026-03-02&to=2026-03-10").await;
    answer.assert_status(200);
    assert_intact(&answer.json(), 0, 1, 2);
    let answer = a.verify("from=2026-03-01&to=2026-03-01").await;
    answer.assert_status(200);
    assert_intact(&answer.json(), 4, 0, 0);
    let answer = a.verify("from=2025-01-01&to=2025-12-31").await;
    answer.assert_status(200);
    assert_intact(&answer.json(), 0, 0, 0);
}

#[actix_web::test]
async fn documents_not_sealed_yet_are_not_counted() {
    let a = Archive::issued().await;
    let body = a.verify_march().await;
    assert_intact(&body, 0, 0, 0);
    a.w.app
        .archive
        .seal_series(domain::archive::Series::Invoices, 2)
        .unwrap();
    let body = a.verify_march().await;
    assert_eq!(chain(&body, "invoices")["checked"], 2);
}

#[actix_web::test]
async fn a_bad_range_is_422_naming_the_bound() {
    let a = Archive::sealed().await;
    for (query, fields) in [
        ("", vec!["from", "to"]),
        ("from=2026-03-01", vec!["to"]),
        ("to=2026-03-01", vec!["from"]),
        ("from=2026-13-01&to=2026-03-01", vec!["from"]),
        ("from=01/03/2026&to=yesterday", vec!["from", "to"]),
        ("from=2026-03-31&to=2026-03-01", vec!["to"]),
        ("from=2026-01-01&to=2027-01-02", vec!["to"]),
    ] {
        let answer = a.verify(query).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), fields, "{query}");
    }
    // A full leap year is accepted.
    a.verify("from=2028-01-01&to=2028-12-31")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn unknown_or_repeated_parameters_are_400() {
    let a = Archive::sealed().await;
    a.verify("from=2026-03-01&to=2026-03-31&series=invoices")
        .await
        .assert_problem(400, "invalid_query");
    a.verify("from=2026-03-01&from=2026-03-02&to=2026-03-31")
        .await
        .assert_problem(400, "invalid_query");
}

#[actix_web::test]
async fn operators_may_verify_and_others_may_not() {
    let a = Archive::sealed().await;
    let path = "/archive/verify?from=2026-03-01&to=2026-03-31";
    a.w.app
        .get(path)
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    for role in ["agent", "collections"] {
        let token = a.w.app.actor_token(&[role]).await;
        a.w.app
            .get(path)
            .token(&token)
            .send()
            .await
            .assert_problem(403, "forbidden");
    }
    for role in ["viewer", "billing", "admin"] {
        let token = a.w.app.actor_token(&[role]).await;
        a.w.app
            .get(path)
            .token(&token)
            .send()
            .await
            .assert_status(200);
    }
}
