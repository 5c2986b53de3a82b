//! Repository implementations on `PgTx`, one module per aggregate.

mod actors;
mod archive;
mod billing_late_usage;
mod billing_runs;
mod buyer;
mod clearances;
mod clients;
mod collections;
mod collections_sql;
mod contract_history;
mod contracts;
mod credit_notes;
mod drafts;
mod events;
pub mod explain;
mod exports;
mod exports_sql;
mod idempotency;
mod invoice_reads;
mod invoice_writes;
mod invoices;
mod ledger;
mod ledger_sql;
mod like;
mod offers;
mod otp_challenges;
mod payment_imports;
mod payments;
mod rate_limits;
mod retention;
mod sequences;
mod subscribers;
mod usage;
mod usage_ingest_sql;
mod webhooks;

// Contract tests of each repository against PostgreSQL (decision 0149).
#[cfg(test)]
mod actors_tests;
#[cfg(test)]
mod archive_tests;
#[cfg(test)]
mod billing_late_usage_tests;
#[cfg(test)]
mod billing_runs_tests;
#[cfg(test)]
mod clearances_tests;
#[cfg(test)]
mod clients_tests;
#[cfg(test)]
mod collections_tests;
#[cfg(test)]
mod contracts_tests;
#[cfg(test)]
mod credit_notes_tests;
#[cfg(test)]
mod drafts_tests;
#[cfg(test)]
mod dunning_batch_tests;
#[cfg(test)]
mod dunning_plans_tests;
#[cfg(test)]
mod events_tests;
#[cfg(test)]
mod exports_tests;
#[cfg(test)]
mod idempotency_tests;
#[cfg(test)]
mod invoice_settlement_tests;
#[cfg(test)]
mod invoice_writes_tests;
#[cfg(test)]
mod invoices_tests;
#[cfg(test)]
mod ledger_tests;
#[cfg(test)]
mod offers_tests;
#[cfg(test)]
mod otp_challenges_tests;
#[cfg(test)]
mod payment_imports_tests;
#[cfg(test)]
mod payments_tests;
#[cfg(test)]
mod prepared_tests;
#[cfg(test)]
mod rate_limits_tests;
#[cfg(test)]
mod sequences_tests;
#[cfg(test)]
mod subscribers_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod usage_integrity_tests;
#[cfg(test)]
mod usage_tests;
#[cfg(test)]
mod webhooks_tests;
