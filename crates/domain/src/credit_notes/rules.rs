//! The arithmetic of a credit note (pure): which amounts it credits on each invoice line, and
//! what it does to the invoice (decision 0170).
//!
//! A partial entry's TVA is the line's rate applied half-up to the credited amount, as the
//! billing engine does for a line, but never more than the line's TVA not yet credited; the
//! entry that takes the last centime of a line takes exactly the TVA that remains. So the
//! notes of a fully credited invoice add up to its totals exactly.

use super::{CreditNoteLine, CreditedLine};
use crate::billing::{Invoice, InvoiceLine, InvoiceStatus};
use crate::error::{Conflict, Error, Result, RuleViolation};
use crate::money::{tax_amount, Money};

/// One entry of a partial note: an amount excl. tax off the invoice line at `position`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestedLine {
    /// Position of the invoice line.
    pub position: i32,
    /// Amount excl. tax to credit, above zero.
    pub amount_excl_tax: Money,
}

/// What a note of `total` does to its invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceEffect {
    /// Part that reduces the outstanding.
    pub applied_to_invoice: Money,
    /// Part above the outstanding: client credit.
    pub credited_to_balance: Money,
    /// The invoice's `credited_amount` after the note.
    pub credited_amount: Money,
    /// Its status after the note.
    pub status: InvoiceStatus,
    /// Its outstanding after the note.
    pub outstanding: Money,
}

/// The lines a note credits on `invoice`, given what earlier notes `credited`: everything
/// that remains when `requested` is `None`, else the requested amounts.
/// `InvoiceFullyCredited` when nothing remains on the invoice; `Validation` naming
/// `lines[i].position` for a position the invoice does not have; `CreditExceedsInvoice` when
/// an entry is above what remains of its line.
pub fn credit_lines(
    invoice: &Invoice,
    credited: &[CreditedLine],
    requested: Option<&[RequestedLine]>,
) -> Result<Vec<CreditNoteLine>> {
    let remaining: Vec<(&InvoiceLine, Money, Money)> = invoice
        .lines
        .iter()
        .map(|line| {
            let done = credited.iter().find(|c| c.position == line.position);
            let (excl, tax) = done.map_or((Money::ZERO, Money::ZERO), |c| {
                (c.amount_excl_tax, c.tax_amount)
            });
            (
                line,
                line.amount_excl_tax.saturating_sub(excl),
                line.tax_amount.saturating_sub(tax),
            )
        })
        .collect();
    if invoice.status == InvoiceStatus::Void || remaining.iter().all(|(_, excl, _)| excl.is_zero())
    {
        return Err(Conflict::InvoiceFullyCredited.into());
    }
    let Some(requested) = requested else {
        return Ok(remaining
            .into_iter()
            .filter(|(_, excl, _)| !excl.is_zero())
            .map(|(line, excl, tax)| credit_line(line, excl, tax))
            .collect());
    };
    let mut unknown = Vec::new();
    let mut lines = Vec::with_capacity(requested.len());
    for (index, entry) in requested.iter().enumerate() {
        let Some((line, left_excl, left_tax)) = remaining
            .iter()
            .find(|(l, _, _)| l.position == entry.position)
        else {
            unknown.push(crate::error::FieldError::new(
                format!("lines[{index}].position"),
                format!("the invoice has no line at position {}", entry.position),
            ));
            continue;
        };
        if entry.amount_excl_tax > *left_excl {
            return Err(RuleViolation::CreditExceedsInvoice.into());
        }
        let tax = if entry.amount_excl_tax == *left_excl {
            *left_tax
        } else {
            Money::from_stored(tax_amount(
                entry.amount_excl_tax.centimes(),
                line.tax_rate_bp,
            ))
            .min(*left_tax)
        };
        lines.push(credit_line(line, entry.amount_excl_tax, tax));
    }
    if !unknown.is_empty() {
        return Err(Error::Validation(unknown));
    }
    lines.sort_by_key(|l| l.position);
    Ok(lines)
}

fn credit_line(line: &InvoiceLine, excl: Money, tax: Money) -> CreditNoteLine {
    CreditNoteLine {
        position: line.position,
        description: line.description.clone(),
        amount_excl_tax: excl,
        tax_rate_bp: line.tax_rate_bp,
        tax_amount: tax,
        amount_incl_tax: excl.saturating_add(tax),
    }
}

/// What a note of `total` (incl. tax) does to `invoice`: it first takes off the outstanding,
/// the rest becomes client credit; the status follows from what is left
/// ([`InvoiceStatus::for_settlement`]).
pub fn effect_on(invoice: &Invoice, total: Money) -> InvoiceEffect {
    let applied = total.min(invoice.outstanding());
    let credited_amount = invoice.credited_amount.saturating_add(applied);
    let status =
        InvoiceStatus::for_settlement(invoice.total_incl_tax, invoice.amount_paid, credited_amount);
    let outstanding = invoice
        .total_incl_tax
        .saturating_sub(invoice.amount_paid)
        .saturating_sub(credited_amount);
    InvoiceEffect {
        applied_to_invoice: applied,
        credited_to_balance: total.saturating_sub(applied),
        credited_amount,
        status,
        outstanding,
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
