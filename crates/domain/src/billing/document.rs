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
                subtotal.base = subtotal.base.saturating_add(line.amount_excl_tax);
                subtotal.tax = subtotal.tax.saturating_add(line.tax_amount);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::InvoiceLine;
    use time::macros::date;

    fn line(rate: i32, excl: i64, tax: i64) -> InvoiceLine {
        InvoiceLine {
            position: 1,
            description: "x".into(),
            offer_id: "ofr_1".into(),
            start_date: date!(2026 - 02 - 01),
            end_date: date!(2026 - 02 - 28),
            days: 28,
            monthly_price: excl,
            amount_excl_tax: excl,
            tax_rate_bp: rate,
            tax_amount: tax,
            amount_incl_tax: excl + tax,
        }
    }

    #[test]
    fn tva_is_grouped_by_rate_lowest_first() {
        let invoice = Invoice {
            id: "inv_1".into(),
            invoice_number: "FAC-2026-000001".into(),
            billing_run_id: "run_1".into(),
            client_id: "cli_1".into(),
            contract_id: "ctr_1".into(),
            offer_id: "ofr_1".into(),
            service_type: crate::service_type::ServiceType::Mobile,
            period: "2026-02".into(),
            issue_date: date!(2026 - 03 - 01),
            due_date: date!(2026 - 03 - 16),
            status: crate::billing::InvoiceStatus::Issued,
            lines: vec![
                line(2000, 4_950, 990),
                line(1000, 1_000, 100),
                line(2000, 9_950, 1_990),
            ],
            total_excl_tax: 15_900,
            total_tax: 3_080,
            total_incl_tax: 18_980,
            amount_paid: 0,
            currency: "MAD".into(),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        let subtotals: Vec<_> = tax_by_rate(&invoice)
            .into_iter()
            .map(|s| (s.rate_bp, s.base, s.tax))
            .collect();
        assert_eq!(subtotals, vec![(1000, 1_000, 100), (2000, 14_900, 2_980)]);
    }
}
