//! The invoice entity.

use time::{Date, OffsetDateTime};

use crate::service_type::ServiceType;

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
    pub fn for_payment(total: i64, paid: i64) -> InvoiceStatus {
        if paid <= 0 {
            InvoiceStatus::Issued
        } else if paid >= total {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::PartiallyPaid
        }
    }
}

/// One billed line: an offer period inside the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// Order on the invoice, from 1.
    pub position: i32,
    /// What is billed.
    pub description: String,
    /// Offer billed.
    pub offer_id: String,
    /// First day billed.
    pub start_date: Date,
    /// Last day billed (inclusive).
    pub end_date: Date,
    /// Days billed.
    pub days: i32,
    /// Full monthly price excl. tax, centimes.
    pub monthly_price: i64,
    /// Prorated amount excl. tax, centimes.
    pub amount_excl_tax: i64,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Tax, centimes.
    pub tax_amount: i64,
    /// Amount incl. tax, centimes.
    pub amount_incl_tax: i64,
}

/// A monthly invoice of one contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// `inv_…`.
    pub id: String,
    /// Legal number `FAC-YYYY-NNNNNN`.
    pub invoice_number: String,
    /// Run that issued it.
    pub billing_run_id: String,
    /// Client billed.
    pub client_id: String,
    /// Contract billed.
    pub contract_id: String,
    /// Offer at the end of the period.
    pub offer_id: String,
    /// Service family.
    pub service_type: ServiceType,
    /// `YYYY-MM`.
    pub period: String,
    /// Issue date.
    pub issue_date: Date,
    /// Due date.
    pub due_date: Date,
    /// Payment state.
    pub status: InvoiceStatus,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
    /// Total excl. tax, centimes.
    pub total_excl_tax: i64,
    /// Total tax, centimes.
    pub total_tax: i64,
    /// Total incl. tax, centimes.
    pub total_incl_tax: i64,
    /// Paid so far, centimes.
    pub amount_paid: i64,
    /// `MAD`.
    pub currency: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Invoice {
    /// What remains to be paid.
    pub fn outstanding(&self) -> i64 {
        if self.status == InvoiceStatus::Void {
            0
        } else {
            self.total_incl_tax.saturating_sub(self.amount_paid).max(0)
        }
    }

    /// Past due with something outstanding on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.outstanding() > 0 && today > self.due_date
    }
}
