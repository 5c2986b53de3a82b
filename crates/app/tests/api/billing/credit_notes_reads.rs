//! Issue #14 reads: `GET /credit-notes` (filters, pages, strict query), `GET
//! /credit-notes/{id}`, the "Facture d'avoir" PDF (stored once, byte-identical), and the
//! client's credit notes on the landing with their own document link.

use domain::tokens::TokenPurpose;
use serde_json::{json, Value};
use time::macros::datetime;
use time::Duration;

use super::World;
use crate::support::pdf_text::text_of;

impl World {
    async fn credit_notes(&self, query: &str) -> Value {
        let answer = self
            .app
            .get(&format!("/credit-notes{query}"))
            .token(&self.billing)
            .send()
            .await;
        answer.assert_status(200);
        answer.json()
    }

    /// Three notes: two on Omar's plan change (one in March, one in April), one on Hajar's
    /// full month (March). Returns their ids in creation order.
    async fn three_notes(&self) -> Vec<String> {
        self.bill_february().await;
        let omar = self.invoice_id_of(&self.plan_change).await;
        let hajar = self.invoice_id_of(&self.full_month).await;
        let partial =
            json!({"reason": "Geste", "lines": [{"position": 1, "amount_excl_tax": 500}]});
        let mut ids = Vec::new();
        for (invoice, body) in [(&omar, &partial), (&hajar, &partial)] {
            let note = self.credit(invoice, body.clone()).await;
            ids.push(
                note.assert_status(201).json()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        self.app.clock.set(datetime!(2026-04-02 09:00 UTC));
        let note = self.credit(&omar, json!({"reason": "Solde"})).await;
        ids.push(
            note.assert_status(201).json()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        ids
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn notes_list_by_id_with_each_filter_and_in_pages() {
    let w = World::new().await;
    let notes = w.three_notes().await;
    assert_eq!(ids(&w.credit_notes("").await), notes);
    let omar = w.invoice_id_of(&w.plan_change).await;
    assert_eq!(
        ids(&w.credit_notes(&format!("?invoice_id={omar}")).await),
        vec![notes[0].clone(), notes[2].clone()]
    );
    assert_eq!(
        ids(&w.credit_notes(&format!("?client_id={}", w.hajar)).await),
        vec![notes[1].clone()]
    );
    assert_eq!(
        ids(&w.credit_notes("?period=2026-04").await),
        vec![notes[2].clone()]
    );
    assert_eq!(
        ids(&w
            .credit_notes(&format!("?period=2026-03&client_id={}", w.omar))
            .await),
        vec![notes[0].clone()]
    );
    let first = w.credit_notes("?limit=2").await;
    assert_eq!(ids(&first), notes[..2].to_vec());
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = w.credit_notes(&format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&second), notes[2..].to_vec());
    assert_eq!(second["next_cursor"], Value::Null);
}

#[actix_web::test]
async fn a_bad_query_is_invalid_query_naming_the_parameter() {
    let w = World::new().await;
    for (query, field) in [
        ("?period=2026-13", "period"),
        ("?client_id=inv_01JD0000000000000000000000", "client_id"),
        ("?invoice_id=nope", "invoice_id"),
        ("?limit=0", "limit"),
        ("?cursor=inv_01JD0000000000000000000000", "cursor"),
        ("?status=void", "status"),
    ] {
        let answer = w
            .app
            .get(&format!("/credit-notes{query}"))
            .token(&w.billing)
            .send()
            .await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), vec![field], "{query}");
    }
}

#[actix_web::test]
async fn a_note_reads_as_it_was_issued_for_any_actor() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_id_of(&w.full_month).await;
    let issued = w
        .credit(&invoice, json!({"reason": "Double facturation"}))
        .await
        .assert_status(201)
        .json();
    let id = issued["id"].as_str().unwrap();
    let viewer = w.app.actor_token(&["viewer"]).await;
    let answer = w
        .app
        .get(&format!("/credit-notes/{id}"))
        .token(&viewer)
        .send()
        .await;
    answer.assert_status(200);
    let note = answer.json();
    for field in [
        "id",
        "credit_note_number",
        "invoice_id",
        "client_id",
        "issue_date",
        "reason",
        "lines",
        "total_excl_tax",
        "total_tax",
        "total_incl_tax",
        "currency",
        "applied_to_invoice",
        "credited_to_balance",
    ] {
        assert_eq!(note[field], issued[field], "{field}");
    }
    assert_eq!(note["credit_remaining"], 0);
    assert!(note["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(w.credit_notes("").await["items"][0], note);
}

#[actix_web::test]
async fn unknown_notes_are_not_found_and_reads_need_credentials() {
    let w = World::new().await;
    for path in [
        "/credit-notes/cn_01JD0000000000000000000000",
        "/credit-notes/inv_01JD0000000000000000000000",
        "/credit-notes/cn_01JD0000000000000000000000/pdf",
    ] {
        w.app
            .get(path)
            .token(&w.billing)
            .send()
            .await
            .assert_problem(404, "credit_note_not_found");
    }
    for path in [
        "/credit-notes",
        "/credit-notes/cn_01JD0000000000000000000000",
        "/credit-notes/cn_01JD0000000000000000000000/pdf",
    ] {
        w.app
            .get(path)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
    }
}

#[actix_web::test]
async fn the_pdf_is_a_facture_d_avoir_naming_the_invoice_and_never_changes() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_of(&w.plan_change).await;
    let invoice_id = invoice["id"].as_str().unwrap();
    let note = w
        .credit(
            invoice_id,
            json!({"reason": "Coupure réseau du 20/02", "lines": [
                {"position": 2, "amount_excl_tax": 3_333}]}),
        )
        .await
        .assert_status(201)
        .json();
    let id = note["id"].as_str().unwrap();
    let path = format!("/credit-notes/{id}/pdf");
    let first = w.app.get(&path).token(&w.billing).send().await;
    first.assert_status(200);
    assert_eq!(
        first.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(first.body.starts_with(b"%PDF-"));
    let text = text_of(&first.body);
    let invoice_number = invoice["invoice_number"].as_str().unwrap();
    for fact in [
        "Facture d'avoir",
        "N° : AV-2026-000001",
        "Date d'émission : 10/03/2026",
        &format!("Facture corrigée : {invoice_number}"),
        "Date de la facture : 01/03/2026",
        "Période facturée : février 2026",
        "MT Télécom SA",
        "ICE : 001234567000089",
        "IF : 12345678",
        "RC : RC Rabat 123456",
        "TP : 25123456",
        "TVA 12345678",
        "CIN : CD789012",
        "Motif",
        "Coupure réseau du 20/02",
        "Offre MOB-199 – février 2026 (prorata)",
        "33,33",
        "6,67",
        "Total TTC de l'avoir",
        "40,00 MAD",
    ] {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
    // Later changes to the invoice do not reach the stored document.
    w.credit(invoice_id, json!({"reason": "Solde"}))
        .await
        .assert_status(201);
    w.app.clock.advance(Duration::days(40));
    let second = w.app.get(&path).token(&w.billing).send().await;
    second.assert_status(200);
    assert_eq!(second.body, first.body);
    assert_eq!(w.app.count("SELECT count(*) FROM credit_note_documents"), 1);
}

#[actix_web::test]
async fn the_landing_lists_credit_notes_with_their_own_document_link() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_id_of(&w.full_month).await;
    w.app.clock.set(datetime!(2026-03-12 09:00 UTC));
    let note = w
        .credit(
            &invoice,
            json!({"reason": "Geste commercial",
            "lines": [{"position": 1, "amount_excl_tax": 1_000}]}),
        )
        .await
        .assert_status(201)
        .json();
    let lookup = w.app.services.ports.tokens.issue(
        TokenPurpose::Lookup,
        "AB123456",
        w.app.clock_now() + Duration::minutes(15),
    );
    let answer = w
        .app
        .get(&format!(
            "/landing/clients/AB123456/invoices?lookup_token={lookup}"
        ))
        .send()
        .await;
    answer.assert_status(200);
    let items = answer.json()["items"].as_array().unwrap().clone();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "credit_note").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "invoice").count(), 2);
    // A note comes right before the invoice it corrects (it is newer), on that invoice's page.
    let at = kinds.iter().position(|k| *k == "credit_note").unwrap();
    assert_eq!(items[at + 1]["kind"], "invoice");
    assert_eq!(items[at + 1]["invoice_id"], invoice.as_str());
    let listed = &items[at];
    assert_eq!(listed["credit_note_id"], note["id"]);
    assert_eq!(listed["credit_note_number"], "AV-2026-000001");
    assert_eq!(listed["invoice_id"], invoice.as_str());
    assert_eq!(listed["issue_date"], "2026-03-12");
    assert_eq!(listed["total_incl_tax"], 1_200);
    let invoice_item = items
        .iter()
        .find(|i| i["invoice_id"] == invoice.as_str() && i["kind"] == "invoice")
        .unwrap();
    assert_eq!(invoice_item["outstanding"], 11_880 - 1_200);
    let url = listed["document_download_url"].as_str().unwrap();
    let id = note["id"].as_str().unwrap();
    assert!(url.starts_with(&format!(
        "/api/v1/landing/credit-notes/{id}/document?token="
    )));
    let pdf = w.app.get(url).send().await;
    pdf.assert_status(200);
    // A public link: mail tools' tracking parameters are ignored (decision 0192).
    w.app
        .get(&format!("{url}&utm_source=mail&utm_medium=email"))
        .send()
        .await
        .assert_status(200);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    let internal = w
        .app
        .get(&format!("/credit-notes/{id}/pdf"))
        .token(&w.billing)
        .send()
        .await;
    assert_eq!(
        pdf.body, internal.body,
        "one document, whoever downloads it"
    );

    // The token opens this note only, and only while valid.
    let token = url.split("token=").nth(1).unwrap();
    w.app
        .get(&format!(
            "/landing/invoices/{invoice}/document?token={token}"
        ))
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get(&format!("/landing/credit-notes/{id}/document"))
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get(&format!(
            "/landing/credit-notes/not-an-id/document?token={token}"
        ))
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app.clock.advance(Duration::days(8));
    w.app.get(url).send().await.assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn landing_pages_carry_each_credit_note_with_the_invoice_it_corrects() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_id_of(&w.full_month).await;
    w.credit(&invoice, json!({"reason": "Erreur de tarif"}))
        .await
        .assert_status(201);
    let lookup = w.app.services.ports.tokens.issue(
        TokenPurpose::Lookup,
        "AB123456",
        w.app.clock_now() + Duration::minutes(15),
    );
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let mut path = format!("/landing/clients/AB123456/invoices?lookup_token={lookup}&limit=1");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let answer = w.app.get(&path).send().await;
        answer.assert_status(200);
        let body = answer.json();
        let kinds: Vec<String> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                format!(
                    "{} {}",
                    i["kind"].as_str().unwrap(),
                    i["invoice_id"].as_str().unwrap()
                )
            })
            .collect();
        pages.push(kinds);
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let with_note: Vec<&Vec<String>> = pages.iter().filter(|p| p.len() == 2).collect();
    assert_eq!(pages.len(), 2, "one invoice a page: {pages:?}");
    assert_eq!(with_note.len(), 1, "the note appears once: {pages:?}");
    assert_eq!(
        *with_note[0],
        vec![
            format!("credit_note {invoice}"),
            format!("invoice {invoice}")
        ]
    );
}
