//! Use case of issue 22 §3: import a bank file. Each line is matched to a client, posted
//! through the payment use case (the one allocation path), kept as unidentified money, or
//! reported duplicate or rejected; the whole file is one transaction.

use std::sync::Arc;

use time::{Date, OffsetDateTime};

use super::bank_line::BankLine;
use super::file::{check_line_count, SourceLine};
use super::matching::{identity_candidates, invoice_number_in};
use super::{ImportLine, ImportTotals, LineStatus, PaymentImport, RecordedAs, UnidentifiedReceipt};
use crate::billing::{Invoice, InvoiceStatus};
use crate::clock::Clock;
use crate::collections::{AllocationState, NewPayment, PaymentMethod, PaymentService};
use crate::error::Result;
use crate::ids::IdGenerator;
use crate::money::CURRENCY;
use crate::ports::Ports;
use crate::tx::{read, TransactionRunner, UnitOfWork};
use crate::typed_ids::{ClientId, PaymentImportId, ReceiptId};

/// Bank-file imports and the unidentified money they leave.
#[derive(Clone)]
pub struct PaymentImportService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ids: Arc<dyn IdGenerator>,
    pub(super) payments: PaymentService,
}

/// Who a line's money goes to, and why.
struct Payee {
    client_id: ClientId,
    /// The open invoice the line named, paid first.
    invoice: Option<Invoice>,
    notes: Vec<String>,
}

/// What one line is imported against.
struct LineContext<'a> {
    import_id: &'a PaymentImportId,
    line: u32,
    today: Date,
    now: OffsetDateTime,
    actor_id: &'a str,
}

impl PaymentImportService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            payments: PaymentService::new(ports),
        }
    }

    /// Imports a file inside an existing unit of work (the idempotent request's): every
    /// line gets an outcome, the import and its lines are stored. `Validation` only for a
    /// file with no line or too many; a bad line is `rejected`, never an error.
    pub fn import_in(
        &self,
        uow: &mut dyn UnitOfWork,
        lines: &[SourceLine],
        actor_id: &str,
    ) -> Result<PaymentImport> {
        check_line_count(lines.len())?;
        uow.payment_imports().lock_bank_lines()?;
        let id = PaymentImportId::generate(self.ids.as_ref());
        let now = self.clock.now();
        let mut outcomes = Vec::with_capacity(lines.len());
        for source in lines {
            let context = LineContext {
                import_id: &id,
                line: source.line,
                today: self.clock.today(),
                now,
                actor_id,
            };
            outcomes.push(self.import_line(uow, &context, source)?);
        }
        let import = PaymentImport {
            id,
            totals: ImportTotals::of(&outcomes),
            lines: outcomes,
            actor_id: actor_id.to_owned(),
            created_at: now,
        };
        uow.payment_imports().insert_import(&import)?;
        Ok(import)
    }

    /// The stored outcome of an import.
    pub fn find_import(&self, id: &PaymentImportId) -> Result<PaymentImport> {
        read(self.tx.as_ref(), |uow| {
            uow.payment_imports().find_import(id)
        })?
        .ok_or(crate::error::Error::NotFound(
            crate::error::Resource::PaymentImport,
        ))
    }

    fn import_line(
        &self,
        uow: &mut dyn UnitOfWork,
        context: &LineContext<'_>,
        source: &SourceLine,
    ) -> Result<ImportLine> {
        let mut outcome = ImportLine {
            line: context.line,
            status: LineStatus::Rejected,
            amount: None,
            payment_id: None,
            receipt_id: None,
            invoice_number: None,
            client_id: None,
            message: None,
        };
        let bank = match &source.fields {
            Err(reason) => Err(reason.clone()),
            Ok(fields) => BankLine::read(fields, context.today),
        };
        let bank = match bank {
            Ok(bank) => bank,
            Err(reason) => {
                outcome.message = Some(reason);
                return Ok(outcome);
            }
        };
        outcome.amount = Some(bank.amount);
        let recorded =
            uow.payment_imports()
                .recorded_as(&bank.reference, bank.amount, bank.received_at)?;
        if let Some(recorded) = recorded {
            outcome.status = LineStatus::Duplicate;
            outcome.message = Some(match recorded {
                RecordedAs::Payment(payment_id, client_id) => {
                    outcome.payment_id = Some(payment_id.clone());
                    outcome.client_id = Some(client_id);
                    format!("already posted as payment {payment_id}; nothing posted")
                }
                RecordedAs::Receipt(receipt_id) => {
                    outcome.receipt_id = Some(receipt_id.clone());
                    format!("already kept as receipt {receipt_id}; nothing recorded")
                }
            });
            return Ok(outcome);
        }
        match self.payee(uow, &bank)? {
            Ok(payee) => self.post(uow, context, &bank, payee, outcome),
            Err(reason) => self.keep_unidentified(uow, context, &bank, reason, outcome),
        }
    }

    /// The client the line pays: by invoice number (its own column, else the reference),
    /// else by one CIN or ICE in the payer or the reference. `Err` says why none was found.
    fn payee(
        &self,
        uow: &mut dyn UnitOfWork,
        bank: &BankLine,
    ) -> Result<std::result::Result<Payee, String>> {
        let mut notes = Vec::new();
        let number = bank
            .invoice_number
            .clone()
            .or_else(|| invoice_number_in(&bank.reference));
        if let Some(number) = number {
            let found = match uow.payment_imports().invoice_by_number(&number)? {
                Some(id) => uow.invoices().find(&id)?,
                None => None,
            };
            match found {
                Some(invoice) => {
                    let open = matches!(
                        invoice.status,
                        InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid
                    ) && !invoice.outstanding().is_zero();
                    if !open {
                        notes.push(format!(
                            "invoice {number} is {}: the payment went to the client's open \
                             invoices, oldest first",
                            invoice.status.as_str()
                        ));
                    }
                    return Ok(Ok(Payee {
                        client_id: invoice.client_id.clone(),
                        invoice: open.then_some(invoice),
                        notes,
                    }));
                }
                None => notes.push(format!("no invoice {number}")),
            }
        }
        let mut clients: Vec<ClientId> = Vec::new();
        let texts = [bank.payer.as_deref().unwrap_or(""), bank.reference.as_str()];
        for candidate in texts.iter().flat_map(|t| identity_candidates(t)) {
            if let Some(client) = uow.clients().find_by_identity(&candidate)? {
                if !clients.contains(&client.id) {
                    clients.push(client.id);
                }
            }
        }
        let mut clients = clients.into_iter();
        match (clients.next(), clients.next()) {
            (Some(client_id), None) => Ok(Ok(Payee {
                client_id,
                invoice: None,
                notes,
            })),
            (Some(_), Some(_)) => {
                notes.push("the payer and reference name several clients".into());
                Ok(Err(notes.join("; ")))
            }
            (None, _) => {
                notes.push("no client found by invoice number, CIN or ICE".into());
                Ok(Err(notes.join("; ")))
            }
        }
    }

    fn post(
        &self,
        uow: &mut dyn UnitOfWork,
        context: &LineContext<'_>,
        bank: &BankLine,
        payee: Payee,
        mut outcome: ImportLine,
    ) -> Result<ImportLine> {
        let command = NewPayment {
            client_id: payee.client_id,
            amount: bank.amount,
            method: PaymentMethod::Transfer,
            reference: Some(bank.reference.clone()),
            received_at: bank.received_at,
            invoice_id: payee.invoice.as_ref().map(|i| i.id.clone()),
        };
        let receipt = self
            .payments
            .post_command_in(uow, &command, context.actor_id)?;
        let mut notes = payee.notes;
        if let Some(target) = &receipt.target {
            let number = match &payee.invoice {
                Some(named) if named.id == target.invoice_id => Some(named.invoice_number.clone()),
                _ => uow
                    .invoices()
                    .find(&target.invoice_id)?
                    .map(|i| i.invoice_number),
            };
            if receipt.allocation_state == AllocationState::Partial {
                notes.push(format!(
                    "{} MAD remain outstanding on {}",
                    target.outstanding_after,
                    number.as_deref().unwrap_or("the invoice")
                ));
            }
            outcome.invoice_number = number;
        }
        if !receipt.payment.unallocated_amount.is_zero() {
            notes.push(format!(
                "{} MAD became the client's credit",
                receipt.payment.unallocated_amount
            ));
        }
        outcome.status = match receipt.allocation_state {
            AllocationState::Partial => LineStatus::Partial,
            AllocationState::Full | AllocationState::Unallocated => LineStatus::Matched,
        };
        outcome.payment_id = Some(receipt.payment.id.clone());
        outcome.client_id = Some(receipt.payment.client_id.clone());
        outcome.message = Some(notes.join("; ")).filter(|m| !m.is_empty());
        Ok(outcome)
    }

    fn keep_unidentified(
        &self,
        uow: &mut dyn UnitOfWork,
        context: &LineContext<'_>,
        bank: &BankLine,
        reason: String,
        mut outcome: ImportLine,
    ) -> Result<ImportLine> {
        let receipt = UnidentifiedReceipt {
            id: ReceiptId::generate(self.ids.as_ref()),
            import_id: context.import_id.clone(),
            line: context.line,
            amount: bank.amount,
            currency: CURRENCY.into(),
            received_at: bank.received_at,
            reference: bank.reference.clone(),
            payer: bank.payer.clone(),
            assignment: None,
            created_at: context.now,
            updated_at: context.now,
        };
        uow.payment_imports().insert_receipt(&receipt)?;
        outcome.status = LineStatus::Unidentified;
        outcome.receipt_id = Some(receipt.id);
        outcome.message = Some(reason);
        Ok(outcome)
    }
}
