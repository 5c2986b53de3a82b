//! Moroccan e-invoicing (CGI art. 145): invoices and credit notes as standard documents.

pub mod ubl;

#[cfg(any(test, feature = "mocks"))]
pub use ubl::MockUblRenderer;
pub use ubl::UblRenderer;
