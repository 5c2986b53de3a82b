//! `PaymentRepository` on PostgreSQL.

use domain::collections::{Payment, PaymentRepository};
use domain::error::{Error, Result};

use crate::tx::PgTx;

impl PaymentRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<Payment>> {
        Err(Error::Storage(
            "PaymentRepository::find is not wired yet".into(),
        ))
    }
}
