//! Bank payment files and unidentified money (issue 22 §3): the file format, the matching of
//! each line to a client, and the receipts kept until someone assigns them.

mod amount;
mod bank_line;
mod file;
mod matching;
mod model;
mod ports;
mod receipts;
mod service;

pub use amount::parse_mad;
pub use bank_line::{BankLine, MAX_PAYER_CHARS};
pub use file::{check_line_count, parse_csv, ImportFields, SourceLine, COLUMNS, MAX_IMPORT_LINES};
pub use matching::{identity_candidates, invoice_number_in, parse_invoice_number};
pub use model::{
    ImportLine, ImportTotals, LineStatus, PaymentImport, ReceiptAssignment, ReceiptFilter,
    ReceiptStatus, RecordedAs, UnidentifiedReceipt,
};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockPaymentImportRepository;
pub use ports::PaymentImportRepository;
pub use receipts::{AssignInput, AssignedReceipt};
pub use service::PaymentImportService;

#[cfg(test)]
mod service_tests;
