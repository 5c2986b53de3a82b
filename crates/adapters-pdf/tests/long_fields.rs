//! The longest value the API accepts in every printed field comes out of the PDF in full,
//! even as one unbroken word wider than its column (genpdf alone dropped such a word and the
//! rest of its paragraph).

// Helpers outside `#[test]` functions: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

mod extract;
mod samples;

use adapters_pdf::GenPdfRenderer;
use domain::catalog::MAX_NAME_CHARS as MAX_OFFER_NAME_CHARS;
use domain::clients::input::{MAX_ADDRESS_CHARS, MAX_CITY_CHARS, MAX_NAME_CHARS};
use domain::documents::{ContractDocument, DocumentRenderer, InvoiceDocument};
use extract::text_of;

const RESIDENCE: &str = "Résidence-Al-Manar-Immeuble-12-Appartement-34-Hay-Riad, Rabat";

/// `chars` characters without a single space, cycling through wide and accented letters.
fn unbroken(chars: usize) -> String {
    "WÉMÇwéàœ€Ÿ".chars().cycle().take(chars).collect()
}

/// Client and offer fields at their maximum length: names, address and city as single words.
struct Longest {
    first_name: String,
    last_name: String,
    address: String,
    city: String,
    offer_code: String,
    offer_name: String,
}

fn longest() -> Longest {
    Longest {
        first_name: unbroken(MAX_NAME_CHARS),
        last_name: unbroken(MAX_NAME_CHARS),
        address: unbroken(MAX_ADDRESS_CHARS),
        city: unbroken(MAX_CITY_CHARS),
        offer_code: "W".repeat(40),
        offer_name: unbroken(MAX_OFFER_NAME_CHARS),
    }
}

fn contract_with(longest: &Longest) -> ContractDocument {
    ContractDocument {
        client_name: format!("{} {}", longest.first_name, longest.last_name),
        client_address: Some(format!("{}, {}", longest.address, longest.city)),
        offer_code: longest.offer_code.clone(),
        offer_name: longest.offer_name.clone(),
        ..samples::contract()
    }
}

fn invoice_with(longest: &Longest) -> InvoiceDocument {
    let mut invoice = InvoiceDocument {
        client_name: format!("{} {}", longest.first_name, longest.last_name),
        client_address: Some(format!("{}, {}", longest.address, longest.city)),
        ..samples::invoice()
    };
    invoice.lines[0].description = format!("{} – février 2026 (prorata)", longest.offer_name);
    invoice
}

/// Whitespace aside (a broken word ends a line), `value` is in `text` in one piece.
fn assert_printed_in_full(text: &str, value: &str) {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    assert!(
        squeeze(text).contains(&squeeze(value)),
        "missing {value:?} in:\n{text}"
    );
}

fn renderer() -> GenPdfRenderer {
    GenPdfRenderer::new().expect("embedded fonts")
}

#[test]
fn a_contract_prints_the_longest_accepted_fields_in_full() {
    let longest = longest();
    let pdf = renderer()
        .contract(&contract_with(&longest))
        .expect("rendered");
    let text = text_of(&pdf);
    for value in [
        &longest.first_name,
        &longest.last_name,
        &longest.address,
        &longest.city,
        &longest.offer_code,
        &longest.offer_name,
    ] {
        assert_printed_in_full(&text, value);
    }
    // What follows the long fields in their paragraphs and in the document is still there.
    assert_printed_in_full(&text, "CIN : CD123456");
    assert_printed_in_full(&text, "Fait le 15/02/2026.");
}

#[test]
fn an_invoice_prints_the_longest_accepted_fields_in_full() {
    let longest = longest();
    let pdf = renderer()
        .invoice(&invoice_with(&longest))
        .expect("rendered");
    let text = text_of(&pdf);
    for value in [
        &longest.first_name,
        &longest.last_name,
        &longest.address,
        &longest.city,
    ] {
        assert_printed_in_full(&text, value);
    }
    // The narrow description column of the lines table.
    assert_printed_in_full(
        &text,
        &format!("{} – février 2026 (prorata)", longest.offer_name),
    );
    assert_printed_in_full(&text, "Reste à payer");
}

#[test]
fn the_reported_sixty_letter_name_and_hyphenated_address_are_printed() {
    let name = format!("Hajar {}", unbroken(60));
    let contract = ContractDocument {
        client_name: name.clone(),
        client_address: Some(RESIDENCE.to_owned()),
        ..samples::contract()
    };
    let text = text_of(&renderer().contract(&contract).expect("rendered"));
    assert_printed_in_full(&text, &name);
    assert_printed_in_full(&text, RESIDENCE);
    let invoice = InvoiceDocument {
        client_name: name.clone(),
        client_address: Some(RESIDENCE.to_owned()),
        ..samples::invoice()
    };
    let text = text_of(&renderer().invoice(&invoice).expect("rendered"));
    assert_printed_in_full(&text, &name);
    assert_printed_in_full(&text, RESIDENCE);
}

#[test]
fn every_character_printed_fields_accept_is_printed_as_itself() {
    let accepted: String = ('\u{20}'..='\u{2212}')
        .filter(|c| domain::text::is_printable_in_documents(*c))
        // The adapter prints these as a plain space or hyphen, by design.
        .filter(|c| !matches!(c, '\u{A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}'))
        .filter(|c| !matches!(c, '\u{2010}' | '\u{2011}' | '\u{2212}'))
        .filter(|c| *c != ' ')
        .collect();
    let contract = ContractDocument {
        client_address: Some(accepted.clone()),
        ..samples::contract()
    };
    let text = text_of(&renderer().contract(&contract).expect("rendered"));
    assert_printed_in_full(&text, &accepted);
}
