//! Bodies of the ledger endpoints: balance, statement, refunds and reversals.

use domain::ledger::{Balance, RefundReceipt, ReversalReceipt, Statement};
use domain::money::CURRENCY;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::recorded_parts;

/// What a client owes and holds, in centimes, from the documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceResponse {
    /// Invoices, tax included.
    pub invoiced: i64,
    /// Credit notes, tax included.
    pub credited: i64,
    /// Payments, less those reversed.
    pub paid: i64,
    /// Refunds paid to the client.
    pub refunded: i64,
    /// What the invoices still ask for.
    pub outstanding: i64,
    /// Unused credit (overpayments and credit notes, less what was applied or refunded).
    pub credit_available: i64,
    /// `MAD`.
    pub currency: String,
}

impl From<Balance> for BalanceResponse {
    fn from(b: Balance) -> Self {
        BalanceResponse {
            invoiced: b.invoiced.centimes(),
            credited: b.credited.centimes(),
            paid: b.paid.centimes(),
            refunded: b.refunded.centimes(),
            outstanding: b.outstanding.centimes(),
            credit_available: b.credit_available.centimes(),
            currency: CURRENCY.into(),
        }
    }
}

/// One line of a statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLineResponse {
    /// Day, `YYYY-MM-DD`.
    pub date: String,
    /// `invoice`, `credit_note`, `payment`, `credit_application`, `refund` or
    /// `payment_reversal`.
    pub kind: String,
    /// The document: `inv_…`, `cn_…`, `pay_…`, `rfd_…`, `rev_…`; for a credit application,
    /// its source (`pay_…` or `cn_…`).
    pub document_id: String,
    /// Invoice or credit-note number, or the payment's or refund's reference.
    pub reference: Option<String>,
    /// For a credit application, the invoice paid; for a credit note, its invoice; for a
    /// reversal, the payment undone.
    pub related_id: Option<String>,
    /// The document's amount, centimes (> 0).
    pub amount: i64,
    /// Its effect on the balance: + owed more, − owed less, 0 for a credit application.
    pub effect: i64,
    /// The balance after this line.
    pub balance: i64,
}

/// A relevé de compte.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementResponse {
    /// The client.
    pub client_id: String,
    /// First day covered, if given.
    pub from: Option<String>,
    /// Last day covered.
    pub to: String,
    /// Balance before `from`.
    pub opening_balance: i64,
    /// Movements in date order.
    pub lines: Vec<StatementLineResponse>,
    /// Balance at the end of `to`; up to today it equals `outstanding − credit_available`.
    pub closing_balance: i64,
    /// `MAD`.
    pub currency: String,
}

impl StatementResponse {
    /// The statement of `client_id`.
    pub fn new(client_id: String, s: Statement) -> Self {
        StatementResponse {
            client_id,
            from: s.from.map(|d| d.to_string()),
            to: s.to.to_string(),
            opening_balance: s.opening_balance,
            lines: s
                .lines
                .into_iter()
                .map(|l| StatementLineResponse {
                    date: l.movement.date.to_string(),
                    kind: l.movement.kind.as_str().into(),
                    document_id: l.movement.document_id,
                    reference: l.movement.reference,
                    related_id: l.movement.related_id,
                    amount: l.movement.amount.centimes(),
                    effect: l.effect,
                    balance: l.balance,
                })
                .collect(),
            closing_balance: s.closing_balance,
            currency: CURRENCY.into(),
        }
    }
}

/// A refund of client credit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// Whose credit (`cli_…`).
    pub client_id: String,
    /// Centimes, > 0, at most the client's available credit.
    pub amount: i64,
    /// `cash`, `card`, `transfer`, `agency` or `mobile_money`.
    pub method: String,
    /// External reference, at most 100 characters. No control, escape or bidi formatting character.
    pub reference: Option<String>,
}

/// Credit a refund took from one source document.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefundSourceResponse {
    /// `payment` or `credit_note`.
    pub kind: String,
    /// `pay_…` or `cn_…`.
    pub id: String,
    /// Taken, centimes.
    pub amount: i64,
}

/// A recorded refund.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefundResponse {
    /// `rfd_…`.
    pub id: String,
    /// Whose credit.
    pub client_id: String,
    /// Paid back, centimes.
    pub amount: i64,
    /// `MAD`.
    pub currency: String,
    /// How.
    pub method: String,
    /// External reference.
    pub reference: Option<String>,
    /// Sources consumed, oldest first.
    pub sources: Vec<RefundSourceResponse>,
    /// The client's credit after the refund, centimes.
    pub credit_available: i64,
    /// Who recorded it.
    pub actor_id: String,
    /// The gateway actor that asserted `actor_id`, else `null`.
    pub via_gateway: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<&RefundReceipt> for RefundResponse {
    fn from(r: &RefundReceipt) -> Self {
        let refund = &r.refund;
        let (actor_id, via_gateway) = recorded_parts(&refund.actor_id);
        RefundResponse {
            id: refund.id.to_string(),
            client_id: refund.client_id.to_string(),
            amount: refund.amount.centimes(),
            currency: refund.currency.clone(),
            method: refund.method.as_str().into(),
            reference: refund.reference.clone(),
            sources: refund
                .sources
                .iter()
                .map(|(source, amount)| RefundSourceResponse {
                    kind: source.kind().into(),
                    id: source.id().into(),
                    amount: amount.centimes(),
                })
                .collect(),
            credit_available: r.credit_available.centimes(),
            actor_id,
            via_gateway,
            created_at: refund.created_at,
        }
    }
}

/// Why a payment is undone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    /// Bounced cheque, chargeback, posted by mistake…; 1 to 500 characters on one line.
    pub reason: String,
}

/// What a reversal gave back to one invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReopenedInvoiceResponse {
    /// The invoice.
    pub invoice_id: String,
    /// Taken back from it, centimes.
    pub amount: i64,
    /// Its status now: `issued` or `partially_paid` (or `paid` when other credit paid it).
    pub invoice_status: String,
    /// Its outstanding now, centimes.
    pub outstanding_amount: i64,
}

/// A recorded payment reversal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReversalResponse {
    /// `rev_…`.
    pub id: String,
    /// The payment undone.
    pub payment_id: String,
    /// Payer.
    pub client_id: String,
    /// The payment's amount, owed again, centimes.
    pub amount: i64,
    /// Why.
    pub reason: String,
    /// Invoices given their amounts back.
    pub invoices: Vec<ReopenedInvoiceResponse>,
    /// The payment's unused credit removed, centimes.
    pub credit_removed: i64,
    /// The client's credit afterwards, centimes.
    pub credit_available: i64,
    /// Who recorded it.
    pub actor_id: String,
    /// The gateway actor that asserted `actor_id`, else `null`.
    pub via_gateway: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<&ReversalReceipt> for ReversalResponse {
    fn from(r: &ReversalReceipt) -> Self {
        let rev = &r.reversal;
        let (actor_id, via_gateway) = recorded_parts(&rev.actor_id);
        ReversalResponse {
            id: rev.id.to_string(),
            payment_id: rev.payment_id.to_string(),
            client_id: rev.client_id.to_string(),
            amount: rev.amount.centimes(),
            reason: rev.reason.clone(),
            invoices: r
                .invoices
                .iter()
                .map(|i| ReopenedInvoiceResponse {
                    invoice_id: i.invoice_id.to_string(),
                    amount: i.amount.centimes(),
                    invoice_status: i.invoice_status.as_str().into(),
                    outstanding_amount: i.outstanding.centimes(),
                })
                .collect(),
            credit_removed: r.credit_removed.centimes(),
            credit_available: r.credit_available.centimes(),
            actor_id,
            via_gateway,
            created_at: rev.created_at,
        }
    }
}
