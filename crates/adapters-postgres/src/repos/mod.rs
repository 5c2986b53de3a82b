//! Repository implementations on `PgTx`, one module per aggregate.

mod actors;
mod billing_runs;
mod clients;
mod collections;
mod contracts;
mod drafts;
mod idempotency;
mod invoice_writes;
mod invoices;
mod offers;
mod payments;
mod rate_limits;
mod sequences;
mod subscribers;
