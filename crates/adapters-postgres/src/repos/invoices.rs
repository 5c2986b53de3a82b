//! `InvoiceRepository` on PostgreSQL.

use domain::billing::{Invoice, InvoiceRepository};
use domain::error::{Error, Result};

use crate::tx::PgTx;

impl InvoiceRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<Invoice>> {
        Err(Error::Storage(
            "InvoiceRepository::find is not wired yet".into(),
        ))
    }
}
