//! `BillingRunRepository` on PostgreSQL.

use domain::error::{Error, Result};
use domain::billing::{BillingRunRepository, BillingRun};

use crate::tx::PgTx;

impl BillingRunRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<BillingRun>> {
        Err(Error::Storage("BillingRunRepository::find is not wired yet".into()))
    }
}
