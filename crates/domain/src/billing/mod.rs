//! Monthly billing runs and invoices (P11–P13).

mod invoice;
mod period;
mod ports;
mod run;

pub use invoice::{Invoice, InvoiceLine, InvoiceStatus};
pub use period::Period;
pub use ports::{BillingRunRepository, InvoiceRepository};
#[cfg(any(test, feature = "mocks"))]
pub use ports::{MockBillingRunRepository, MockInvoiceRepository};
pub use run::{BillingRun, BillingRunStatus};
