//! A paragraph that never loses text: a word wider than its column is broken across lines.
//!
//! genpdf 0.2 wraps only at spaces, and when one word is wider than the column it stops the
//! paragraph there, silently dropping that word and everything after it (a 60-letter last
//! name, an address written with hyphens instead of spaces). This element cuts such a word
//! into pieces that each fit, once the column width is known, and lets genpdf wrap the rest.

use genpdf::elements::Paragraph;
use genpdf::error::Error;
use genpdf::fonts::FontCache;
use genpdf::render::Area;
use genpdf::style::{Style, StyledString};
use genpdf::{Context, Element, Mm, RenderResult};

/// Styled text wrapped at spaces, and inside a word only when the word cannot fit on a line.
#[derive(Default)]
pub(crate) struct WrappedText {
    parts: Vec<StyledString>,
    /// Built on the first render, when the width of the column is known; genpdf then keeps
    /// what is left of it between pages.
    paragraph: Option<Paragraph>,
}

impl WrappedText {
    /// Appends `text` (already printable) in `style`.
    pub(crate) fn styled(mut self, text: String, style: Style) -> Self {
        self.parts.push(StyledString::new(text, style));
        self
    }
}

impl Element for WrappedText {
    fn render(
        &mut self,
        context: &Context,
        area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let width = area.size().width;
        let parts = &mut self.parts;
        let paragraph = self.paragraph.get_or_insert_with(|| {
            let mut paragraph = Paragraph::default();
            for part in parts.drain(..) {
                let full_style = style.and(part.style);
                let text = break_long_words(&context.font_cache, full_style, &part.s, width);
                paragraph.push_styled(text, part.style);
            }
            paragraph
        });
        paragraph.render(context, area, style)
    }
}

/// `text` with every word wider than `width` cut into pieces separated by spaces, each piece
/// fitting on a line of its own (with the trailing space genpdf counts in a word's width).
fn break_long_words(font_cache: &FontCache, style: Style, text: &str, width: Mm) -> String {
    let fits = |piece: &str| style.str_width(font_cache, &format!("{piece} ")) <= width;
    let words: Vec<String> = text
        .split(' ')
        .map(|word| {
            if fits(word) {
                return word.to_owned();
            }
            let mut pieces: Vec<String> = Vec::new();
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                // A lone character always stays: a column narrower than one letter would
                // drop text however it is cut.
                if !fits(&piece) && piece.chars().count() > 1 {
                    piece.pop();
                    pieces.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            pieces.push(piece);
            pieces.join(" ")
        })
        .collect();
    words.join(" ")
}
