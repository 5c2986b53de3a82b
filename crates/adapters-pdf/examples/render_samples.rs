//! Writes the sample contract and invoices as PDF files, to check them with poppler or qpdf.
//!
//! `cargo run -p adapters-pdf --example render_samples -- target/pdf-samples`, then e.g.
//! `pdftotext -layout target/pdf-samples/invoice.pdf -` and `qpdf --check …`.

#[path = "../tests/samples/mod.rs"]
mod samples;

use std::error::Error;
use std::path::PathBuf;

use adapters_pdf::GenPdfRenderer;
use domain::documents::DocumentRenderer;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/pdf-samples".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let renderer = GenPdfRenderer::new()?;
    let files = [
        ("contract.pdf", renderer.contract(&samples::contract())?),
        ("invoice.pdf", renderer.invoice(&samples::invoice())?),
        (
            "invoice-120-lines.pdf",
            renderer.invoice(&samples::long_invoice(120))?,
        ),
    ];
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, &bytes)?;
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
