//! How a use case records its events: through its unit of work, so they commit with it.

use time::{Date, OffsetDateTime};

use super::{EventPayload, InvoiceAsOf, LineChange, LineChangeReason, NewEvent};
use crate::billing::{Invoice, InvoiceStatus};
use crate::clients::get_subscriber_in;
use crate::contracts::Contract;
use crate::error::Result;
use crate::ids::IdGenerator;
use crate::tx::UnitOfWork;
use crate::typed_ids::InvoiceId;

/// Records one event in the transaction of `uow`.
pub fn record(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    occurred_at: OffsetDateTime,
    actor_id: Option<&str>,
    payload: EventPayload,
) -> Result<()> {
    uow.events()
        .append(&[NewEvent::new(ids, occurred_at, actor_id, payload)])
}

/// Records several events at once (one write for a whole billing batch).
pub fn record_all(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    occurred_at: OffsetDateTime,
    actor_id: Option<&str>,
    payloads: impl IntoIterator<Item = EventPayload>,
) -> Result<()> {
    let events: Vec<NewEvent> = payloads
        .into_iter()
        .map(|payload| NewEvent::new(ids, occurred_at, actor_id, payload))
        .collect();
    if events.is_empty() {
        return Ok(());
    }
    uow.events().append(&events)
}

/// Records `invoice.paid` for each invoice of `after` that became paid, and `invoice.voided`
/// for each that became void, compared with its status in `before` (an invoice missing from
/// `before` counts as unpaid). Called wherever settlements are saved, so every path that
/// pays or voids an invoice (payment, credit, credit note) tells it once.
pub fn record_settlements(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    at: (OffsetDateTime, Date),
    actor_id: Option<&str>,
    before: &[(InvoiceId, InvoiceStatus)],
    after: &[Invoice],
) -> Result<()> {
    let (occurred_at, today) = at;
    let payloads = settlement_payloads(today, before, after);
    record_all(uow, ids, occurred_at, actor_id, payloads)
}

/// The events [`record_settlements`] records, for a caller that writes them together with
/// its own in one append.
pub fn settlement_payloads(
    today: Date,
    before: &[(InvoiceId, InvoiceStatus)],
    after: &[Invoice],
) -> Vec<EventPayload> {
    after
        .iter()
        .filter_map(|invoice| {
            let was = before
                .iter()
                .find(|(id, _)| *id == invoice.id)
                .map(|(_, status)| *status);
            if was == Some(invoice.status) {
                return None;
            }
            // Without the clearance: it would cost a read on every payment's write path.
            let of = || InvoiceAsOf {
                invoice: invoice.clone(),
                today,
                clearance: None,
            };
            match invoice.status {
                InvoiceStatus::Paid => Some(EventPayload::InvoicePaid(of())),
                InvoiceStatus::Void => Some(EventPayload::InvoiceVoided(of())),
                InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid => None,
            }
        })
        .collect()
}

/// The statuses of `invoices`, to compare with after a settlement.
pub fn statuses(invoices: &[Invoice]) -> Vec<(InvoiceId, InvoiceStatus)> {
    invoices.iter().map(|i| (i.id.clone(), i.status)).collect()
}

/// Records `contract.suspended` or `contract.reactivated` for `contract` (already saved),
/// with its line, read in the same transaction.
pub fn record_line_change(
    uow: &mut dyn UnitOfWork,
    ids: &dyn IdGenerator,
    occurred_at: OffsetDateTime,
    actor_id: Option<&str>,
    change: (&Contract, LineChangeReason, bool),
) -> Result<()> {
    let (contract, reason, suspended) = change;
    let subscriber = get_subscriber_in(uow, &contract.subscriber_id)?;
    let line = LineChange {
        contract: contract.clone(),
        reason,
        subscriber,
    };
    let payload = if suspended {
        EventPayload::ContractSuspended(line)
    } else {
        EventPayload::ContractReactivated(line)
    };
    record(uow, ids, occurred_at, actor_id, payload)
}
