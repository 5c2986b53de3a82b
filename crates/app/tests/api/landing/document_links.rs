//! P13 public links: the invoice document ignores unknown query parameters as the contract
//! document does, keeps its URL private, and the landing invoice list pages with
//! `cursor`/`limit` (decision 0192).

use domain::tokens::TokenPurpose;
use serde_json::{json, Value};
use time::Duration;

use crate::billing::World;

fn lookup(w: &World, cin: &str) -> String {
    w.app.services.ports.tokens.issue(
        TokenPurpose::Lookup,
        cin,
        w.app.clock_now() + Duration::minutes(15),
    )
}

async fn invoice_page(w: &World, query: &str) -> Value {
    let token = lookup(w, "AB123456");
    let answer = w
        .app
        .get(&format!(
            "/landing/clients/AB123456/invoices?lookup_token={token}{query}"
        ))
        .send()
        .await;
    answer.assert_status(200);
    answer.json()
}

fn periods_and_contracts(page: &Value) -> Vec<(String, String)> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["period"].as_str().unwrap().to_owned(),
                i["contract_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn the_invoice_link_ignores_tracking_parameters_and_keeps_out_of_caches() {
    let w = World::new().await;
    w.bill_february().await;
    let page = invoice_page(&w, "").await;
    let url = page["items"][0]["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    for suffix in ["", "&utm_source=mail&utm_campaign=facture", "&download=1"] {
        let answer = w.app.get(&format!("{url}{suffix}")).send().await;
        answer.assert_status(200);
        assert_eq!(
            answer.header("content-type").as_deref(),
            Some("application/pdf")
        );
        assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(
            answer.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
    }
    // Ignoring parameters never means ignoring the token.
    let id = page["items"][0]["invoice_id"].as_str().unwrap();
    w.app
        .get(&format!(
            "/landing/invoices/{id}/document?utm_source=mail&token=forged"
        ))
        .send()
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn the_landing_invoice_list_pages_newest_month_first() {
    let w = World::new().await;
    w.bill_february().await;
    // January billed after February: newer ids, older month.
    w.run(
        "jan-1",
        json!({"period": "2026-01", "issue_date": "2026-02-01"}),
    )
    .await
    .assert_status(201);
    let all = periods_and_contracts(&invoice_page(&w, "").await);
    assert_eq!(all.len(), 3);
    assert_eq!(
        all.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["2026-02", "2026-02", "2026-01"]
    );
    let mut walked = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let page = invoice_page(&w, &format!("&limit=2{cursor}")).await;
        pages += 1;
        assert!(page["items"].as_array().unwrap().len() <= 2);
        walked.extend(periods_and_contracts(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(walked, all);
}

#[actix_web::test]
async fn bad_paging_parameters_on_the_landing_list_are_400_naming_them() {
    let w = World::new().await;
    w.bill_february().await;
    let token = lookup(&w, "AB123456");
    for (query, field) in [
        ("&limit=0", "limit"),
        ("&limit=501", "limit"),
        ("&cursor=ctr_01JD0000000000000000000000", "cursor"),
    ] {
        let answer = w
            .app
            .get(&format!(
                "/landing/clients/AB123456/invoices?lookup_token={token}{query}"
            ))
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}

/// The application as deployed behind `https://espace.operateur.ma` (`MTF_PUBLIC_BASE_URL`).
fn public_at(app: &mut crate::support::TestApp, base: &str) {
    app.network = actix_web::web::Data::new(http_actix::network::HttpSettings {
        public_base_url: Some(http_actix::public_links::PublicBaseUrl::parse(base).unwrap()),
        ..http_actix::network::HttpSettings::default()
    });
}

const BASE: &str = "https://espace.operateur.ma";

#[actix_web::test]
async fn with_a_public_base_url_every_document_link_is_absolute_and_still_opens() {
    let mut w = World::new().await;
    w.bill_february().await;
    public_at(&mut w.app, "https://espace.operateur.ma/");
    // P13: the invoice links.
    let page = invoice_page(&w, "").await;
    let url = page["items"][0]["document_download_url"].as_str().unwrap();
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not on {BASE}"));
    assert!(path.starts_with("/api/v1/landing/invoices/inv_"), "{url}");
    w.app.get(path).send().await.assert_status(200);
    // P10: the contract link.
    let answer = w
        .app
        .post(&format!(
            "/landing/contracts/{}/document-link",
            w.full_month
        ))
        .json(&json!({"cin": "AB123456"}))
        .send()
        .await;
    answer.assert_status(200);
    let url = answer.json()["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        url.starts_with(&format!(
            "{BASE}/api/v1/landing/contracts/{}/",
            w.full_month
        )),
        "{url}"
    );
}

#[actix_web::test]
async fn without_a_public_base_url_links_stay_paths() {
    let w = World::new().await;
    w.bill_february().await;
    let page = invoice_page(&w, "").await;
    let url = page["items"][0]["document_download_url"].as_str().unwrap();
    assert!(url.starts_with("/api/v1/landing/invoices/"), "{url}");
}

#[actix_web::test]
async fn the_link_expiry_is_document_expires_at_everywhere_and_expires_at_is_deprecated() {
    let w = World::new().await;
    w.bill_february().await;
    let answer = w
        .app
        .post(&format!(
            "/landing/contracts/{}/document-link",
            w.full_month
        ))
        .json(&json!({"cin": "AB123456"}))
        .send()
        .await;
    answer.assert_status(200);
    let link = answer.json();
    assert_eq!(link["document_expires_at"], "2026-03-17T09:00:00Z");
    assert_eq!(link["expires_at"], link["document_expires_at"]);
    let page = invoice_page(&w, "").await;
    assert_eq!(
        page["items"][0]["document_expires_at"],
        "2026-03-17T09:00:00Z"
    );
    let document = w.app.get("/openapi.json").send().await.json();
    let schemas = &document["components"]["schemas"];
    let link_schema = &schemas["DocumentLinkResponse"]["properties"];
    assert_eq!(link_schema["expires_at"]["deprecated"], true);
    assert!(link_schema["document_expires_at"].is_object());
    for schema in [
        "SubmitNewResponse",
        "PlanChangeResponse",
        "ClientInvoiceResponse",
    ] {
        assert!(
            schemas[schema]["properties"]["document_expires_at"].is_object(),
            "{schema}"
        );
    }
}
