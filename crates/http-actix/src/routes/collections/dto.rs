//! Response bodies shared by the collections handlers.

use domain::collections::{
    AllocationState, CaseAction, CollectionCase, Payment, PaymentReceipt, Promise,
};
use domain::money::CURRENCY;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::recorded_parts;

/// What a payment did to one invoice, when it was posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationResponse {
    /// Invoice paid.
    pub invoice_id: String,
    /// Amount applied, centimes.
    pub amount: i64,
    /// Invoice status after the payment: `partially_paid` or `paid`.
    pub invoice_status: String,
    /// Invoice outstanding after the payment, centimes.
    pub outstanding_after: i64,
}

/// A posted payment and its allocation result.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentResponse {
    /// `pay_…` (same as `payment_id`).
    pub id: String,
    /// `pay_…`.
    pub payment_id: String,
    /// Payer.
    pub client_id: String,
    /// Amount received, centimes.
    pub amount: i64,
    /// `MAD`.
    pub currency: String,
    /// `cash`, `card`, `transfer`, `agency`, `mobile_money` or `operator_approval`.
    pub method: String,
    /// External reference (the note, for approve-paid).
    pub reference: Option<String>,
    /// Date received, `YYYY-MM-DD`.
    pub received_at: String,
    /// The invoice the payment targets: the one it named, else the first allocated; `null`
    /// when no invoice was open.
    pub invoice_id: Option<String>,
    /// That invoice's status after the payment.
    pub invoice_status: Option<String>,
    /// That invoice's outstanding after the payment, centimes.
    pub outstanding_amount: Option<i64>,
    /// What the payment did to that invoice: `full` (now settled), `partial` (an outstanding
    /// remains) or `unallocated` (no invoice was open: everything became credit).
    pub allocation_state: String,
    /// Invoices paid, in allocation order.
    pub allocations: Vec<AllocationResponse>,
    /// Left as client credit by this payment, centimes.
    pub unallocated_amount: i64,
    /// The client's unused credit after this payment, centimes.
    pub credit_available: i64,
    /// Who recorded it.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token, else `null`.
    pub via_gateway: Option<String>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change (payments never change).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<&PaymentReceipt> for PaymentResponse {
    fn from(receipt: &PaymentReceipt) -> Self {
        let p = &receipt.payment;
        PaymentResponse {
            id: p.id.to_string(),
            payment_id: p.id.to_string(),
            client_id: p.client_id.to_string(),
            amount: p.amount.centimes(),
            currency: p.currency.clone(),
            method: p.method.as_str().into(),
            reference: p.reference.clone(),
            received_at: p.received_at.to_string(),
            invoice_id: receipt.target.as_ref().map(|t| t.invoice_id.to_string()),
            invoice_status: receipt
                .target
                .as_ref()
                .map(|t| t.invoice_status.as_str().to_owned()),
            outstanding_amount: receipt
                .target
                .as_ref()
                .map(|t| t.outstanding_after.centimes()),
            allocations: receipt
                .outcomes
                .iter()
                .map(|o| AllocationResponse {
                    invoice_id: o.invoice_id.to_string(),
                    amount: o.amount.centimes(),
                    invoice_status: o.invoice_status.as_str().into(),
                    outstanding_after: o.outstanding_after.centimes(),
                })
                .collect(),
            unallocated_amount: p.unallocated_amount.centimes(),
            credit_available: receipt.credit_available.centimes(),
            allocation_state: receipt.allocation_state.as_str().into(),
            actor_id: recorded_parts(&p.actor_id).0,
            via_gateway: recorded_parts(&p.actor_id).1,
            created_at: p.created_at,
            updated_at: p.created_at,
        }
    }
}

/// Part of a listed payment applied to one invoice.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocatedAmount {
    /// Invoice paid.
    pub invoice_id: String,
    /// Amount applied, centimes.
    pub amount: i64,
}

/// A payment in the reconciliation list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentSummary {
    /// `pay_…`.
    pub id: String,
    /// `pay_…` (same as `id`).
    pub payment_id: String,
    /// Payer.
    pub client_id: String,
    /// Amount received, centimes.
    pub amount: i64,
    /// `MAD`.
    pub currency: String,
    /// Method.
    pub method: String,
    /// External reference.
    pub reference: Option<String>,
    /// Date received, `YYYY-MM-DD`.
    pub received_at: String,
    /// Invoices paid, in allocation order.
    pub allocations: Vec<AllocatedAmount>,
    /// Left as client credit, centimes.
    pub unallocated_amount: i64,
    /// Judged from the payment alone: `full` (all of it paid invoices), `partial` (some
    /// became credit) or `unallocated` (all of it became credit).
    pub allocation_state: String,
    /// Who recorded it.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token, else `null`.
    pub via_gateway: Option<String>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<Payment> for PaymentSummary {
    fn from(p: Payment) -> Self {
        let allocation_state = AllocationState::of_payment(&p).as_str().into();
        PaymentSummary {
            payment_id: p.id.to_string(),
            id: p.id.to_string(),
            client_id: p.client_id.to_string(),
            amount: p.amount.centimes(),
            currency: p.currency,
            method: p.method.as_str().into(),
            reference: p.reference,
            received_at: p.received_at.to_string(),
            allocations: p
                .allocations
                .into_iter()
                .map(|a| AllocatedAmount {
                    invoice_id: a.invoice_id.to_string(),
                    amount: a.amount.centimes(),
                })
                .collect(),
            allocation_state,
            unallocated_amount: p.unallocated_amount.centimes(),
            actor_id: recorded_parts(&p.actor_id).0,
            via_gateway: recorded_parts(&p.actor_id).1,
            created_at: p.created_at,
            updated_at: p.created_at,
        }
    }
}

/// A collection case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseResponse {
    /// `case_…`.
    pub id: String,
    /// Debtor.
    pub client_id: String,
    /// `open`, `in_progress`, `promise_to_pay`, `disputed`, `resolved`, `written_off` or
    /// `closed`.
    pub status: String,
    /// Highest dunning step reached: 0 none, 1 reminder, 2 second reminder, 3 suspension,
    /// 4 pre-litigation.
    pub dunning_level: i32,
    /// The client's overdue outstanding today, centimes.
    pub overdue_amount: i64,
    /// `MAD`.
    pub currency: String,
    /// The client's overdue invoices today, oldest due first.
    pub invoice_ids: Vec<String>,
    /// The invoices of the open dispute, held out of the dunning ladder; empty unless
    /// `disputed`.
    pub disputed_invoice_ids: Vec<String>,
    /// The last promise to pay recorded, if any (it holds the ladder while the status is
    /// `promise_to_pay`).
    pub promise: Option<PromiseResponse>,
    /// When the case opened.
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// When it was resolved or written off.
    #[serde(with = "time::serde::rfc3339::option")]
    pub resolved_at: Option<OffsetDateTime>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<CollectionCase> for CaseResponse {
    fn from(c: CollectionCase) -> Self {
        CaseResponse {
            id: c.id.to_string(),
            client_id: c.client_id.to_string(),
            status: c.status.as_str().into(),
            dunning_level: c.dunning_level,
            overdue_amount: c.overdue_amount.centimes(),
            currency: CURRENCY.into(),
            invoice_ids: c.invoice_ids.into_iter().map(String::from).collect(),
            disputed_invoice_ids: c
                .disputed_invoice_ids
                .into_iter()
                .map(String::from)
                .collect(),
            promise: c.promise.map(PromiseResponse::from),
            opened_at: c.opened_at,
            resolved_at: c.resolved_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A promise to pay.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseResponse {
    /// The day by which the amount is promised (`YYYY-MM-DD`, included).
    pub promised_date: String,
    /// Amount promised, centimes.
    pub amount: i64,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub made_at: OffsetDateTime,
}

impl From<Promise> for PromiseResponse {
    fn from(p: Promise) -> Self {
        PromiseResponse {
            promised_date: p.date.to_string(),
            amount: p.amount.centimes(),
            made_at: p.made_at,
        }
    }
}

/// Something done on a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionResponse {
    /// `cact_…`.
    pub id: String,
    /// Case.
    pub case_id: String,
    /// `call`, `reminder_sms`, `suspension`, `status_changed`, `promise_to_pay`,
    /// `promise_kept`, `promise_broken`, `dispute_opened`, `dispute_closed`, …
    pub action_type: String,
    /// Free note.
    pub note: Option<String>,
    /// Recorded by the system (dunning, automatic resolution).
    pub automatic: bool,
    /// `act_…`, or `system`.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token, else `null`.
    pub via_gateway: Option<String>,
    /// The dunning step it records, for ladder actions.
    pub dunning_step: Option<String>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

impl From<CaseAction> for ActionResponse {
    fn from(a: CaseAction) -> Self {
        ActionResponse {
            id: a.id.to_string(),
            case_id: a.case_id.to_string(),
            action_type: a.action_type,
            note: a.note,
            automatic: a.automatic,
            actor_id: recorded_parts(&a.actor_id).0,
            via_gateway: recorded_parts(&a.actor_id).1,
            dunning_step: a.dunning_step,
            at: a.at,
        }
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Cursor of the next page; null on the last.
    pub next_cursor: Option<String>,
}
