//! CSV as Excel in French opens it by a double click: UTF-8 with a byte-order mark, `;`
//! between fields, a decimal comma in amounts, CRLF line ends (decision 0231).

/// Marks the file as UTF-8 for Excel (without it, accented names open as Windows-1252).
pub const BOM: &str = "\u{feff}";

/// `text/csv; charset=utf-8`.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// One CSV record being written into a buffer.
pub struct Record<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Record<'a> {
    /// Starts a record at the end of `out`.
    pub fn new(out: &'a mut String) -> Self {
        Record { out, first: true }
    }

    fn separate(&mut self) {
        if !self.first {
            self.out.push(';');
        }
        self.first = false;
    }

    /// A text field: quoted when it holds `;`, `"` or a line break; a leading `=`, `+`, `-`
    /// or `@` is escaped with `'` so a spreadsheet never runs a name as a formula.
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.separate();
        let guarded;
        let value = if value.starts_with(['=', '+', '-', '@']) {
            guarded = format!("'{value}");
            guarded.as_str()
        } else {
            value
        };
        if value.contains([';', '"', '\n', '\r']) {
            self.out.push('"');
            self.out.push_str(&value.replace('"', "\"\""));
            self.out.push('"');
        } else {
            self.out.push_str(value);
        }
        self
    }

    /// An optional text field (empty when absent).
    pub fn opt(&mut self, value: Option<&str>) -> &mut Self {
        self.text(value.unwrap_or(""))
    }

    /// An amount in centimes as decimal MAD with a comma: `-1234,56`.
    pub fn amount(&mut self, centimes: i64) -> &mut Self {
        self.separate();
        self.out.push_str(&decimal(centimes));
        self
    }

    /// A field written as it is (dates, numbers, wire names: no separator inside).
    pub fn raw(&mut self, value: &str) -> &mut Self {
        self.separate();
        self.out.push_str(value);
        self
    }

    /// Ends the record.
    pub fn end(&mut self) {
        self.out.push_str("\r\n");
    }
}

/// `centimes` as decimal units with a comma and two decimals: `1234,56`, `-0,05`.
pub fn decimal(centimes: i64) -> String {
    let sign = if centimes < 0 { "-" } else { "" };
    let abs = centimes.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// A TVA rate in basis points as a percentage for a column name: `20`, `5_5`, `7_25`.
pub fn rate_label(rate_bp: i32) -> String {
    let (whole, rest) = (rate_bp / 100, rate_bp % 100);
    match rest {
        0 => whole.to_string(),
        r if r % 10 == 0 => format!("{whole}_{}", r / 10),
        r => format!("{whole}_{r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_a_decimal_comma_and_keep_their_sign() {
        assert_eq!(decimal(123_456), "1234,56");
        assert_eq!(decimal(-5), "-0,05");
        assert_eq!(decimal(0), "0,00");
        assert_eq!(decimal(i64::MIN), "-92233720368547758,08");
    }

    #[test]
    fn text_is_quoted_when_needed_and_never_read_as_a_formula() {
        let mut out = String::new();
        Record::new(&mut out)
            .text("Benkirane; Hajar")
            .text("dit \"Hajar\"")
            .text("=SUM(A1)")
            .text("plain")
            .amount(-100)
            .end();
        assert_eq!(
            out,
            "\"Benkirane; Hajar\";\"dit \"\"Hajar\"\"\";'=SUM(A1);plain;-1,00\r\n"
        );
    }

    #[test]
    fn rates_name_their_columns_as_percentages() {
        assert_eq!(rate_label(2000), "20");
        assert_eq!(rate_label(550), "5_5");
        assert_eq!(rate_label(725), "7_25");
    }
}
