//! The client's balance and statement (relevé de compte), both following from the documents.

use time::{Date, OffsetDateTime};

use crate::money::Money;

/// What a client owes and holds, from the documents (decision 0151).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance {
    /// Sum of the client's invoices, tax included.
    pub invoiced: Money,
    /// Sum of their credit notes, tax included.
    pub credited: Money,
    /// Sum of their payments, less the payments reversed.
    pub paid: Money,
    /// Sum of the refunds paid to them.
    pub refunded: Money,
    /// What their invoices still ask for.
    pub outstanding: Money,
    /// Their unused credit (payments' unallocated amounts, credit notes' credit remaining).
    pub credit_available: Money,
}

/// The kind of movement a statement line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// An invoice issued (owed more).
    Invoice,
    /// A credit note (owed less).
    CreditNote,
    /// A payment received (owed less).
    Payment,
    /// Credit applied to an invoice (moves credit onto a debt: the balance is unchanged).
    CreditApplication,
    /// A refund paid (credit given back: owed more).
    Refund,
    /// A payment reversed (its amount is owed again).
    PaymentReversal,
}

impl EntryKind {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Invoice => "invoice",
            EntryKind::CreditNote => "credit_note",
            EntryKind::Payment => "payment",
            EntryKind::CreditApplication => "credit_application",
            EntryKind::Refund => "refund",
            EntryKind::PaymentReversal => "payment_reversal",
        }
    }

    /// Parses a stored name.
    pub fn parse(value: &str) -> Option<EntryKind> {
        [
            EntryKind::Invoice,
            EntryKind::CreditNote,
            EntryKind::Payment,
            EntryKind::CreditApplication,
            EntryKind::Refund,
            EntryKind::PaymentReversal,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }

    /// Sign of the movement on what the client owes net of credit.
    fn sign(self) -> i64 {
        match self {
            EntryKind::Invoice | EntryKind::Refund | EntryKind::PaymentReversal => 1,
            EntryKind::CreditNote | EntryKind::Payment => -1,
            EntryKind::CreditApplication => 0,
        }
    }
}

/// One movement as stored, before it is placed on a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    /// Day of the movement (issue date, received date, or the day it was recorded).
    pub date: Date,
    /// When it was recorded: orders movements of the same day.
    pub recorded_at: OffsetDateTime,
    /// What it is.
    pub kind: EntryKind,
    /// The document (`inv_…`, `cn_…`, `pay_…`, `rfd_…`, `rev_…`).
    pub document_id: String,
    /// Legal number or reference, when the document has one.
    pub reference: Option<String>,
    /// For a credit application, the invoice paid; for a reversal, the payment undone.
    pub related_id: Option<String>,
    /// Its amount, centimes (> 0).
    pub amount: Money,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// The movement.
    pub movement: Movement,
    /// Its effect on the balance, centimes: + owed more, − owed less, 0 for an application.
    pub effect: i64,
    /// The balance after it.
    pub balance: i64,
}

/// A relevé de compte over `[from, to]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// First day covered, if bounded.
    pub from: Option<Date>,
    /// Last day covered.
    pub to: Date,
    /// Balance before `from` (0 without one).
    pub opening_balance: i64,
    /// Movements in date order with the running balance.
    pub lines: Vec<StatementLine>,
    /// Balance at the end of `to`: `outstanding − credit_available` as of then.
    pub closing_balance: i64,
}

/// Places movements on a statement: sorted by date, then the time they were recorded, then
/// kind and id; those before `from` make the opening balance, those after `to` are left out.
pub fn build_statement(mut movements: Vec<Movement>, from: Option<Date>, to: Date) -> Statement {
    movements.sort_by(|a, b| {
        (a.date, a.recorded_at, a.kind, &a.document_id).cmp(&(
            b.date,
            b.recorded_at,
            b.kind,
            &b.document_id,
        ))
    });
    let mut opening = 0i64;
    let mut balance = 0i64;
    let mut lines = Vec::new();
    for movement in movements {
        if movement.date > to {
            break;
        }
        let effect = movement
            .kind
            .sign()
            .saturating_mul(movement.amount.centimes());
        balance = balance.saturating_add(effect);
        if from.is_some_and(|from| movement.date < from) {
            opening = balance;
            continue;
        }
        lines.push(StatementLine {
            movement,
            effect,
            balance,
        });
    }
    Statement {
        from,
        to,
        opening_balance: opening,
        lines,
        closing_balance: balance,
    }
}
