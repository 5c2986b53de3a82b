//! The characters a text field may hold.
//!
//! Text a client or an operator types is shown again elsewhere: in the back office, on the
//! public landing page (`verify-cin` greets a client by first name), in logs and terminals, and
//! printed on contracts and invoices. Control characters, ANSI escape sequences and bidi
//! overrides would let one person's input rewrite what another person sees, so every text
//! field refuses them; a field that reaches a document also refuses what the documents'
//! built-in fonts cannot print (decision 0121).

/// What a text field is for, hence which characters it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line: names, references, reasons. No control character at all.
    Line,
    /// Free text over several lines (descriptions, notes): line feeds and tabs allowed.
    Lines,
    /// One line printed on contracts or invoices: Windows-1252 characters only.
    Printed,
}

/// Why a text was refused, with the first offending character and its 1-based position.
pub fn check_text(value: &str, kind: TextKind) -> Result<(), String> {
    for (index, c) in value.chars().enumerate() {
        let position = index + 1;
        if is_bidi_control(c) {
            return Err(format!(
                "must not contain bidirectional formatting characters (found {} at character \
                 {position})",
                code_point(c)
            ));
        }
        if is_control(c) && !(kind == TextKind::Lines && matches!(c, '\n' | '\t')) {
            return Err(format!(
                "must not contain control characters or escape sequences (found {} at \
                 character {position})",
                code_point(c)
            ));
        }
        if kind == TextKind::Printed && !is_printable_in_documents(c) {
            return Err(format!(
                "is printed on contracts and invoices, which print Latin script only \
                 (Windows-1252): {} at character {position} cannot be printed",
                code_point(c)
            ));
        }
    }
    Ok(())
}

/// C0 (U+0000–U+001F, ESC included), DEL and C1 (U+0080–U+009F), plus the Unicode line and
/// paragraph separators, which break a line like a control character would.
pub fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Characters that reorder the text around them: embeddings and overrides (U+202A–U+202E),
/// isolates (U+2066–U+2069) and the invisible direction marks (U+200E, U+200F, U+061C).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether the documents print `c` as itself: Windows-1252 (the encoding of the built-in PDF
/// fonts), plus the spaces and hyphens the PDF adapter prints as a plain space or hyphen.
/// The invisible soft hyphen (U+00AD) is not: the PDF encoding table has no code for it.
pub fn is_printable_in_documents(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{A0}'..='\u{AC}'
            | '\u{AE}'..='\u{FF}'
            | '\u{2007}' | '\u{2009}' | '\u{202F}'
            | '\u{2010}' | '\u{2011}' | '\u{2212}'
    ) || WINDOWS_1252_EXTRAS.contains(&c)
}

/// The characters Windows-1252 puts at 0x80–0x9F, where Latin-1 has C1 controls.
const WINDOWS_1252_EXTRAS: [char; 27] = [
    '€', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 'Ž', '‘', '’', '“', '”', '•', '–',
    '—', '˜', '™', 'š', '›', 'œ', 'ž', 'Ÿ',
];

/// Checks every string of a JSON document given as compact text (a landing draft): escaped
/// controls (`\u001b`, `\r`…) count like raw ones; `\n` and `\t` are allowed, as in notes.
pub fn check_json_text(json: &str) -> Result<(), String> {
    let mut chars = json.chars();
    let mut unescaped = String::with_capacity(json.len());
    while let Some(c) = chars.next() {
        if c != '\\' {
            unescaped.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => unescaped.push('\n'),
            Some('t') => unescaped.push('\t'),
            Some('r') => unescaped.push('\r'),
            Some('b') => unescaped.push('\u{8}'),
            Some('f') => unescaped.push('\u{C}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                // A lone surrogate half cannot be a control: keep a harmless stand-in.
                let decoded = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('?');
                unescaped.push(decoded);
            }
            Some(other) => unescaped.push(other),
            None => {}
        }
    }
    check_text(&unescaped, TextKind::Lines)
}

/// `value` without the characters [`check_text`] refuses everywhere, for text shown to the
/// public that may have been stored before the rule existed.
pub fn displayable(value: &str) -> String {
    value
        .chars()
        .filter(|c| !is_control(*c) && !is_bidi_control(*c))
        .collect()
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_moroccan_latin_text_is_accepted_everywhere() {
        for kind in [TextKind::Line, TextKind::Lines, TextKind::Printed] {
            let text = "Hajar Benkirane – Aït Ourir, « Été » à Fès, 5 € l’unité, Œuvre";
            assert_eq!(check_text(text, kind), Ok(()), "{kind:?}");
        }
    }

    #[test]
    fn ansi_escape_sequences_are_refused() {
        let error = check_text("Hajar\u{1b}[31m", TextKind::Lines).unwrap_err();
        assert!(error.contains("U+001B at character 6"), "{error}");
    }

    #[test]
    fn every_c0_c1_and_del_is_refused_in_one_line_fields() {
        let controls = ('\u{0}'..='\u{1F}').chain('\u{7F}'..='\u{9F}');
        for c in controls {
            for kind in [TextKind::Line, TextKind::Printed] {
                assert!(
                    check_text(&format!("a{c}b"), kind).is_err(),
                    "{c:?} {kind:?}"
                );
            }
        }
    }

    #[test]
    fn multi_line_fields_allow_line_feeds_and_tabs_only() {
        assert_eq!(check_text("ligne 1\n\tligne 2", TextKind::Lines), Ok(()));
        assert!(check_text("ligne 1\r\nligne 2", TextKind::Lines).is_err());
        assert!(check_text("a\u{2028}b", TextKind::Lines).is_err());
        assert!(check_text("a\nb", TextKind::Line).is_err());
    }

    #[test]
    fn bidi_controls_are_refused_even_in_free_text() {
        let bidi = ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}']
            .into_iter()
            .chain(['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'])
            .chain(['\u{200E}', '\u{200F}', '\u{061C}']);
        for c in bidi {
            let error = check_text(&format!("abc{c}def"), TextKind::Lines).unwrap_err();
            assert!(error.contains("bidirectional"), "{c:?}: {error}");
            assert!(error.contains("at character 4"), "{error}");
        }
    }

    #[test]
    fn arabic_script_is_accepted_on_screen_but_refused_in_printed_fields() {
        assert_eq!(check_text("حجر", TextKind::Line), Ok(()));
        let error = check_text("Hajar حجر", TextKind::Printed).unwrap_err();
        assert!(error.contains("Latin script only"), "{error}");
        assert!(error.contains("U+062D at character 7"), "{error}");
    }

    #[test]
    fn windows_1252_is_exactly_what_printed_fields_accept() {
        assert!(('\u{A0}'..='\u{FF}')
            .filter(|c| *c != '\u{AD}')
            .all(is_printable_in_documents));
        assert!(!is_printable_in_documents('\u{AD}'));
        assert!(WINDOWS_1252_EXTRAS.iter().all(|c| u32::from(*c) > 0xFF));
        assert!(!is_printable_in_documents('Ω'));
        assert!(!is_printable_in_documents('\u{81}'));
        assert!(!is_printable_in_documents('😀'));
    }

    #[test]
    fn displayable_text_drops_controls_and_bidi_but_keeps_every_letter() {
        assert_eq!(displayable("Ha\u{1b}[2Jjar\u{202E} حجر"), "Ha[2Jjar حجر");
    }

    #[test]
    fn json_escapes_of_controls_are_refused_like_raw_ones() {
        assert_eq!(check_json_text(r#"{"note":"a\nb\t\\u001b"}"#), Ok(()));
        assert!(check_json_text(r#"{"first_name":"a\u001b[31m"}"#).is_err());
        assert!(check_json_text(r#"{"x":"a\r"}"#).is_err());
        assert!(check_json_text("{\"x\":\"a\u{202E}b\"}").is_err());
        assert!(check_json_text("{\"x\":\"a\u{85}b\"}").is_err());
    }
}
