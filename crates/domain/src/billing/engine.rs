//! The billing engine (pure): which contracts a month bills, and their prorated invoice lines.
//!
//! A contract's service runs over its offer periods (start inclusive, end exclusive), cut at
//! its termination date (last day of service, inclusive) once terminated. A month bills the
//! days of that service inside it: one line per offer period, `monthly_price × days /
//! days_in_month` half-up, tax per line half-up at the period's snapshot rate. Usage beyond
//! the allowances follows (decision 0360), then what late records add to earlier months
//! (decision 0377), then the regularisation charges waiting for the contract's next invoice,
//! each as lines of their own.

use time::Date;

use super::late_usage::{late_usage_lines, LateMonth};
use super::{InvoiceLine, InvoiceUsage, LineUsage, PendingCharge, Period};
use crate::clients::Invoicing;
use crate::contracts::{ContractStatus, OfferPeriod};
use crate::money::{prorate, tax_amount, Money};
use crate::service_type::ServiceType;
use crate::typed_ids::{ClientId, ContractId, OfferId};
use crate::usage::{rate_month, DailyUsage, KindRating, UsageKind, UsageSegment, UsageSummary};

/// An offer period with the offer's name, which the line describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPeriod {
    /// The period and its price snapshot.
    pub period: OfferPeriod,
    /// Name of the offer (for the line's description).
    pub offer_name: String,
}

/// A contract as the billing engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillableContract {
    /// `ctr_…`.
    pub contract_id: ContractId,
    /// Owner, billed.
    pub client_id: ClientId,
    /// Service family.
    pub service_type: ServiceType,
    /// Current lifecycle state.
    pub status: ContractStatus,
    /// Last day of service (inclusive), once terminated.
    pub termination_date: Option<Date>,
    /// The line billed (number or line id), printed on the invoice.
    pub service_identifier: String,
    /// Its offer history (any order; only periods touching the month matter).
    pub offer_periods: Vec<NamedPeriod>,
    /// Regularisation charges not yet billed, billed after the month's lines (decision 0251).
    pub pending_charges: Vec<PendingCharge>,
    /// The month's usage by day and kind (every record dated in the month), rated against
    /// the offer periods' usage terms (decision 0360).
    pub usage: Vec<DailyUsage>,
    /// Late records of earlier months not billed yet, one entry per month, with what rating
    /// them needs (decision 0377): billed on this invoice after the month's usage lines.
    pub late: Vec<LateMonth>,
}

/// The invoice a contract (or an account) gets for a month, before it has an id and a legal
/// number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// Contract billed; on a per-account invoice, the first contract it bills.
    pub contract_id: ContractId,
    /// Per contract, or per account (lines of several contracts).
    pub invoicing: Invoicing,
    /// Client billed.
    pub client_id: ClientId,
    /// Offer of the last line (the offer at the end of the billed days).
    pub offer_id: OfferId,
    /// Service family.
    pub service_type: ServiceType,
    /// The line billed, as it is when billed.
    pub service_identifier: String,
    /// One line per offer period inside the month, in date order.
    pub lines: Vec<InvoiceLine>,
    /// Sum of the lines excl. tax.
    pub total_excl_tax: Money,
    /// Sum of the lines' tax.
    pub total_tax: Money,
    /// Sum of the lines incl. tax.
    pub total_incl_tax: Money,
    /// Used / included per contract and kind, for each contract with a rated segment.
    pub usage: Vec<InvoiceUsage>,
}

/// The last day a contract may be billed for, or `None` when it is never billable: pending
/// and cancelled contracts never are; a terminated one is up to its termination date (and
/// not at all without one, since its service end is unknown); active and suspended ones are
/// open-ended (`Some(None)`).
pub fn service_end(status: ContractStatus, termination_date: Option<Date>) -> Option<Option<Date>> {
    match status {
        ContractStatus::Pending | ContractStatus::Cancelled => None,
        ContractStatus::Active | ContractStatus::Suspended => Some(termination_date),
        ContractStatus::Terminated => termination_date.map(Some),
    }
}

/// The invoice `contract` gets for `period`, or `None` when it is not billable for it (its
/// status never bills, or no day of its service falls inside the month and it has no
/// pending charge: a contract whose service ended is still invoiced for its pending charges).
pub fn bill(contract: &BillableContract, period: Period) -> Option<InvoiceDraft> {
    let service_end = service_end(contract.status, contract.termination_date)?;
    let mut periods: Vec<&NamedPeriod> = contract.offer_periods.iter().collect();
    periods.sort_by_key(|p| p.period.start_date);
    let days_in_month = i64::from(period.days());
    let mut lines = Vec::new();
    // The same billed days rate usage: one segment per subscription line, with its tax rate.
    let mut segments: Vec<(UsageSegment, i32)> = Vec::new();
    for named in periods {
        let Some((start, end)) = billed_days(&named.period, period, service_end) else {
            continue;
        };
        segments.push(taxed_segment(&named.period, start, end));
        let days = (end - start).whole_days() + 1;
        let amount = prorate(named.period.monthly_price.centimes(), days, days_in_month);
        let tax = tax_amount(amount, named.period.tax_rate_bp);
        // Validated prices and rates keep these non-negative (see `money`).
        let (amount, tax) = (Money::from_stored(amount), Money::from_stored(tax));
        let mut description = format!("{} – {}", named.offer_name, period.label());
        if days < days_in_month {
            description.push_str(" (prorata)");
        }
        lines.push(InvoiceLine {
            position: i32::try_from(lines.len() + 1).unwrap_or(i32::MAX),
            contract_id: contract.contract_id.clone(),
            // The line as it is when billed, as the invoice's own (decision 0200).
            service_identifier: Some(contract.service_identifier.clone()),
            description,
            offer_id: named.period.offer_id.clone(),
            start_date: start,
            end_date: end,
            days: i32::try_from(days).unwrap_or(0),
            monthly_price: named.period.monthly_price,
            amount_excl_tax: amount,
            tax_rate_bp: named.period.tax_rate_bp,
            tax_amount: tax,
            amount_incl_tax: amount.saturating_add(tax),
            usage: None,
        });
    }
    let usage = usage_lines(contract, &segments, days_in_month, &mut lines);
    late_usage_lines(contract, service_end, &mut lines);
    // The offer at the end of the billed days; a month with no service day is billed only to
    // carry pending charges (the contract's last invoice, after an ended service).
    let offer_id = match lines.last() {
        Some(line) => line.offer_id.clone(),
        None => contract.pending_charges.first()?.offer_id.clone(),
    };
    for charge in &contract.pending_charges {
        let position = i32::try_from(lines.len() + 1).unwrap_or(i32::MAX);
        let mut line = charge.line(position);
        line.service_identifier = Some(contract.service_identifier.clone());
        lines.push(line);
    }
    let total_excl_tax: Money = lines.iter().map(|l| l.amount_excl_tax).sum();
    let total_tax: Money = lines.iter().map(|l| l.tax_amount).sum();
    Some(InvoiceDraft {
        contract_id: contract.contract_id.clone(),
        invoicing: Invoicing::PerContract,
        client_id: contract.client_id.clone(),
        offer_id,
        service_type: contract.service_type,
        service_identifier: contract.service_identifier.clone(),
        total_incl_tax: total_excl_tax.saturating_add(total_tax),
        total_excl_tax,
        total_tax,
        lines,
        usage,
    })
}

/// Appends the usage lines of `contract` (one per segment and kind with units charged, in
/// segment then kind order) and answers its used / included per kind, when some segment's
/// offer rates usage (decision 0360).
fn usage_lines(
    contract: &BillableContract,
    segments: &[(UsageSegment, i32)],
    days_in_month: i64,
    lines: &mut Vec<InvoiceLine>,
) -> Vec<InvoiceUsage> {
    if segments.iter().all(|(segment, _)| segment.terms.is_none()) {
        return Vec::new();
    }
    let plain: Vec<UsageSegment> = segments.iter().map(|(s, _)| s.clone()).collect();
    let ratings = rate_month(&plain, days_in_month, &contract.usage);
    for (rating, (_, tax_rate_bp)) in ratings.iter().zip(segments) {
        for kind in rating.kinds.iter().filter(|k| k.charged_units > 0) {
            let line = usage_line(
                contract,
                &rating.offer_id,
                kind,
                *tax_rate_bp,
                (
                    usage_description(kind.kind, kind.charged_units, None),
                    rating.start_date,
                    rating.end_date,
                ),
                lines.len(),
            );
            lines.push(line);
        }
    }
    let summary = UsageSummary::of(&ratings);
    summary
        .kinds
        .iter()
        .map(|total| InvoiceUsage {
            contract_id: contract.contract_id.clone(),
            kind: total.kind,
            used: total.used,
            included: total.included,
        })
        .collect()
}

/// The usage line charging `kind` on `contract`, at position `before + 1`: its units at the
/// rate of the offer period whose segment they were rated in, taxed at that period's rate;
/// `(description, first day, last day)` as the caller words and dates it.
pub(super) fn usage_line(
    contract: &BillableContract,
    offer_id: &OfferId,
    kind: &KindRating,
    tax_rate_bp: i32,
    (description, start_date, end_date): (String, Date, Date),
    before: usize,
) -> InvoiceLine {
    let tax = Money::from_stored(tax_amount(kind.amount.centimes(), tax_rate_bp));
    InvoiceLine {
        position: i32::try_from(before + 1).unwrap_or(i32::MAX),
        contract_id: contract.contract_id.clone(),
        service_identifier: Some(contract.service_identifier.clone()),
        description,
        offer_id: offer_id.clone(),
        start_date,
        end_date,
        days: i32::try_from((end_date - start_date).whole_days() + 1).unwrap_or(0),
        // A usage line has no monthly price: its unit price says what it charges.
        monthly_price: Money::ZERO,
        amount_excl_tax: kind.amount,
        tax_rate_bp,
        tax_amount: tax,
        amount_incl_tax: kind.amount.saturating_add(tax),
        usage: Some(LineUsage {
            kind: kind.kind,
            quantity: kind.charged_units,
            unit_price: kind.unit_price,
        }),
    }
}

/// "Appels hors forfait : 37 min"; for late records of an earlier month `late_of`,
/// "Appels hors forfait (mars 2026, reçus après facturation) : 2 min".
pub(crate) fn usage_description(kind: UsageKind, units: i64, late_of: Option<Period>) -> String {
    let label = kind.overage_label();
    let unit = kind.unit_label();
    match late_of {
        None => format!("{label} : {units} {unit}"),
        Some(month) => format!(
            "{label} ({}, reçus après facturation) : {units} {unit}",
            month.label()
        ),
    }
}

/// The one invoice of a client billed per account for `period`: the lines of each of its
/// `contracts` that bills in the month, grouped by contract (in id order) and numbered from 1
/// across the invoice; totals are the sums of the lines, to the centime. The invoice's
/// contract, offer and service family are those of its first contract (decision 0211).
/// `None` when no contract bills in the month.
pub fn bill_account(contracts: &[&BillableContract], period: Period) -> Option<InvoiceDraft> {
    let mut ordered = contracts.to_vec();
    ordered.sort_by(|a, b| a.contract_id.as_str().cmp(b.contract_id.as_str()));
    let mut drafts = ordered.into_iter().filter_map(|c| bill(c, period));
    let mut account = drafts.next()?;
    account.invoicing = Invoicing::PerAccount;
    for draft in drafts {
        account.lines.extend(draft.lines);
        account.usage.extend(draft.usage);
    }
    for (index, line) in account.lines.iter_mut().enumerate() {
        line.position = i32::try_from(index + 1).unwrap_or(i32::MAX);
    }
    account.total_excl_tax = account.lines.iter().map(|l| l.amount_excl_tax).sum();
    account.total_tax = account.lines.iter().map(|l| l.tax_amount).sum();
    account.total_incl_tax = account.total_excl_tax.saturating_add(account.total_tax);
    Some(account)
}

/// The usage segment an offer period serves from `start` to `end`, with its tax rate.
pub(crate) fn taxed_segment(period: &OfferPeriod, start: Date, end: Date) -> (UsageSegment, i32) {
    (
        UsageSegment {
            offer_id: period.offer_id.clone(),
            start_date: start,
            end_date: end,
            terms: period.usage,
        },
        period.tax_rate_bp,
    )
}

/// First and last day (inclusive) of `offer` billed in `month`, if any.
pub(crate) fn billed_days(
    offer: &OfferPeriod,
    month: Period,
    service_end: Option<Date>,
) -> Option<(Date, Date)> {
    let start = offer.start_date.max(month.first_day());
    let mut end = month.last_day();
    if let Some(exclusive) = offer.end_date {
        end = end.min(exclusive.previous_day()?);
    }
    if let Some(last) = service_end {
        end = end.min(last);
    }
    (start <= end).then_some((start, end))
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "engine_usage_tests.rs"]
pub(crate) mod usage_tests;
