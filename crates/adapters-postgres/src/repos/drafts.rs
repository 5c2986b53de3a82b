//! `DraftRepository` on PostgreSQL.

use domain::error::{Error, Result};
use domain::landing::{Draft, DraftRepository};

use crate::tx::PgTx;

impl DraftRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<Draft>> {
        Err(Error::Storage(
            "DraftRepository::find is not wired yet".into(),
        ))
    }
}
