//! The invoice entity.

use time::{Date, OffsetDateTime};

use super::Period;
use crate::clients::Invoicing;
use crate::money::Money;
use crate::parties::{BuyerIdentity, SellerIdentityId};
use crate::service_type::ServiceType;
use crate::typed_ids::{BillingRunId, ClientId, ContractId, CreditNoteId, InvoiceId, OfferId};
use crate::usage::UsageKind;

/// Payment state of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    /// Nothing paid yet.
    Issued,
    /// Some paid, some outstanding.
    PartiallyPaid,
    /// Fully paid.
    Paid,
    /// Cancelled; nothing due.
    Void,
}

impl InvoiceStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Void => "void",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<InvoiceStatus, String> {
        match value {
            "issued" => Ok(InvoiceStatus::Issued),
            "partially_paid" => Ok(InvoiceStatus::PartiallyPaid),
            "paid" => Ok(InvoiceStatus::Paid),
            "void" => Ok(InvoiceStatus::Void),
            other => Err(format!(
                "unknown status `{other}`; expected issued, partially_paid, paid or void"
            )),
        }
    }

    /// The status an invoice of `total` has once `paid` of it is paid.
    pub fn for_payment(total: Money, paid: Money) -> InvoiceStatus {
        InvoiceStatus::for_settlement(total, paid, Money::ZERO)
    }

    /// The status an invoice of `total` has once `paid` of it is paid and `credited` of it
    /// is taken off by credit notes: `void` when credit notes took all of it and nothing was
    /// paid, `paid` when nothing remains and something was paid, else `issued` or
    /// `partially_paid` from what was paid (decision 0170).
    pub fn for_settlement(total: Money, paid: Money, credited: Money) -> InvoiceStatus {
        let settled = paid.saturating_add(credited) >= total;
        match (paid.is_zero(), settled) {
            (true, true) if !credited.is_zero() => InvoiceStatus::Void,
            (true, _) => InvoiceStatus::Issued,
            (false, true) => InvoiceStatus::Paid,
            (false, false) => InvoiceStatus::PartiallyPaid,
        }
    }
}

/// One billed line: an offer period of one contract inside the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// Order on the invoice, from 1 (grouped by contract on a per-account invoice).
    pub position: i32,
    /// Contract billed.
    pub contract_id: ContractId,
    /// The contract's line (`+2126…`), read with the invoice; `None` before it is stored.
    pub service_identifier: Option<String>,
    /// What is billed.
    pub description: String,
    /// Offer billed.
    pub offer_id: OfferId,
    /// First day billed.
    pub start_date: Date,
    /// Last day billed (inclusive).
    pub end_date: Date,
    /// Days billed.
    pub days: i32,
    /// Full monthly price excl. tax.
    pub monthly_price: Money,
    /// Prorated amount excl. tax.
    pub amount_excl_tax: Money,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Tax.
    pub tax_amount: Money,
    /// Amount incl. tax.
    pub amount_incl_tax: Money,
    /// On a usage line (`kind = usage`), what it charges; `None` on a subscription line.
    pub usage: Option<LineUsage>,
}

/// What a usage line charges: units beyond the allowance at the offer period's rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineUsage {
    /// Calls, SMS or data.
    pub kind: UsageKind,
    /// Units charged (started minutes, messages, started MB).
    pub quantity: i64,
    /// Price of one unit excl. tax.
    pub unit_price: Money,
}

impl InvoiceLine {
    /// Wire name of the line's kind: `subscription` (a price, a regularisation) or `usage`.
    pub fn kind(&self) -> &'static str {
        if self.usage.is_some() {
            "usage"
        } else {
            "subscription"
        }
    }
}

/// What one contract of an invoice used of one allowance in the billed month (information
/// printed with the invoice: used / included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceUsage {
    /// Contract.
    pub contract_id: ContractId,
    /// Calls, SMS or data.
    pub kind: UsageKind,
    /// Recorded quantity (seconds, messages, bytes).
    pub used: i64,
    /// The month's allowance, prorated; `None` unlimited.
    pub included: Option<i64>,
}

/// A monthly invoice of one contract, or of every contract of a client billed per account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// `inv_…`.
    pub id: InvoiceId,
    /// Legal number `FAC-YYYY-NNNNNN`.
    pub invoice_number: String,
    /// Run that issued it.
    pub billing_run_id: BillingRunId,
    /// Client billed.
    pub client_id: ClientId,
    /// Contract billed; on a per-account invoice, its first contract (each line names its own).
    pub contract_id: ContractId,
    /// One invoice per contract, or per account.
    pub invoicing: Invoicing,
    /// Offer at the end of the period.
    pub offer_id: OfferId,
    /// Service family.
    pub service_type: ServiceType,
    /// The client as billed, fixed at issue (decision 0200).
    pub buyer: BuyerIdentity,
    /// The line billed, fixed at issue.
    pub service_identifier: String,
    /// The seller identity it was issued under.
    pub seller_id: SellerIdentityId,
    /// Month billed (`YYYY-MM` on the wire).
    pub period: Period,
    /// Issue date.
    pub issue_date: Date,
    /// Due date.
    pub due_date: Date,
    /// Payment state.
    pub status: InvoiceStatus,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Total excl. tax.
    pub total_excl_tax: Money,
    /// Total tax.
    pub total_tax: Money,
    /// Total incl. tax.
    pub total_incl_tax: Money,
    /// Paid so far (by payments, or by credit applied to it).
    pub amount_paid: Money,
    /// Sum of what its credit notes took off it (`applied_to_invoice`, decision 0151).
    pub credited_amount: Money,
    /// Its credit notes, oldest first (read with the lines; empty where lines are not read).
    pub credit_note_ids: Vec<CreditNoteId>,
    /// The rejected, voided invoice of the same contract and month this one replaces
    /// (decision 0315); `None` for an invoice a billing run issued.
    pub replaces_invoice_id: Option<InvoiceId>,
    /// Used / included per contract and kind, for contracts whose plan rates usage (empty
    /// where not read).
    pub usage: Vec<InvoiceUsage>,
    /// `MAD`.
    pub currency: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Invoice {
    /// What remains to be paid: `total_incl_tax − amount_paid − credited_amount`.
    pub fn outstanding(&self) -> Money {
        if self.status == InvoiceStatus::Void {
            Money::ZERO
        } else {
            self.total_incl_tax
                .saturating_sub(self.amount_paid)
                .saturating_sub(self.credited_amount)
        }
    }

    /// Past due with something outstanding on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        !self.outstanding().is_zero() && today > self.due_date
    }
}
