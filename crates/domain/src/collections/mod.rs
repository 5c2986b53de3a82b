//! Payments, settlement, collection cases and dunning (P14, P15).

mod case;
mod payment;
mod ports;

pub use case::{CaseAction, CaseStatus, CollectionCase};
pub use payment::{Allocation, Payment, PaymentMethod};
pub use ports::{CollectionRepository, PaymentRepository};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockCollectionRepository, MockPaymentRepository};
