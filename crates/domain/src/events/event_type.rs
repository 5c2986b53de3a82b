//! The event types: dot names, past tense, as the feed and webhooks publish them.

use std::fmt;

macro_rules! event_types {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// What happened. New features add their types with them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $($(#[$doc])* $variant,)*
        }

        impl EventType {
            /// Every type, in catalogue order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)*];

            /// The dot name (`contract.suspended`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)*
                }
            }

            /// The type of a dot name; `None` when unknown.
            pub fn parse(name: &str) -> Option<EventType> {
                match name {
                    $($name => Some(EventType::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

event_types! {
    /// A client was created.
    ClientCreated => "client.created",
    /// A client's master data changed.
    ClientUpdated => "client.updated",
    /// A contract was created (draft or provisioned).
    ContractCreated => "contract.created",
    /// A contract became active.
    ContractActivated => "contract.activated",
    /// A contract was suspended, by dunning or by hand: the line must be barred.
    ContractSuspended => "contract.suspended",
    /// A suspended contract was reactivated: the line must be opened again.
    ContractReactivated => "contract.reactivated",
    /// A contract was terminated.
    ContractTerminated => "contract.terminated",
    /// A contract moved to another offer.
    ContractOfferChanged => "contract.offer_changed",
    /// An invoice was issued.
    InvoiceIssued => "invoice.issued",
    /// An invoice became fully paid (payment or credit).
    InvoicePaid => "invoice.paid",
    /// An invoice was voided.
    InvoiceVoided => "invoice.voided",
    /// A credit note was issued.
    CreditNoteIssued => "credit_note.issued",
    /// A payment was recorded.
    PaymentReceived => "payment.received",
    /// A payment was reversed.
    PaymentReversed => "payment.reversed",
    /// Client credit was refunded.
    RefundIssued => "refund.issued",
    /// A collection case was opened.
    CollectionCaseOpened => "collection_case.opened",
    /// A collection case took a step (automatic dunning or by hand).
    CollectionCaseStepTaken => "collection_case.step_taken",
    /// A collection case was resolved.
    CollectionCaseResolved => "collection_case.resolved",
    /// A billing run finished.
    BillingRunCompleted => "billing_run.completed",
    /// The tax authority cleared an invoice: it may now be sent to the client (issue #18).
    InvoiceCleared => "invoice.cleared",
    /// The tax authority rejected an invoice: it is never offered; cancel and replace it.
    InvoiceRejected => "invoice.rejected",
    /// The tax authority cleared a credit note.
    CreditNoteCleared => "credit_note.cleared",
    /// The tax authority rejected a credit note.
    CreditNoteRejected => "credit_note.rejected",
    /// A contract's month of usage reached 80 % or 100 % of an allowance (issue #21).
    UsageThresholdReached => "usage.allowance_threshold_reached",
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_parses_back_from_its_name() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(EventType::ALL.len(), 24);
        assert_eq!(EventType::parse("contract.Suspended"), None);
    }
}
