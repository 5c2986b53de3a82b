//! Every golden billing case as a UBL 2.1 invoice, and credit notes of each: the totals the
//! documents state equal the invoice's (and so its JSON's) to the centime, and every document
//! validates against the official OASIS schema.

// Helpers outside `#[test]` functions: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod xsd;

use adapters_ubl::UblDocuments;
use domain::billing::golden::cases;
use domain::billing::{invoice_document, Invoice, InvoiceParties};
use domain::credit_notes::{
    credit_lines, credit_note_document, effect_on, CreditNote, RequestedLine,
};
use domain::einvoicing::UblRenderer;
use domain::money::Money;
use domain::settings::Settings;
use domain::typed_ids::CreditNoteId;
use time::OffsetDateTime;

use xsd::Kind;

fn parties() -> InvoiceParties {
    InvoiceParties {
        seller: Settings::default().seller,
        contract_number: "CTR-2026-000042".into(),
        replaces: None,
    }
}

/// The text of every `<name …>text</name>` in `xml`, in order.
fn texts<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        // `<cbc:TaxAmount` must not match `<cbc:TaxAmountX`.
        if !after.starts_with(['>', ' ']) {
            rest = after;
            continue;
        }
        let body = &after[after.find('>').expect("tag end") + 1..];
        let end = body.find(&close).expect("closing tag");
        found.push(&body[..end]);
        rest = &body[end..];
    }
    found
}

/// `123.45` → 12345 centimes; exactly two decimals, as the documents promise.
fn centimes(amount: &str) -> i64 {
    let (units, cents) = amount.split_once('.').expect("two decimals");
    assert_eq!(cents.len(), 2, "{amount}");
    let negative = units.starts_with('-');
    let value =
        units.trim_start_matches('-').parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
    if negative {
        -value
    } else {
        value
    }
}

/// The document-level part of `xml` (before its first line) and its `LegalMonetaryTotal`.
fn head_and_total(xml: &str, line: &str) -> (String, String) {
    let head = xml[..xml.find(&format!("<cac:{line}>")).expect("a line")].to_owned();
    let total = texts(&head, "cac:LegalMonetaryTotal")[0].to_owned();
    (head, total)
}

/// (TaxTotal amount, sum of TaxSubtotal amounts, number of subtotals) of a document head.
fn tax_total(head: &str) -> (i64, i64, usize) {
    let block = texts(head, "cac:TaxTotal")[0];
    let subtotals = texts(block, "cac:TaxSubtotal");
    let first = block.find("<cac:TaxSubtotal>").unwrap_or(block.len());
    let total = centimes(texts(&block[..first], "cbc:TaxAmount")[0]);
    let sum = subtotals
        .iter()
        .map(|s| centimes(texts(s, "cbc:TaxAmount")[0]))
        .sum();
    (total, sum, subtotals.len())
}

fn distinct_rates(invoice: &Invoice) -> usize {
    let mut rates: Vec<i32> = invoice.lines.iter().map(|l| l.tax_rate_bp).collect();
    rates.sort_unstable();
    rates.dedup();
    rates.len()
}

#[test]
fn every_golden_invoice_states_its_totals_to_the_centime_and_is_valid_ubl() {
    let renderer = UblDocuments::new();
    let mut documents = Vec::new();
    for (n, case) in cases().iter().enumerate() {
        let invoice = case.invoice(n + 1);
        let xml = renderer
            .invoice(&invoice_document(&invoice, parties()))
            .unwrap();
        let text = String::from_utf8(xml.clone()).unwrap();
        let (head, total) = head_and_total(&text, "InvoiceLine");
        let amount = |name| centimes(texts(&total, name)[0]);
        assert_eq!(
            amount("cbc:LineExtensionAmount"),
            invoice.total_excl_tax.centimes(),
            "{}",
            case.name
        );
        assert_eq!(
            amount("cbc:TaxExclusiveAmount"),
            invoice.total_excl_tax.centimes(),
            "{}",
            case.name
        );
        assert_eq!(
            amount("cbc:TaxInclusiveAmount"),
            invoice.total_incl_tax.centimes(),
            "{}",
            case.name
        );
        assert_eq!(
            amount("cbc:PayableAmount"),
            invoice.total_incl_tax.centimes(),
            "{}",
            case.name
        );
        let (tax, subtotals, count) = tax_total(&head);
        assert_eq!(tax, invoice.total_tax.centimes(), "{}", case.name);
        assert_eq!(subtotals, tax, "{}", case.name);
        assert_eq!(count, distinct_rates(&invoice), "{}", case.name);
        // One InvoiceLine per line, whose amounts add up to the total.
        let lines = texts(&text, "cac:InvoiceLine");
        assert_eq!(lines.len(), invoice.lines.len(), "{}", case.name);
        for (line, expected) in lines.iter().zip(&invoice.lines) {
            assert_eq!(
                centimes(texts(line, "cbc:LineExtensionAmount")[0]),
                expected.amount_excl_tax.centimes(),
                "{}",
                case.name
            );
            // Quantity × price ÷ base quantity is the engine's proration, before rounding.
            let quantity: i64 = texts(line, "cbc:InvoicedQuantity")[0].parse().unwrap();
            let base: i64 = texts(line, "cbc:BaseQuantity")[0].parse().unwrap();
            let price = centimes(texts(line, "cbc:PriceAmount")[0]);
            assert_eq!(
                domain::money::prorate(price, quantity, base),
                expected.amount_excl_tax.centimes(),
                "{}",
                case.name
            );
        }
        assert!(
            text.contains(&format!("<cbc:ID>{}</cbc:ID>", invoice.invoice_number)),
            "{}",
            case.name
        );
        // The buyer: a company by its ICE, a person by its CIN.
        let buyer = if case.per_account {
            "<cbc:ID schemeID=\"ICE\">001525374000089</cbc:ID>"
        } else {
            "<cbc:ID schemeID=\"CIN\">CD789012</cbc:ID>"
        };
        assert!(text.contains(buyer), "{}: {buyer}", case.name);
        documents.push((case.name.to_owned(), xml));
    }
    xsd::validate_all(Kind::Invoice, &documents);
}

/// A note crediting `requested` of `invoice` (everything left when `None`).
fn note(invoice: &Invoice, requested: Option<&[RequestedLine]>, n: usize) -> Option<CreditNote> {
    let lines = credit_lines(invoice, &[], requested).ok()?;
    let total_excl_tax: Money = lines.iter().map(|l| l.amount_excl_tax).sum();
    let total_tax: Money = lines.iter().map(|l| l.tax_amount).sum();
    let total_incl_tax = total_excl_tax.saturating_add(total_tax);
    let effect = effect_on(invoice, total_incl_tax);
    Some(CreditNote {
        id: CreditNoteId::from_stored(format!("cn_{n}")),
        credit_note_number: format!("AV-2026-{n:06}"),
        invoice_id: invoice.id.clone(),
        client_id: invoice.client_id.clone(),
        issue_date: invoice.issue_date + time::Duration::days(9),
        reason: "Geste commercial – coupure réseau".into(),
        lines,
        total_excl_tax,
        total_tax,
        total_incl_tax,
        applied_to_invoice: effect.applied_to_invoice,
        credited_to_balance: effect.credited_to_balance,
        credit_remaining: effect.credited_to_balance,
        currency: "MAD".into(),
        actor_id: "act_1".into(),
        created_at: OffsetDateTime::UNIX_EPOCH,
    })
}

#[test]
fn credit_notes_of_every_golden_invoice_name_it_add_up_and_are_valid_ubl() {
    let renderer = UblDocuments::new();
    let mut documents = Vec::new();
    for (n, case) in cases().iter().enumerate() {
        let invoice = case.invoice(n + 1);
        // The whole invoice, and a third of its first line.
        let partial = [RequestedLine {
            position: 1,
            amount_excl_tax: Money::from_stored(invoice.lines[0].amount_excl_tax.centimes() / 3),
        }];
        for (kind, requested) in [("full", None), ("partial", Some(&partial[..]))] {
            // A line of zero (or a third of it) leaves nothing to credit.
            let Some(note) = note(&invoice, requested, n + 1) else {
                continue;
            };
            let xml = renderer
                .credit_note(&credit_note_document(&note, &invoice, parties()))
                .unwrap();
            let text = String::from_utf8(xml.clone()).unwrap();
            let label = format!("{} ({kind})", case.name);
            let (head, total) = head_and_total(&text, "CreditNoteLine");
            let amount = |name| centimes(texts(&total, name)[0]);
            assert_eq!(
                amount("cbc:TaxExclusiveAmount"),
                note.total_excl_tax.centimes(),
                "{label}"
            );
            assert_eq!(
                amount("cbc:TaxInclusiveAmount"),
                note.total_incl_tax.centimes(),
                "{label}"
            );
            let (tax, subtotals, _) = tax_total(&head);
            assert_eq!(tax, note.total_tax.centimes(), "{label}");
            assert_eq!(subtotals, tax, "{label}");
            let reference = texts(&head, "cac:BillingReference")[0];
            assert!(
                reference.contains(&format!("<cbc:ID>{}</cbc:ID>", invoice.invoice_number)),
                "{label}: {reference}"
            );
            assert_eq!(
                texts(&text, "cac:CreditNoteLine").len(),
                note.lines.len(),
                "{label}"
            );
            documents.push((label, xml));
        }
    }
    assert!(documents.len() > cases().len(), "partial notes too");
    xsd::validate_all(Kind::CreditNote, &documents);
}

#[test]
fn the_same_document_always_renders_the_same_bytes() {
    let renderer = UblDocuments::new();
    for (n, case) in cases().iter().enumerate() {
        let document = invoice_document(&case.invoice(n + 1), parties());
        assert_eq!(
            renderer.invoice(&document).unwrap(),
            renderer.invoice(&document.clone()).unwrap(),
            "{}",
            case.name
        );
    }
}

#[test]
fn the_schema_check_refuses_a_document_without_its_number() {
    if !xsd::validator_available() {
        return;
    }
    let case = &cases()[0];
    let invoice = case.invoice(1);
    let xml = String::from_utf8(
        UblDocuments::new()
            .invoice(&invoice_document(&invoice, parties()))
            .unwrap(),
    )
    .unwrap();
    let broken = xml.replacen(
        &format!("  <cbc:ID>{}</cbc:ID>\n", invoice.invoice_number),
        "",
        1,
    );
    assert_ne!(broken, xml);
    let refused = std::panic::catch_unwind(|| {
        xsd::validate(Kind::Invoice, "without ID", broken.as_bytes());
    });
    assert!(
        refused.is_err(),
        "an Invoice without cbc:ID must fail the schema"
    );
}

#[test]
fn usage_lines_bill_their_units_in_un_ece_codes_at_their_unit_price() {
    let renderer = UblDocuments::new();
    let (n, case) = cases()
        .into_iter()
        .enumerate()
        .find(|(_, c)| {
            c.name == "usage_beyond_the_allowances_is_billed_after_the_subscription_line"
        })
        .expect("the usage golden case");
    let xml = renderer
        .invoice(&invoice_document(&case.invoice(n + 1), parties()))
        .unwrap();
    let xml = String::from_utf8(xml).unwrap();
    // Subscription (a month), 2 started minutes at 1.50, 3 SMS at 0.50, then the charge.
    assert!(
        xml.contains(r#"<cbc:InvoicedQuantity unitCode="MIN">2</cbc:InvoicedQuantity>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<cbc:InvoicedQuantity unitCode="C62">3</cbc:InvoicedQuantity>"#),
        "{xml}"
    );
    let prices = texts(&xml, "cbc:PriceAmount");
    assert_eq!(prices[1..3], ["1.50", "0.50"]);
    assert_eq!(
        texts(&xml, "cbc:LineExtensionAmount")[2..4],
        ["3.00", "1.50"]
    );
}
