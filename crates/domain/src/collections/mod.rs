//! Payments, settlement, collection cases and dunning (P14, P15).

mod action;
mod allocation;
mod case;
mod case_service;
mod contract_effects;
mod dates;
mod dunning;
mod dunning_service;
mod payment;
pub(crate) mod payment_service;
mod ports;
pub mod schedule;
mod settlement;

pub use action::{
    parse_manual_action_type, CASE_OPENED, CASE_RESOLVED, MANUAL_ACTION_TYPES, STATUS_CHANGED,
    SYSTEM_ACTOR,
};
pub use allocation::{allocate, AllocationPlan};
pub use case::{CaseAction, CaseStatus, CollectionCase};
pub use case_service::CaseService;
pub use dunning::DunningStep;
pub use dunning_service::{DunningReport, DunningService};
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
mod service_tests;
