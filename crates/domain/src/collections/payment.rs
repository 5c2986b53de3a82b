//! Payments and their allocation to invoices.

use time::{Date, OffsetDateTime};

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
    pub invoice_id: String,
    /// Amount applied, centimes.
    pub amount: i64,
}

/// A payment received from a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// `pay_…`.
    pub id: String,
    /// Payer.
    pub client_id: String,
    /// Amount received, centimes (> 0).
    pub amount: i64,
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
    pub unallocated_amount: i64,
    /// Who recorded it.
    pub actor_id: String,
    /// Creation instant.
    pub created_at: OffsetDateTime,
}
