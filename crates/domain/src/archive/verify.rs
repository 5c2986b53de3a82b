//! Verification: recomputes the document hashes and the chain over a range of issue dates
//! and reports the first break of each series (decision 0323).

use super::chain::{link, sha256, Digest, GENESIS};
use super::entry::{ArchiveEntry, DocumentRef, Series};
use super::service::ArchiveService;
use crate::error::Result;
use crate::exports::DateRange;
use crate::tx::{read, UnitOfWork};

/// Entries read per statement.
const PAGE: usize = 200;

/// What did not match at a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mismatch {
    /// The entry before it is gone: the chain lost a document.
    MissingEntry,
    /// The document sealed is gone.
    MissingDocument,
    /// The document's number is not the one sealed.
    Number,
    /// Its stored PDF is gone.
    MissingPdf,
    /// The stored PDF's hash is not the one sealed.
    PdfHash,
    /// A fresh UBL render's hash is not the one sealed: the stored document changed.
    UblHash,
    /// The chain hash does not follow from the previous one and the document's hashes.
    ChainHash,
}

impl Mismatch {
    /// API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mismatch::MissingEntry => "missing_entry",
            Mismatch::MissingDocument => "missing_document",
            Mismatch::Number => "number",
            Mismatch::MissingPdf => "missing_pdf",
            Mismatch::PdfHash => "pdf_hash",
            Mismatch::UblHash => "ubl_hash",
            Mismatch::ChainHash => "chain_hash",
        }
    }
}

/// The first break of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The document where the chain breaks.
    pub document: DocumentRef,
    /// Its position in the series.
    pub position: i64,
    /// What did not match.
    pub mismatch: Mismatch,
    /// What the archive sealed (a hash in hex, or a number), when it applies.
    pub sealed: Option<String>,
    /// What was found instead, when it applies.
    pub found: Option<String>,
}

/// The verification of one series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// The series.
    pub series: Series,
    /// Documents checked (up to and including the first break).
    pub checked: usize,
    /// The first break, if any.
    pub first_break: Option<Break>,
}

/// The verification of every series over a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The range checked.
    pub range: DateRange,
    /// One report per series, in [`Series::ALL`] order.
    pub chains: Vec<ChainReport>,
}

impl Verification {
    /// Whether no series broke.
    pub fn intact(&self) -> bool {
        self.chains.iter().all(|c| c.first_break.is_none())
    }
}

/// Lower-case hex of a hash.
pub fn hex(digest: &Digest) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl ArchiveService {
    /// Verifies every series over `range`. Reads outside a transaction, one page of entries
    /// at a time: sealed entries never change, and a document sealed meanwhile is simply
    /// checked or not.
    pub fn verify(&self, range: DateRange) -> Result<Verification> {
        let mut chains = Vec::with_capacity(Series::ALL.len());
        for series in Series::ALL {
            chains.push(self.verify_series(series, &range)?);
        }
        Ok(Verification { range, chains })
    }

    fn verify_series(&self, series: Series, range: &DateRange) -> Result<ChainReport> {
        let mut report = ChainReport {
            series,
            checked: 0,
            first_break: None,
        };
        // Position and chain hash of the entry checked last.
        let mut previous: Option<(i64, Digest)> = None;
        loop {
            let after = previous.map_or(0, |(position, _)| position);
            let found = read(self.tx.as_ref(), |uow| {
                let entries =
                    uow.archive()
                        .entries(series, range.from(), range.to(), after, PAGE)?;
                let mut last = previous;
                let mut checked = 0;
                for entry in &entries {
                    checked += 1;
                    if let Some(broken) = self.check(uow, entry, last)? {
                        return Ok((entries.len(), checked, last, Some(broken)));
                    }
                    last = Some((entry.position, entry.chain_sha256));
                }
                Ok((entries.len(), checked, last, None))
            })?;
            let (read_count, checked, last, broken) = found;
            report.checked += checked;
            if broken.is_some() {
                report.first_break = broken;
                return Ok(report);
            }
            if read_count < PAGE {
                return Ok(report);
            }
            previous = last;
        }
    }

    /// The first mismatch of `entry`, given the entry checked just before it, if any.
    fn check(
        &self,
        uow: &mut dyn UnitOfWork,
        entry: &ArchiveEntry,
        previous: Option<(i64, Digest)>,
    ) -> Result<Option<Break>> {
        let at = |mismatch, sealed: Option<String>, found: Option<String>| {
            Some(Break {
                document: entry.document.clone(),
                position: entry.position,
                mismatch,
                sealed,
                found,
            })
        };
        let previous_chain = match previous {
            Some((position, chain)) if position + 1 == entry.position => chain,
            _ if entry.position == 1 => GENESIS,
            // The range starts here, or the dates of the series are not in position order:
            // the entry before is the anchor.
            _ => match uow
                .archive()
                .entry_at(entry.document.series, entry.position - 1)?
            {
                Some(before) => before.chain_sha256,
                None => return Ok(at(Mismatch::MissingEntry, None, None)),
            },
        };
        match uow.archive().current_number(&entry.document)? {
            None => return Ok(at(Mismatch::MissingDocument, None, None)),
            Some(number) if number != entry.document.number => {
                return Ok(at(
                    Mismatch::Number,
                    Some(entry.document.number.clone()),
                    Some(number),
                ))
            }
            Some(_) => {}
        }
        let Some(pdf) = self.stored_pdf(uow, &entry.document)? else {
            return Ok(at(Mismatch::MissingPdf, None, None));
        };
        let pdf_sha256 = sha256(&pdf);
        if pdf_sha256 != entry.pdf_sha256 {
            return Ok(at(
                Mismatch::PdfHash,
                Some(hex(&entry.pdf_sha256)),
                Some(hex(&pdf_sha256)),
            ));
        }
        let ubl_sha256 = self
            .fresh_ubl(uow, &entry.document)?
            .map(|ubl| sha256(&ubl));
        if ubl_sha256 != entry.ubl_sha256 {
            return Ok(at(
                Mismatch::UblHash,
                entry.ubl_sha256.as_ref().map(hex),
                ubl_sha256.as_ref().map(hex),
            ));
        }
        let chain = link(
            &previous_chain,
            &pdf_sha256,
            ubl_sha256.as_ref(),
            &entry.document.label(),
        );
        if chain != entry.chain_sha256 {
            return Ok(at(
                Mismatch::ChainHash,
                Some(hex(&entry.chain_sha256)),
                Some(hex(&chain)),
            ));
        }
        Ok(None)
    }
}
