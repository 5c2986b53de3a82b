//! The one place lists and exports read a document's buyer identity (name, CIN or ICE) from.
//!
//! For now both come from the live client row; once invoices and credit notes carry the
//! buyer as it was at issue, these expressions become the snapshot's columns and every list
//! and export follows (issue #22 §1). Both expressions need `clients` joined on the
//! document's `client_id`.

/// The buyer's display name, as SQL over `clients`.
pub(crate) const BUYER_NAME: &str = "(clients.first_name || ' ' || clients.last_name)";

/// The buyer's tax identifier (a person's CIN; a company's ICE later), as SQL over `clients`.
pub(crate) const BUYER_TAX_ID: &str = "clients.cin";

/// The join that puts `clients` beside a document aliased `document`.
pub(crate) fn join_buyer(document: &str) -> String {
    format!("JOIN clients ON clients.id = {document}.client_id")
}
