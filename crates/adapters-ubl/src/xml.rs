//! A minimal XML writer: elements in the order they are written, two-space indentation, text
//! and attribute values escaped. Enough for UBL, where every element is either a container or
//! holds text.

/// `urn:…:CommonAggregateComponents-2`, prefix `cac`.
pub(crate) const CAC: &str =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
/// `urn:…:CommonBasicComponents-2`, prefix `cbc`.
pub(crate) const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// An XML document being written.
pub(crate) struct Writer {
    out: String,
    open: Vec<&'static str>,
}

impl Writer {
    /// A document whose root element is `root` in namespace `namespace`, with the `cac` and
    /// `cbc` prefixes declared on it.
    pub(crate) fn new(root: &'static str, namespace: &str) -> Self {
        let mut out = String::with_capacity(8 * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
        out.push_str(root);
        for (name, value) in [("xmlns", namespace), ("xmlns:cac", CAC), ("xmlns:cbc", CBC)] {
            out.push_str("\n    ");
            out.push_str(name);
            out.push_str("=\"");
            escape_into(&mut out, value);
            out.push('"');
        }
        out.push_str(">\n");
        Self {
            out,
            open: vec![root],
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    /// Opens the container `name` (e.g. `cac:Party`).
    pub(crate) fn open(&mut self, name: &'static str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(">\n");
        self.open.push(name);
        self
    }

    /// Closes the innermost open container.
    pub(crate) fn close(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
        }
        self
    }

    /// `<name>text</name>`.
    pub(crate) fn text(&mut self, name: &'static str, text: &str) -> &mut Self {
        self.text_with(name, &[], text)
    }

    /// `<name a="v"…>text</name>`.
    pub(crate) fn text_with(
        &mut self,
        name: &'static str,
        attributes: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (attribute, value) in attributes {
            self.out.push(' ');
            self.out.push_str(attribute);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        self
    }

    /// Closes what is still open and returns the document.
    pub(crate) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Appends `text` escaped for element content and attribute values. Characters XML 1.0 cannot
/// carry at all (control characters other than tab and line breaks, surrogates are impossible
/// in a `str`, U+FFFE/U+FFFF) become U+FFFD, so the document always parses.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_replaced() {
        let mut out = String::new();
        escape_into(&mut out, "A&B <c> \"d\" 'e'\u{1b}\u{FFFF}é");
        assert_eq!(
            out,
            "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;\u{FFFD}\u{FFFD}é"
        );
    }

    #[test]
    fn elements_nest_with_two_space_indentation() {
        let mut w = Writer::new("Invoice", "urn:x");
        w.open("cac:Party")
            .text_with("cbc:ID", &[("schemeID", "ICE")], "1");
        let xml = w.finish();
        assert!(xml.ends_with(
            "  <cac:Party>\n    <cbc:ID schemeID=\"ICE\">1</cbc:ID>\n  </cac:Party>\n</Invoice>\n"
        ));
    }
}
