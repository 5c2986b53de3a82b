//! Diesel row types and their conversion to and from domain entities. A row that no longer
//! parses into its entity is a storage fault (`Error::Storage`), never a client error.

pub mod actor;
pub mod archive;
pub mod billing;
pub mod billing_candidate;
pub mod clearance;
pub mod client;
pub mod collection_case;
pub mod collections_figures;
pub mod contract;
pub mod credit_note;
pub mod draft;
pub mod event;
pub mod export;
pub mod idempotency;
pub mod invoice_copy;
pub mod ledger;
pub mod offer;
pub mod otp_challenge;
pub mod payment;
pub mod payment_import;
pub mod pending_charge;
pub mod scalar;
pub mod seller_identity;
pub mod subscriber;
pub mod usage;
pub mod usage_terms;
pub mod webhook;

use domain::error::Error;

/// Maps a value-object parse failure of stored data to a storage error.
pub(crate) fn corrupt(table: &str, id: &str, message: String) -> Error {
    Error::Storage(format!("{table} {id}: stored value invalid: {message}"))
}
