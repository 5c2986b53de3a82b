//! What a contract change backdated into an invoiced month corrects on that invoice (pure,
//! decision 0251): the invoice is compared line by line with what the billing engine bills
//! for the same month once the change is applied.
//!
//! - Each line of the month keeps the part the engine still bills for its offer period (same
//!   offer and price, days inside the line's); the rest is credited, on that line.
//! - Each line the engine now bills that no invoiced line covers is owed: it becomes a
//!   regularisation charge for the contract's next invoice, at that line's amount.
//!
//! Both amounts come from the engine's own proration, so the invoice, its credit note and the
//! charge add up exactly to what the month would have billed with the change in place.

use time::Date;

use crate::billing::{Invoice, InvoiceDraft, InvoiceLine};
use crate::credit_notes::RequestedLine;
use crate::money::Money;

/// What one invoiced month needs after a backdated change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceCorrection {
    /// Amounts excl. tax to credit, by invoice line (one credit note).
    pub credits: Vec<RequestedLine>,
    /// Lines now owed that the invoice never billed (regularisation charges).
    pub owed: Vec<InvoiceLine>,
}

impl InvoiceCorrection {
    /// Nothing to correct.
    pub fn is_empty(&self) -> bool {
        self.credits.is_empty() && self.owed.is_empty()
    }
}

/// The correction of `invoice` given `should`, what the engine bills its month after the
/// change (`None`: nothing any more). Lines of the invoice outside its own month (charges of
/// an earlier regularisation billed on it) are not the month's service and are left alone.
pub fn correction(invoice: &Invoice, should: Option<&InvoiceDraft>) -> InvoiceCorrection {
    let first = invoice.period.first_day();
    let last = invoice.period.last_day();
    let service: Vec<&InvoiceLine> = invoice
        .lines
        .iter()
        .filter(|l| l.start_date >= first && l.end_date <= last)
        .collect();
    let should: &[InvoiceLine] = should.map_or(&[], |draft| draft.lines.as_slice());
    let credits = service
        .iter()
        .filter_map(|line| {
            let kept: Money = should
                .iter()
                .filter(|now| covers(line, now))
                .map(|now| now.amount_excl_tax)
                .sum();
            let credit = line.amount_excl_tax.saturating_sub(kept);
            (!credit.is_zero()).then_some(RequestedLine {
                position: line.position,
                amount_excl_tax: credit,
            })
        })
        .collect();
    let owed = should
        .iter()
        .filter(|now| !service.iter().any(|line| covers(line, now)))
        .cloned()
        .collect();
    InvoiceCorrection { credits, owed }
}

/// Whether the invoiced `line` already bills the days of `now`: same offer at the same price
/// and rate, and `now`'s days inside the line's.
fn covers(line: &InvoiceLine, now: &InvoiceLine) -> bool {
    line.offer_id == now.offer_id
        && line.monthly_price == now.monthly_price
        && line.tax_rate_bp == now.tax_rate_bp
        && line.start_date <= now.start_date
        && now.end_date <= line.end_date
}

/// `dd/mm/yyyy`, as dates are printed on documents.
pub fn french_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

#[cfg(test)]
#[path = "regularisation_tests.rs"]
mod tests;
