//! Liberation Sans metrics compiled into the binary, standing for the built-in PDF Helvetica.

use genpdf::error::Error;
use genpdf::fonts::{FontData, FontFamily};
use printpdf::BuiltinFont;

// Liberation Sans is metrically compatible with Helvetica (Arial metrics): its widths drive
// line wrapping and alignment while the PDF names the built-in font, so no font program is
// embedded in the output and nothing is read from disk at run time.
const REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../fonts/LiberationSans-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSans-BoldItalic.ttf");

/// The Helvetica family (regular, bold, oblique, bold oblique) with Liberation Sans metrics.
///
/// Parse once and clone: the parsed fonts share their bytes, so a clone is cheap.
pub(crate) fn helvetica() -> Result<FontFamily<FontData>, Error> {
    Ok(FontFamily {
        regular: FontData::new(REGULAR.to_vec(), Some(BuiltinFont::Helvetica))?,
        bold: FontData::new(BOLD.to_vec(), Some(BuiltinFont::HelveticaBold))?,
        italic: FontData::new(ITALIC.to_vec(), Some(BuiltinFont::HelveticaOblique))?,
        bold_italic: FontData::new(
            BOLD_ITALIC.to_vec(),
            Some(BuiltinFont::HelveticaBoldOblique),
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_metrics_parse_as_fonts() {
        assert!(helvetica().is_ok());
    }
}
