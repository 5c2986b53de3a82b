//! Refunds and payment reversals: the documents that give credit back or take a payment back.

use time::OffsetDateTime;

use super::SourceRef;
use crate::billing::InvoiceStatus;
use crate::collections::PaymentMethod;
use crate::money::Money;
use crate::typed_ids::{ClientId, InvoiceId, PaymentId, PaymentReversalId, RefundId};

/// Credit paid back to a client, with the sources it consumed (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// `rfd_…`.
    pub id: RefundId,
    /// Whose credit.
    pub client_id: ClientId,
    /// Paid back, centimes (> 0).
    pub amount: Money,
    /// `MAD`.
    pub currency: String,
    /// How it was paid back (any payment method but `operator_approval`).
    pub method: PaymentMethod,
    /// External reference.
    pub reference: Option<String>,
    /// What each source gave.
    pub sources: Vec<(SourceRef, Money)>,
    /// Who.
    pub actor_id: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A payment as a reversal sees it, locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedPayment {
    /// `pay_…`.
    pub id: PaymentId,
    /// Payer.
    pub client_id: ClientId,
    /// Amount received.
    pub amount: Money,
    /// Its credit still unused.
    pub unallocated_amount: Money,
}

/// A payment undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReversal {
    /// `rev_…`.
    pub id: PaymentReversalId,
    /// The payment.
    pub payment_id: PaymentId,
    /// Payer.
    pub client_id: ClientId,
    /// The payment's amount, owed again.
    pub amount: Money,
    /// Bounced cheque, chargeback, posted by mistake…
    pub reason: String,
    /// Who.
    pub actor_id: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// What a reversal did to one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopened {
    /// Invoice the payment had paid.
    pub invoice_id: InvoiceId,
    /// Taken back from it, centimes.
    pub amount: Money,
    /// Its status after the reversal.
    pub invoice_status: InvoiceStatus,
    /// Its outstanding after the reversal.
    pub outstanding: Money,
}

/// A recorded reversal and its effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReversalReceipt {
    /// The stored reversal.
    pub reversal: PaymentReversal,
    /// Invoices given their amounts back, by due date.
    pub invoices: Vec<Reopened>,
    /// The payment's unused credit removed.
    pub credit_removed: Money,
    /// The client's credit afterwards.
    pub credit_available: Money,
}

/// A recorded refund and the credit left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundReceipt {
    /// The stored refund.
    pub refund: Refund,
    /// The client's credit afterwards.
    pub credit_available: Money,
}

/// Takes `amount` from `sources` oldest first: what each gives. `None` when they hold less.
pub fn consume_oldest_first(
    sources: &[super::CreditSource],
    amount: Money,
) -> Option<Vec<(SourceRef, Money)>> {
    let mut left = amount;
    let mut taken = Vec::new();
    for source in sources {
        if left.is_zero() {
            break;
        }
        let take = left.min(source.remaining);
        if !take.is_zero() {
            taken.push((source.source.clone(), take));
            left = left.saturating_sub(take);
        }
    }
    left.is_zero().then_some(taken)
}
