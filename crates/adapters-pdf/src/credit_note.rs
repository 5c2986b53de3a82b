//! The credit-note document: "Facture d'avoir", with an invoice's legal mentions plus the
//! invoice it corrects and the reason.

use domain::documents::{ClearanceStamp, CreditNoteDocument, CreditNoteDocumentLine};
use genpdf::elements::{Break, FrameCellDecorator, LinearLayout, TableLayout};
use genpdf::error::Error;
use genpdf::style::Style;
use genpdf::{Document, Element};

use crate::format::{amount, date, period, rate};
use crate::layout::{
    field, heading, line, padded, party_block, seller_block, title, totals_table, Cell, TABLE_SIZE,
};
use crate::metadata::Metadata;

/// Column weights of the lines table: position, description, HT, TVA %, TVA, TTC.
const LINE_COLUMNS: [usize; 6] = [6, 41, 14, 9, 13, 14];

/// Fills `document` with the note's facts and returns the metadata to stamp it with.
/// A cleared note (`stamp`) ends with its clearance reference and QR code.
pub(crate) fn build(
    document: &mut Document,
    note: &CreditNoteDocument,
    stamp: Option<&ClearanceStamp>,
) -> Result<Metadata, Error> {
    let mut header = TableLayout::new(vec![1, 1]);
    header
        .row()
        .element(seller_block(&note.seller))
        .element(
            LinearLayout::vertical()
                .element(title("Facture d'avoir"))
                .element(field("N°", &note.credit_note_number))
                .element(field("Date d'émission", &date(note.issue_date)))
                .element(field("Facture corrigée", &note.invoice_number))
                .element(field("Date de la facture", &date(note.invoice_issue_date)))
                .element(field("Période facturée", &period(&note.invoice_period))),
        )
        .push()?;
    document.push(header);

    let mut parties = TableLayout::new(vec![1, 1]);
    parties
        .row()
        .element(party_block(
            "Client",
            &note.client_name,
            // A company buyer is identified by its ICE, as on its invoices.
            match &note.buyer_ice {
                Some(ice) => ("ICE", ice.as_str()),
                None => ("CIN", note.cin.as_str()),
            },
            note.client_address.as_deref(),
        ))
        .element(
            LinearLayout::vertical()
                .element(heading("Abonnement"))
                .element(field("Contrat", &note.contract_number))
                .element(field("Ligne", &note.service_identifier)),
        )
        .push()?;
    document.push(parties);

    document.push(heading("Motif"));
    document.push(line(&note.reason));
    document.push(heading("Détail"));
    document.push(lines_table(note)?);
    document.push(Break::new(0.5));
    document.push(totals(note)?);
    document.push(Break::new(1.5));
    document.push(line(&format!(
        "Montants exprimés en {}. Cet avoir annule, en tout ou partie, la facture {} du {}.",
        note.currency,
        note.invoice_number,
        date(note.invoice_issue_date)
    )));
    if let Some(stamp) = stamp {
        document.push(crate::clearance::stamp_block(stamp)?);
    }

    Ok(Metadata {
        title: format!("Facture d'avoir {}", note.credit_note_number),
        date: note.issue_date,
        fingerprint: match stamp {
            Some(stamp) => format!("{note:?}{stamp:?}"),
            None => format!("{note:?}"),
        },
    })
}

fn lines_table(note: &CreditNoteDocument) -> Result<impl Element, Error> {
    let mut table = TableLayout::new(LINE_COLUMNS.to_vec());
    table.set_cell_decorator(FrameCellDecorator::new(true, true, true));
    let currency = &note.currency;
    let headers = [
        "Ligne".to_owned(),
        "Description".to_owned(),
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
    for item in &note.lines {
        push_line(&mut table, item)?;
    }
    Ok(genpdf::elements::StyledElement::new(
        table,
        Style::new().with_font_size(TABLE_SIZE),
    ))
}

fn push_line(table: &mut TableLayout, item: &CreditNoteDocumentLine) -> Result<(), Error> {
    table
        .row()
        .element(padded(Cell::right(&item.position.to_string())))
        // The only column allowed to wrap: descriptions can be long.
        .element(padded(line(&item.description)))
        .element(padded(Cell::right(&amount(item.amount_excl_tax))))
        .element(padded(Cell::right(&rate(item.tax_rate_bp))))
        .element(padded(Cell::right(&amount(item.tax_amount))))
        .element(padded(Cell::right(&amount(item.amount_incl_tax))))
        .push()
}

fn totals(note: &CreditNoteDocument) -> Result<TableLayout, Error> {
    let currency = &note.currency;
    let mut rows = vec![("Total HT".to_owned(), note.total_excl_tax, false)];
    rows.extend(note.tax_by_rate.iter().map(|subtotal| {
        (
            format!("TVA {}", rate(subtotal.rate_bp)),
            subtotal.tax,
            false,
        )
    }));
    rows.push(("Total TTC de l'avoir".to_owned(), note.total_incl_tax, true));
    rows.push((
        "Déduit de la facture".to_owned(),
        note.applied_to_invoice,
        false,
    ));
    rows.push((
        "Crédité au compte client".to_owned(),
        note.credited_to_balance,
        false,
    ));

    totals_table(rows, currency, 6)
}
