//! The tamper-evident archive (issue #18): every issued document's PDF and UBL hashes, and a
//! hash chain per document series in legal number order (decisions 0320–0323).
//!
//! Documents are sealed after issue by a background sealer, never inside the billing
//! transaction: sealing renders the PDF (stored once, then served unchanged) and the UBL,
//! hashes both and links the document to the previous one of its series.

mod chain;
mod entry;
mod ports;
mod sealing;
mod service;
mod verify;

#[cfg(test)]
mod chain_tests;
#[cfg(test)]
mod service_tests;

pub use chain::{link, sha256, Digest, GENESIS};
pub use entry::{ArchiveEntry, ChainHead, DocumentRef, PendingDocument, Series};
pub use ports::ArchiveRepository;
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockArchiveRepository;
pub use service::ArchiveService;
pub use verify::{hex, Break, ChainReport, Mismatch, Verification};
