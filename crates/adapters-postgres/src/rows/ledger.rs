//! Rows of the ledger: credit sources read through `sql_query`, and `ledger_audit` entries.

use diesel::prelude::*;
use diesel::sql_types::{Int8, Text, Timestamptz};
use domain::error::Result;
use domain::ledger::{
    Balance, CreditSource, EntryKind, LedgerAuditEntry, LockedPayment, Movement, PaymentReversal,
    Refund, SourceRef,
};
use domain::money::Money;
use domain::typed_ids::{ClientId, CreditNoteId, PaymentId};
use time::OffsetDateTime;

use super::corrupt;
use crate::schema::{ledger_audit, payment_reversals, payments, refunds};

/// A payment or credit note with credit left.
#[derive(Debug, QueryableByName)]
pub struct CreditSourceRow {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub client_id: String,
    #[diesel(sql_type = Int8)]
    pub remaining: i64,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
}

impl CreditSourceRow {
    /// The domain value.
    pub fn into_domain(self) -> Result<CreditSource> {
        let source = match self.kind.as_str() {
            "payment" => SourceRef::Payment(PaymentId::from_stored(self.id)),
            "credit_note" => SourceRef::CreditNote(CreditNoteId::from_stored(self.id)),
            other => return Err(corrupt("credit source", &self.id, other.to_owned())),
        };
        Ok(CreditSource {
            source,
            client_id: ClientId::from_stored(self.client_id),
            remaining: Money::from_stored(self.remaining),
            created_at: self.created_at,
        })
    }
}

/// A client id read through `sql_query`.
#[derive(Debug, QueryableByName)]
pub struct ClientIdRow {
    #[diesel(sql_type = Text)]
    pub client_id: String,
}

/// A sum of centimes read through `sql_query`.
#[derive(Debug, QueryableByName)]
pub struct AmountRow {
    #[diesel(sql_type = Int8)]
    pub amount: i64,
}

/// One row of `ledger_audit`.
#[derive(Debug, Insertable)]
#[diesel(table_name = ledger_audit)]
pub struct LedgerAuditRow {
    pub id: String,
    pub client_id: String,
    pub document_kind: String,
    pub document_id: String,
    pub action: String,
    pub actor_id: String,
    pub at: OffsetDateTime,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

fn figures(values: &[(String, i64)]) -> Option<serde_json::Value> {
    if values.is_empty() {
        return None;
    }
    Some(serde_json::Value::Object(
        values
            .iter()
            .map(|(name, value)| (name.clone(), serde_json::Value::from(*value)))
            .collect(),
    ))
}

impl LedgerAuditRow {
    /// The row of an entry; figures become a JSON object.
    pub fn from_domain(e: &LedgerAuditEntry) -> Self {
        Self {
            id: e.id.to_string(),
            client_id: e.client_id.to_string(),
            document_kind: e.document_kind.to_owned(),
            document_id: e.document_id.clone(),
            action: e.action.as_str().to_owned(),
            actor_id: e.actor_id.clone(),
            at: e.at,
            before: figures(&e.before),
            after: figures(&e.after),
        }
    }
}

/// The balance figures read through `sql_query`.
#[derive(Debug, QueryableByName)]
pub struct BalanceRow {
    #[diesel(sql_type = Int8)]
    pub invoiced: i64,
    #[diesel(sql_type = Int8)]
    pub credited: i64,
    #[diesel(sql_type = Int8)]
    pub paid: i64,
    #[diesel(sql_type = Int8)]
    pub refunded: i64,
    #[diesel(sql_type = Int8)]
    pub outstanding: i64,
    #[diesel(sql_type = Int8)]
    pub credit_available: i64,
}

impl BalanceRow {
    /// The domain value.
    pub fn into_domain(self) -> Balance {
        Balance {
            invoiced: Money::from_stored(self.invoiced),
            credited: Money::from_stored(self.credited),
            paid: Money::from_stored(self.paid),
            refunded: Money::from_stored(self.refunded),
            outstanding: Money::from_stored(self.outstanding),
            credit_available: Money::from_stored(self.credit_available),
        }
    }
}

/// One movement of a statement read through `sql_query`.
#[derive(Debug, QueryableByName)]
pub struct MovementRow {
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub day: time::Date,
    #[diesel(sql_type = Timestamptz)]
    pub recorded_at: OffsetDateTime,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub document_id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub reference: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub related_id: Option<String>,
    #[diesel(sql_type = Int8)]
    pub amount: i64,
}

impl MovementRow {
    /// The domain value.
    pub fn into_domain(self) -> Result<Movement> {
        let kind = EntryKind::parse(&self.kind)
            .ok_or_else(|| corrupt("movement", &self.document_id, self.kind.clone()))?;
        Ok(Movement {
            date: self.day,
            recorded_at: self.recorded_at,
            kind,
            document_id: self.document_id,
            reference: self.reference,
            related_id: self.related_id,
            amount: Money::from_stored(self.amount),
        })
    }
}

/// One row of `refunds`.
#[derive(Debug, Insertable)]
#[diesel(table_name = refunds)]
pub struct RefundRow {
    pub id: String,
    pub client_id: String,
    pub amount: i64,
    pub currency: String,
    pub method: String,
    pub reference: Option<String>,
    pub actor_id: String,
    pub created_at: OffsetDateTime,
}

impl RefundRow {
    /// The row of a refund.
    pub fn from_domain(r: &Refund) -> Self {
        Self {
            id: r.id.to_string(),
            client_id: r.client_id.to_string(),
            amount: r.amount.centimes(),
            currency: r.currency.clone(),
            method: r.method.as_str().to_owned(),
            reference: r.reference.clone(),
            actor_id: r.actor_id.clone(),
            created_at: r.created_at,
        }
    }
}

/// One row of `payment_reversals`.
#[derive(Debug, Insertable)]
#[diesel(table_name = payment_reversals)]
pub struct PaymentReversalRow {
    pub id: String,
    pub payment_id: String,
    pub client_id: String,
    pub amount: i64,
    pub reason: String,
    pub actor_id: String,
    pub created_at: OffsetDateTime,
}

impl PaymentReversalRow {
    /// The row of a reversal.
    pub fn from_domain(r: &PaymentReversal) -> Self {
        Self {
            id: r.id.to_string(),
            payment_id: r.payment_id.to_string(),
            client_id: r.client_id.to_string(),
            amount: r.amount.centimes(),
            reason: r.reason.clone(),
            actor_id: r.actor_id.clone(),
            created_at: r.created_at,
        }
    }
}

/// The columns of a payment a reversal locks.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct LockedPaymentRow {
    pub id: String,
    pub client_id: String,
    pub amount: i64,
    pub unallocated_amount: i64,
}

impl LockedPaymentRow {
    /// The domain value.
    pub fn into_domain(self) -> LockedPayment {
        LockedPayment {
            id: PaymentId::from_stored(self.id),
            client_id: ClientId::from_stored(self.client_id),
            amount: Money::from_stored(self.amount),
            unallocated_amount: Money::from_stored(self.unallocated_amount),
        }
    }
}

/// What a payment paid on one invoice, read through `sql_query`.
#[derive(Debug, QueryableByName)]
pub struct AllocatedRow {
    #[diesel(sql_type = Text)]
    pub invoice_id: String,
    #[diesel(sql_type = Int8)]
    pub amount: i64,
}
