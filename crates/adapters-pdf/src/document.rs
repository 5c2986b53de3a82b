//! Page setup shared by both documents, and rendering to final PDF bytes.

use std::panic::{catch_unwind, AssertUnwindSafe};

use domain::Error;
use genpdf::fonts::{FontData, FontFamily};
use genpdf::{Document, PaperSize, SimplePageDecorator};

use crate::layout::BODY_SIZE;
use crate::metadata::Metadata;
use crate::pdf_file::finish;

/// An empty A4 document in Helvetica with 15 mm margins and no ICC profile or XMP metadata
/// (minimal conformance: they would add ~tens of KB and nothing a reader needs).
pub(crate) fn new_document(fonts: &FontFamily<FontData>) -> Document {
    let mut document = Document::new(fonts.clone());
    document.set_paper_size(PaperSize::A4);
    document.set_minimal_conformance();
    document.set_font_size(BODY_SIZE);
    document.set_line_spacing(1.25);
    let mut decorator = SimplePageDecorator::new();
    decorator.set_margins(15);
    document.set_page_decorator(decorator);
    document
}

/// Lays out `document` and returns its bytes, with deterministic metadata.
///
/// genpdf and printpdf contain `unwrap`/`expect` calls on paths we believe unreachable; a panic
/// there is caught and reported as `Error::Rendering` rather than taking a worker down.
pub(crate) fn render(document: Document, metadata: &Metadata) -> Result<Vec<u8>, Error> {
    let rendered = catch_unwind(AssertUnwindSafe(|| {
        let mut raw = Vec::with_capacity(32 * 1024);
        document.render(&mut raw).map(|()| raw)
    }));
    let raw = match rendered {
        Ok(Ok(raw)) => raw,
        Ok(Err(error)) => return Err(Error::Rendering(format!("{}: {error}", metadata.title))),
        Err(_) => {
            return Err(Error::Rendering(format!(
                "{}: the PDF library panicked",
                metadata.title
            )))
        }
    };
    finish(&raw, metadata).map_err(|error| Error::Rendering(format!("{}: {error}", metadata.title)))
}
