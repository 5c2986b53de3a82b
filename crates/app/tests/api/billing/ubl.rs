//! Issue #18 "UBL 2.1 documents": `GET /invoices/{id}/ubl` and `GET /credit-notes/{id}/ubl`
//! state the invoice (or note) as its JSON does, to the centime, with every mention the issue
//! lists, validate against the OASIS UBL 2.1 schema, and are byte-identical on every call.

#[path = "../../../../adapters-ubl/tests/xsd/mod.rs"]
mod xsd;

use domain::settings::Settings;
use serde_json::{json, Value};

use super::World;
use crate::support::pdf_text::text_of;
use crate::support::Answer;
use xsd::Kind;

/// `GET path` as the billing actor.
async fn get(w: &World, path: &str) -> Answer {
    w.app.get(path).token(&w.billing).send().await
}

/// The document of a 200 `application/xml` answer, downloaded as `{name}.xml`.
fn xml_of(answer: &Answer, name: &str) -> String {
    answer.assert_status(200);
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/xml")
    );
    assert_eq!(
        answer.header("content-disposition"),
        Some(format!("attachment; filename=\"{name}.xml\""))
    );
    assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
    String::from_utf8(answer.body.clone()).expect("UTF-8 XML")
}

/// The text of the first `<name …>text</name>` after `within` (an element that opens a
/// section, e.g. `<cac:LegalMonetaryTotal>`).
fn first(xml: &str, within: &str, name: &str) -> String {
    let section = &xml[xml.find(within).unwrap_or_else(|| panic!("no {within}"))..];
    let start = section
        .find(&format!("<{name}"))
        .unwrap_or_else(|| panic!("no {name} in {within}"));
    let body = &section[start..];
    let body = &body[body.find('>').unwrap() + 1..];
    body[..body.find('<').unwrap()].to_owned()
}

/// Centimes as the documents write them.
fn mad(centimes: &Value) -> String {
    let c = centimes.as_i64().unwrap();
    format!("{}.{:02}", c / 100, c % 100)
}

fn assert_states(xml: &str, facts: &[&str]) {
    for fact in facts {
        assert!(xml.contains(fact), "missing {fact:?} in:\n{xml}");
    }
}

#[actix_web::test]
async fn the_invoice_ubl_states_every_mention_and_the_json_totals_to_the_centime() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_of(&w.plan_change).await;
    let id = invoice["id"].as_str().unwrap();
    let xml = xml_of(&get(&w, &format!("/invoices/{id}/ubl")).await, id);
    let number = invoice["invoice_number"].as_str().unwrap();
    assert_states(
        &xml,
        &[
            "<Invoice\n    xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"",
            "<cbc:UBLVersionID>2.1</cbc:UBLVersionID>",
            &format!("<cbc:ID>{number}</cbc:ID>"),
            "<cbc:IssueDate>2026-03-01</cbc:IssueDate>",
            "<cbc:DueDate>2026-03-16</cbc:DueDate>",
            "<cbc:DocumentCurrencyCode>MAD</cbc:DocumentCurrencyCode>",
            // The billing period.
            "<cac:InvoicePeriod>\n    <cbc:StartDate>2026-02-01</cbc:StartDate>\n    <cbc:EndDate>2026-02-28</cbc:EndDate>",
            // The seller: name, address, ICE, IF, RC, TP, TVA.
            "<cbc:Name>MT Télécom SA</cbc:Name>",
            "<cbc:Line>Avenue Annakhil, Hay Riad, Rabat, Maroc</cbc:Line>",
            "<cbc:ID schemeID=\"ICE\">001234567000089</cbc:ID>",
            "<cbc:ID schemeID=\"IF\">12345678</cbc:ID>",
            "<cbc:ID schemeID=\"RC\">RC Rabat 123456</cbc:ID>",
            "<cbc:ID schemeID=\"TP\">25123456</cbc:ID>",
            "<cbc:CompanyID>TVA 12345678</cbc:CompanyID>",
            // The buyer, a person: name and CIN.
            "<cbc:ID schemeID=\"CIN\">CD789012</cbc:ID>",
            "<cbc:Name>Hajar Benkirane</cbc:Name>",
            // 14 days of each offer, at its monthly price for the 28 days of February.
            "<cbc:InvoicedQuantity unitCode=\"DAY\">14</cbc:InvoicedQuantity>",
            "<cbc:PriceAmount currencyID=\"MAD\">99.00</cbc:PriceAmount>",
            "<cbc:PriceAmount currencyID=\"MAD\">199.00</cbc:PriceAmount>",
            "<cbc:BaseQuantity unitCode=\"DAY\">28</cbc:BaseQuantity>",
            "<cbc:LineExtensionAmount currencyID=\"MAD\">49.50</cbc:LineExtensionAmount>",
            "<cbc:LineExtensionAmount currencyID=\"MAD\">99.50</cbc:LineExtensionAmount>",
            "<cbc:Name>Offre MOB-99 – février 2026 (prorata)</cbc:Name>",
            // Payment means and terms.
            "<cbc:PaymentMeansCode listID=\"UNCL4461\">30</cbc:PaymentMeansCode>",
            &format!("<cbc:PaymentID>{number}</cbc:PaymentID>"),
            "<cbc:Note>Payable au plus tard le 16/03/2026",
            // One subtotal per rate.
            "<cbc:Percent>20.00</cbc:Percent>",
        ],
    );
    assert_eq!(xml.matches("<cac:InvoiceLine>").count(), 2);
    assert_eq!(xml.matches("<cac:TaxSubtotal>").count(), 1);
    // The totals are the JSON invoice's, to the centime.
    let total = "<cac:LegalMonetaryTotal>";
    assert_eq!(
        first(&xml, total, "cbc:TaxExclusiveAmount"),
        mad(&invoice["total_excl_tax"])
    );
    assert_eq!(
        first(&xml, total, "cbc:TaxInclusiveAmount"),
        mad(&invoice["total_incl_tax"])
    );
    assert_eq!(
        first(&xml, total, "cbc:PayableAmount"),
        mad(&invoice["total_incl_tax"])
    );
    assert_eq!(
        first(&xml, "<cac:TaxTotal>", "cbc:TaxAmount"),
        mad(&invoice["total_tax"])
    );
    xsd::validate(Kind::Invoice, "plan change", xml.as_bytes());
}

#[actix_web::test]
async fn every_february_invoice_totals_its_json_and_validates() {
    let w = World::new().await;
    w.bill_february().await;
    let answer = get(&w, "/invoices?limit=500").await;
    let mut documents = Vec::new();
    for listed in answer.json()["items"].as_array().unwrap() {
        let id = listed["id"].as_str().unwrap();
        let invoice = get(&w, &format!("/invoices/{id}")).await.json();
        let xml = xml_of(&get(&w, &format!("/invoices/{id}/ubl")).await, id);
        let total = "<cac:LegalMonetaryTotal>";
        assert_eq!(
            first(&xml, total, "cbc:LineExtensionAmount"),
            mad(&invoice["total_excl_tax"]),
            "{id}"
        );
        assert_eq!(
            first(&xml, total, "cbc:TaxInclusiveAmount"),
            mad(&invoice["total_incl_tax"]),
            "{id}"
        );
        assert_eq!(
            first(&xml, "<cac:TaxTotal>", "cbc:TaxAmount"),
            mad(&invoice["total_tax"]),
            "{id}"
        );
        assert_eq!(
            xml.matches("<cac:InvoiceLine>").count(),
            invoice["lines"].as_array().unwrap().len()
        );
        documents.push((id.to_owned(), xml.into_bytes()));
    }
    assert_eq!(documents.len(), 4);
    xsd::validate_all(Kind::Invoice, &documents);
}

#[actix_web::test]
async fn the_ubl_is_the_same_bytes_on_every_call_whatever_happens_to_the_invoice_since() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    let path = format!("/invoices/{id}/ubl");
    let first_call = get(&w, &path).await;
    let xml = xml_of(&first_call, &id);
    // A whole month is one month at the monthly price.
    assert_states(
        &xml,
        &["<cbc:InvoicedQuantity unitCode=\"MON\">1</cbc:InvoicedQuantity>"],
    );
    // Paid, then read by a viewer: the document does not move.
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax WHERE id = '{id}'"
    ));
    let viewer = w.app.actor_token(&["viewer"]).await;
    let second = w.app.get(&path).token(&viewer).send().await;
    second.assert_status(200);
    assert_eq!(first_call.body, second.body);
    let third = get(&w, &path).await;
    assert_eq!(first_call.body, third.body);
}

#[actix_web::test]
async fn a_company_is_stated_by_its_ice() {
    let w = World::new().await;
    let ice = "001525374000089";
    let answer = w
        .app
        .post("/customers")
        .admin()
        .json(
            &json!({"kind": "company", "company_name": "Atlas & Fils SARL", "ice": ice,
                      "address": "Zone industrielle, lot 12", "city": "Casablanca"}),
        )
        .send()
        .await;
    answer.assert_status(201);
    let company = answer.json()["id"].as_str().unwrap().to_owned();
    let contract = crate::support::seed::contract(
        &w.app,
        &company,
        &w.mobile,
        time::macros::date!(2025 - 12 - 01),
        "active",
    );
    w.bill_february().await;
    let id = w.invoice_id_of(&contract).await;
    let xml = xml_of(&get(&w, &format!("/invoices/{id}/ubl")).await, &id);
    assert_states(
        &xml,
        &[
            &format!("<cbc:ID schemeID=\"ICE\">{ice}</cbc:ID>"),
            "<cbc:Name>Atlas &amp; Fils SARL</cbc:Name>",
            &format!("<cbc:CompanyID schemeID=\"ICE\">{ice}</cbc:CompanyID>"),
            "<cbc:Line>Zone industrielle, lot 12, Casablanca</cbc:Line>",
        ],
    );
    assert!(!xml.contains("schemeID=\"CIN\""), "{xml}");
    xsd::validate(Kind::Invoice, "company", xml.as_bytes());
}

#[actix_web::test]
async fn a_credit_note_ubl_refers_to_its_invoice_and_totals_its_json() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice_id = w.invoice_id_of(&w.plan_change).await;
    let invoice = w.invoice(&invoice_id).await;
    let note = w
        .credit(
            &invoice_id,
            json!({"reason": "Coupure réseau <48 h>", "lines": [{"position": 2, "amount_excl_tax": 3_333}]}),
        )
        .await
        .assert_status(201)
        .json();
    let id = note["id"].as_str().unwrap();
    let path = format!("/credit-notes/{id}/ubl");
    let answer = get(&w, &path).await;
    let xml = xml_of(&answer, id);
    let number = invoice["invoice_number"].as_str().unwrap();
    assert_states(
        &xml,
        &[
            "<CreditNote\n    xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"",
            &format!("<cbc:ID>{}</cbc:ID>", note["credit_note_number"].as_str().unwrap()),
            "<cbc:CreditNoteTypeCode listID=\"UNCL1001\">381</cbc:CreditNoteTypeCode>",
            &format!(
                "<cac:BillingReference>\n    <cac:InvoiceDocumentReference>\n      <cbc:ID>{number}</cbc:ID>\n      <cbc:IssueDate>2026-03-01</cbc:IssueDate>"
            ),
            // The invoice line it credits.
            "<cac:BillingReferenceLine>\n        <cbc:ID>2</cbc:ID>",
            "<cbc:Description>Coupure réseau &lt;48 h&gt;</cbc:Description>",
            "<cbc:ID schemeID=\"TP\">25123456</cbc:ID>",
            "<cbc:ID schemeID=\"CIN\">CD789012</cbc:ID>",
            "<cbc:LineExtensionAmount currencyID=\"MAD\">33.33</cbc:LineExtensionAmount>",
        ],
    );
    let total = "<cac:LegalMonetaryTotal>";
    assert_eq!(
        first(&xml, total, "cbc:TaxExclusiveAmount"),
        mad(&note["total_excl_tax"])
    );
    assert_eq!(
        first(&xml, total, "cbc:TaxInclusiveAmount"),
        mad(&note["total_incl_tax"])
    );
    assert_eq!(
        first(&xml, "<cac:TaxTotal>", "cbc:TaxAmount"),
        mad(&note["total_tax"])
    );
    xsd::validate(Kind::CreditNote, "partial note", xml.as_bytes());
    // The same bytes again, once the invoice has been paid.
    w.app.sql(&format!(
        "UPDATE invoices SET status = 'paid', amount_paid = total_incl_tax - credited_amount \
         WHERE id = '{invoice_id}'"
    ));
    assert_eq!(get(&w, &path).await.body, answer.body);
}

#[actix_web::test]
async fn unknown_or_malformed_documents_are_404_and_need_credentials() {
    let w = World::new().await;
    for (path, code) in [
        (
            "/invoices/inv_01JD0000000000000000000000/ubl",
            "invoice_not_found",
        ),
        ("/invoices/not-an-id/ubl", "invoice_not_found"),
        (
            "/credit-notes/cn_01JD0000000000000000000000/ubl",
            "credit_note_not_found",
        ),
        ("/credit-notes/not-an-id/ubl", "credit_note_not_found"),
    ] {
        get(&w, path).await.assert_problem(404, code);
        w.app
            .get(path)
            .send()
            .await
            .assert_problem(401, "unauthenticated");
    }
}

#[actix_web::test]
async fn the_tp_is_the_one_the_invoice_was_issued_under_and_printed_on_the_pdf_too() {
    let w = World::new().await;
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    // The operator changes its TP and restarts: February's documents keep the one they were
    // issued under.
    let mut settings = Settings::default();
    settings.seller.tp = "25999999".into();
    let restarted = w.app.restarted_with(settings);
    let on_restarted = |path: String| {
        let request = w.app.get(&path).token(&w.billing).on(&restarted);
        async move { request.send().await }
    };
    let xml = xml_of(&on_restarted(format!("/invoices/{id}/ubl")).await, &id);
    assert_states(&xml, &["<cbc:ID schemeID=\"TP\">25123456</cbc:ID>"]);
    assert!(!xml.contains("25999999"));
    let pdf = on_restarted(format!("/invoices/{id}/pdf")).await;
    pdf.assert_status(200);
    let text = text_of(&pdf.body);
    assert!(text.contains("TP : 25123456"), "{text}");
    assert!(!text.contains("25999999"), "{text}");
}
