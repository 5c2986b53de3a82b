//! The one place lists and exports read a document's buyer identity (name, CIN or ICE) from.
//!
//! An invoice carries its buyer as it was at issue (decision 0200); a credit note prints its
//! invoice's. Lists and the sales journal read that snapshot, never the live client, so a
//! later change of name or address leaves them as issued, and a company is named by its
//! company name and ICE. Receipts (payments, refunds, reversals) have no document buyer:
//! they name the client as it is, by the same rule (company name and ICE for a company).

/// The buyer's display name as issued, over the invoice aliased `invoice`.
pub(crate) fn issued_name(invoice: &str) -> String {
    format!("{invoice}.buyer_name")
}

/// The buyer's tax identifier as issued (a company's ICE, else a person's CIN), over the
/// invoice aliased `invoice`.
pub(crate) fn issued_tax_id(invoice: &str) -> String {
    format!("coalesce({invoice}.buyer_ice, {invoice}.buyer_cin)")
}

/// The client's display name today, as SQL over `clients`: a company's name, else a
/// person's first and last name (the check constraint gives each kind its own).
pub(crate) const BUYER_NAME: &str =
    "coalesce(clients.company_name, clients.first_name || ' ' || clients.last_name)";

/// The client's tax identifier today (a company's ICE, else a person's CIN), over `clients`.
pub(crate) const BUYER_TAX_ID: &str = "coalesce(clients.ice, clients.cin)";

/// The join that puts `clients` beside a document aliased `document`.
pub(crate) fn join_buyer(document: &str) -> String {
    format!("JOIN clients ON clients.id = {document}.client_id")
}
