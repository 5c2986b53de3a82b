//! Contracts: provisioning, lifecycle, offer history, audit and documents (P4–P6).

mod audit;
mod contract;
mod ports;
mod status;

pub use audit::{AuditEntry, Fields};
pub use contract::{commitment_end_date, Contract, OfferPeriod};
pub use ports::ContractRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockContractRepository;
pub use status::ContractStatus;
