//! Building blocks shared by the documents: styles, labelled fields, the seller and party blocks,
//! cells, the totals table.

use domain::documents::SellerIdentity;
use genpdf::elements::{Break, LinearLayout, PaddedElement, StyledElement, TableLayout};
use genpdf::error::Error;
use genpdf::render::Area;
use genpdf::style::{Style, StyledString};
use genpdf::{Alignment, Context, Element, Margins, Mm, Position, RenderResult, Size};

use crate::encoding::win_ansi;
use crate::format::money;
use crate::wrapping::WrappedText;

/// Body text size, in points.
pub(crate) const BODY_SIZE: u8 = 10;
/// Table text size, in points.
pub(crate) const TABLE_SIZE: u8 = 8;

/// The document title: large and bold.
pub(crate) fn title(text: &str) -> StyledElement<WrappedText> {
    StyledElement::new(line(text), Style::new().bold().with_font_size(18))
}

/// A section heading, with a little space above it.
pub(crate) fn heading(text: &str) -> LinearLayout {
    LinearLayout::vertical()
        .element(Break::new(0.8))
        .element(StyledElement::new(
            line(text),
            Style::new().bold().with_font_size(12),
        ))
}

/// `Label : value`, the label in bold; wraps at spaces when long, inside a word too wide.
pub(crate) fn field(label: &str, value: &str) -> WrappedText {
    WrappedText::default()
        .styled(win_ansi(&format!("{label} : ")), Style::new().bold())
        .styled(win_ansi(value), Style::new())
}

/// A plain paragraph.
pub(crate) fn line(text: &str) -> WrappedText {
    WrappedText::default().styled(win_ansi(text), Style::new())
}

/// A bold paragraph.
pub(crate) fn bold_line(text: &str) -> WrappedText {
    WrappedText::default().styled(win_ansi(text), Style::new().bold())
}

/// The operator's legal identity: name, address, ICE, IF, RC, TP and TVA number. An identity
/// fixed before the TP was configured has none, and its documents print none.
pub(crate) fn seller_block(seller: &SellerIdentity) -> LinearLayout {
    let mut block = LinearLayout::vertical()
        .element(bold_line(&seller.name))
        .element(line(&seller.address))
        .element(field("ICE", &seller.ice))
        .element(field("IF", &seller.if_number))
        .element(field("RC", &seller.rc));
    if !seller.tp.trim().is_empty() {
        block = block.element(field("TP", &seller.tp));
    }
    block.element(field("N° TVA", &seller.tva_number))
}

/// Pads a table cell so text does not touch the frame.
pub(crate) fn padded<E: Element>(element: E) -> PaddedElement<E> {
    PaddedElement::new(element, Margins::trbl(1, 1.5, 1, 1.5))
}

/// One line of text that never wraps, aligned in its area (amounts in narrow table columns:
/// a wrapping paragraph would break `1 234,56` at its grouping space).
pub(crate) struct Cell {
    text: StyledString,
    alignment: Alignment,
}

impl Cell {
    /// A left-aligned cell.
    pub(crate) fn left(text: &str) -> Self {
        Self::new(text, Alignment::Left, Style::new())
    }

    /// A right-aligned cell.
    pub(crate) fn right(text: &str) -> Self {
        Self::new(text, Alignment::Right, Style::new())
    }

    /// A right-aligned bold cell.
    pub(crate) fn right_bold(text: &str) -> Self {
        Self::new(text, Alignment::Right, Style::new().bold())
    }

    /// A centred bold cell (table headers).
    pub(crate) fn header(text: &str) -> Self {
        Self::new(text, Alignment::Center, Style::new().bold())
    }

    fn new(text: &str, alignment: Alignment, style: Style) -> Self {
        Self {
            text: StyledString::new(win_ansi(text), style),
            alignment,
        }
    }
}

impl Element for Cell {
    fn render(
        &mut self,
        context: &Context,
        area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let style = style.and(self.text.style);
        let width = style.str_width(&context.font_cache, &self.text.s);
        let room = area.size().width;
        let x = match self.alignment {
            Alignment::Left => Mm::from(0.0),
            Alignment::Center => (room - width) / 2.0,
            Alignment::Right => room - width,
        }
        .max(Mm::from(0.0));
        let mut result = RenderResult::default();
        if area.print_str(
            &context.font_cache,
            Position::new(x, 0),
            style,
            &self.text.s,
        )? {
            result.size = Size::new(room, style.line_height(&context.font_cache));
        } else {
            result.has_more = true;
        }
        Ok(result)
    }
}

/// The party block of a document: a heading (`Client`, `L'abonné`), the name in bold, the
/// CIN and the postal address when known.
pub(crate) fn party_block(
    title: &str,
    name: &str,
    (id_label, id): (&str, &str),
    address: Option<&str>,
) -> LinearLayout {
    let mut block = LinearLayout::vertical()
        .element(heading(title))
        .element(bold_line(name))
        .element(field(id_label, id));
    if let Some(address) = address {
        block.push(line(address));
    }
    block
}

/// One row of a totals table: label, amount in centimes, and whether it is printed bold.
pub(crate) type TotalRow = (String, i64, bool);

/// A totals table on the right-hand side of the page (a blank first column pushes it there);
/// `label_width` is the weight of the label column against the amounts' 5.
pub(crate) fn totals_table(
    rows: Vec<TotalRow>,
    currency: &str,
    label_width: usize,
) -> Result<TableLayout, Error> {
    let mut table = TableLayout::new(vec![10, label_width, 5]);
    for (label, value, strong) in rows {
        let value = money(value, currency);
        let (label, value) = if strong {
            (Cell::right_bold(&label), Cell::right_bold(&value))
        } else {
            (Cell::right(&label), Cell::right(&value))
        };
        table
            .row()
            .element(Cell::left(""))
            .element(padded(label))
            .element(padded(value))
            .push()?;
    }
    Ok(table)
}
