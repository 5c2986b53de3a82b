//! `credit_notes`, `credit_note_lines` and `ledger_audit` rows.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};
use domain::credit_notes::{CreditNote, CreditNoteLine, CreditedLine};
use domain::money::Money;
use domain::typed_ids::{ClientId, CreditNoteId, InvoiceId};
use time::{Date, OffsetDateTime};

use crate::schema::{credit_note_lines, credit_notes};

/// One row of `credit_notes`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_notes)]
pub struct CreditNoteRow {
    pub id: String,
    pub credit_note_number: String,
    pub invoice_id: String,
    pub client_id: String,
    pub issue_date: Date,
    pub reason: String,
    pub total_excl_tax: i64,
    pub total_tax: i64,
    pub total_incl_tax: i64,
    pub applied_to_invoice: i64,
    pub credited_to_balance: i64,
    pub credit_remaining: i64,
    pub currency: String,
    pub actor_id: String,
    pub created_at: OffsetDateTime,
}

impl CreditNoteRow {
    /// The row of `note`.
    pub fn of(note: &CreditNote) -> Self {
        Self {
            id: note.id.to_string(),
            credit_note_number: note.credit_note_number.clone(),
            invoice_id: note.invoice_id.to_string(),
            client_id: note.client_id.to_string(),
            issue_date: note.issue_date,
            reason: note.reason.clone(),
            total_excl_tax: note.total_excl_tax.centimes(),
            total_tax: note.total_tax.centimes(),
            total_incl_tax: note.total_incl_tax.centimes(),
            applied_to_invoice: note.applied_to_invoice.centimes(),
            credited_to_balance: note.credited_to_balance.centimes(),
            credit_remaining: note.credit_remaining.centimes(),
            currency: note.currency.clone(),
            actor_id: note.actor_id.clone(),
            created_at: note.created_at,
        }
    }

    /// The entity with `lines`.
    pub fn into_domain(self, lines: Vec<CreditNoteLine>) -> CreditNote {
        CreditNote {
            id: CreditNoteId::from_stored(self.id),
            credit_note_number: self.credit_note_number,
            invoice_id: InvoiceId::from_stored(self.invoice_id),
            client_id: ClientId::from_stored(self.client_id),
            issue_date: self.issue_date,
            reason: self.reason,
            lines,
            total_excl_tax: Money::from_stored(self.total_excl_tax),
            total_tax: Money::from_stored(self.total_tax),
            total_incl_tax: Money::from_stored(self.total_incl_tax),
            applied_to_invoice: Money::from_stored(self.applied_to_invoice),
            credited_to_balance: Money::from_stored(self.credited_to_balance),
            credit_remaining: Money::from_stored(self.credit_remaining),
            currency: self.currency,
            actor_id: self.actor_id,
            created_at: self.created_at,
        }
    }
}

/// One row of `credit_note_lines`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_note_lines)]
pub struct CreditNoteLineRow {
    pub credit_note_id: String,
    pub position: i32,
    pub description: String,
    pub amount_excl_tax: i64,
    pub tax_rate_bp: i32,
    pub tax_amount: i64,
    pub amount_incl_tax: i64,
}

impl CreditNoteLineRow {
    /// The row of `line` of the note `credit_note_id`.
    pub fn of(credit_note_id: &CreditNoteId, line: &CreditNoteLine) -> Self {
        Self {
            credit_note_id: credit_note_id.to_string(),
            position: line.position,
            description: line.description.clone(),
            amount_excl_tax: line.amount_excl_tax.centimes(),
            tax_rate_bp: line.tax_rate_bp,
            tax_amount: line.tax_amount.centimes(),
            amount_incl_tax: line.amount_incl_tax.centimes(),
        }
    }

    /// The entity.
    pub fn into_domain(self) -> CreditNoteLine {
        CreditNoteLine {
            position: self.position,
            description: self.description,
            amount_excl_tax: Money::from_stored(self.amount_excl_tax),
            tax_rate_bp: self.tax_rate_bp,
            tax_amount: Money::from_stored(self.tax_amount),
            amount_incl_tax: Money::from_stored(self.amount_incl_tax),
        }
    }
}

/// What an invoice's notes credited on one of its lines (an aggregate query's row).
#[derive(Debug, Clone, QueryableByName)]
pub struct CreditedLineRow {
    #[diesel(sql_type = Integer)]
    pub position: i32,
    #[diesel(sql_type = BigInt)]
    pub amount_excl_tax: i64,
    #[diesel(sql_type = BigInt)]
    pub tax_amount: i64,
}

impl CreditedLineRow {
    /// The domain value.
    pub fn into_domain(self) -> CreditedLine {
        CreditedLine {
            position: self.position,
            amount_excl_tax: Money::from_stored(self.amount_excl_tax),
            tax_amount: Money::from_stored(self.tax_amount),
        }
    }
}
