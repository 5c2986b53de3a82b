//! P12 `GET /invoices` and `GET /invoices/{invoice_id}`: the representation, every filter,
//! pages, query errors, 404s and authentication.

use serde_json::{json, Value};
use time::macros::datetime;

use super::World;

fn contract_ids(page: &Value) -> Vec<String> {
    let mut ids: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["contract_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<&String>) -> Vec<String> {
    ids.sort();
    ids.into_iter().cloned().collect()
}

impl World {
    async fn list(&self, query: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/invoices?{query}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }
}

#[actix_web::test]
async fn an_invoice_reads_with_its_lines_amounts_and_state() {
    let w = World::new().await;
    w.bill_february().await;
    let mut listed = w.invoice_of(&w.full_month).await;
    // The list adds the buyer's name to the invoice as it reads alone.
    assert_eq!(listed["client_name"], "Hajar Benkirane");
    listed.as_object_mut().unwrap().remove("client_name");
    let id = listed["id"].as_str().unwrap();
    let viewer = w.app.actor_token(&["viewer"]).await;
    let answer = w
        .app
        .get(&format!("/invoices/{id}"))
        .token(&viewer)
        .send()
        .await;
    answer.assert_status(200);
    let invoice = answer.json();
    assert_eq!(invoice, listed);
    assert!(invoice["invoice_number"]
        .as_str()
        .unwrap()
        .starts_with("FAC-2026-"));
    assert_eq!(invoice["client_id"], w.hajar.as_str());
    assert_eq!(invoice["offer_id"], w.mobile.as_str());
    assert_eq!(invoice["service_type"], "mobile");
    assert_eq!(invoice["period"], "2026-02");
    assert_eq!(invoice["issue_date"], "2026-03-01");
    assert_eq!(invoice["due_date"], "2026-03-16");
    assert_eq!(invoice["status"], "issued");
    assert_eq!(invoice["total_excl_tax"], 9_900);
    assert_eq!(invoice["total_tax"], 1_980);
    assert_eq!(invoice["total_incl_tax"], 11_880);
    assert_eq!(invoice["amount_paid"], 0);
    assert_eq!(invoice["outstanding"], 11_880);
    assert_eq!(invoice["overdue"], false);
    assert_eq!(invoice["currency"], "MAD");
    assert!(invoice["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(invoice["invoicing"], "per_contract");
    let line = &invoice["lines"][0];
    assert_eq!(line["contract_id"], invoice["contract_id"]);
    assert!(line["service_identifier"]
        .as_str()
        .unwrap()
        .starts_with("+2126"));
    assert_eq!(
        invoice["lines"],
        json!([{
            "contract_id": invoice["contract_id"],
            "service_identifier": line["service_identifier"],
            "position": 1, "description": "Offre MOB-99 – février 2026", "offer_id": w.mobile,
            "start_date": "2026-02-01", "end_date": "2026-02-28", "days": 28,
            "monthly_price": 9_900, "amount_excl_tax": 9_900, "tax_rate_bp": 2000,
            "tax_amount": 1_980, "amount_incl_tax": 11_880,
            "kind": "subscription", "usage_kind": null, "quantity": null, "unit_price": null
        }])
    );
}

#[actix_web::test]
async fn unknown_and_malformed_invoice_ids_are_404_and_reads_need_credentials() {
    let w = World::new().await;
    for bad in [
        "inv_01JD0000000000000000000000",
        "inv_nope",
        "ctr_01JD0000000000000000000000",
    ] {
        w.app
            .get(&format!("/invoices/{bad}"))
            .token(&w.billing)
            .send()
            .await
            .assert_problem(404, "invoice_not_found");
    }
    w.app
        .get("/invoices")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
    w.app
        .get("/invoices/inv_01JD0000000000000000000000")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}

#[actix_web::test]
async fn invoices_filter_by_client_service_offer_status_and_period() {
    let w = World::new().await;
    w.bill_february().await;
    let all = w.list("").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    assert_eq!(
        contract_ids(&w.list(&format!("client_id={}", w.hajar)).await),
        sorted(vec![&w.full_month, &w.half_internet])
    );
    assert_eq!(
        contract_ids(&w.list(&format!("client_id={}", w.omar)).await),
        sorted(vec![&w.plan_change, &w.terminated_mid])
    );
    assert_eq!(
        contract_ids(&w.list("service=internet").await),
        vec![w.half_internet.clone()]
    );
    assert_eq!(
        contract_ids(&w.list(&format!("offer_id={}", w.internet)).await),
        vec![w.half_internet.clone()]
    );
    assert_eq!(
        contract_ids(&w.list(&format!("offer_id={}", w.mobile_plus)).await),
        vec![w.plan_change.clone()]
    );
    let paid = w.invoice_of(&w.terminated_mid).await;
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax WHERE id = '{}'",
        paid["id"].as_str().unwrap()
    ));
    assert_eq!(
        contract_ids(&w.list("status=paid").await),
        vec![w.terminated_mid.clone()]
    );
    assert_eq!(
        w.list("status=issued").await["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        w.list("period=2026-02").await["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(w.list("period=2026-01").await["items"], json!([]));
    assert_eq!(
        contract_ids(
            &w.list(&format!("client_id={}&service=mobile", w.hajar))
                .await
        ),
        vec![w.full_month.clone()]
    );
}

#[actix_web::test]
async fn overdue_means_past_due_with_something_outstanding_today() {
    let w = World::new().await;
    w.bill_february().await;
    assert_eq!(w.list("overdue=true").await["items"], json!([]));
    let paid = w.invoice_of(&w.full_month).await;
    let partly = w.invoice_of(&w.plan_change).await;
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax WHERE id = '{}'",
        paid["id"].as_str().unwrap()
    ));
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'partially_paid', amount_paid = 100 WHERE id = '{}'",
        partly["id"].as_str().unwrap()
    ));
    // Due 16 March: overdue from the 17th on.
    w.app.clock.set(datetime!(2026-03-16 23:00 UTC));
    assert_eq!(w.list("overdue=true").await["items"], json!([]));
    w.app.clock.set(datetime!(2026-03-17 08:00 UTC));
    let overdue = w.list("overdue=true").await;
    assert_eq!(
        contract_ids(&overdue),
        sorted(vec![&w.half_internet, &w.plan_change, &w.terminated_mid])
    );
    assert!(overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["overdue"] == true));
    assert_eq!(
        contract_ids(&w.list("overdue=false").await),
        vec![w.full_month.clone()]
    );
    let partly = w.invoice_of(&w.plan_change).await;
    assert_eq!(
        partly["outstanding"],
        partly["total_incl_tax"].as_i64().unwrap() - 100
    );
}

#[actix_web::test]
async fn invoices_come_by_pages_with_a_stable_cursor() {
    let w = World::new().await;
    w.bill_february().await;
    let first = w.list("limit=3").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(cursor, first["items"][2]["id"].as_str().unwrap());
    let second = w.list(&format!("limit=3&cursor={cursor}")).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["next_cursor"], json!(null));
    assert!(second["items"][0]["id"].as_str().unwrap() > cursor.as_str());
}

#[actix_web::test]
async fn bad_query_parameters_are_400_naming_the_parameter() {
    let w = World::new().await;
    for (query, field) in [
        ("service=fax", "service"),
        ("status=late", "status"),
        ("period=2026-2", "period"),
        ("overdue=yes", "overdue"),
        ("limit=501", "limit"),
        ("limit=abc", "limit"),
        ("statut=paid", "statut"),
        ("period=2026-01&period=2026-02", "period"),
        ("cursor=nope", "cursor"),
        ("cursor=run_01JD0000000000000000000000", "cursor"),
        ("client_id=ofr_01JD0000000000000000000000", "client_id"),
    ] {
        let answer = w
            .app
            .get(&format!("/invoices?{query}"))
            .token(&w.billing)
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}
