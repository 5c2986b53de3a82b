//! `CollectionRepository` on PostgreSQL.

use domain::collections::{CollectionCase, CollectionRepository};
use domain::error::{Error, Result};

use crate::tx::PgTx;

impl CollectionRepository for PgTx<'_> {
    fn find(&mut self, _id: &str) -> Result<Option<CollectionCase>> {
        Err(Error::Storage(
            "CollectionRepository::find is not wired yet".into(),
        ))
    }
}
