//! Renders sample documents and checks, on the text extracted from the PDF, what they state.

// Helpers outside `#[test]` functions: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

mod extract;
mod samples;

use extract::text_of;

use adapters_pdf::GenPdfRenderer;
use domain::documents::DocumentRenderer;

const MAX_BYTES: usize = 150 * 1024;

fn page_count(pdf: &[u8]) -> usize {
    let document = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    document.get_pages().len()
}

fn assert_states(text: &str, facts: &[&str]) {
    for fact in facts {
        assert!(text.contains(fact), "missing {fact:?} in:\n{text}");
    }
}

fn renderer() -> GenPdfRenderer {
    GenPdfRenderer::new().expect("embedded fonts")
}

#[test]
fn contract_states_parties_offer_prices_and_commitment() {
    let pdf = renderer().contract(&samples::contract()).expect("rendered");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() <= MAX_BYTES, "{} bytes", pdf.len());
    let text = text_of(&pdf);
    assert_states(
        &text,
        &[
            "Contrat d'abonnement",
            "CTR-2026-000042 – version 2",
            "Date d'émission : 15/02/2026",
            "Maghreb Télécom S.A.",
            "Avenue Annakhil, Hay Riad – 10100 Rabat",
            "ICE : 001525874000063",
            "IF : 40123456",
            "RC : Rabat 98765",
            "TP : 25123458",
            "N° TVA : 40123457",
            "Hajar Benkirane – Fès",
            "CIN : CD123456",
            "quartier Aïn Chkef – 30050 Fès",
            "Type de service : Mobile",
            "Ligne : +212612345678",
            "LIBERTE-50 – Forfait « Liberté » 50 Go – été",
            "Prix mensuel HT : 1 234,56 MAD",
            "TVA 20 % : 246,91 MAD",
            "Prix mensuel TTC : 1 481,47 MAD",
            "Date d'effet : 15/02/2026",
            "Durée d'engagement : 12 mois",
            "Fin d'engagement : 15/02/2027",
            "Cette version 2 remplace la version 1",
            "Fait le 15/02/2026.",
        ],
    );
}

#[test]
fn contract_without_commitment_says_so() {
    let mut contract = samples::contract();
    contract.commitment_months = 0;
    let pdf = renderer().contract(&contract).expect("rendered");
    let text = text_of(&pdf);
    assert_states(&text, &["Durée d'engagement : sans engagement"]);
    assert!(!text.contains("Fin d'engagement"));
}

#[test]
fn invoice_states_legal_mentions_lines_and_totals() {
    let pdf = renderer().invoice(&samples::invoice()).expect("rendered");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() <= MAX_BYTES, "{} bytes", pdf.len());
    let text = text_of(&pdf);
    assert_states(
        &text,
        &[
            "Facture",
            "N° : FAC-2026-000123",
            "Date d'émission : 01/03/2026",
            "Période : février 2026",
            "Date d'échéance : 16/03/2026",
            "Maghreb Télécom S.A.",
            "ICE : 001525874000063",
            "IF : 40123456",
            "RC : Rabat 98765",
            "TP : 25123458",
            "N° TVA : 40123457",
            "Hajar Benkirane – Fès",
            "CIN : CD123456",
            "Contrat : CTR-2026-000042",
            "Ligne : +212612345678",
            "Description",
            "Jours",
            "TVA %",
            "TTC (MAD)",
            "01/02/2026",
            "14/02/2026",
            "617,28",
            "123,46",
            "740,74",
            "Total HT",
            "1 112,28 MAD",
            "TVA 20 %",
            "222,46 MAD",
            "Total TTC",
            "1 334,74 MAD",
            "Montant payé",
            "500,00 MAD",
            "Reste à payer",
            "834,74 MAD",
        ],
    );
}

#[test]
fn an_invoice_with_allowances_prints_its_consommation_block() {
    let renderer = renderer();
    let with_usage = domain::documents::InvoiceDocument {
        usage: vec![
            "Appels : 62 min utilisées / 60 min incluses".into(),
            "Internet : 8,38 Go utilisées / illimité".into(),
        ],
        ..samples::invoice()
    };
    let text = text_of(&renderer.invoice(&with_usage).expect("rendered"));
    assert_states(
        &text,
        &[
            "Consommation",
            "Appels : 62 min utilisées / 60 min incluses",
            "Internet : 8,38 Go utilisées / illimité",
        ],
    );
    let plain = text_of(&renderer.invoice(&samples::invoice()).expect("rendered"));
    assert!(!plain.contains("Consommation"), "{plain}");
}

#[test]
fn a_corrected_invoice_states_what_its_credit_notes_took_off() {
    let renderer = renderer();
    let plain = text_of(&renderer.invoice(&samples::invoice()).expect("rendered"));
    assert!(!plain.contains("Avoirs déduits"), "{plain}");
    let corrected = domain::documents::InvoiceDocument {
        credited_amount: 24_000,
        outstanding: 59_474,
        ..samples::invoice()
    };
    let text = text_of(&renderer.invoice(&corrected).expect("rendered"));
    assert_states(
        &text,
        &[
            "Avoirs déduits",
            "240,00 MAD",
            "Reste à payer",
            "594,74 MAD",
        ],
    );
}

#[test]
fn credit_note_states_legal_mentions_the_invoice_corrected_and_the_reason() {
    let renderer = renderer();
    let pdf = renderer
        .credit_note(&samples::credit_note())
        .expect("rendered");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() <= MAX_BYTES, "{} bytes", pdf.len());
    let text = text_of(&pdf);
    assert_states(
        &text,
        &[
            "Facture d'avoir",
            "N° : AV-2026-000007",
            "Date d'émission : 10/03/2026",
            "Facture corrigée : FAC-2026-000123",
            "Date de la facture : 01/03/2026",
            "Période facturée : février 2026",
            "Maghreb Télécom S.A.",
            "ICE : 001525874000063",
            "IF : 40123456",
            "RC : Rabat 98765",
            "TP : 25123458",
            "N° TVA : 40123457",
            "Hajar Benkirane – Fès",
            "CIN : CD123456",
            "Contrat : CTR-2026-000042",
            "Ligne : +212612345678",
            "Motif",
            "Geste commercial – coupure réseau du 20/02",
            "200,00",
            "Total HT",
            "TVA 20 %",
            "40,00 MAD",
            "Total TTC de l'avoir",
            "240,00 MAD",
            "Déduit de la facture",
        ],
    );
    let again = renderer
        .credit_note(&samples::credit_note())
        .expect("rendered");
    assert_eq!(pdf, again);
}

#[test]
fn long_invoice_flows_onto_more_pages_and_stays_small() {
    let pdf = renderer()
        .invoice(&samples::long_invoice(120))
        .expect("rendered");
    assert!(page_count(&pdf) > 1);
    assert!(pdf.len() <= MAX_BYTES, "{} bytes", pdf.len());
    assert_states(&text_of(&pdf), &["Reste à payer"]);
}

#[test]
fn same_input_renders_the_same_bytes() {
    let renderer = renderer();
    let first = renderer.invoice(&samples::invoice()).expect("rendered");
    let second = renderer.invoice(&samples::invoice()).expect("rendered");
    assert_eq!(first, second);
    let first = renderer.contract(&samples::contract()).expect("rendered");
    let second = renderer.contract(&samples::contract()).expect("rendered");
    assert_eq!(first, second);
}

#[test]
fn text_outside_windows_1252_is_replaced_not_fatal() {
    let mut contract = samples::contract();
    contract.client_name = "هاجر Benkirane".to_owned();
    let pdf = renderer().contract(&contract).expect("rendered");
    assert_states(&text_of(&pdf), &["???? Benkirane"]);
}

#[test]
fn statement_states_the_period_each_movement_and_the_balances() {
    use domain::documents::{StatementDocument, StatementDocumentLine};
    use time::macros::date;
    let statement = StatementDocument {
        seller: samples::seller(),
        client_name: "Hajar Benkirane".into(),
        cin: "CD123456".into(),
        client_address: Some("12 rue Talaa, Fès".into()),
        from: Some(date!(2026 - 02 - 01)),
        to: date!(2026 - 03 - 31),
        opening_balance: 36_000,
        lines: vec![
            StatementDocumentLine {
                date: date!(2026 - 02 - 05),
                label: "Paiement".into(),
                reference: "VIR-88".into(),
                effect: -40_000,
                balance: -4_000,
            },
            StatementDocumentLine {
                date: date!(2026 - 03 - 01),
                label: "Facture".into(),
                reference: "FAC-2026-000123".into(),
                effect: 12_000,
                balance: 8_000,
            },
        ],
        closing_balance: 8_000,
        currency: "MAD".into(),
    };
    let pdf = renderer().statement(&statement).expect("rendered");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() <= MAX_BYTES, "{} bytes", pdf.len());
    assert_eq!(page_count(&pdf), 1);
    let text = text_of(&pdf);
    assert_states(
        &text,
        &[
            "Relevé de compte",
            "Du 01/02/2026 au 31/03/2026",
            "Maghreb Télécom S.A.",
            "Hajar Benkirane",
            "CIN : CD123456",
            "Solde d'ouverture",
            "VIR-88",
            "FAC-2026-000123",
            "Solde de clôture",
            "à payer",
        ],
    );
}

#[test]
fn a_company_buyer_is_identified_by_its_ice_instead_of_a_cin() {
    let company = domain::documents::InvoiceDocument {
        client_name: "Atlas Logistique SARL".into(),
        cin: String::new(),
        buyer_ice: Some("001525374000089".into()),
        ..samples::invoice()
    };
    let text = text_of(&renderer().invoice(&company).expect("rendered"));
    assert_states(&text, &["Atlas Logistique SARL", "ICE : 001525374000089"]);
    assert!(!text.contains("CIN :"), "{text}");
}

#[test]
fn a_company_subscriber_is_identified_by_its_ice_on_its_contract() {
    let company = domain::documents::ContractDocument {
        client_name: "Atlas Logistique SARL".into(),
        cin: String::new(),
        buyer_ice: Some("001525374000089".into()),
        ..samples::contract()
    };
    let text = text_of(&renderer().contract(&company).expect("rendered"));
    assert_states(&text, &["Atlas Logistique SARL", "ICE : 001525374000089"]);
    assert!(!text.contains("CIN :"), "{text}");
}

#[test]
fn a_company_buyer_is_identified_by_its_ice_on_a_credit_note() {
    let company = domain::documents::CreditNoteDocument {
        client_name: "Atlas Logistique SARL".into(),
        cin: String::new(),
        buyer_ice: Some("001525374000089".into()),
        ..samples::credit_note()
    };
    let text = text_of(&renderer().credit_note(&company).expect("rendered"));
    assert_states(&text, &["Atlas Logistique SARL", "ICE : 001525374000089"]);
    assert!(!text.contains("CIN :"), "{text}");
}

#[test]
fn an_identity_fixed_before_the_tp_was_configured_prints_none() {
    let mut invoice = samples::invoice();
    invoice.seller.tp = String::new();
    let text = text_of(&renderer().invoice(&invoice).expect("rendered"));
    assert!(!text.contains("TP :"), "{text}");
    assert_states(&text, &["RC : Rabat 98765", "N° TVA : 40123457"]);
}
