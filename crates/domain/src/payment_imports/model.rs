//! An imported bank file, the outcome of each of its lines, and unidentified receipts.

use time::{Date, OffsetDateTime};

use crate::money::Money;
use crate::typed_ids::{ClientId, PaymentId, PaymentImportId, ReceiptId};

/// What became of one line of a bank file (decision 0221).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStatus {
    /// Posted as a payment of the client found; the invoice it went to (the named one, else
    /// the first it paid) is settled, or no invoice was open and it became credit.
    Matched,
    /// Posted as a payment, but the invoice it went to still has an amount outstanding.
    Partial,
    /// Bank reference, amount and date match a payment or a receipt already recorded:
    /// nothing posted.
    Duplicate,
    /// No client found: kept as an unidentified receipt, to be assigned.
    Unidentified,
    /// The line could not be read (date, amount, reference…): nothing recorded.
    Rejected,
}

impl LineStatus {
    /// Every status.
    pub const ALL: [LineStatus; 5] = [
        LineStatus::Matched,
        LineStatus::Partial,
        LineStatus::Duplicate,
        LineStatus::Unidentified,
        LineStatus::Rejected,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Matched => "matched",
            LineStatus::Partial => "partial",
            LineStatus::Duplicate => "duplicate",
            LineStatus::Unidentified => "unidentified",
            LineStatus::Rejected => "rejected",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<LineStatus, String> {
        LineStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| format!("unknown line status `{value}`"))
    }
}

/// The outcome of one line of a bank file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLine {
    /// 1 for the first payment line of the file.
    pub line: u32,
    /// What became of it.
    pub status: LineStatus,
    /// Amount of the line, when it could be read.
    pub amount: Option<Money>,
    /// The payment posted (`matched`, `partial`), or the one it duplicates.
    pub payment_id: Option<PaymentId>,
    /// The receipt kept (`unidentified`), or the one it duplicates.
    pub receipt_id: Option<ReceiptId>,
    /// The invoice the payment went to (the named one, else the first it paid).
    pub invoice_number: Option<String>,
    /// The client the money was posted to.
    pub client_id: Option<ClientId>,
    /// Why, for anything but a plain match.
    pub message: Option<String>,
}

/// Sums of a file's outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportTotals {
    /// Posted as payments (`matched` and `partial` lines).
    pub posted_amount: Money,
    /// Kept as unidentified receipts.
    pub unidentified_amount: Money,
    /// Lines reported `duplicate`.
    pub duplicate_count: u32,
    /// Lines reported `rejected`.
    pub rejected_count: u32,
}

impl ImportTotals {
    /// The totals of these lines.
    pub fn of(lines: &[ImportLine]) -> ImportTotals {
        let mut totals = ImportTotals::default();
        for line in lines {
            let amount = line.amount.unwrap_or(Money::ZERO);
            match line.status {
                LineStatus::Matched | LineStatus::Partial => {
                    totals.posted_amount = totals.posted_amount.saturating_add(amount);
                }
                LineStatus::Unidentified => {
                    totals.unidentified_amount = totals.unidentified_amount.saturating_add(amount);
                }
                LineStatus::Duplicate => totals.duplicate_count += 1,
                LineStatus::Rejected => totals.rejected_count += 1,
            }
        }
        totals
    }
}

/// An imported bank file and the outcome of each line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentImport {
    /// `imp_…`.
    pub id: PaymentImportId,
    /// Every line, in file order.
    pub lines: Vec<ImportLine>,
    /// Their sums.
    pub totals: ImportTotals,
    /// Who imported it.
    pub actor_id: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Whether a receipt still waits for its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptStatus {
    /// No client yet.
    Unidentified,
    /// Posted as a client's payment.
    Assigned,
}

impl ReceiptStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptStatus::Unidentified => "unidentified",
            ReceiptStatus::Assigned => "assigned",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<ReceiptStatus, String> {
        match value {
            "unidentified" => Ok(ReceiptStatus::Unidentified),
            "assigned" => Ok(ReceiptStatus::Assigned),
            other => Err(format!(
                "unknown status `{other}`; expected unidentified or assigned"
            )),
        }
    }
}

/// Who a receipt was assigned to, and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptAssignment {
    /// The client it was posted to.
    pub client_id: ClientId,
    /// The payment it became.
    pub payment_id: PaymentId,
    /// Who assigned it.
    pub actor_id: String,
    /// When.
    pub at: OffsetDateTime,
}

/// Money received that no client could be found for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnidentifiedReceipt {
    /// `rcp_…`.
    pub id: ReceiptId,
    /// The file it came from.
    pub import_id: PaymentImportId,
    /// Its line in that file.
    pub line: u32,
    /// Amount received.
    pub amount: Money,
    /// `MAD`.
    pub currency: String,
    /// Day received.
    pub received_at: Date,
    /// The bank's reference.
    pub reference: String,
    /// Who paid, as the bank names them.
    pub payer: Option<String>,
    /// `None` while unidentified.
    pub assignment: Option<ReceiptAssignment>,
    /// When it was kept.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl UnidentifiedReceipt {
    /// Unidentified or assigned.
    pub fn status(&self) -> ReceiptStatus {
        if self.assignment.is_some() {
            ReceiptStatus::Assigned
        } else {
            ReceiptStatus::Unidentified
        }
    }
}

/// Filters of `GET /collections/unidentified`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiptFilter {
    /// Only receipts in this status.
    pub status: Option<ReceiptStatus>,
}

/// What a bank line was already recorded as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordedAs {
    /// A payment of this client.
    Payment(PaymentId, ClientId),
    /// An unidentified receipt (or one since assigned).
    Receipt(ReceiptId),
}
