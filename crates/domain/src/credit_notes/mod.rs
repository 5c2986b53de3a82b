//! Credit notes (factures d'avoir, issue #14): the correction of an issued invoice, with its
//! own gapless `AV-` series, its effect on the invoice and on the client's credit (decisions
//! 0151 and 0170), reads and the "Facture d'avoir" PDF.

mod document;
mod input;
mod note;
mod ports;
mod rules;
mod service;

pub use document::credit_note_document;
pub use input::{CreditNoteInput, CreditNoteLineInput, NewCreditNote, MAX_REASON_CHARS};
pub use note::{CreditNote, CreditNoteLine, IssuedCreditNote, CREDIT_NOTE_SEQUENCE};
#[cfg(any(test, feature = "mocks"))]
pub use ports::MockCreditNoteRepository;
pub use ports::{CreditNoteFilter, CreditNoteRepository, CreditedLine};
pub use rules::{credit_lines, effect_on, InvoiceEffect, RequestedLine};
pub use service::{ClientCreditNote, CreditNoteService};
