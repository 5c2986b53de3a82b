//! The clearance stamp of a document the tax authority cleared: its reference, its
//! verification code and a QR code of that code, drawn as vector strokes (issue #18).

use domain::documents::ClearanceStamp;
use genpdf::elements::{LinearLayout, TableLayout};
use genpdf::error::{Error, ErrorKind};
use genpdf::render::Area;
use genpdf::style::Style;
use genpdf::{Context, Element, Mm, Position, RenderResult, Size};
use qrcode::{Color, EcLevel, QrCode};

use crate::format::date;
use crate::layout::{field, heading};

/// PDF's default line width, 1 pt, in millimetres: every stroke of the QR code is this thick.
const STROKE_MM: f64 = 25.4 / 72.0;
/// A module is two strokes high (and as wide), about 0.71 mm: a 25-module code is 18 mm,
/// read by any phone.
const MODULE_MM: f64 = 2.0 * STROKE_MM;
/// The blank margin around the code readers need, in modules.
const QUIET_ZONE: usize = 4;

/// One horizontal run of dark modules: its row and its first and past-the-end columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub row: usize,
    pub start: usize,
    pub end: usize,
}

/// The QR code of `text` (error correction M) as runs of dark modules, row by row, and its
/// width in modules.
pub(crate) fn qr_runs(text: &str) -> Result<(Vec<Run>, usize), Error> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        Error::new(
            format!("QR code of the verification code: {e}"),
            ErrorKind::InvalidData,
        )
    })?;
    let width = code.width();
    let dark: Vec<bool> = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    let mut runs = Vec::new();
    for row in 0..width {
        let mut column = 0;
        while column < width {
            if dark[row * width + column] {
                let start = column;
                while column < width && dark[row * width + column] {
                    column += 1;
                }
                runs.push(Run {
                    row,
                    start,
                    end: column,
                });
            } else {
                column += 1;
            }
        }
    }
    Ok((runs, width))
}

/// The QR code as an element: each run is two 1-pt strokes, one under the other, so the
/// dark modules are filled squares (genpdf draws lines only; butt caps end them exactly).
struct QrElement {
    runs: Vec<Run>,
    width: usize,
}

impl QrElement {
    fn side(&self) -> Mm {
        Mm::from((self.width + 2 * QUIET_ZONE) as f64 * MODULE_MM)
    }
}

impl Element for QrElement {
    fn render(
        &mut self,
        _context: &Context,
        area: Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, Error> {
        let side = self.side();
        if area.size().height < side {
            // Not enough room left on this page: the code goes whole on the next one.
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        let origin = QUIET_ZONE as f64 * MODULE_MM;
        for run in &self.runs {
            let left = Mm::from(origin + run.start as f64 * MODULE_MM);
            let right = Mm::from(origin + run.end as f64 * MODULE_MM);
            let top = origin + run.row as f64 * MODULE_MM;
            for stroke in [0.5, 1.5] {
                let y = Mm::from(top + stroke * STROKE_MM);
                area.draw_line(
                    vec![Position::new(left, y), Position::new(right, y)],
                    Style::new(),
                );
            }
        }
        Ok(RenderResult {
            size: Size::new(side, side),
            has_more: false,
        })
    }
}

/// The stamp printed at the end of a cleared document: the QR code beside the mentions.
pub(crate) fn stamp_block(stamp: &ClearanceStamp) -> Result<TableLayout, Error> {
    let (runs, width) = qr_runs(&stamp.verification_code)?;
    let mut block = TableLayout::new(vec![1, 3]);
    block
        .row()
        .element(QrElement { runs, width })
        .element(
            LinearLayout::vertical()
                .element(heading("Validation DGI"))
                .element(field("Référence de validation", &stamp.reference))
                .element(field("Code de vérification", &stamp.verification_code))
                .element(field("Validée le", &date(stamp.cleared_at.date()))),
        )
        .push()?;
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runs_cover_exactly_the_dark_modules_of_the_code() {
        let (runs, width) = qr_runs("VC-0123456789ABCDEF").unwrap();
        let code = QrCode::with_error_correction_level(b"VC-0123456789ABCDEF", EcLevel::M)
            .unwrap()
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect::<Vec<_>>();
        let mut drawn = vec![false; width * width];
        for run in &runs {
            for column in run.start..run.end {
                drawn[run.row * width + column] = true;
            }
        }
        assert_eq!(drawn, code);
        assert!(width >= 21, "a QR code is at least 21 modules wide");
    }
}
