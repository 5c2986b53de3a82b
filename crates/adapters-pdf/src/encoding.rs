//! Makes any text printable with a built-in PDF font (WinAnsiEncoding, i.e. Windows-1252).

/// The encoding printpdf declares for built-in fonts and genpdf encodes their text with.
const WIN_ANSI: &str = "WinAnsiEncoding";

/// Returns `text` with every character Windows-1252 can encode kept as is (accents, `«»`, `–`,
/// `’`, `€`…), exotic spaces turned into plain spaces, and anything else replaced by `?`.
///
/// genpdf refuses to print a string with a character outside Windows-1252 when the font is
/// built in; replacing it keeps a document printable whatever a user typed.
pub(crate) fn win_ansi(text: &str) -> String {
    text.chars().map(printable).collect()
}

fn printable(c: char) -> char {
    match c {
        ' '..='~' => c,
        // lopdf's table maps code 0xA0 to the plain space, so U+00A0 itself cannot be encoded.
        '\u{A0}' | '\u{2007}' | '\u{2009}' | '\u{202F}' | '\t' | '\n' | '\r' => ' ',
        '\u{2010}' | '\u{2011}' | '\u{2212}' => '-',
        _ if encodable(c) => c,
        _ => '?',
    }
}

fn encodable(c: char) -> bool {
    let mut buffer = [0_u8; 4];
    lopdf::Document::encode_text(Some(WIN_ANSI), c.encode_utf8(&mut buffer)).len() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_kept_as_is() {
        let text = "Hajar Benkirane – Fès, « Été » à Oujda, ça coûte 5 € l’unité";
        assert_eq!(win_ansi(text), text);
    }

    #[test]
    fn exotic_spaces_become_plain_spaces() {
        assert_eq!(win_ansi("1\u{202F}234\u{A0}MAD"), "1 234 MAD");
    }

    #[test]
    fn characters_outside_windows_1252_become_question_marks() {
        assert_eq!(win_ansi("حجر Ω"), "??? ?");
    }
}
