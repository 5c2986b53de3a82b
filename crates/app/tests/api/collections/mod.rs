//! P14–P15: payments, settlement, dunning, collection cases and the overview.

mod access;
mod balance;
mod cases;
mod disputes;
mod dunning;
mod dunning_batches;
mod dunning_schedule;
pub mod fixtures;
mod import_fixtures;
mod ledger_credit;
pub mod ledger_fixtures;
mod ledger_p14;
mod overview;
mod path_ids;
mod payment_imports;
mod payment_imports_guards;
mod payment_list;
mod payments;
mod promises;
mod refunds;
mod reversals;
mod scale;
mod settlement;
mod statement;
mod unidentified;
