//! `payments` and `payment_allocations` rows.

use diesel::prelude::*;
use domain::collections::{Allocation, Payment, PaymentMethod};
use domain::error::Result;
use domain::money::Money;
use domain::typed_ids::{ClientId, PaymentId};
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::{payment_allocations, payments};

/// One row of `payments`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: String,
    pub client_id: String,
    pub amount: i64,
    pub currency: String,
    pub method: String,
    pub reference: Option<String>,
    pub received_at: Date,
    pub unallocated_amount: i64,
    pub actor_id: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// One row of `payment_allocations` (read side).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payment_allocations)]
pub struct AllocationRow {
    pub payment_id: String,
    pub invoice_id: String,
    pub amount: i64,
}

impl PaymentRow {
    /// The row of `payment` (payments are never updated, so `updated_at` = `created_at`).
    pub fn from_domain(p: &Payment) -> Self {
        Self {
            id: p.id.to_string(),
            client_id: p.client_id.to_string(),
            amount: p.amount.centimes(),
            currency: p.currency.clone(),
            method: p.method.as_str().to_owned(),
            reference: p.reference.clone(),
            received_at: p.received_at,
            unallocated_amount: p.unallocated_amount.centimes(),
            actor_id: p.actor_id.clone(),
            created_at: p.created_at,
            updated_at: p.created_at,
        }
    }

    /// The entity with its allocations.
    pub fn into_domain(self, allocations: Vec<Allocation>) -> Result<Payment> {
        let method =
            PaymentMethod::parse(&self.method).map_err(|m| corrupt("payment", &self.id, m))?;
        Ok(Payment {
            id: PaymentId::from_stored(self.id),
            client_id: ClientId::from_stored(self.client_id),
            amount: Money::from_stored(self.amount),
            currency: self.currency,
            method,
            reference: self.reference,
            received_at: self.received_at,
            allocations,
            unallocated_amount: Money::from_stored(self.unallocated_amount),
            actor_id: self.actor_id,
            created_at: self.created_at,
        })
    }
}

/// What a payment's posting statement answers: the invoices it settled, and the client's
/// credit before the payment (decision 0396).
#[derive(QueryableByName)]
pub(crate) struct Posted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub(crate) n: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub(crate) credit_before: i64,
}
