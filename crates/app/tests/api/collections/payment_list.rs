//! P14: the payment reconciliation list — filters and keyset pages.

use serde_json::json;
use time::macros::date;

use super::fixtures::{collector, debtor, invoice_due, pay};
use crate::support::TestApp;

#[actix_web::test]
async fn payments_are_listed_with_allocations_and_filtered() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    let viewer = app.actor_token(&["viewer"]).await;
    let a = debtor(&app, "300001");
    let b = debtor(&app, "300002");
    let inv_a = invoice_due(&app, &a, date!(2026 - 02 - 20), 10_000);
    invoice_due(&app, &b, date!(2026 - 02 - 20), 10_000);
    let p1 = pay(&app, &token, json!({"client_id": a.client_id, "amount": 4_000, "method": "cash", "received_at": "2026-02-01"})).await.json();
    let p2 = pay(&app, &token, json!({"client_id": a.client_id, "amount": 9_000, "method": "card", "received_at": "2026-03-01"})).await.json();
    let p3 = pay(&app, &token, json!({"client_id": b.client_id, "amount": 500, "method": "cash", "received_at": "2026-03-05"})).await.json();
    let list = |query: String| {
        let viewer = viewer.clone();
        let app = &app;
        async move {
            let answer = app
                .get(&format!("/collections/payments{query}"))
                .token(&viewer)
                .send()
                .await;
            answer.assert_status(200);
            answer.json()
        }
    };
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = list(String::new()).await;
    assert_eq!(ids(&all).len(), 3);
    assert_eq!(all["next_cursor"], json!(null));
    let first = &all["items"][0];
    assert_eq!(first["id"], p1["payment_id"]);
    assert_eq!(
        first["allocations"],
        json!([{"invoice_id": inv_a, "amount": 4_000}])
    );
    assert_eq!(all["items"][1]["unallocated_amount"], 3_000);
    assert_eq!(all["items"][1]["allocation_state"], "partial");
    let p = |v: &serde_json::Value| v["payment_id"].as_str().unwrap().to_owned();
    assert_eq!(
        ids(&list(format!("?client_id={}", b.client_id)).await),
        [p(&p3)]
    );
    assert_eq!(
        ids(&list(format!("?invoice_id={inv_a}")).await),
        [p(&p1), p(&p2)]
    );
    assert_eq!(ids(&list("?method=card".into()).await), [p(&p2)]);
    assert_eq!(
        ids(&list("?from=2026-03-01&to=2026-03-04".into()).await),
        [p(&p2)]
    );
    assert_eq!(ids(&list("?to=2026-02-01".into()).await), [p(&p1)]);
    let page1 = list("?limit=2".into()).await;
    assert_eq!(ids(&page1), [p(&p1), p(&p2)]);
    let cursor = page1["next_cursor"].as_str().unwrap().to_owned();
    let page2 = list(format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&page2), [p(&p3)]);
    assert_eq!(page2["next_cursor"], json!(null));
}

#[actix_web::test]
async fn bad_payment_list_parameters_are_invalid_queries() {
    let app = TestApp::new().await;
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?limit=ten", "limit"),
        ("?cursor=cli_01JD0000000000000000000000", "cursor"),
        ("?client_id=nope", "client_id"),
        ("?invoice_id=cli_01JD0000000000000000000000", "invoice_id"),
        ("?method=cheque", "method"),
        ("?from=01-03-2026", "from"),
        ("?colour=red", "colour"),
        ("?method=cash&method=card", "method"),
    ] {
        let answer = app
            .get(&format!("/collections/payments{query}"))
            .admin()
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}
