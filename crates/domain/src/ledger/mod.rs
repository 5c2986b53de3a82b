//! The ledger (decision 0151): client credit held by its source documents, applied to open
//! invoices, refunded, or taken back by a payment reversal; and the client's balance and
//! statement that follow from the documents.

mod apply;
mod audit;
mod ports;
mod source;

pub use apply::{apply_available_credit, apply_available_credit_to_clients, plan_applications};
pub use audit::{LedgerAction, LedgerAuditEntry};
pub use ports::LedgerRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockLedgerRepository;
pub use source::{CreditApplication, CreditSource, SourceRef};

#[cfg(test)]
mod apply_tests;
