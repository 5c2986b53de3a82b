//! P12 `GET /invoices?offer_id=`: an invoice matches when any of its lines bills the offer
//! (decision 0190), pages stay keyset, and the filter is answered from the lines' index.

use diesel::{QueryableByName, RunQueryDsl};
use serde_json::Value;

use super::World;

impl World {
    async fn contracts_billing(&self, offer_id: &str, extra: &str) -> Vec<String> {
        let answer = self
            .app
            .get(&format!("/invoices?offer_id={offer_id}{extra}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        contract_ids(&answer.json())
    }
}

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

fn sorted(ids: &[&String]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| (*id).clone()).collect();
    ids.sort();
    ids
}

#[actix_web::test]
async fn an_invoice_matches_the_offer_of_any_of_its_lines() {
    let w = World::new().await;
    w.bill_february().await;
    // The plan change bills MOB-99 until 14 February, then MOB-199: both filters find it.
    assert_eq!(
        w.contracts_billing(&w.mobile, "").await,
        sorted(&[&w.full_month, &w.plan_change, &w.terminated_mid])
    );
    assert_eq!(
        w.contracts_billing(&w.mobile_plus, "").await,
        vec![w.plan_change.clone()]
    );
    assert_eq!(
        w.contracts_billing(&w.mobile, &format!("&client_id={}", w.omar))
            .await,
        sorted(&[&w.plan_change, &w.terminated_mid])
    );
}

#[actix_web::test]
async fn the_offer_filter_pages_without_repeating_an_invoice_of_two_lines() {
    let w = World::new().await;
    w.bill_february().await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let answer = w
            .app
            .get(&format!("/invoices?offer_id={}&limit=1{cursor}", w.mobile))
            .token(&w.billing)
            .send()
            .await;
        answer.assert_status(200);
        let page = answer.json();
        seen.extend(contract_ids(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        sorted(&[&w.full_month, &w.plan_change, &w.terminated_mid])
    );
}

#[actix_web::test]
async fn the_offer_filter_reads_the_lines_index() {
    #[derive(QueryableByName)]
    struct Plan {
        #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
        line: String,
    }
    let w = World::new().await;
    w.bill_february().await;
    let mut conn = w.app.db.connect();
    // The tables are tiny: forbid the sequential scan so the plan shows what the index offers.
    diesel::sql_query("SET enable_seqscan = off")
        .execute(&mut conn)
        .unwrap();
    let plan: Vec<Plan> = diesel::sql_query(format!(
        "EXPLAIN SELECT i.id FROM invoices i WHERE i.id IN \
         (SELECT l.invoice_id FROM invoice_lines l WHERE l.offer_id = '{}') \
         ORDER BY i.id LIMIT 51",
        w.mobile
    ))
    .load(&mut conn)
    .unwrap();
    let plan: Vec<String> = plan.into_iter().map(|p| p.line).collect();
    assert!(
        plan.iter().any(|l| l.contains("invoice_lines_offer")),
        "{plan:#?}"
    );
}
