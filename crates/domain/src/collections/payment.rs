//! Payments and their allocation to invoices.

use time::{Date, OffsetDateTime};

use crate::billing::InvoiceStatus;
use crate::money::Money;
use crate::typed_ids::{ClientId, InvoiceId, PaymentId};

/// How a payment was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum PaymentMethod {
    Cash,
    Card,
    Transfer,
    Agency,
    MobileMoney,
    /// Recorded by `approve-paid`.
    OperatorApproval,
}

impl PaymentMethod {
    /// Every method.
    pub const ALL: [PaymentMethod; 6] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::Transfer,
        PaymentMethod::Agency,
        PaymentMethod::MobileMoney,
        PaymentMethod::OperatorApproval,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Agency => "agency",
            PaymentMethod::MobileMoney => "mobile_money",
            PaymentMethod::OperatorApproval => "operator_approval",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<PaymentMethod, String> {
        PaymentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == value)
            .ok_or_else(|| {
                format!(
                    "unknown method `{value}`; expected cash, card, transfer, agency, mobile_money or operator_approval"
                )
            })
    }
}

/// Part of a payment applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// Invoice paid.
    pub invoice_id: InvoiceId,
    /// Amount applied, centimes.
    pub amount: Money,
}

/// A payment received from a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// `pay_…`.
    pub id: PaymentId,
    /// Payer.
    pub client_id: ClientId,
    /// Amount received, centimes (> 0).
    pub amount: Money,
    /// `MAD`.
    pub currency: String,
    /// How.
    pub method: PaymentMethod,
    /// External reference (bank, agency receipt…).
    pub reference: Option<String>,
    /// Date received.
    pub received_at: Date,
    /// Applied to invoices.
    pub allocations: Vec<Allocation>,
    /// Left as client credit, centimes.
    pub unallocated_amount: Money,
    /// Who recorded it.
    pub actor_id: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
}

/// What a posted payment did to the invoice it targets (decision 0181).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocationState {
    /// The targeted invoice is now settled.
    Full,
    /// An outstanding remains on the targeted invoice.
    Partial,
    /// No invoice was open: the whole payment became client credit.
    Unallocated,
}

impl AllocationState {
    /// The state of the targeted invoice's outcome, `Unallocated` without one.
    pub fn of_target(target: Option<&AllocationOutcome>) -> AllocationState {
        match target {
            None => AllocationState::Unallocated,
            Some(o) if o.outstanding_after.is_zero() => AllocationState::Full,
            Some(_) => AllocationState::Partial,
        }
    }

    /// Whether a listed payment went wholly to invoices (`full`), partly (`partial`), or
    /// not at all (`unallocated`), judged from the payment alone.
    pub fn of_payment(payment: &Payment) -> AllocationState {
        if payment.allocations.is_empty() {
            AllocationState::Unallocated
        } else if payment.unallocated_amount.is_zero() {
            AllocationState::Full
        } else {
            AllocationState::Partial
        }
    }

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AllocationState::Full => "full",
            AllocationState::Partial => "partial",
            AllocationState::Unallocated => "unallocated",
        }
    }
}

/// What one allocation did to its invoice, as reported when the payment is posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationOutcome {
    /// Invoice paid.
    pub invoice_id: InvoiceId,
    /// Amount applied, centimes.
    pub amount: Money,
    /// Invoice status after this payment.
    pub invoice_status: InvoiceStatus,
    /// Invoice outstanding after this payment, centimes.
    pub outstanding_after: Money,
}

/// A posted payment and what it settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReceipt {
    /// The stored payment.
    pub payment: Payment,
    /// Per invoice, in allocation order.
    pub outcomes: Vec<AllocationOutcome>,
    /// The targeted invoice: the one the payment named, else the first allocated; `None`
    /// when no invoice was open.
    pub target: Option<AllocationOutcome>,
    /// What the payment did to the targeted invoice.
    pub allocation_state: AllocationState,
    /// The client's unused credit once the payment is posted, centimes.
    pub credit_available: Money,
}
