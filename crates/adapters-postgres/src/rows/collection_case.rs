//! `collection_cases` and `case_actions` rows.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Integer, Nullable, Text, Timestamptz};
use domain::collections::{CaseAction, CaseStatus, CollectionCase, Promise};
use domain::error::Result;
use domain::money::Money;
use domain::typed_ids::{CaseActionId, CaseId, ClientId, InvoiceId};
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::{case_actions, collection_cases};

/// One row of `collection_cases` (`QueryableByName` for the hand-written live-case reads).
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = collection_cases, treat_none_as_null = true)]
pub struct CaseRow {
    pub id: String,
    pub client_id: String,
    pub status: String,
    pub dunning_level: i32,
    pub opened_at: OffsetDateTime,
    pub resolved_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub promised_date: Option<Date>,
    pub promised_amount: Option<i64>,
    pub promise_made_at: Option<OffsetDateTime>,
    pub promise_settled_before: Option<i64>,
    pub ladder_shift_days: i32,
}

impl CaseRow {
    /// The row of `case`.
    pub fn from_domain(c: &CollectionCase) -> Self {
        Self {
            id: c.id.to_string(),
            client_id: c.client_id.to_string(),
            status: c.status.as_str().to_owned(),
            dunning_level: c.dunning_level,
            opened_at: c.opened_at,
            resolved_at: c.resolved_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
            promised_date: c.promise.map(|p| p.date),
            promised_amount: c.promise.map(|p| p.amount.centimes()),
            promise_made_at: c.promise.map(|p| p.made_at),
            promise_settled_before: c.promise.map(|p| p.settled_before.centimes()),
            ladder_shift_days: c.ladder_shift_days,
        }
    }

    /// The entity with these overdue figures and open dispute.
    pub fn into_domain(
        self,
        overdue_amount: i64,
        invoice_ids: Vec<String>,
        disputed_invoice_ids: Vec<String>,
    ) -> Result<CollectionCase> {
        let status =
            CaseStatus::parse(&self.status).map_err(|m| corrupt("collection case", &self.id, m))?;
        // The table's check keeps the four promise columns set together.
        let promise = match (
            self.promised_date,
            self.promised_amount,
            self.promise_made_at,
            self.promise_settled_before,
        ) {
            (Some(date), Some(amount), Some(made_at), Some(settled_before)) => Some(Promise {
                date,
                amount: Money::from_stored(amount),
                made_at,
                settled_before: Money::from_stored(settled_before),
            }),
            _ => None,
        };
        Ok(CollectionCase {
            id: CaseId::from_stored(self.id),
            client_id: ClientId::from_stored(self.client_id),
            status,
            dunning_level: self.dunning_level,
            overdue_amount: Money::from_stored(overdue_amount),
            invoice_ids: invoice_ids
                .into_iter()
                .map(InvoiceId::from_stored)
                .collect(),
            disputed_invoice_ids: disputed_invoice_ids
                .into_iter()
                .map(InvoiceId::from_stored)
                .collect(),
            promise,
            ladder_shift_days: self.ladder_shift_days,
            opened_at: self.opened_at,
            resolved_at: self.resolved_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A case with its overdue figures, as the case views select it.
#[derive(Debug, Clone, QueryableByName)]
pub struct CaseViewRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub client_id: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Integer)]
    pub dunning_level: i32,
    #[diesel(sql_type = Timestamptz)]
    pub opened_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub resolved_at: Option<OffsetDateTime>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: OffsetDateTime,
    #[diesel(sql_type = Nullable<SqlDate>)]
    pub promised_date: Option<Date>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub promised_amount: Option<i64>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub promise_made_at: Option<OffsetDateTime>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub promise_settled_before: Option<i64>,
    #[diesel(sql_type = Integer)]
    pub ladder_shift_days: i32,
    #[diesel(sql_type = BigInt)]
    pub overdue_amount: i64,
    #[diesel(sql_type = Array<Text>)]
    pub invoice_ids: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    pub disputed_invoice_ids: Vec<String>,
}

impl CaseViewRow {
    /// The entity.
    pub fn into_domain(self) -> Result<CollectionCase> {
        CaseRow {
            id: self.id,
            client_id: self.client_id,
            status: self.status,
            dunning_level: self.dunning_level,
            opened_at: self.opened_at,
            resolved_at: self.resolved_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            promised_date: self.promised_date,
            promised_amount: self.promised_amount,
            promise_made_at: self.promise_made_at,
            promise_settled_before: self.promise_settled_before,
            ladder_shift_days: self.ladder_shift_days,
        }
        .into_domain(
            self.overdue_amount,
            self.invoice_ids,
            self.disputed_invoice_ids,
        )
    }
}

/// One row of `case_actions`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_actions)]
pub struct CaseActionRow {
    pub id: String,
    pub case_id: String,
    pub action_type: String,
    pub note: Option<String>,
    pub automatic: bool,
    pub actor_id: String,
    pub dunning_step: Option<String>,
    pub at: OffsetDateTime,
}

impl CaseActionRow {
    /// The row of `action`.
    pub fn from_domain(a: &CaseAction) -> Self {
        Self {
            id: a.id.to_string(),
            case_id: a.case_id.to_string(),
            action_type: a.action_type.clone(),
            note: a.note.clone(),
            automatic: a.automatic,
            actor_id: a.actor_id.clone(),
            dunning_step: a.dunning_step.clone(),
            at: a.at,
        }
    }

    /// The entity.
    pub fn into_domain(self) -> CaseAction {
        CaseAction {
            id: CaseActionId::from_stored(self.id),
            case_id: CaseId::from_stored(self.case_id),
            action_type: self.action_type,
            note: self.note,
            automatic: self.automatic,
            actor_id: self.actor_id,
            dunning_step: self.dunning_step,
            at: self.at,
        }
    }
}
