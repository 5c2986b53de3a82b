//! Reads the text back from a rendered PDF, shared by the rendering tests.

#![allow(dead_code)]
// Helpers outside `#[test]` functions: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

/// The text of every page, one line per text object, decoded as WinAnsiEncoding.
///
/// lopdf 0.26's own `extract_text` does not follow the indirect `/Font` dictionary printpdf
/// writes and falls back to StandardEncoding, so this decodes by hand, after checking that
/// every font really is a built-in one declaring WinAnsiEncoding.
pub fn text_of(pdf: &[u8]) -> String {
    use lopdf::{content::Content, Object};

    let document = lopdf::Document::load_mem(pdf).expect("a readable PDF");
    assert_fonts_are_builtin_win_ansi(&document);
    let mut text = String::new();
    for page in document.get_pages().values() {
        let content = document.get_page_content(*page).expect("page content");
        let content = Content::decode(&content).expect("decodable content");
        for operation in &content.operations {
            let strings: Vec<&Object> = match operation.operator.as_str() {
                "Tj" => operation.operands.iter().collect(),
                "TJ" => operation
                    .operands
                    .iter()
                    .flat_map(|operand| operand.as_array().expect("TJ array"))
                    .collect(),
                "ET" => {
                    text.push('\n');
                    continue;
                }
                _ => continue,
            };
            for string in strings {
                if let Object::String(bytes, _) = string {
                    // One byte per character, or this is not a simple font's text.
                    assert!(!bytes.contains(&0), "two-byte codes in {bytes:?}");
                    text.push_str(&lopdf::Document::decode_text(
                        Some("WinAnsiEncoding"),
                        bytes,
                    ));
                }
            }
        }
    }
    text
}

fn assert_fonts_are_builtin_win_ansi(document: &lopdf::Document) {
    let fonts: Vec<_> = document
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Font"))
        .collect();
    assert!(!fonts.is_empty());
    for font in fonts {
        let name = |key: &[u8]| font.get(key).and_then(|v| v.as_name_str()).ok();
        assert_eq!(name(b"Subtype"), Some("Type1"));
        assert_eq!(name(b"Encoding"), Some("WinAnsiEncoding"));
        assert!(
            font.get(b"FontDescriptor").is_err(),
            "no font program embedded"
        );
    }
}
