//! The text of a PDF made with built-in WinAnsiEncoding fonts (as adapters-pdf makes them),
//! one line per text object; lopdf's own `extract_text` misreads those fonts.

use lopdf::content::Content;
use lopdf::Object;

/// Every page's text, in order.
pub fn text_of(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).expect("a readable PDF");
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
