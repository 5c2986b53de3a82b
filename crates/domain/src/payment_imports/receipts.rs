//! Use cases of unidentified money: list the receipts, assign one to its client.

use super::{PaymentImportService, ReceiptAssignment, ReceiptFilter, UnidentifiedReceipt};
use crate::collections::{NewPayment, PaymentMethod, PaymentReceipt};
use crate::error::{Conflict, Error, Resource, Result};
use crate::page::{Page, PageRequest};
use crate::tx::{read, UnitOfWork};
use crate::typed_ids::{ClientId, InvoiceId, ReceiptId};

/// `POST /collections/unidentified/{id}/assign`, unvalidated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignInput {
    /// The client the money belongs to (`cli_…`).
    pub client_id: String,
    /// An invoice of that client to pay first (`inv_…`).
    pub invoice_id: Option<String>,
}

/// A receipt assigned, and the payment it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignedReceipt {
    /// The receipt, now assigned.
    pub receipt: UnidentifiedReceipt,
    /// The payment posted for it, with its allocations.
    pub payment: PaymentReceipt,
}

impl PaymentImportService {
    /// Posts a receipt as the client's payment with the usual allocation, inside an existing
    /// unit of work. `NotFound` for an unknown receipt, client or invoice (a malformed id
    /// reads as unknown); `Conflict::ReceiptAlreadyAssigned` for a receipt already posted;
    /// the payment's own guards (`InvoiceNotOwned`, `InvoiceNotOpen`) otherwise.
    pub fn assign_in(
        &self,
        uow: &mut dyn UnitOfWork,
        receipt_id: &ReceiptId,
        input: &AssignInput,
        actor_id: &str,
    ) -> Result<AssignedReceipt> {
        let mut receipt = uow
            .payment_imports()
            .lock_receipt(receipt_id)?
            .ok_or(Error::NotFound(Resource::UnidentifiedReceipt))?;
        if receipt.assignment.is_some() {
            return Err(Conflict::ReceiptAlreadyAssigned.into());
        }
        let client_id =
            ClientId::parse(&input.client_id).map_err(|_| Error::NotFound(Resource::Client))?;
        let invoice_id = input
            .invoice_id
            .as_deref()
            .map(InvoiceId::parse)
            .transpose()
            .map_err(|_| Error::NotFound(Resource::Invoice))?;
        let command = NewPayment {
            client_id,
            amount: receipt.amount,
            method: PaymentMethod::Transfer,
            reference: Some(receipt.reference.clone()),
            received_at: receipt.received_at,
            invoice_id,
        };
        let payment = self.payments.post_command_in(uow, &command, actor_id)?;
        let now = self.clock.now();
        receipt.assignment = Some(ReceiptAssignment {
            client_id: command.client_id,
            payment_id: payment.payment.id.clone(),
            actor_id: actor_id.to_owned(),
            at: now,
        });
        receipt.updated_at = now;
        uow.payment_imports().save_assignment(&receipt)?;
        Ok(AssignedReceipt { receipt, payment })
    }

    /// The receipt with this id.
    pub fn find_receipt(&self, id: &ReceiptId) -> Result<UnidentifiedReceipt> {
        read(self.tx.as_ref(), |uow| {
            uow.payment_imports().find_receipt(id)
        })?
        .ok_or(Error::NotFound(Resource::UnidentifiedReceipt))
    }

    /// One page of the receipts matching `filter`, by id.
    pub fn list_receipts(
        &self,
        filter: &ReceiptFilter,
        page: &PageRequest,
    ) -> Result<Page<UnidentifiedReceipt>> {
        let rows = read(self.tx.as_ref(), |uow| {
            uow.payment_imports().list_receipts(filter, page)
        })?;
        Ok(Page::from_fetched(rows, page, |r| r.id.as_str()))
    }
}
