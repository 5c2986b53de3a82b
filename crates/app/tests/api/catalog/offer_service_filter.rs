//! P1: `GET /offers` filters by `service`, the name contracts and invoices use; `service_type`
//! stays as an alias.

use super::{create_offer, id, ids, offer_body};
use crate::support::TestApp;

#[actix_web::test]
async fn offers_filter_by_service_and_by_its_alias_service_type() {
    let app = TestApp::new().await;
    let mobile = create_offer(&app, &offer_body("MOB-1", "mobile")).await;
    let fibre = create_offer(&app, &offer_body("FIB-1", "internet")).await;
    for query in [
        "service=internet",
        "service_type=internet",
        "service=internet&service_type=internet",
    ] {
        let answer = app.get(&format!("/offers?{query}")).admin().send().await;
        answer.assert_status(200);
        assert_eq!(ids(&answer.json()), [id(&fibre)], "{query}");
    }
    let all = app.get("/offers").admin().send().await.json();
    assert_eq!(ids(&all), [id(&mobile), id(&fibre)]);
}

#[actix_web::test]
async fn service_and_service_type_that_disagree_are_422_naming_both() {
    let app = TestApp::new().await;
    create_offer(&app, &offer_body("MOB-1", "mobile")).await;
    let answer = app
        .get("/offers?service=mobile&service_type=internet")
        .admin()
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["service", "service_type"]);
    app.get("/offers?service=tv")
        .admin()
        .send()
        .await
        .assert_problem(400, "invalid_query");
    app.get("/offers?service=mobile")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}
