//! Rows of the ledger: credit sources read through `sql_query`, and `ledger_audit` entries.

use diesel::prelude::*;
use diesel::sql_types::{Int8, Text, Timestamptz};
use domain::error::Result;
use domain::ledger::{CreditSource, LedgerAuditEntry, SourceRef};
use domain::money::Money;
use domain::typed_ids::{ClientId, CreditNoteId, PaymentId};
use time::OffsetDateTime;

use super::corrupt;
use crate::schema::ledger_audit;

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
