//! `BillingRunRepository` on PostgreSQL.

use domain::billing::{BillingRun, BillingRunRepository};
use domain::error::{Error, Result};

use crate::tx::PgTx;

impl BillingRunRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<BillingRun>> {
        Err(Error::Storage(
            "BillingRunRepository::find is not wired yet".into(),
        ))
    }
}
