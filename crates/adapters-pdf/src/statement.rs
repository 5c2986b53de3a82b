//! The statement document: "Relevé de compte", every movement of the period with a running
//! balance between the opening and closing balances.

use domain::documents::{StatementDocument, StatementDocumentLine};
use genpdf::elements::{Break, FrameCellDecorator, LinearLayout, StyledElement, TableLayout};
use genpdf::error::Error;
use genpdf::style::Style;
use genpdf::Document;

use crate::format::{amount, date, money};
use crate::layout::{
    bold_line, field, heading, line, padded, seller_block, title, Cell, TABLE_SIZE,
};
use crate::metadata::Metadata;

/// Column weights: date, opération, référence, débit, crédit, solde.
const COLUMNS: [usize; 6] = [11, 22, 27, 13, 13, 14];

/// Fills `document` with the statement and returns the metadata to stamp it with.
pub(crate) fn build(
    document: &mut Document,
    statement: &StatementDocument,
) -> Result<Metadata, Error> {
    let period = match statement.from {
        Some(from) => format!("Du {} au {}", date(from), date(statement.to)),
        None => format!("Jusqu'au {}", date(statement.to)),
    };
    let mut header = TableLayout::new(vec![1, 1]);
    header
        .row()
        .element(seller_block(&statement.seller))
        .element(
            LinearLayout::vertical()
                .element(title("Relevé de compte"))
                .element(line(&period)),
        )
        .push()?;
    document.push(header);

    let mut client = LinearLayout::vertical()
        .element(heading("Client"))
        .element(bold_line(&statement.client_name))
        .element(field("CIN", &statement.cin));
    if let Some(address) = &statement.client_address {
        client.push(line(address));
    }
    document.push(client);

    document.push(heading("Mouvements"));
    document.push(lines_table(statement)?);
    document.push(Break::new(1.0));
    let currency = &statement.currency;
    document.push(line(&format!(
        "Solde au {} : {} ({}).",
        date(statement.to),
        money(statement.closing_balance, currency),
        if statement.closing_balance > 0 {
            "à payer"
        } else if statement.closing_balance < 0 {
            "crédit en votre faveur"
        } else {
            "soldé"
        }
    )));

    Ok(Metadata {
        title: format!("Relevé de compte {}", statement.cin),
        date: statement.to,
        fingerprint: format!("{statement:?}"),
    })
}

fn lines_table(statement: &StatementDocument) -> Result<StyledElement<TableLayout>, Error> {
    let mut table = TableLayout::new(COLUMNS.to_vec());
    table.set_cell_decorator(FrameCellDecorator::new(true, true, true));
    let currency = &statement.currency;
    let headers = [
        "Date".to_owned(),
        "Opération".to_owned(),
        "Référence".to_owned(),
        format!("Débit ({currency})"),
        format!("Crédit ({currency})"),
        format!("Solde ({currency})"),
    ];
    let mut row = table.row();
    for header in &headers {
        row.push_element(padded(Cell::header(header)));
    }
    row.push()?;
    table
        .row()
        .element(padded(Cell::left("")))
        .element(padded(Cell::left("Solde d'ouverture")))
        .element(padded(Cell::left("")))
        .element(padded(Cell::left("")))
        .element(padded(Cell::left("")))
        .element(padded(Cell::right_bold(&amount(statement.opening_balance))))
        .push()?;
    for item in &statement.lines {
        push_line(&mut table, item)?;
    }
    table
        .row()
        .element(padded(Cell::left(&date(statement.to))))
        .element(padded(Cell::left("Solde de clôture")))
        .element(padded(Cell::left("")))
        .element(padded(Cell::left("")))
        .element(padded(Cell::left("")))
        .element(padded(Cell::right_bold(&amount(statement.closing_balance))))
        .push()?;
    Ok(StyledElement::new(
        table,
        Style::new().with_font_size(TABLE_SIZE),
    ))
}

fn push_line(table: &mut TableLayout, item: &StatementDocumentLine) -> Result<(), Error> {
    let (debit, credit) = match item.effect {
        e if e > 0 => (amount(e), String::new()),
        e if e < 0 => (String::new(), amount(e.saturating_neg())),
        _ => (String::new(), String::new()),
    };
    table
        .row()
        .element(padded(Cell::left(&date(item.date))))
        .element(padded(line(&item.label)))
        .element(padded(line(&item.reference)))
        .element(padded(Cell::right(&debit)))
        .element(padded(Cell::right(&credit)))
        .element(padded(Cell::right(&amount(item.balance))))
        .push()
}
