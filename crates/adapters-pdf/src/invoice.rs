//! The invoice document: "Facture", with the legal mentions Moroccan invoices require.

use domain::documents::{ClearanceStamp, InvoiceDocument, InvoiceDocumentLine};
use genpdf::elements::{Break, FrameCellDecorator, LinearLayout, TableLayout};
use genpdf::error::Error;
use genpdf::style::Style;
use genpdf::{Document, Element};

use crate::format::{amount, date, period, rate};
use crate::layout::{
    field, heading, line, padded, party_block, seller_block, title, totals_table, Cell, TABLE_SIZE,
};
use crate::metadata::Metadata;

/// Column weights of the lines table: description, du, au, jours, HT, TVA %, TVA, TTC.
const LINE_COLUMNS: [usize; 8] = [30, 11, 11, 6, 13, 8, 11, 13];

/// Fills `document` with the invoice's facts and returns the metadata to stamp it with.
/// A cleared invoice (`stamp`) ends with its clearance reference and QR code.
pub(crate) fn build(
    document: &mut Document,
    invoice: &InvoiceDocument,
    stamp: Option<&ClearanceStamp>,
) -> Result<Metadata, Error> {
    let mut header = TableLayout::new(vec![1, 1]);
    header
        .row()
        .element(seller_block(&invoice.seller))
        .element(
            LinearLayout::vertical()
                .element(title("Facture"))
                .element(field("N°", &invoice.invoice_number))
                .element(field("Date d'émission", &date(invoice.issue_date)))
                .element(field("Période", &period(&invoice.period)))
                .element(field("Date d'échéance", &date(invoice.due_date))),
        )
        .push()?;
    document.push(header);
    if let Some(replaced) = &invoice.replaces {
        // A replacement after the tax authority's rejection names the invoice it replaces
        // (decision 0315).
        document.push(line(&format!(
            "Remplace la facture {} du {}.",
            replaced.number,
            date(replaced.issue_date)
        )));
    }

    let mut parties = TableLayout::new(vec![1, 1]);
    parties
        .row()
        .element(party_block(
            "Client",
            &invoice.client_name,
            // A company buyer is identified by its ICE (Moroccan B2B invoices print it).
            match &invoice.buyer_ice {
                Some(ice) => ("ICE", ice.as_str()),
                None => ("CIN", invoice.cin.as_str()),
            },
            invoice.client_address.as_deref(),
        ))
        .element(
            LinearLayout::vertical()
                .element(heading("Abonnement"))
                .element(field("Contrat", &invoice.contract_number))
                .element(field("Ligne", &invoice.service_identifier)),
        )
        .push()?;
    document.push(parties);

    document.push(heading("Détail"));
    document.push(lines_table(invoice)?);
    document.push(Break::new(0.5));
    document.push(totals(invoice)?);
    if !invoice.usage.is_empty() {
        document.push(Break::new(0.5));
        document.push(heading("Consommation"));
        for text in &invoice.usage {
            document.push(line(text));
        }
    }
    document.push(Break::new(1.5));
    document.push(line(&format!(
        "Montants exprimés en {}. À régler au plus tard le {}.",
        invoice.currency,
        date(invoice.due_date)
    )));
    if let Some(stamp) = stamp {
        document.push(crate::clearance::stamp_block(stamp)?);
    }

    Ok(Metadata {
        title: format!("Facture {}", invoice.invoice_number),
        date: invoice.issue_date,
        fingerprint: match stamp {
            Some(stamp) => format!("{invoice:?}{stamp:?}"),
            None => format!("{invoice:?}"),
        },
    })
}

fn lines_table(invoice: &InvoiceDocument) -> Result<impl Element, Error> {
    let mut table = TableLayout::new(LINE_COLUMNS.to_vec());
    table.set_cell_decorator(FrameCellDecorator::new(true, true, true));
    let currency = &invoice.currency;
    let headers = [
        "Description".to_owned(),
        "Du".to_owned(),
        "Au".to_owned(),
        "Jours".to_owned(),
        format!("HT ({currency})"),
        "TVA %".to_owned(),
        format!("TVA ({currency})"),
        format!("TTC ({currency})"),
    ];
    let mut row = table.row();
    for header in &headers {
        row.push_element(padded(Cell::header(header)));
    }
    row.push()?;
    for item in &invoice.lines {
        push_line(&mut table, item)?;
    }
    Ok(genpdf::elements::StyledElement::new(
        table,
        Style::new().with_font_size(TABLE_SIZE),
    ))
}

fn push_line(table: &mut TableLayout, item: &InvoiceDocumentLine) -> Result<(), Error> {
    table
        .row()
        // The only column allowed to wrap: descriptions can be long.
        .element(padded(line(&item.description)))
        .element(padded(Cell::left(&date(item.start_date))))
        .element(padded(Cell::left(&date(item.end_date))))
        .element(padded(Cell::right(&item.days.to_string())))
        .element(padded(Cell::right(&amount(item.amount_excl_tax))))
        .element(padded(Cell::right(&rate(item.tax_rate_bp))))
        .element(padded(Cell::right(&amount(item.tax_amount))))
        .element(padded(Cell::right(&amount(item.amount_incl_tax))))
        .push()
}

fn totals(invoice: &InvoiceDocument) -> Result<TableLayout, Error> {
    let currency = &invoice.currency;
    let mut rows = vec![("Total HT".to_owned(), invoice.total_excl_tax, false)];
    rows.extend(invoice.tax_by_rate.iter().map(|subtotal| {
        (
            format!("TVA {}", rate(subtotal.rate_bp)),
            subtotal.tax,
            false,
        )
    }));
    rows.push(("Total TTC".to_owned(), invoice.total_incl_tax, true));
    rows.push(("Montant payé".to_owned(), invoice.amount_paid, false));
    // Only corrected invoices carry the line, so the others print as they always did.
    if invoice.credited_amount != 0 {
        rows.push(("Avoirs déduits".to_owned(), invoice.credited_amount, false));
    }
    rows.push(("Reste à payer".to_owned(), invoice.outstanding, true));

    totals_table(rows, currency, 5)
}
