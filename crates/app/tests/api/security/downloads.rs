//! Documents downloaded with a token in the URL (issue #13, item 4): the contract and invoice
//! PDFs, on the landing and internal, all come from one helper, so each keeps its URL (and so
//! its token) out of caches and `Referer` headers. The landing invoice document had neither
//! header of its own before.

use domain::tokens::TokenPurpose;
use time::Duration;

use crate::billing::World;
use crate::landing::{get_url, new_subscription, submit_new};
use crate::support::{seed, Answer, TestApp};

fn assert_private_pdf(answer: &Answer, filename: &str, what: &str) {
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/pdf"),
        "{what}"
    );
    assert_eq!(
        answer.header("content-disposition"),
        Some(format!("inline; filename=\"{filename}\"")),
        "{what}"
    );
    assert_eq!(
        answer.header("cache-control").as_deref(),
        Some("no-store"),
        "{what}"
    );
    assert_eq!(
        answer.header("referrer-policy").as_deref(),
        Some("no-referrer"),
        "{what}"
    );
    assert!(answer.body.starts_with(b"%PDF"), "{what}");
}

#[actix_web::test]
async fn the_landing_contract_document_keeps_its_token_out_of_caches_and_referers() {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let answer = submit_new(&app, "sub-1", &new_subscription(&offer)).await;
    answer.assert_status(201);
    let url = answer.json()["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = get_url(&app, &url).await;
    assert_private_pdf(&pdf, "contract-v1.pdf", "landing contract document");
}

#[actix_web::test]
async fn invoice_pdfs_on_the_landing_and_internal_keep_out_of_caches_and_referers() {
    let w = World::new().await;
    w.bill_february().await;
    let lookup = w.app.services.ports.tokens.issue(
        TokenPurpose::Lookup,
        "AB123456",
        w.app.clock_now() + Duration::minutes(15),
    );
    let body = w
        .app
        .get(&format!(
            "/landing/clients/AB123456/invoices?lookup_token={lookup}"
        ))
        .send()
        .await
        .json();
    let item = &body["items"][0];
    let invoice_id = item["invoice_id"].as_str().unwrap().to_owned();
    let url = item["document_download_url"].as_str().unwrap().to_owned();
    let landing = get_url(&w.app, &url).await;
    assert_private_pdf(
        &landing,
        &format!("{invoice_id}.pdf"),
        "landing invoice document",
    );
    let internal = w
        .app
        .get(&format!("/invoices/{invoice_id}/pdf"))
        .admin()
        .send()
        .await;
    assert_private_pdf(
        &internal,
        &format!("{invoice_id}.pdf"),
        "internal invoice PDF",
    );
}
