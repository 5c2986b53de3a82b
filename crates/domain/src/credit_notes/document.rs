//! The facts a credit-note PDF states, gathered from the note and its invoice. A credit note
//! names the parties of the invoice it corrects, as that invoice fixed them at issue: buyer,
//! line and seller identity (decision 0200).

use super::CreditNote;
use crate::billing::{Invoice, InvoiceParties};
use crate::documents::{CreditNoteDocument, CreditNoteDocumentLine, TaxSubtotal};

/// The document of `note`, which corrects `invoice`.
pub fn credit_note_document(
    note: &CreditNote,
    invoice: &Invoice,
    parties: InvoiceParties,
) -> CreditNoteDocument {
    CreditNoteDocument {
        seller: parties.seller,
        credit_note_number: note.credit_note_number.clone(),
        issue_date: note.issue_date,
        invoice_number: invoice.invoice_number.clone(),
        invoice_issue_date: invoice.issue_date,
        invoice_period: invoice.period.to_string(),
        invoice_period_start: invoice.period.first_day(),
        invoice_period_end: invoice.period.last_day(),
        reason: note.reason.clone(),
        client_name: invoice.buyer.name.clone(),
        cin: invoice.buyer.cin.clone().unwrap_or_default(),
        // A company buyer is printed with its ICE, as on the invoice corrected.
        buyer_ice: invoice.buyer.ice.clone(),
        client_address: invoice.buyer.postal_address(),
        contract_number: parties.contract_number,
        service_identifier: invoice.service_identifier.clone(),
        lines: note
            .lines
            .iter()
            .map(|l| CreditNoteDocumentLine {
                position: l.position,
                description: l.description.clone(),
                amount_excl_tax: l.amount_excl_tax.centimes(),
                tax_rate_bp: l.tax_rate_bp,
                tax_amount: l.tax_amount.centimes(),
                amount_incl_tax: l.amount_incl_tax.centimes(),
            })
            .collect(),
        total_excl_tax: note.total_excl_tax.centimes(),
        tax_by_rate: tax_by_rate(note),
        total_incl_tax: note.total_incl_tax.centimes(),
        applied_to_invoice: note.applied_to_invoice.centimes(),
        credited_to_balance: note.credited_to_balance.centimes(),
        currency: note.currency.clone(),
    }
}

/// TVA grouped by rate, lowest rate first, as on invoices.
fn tax_by_rate(note: &CreditNote) -> Vec<TaxSubtotal> {
    let mut subtotals: Vec<TaxSubtotal> = Vec::new();
    for line in &note.lines {
        match subtotals.iter_mut().find(|s| s.rate_bp == line.tax_rate_bp) {
            Some(subtotal) => {
                subtotal.base = subtotal
                    .base
                    .saturating_add(line.amount_excl_tax.centimes());
                subtotal.tax = subtotal.tax.saturating_add(line.tax_amount.centimes());
            }
            None => subtotals.push(TaxSubtotal {
                rate_bp: line.tax_rate_bp,
                base: line.amount_excl_tax.centimes(),
                tax: line.tax_amount.centimes(),
            }),
        }
    }
    subtotals.sort_by_key(|s| s.rate_bp);
    subtotals
}
