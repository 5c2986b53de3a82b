//! The facts an invoice PDF states, gathered from the invoice, its parties and the seller.

use super::{Invoice, InvoiceParties};
use crate::documents::{InvoiceDocument, InvoiceDocumentLine, SellerIdentity, TaxSubtotal};

/// The document of `invoice` as it stands (amount paid and outstanding included).
pub fn invoice_document(
    invoice: &Invoice,
    parties: InvoiceParties,
    seller: &SellerIdentity,
) -> InvoiceDocument {
    InvoiceDocument {
        seller: seller.clone(),
        invoice_number: invoice.invoice_number.clone(),
        issue_date: invoice.issue_date,
        due_date: invoice.due_date,
        period: invoice.period.clone(),
        client_name: parties.client_name,
        cin: parties.cin,
        client_address: parties.client_address,
        contract_number: parties.contract_number,
        service_identifier: parties.service_identifier,
        lines: invoice
            .lines
            .iter()
            .map(|l| InvoiceDocumentLine {
                description: l.description.clone(),
                start_date: l.start_date,
                end_date: l.end_date,
                days: l.days,
                amount_excl_tax: l.amount_excl_tax,
                tax_rate_bp: l.tax_rate_bp,
                tax_amount: l.tax_amount,
                amount_incl_tax: l.amount_incl_tax,
            })
            .collect(),
        total_excl_tax: invoice.total_excl_tax,
        tax_by_rate: tax_by_rate(invoice),
        total_incl_tax: invoice.total_incl_tax,
        amount_paid: invoice.amount_paid,
        outstanding: invoice.outstanding(),
        currency: invoice.currency.clone(),
    }
}

/// TVA grouped by rate, lowest rate first: the base and tax of the lines at each rate.
pub fn tax_by_rate(invoice: &Invoice) -> Vec<TaxSubtotal> {
    let mut subtotals: Vec<TaxSubtotal> = Vec::new();
    for line in &invoice.lines {
        match subtotals.iter_mut().find(|s| s.rate_bp == line.tax_rate_bp) {
            Some(subtotal) => {
                subtotal.base += line.amount_excl_tax;
                subtotal.tax += line.tax_amount;
            }
            None => subtotals.push(TaxSubtotal {
                rate_bp: line.tax_rate_bp,
                base: line.amount_excl_tax,
                tax: line.tax_amount,
            }),
        }
    }
    subtotals.sort_by_key(|s| s.rate_bp);
    subtotals
}
