//! `InvoiceRepository` on PostgreSQL.

use domain::error::{Error, Result};
use domain::billing::{InvoiceRepository, Invoice};

use crate::tx::PgTx;

impl InvoiceRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<Invoice>> {
        Err(Error::Storage("InvoiceRepository::find is not wired yet".into()))
    }
}
