//! The UBL 2.1 `CreditNote` of a credit-note document: it names the invoice it corrects in
//! `BillingReference`, on the document and on each line (the invoice line credited).

use domain::documents::{CreditNoteDocument, CreditNoteDocumentLine};

use crate::amounts::amount;
use crate::invoice::french_date;
use crate::parties::{
    customer, iso_date, monetary_total, period, supplier, tax_category_of, tax_total, Buyer,
};
use crate::xml::Writer;

/// `urn:…:CreditNote-2`.
const NAMESPACE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// UN/CEFACT 1001: credit note.
const CREDIT_NOTE: &str = "381";
/// A credited amount is stated as one unit (UN/ECE rec. 20 `C62`) at that amount.
const ONE: &str = "C62";

/// The XML of `note`.
pub(crate) fn render(note: &CreditNoteDocument) -> String {
    let currency = note.currency.as_str();
    let money = [("currencyID", currency)];
    let mut w = Writer::new("CreditNote", NAMESPACE);
    w.text("cbc:UBLVersionID", "2.1")
        .text("cbc:ID", &note.credit_note_number)
        .text("cbc:IssueDate", &iso_date(note.issue_date))
        .text_with(
            "cbc:CreditNoteTypeCode",
            &[("listID", "UNCL1001")],
            CREDIT_NOTE,
        )
        .text("cbc:Note", &note.reason)
        .text("cbc:DocumentCurrencyCode", currency)
        .text("cbc:TaxCurrencyCode", currency);
    period(&mut w, note.invoice_period_start, note.invoice_period_end);
    w.open("cac:DiscrepancyResponse")
        .text("cbc:ReferenceID", &note.invoice_number)
        .text("cbc:Description", &note.reason)
        .close();
    w.open("cac:BillingReference");
    invoice_reference(&mut w, note);
    w.close();
    if note.contract_number.starts_with("CTR-") {
        w.open("cac:ContractDocumentReference")
            .text("cbc:ID", &note.contract_number)
            .close();
    }
    supplier(&mut w, &note.seller);
    customer(
        &mut w,
        &Buyer {
            name: &note.client_name,
            cin: &note.cin,
            ice: note.buyer_ice.as_deref(),
            address: note.client_address.as_deref(),
        },
    );
    w.open("cac:PaymentTerms")
        .text(
            "cbc:Note",
            &format!(
                "Avoir sur la facture {} du {} : {} imputé sur la facture, {} crédité au compte du client.",
                note.invoice_number,
                french_date(note.invoice_issue_date),
                amount(note.applied_to_invoice),
                amount(note.credited_to_balance),
            ),
        )
        .text_with("cbc:Amount", &money, &amount(note.total_incl_tax))
        .close();
    tax_total(&mut w, &note.tax_by_rate, currency);
    monetary_total(&mut w, note.total_excl_tax, note.total_incl_tax, currency);
    for (index, line) in note.lines.iter().enumerate() {
        credit_note_line(&mut w, index + 1, line, note, currency);
    }
    w.finish()
}

/// `cac:InvoiceDocumentReference` to the invoice corrected.
fn invoice_reference(w: &mut Writer, note: &CreditNoteDocument) {
    w.open("cac:InvoiceDocumentReference")
        .text("cbc:ID", &note.invoice_number)
        .text("cbc:IssueDate", &iso_date(note.invoice_issue_date))
        .close();
}

/// `cac:CreditNoteLine` number `position`, referring to the invoice line it credits.
fn credit_note_line(
    w: &mut Writer,
    position: usize,
    line: &CreditNoteDocumentLine,
    note: &CreditNoteDocument,
    currency: &str,
) {
    let money = [("currencyID", currency)];
    w.open("cac:CreditNoteLine")
        .text("cbc:ID", &position.to_string())
        .text_with("cbc:CreditedQuantity", &[("unitCode", ONE)], "1")
        .text_with(
            "cbc:LineExtensionAmount",
            &money,
            &amount(line.amount_excl_tax),
        );
    w.open("cac:BillingReference");
    invoice_reference(w, note);
    w.open("cac:BillingReferenceLine")
        .text("cbc:ID", &line.position.to_string())
        .text_with("cbc:Amount", &money, &amount(line.amount_excl_tax))
        .close();
    w.close();
    w.open("cac:TaxTotal")
        .text_with("cbc:TaxAmount", &money, &amount(line.tax_amount))
        .close();
    w.open("cac:Item").text("cbc:Name", &line.description);
    tax_category_of(w, "cac:ClassifiedTaxCategory", line.tax_rate_bp);
    w.close();
    w.open("cac:Price")
        .text_with("cbc:PriceAmount", &money, &amount(line.amount_excl_tax))
        .text_with("cbc:BaseQuantity", &[("unitCode", ONE)], "1")
        .close();
    w.close();
}
