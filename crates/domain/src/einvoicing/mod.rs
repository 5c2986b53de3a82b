//! Moroccan e-invoicing (CGI art. 145): invoices and credit notes as standard documents, and
//! their clearance by the tax authority (DGI) behind the [`TaxAuthority`] port before they
//! are offered.

mod authority;
mod clearance;
mod ports;
mod service;
#[cfg(test)]
mod service_tests;
mod settings;
pub mod ubl;
mod worker;

#[cfg(any(test, feature = "mocks"))]
pub use authority::MockTaxAuthority;
pub use authority::{Submission, TaxAuthority, Verdict};
pub use clearance::{
    ClaimedClearance, Clearance, ClearanceOutcome, ClearanceStatus, ClearanceSummary,
    ClearedDocument, DocumentKind, LastError, OldestPending, PendingClearance,
};
pub use ports::ClearanceRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockClearanceRepository;
pub use service::{
    clearance_statuses, ensure_cleared, is_offered, seal_when, stamp_of, ClearanceService, SealWhen,
};
pub use settings::ClearanceSettings;
#[cfg(any(test, feature = "mocks"))]
pub use ubl::MockUblRenderer;
pub use ubl::UblRenderer;
pub use worker::ClearanceWorker;
