//! The ledger (decision 0151): client credit held by its source documents, applied to open
//! invoices, refunded, or taken back by a payment reversal; and the client's balance and
//! statement that follow from the documents.

mod apply;
mod audit;
mod balance;
mod movements;
mod ports;
mod service;
mod source;

pub use apply::{apply_available_credit, apply_available_credit_to_clients, plan_applications};
pub use audit::{LedgerAction, LedgerAuditEntry};
pub use balance::{build_statement, Balance, EntryKind, Movement, Statement, StatementLine};
pub use movements::{
    consume_oldest_first, LockedPayment, PaymentReversal, Refund, RefundReceipt, Reopened,
    ReversalReceipt,
};
pub use ports::LedgerRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockLedgerRepository;
pub use service::{LedgerService, RefundInput, ReversalInput};
pub use source::{CreditApplication, CreditSource, SourceRef};

#[cfg(test)]
mod apply_tests;
#[cfg(test)]
mod service_tests;
