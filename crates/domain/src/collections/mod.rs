//! Payments, settlement, collection cases and dunning (P14, P15).

mod action;
mod allocation;
mod case;
mod case_holds;
mod case_service;
mod contract_effects;
mod dates;
mod dunning;
mod dunning_batch;
mod dunning_service;
mod hold;
mod payment;
pub(crate) mod payment_service;
mod ports;
pub mod schedule;
mod settlement;

pub use action::{
    parse_manual_action_type, CASE_OPENED, CASE_RESOLVED, MANUAL_ACTION_TYPES, PROMISE_TO_PAY,
    STATUS_CHANGED, SYSTEM_ACTOR,
};
pub use allocation::{allocate, AllocationPlan};
pub use case::{CaseAction, CaseStatus, CollectionCase, Promise};
pub use case_holds::ActionInput;
pub use case_service::CaseService;
pub use dunning::DunningStep;
pub use dunning_service::{DunningReport, DunningService};
pub use hold::{
    resume_shift, DisputeOutcome, PromiseOutcome, DISPUTE_CLOSED, DISPUTE_OPENED,
    MAX_DISPUTED_INVOICES, MAX_PROMISE_DAYS, PROMISE_BROKEN, PROMISE_KEPT, SETTLED_OUTCOME,
};
pub use payment::{
    Allocation, AllocationOutcome, AllocationState, Payment, PaymentMethod, PaymentReceipt,
};
pub use payment_service::{NewPayment, PaymentInput, PaymentService, MAX_REFERENCE_CHARS};
pub use ports::{
    Aging, CaseFilter, CollectionRepository, Overview, PaymentFilter, PaymentRepository,
};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockCollectionRepository, MockPaymentRepository};

#[cfg(test)]
mod dunning_batch_tests;
#[cfg(test)]
mod hold_tests;
#[cfg(test)]
mod service_tests;
