//! Contracts: provisioning, lifecycle, offer history, audit and documents (P4–P6).

mod audit;
mod backdated;
mod commands;
mod contract;
mod lifecycle;
mod offer_change;
mod paperwork;
mod ports;
mod provision;
mod regularisation;
mod service;
#[cfg(test)]
mod service_tests;
mod status;

pub use audit::{contract_snapshot, fields, AuditAction, AuditEntry, Fields};
pub use backdated::{ChangeKind, ContractChanged, Regularisation};
pub use commands::{
    parse_date, ContractFilter, NewContract, OfferChange, ProvisionContract, ProvisionedContract,
    ProvisioningIntent, StatusChange, UpdateOffer, UpdateStatus,
};
pub use contract::{commitment_end_date, Contract, OfferPeriod};
pub use ports::ContractRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockContractRepository;
pub use provision::CONTRACT_NUMBER_PREFIX;
pub use regularisation::{correction, french_date, InvoiceCorrection};
pub use service::ContractService;
pub use status::ContractStatus;
