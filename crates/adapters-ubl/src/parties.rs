//! The seller and buyer parties, and the parts invoices and credit notes share (TVA breakdown,
//! dates).

use domain::documents::{SellerIdentity, TaxSubtotal};
use time::Date;

use crate::amounts::{amount, percent, tax_category, total_tax};
use crate::xml::Writer;

/// The buyer as the documents state it.
pub(crate) struct Buyer<'a> {
    pub(crate) name: &'a str,
    /// A person's CIN; empty for a company.
    pub(crate) cin: &'a str,
    /// A company's ICE.
    pub(crate) ice: Option<&'a str>,
    pub(crate) address: Option<&'a str>,
}

/// `YYYY-MM-DD`, the `xsd:date` form.
pub(crate) fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Morocco, ISO 3166-1.
const COUNTRY: &str = "MA";

fn address(w: &mut Writer, line: &str) {
    w.open("cac:PostalAddress")
        .open("cac:AddressLine")
        .text("cbc:Line", line)
        .close()
        .open("cac:Country")
        .text("cbc:IdentificationCode", COUNTRY)
        .close()
        .close();
}

/// `cac:AccountingSupplierParty`: the operator's name, address and legal identifiers (ICE,
/// IF, RC, TP), its TVA number, and its ICE as legal entity.
pub(crate) fn supplier(w: &mut Writer, seller: &SellerIdentity) {
    w.open("cac:AccountingSupplierParty").open("cac:Party");
    for (scheme, id) in [
        ("ICE", &seller.ice),
        ("IF", &seller.if_number),
        ("RC", &seller.rc),
        ("TP", &seller.tp),
    ] {
        // An identity fixed before TP was configured has none: left out, not empty.
        if !id.trim().is_empty() {
            w.open("cac:PartyIdentification")
                .text_with("cbc:ID", &[("schemeID", scheme)], id)
                .close();
        }
    }
    w.open("cac:PartyName")
        .text("cbc:Name", &seller.name)
        .close();
    address(w, &seller.address);
    w.open("cac:PartyTaxScheme")
        .text("cbc:RegistrationName", &seller.name)
        .text("cbc:CompanyID", &seller.tva_number)
        .open("cac:TaxScheme")
        .text("cbc:ID", "VAT")
        .close()
        .close();
    w.open("cac:PartyLegalEntity")
        .text("cbc:RegistrationName", &seller.name)
        .text_with("cbc:CompanyID", &[("schemeID", "ICE")], &seller.ice)
        .close();
    w.close().close();
}

/// `cac:AccountingCustomerParty`: the client's name and address, identified by its ICE when
/// it is a company, else by its CIN.
pub(crate) fn customer(w: &mut Writer, buyer: &Buyer<'_>) {
    w.open("cac:AccountingCustomerParty").open("cac:Party");
    let identifier = match buyer.ice {
        Some(ice) => Some(("ICE", ice)),
        None if !buyer.cin.trim().is_empty() => Some(("CIN", buyer.cin)),
        None => None,
    };
    if let Some((scheme, id)) = identifier {
        w.open("cac:PartyIdentification")
            .text_with("cbc:ID", &[("schemeID", scheme)], id)
            .close();
    }
    w.open("cac:PartyName").text("cbc:Name", buyer.name).close();
    if let Some(line) = buyer.address {
        address(w, line);
    }
    w.open("cac:PartyLegalEntity")
        .text("cbc:RegistrationName", buyer.name);
    if let Some(ice) = buyer.ice {
        w.text_with("cbc:CompanyID", &[("schemeID", "ICE")], ice);
    }
    w.close();
    w.close().close();
}

/// `cac:InvoicePeriod` from `start` to `end`, inclusive.
pub(crate) fn period(w: &mut Writer, start: Date, end: Date) {
    w.open("cac:InvoicePeriod")
        .text("cbc:StartDate", &iso_date(start))
        .text("cbc:EndDate", &iso_date(end))
        .close();
}

/// The `cac:TaxCategory` (or `ClassifiedTaxCategory`) of a TVA rate.
pub(crate) fn tax_category_of(w: &mut Writer, element: &'static str, rate_bp: i32) {
    w.open(element)
        .text("cbc:ID", tax_category(rate_bp))
        .text("cbc:Percent", &percent(rate_bp))
        .open("cac:TaxScheme")
        .text("cbc:ID", "VAT")
        .close()
        .close();
}

/// `cac:TaxTotal`: the TVA, with one `TaxSubtotal` per rate.
pub(crate) fn tax_total(w: &mut Writer, subtotals: &[TaxSubtotal], currency: &str) {
    let money = [("currencyID", currency)];
    w.open("cac:TaxTotal")
        .text_with("cbc:TaxAmount", &money, &amount(total_tax(subtotals)));
    for subtotal in subtotals {
        w.open("cac:TaxSubtotal")
            .text_with("cbc:TaxableAmount", &money, &amount(subtotal.base))
            .text_with("cbc:TaxAmount", &money, &amount(subtotal.tax));
        tax_category_of(w, "cac:TaxCategory", subtotal.rate_bp);
        w.close();
    }
    w.close();
}

/// `cac:LegalMonetaryTotal`: lines, excl. and incl. tax, and what the document is for.
pub(crate) fn monetary_total(w: &mut Writer, excl: i64, incl: i64, currency: &str) {
    let money = [("currencyID", currency)];
    w.open("cac:LegalMonetaryTotal")
        .text_with("cbc:LineExtensionAmount", &money, &amount(excl))
        .text_with("cbc:TaxExclusiveAmount", &money, &amount(excl))
        .text_with("cbc:TaxInclusiveAmount", &money, &amount(incl))
        .text_with("cbc:PayableAmount", &money, &amount(incl))
        .close();
}
