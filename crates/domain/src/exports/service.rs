//! `ExportService`: the journals page by page, and the TVA and revenue reports.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::journal::{ReceiptCursor, ReceiptEntry, SalesCursor, SalesEntry};
use super::range::DateRange;
use super::reports::RevenueReport;
use super::tva::{collected_share, TaxByRate, TvaRegime, TvaReport};
use crate::billing::Period;
use crate::error::Result;
use crate::money::clamp_to_i64;
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tx::{read, TransactionRunner};

/// Rows read per journal page: large enough that the round trips do not dominate, small
/// enough that a page's memory stays far below a megabyte or two.
pub const PAGE_SIZE: i64 = 1000;

/// The accounting exports and reports.
#[derive(Clone)]
pub struct ExportService {
    tx: Arc<dyn TransactionRunner>,
    settings: Arc<Settings>,
}

impl ExportService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            settings: ports.settings.clone(),
        }
    }

    /// The TVA rates the sales journal of `range` has a column for, highest first.
    pub fn sales_rates(&self, range: &DateRange) -> Result<Vec<i32>> {
        read(self.tx.as_ref(), |uow| uow.exports().sales_rates(range))
    }

    /// The next page of the sales journal: up to [`PAGE_SIZE`] rows after `after` (from the
    /// range's start when `None`). A page shorter than that is the last.
    ///
    /// Each page is its own read, outside a transaction (as the lists, decision 0089): issued
    /// documents never change, so a closed range reads the same however it is paged; a
    /// document issued during the export appears if it sorts after the page being read.
    pub fn sales_page(
        &self,
        range: &DateRange,
        after: Option<&SalesCursor>,
    ) -> Result<Vec<SalesEntry>> {
        let after = after
            .cloned()
            .unwrap_or_else(|| SalesCursor::start(range.from()));
        read(self.tx.as_ref(), |uow| {
            uow.exports().sales_page(range, &after, PAGE_SIZE)
        })
    }

    /// The next page of the receipts journal, as [`ExportService::sales_page`].
    pub fn receipts_page(
        &self,
        range: &DateRange,
        after: Option<&ReceiptCursor>,
    ) -> Result<Vec<ReceiptEntry>> {
        let after = after
            .cloned()
            .unwrap_or_else(|| ReceiptCursor::start(range.from()));
        read(self.tx.as_ref(), |uow| {
            uow.exports().receipts_page(range, &after, PAGE_SIZE)
        })
    }

    /// TVA by rate for `month`, under `regime` or the configured one (`MTF_TVA_REGIME`).
    pub fn tva(&self, month: Period, regime: Option<TvaRegime>) -> Result<TvaReport> {
        let regime = regime.unwrap_or(self.settings.tva_regime);
        let rates = match regime {
            TvaRegime::Debits => read(self.tx.as_ref(), |uow| uow.exports().tax_issued(month))?,
            TvaRegime::Encaissements => {
                let collections = read(self.tx.as_ref(), |uow| uow.exports().collections(month))?;
                let mut by_rate: BTreeMap<i32, (i128, i128)> = BTreeMap::new();
                for invoice in &collections {
                    for rate in &invoice.by_rate {
                        let share = |amount| {
                            collected_share(
                                amount,
                                invoice.collected_through,
                                invoice.total_incl_tax,
                            ) - collected_share(
                                amount,
                                invoice.collected_before,
                                invoice.total_incl_tax,
                            )
                        };
                        let sums = by_rate.entry(rate.rate_bp).or_default();
                        sums.0 += i128::from(share(rate.excl_tax));
                        sums.1 += i128::from(share(rate.tax));
                    }
                }
                by_rate
                    .into_iter()
                    .map(|(rate_bp, (excl_tax, tax))| TaxByRate {
                        rate_bp,
                        excl_tax: clamp_to_i64(excl_tax),
                        tax: clamp_to_i64(tax),
                    })
                    .collect()
            }
        };
        Ok(TvaReport::new(month, regime, rates))
    }

    /// Revenue excl. tax of `month` by service type and by offer.
    pub fn revenue(&self, month: Period) -> Result<RevenueReport> {
        let lines = read(self.tx.as_ref(), |uow| uow.exports().revenue_lines(month))?;
        Ok(RevenueReport::new(month, &lines))
    }
}
