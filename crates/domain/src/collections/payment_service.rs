//! Use cases of P14: post a payment, approve an invoice as paid, list payments.

use std::sync::Arc;

use time::Date;

use super::allocation::allocate;
use super::dates::parse_past_date;
use super::settlement::settle_clear;
use super::{Allocation, AllocationState, Payment, PaymentFilter, PaymentMethod, PaymentReceipt};
use crate::billing::{Invoice, InvoiceStatus};
use crate::clock::Clock;
use crate::error::{Conflict, Error, Resource, Result, RuleViolation, Validator};
use crate::events::{record_all, settlement_payloads, statuses, EventPayload};
use crate::ids::IdGenerator;
use crate::ledger::apply_available_credit;
use crate::money::{Money, CURRENCY};
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::text::{check_text, TextKind};
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{ClientId, InvoiceId, PaymentId};

/// Longest accepted payment reference (and approve-paid note, stored as the reference).
pub const MAX_REFERENCE_CHARS: usize = 100;

/// A payment as sent to `POST /collections/payments`, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    /// Payer (`cli_…`).
    pub client_id: String,
    /// Centimes, > 0.
    pub amount: i64,
    /// A [`PaymentMethod`] other than `operator_approval`.
    pub method: String,
    /// External reference, at most 100 characters.
    pub reference: Option<String>,
    /// `YYYY-MM-DD`, not in the future; today when absent.
    pub received_at: Option<String>,
    /// Invoice to pay first.
    pub invoice_id: Option<String>,
}

/// A validated payment to post: what [`PaymentInput::validate`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    /// Payer.
    pub client_id: ClientId,
    /// Amount received, above zero.
    pub amount: Money,
    /// Any method but `operator_approval`.
    pub method: PaymentMethod,
    /// External reference, trimmed; `None` when absent or blank.
    pub reference: Option<String>,
    /// Day received, not in the future.
    pub received_at: Date,
    /// Invoice to pay first.
    pub invoice_id: Option<InvoiceId>,
}

impl PaymentInput {
    /// The payment as of `today`: `Validation` naming every bad field; then, as before ids
    /// were typed, a malformed client or invoice id answers `NotFound` like an unknown one.
    pub fn validate(&self, today: Date) -> Result<NewPayment> {
        let mut v = Validator::new();
        let amount = v.check("amount", Money::positive(self.amount));
        let method = v.check("method", parse_posted_method(&self.method));
        let reference = v.check("reference", parse_reference(self.reference.as_deref()));
        let received_at = match self.received_at.as_deref() {
            None => Some(today),
            Some(raw) => v.check("received_at", parse_past_date(raw, today)),
        };
        let fields = (|| Some((amount?, method?, reference?, received_at?)))();
        let (amount, method, reference, received_at) = v.finish_with(fields)?;
        let client_id =
            ClientId::parse(&self.client_id).map_err(|_| Error::NotFound(Resource::Client))?;
        let invoice_id = self
            .invoice_id
            .as_deref()
            .map(InvoiceId::parse)
            .transpose()
            .map_err(|_| Error::NotFound(Resource::Invoice))?;
        Ok(NewPayment {
            client_id,
            amount,
            method,
            reference,
            received_at,
            invoice_id,
        })
    }
}

/// Posting of payments and their settlement of invoices.
#[derive(Clone)]
pub struct PaymentService {
    tx: Arc<dyn TransactionRunner>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGenerator>,
}

/// A validated payment about to be allocated.
struct Posting<'a> {
    client_id: &'a ClientId,
    amount: Money,
    method: PaymentMethod,
    reference: Option<String>,
    received_at: Date,
    first: Option<&'a InvoiceId>,
}

impl PaymentService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
        }
    }

    /// Posts a payment in its own transaction.
    pub fn record_payment(&self, input: &PaymentInput, actor_id: &str) -> Result<PaymentReceipt> {
        transaction(self.tx.as_ref(), |uow| {
            self.record_payment_in(uow, input, actor_id)
        })
    }

    /// Posts a payment: validates it, allocates it to the given invoice first, then to the
    /// client's other open invoices oldest due first, keeps the rest as credit, and resolves
    /// the client's case when nothing is overdue any more.
    pub fn record_payment_in(
        &self,
        uow: &mut dyn UnitOfWork,
        input: &PaymentInput,
        actor_id: &str,
    ) -> Result<PaymentReceipt> {
        let command = input.validate(self.clock.today())?;
        self.post_command_in(uow, &command, actor_id)
    }

    /// Posts an already validated payment inside an existing unit of work: the one posting
    /// path that bank-file imports and the assignment of unidentified money share with
    /// `record_payment_in`. Nothing is written before every check has passed, so a caller
    /// may go on in the same transaction after an `Err`.
    pub fn post_command_in(
        &self,
        uow: &mut dyn UnitOfWork,
        command: &NewPayment,
        actor_id: &str,
    ) -> Result<PaymentReceipt> {
        let mut open = uow
            .invoices()
            .lock_open_invoices(std::slice::from_ref(&command.client_id))?;
        // An open invoice is its client's proof of existence: the client is read only when
        // none is open (decision 0396).
        if open.is_empty() {
            find_client(uow, &command.client_id)?;
        }
        if let Some(named) = &command.invoice_id {
            check_named_invoice(uow, &command.client_id, named, &open)?;
        }
        let posting = Posting {
            client_id: &command.client_id,
            amount: command.amount,
            method: command.method,
            reference: command.reference.clone(),
            received_at: command.received_at,
            first: command.invoice_id.as_ref(),
        };
        self.post(uow, posting, &mut open, actor_id)
    }

    /// Records an `operator_approval` payment of exactly the invoice's outstanding amount, in
    /// its own transaction.
    pub fn approve_paid(
        &self,
        invoice_id: &InvoiceId,
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<PaymentReceipt> {
        transaction(self.tx.as_ref(), |uow| {
            self.approve_paid_in(uow, invoice_id, note, actor_id)
        })
    }

    /// `approve_paid` inside an existing unit of work. `InvoiceAlreadyPaid` when nothing is
    /// outstanding, `InvoiceVoid` for a void invoice.
    pub fn approve_paid_in(
        &self,
        uow: &mut dyn UnitOfWork,
        invoice_id: &InvoiceId,
        note: Option<&str>,
        actor_id: &str,
    ) -> Result<PaymentReceipt> {
        let mut v = Validator::new();
        let reference = v.check("note", parse_reference(note));
        v.finish()?;
        let invoice = find_invoice(uow, invoice_id)?;
        if invoice.status == InvoiceStatus::Void {
            return Err(RuleViolation::InvoiceVoid.into());
        }
        // Lock like any payment of this client, then read the outstanding under the lock.
        let mut open = uow
            .invoices()
            .lock_open_invoices(std::slice::from_ref(&invoice.client_id))?;
        let outstanding = open
            .iter()
            .find(|i| i.id == invoice.id)
            .map(Invoice::outstanding)
            .unwrap_or(Money::ZERO);
        if outstanding.is_zero() {
            return Err(Conflict::InvoiceAlreadyPaid.into());
        }
        let posting = Posting {
            client_id: &invoice.client_id,
            amount: outstanding,
            method: PaymentMethod::OperatorApproval,
            reference: reference.flatten(),
            received_at: self.clock.today(),
            first: Some(&invoice.id),
        };
        self.post(uow, posting, &mut open, actor_id)
    }

    /// The payment with this id, with its allocations.
    pub fn find_payment(&self, id: &PaymentId) -> Result<Payment> {
        read(self.tx.as_ref(), |uow| uow.payments().find(id))?
            .ok_or(Error::NotFound(Resource::Payment))
    }

    /// One page of the payments matching `filter`, by id.
    pub fn list_payments(
        &self,
        filter: &PaymentFilter,
        page: &PageRequest,
    ) -> Result<Page<Payment>> {
        // Payments and their allocations are written together and never change: no transaction
        // is needed for the two statements to agree.
        let rows = read(self.tx.as_ref(), |uow| uow.payments().list(filter, page))?;
        Ok(Page::from_fetched(rows, page, |p| p.id.as_str()))
    }

    fn post(
        &self,
        uow: &mut dyn UnitOfWork,
        posting: Posting<'_>,
        open: &mut [Invoice],
        actor_id: &str,
    ) -> Result<PaymentReceipt> {
        let now = self.clock.now();
        let before = statuses(open);
        let plan = allocate(posting.amount, posting.first, open);
        let settled: Vec<Invoice> = open
            .iter()
            .filter(|invoice| plan.outcomes.iter().any(|o| o.invoice_id == invoice.id))
            .map(|invoice| Invoice {
                updated_at: now,
                ..invoice.clone()
            })
            .collect();
        let payment = Payment {
            id: PaymentId::generate(self.ids.as_ref()),
            client_id: posting.client_id.clone(),
            amount: posting.amount,
            currency: CURRENCY.into(),
            method: posting.method,
            reference: posting.reference,
            received_at: posting.received_at,
            allocations: plan
                .outcomes
                .iter()
                .map(|o| Allocation {
                    invoice_id: o.invoice_id.clone(),
                    amount: o.amount,
                })
                .collect(),
            unallocated_amount: plan.unallocated,
            actor_id: actor_id.to_owned(),
            created_at: now,
        };
        let credit_before = uow.payments().insert(&payment, &settled)?;
        let today = self.clock.today();
        let ids = self.ids.as_ref();
        // One append for the payment's event and those of the invoices it settled.
        let mut events = vec![EventPayload::PaymentReceived(payment.clone())];
        events.extend(settlement_payloads(today, &before, &settled));
        record_all(uow, ids, now, Some(actor_id), events)?;
        if !payment.unallocated_amount.is_zero() {
            // Credit is never stranded (decision 0180): nothing is left open today, but the
            // engine is the one place that decides, and records, any use of credit.
            apply_available_credit(uow, self.ids.as_ref(), posting.client_id, now, actor_id)?;
        }
        // `open` is every open invoice of the client, locked and now settled: whether any is
        // still overdue is known without reading them again. Money left over means every one
        // was paid in full, so credit applied above cannot change the answer.
        let overdue_left = open
            .iter()
            .any(|invoice| invoice.due_date < today && !invoice.outstanding().is_zero());
        if !overdue_left {
            settle_clear(uow, ids, posting.client_id, now)?;
        }
        let target = match posting.first {
            Some(named) => plan.outcomes.iter().find(|o| &o.invoice_id == named),
            None => plan.outcomes.first(),
        }
        .cloned();
        let credit_available = if payment.unallocated_amount.is_zero() {
            // Nothing of this payment became credit, so no credit moved: the figure its write
            // read stands (decision 0396).
            credit_before
        } else {
            uow.ledger().credit_available(posting.client_id)?
        };
        Ok(PaymentReceipt {
            allocation_state: AllocationState::of_target(target.as_ref()),
            target,
            credit_available,
            payment,
            outcomes: plan.outcomes,
        })
    }
}

/// A method a payment may be posted with: any but `operator_approval`.
pub(crate) fn parse_posted_method(value: &str) -> std::result::Result<PaymentMethod, String> {
    match PaymentMethod::parse(value.trim()) {
        Ok(PaymentMethod::OperatorApproval) => {
            Err("operator_approval is reserved for approve-paid".into())
        }
        Ok(method) => Ok(method),
        Err(_) => Err(format!(
            "unknown method `{}`; expected cash, card, transfer, agency or mobile_money",
            value.trim()
        )),
    }
}

pub(crate) fn parse_reference(value: Option<&str>) -> std::result::Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) if r.chars().count() > MAX_REFERENCE_CHARS => {
            Err(format!("must be at most {MAX_REFERENCE_CHARS} characters"))
        }
        Some(r) => {
            check_text(r, TextKind::Line)?;
            Ok(Some(r.to_owned()))
        }
    }
}

fn find_client(uow: &mut dyn UnitOfWork, client_id: &ClientId) -> Result<()> {
    if uow.clients().find(client_id)?.is_none() {
        return Err(Error::NotFound(Resource::Client));
    }
    Ok(())
}

/// The invoice a payment names must be its client's and open, judged under the lock of the
/// client's open invoices: a payment settling it meanwhile is seen, and money is never moved
/// silently to another invoice. Only an invoice not among them is read, to tell why.
fn check_named_invoice(
    uow: &mut dyn UnitOfWork,
    client_id: &ClientId,
    named: &InvoiceId,
    open: &[Invoice],
) -> Result<()> {
    if let Some(invoice) = open.iter().find(|i| &i.id == named) {
        if invoice.outstanding().is_zero() {
            return Err(Conflict::InvoiceNotOpen.into());
        }
        return Ok(());
    }
    if &find_invoice(uow, named)?.client_id != client_id {
        return Err(RuleViolation::InvoiceNotOwned.into());
    }
    Err(Conflict::InvoiceNotOpen.into())
}

fn find_invoice(uow: &mut dyn UnitOfWork, invoice_id: &InvoiceId) -> Result<Invoice> {
    uow.invoices()
        .find(invoice_id)?
        .ok_or(Error::NotFound(Resource::Invoice))
}
