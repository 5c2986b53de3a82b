//! Ports of the billing module.

use super::{BillingRun, Invoice};
use crate::error::Result;

/// Storage of billing runs and the bulk writes of invoices.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait BillingRunRepository {
    /// The run with this id.
    fn find(&mut self, id: &str) -> Result<Option<BillingRun>>;
}

/// Storage of invoices.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait InvoiceRepository {
    /// The invoice with this id, with its lines.
    fn find(&mut self, id: &str) -> Result<Option<Invoice>>;
}
