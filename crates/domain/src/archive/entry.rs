//! What the archive stores: the head of each series and one entry per sealed document.

use time::{Date, OffsetDateTime};

use super::chain::Digest;

/// A document series, chained on its own (decision 0320).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Series {
    /// Invoices, in `FAC` number order.
    Invoices,
    /// Credit notes, in `AV` number order.
    CreditNotes,
    /// Contract documents (one per contract version), in the order they were produced.
    ContractDocuments,
}

impl Series {
    /// Every series, in the order verification reports them.
    pub const ALL: [Series; 3] = [
        Series::Invoices,
        Series::CreditNotes,
        Series::ContractDocuments,
    ];

    /// Stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Series::Invoices => "invoices",
            Series::CreditNotes => "credit_notes",
            Series::ContractDocuments => "contract_documents",
        }
    }

    /// The series with this stored name.
    pub fn parse(name: &str) -> Option<Series> {
        Series::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The gapless number sequence the series follows; `None` for contract documents,
    /// whose versions have no number of their own.
    pub fn sequence(self) -> Option<&'static str> {
        match self {
            Series::Invoices => Some(crate::billing::INVOICE_SEQUENCE),
            Series::CreditNotes => Some(crate::credit_notes::CREDIT_NOTE_SEQUENCE),
            Series::ContractDocuments => None,
        }
    }

    /// Whether its documents have a UBL form (contract documents are PDF only).
    pub fn has_ubl(self) -> bool {
        !matches!(self, Series::ContractDocuments)
    }
}

/// Which document an entry seals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRef {
    /// Its series.
    pub series: Series,
    /// The invoice, credit note or contract id.
    pub document_id: String,
    /// The contract document's version; 1 for invoices and credit notes.
    pub version: i32,
    /// Legal number (`FAC-2026-000001`; the contract's number for a contract document).
    pub number: String,
}

impl DocumentRef {
    /// What the chain hash covers besides the document hashes: the number, and for a
    /// contract document its version (`CTR-2026-000001/2`).
    pub fn label(&self) -> String {
        match self.series {
            Series::ContractDocuments => format!("{}/{}", self.number, self.version),
            Series::Invoices | Series::CreditNotes => self.number.clone(),
        }
    }
}

/// An issued document not sealed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDocument {
    /// The document.
    pub document: DocumentRef,
    /// Its issue date (a contract document: the day it was produced).
    pub issued_on: Date,
}

/// The last sealed document of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The series.
    pub series: Series,
    /// Position of the last sealed document (1-based); 0 before the first.
    pub position: i64,
    /// Its number; `None` before the first.
    pub last_number: Option<String>,
    /// Its chain hash; `None` before the first.
    pub chain: Option<Digest>,
}

/// One sealed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveEntry {
    /// The document.
    pub document: DocumentRef,
    /// Position in its series, from 1, without gaps.
    pub position: i64,
    /// Issue date.
    pub issued_on: Date,
    /// SHA-256 of the stored PDF.
    pub pdf_sha256: Digest,
    /// SHA-256 of the UBL; `None` for contract documents.
    pub ubl_sha256: Option<Digest>,
    /// The chain hash.
    pub chain_sha256: Digest,
    /// When it was sealed.
    pub sealed_at: OffsetDateTime,
}
