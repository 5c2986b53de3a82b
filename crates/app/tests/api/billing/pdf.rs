//! P12 `GET /invoices/{invoice_id}/pdf`: every legal mention, produced once and identical on
//! every download.

use super::World;
use crate::support::pdf_text::text_of;

#[actix_web::test]
async fn the_invoice_pdf_states_every_mention_the_rules_require() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_of(&w.plan_change).await;
    let id = invoice["id"].as_str().unwrap();
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'partially_paid', amount_paid = 5000 WHERE id = '{id}'"
    ));
    let answer = w
        .app
        .get(&format!("/invoices/{id}/pdf"))
        .token(&w.billing)
        .send()
        .await;
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(answer.body.starts_with(b"%PDF-"));
    let text = text_of(&answer.body);
    let number = invoice["invoice_number"].as_str().unwrap();
    // 4 950 + 9 950 = 14 900 HT; TVA 990 + 1 990 = 2 980; TTC 17 880; paid 50.00.
    for fact in [
        "MT Télécom SA",
        "Avenue Annakhil, Hay Riad, Rabat, Maroc",
        "ICE : 001234567000089",
        "IF : 12345678",
        "RC : RC Rabat 123456",
        "TP : 25123456",
        "TVA 12345678",
        &format!("N° : {number}"),
        "Date d'émission : 01/03/2026",
        "Date d'échéance : 16/03/2026",
        "Période : février 2026",
        "Hajar Benkirane",
        "CIN : CD789012",
        "12 rue Talaa, Fès",
        "Offre MOB-99 – février 2026 (prorata)",
        "Offre MOB-199 – février 2026 (prorata)",
        "01/02/2026",
        "14/02/2026",
        "15/02/2026",
        "28/02/2026",
        "49,50",
        "99,50",
        "Total HT",
        "149,00 MAD",
        "TVA 20 %",
        "29,80 MAD",
        "Total TTC",
        "178,80 MAD",
        "Montant payé",
        "50,00 MAD",
        "Reste à payer",
        "128,80 MAD",
    ] {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
}

#[actix_web::test]
async fn the_pdf_is_produced_once_and_identical_on_every_download() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_of(&w.full_month).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        w.app.count("SELECT count(*) FROM invoice_documents"),
        0,
        "rendered lazily"
    );
    let first = w
        .app
        .get(&format!("/invoices/{id}/pdf"))
        .token(&w.billing)
        .send()
        .await;
    first.assert_status(200);
    // A later payment does not change a document already produced.
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax WHERE id = '{id}'"
    ));
    let viewer = w.app.actor_token(&["viewer"]).await;
    let second = w
        .app
        .get(&format!("/invoices/{id}/pdf"))
        .token(&viewer)
        .send()
        .await;
    second.assert_status(200);
    assert_eq!(first.body, second.body);
    assert_eq!(w.app.count("SELECT count(*) FROM invoice_documents"), 1);
}

#[actix_web::test]
async fn the_pdf_of_an_unknown_invoice_is_404_and_needs_credentials() {
    let w = World::new().await;
    w.app
        .get("/invoices/inv_01JD0000000000000000000000/pdf")
        .token(&w.billing)
        .send()
        .await
        .assert_problem(404, "invoice_not_found");
    w.app
        .get("/invoices/inv_01JD0000000000000000000000/pdf")
        .send()
        .await
        .assert_problem(401, "unauthenticated");
}
