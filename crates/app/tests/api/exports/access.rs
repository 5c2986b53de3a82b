//! Who may read the exports, and how their parameters are refused.

use super::Books;

const PATHS: [&str; 4] = [
    "/exports/sales-journal?from=2026-03-01&to=2026-03-31",
    "/exports/receipts-journal?from=2026-03-01&to=2026-03-31",
    "/reports/tva?period=2026-03",
    "/reports/revenue?period=2026-03",
];

#[actix_web::test]
async fn billing_viewer_and_admin_read_the_books_and_other_roles_may_not() {
    let books = Books::invoices_only().await;
    let viewer = books.app.actor_token(&["viewer"]).await;
    for path in PATHS {
        books
            .app
            .get(path)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
        books.get(path).await.assert_status(200);
        books
            .app
            .get(path)
            .token(&viewer)
            .send()
            .await
            .assert_status(200);
        books.app.get(path).admin().send().await.assert_status(200);
        for role in ["agent", "collections"] {
            let token = books.app.actor_token(&[role]).await;
            books
                .app
                .get(path)
                .token(&token)
                .send()
                .await
                .assert_problem(403, "forbidden");
        }
    }
}

#[actix_web::test]
async fn missing_and_invalid_parameters_are_named_in_a_422() {
    let books = Books::invoices_only().await;
    for (path, fields) in [
        ("/exports/sales-journal", vec!["from", "to"]),
        ("/exports/sales-journal?from=2026-03-01", vec!["to"]),
        (
            "/exports/receipts-journal?from=01/03/2026&to=2026-03-31",
            vec!["from"],
        ),
        (
            "/exports/sales-journal?from=2026-03-31&to=2026-03-01",
            vec!["to"],
        ),
        (
            "/exports/sales-journal?from=2026-01-01&to=2027-01-02",
            vec!["to"],
        ),
        (
            "/exports/sales-journal?from=2026-03-01&to=2026-03-31&format=xlsx",
            vec!["format"],
        ),
        ("/reports/tva", vec!["period"]),
        ("/reports/tva?period=2026-13", vec!["period"]),
        ("/reports/tva?period=2026-03&regime=cash", vec!["regime"]),
        ("/reports/revenue?period=2026-03&format=pdf", vec!["format"]),
        ("/reports/revenue?period=March", vec!["period"]),
    ] {
        let answer = books.get(path).await;
        answer.assert_problem(422, "validation_failed");
        assert_eq!(answer.error_fields(), fields, "{path}");
    }
    // A full leap year is the longest range.
    books
        .get("/exports/sales-journal?from=2028-01-01&to=2028-12-31")
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn unknown_and_repeated_parameters_are_a_400() {
    let books = Books::invoices_only().await;
    books
        .get("/exports/sales-journal?from=2026-03-01&to=2026-03-31&client_id=x")
        .await
        .assert_problem(400, "invalid_query");
    books
        .get("/reports/tva?period=2026-03&period=2026-04")
        .await
        .assert_problem(400, "invalid_query");
}
