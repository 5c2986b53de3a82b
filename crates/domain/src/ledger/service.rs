//! Use cases of the ledger: the balance and statement of a client, refunds of credit and
//! payment reversals.

use std::sync::Arc;

use time::Date;

use super::apply::apply_available_credit;
use super::movements::consume_oldest_first;
use super::{
    build_statement, Balance, EntryKind, LedgerAction, LedgerAuditEntry, PaymentReversal, Refund,
    RefundReceipt, Reopened, ReversalReceipt, Statement,
};
use crate::billing::InvoiceStatus;
use crate::clock::Clock;
use crate::collections::payment_service::{parse_posted_method, parse_reference};
use crate::documents::{DocumentRenderer, StatementDocument, StatementDocumentLine};
use crate::error::{Conflict, Error, Resource, Result, RuleViolation, Validator};
use crate::events::{record, EventPayload};
use crate::ids::IdGenerator;
use crate::money::{Money, CURRENCY};
use crate::ports::Ports;
use crate::settings::Settings;
use crate::text::{check_text, TextKind};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{ClientId, LedgerAuditEntryId, PaymentId, PaymentReversalId, RefundId};

/// Longest accepted reversal reason.
pub const MAX_REASON_CHARS: usize = 500;

/// A refund as sent to `POST /collections/refunds`, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundInput {
    /// Whose credit (`cli_…`).
    pub client_id: String,
    /// Centimes, > 0.
    pub amount: i64,
    /// A payment method other than `operator_approval`.
    pub method: String,
    /// External reference, at most 100 characters.
    pub reference: Option<String>,
}

/// A reversal as sent to `POST /collections/payments/{id}/reversal`, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReversalInput {
    /// Why, 1 to 500 characters on one line.
    pub reason: String,
}

/// The ledger use cases.
#[derive(Clone)]
pub struct LedgerService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
    renderer: Arc<dyn DocumentRenderer>,
    settings: Arc<Settings>,
}

fn find_client(uow: &mut dyn UnitOfWork, client_id: &ClientId) -> Result<()> {
    if uow.clients().find(client_id)?.is_none() {
        return Err(Error::NotFound(Resource::Client));
    }
    Ok(())
}

fn parse_reason(raw: &str) -> std::result::Result<String, String> {
    let reason = raw.trim();
    if reason.is_empty() {
        return Err("must not be blank".into());
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("must be at most {MAX_REASON_CHARS} characters"));
    }
    check_text(reason, TextKind::Line)?;
    Ok(reason.to_owned())
}

/// How a statement PDF names a movement.
fn french_label(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Invoice => "Facture",
        EntryKind::CreditNote => "Facture d'avoir",
        EntryKind::Payment => "Paiement",
        EntryKind::CreditApplication => "Imputation d'avoir ou de trop-perçu",
        EntryKind::Refund => "Remboursement",
        EntryKind::PaymentReversal => "Annulation de paiement",
    }
}

impl LedgerService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            renderer: ports.renderer.clone(),
            settings: ports.settings.clone(),
        }
    }

    /// The client's balance. Read in one transaction so its figures agree.
    pub fn balance(&self, client_id: &ClientId) -> Result<Balance> {
        transaction(self.tx.as_ref(), |uow| {
            find_client(uow, client_id)?;
            uow.ledger().balance(client_id)
        })
    }

    /// The client's statement over `[from, to]` (`to` defaults to today). `Validation` when
    /// `from` is after `to`.
    pub fn statement(
        &self,
        client_id: &ClientId,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Statement> {
        let to = to.unwrap_or_else(|| self.clock.today());
        if from.is_some_and(|from| from > to) {
            let mut v = Validator::new();
            v.check::<()>("from", Err("must not be after `to`".into()));
            v.finish()?;
        }
        let movements = read(self.tx.as_ref(), |uow| {
            find_client(uow, client_id)?;
            uow.ledger().movements(client_id)
        })?;
        Ok(build_statement(movements, from, to))
    }

    /// The statement as a PDF ("Relevé de compte"), rendered on each request: a statement
    /// is a view as of `to`, not a legal document to keep unchanged.
    pub fn statement_pdf(
        &self,
        client_id: &ClientId,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<u8>> {
        let statement = self.statement(client_id, from, to)?;
        let client = read(self.tx.as_ref(), |uow| uow.clients().find(client_id))?
            .ok_or(Error::NotFound(Resource::Client))?;
        let client_address = match (client.address.as_deref(), client.city.as_deref()) {
            (Some(a), Some(c)) => Some(format!("{a}, {c}")),
            (Some(a), None) => Some(a.to_owned()),
            (None, Some(c)) => Some(c.to_owned()),
            (None, None) => None,
        };
        let document = StatementDocument {
            seller: self.settings.seller.clone(),
            client_name: client.display_name(),
            cin: client.legal_id().to_owned(),
            client_address,
            from: statement.from,
            to: statement.to,
            opening_balance: statement.opening_balance,
            lines: statement
                .lines
                .iter()
                .map(|l| StatementDocumentLine {
                    date: l.movement.date,
                    label: french_label(l.movement.kind).to_owned(),
                    reference: l
                        .movement
                        .reference
                        .clone()
                        .unwrap_or_else(|| l.movement.document_id.clone()),
                    effect: l.effect,
                    balance: l.balance,
                })
                .collect(),
            closing_balance: statement.closing_balance,
            currency: CURRENCY.into(),
        };
        self.renderer.statement(&document)
    }

    /// Pays back `amount` of the client's credit inside an existing unit of work: locks the
    /// client's credit sources, takes from the oldest first and records which.
    /// `InsufficientCredit` when they hold less.
    pub fn refund_in(
        &self,
        uow: &mut dyn UnitOfWork,
        input: &RefundInput,
        actor_id: &str,
    ) -> Result<RefundReceipt> {
        let mut v = Validator::new();
        let amount = v.check("amount", Money::positive(input.amount));
        let method = v.check("method", parse_posted_method(&input.method));
        let reference = v.check("reference", parse_reference(input.reference.as_deref()));
        let fields = (|| Some((amount?, method?, reference?)))();
        let (amount, method, reference) = v.finish_with(fields)?;
        let client_id =
            ClientId::parse(&input.client_id).map_err(|_| Error::NotFound(Resource::Client))?;
        find_client(uow, &client_id)?;
        let sources = uow
            .ledger()
            .lock_credit_sources(std::slice::from_ref(&client_id))?;
        let before: Money = sources.iter().map(|s| s.remaining).sum();
        let taken = consume_oldest_first(&sources, amount)
            .ok_or(Error::Rule(RuleViolation::InsufficientCredit))?;
        let now = self.clock.now();
        let refund = Refund {
            id: RefundId::generate(self.ids.as_ref()),
            client_id: client_id.clone(),
            amount,
            currency: CURRENCY.into(),
            method,
            reference,
            sources: taken,
            actor_id: actor_id.to_owned(),
            created_at: now,
        };
        uow.ledger().insert_refund(&refund)?;
        let after = before.saturating_sub(amount);
        uow.ledger().insert_audit(&[LedgerAuditEntry {
            id: LedgerAuditEntryId::generate(self.ids.as_ref()),
            client_id,
            document_kind: "refund",
            document_id: refund.id.to_string(),
            action: LedgerAction::Refunded,
            actor_id: actor_id.to_owned(),
            at: now,
            before: vec![("credit_available".into(), before.centimes())],
            after: vec![
                ("credit_available".into(), after.centimes()),
                ("refunded".into(), amount.centimes()),
            ],
        }])?;
        let receipt = RefundReceipt {
            refund,
            credit_available: after,
        };
        record(
            uow,
            self.ids.as_ref(),
            now,
            Some(actor_id),
            EventPayload::RefundIssued(receipt.clone()),
        )?;
        Ok(receipt)
    }

    /// Undoes a payment inside an existing unit of work: gives its allocations back to the
    /// invoices (they reopen), removes its unused credit, records the reversal, then lets the
    /// client's other credit pay the reopened invoices. Locks the payment's invoices, then the
    /// client's credit sources, then the payment (decision 0151's order).
    pub fn reverse_payment_in(
        &self,
        uow: &mut dyn UnitOfWork,
        payment_id: &PaymentId,
        input: &ReversalInput,
        actor_id: &str,
    ) -> Result<ReversalReceipt> {
        let mut v = Validator::new();
        let reason = v.check("reason", parse_reason(&input.reason));
        let reason = v.finish_with(reason)?;
        let found = uow
            .payments()
            .find(payment_id)?
            .ok_or(Error::NotFound(Resource::Payment))?;
        let allocated = uow.ledger().allocated_by_payment(payment_id)?;
        let ids: Vec<_> = allocated.iter().map(|(id, _)| id.clone()).collect();
        let mut invoices = uow.ledger().lock_invoices(&ids, &found.client_id)?;
        invoices.retain(|i| ids.contains(&i.id));
        // Then every credit source of the client, oldest first as any writer does, before
        // the payment itself: a refund holding an older source never waits on us while we
        // wait on it.
        uow.ledger()
            .lock_credit_sources(std::slice::from_ref(&found.client_id))?;
        let payment = uow
            .ledger()
            .lock_payment(payment_id)?
            .ok_or(Error::NotFound(Resource::Payment))?;
        if uow.ledger().is_reversed(payment_id)? {
            return Err(Conflict::PaymentAlreadyReversed.into());
        }
        if !uow.ledger().refunded_from_payment(payment_id)?.is_zero() {
            return Err(RuleViolation::PaymentCreditRefunded.into());
        }
        let now = self.clock.now();
        let mut reopened = Vec::new();
        for invoice in &mut invoices {
            let amount = allocated
                .iter()
                .filter(|(id, _)| id == &invoice.id)
                .map(|(_, a)| *a)
                .sum::<Money>();
            invoice.amount_paid = invoice.amount_paid.saturating_sub(amount);
            invoice.status = InvoiceStatus::for_settlement(
                invoice.total_incl_tax,
                invoice.amount_paid,
                invoice.credited_amount,
            );
            invoice.updated_at = now;
            reopened.push(Reopened {
                invoice_id: invoice.id.clone(),
                amount,
                invoice_status: invoice.status,
                outstanding: invoice.outstanding(),
            });
        }
        uow.invoices().save_settlements(&invoices)?;
        let reversal = PaymentReversal {
            id: PaymentReversalId::generate(self.ids.as_ref()),
            payment_id: payment.id.clone(),
            client_id: payment.client_id.clone(),
            amount: payment.amount,
            reason,
            actor_id: actor_id.to_owned(),
            created_at: now,
        };
        uow.ledger().insert_reversal(&reversal)?;
        let allocated_total: Money = reopened.iter().map(|r| r.amount).sum();
        uow.ledger().insert_audit(&[LedgerAuditEntry {
            id: LedgerAuditEntryId::generate(self.ids.as_ref()),
            client_id: payment.client_id.clone(),
            document_kind: "payment",
            document_id: payment.id.to_string(),
            action: LedgerAction::PaymentReversed,
            actor_id: actor_id.to_owned(),
            at: now,
            before: vec![
                ("allocated".into(), allocated_total.centimes()),
                (
                    "unallocated_amount".into(),
                    payment.unallocated_amount.centimes(),
                ),
            ],
            after: vec![
                ("allocated".into(), 0),
                ("unallocated_amount".into(), 0),
                ("reversed".into(), payment.amount.centimes()),
            ],
        }])?;
        // The reopened invoices are a new debt: other credit pays them now (decision 0180).
        let applied =
            apply_available_credit(uow, self.ids.as_ref(), &payment.client_id, now, actor_id)?;
        for application in &applied {
            if let Some(r) = reopened
                .iter_mut()
                .find(|r| r.invoice_id == application.invoice_id)
            {
                r.outstanding = application.outstanding_after;
                r.invoice_status = if application.outstanding_after.is_zero() {
                    InvoiceStatus::Paid
                } else {
                    InvoiceStatus::PartiallyPaid
                };
            }
        }
        let credit_available = uow.ledger().credit_available(&payment.client_id)?;
        let receipt = ReversalReceipt {
            reversal,
            invoices: reopened,
            credit_removed: payment.unallocated_amount,
            credit_available,
        };
        record(
            uow,
            self.ids.as_ref(),
            now,
            Some(actor_id),
            EventPayload::PaymentReversed(receipt.clone()),
        )?;
        Ok(receipt)
    }
}
