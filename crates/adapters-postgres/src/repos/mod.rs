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
mod invoice_writes;
mod invoices;
mod like;
mod offers;
mod otp_challenges;
mod payments;
mod rate_limits;
mod retention;
mod sequences;
mod subscribers;
