//! The sealer: documents of a series are sealed strictly in their order (decision 0322).

use super::chain::{link, sha256, GENESIS};
use super::entry::{ArchiveEntry, ChainHead, PendingDocument, Series};
use super::service::ArchiveService;
use crate::einvoicing::{seal_when, SealWhen};
use crate::error::Result;
use crate::numbering::format_number;
use crate::tx::{transaction, UnitOfWork};

impl ArchiveService {
    /// Seals at most `limit` documents of each series, one transaction per series; the
    /// number sealed. A series another instance is sealing is skipped. Nothing is started
    /// while a billing run is in progress: rendering PDFs would take the cores the run bills
    /// on; the documents wait, in order, and the next pass after the run seals them
    /// (decision 0325).
    pub fn seal(&self, limit: usize) -> Result<usize> {
        let mut sealed = 0;
        for series in Series::ALL {
            // Checked before each batch, in its own short transaction, so a run that starts
            // meanwhile waits for one batch at most and never for the check.
            if transaction(self.tx.as_ref(), |uow| {
                uow.archive().billing_run_in_progress()
            })? {
                break;
            }
            sealed += self.seal_series(series, limit)?;
        }
        Ok(sealed)
    }

    /// Seals at most `limit` documents of `series` in one transaction.
    pub fn seal_series(&self, series: Series, limit: usize) -> Result<usize> {
        transaction(self.tx.as_ref(), |uow| {
            let Some(mut head) = uow.archive().lock_head(series)? else {
                return Ok(0);
            };
            let pending = match series.sequence() {
                Some(sequence) => next_numbered(uow, series, sequence, &head, limit)?,
                None => uow.archive().unsealed_contract_documents(limit)?,
            };
            if pending.is_empty() {
                return Ok(0);
            }
            let sealed_at = self.clock.now();
            let mut entries = Vec::with_capacity(pending.len());
            for PendingDocument {
                document,
                issued_on,
            } in pending
            {
                // With e-invoicing on, a document is sealed once its clearance is final, so the
                // PDF sealed is the one that prints the clearance (decision 0324).
                let stamp = match document.series {
                    Series::ContractDocuments => None,
                    _ => match seal_when(uow, &self.settings, &document.document_id)? {
                        SealWhen::Now(stamp) => stamp,
                        SealWhen::Wait => break,
                    },
                };
                let pdf_sha256 = sha256(&self.served_pdf(uow, &document, stamp.as_ref())?);
                let ubl_sha256 = self.fresh_ubl(uow, &document)?.map(|ubl| sha256(&ubl));
                let previous = head.chain.unwrap_or(GENESIS);
                let chain_sha256 = link(
                    &previous,
                    &pdf_sha256,
                    ubl_sha256.as_ref(),
                    &document.label(),
                );
                head.position += 1;
                head.chain = Some(chain_sha256);
                head.last_number = Some(document.number.clone());
                entries.push(ArchiveEntry {
                    document,
                    position: head.position,
                    issued_on,
                    pdf_sha256,
                    ubl_sha256,
                    chain_sha256,
                    sealed_at,
                });
            }
            if entries.is_empty() {
                return Ok(0);
            }
            uow.archive().append(&head, &entries)?;
            Ok(entries.len())
        })
    }
}

/// `FAC-2026-000041` → (2026, 41).
pub(super) fn parse_number(number: &str) -> Option<(i32, i64)> {
    let mut parts = number.rsplitn(3, '-');
    let value = parts.next()?.parse().ok()?;
    let year = parts.next()?.parse().ok()?;
    parts.next()?;
    Some((year, value))
}

/// The documents that follow the head in number order, without skipping any: the next
/// numbers of the head's year while they are committed, then the next year once the head's
/// year is complete (its sequence stands at the head's number).
fn next_numbered(
    uow: &mut dyn UnitOfWork,
    series: Series,
    sequence: &str,
    head: &ChainHead,
    limit: usize,
) -> Result<Vec<PendingDocument>> {
    let (mut year, mut after) = match head.last_number.as_deref().and_then(parse_number) {
        Some((year, value)) => (year, value),
        None => match uow.archive().next_sequence_year(sequence, None)? {
            Some(year) => (year, 0),
            None => return Ok(Vec::new()),
        },
    };
    let limit = i64::try_from(limit.max(1)).unwrap_or(i64::MAX);
    loop {
        let numbers: Vec<String> = (after + 1..=after.saturating_add(limit))
            .map(|value| format_number(sequence, year, value))
            .collect();
        let found = uow.archive().numbered(series, &numbers)?;
        let run = in_order(found, &numbers);
        if !run.is_empty() {
            return Ok(run);
        }
        let used = uow.archive().sequence_value(sequence, year)?.unwrap_or(0);
        if used > after {
            // The next number is taken but its document is not visible yet: wait for it.
            return Ok(Vec::new());
        }
        match uow.archive().next_sequence_year(sequence, Some(year))? {
            Some(next) => {
                year = next;
                after = 0;
            }
            None => return Ok(Vec::new()),
        }
    }
}

/// The documents of `numbers`, in that order, up to the first number not found.
pub(super) fn in_order(
    mut found: Vec<PendingDocument>,
    numbers: &[String],
) -> Vec<PendingDocument> {
    let mut run = Vec::with_capacity(found.len());
    for number in numbers {
        let Some(index) = found.iter().position(|d| &d.document.number == number) else {
            break;
        };
        run.push(found.swap_remove(index));
    }
    run
}
