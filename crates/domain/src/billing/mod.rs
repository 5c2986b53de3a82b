//! Monthly billing runs and invoices (P11–P13): the pure billing engine, runs in batches
//! under one idempotency key, invoice reads, PDFs and the client self-service.

mod batch;
mod command;
mod document;
mod engine;
#[cfg(any(test, feature = "mocks"))]
pub mod golden;
mod invoice;
mod invoice_id_list;
mod invoices;
mod late_usage;
mod pending_charge;
mod period;
mod ports;
mod run;
mod runs;

pub use batch::INVOICE_SEQUENCE;
pub use command::{parse_date, RunPlan, RunRequest, ISSUE_GRACE_DAYS, MAX_DUE_IN_DAYS};
pub use document::{invoice_document, tax_by_rate, usage_block};
pub(crate) use engine::billed_days;
pub use engine::{bill, bill_account, service_end, BillableContract, InvoiceDraft, NamedPeriod};
pub use invoice::{Invoice, InvoiceLine, InvoiceStatus, InvoiceUsage, LineUsage};
pub use invoice_id_list::InvoiceIdList;
pub use invoices::{ClientInvoice, InvoiceService};
pub use late_usage::LateMonth;
pub use pending_charge::PendingCharge;
pub use period::Period;
pub use ports::{
    BatchQuery, BillingRunRepository, Candidate, InvoiceFilter, InvoiceParties, InvoiceRepository,
    RunKey, RunProgress,
};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockBillingRunRepository, MockInvoiceRepository};
pub use run::{BillingRun, BillingRunStatus};
pub use runs::{BillingService, RunReport};
