//! The UBL 2.1 `Invoice` of an invoice document.

use domain::documents::{InvoiceDocument, InvoiceDocumentLine};

use crate::amounts::{amount, line_quantity};
use crate::parties::{
    customer, iso_date, monetary_total, period, supplier, tax_category_of, tax_total, Buyer,
};
use crate::xml::Writer;

/// `urn:…:Invoice-2`.
const NAMESPACE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// UN/CEFACT 1001: commercial invoice.
const COMMERCIAL_INVOICE: &str = "380";
/// UN/ECE 4461 payment means the operator accepts: credit transfer, bank card, cash (at an
/// agency).
const PAYMENT_MEANS: [&str; 3] = ["30", "48", "10"];

/// The XML of `invoice`.
pub(crate) fn render(invoice: &InvoiceDocument) -> String {
    let currency = invoice.currency.as_str();
    let mut w = Writer::new("Invoice", NAMESPACE);
    w.text("cbc:UBLVersionID", "2.1")
        .text("cbc:ID", &invoice.invoice_number)
        .text("cbc:IssueDate", &iso_date(invoice.issue_date))
        .text("cbc:DueDate", &iso_date(invoice.due_date))
        .text_with(
            "cbc:InvoiceTypeCode",
            &[("listID", "UNCL1001")],
            COMMERCIAL_INVOICE,
        )
        .text("cbc:DocumentCurrencyCode", currency)
        .text("cbc:TaxCurrencyCode", currency);
    period(&mut w, invoice.period_start, invoice.period_end);
    if let Some(replaced) = &invoice.replaces {
        // The rejected invoice this one replaces (decision 0315), where the schema puts
        // references to earlier invoices: after the period, before the contract.
        w.open("cac:BillingReference")
            .open("cac:InvoiceDocumentReference")
            .text("cbc:ID", &replaced.number)
            .text("cbc:IssueDate", &iso_date(replaced.issue_date))
            .close()
            .close();
    }
    if invoice.contract_number.starts_with("CTR-") {
        // A per-account invoice bills several contracts: each line names its own.
        w.open("cac:ContractDocumentReference")
            .text("cbc:ID", &invoice.contract_number)
            .close();
    }
    supplier(&mut w, &invoice.seller);
    customer(
        &mut w,
        &Buyer {
            name: &invoice.client_name,
            cin: &invoice.cin,
            ice: invoice.buyer_ice.as_deref(),
            address: invoice.client_address.as_deref(),
        },
    );
    for code in PAYMENT_MEANS {
        w.open("cac:PaymentMeans")
            .text_with("cbc:PaymentMeansCode", &[("listID", "UNCL4461")], code)
            .text("cbc:PaymentDueDate", &iso_date(invoice.due_date))
            .text("cbc:PaymentID", &invoice.invoice_number)
            .close();
    }
    w.open("cac:PaymentTerms")
        .text(
            "cbc:Note",
            &format!(
                "Payable au plus tard le {}, en rappelant le numéro de facture {}.",
                french_date(invoice.due_date),
                invoice.invoice_number
            ),
        )
        .text_with(
            "cbc:Amount",
            &[("currencyID", currency)],
            &amount(invoice.total_incl_tax),
        )
        .text("cbc:PaymentDueDate", &iso_date(invoice.due_date))
        .close();
    tax_total(&mut w, &invoice.tax_by_rate, currency);
    monetary_total(
        &mut w,
        invoice.total_excl_tax,
        invoice.total_incl_tax,
        currency,
    );
    for (index, line) in invoice.lines.iter().enumerate() {
        invoice_line(&mut w, index + 1, line, currency);
    }
    w.finish()
}

/// `cac:InvoiceLine` number `position`.
fn invoice_line(w: &mut Writer, position: usize, line: &InvoiceDocumentLine, currency: &str) {
    let money = [("currencyID", currency)];
    let quantity = line_quantity(line);
    w.open("cac:InvoiceLine")
        .text("cbc:ID", &position.to_string())
        .text_with(
            "cbc:InvoicedQuantity",
            &[("unitCode", quantity.unit)],
            &quantity.quantity.to_string(),
        )
        .text_with(
            "cbc:LineExtensionAmount",
            &money,
            &amount(line.amount_excl_tax),
        );
    period(w, line.start_date, line.end_date);
    w.open("cac:TaxTotal")
        .text_with("cbc:TaxAmount", &money, &amount(line.tax_amount))
        .close();
    w.open("cac:Item").text("cbc:Name", &line.description);
    tax_category_of(w, "cac:ClassifiedTaxCategory", line.tax_rate_bp);
    w.close();
    w.open("cac:Price")
        .text_with(
            "cbc:PriceAmount",
            &money,
            // A usage line's price is per unit; a subscription line's, per month.
            &amount(
                line.usage
                    .map_or(line.monthly_price, |u| u.unit_price.centimes()),
            ),
        )
        .text_with(
            "cbc:BaseQuantity",
            &[("unitCode", quantity.unit)],
            &quantity.base_quantity.to_string(),
        )
        .close();
    w.close();
}

/// `dd/mm/yyyy`, as the PDFs print dates.
pub(crate) fn french_date(date: time::Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}
