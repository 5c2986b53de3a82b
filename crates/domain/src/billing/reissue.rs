//! The replacement of a rejected invoice (issue #18, decision 0315): once the tax authority
//! rejected an invoice and a credit note voided it, the same contract and month are invoiced
//! again under a new number, naming the invoice replaced.

use crate::billing::{Invoice, InvoiceService, InvoiceStatus, INVOICE_SEQUENCE};
use crate::einvoicing::{Clearance, ClearanceStatus, ClearedDocument, PendingClearance};
use crate::error::{Conflict, Error, Resource, Result};
use crate::events::{record, EventPayload, InvoiceAsOf};
use crate::ledger::apply_available_credit_to_clients;
use crate::money::Money;
use crate::numbering::format_number;
use crate::parties::BuyerIdentity;
use crate::tx::UnitOfWork;
use crate::typed_ids::InvoiceId;

/// Whether `invoice` may be replaced: rejected by the authority, voided by credit notes, and
/// not replaced yet (`replaced`), checked in that order.
pub fn ensure_replaceable(
    invoice: &Invoice,
    clearance: Option<&Clearance>,
    replaced: bool,
) -> Result<()> {
    if clearance.map(|c| c.status) != Some(ClearanceStatus::Rejected) {
        return Err(Conflict::InvoiceNotRejected.into());
    }
    if invoice.status != InvoiceStatus::Void {
        return Err(Conflict::InvoiceNotVoid.into());
    }
    if replaced {
        return Err(Conflict::InvoiceAlreadyReissued.into());
    }
    Ok(())
}

impl InvoiceService {
    /// Issues the replacement of the rejected, voided invoice `id` in `uow`'s transaction:
    /// its lines as stored (what was billed for that month does not change because a
    /// document was refused), the buyer and seller as they are today (a rejection is often
    /// about them, and the operator corrects them first), the next `FAC-` number, issued
    /// today with the original's payment term, waiting for clearance when e-invoicing is on.
    /// Records `invoice.issued` and applies the client's available credit to it. Returns the
    /// replacement as stored, with its clearance.
    pub fn reissue_in(
        &self,
        uow: &mut dyn UnitOfWork,
        id: &InvoiceId,
        actor_id: &str,
    ) -> Result<(Invoice, Option<Clearance>)> {
        // Two replacements at once wait here; the second then finds the first.
        let original = uow
            .invoices()
            .lock(id)?
            .ok_or(Error::NotFound(Resource::Invoice))?;
        let clearance = uow.clearances().find(id.as_str())?;
        let replaced = uow.invoices().replacement_of(id)?.is_some();
        ensure_replaceable(&original, clearance.as_ref(), replaced)?;

        let client = uow
            .clients()
            .find(&original.client_id)?
            .ok_or_else(|| Error::Storage(format!("client of invoice {id}")))?;
        let seller = uow.invoices().seller_identity(&self.settings.seller)?;
        let now = self.clock.now();
        let today = self.clock.today();
        let year = today.year();
        let number = uow.sequences().reserve(INVOICE_SEQUENCE, year, 1)?;
        let replacement = Invoice {
            id: InvoiceId::generate(self.ids.as_ref()),
            invoice_number: format_number(INVOICE_SEQUENCE, year, number),
            buyer: BuyerIdentity::of(&client),
            seller_id: seller,
            issue_date: today,
            due_date: today + (original.due_date - original.issue_date),
            status: InvoiceStatus::Issued,
            amount_paid: Money::ZERO,
            credited_amount: Money::ZERO,
            credit_note_ids: Vec::new(),
            replaces_invoice_id: Some(original.id.clone()),
            created_at: now,
            updated_at: now,
            ..original
        };
        uow.invoices()
            .insert_batch(std::slice::from_ref(&replacement))?;
        let clearance = if self.settings.einvoicing {
            let pending = PendingClearance {
                document: ClearedDocument::Invoice(replacement.id.clone()),
                number: replacement.invoice_number.clone(),
            };
            uow.clearances()
                .insert_pending(std::slice::from_ref(&pending), now)?;
            Some(Clearance::pending(&pending, now))
        } else {
            None
        };
        record(
            uow,
            self.ids.as_ref(),
            now,
            Some(actor_id),
            EventPayload::InvoiceIssued(InvoiceAsOf {
                invoice: replacement.clone(),
                today,
                clearance: clearance.clone(),
            }),
        )?;
        // Credit is used, never stranded (decision 0151), as on a billing run's invoices.
        let with_credit = uow
            .ledger()
            .clients_with_credit(std::slice::from_ref(&replacement.client_id))?;
        apply_available_credit_to_clients(uow, self.ids.as_ref(), &with_credit, now, actor_id)?;
        let stored = uow
            .invoices()
            .find(&replacement.id)?
            .ok_or_else(|| Error::Storage("replacement invoice vanished after insert".into()))?;
        let clearance = uow.clearances().find(stored.id.as_str())?;
        Ok((stored, clearance))
    }
}

#[cfg(test)]
#[path = "reissue_tests.rs"]
mod tests;
