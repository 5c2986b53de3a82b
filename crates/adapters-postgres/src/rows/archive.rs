//! `archive_heads` and `archive_entries` rows.

use diesel::prelude::*;
use diesel::sql_types::{Date as SqlDate, Int4, Text};
use domain::archive::{ArchiveEntry, ChainHead, Digest, DocumentRef, PendingDocument, Series};
use domain::error::Result;
use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::schema::{archive_entries, archive_heads};

fn series_of(table: &str, key: &str, name: &str) -> Result<Series> {
    Series::parse(name).ok_or_else(|| corrupt(table, key, format!("unknown series `{name}`")))
}

fn digest_of(table: &str, key: &str, bytes: Vec<u8>) -> Result<Digest> {
    Digest::try_from(bytes.as_slice())
        .map_err(|_| corrupt(table, key, format!("hash of {} bytes", bytes.len())))
}

/// A row of `archive_heads`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = archive_heads)]
pub struct HeadRow {
    pub series: String,
    pub position: i64,
    pub last_number: Option<String>,
    pub chain_sha256: Option<Vec<u8>>,
}

impl HeadRow {
    /// The head this row holds.
    pub fn into_domain(self) -> Result<ChainHead> {
        let series = series_of("archive_heads", &self.series, &self.series)?;
        let chain = self
            .chain_sha256
            .map(|bytes| digest_of("archive_heads", &self.series, bytes))
            .transpose()?;
        Ok(ChainHead {
            series,
            position: self.position,
            last_number: self.last_number,
            chain,
        })
    }
}

/// A row of `archive_entries`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = archive_entries)]
pub struct EntryRow {
    pub series: String,
    pub position: i64,
    pub document_id: String,
    pub version: i32,
    pub number: String,
    pub issued_on: Date,
    pub pdf_sha256: Vec<u8>,
    pub ubl_sha256: Option<Vec<u8>>,
    pub chain_sha256: Vec<u8>,
    pub sealed_at: OffsetDateTime,
}

impl EntryRow {
    /// The row of an entry.
    pub fn from_domain(entry: &ArchiveEntry) -> Self {
        EntryRow {
            series: entry.document.series.as_str().to_owned(),
            position: entry.position,
            document_id: entry.document.document_id.clone(),
            version: entry.document.version,
            number: entry.document.number.clone(),
            issued_on: entry.issued_on,
            pdf_sha256: entry.pdf_sha256.to_vec(),
            ubl_sha256: entry.ubl_sha256.map(|d| d.to_vec()),
            chain_sha256: entry.chain_sha256.to_vec(),
            sealed_at: entry.sealed_at,
        }
    }

    /// The entry this row holds.
    pub fn into_domain(self) -> Result<ArchiveEntry> {
        let key = format!("{}/{}", self.series, self.position);
        let series = series_of("archive_entries", &key, &self.series)?;
        Ok(ArchiveEntry {
            document: DocumentRef {
                series,
                document_id: self.document_id,
                version: self.version,
                number: self.number,
            },
            position: self.position,
            issued_on: self.issued_on,
            pdf_sha256: digest_of("archive_entries", &key, self.pdf_sha256)?,
            ubl_sha256: self
                .ubl_sha256
                .map(|bytes| digest_of("archive_entries", &key, bytes))
                .transpose()?,
            chain_sha256: digest_of("archive_entries", &key, self.chain_sha256)?,
            sealed_at: self.sealed_at,
        })
    }
}

/// An issued document not sealed yet, as the sealer's queries return it.
#[derive(Debug, Clone, QueryableByName)]
pub struct PendingRow {
    #[diesel(sql_type = Text)]
    pub document_id: String,
    #[diesel(sql_type = Int4)]
    pub version: i32,
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = SqlDate)]
    pub issued_on: Date,
}

impl PendingRow {
    /// The pending document of `series` this row names.
    pub fn into_domain(self, series: Series) -> PendingDocument {
        PendingDocument {
            document: DocumentRef {
                series,
                document_id: self.document_id,
                version: self.version,
                number: self.number,
            },
            issued_on: self.issued_on,
        }
    }
}

/// A year of a number sequence.
#[derive(QueryableByName)]
pub(crate) struct YearRow {
    #[diesel(sql_type = Int4)]
    pub year: i32,
}

/// The last number reserved in a sequence's year.
#[derive(QueryableByName)]
pub(crate) struct SequenceValueRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub last_value: i64,
}
