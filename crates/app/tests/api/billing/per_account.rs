//! A company billed per account (issue #22 §2, decision 0211): one invoice per month for all
//! its contracts, lines grouped by contract, totals to the centime, a gapless number, every
//! invoice filter, a re-run that bills nothing twice, and a PDF that prints the buyer's ICE.

use serde_json::{json, Value};
use time::macros::date;

use super::{World, FEBRUARY_EXCL, FEBRUARY_INVOICES, FEBRUARY_TAX};
use crate::support::pdf_text::text_of;
use crate::support::seed;

const ICE: &str = "001525374000089";

/// The company, its three contracts in id order, and the world.
struct Account {
    w: World,
    company: String,
    contracts: Vec<String>,
}

/// A company with a full-month mobile line, an internet line from 15 February and a mobile
/// line changing plan on 15 February (the same three situations `World` bills per contract).
async fn account() -> Account {
    let w = World::new().await;
    let answer = w
        .app
        .post("/customers")
        .admin()
        .json(
            &json!({"kind": "company", "company_name": "Atlas Logistique SARL", "ice": ICE,
                      "address": "Zone industrielle, lot 12", "city": "Casablanca"}),
        )
        .send()
        .await;
    answer.assert_status(201);
    let company = answer.json()["id"].as_str().unwrap().to_owned();
    let full = seed::contract(&w.app, &company, &w.mobile, date!(2025 - 12 - 01), "active");
    let half = seed::contract(
        &w.app,
        &company,
        &w.internet,
        date!(2026 - 02 - 15),
        "active",
    );
    let changed = seed::contract(&w.app, &company, &w.mobile, date!(2025 - 01 - 01), "active");
    seed::plan_change(&w.app, &changed, &w.mobile_plus, date!(2026 - 02 - 15));
    let mut contracts = vec![full, half, changed];
    contracts.sort();
    Account {
        w,
        company,
        contracts,
    }
}

impl Account {
    async fn list(&self, query: &str) -> Vec<Value> {
        let answer = self
            .w
            .app
            .get(&format!("/invoices?limit=500&{query}"))
            .token(&self.w.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()["items"].as_array().unwrap().clone()
    }

    async fn invoice(&self) -> Value {
        let mine = self.list(&format!("client_id={}", self.company)).await;
        assert_eq!(mine.len(), 1, "one invoice for the account: {mine:?}");
        mine[0].clone()
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[actix_web::test]
async fn a_company_with_three_contracts_gets_one_invoice_its_lines_grouped_by_contract() {
    let a = account().await;
    let run = a.w.bill_february().await;
    assert_eq!(run["invoice_count"], FEBRUARY_INVOICES + 1);
    // 9 900 + 14 950 + (4 950 + 9 950) HT; 1 980 + 2 990 + (990 + 1 990) TVA.
    let (excl, tax) = (39_750, 7_950);
    assert_eq!(run["totals"]["excl_tax"], FEBRUARY_EXCL + excl);
    assert_eq!(run["totals"]["tax"], FEBRUARY_TAX + tax);

    let invoice = a.invoice().await;
    assert_eq!(invoice["invoicing"], "per_account");
    assert_eq!(invoice["contract_id"], a.contracts[0]);
    assert_eq!(invoice["total_excl_tax"], excl);
    assert_eq!(invoice["total_tax"], tax);
    assert_eq!(invoice["total_incl_tax"], excl + tax);
    let lines = invoice["lines"].as_array().unwrap();
    let sum = |field: &str| {
        lines
            .iter()
            .map(|l| l[field].as_i64().unwrap())
            .sum::<i64>()
    };
    assert_eq!(sum("amount_excl_tax"), excl);
    assert_eq!(sum("tax_amount"), tax);
    assert_eq!(sum("amount_incl_tax"), excl + tax);
    let positions: Vec<i64> = lines
        .iter()
        .map(|l| l["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3, 4]);
    // Grouped by contract (in id order), each contract's lines in date order.
    let by_contract: Vec<&str> = lines
        .iter()
        .map(|l| l["contract_id"].as_str().unwrap())
        .collect();
    let mut grouped = by_contract.clone();
    grouped.sort();
    assert_eq!(by_contract, grouped);
    for pair in lines.windows(2) {
        if pair[0]["contract_id"] == pair[1]["contract_id"] {
            assert!(pair[0]["start_date"].as_str() < pair[1]["start_date"].as_str());
        }
    }
    let distinct: std::collections::BTreeSet<&str> = by_contract.iter().copied().collect();
    assert_eq!(distinct.len(), 3, "every contract is on the invoice");
    for line in lines {
        assert!(line["service_identifier"]
            .as_str()
            .unwrap()
            .starts_with("+2126"));
    }
    // The account invoice is published as `invoice.issued` like the others, as the API
    // returns it (its lines of the three contracts included).
    let invoice_id = invoice["id"].as_str().unwrap();
    assert_eq!(
        a.w.app.count(&format!(
            "SELECT count(*) FROM events WHERE type = 'invoice.issued' \
             AND data->>'id' = '{invoice_id}' AND json_array_length(data->'lines') = 4"
        )),
        1
    );
    assert_eq!(
        a.w.app
            .count("SELECT count(*) FROM events WHERE type = 'invoice.issued'"),
        FEBRUARY_INVOICES + 1
    );
    // Numbering: the five invoices of the run hold FAC-2026-000001 to 000005.
    let mut numbers: Vec<String> = a
        .list("period=2026-02")
        .await
        .iter()
        .map(|i| i["invoice_number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=5).map(|n| format!("FAC-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

#[actix_web::test]
async fn every_invoice_filter_finds_the_account_invoice_by_any_of_its_lines() {
    let a = account().await;
    a.w.bill_february().await;
    let invoice = a.invoice().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    for contract in &a.contracts {
        let found = a.list(&format!("contract_id={contract}")).await;
        assert_eq!(
            ids(&found),
            std::slice::from_ref(&id),
            "contract {contract}"
        );
    }
    // The person's contract still finds only its own invoice.
    let person = a.list(&format!("contract_id={}", a.w.full_month)).await;
    assert_eq!(person.len(), 1);
    assert_eq!(person[0]["contract_id"], a.w.full_month);
    // Its internet line puts it under `service=internet` though its first contract is mobile.
    let internet = a.list("service=internet").await;
    assert!(ids(&internet).contains(&id));
    assert_eq!(
        internet.len(),
        2,
        "hajar's internet invoice and the account's"
    );
    assert!(ids(&a.list("service=mobile").await).contains(&id));
    assert!(ids(&a.list("service=landline").await).is_empty());
    for offer in [&a.w.internet, &a.w.mobile, &a.w.mobile_plus] {
        assert!(ids(&a.list(&format!("offer_id={offer}")).await).contains(&id));
    }
    a.w.app
        .get("/invoices?contract_id=ctr_nope")
        .token(&a.w.billing)
        .send()
        .await
        .assert_problem(400, "invalid_query");
}

#[actix_web::test]
async fn running_the_month_again_bills_the_account_nothing_more() {
    let a = account().await;
    a.w.bill_february().await;
    let again =
        a.w.run(
            "feb-2",
            json!({"period": "2026-02", "issue_date": "2026-03-01"}),
        )
        .await;
    again.assert_status(201);
    let again = again.json();
    assert_eq!(again["invoice_count"], 0);
    assert_eq!(again["skipped_count"], FEBRUARY_INVOICES + 1);
    assert_eq!(a.invoice().await["lines"].as_array().unwrap().len(), 4);
    // March bills the account again, once.
    let march =
        a.w.run(
            "mar-1",
            json!({"period": "2026-03", "issue_date": "2026-04-01"}),
        )
        .await;
    march.assert_status(201);
    let mine = a
        .list(&format!("client_id={}&period=2026-03", a.company))
        .await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["lines"].as_array().unwrap().len(), 3);
}

#[actix_web::test]
async fn a_dry_run_previews_the_account_as_one_invoice() {
    let a = account().await;
    let preview =
        a.w.run(
            "feb-dry",
            json!({"period": "2026-02", "issue_date": "2026-03-01", "dry_run": true}),
        )
        .await;
    preview.assert_status(201);
    let preview = preview.json();
    assert_eq!(preview["invoice_count"], FEBRUARY_INVOICES + 1);
    assert_eq!(preview["totals"]["excl_tax"], FEBRUARY_EXCL + 39_750);
    assert_eq!(a.w.app.count("SELECT count(*) FROM invoices"), 0);
}

#[actix_web::test]
async fn the_account_invoice_pdf_prints_the_buyers_ice_company_name_and_each_line() {
    let a = account().await;
    a.w.bill_february().await;
    let invoice = a.invoice().await;
    let answer =
        a.w.app
            .get(&format!(
                "/invoices/{}/pdf",
                invoice["id"].as_str().unwrap()
            ))
            .token(&a.w.billing)
            .send()
            .await;
    answer.assert_status(200);
    let text = text_of(&answer.body);
    assert!(text.contains("Atlas Logistique SARL"), "{text}");
    assert!(text.contains(&format!("ICE : {ICE}")), "{text}");
    assert!(!text.contains("CIN :"), "{text}");
    assert!(text.contains("3 contrats (compte)"), "{text}");
    for line in invoice["lines"].as_array().unwrap() {
        let identifier = line["service_identifier"].as_str().unwrap();
        assert!(text.contains(identifier), "{identifier} in {text}");
    }
    // A person's invoice still prints the CIN.
    let person = a.list(&format!("contract_id={}", a.w.full_month)).await;
    let answer =
        a.w.app
            .get(&format!(
                "/invoices/{}/pdf",
                person[0]["id"].as_str().unwrap()
            ))
            .token(&a.w.billing)
            .send()
            .await;
    assert!(text_of(&answer.body).contains("CIN : AB123456"));
}
