//! Accounting exports and reports (issue #22 §4): the sales and receipts journals, read in
//! keyset pages so that any range streams, TVA by rate under either regime, and revenue by
//! service type and offer.

mod journal;
mod ports;
mod range;
mod reports;
mod service;
mod tva;

pub use journal::{
    AllocationTarget, RateAmounts, ReceiptAllocation, ReceiptCursor, ReceiptDocument, ReceiptEntry,
    SalesCursor, SalesDocument, SalesEntry,
};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockExportRepository;
pub use ports::{ExportRepository, InvoiceCollection, RevenueLine};
pub use range::{DateRange, MAX_RANGE_DAYS};
pub use reports::{OfferRevenue, RevenueReport, ServiceRevenue};
pub use service::{ExportService, PAGE_SIZE};
pub use tva::{collected_share, TaxByRate, TvaRegime, TvaReport};

#[cfg(test)]
mod service_tests;
