//! Repository implementations on `PgTx`, one module per aggregate.

mod actors;
mod billing_runs;
mod clients;
mod collections;
mod collections_sql;
mod contract_history;
mod contracts;
mod drafts;
pub mod explain;
mod idempotency;
#[cfg(test)]
mod invoice_integrity_tests;
#[cfg(test)]
mod invoice_settlement_tests;
mod invoice_writes;
mod invoices;
mod like;
mod offers;
mod otp_challenges;
mod payments;
mod rate_limits;
mod sequences;
mod subscribers;
