//! What a finished PDF says about itself: title, dates and file id, all derived from the
//! document so the same input always gives the same bytes.
//!
//! printpdf stamps the current time and a process-wide counter instead; `pdf_file` replaces
//! its Info dictionary and trailer `/ID` with these.

use std::fmt::Write;

use time::Date;

/// The document-level facts stamped into the PDF.
pub(crate) struct Metadata {
    /// Document title (`Contrat CTR-… version 2`), any Unicode.
    pub(crate) title: String,
    /// Stamped as creation and modification date: the document's own date, not the clock.
    pub(crate) date: Date,
    /// A text that changes whenever the document's facts change; hashed into the file `/ID`.
    pub(crate) fingerprint: String,
}

const PRODUCER: &str = "MT-Facturation (genpdf 0.2)";

impl Metadata {
    /// The Info dictionary: `<</Title<FEFF…>/Producer<FEFF…>/CreationDate(D:…)/ModDate(D:…)>>`.
    pub(crate) fn info_dictionary(&self) -> String {
        let date = pdf_date(self.date);
        format!(
            "<</Title{}/Producer{}/CreationDate({date})/ModDate({date})>>",
            text_string(&self.title),
            text_string(PRODUCER)
        )
    }

    /// The file identifier, 16 bytes as 32 hex digits (the same for both `/ID` entries).
    pub(crate) fn file_id(&self) -> String {
        format!("{:032X}", fnv1a_128(self.fingerprint.as_bytes()))
    }
}

/// `D:20260115000000Z`.
fn pdf_date(date: Date) -> String {
    format!(
        "D:{:04}{:02}{:02}000000Z",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A PDF text string in hex: UTF-16BE with a byte order mark, so accents survive in viewers.
fn text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// FNV-1a, 128 bits: a stable, dependency-free hash (the file id is no security feature).
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |hash, byte| {
        (hash ^ u128::from(*byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn metadata() -> Metadata {
        Metadata {
            title: "Facture é".to_owned(),
            date: date!(2026 - 01 - 05),
            fingerprint: "a".to_owned(),
        }
    }

    #[test]
    fn info_dictionary_has_utf16_title_and_the_document_date() {
        let info = metadata().info_dictionary();
        assert!(info.starts_with("<</Title<FEFF0046006100630074007500720065002000E9>"));
        assert!(info.contains("/CreationDate(D:20260105000000Z)/ModDate(D:20260105000000Z)>>"));
    }

    #[test]
    fn file_id_is_the_fnv1a_128_of_the_fingerprint() {
        assert_eq!(fnv1a_128(b""), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(metadata().file_id(), "D228CB696F1A8CAF78912B704E4A8964");
    }
}
