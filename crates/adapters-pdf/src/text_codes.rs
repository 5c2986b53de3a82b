//! Rewrites genpdf's text operations for built-in fonts into one byte per character.
//!
//! genpdf 0.2 encodes text for a built-in font in Windows-1252 but writes every code as two
//! bytes (`[<0048><00E9>] TJ` for `Hé`), as if the font were a two-byte CID font. A built-in
//! font is a simple font: each byte is a character, so a viewer sees a `.notdef` code 0 before
//! every letter (pdftotext skips it; its width and copy-paste are up to the viewer). This turns
//! each such `TJ` into `[(H\351)] TJ`: one literal string per run, kerning numbers kept.

/// Returns `content` (an uncompressed content stream as printpdf writes it, one operation per
/// line) with every genpdf `TJ` line rewritten; any other line is kept byte for byte.
pub(crate) fn single_byte_text(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() / 3);
    for line in content.split_inclusive(|byte| *byte == b'\n') {
        let (body, newline) = match line.strip_suffix(b"\n") {
            Some(body) => (body, &b"\n"[..]),
            None => (line, &b""[..]),
        };
        match rewrite_tj(body) {
            Some(rewritten) => out.extend_from_slice(&rewritten),
            None => out.extend_from_slice(body),
        }
        out.extend_from_slice(newline);
    }
    out
}

/// `[<0048><00E9> -12 <006C>] TJ` → `[(H\351)-12(l)] TJ`; `None` if the line is anything else.
fn rewrite_tj(line: &[u8]) -> Option<Vec<u8>> {
    let array = line.strip_prefix(b"[")?.strip_suffix(b"] TJ")?;
    let mut out = Vec::with_capacity(array.len() / 3 + 8);
    out.push(b'[');
    let mut run: Vec<u8> = Vec::new();
    let mut rest = array;
    while let Some(&first) = rest.first() {
        match first {
            b' ' => rest = &rest[1..],
            b'<' => {
                let end = rest.iter().position(|byte| *byte == b'>')?;
                run.push(two_byte_code(&rest[1..end])?);
                rest = &rest[end + 1..];
            }
            b'-' | b'0'..=b'9' => {
                let end = rest
                    .iter()
                    .position(|byte| !matches!(byte, b'-' | b'.' | b'0'..=b'9'))
                    .unwrap_or(rest.len());
                flush(&mut out, &mut run);
                out.extend_from_slice(&rest[..end]);
                rest = &rest[end..];
            }
            _ => return None,
        }
    }
    flush(&mut out, &mut run);
    out.extend_from_slice(b"] TJ");
    Some(out)
}

/// `00E9` → `0xE9`; `None` unless four hex digits with a zero high byte.
fn two_byte_code(hex: &[u8]) -> Option<u8> {
    let [b'0', b'0', high, low] = hex else {
        return None;
    };
    Some(hex_digit(*high)? << 4 | hex_digit(*low)?)
}

fn hex_digit(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

/// Appends `run` as a PDF literal string, escaping what must be, and empties it.
fn flush(out: &mut Vec<u8>, run: &mut Vec<u8>) {
    if run.is_empty() {
        return;
    }
    out.push(b'(');
    for &byte in run.iter() {
        match byte {
            b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
            // Line ends inside a literal string would be normalised by readers: use octal.
            0..=0x1F | 0x7F => out.extend_from_slice(format!("\\{byte:03o}").as_bytes()),
            _ => out.push(byte),
        }
    }
    out.push(b')');
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_byte_codes_become_one_literal_string_per_run() {
        let content = b"BT\n[<0048><00E9> -12 <006C>] TJ\nET\n";
        assert_eq!(
            single_byte_text(content),
            b"BT\n[(H\xE9)-12(l)] TJ\nET\n".to_vec()
        );
    }

    #[test]
    fn parentheses_and_backslashes_are_escaped() {
        let content = b"[<0028><005C><0029>] TJ";
        assert_eq!(single_byte_text(content), b"[(\\(\\\\\\))] TJ".to_vec());
    }

    #[test]
    fn other_lines_and_unexpected_codes_are_kept_as_is() {
        let content = b"/Helvetica 10.00 Tf\n[<0148>] TJ\n[<00E9> /X] TJ\n";
        assert_eq!(single_byte_text(content), content.to_vec());
    }
}
