//! The bank file: a CSV with a header (`date;amount;reference;payer;invoice_number`, `;` or
//! `,` separated, UTF-8 with or without BOM, fields quoted the RFC 4180 way), read into one
//! [`SourceLine`] per payment line. A line that cannot be read is kept with its reason, so one
//! bad line never fails the file; only a file whose header cannot be read is refused.

use crate::error::{Error, Result};

/// Most payment lines in one file (decision 0222).
pub const MAX_IMPORT_LINES: usize = 10_000;

/// The columns of a bank file, in their usual order.
pub const COLUMNS: [&str; 5] = ["date", "amount", "reference", "payer", "invoice_number"];

/// The raw fields of one payment line, as written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportFields {
    /// `YYYY-MM-DD` or `DD/MM/YYYY`.
    pub date: String,
    /// Decimal MAD.
    pub amount: String,
    /// The bank's reference of the transfer.
    pub reference: String,
    /// Who paid, as the bank names them (may hold a CIN or ICE).
    pub payer: Option<String>,
    /// `FAC-YYYY-NNNNNN`, when the payer gave it.
    pub invoice_number: Option<String>,
}

/// One payment line of a file: its fields, or why they could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// 1 for the first payment line (the header and blank lines are not counted).
    pub line: u32,
    /// The fields, or the reason the line could not be read.
    pub fields: std::result::Result<ImportFields, String>,
}

/// Checks the number of lines of a file, whatever its format.
pub fn check_line_count(count: usize) -> Result<()> {
    if count == 0 {
        Err(Error::invalid("body", "the file holds no payment line"))
    } else if count > MAX_IMPORT_LINES {
        Err(Error::invalid(
            "body",
            format!("at most {MAX_IMPORT_LINES} payment lines per file; split it"),
        ))
    } else {
        Ok(())
    }
}

/// Reads a CSV bank file. `Validation` (field `header`) when the header is missing or names
/// an unknown, repeated or missing column, or (field `body`) for an empty or too long file.
pub fn parse_csv(text: &str) -> Result<Vec<SourceLine>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains(';') { ';' } else { ',' };
    let mut records = records(text, delimiter).into_iter();
    let header = loop {
        match records.next() {
            None => return Err(Error::invalid("header", "the file is empty")),
            Some(record) if record.is_blank() => continue,
            Some(record) => break record,
        }
    };
    let columns = Columns::read(&header)?;
    let mut lines = Vec::new();
    for record in records.filter(|r| !r.is_blank()) {
        if lines.len() >= MAX_IMPORT_LINES {
            // Counted, not kept: the answer is a refusal anyway.
            lines.push(SourceLine {
                line: 0,
                fields: Err(String::new()),
            });
            break;
        }
        let line = u32::try_from(lines.len() + 1).unwrap_or(u32::MAX);
        lines.push(SourceLine {
            line,
            fields: columns.fields(&record),
        });
    }
    check_line_count(lines.len())?;
    Ok(lines)
}

/// One CSV record: its fields, and whether a quoted field was left open at the end.
#[derive(Debug)]
struct Record {
    fields: Vec<String>,
    unterminated: bool,
}

impl Record {
    fn is_blank(&self) -> bool {
        !self.unterminated && self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Splits the text into records: `"` quotes a field (`""` inside is one quote), and a quoted
/// field may hold the delimiter or a line break. `\r\n` and `\n` both end a record.
fn records(text: &str, delimiter: char) -> Vec<Record> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            c if c == delimiter => fields.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push(Record {
                    fields: std::mem::take(&mut fields),
                    unterminated: false,
                });
            }
            other => field.push(other),
        }
    }
    if quoted || !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(Record {
            fields,
            unterminated: quoted,
        });
    }
    records
}

/// Where each column sits in the file's records.
struct Columns {
    count: usize,
    date: usize,
    amount: usize,
    reference: usize,
    payer: usize,
    invoice_number: Option<usize>,
}

impl Columns {
    fn read(header: &Record) -> Result<Columns> {
        let mut positions: [Option<usize>; 5] = [None; 5];
        for (index, raw) in header.fields.iter().enumerate() {
            let name = raw.trim().to_ascii_lowercase();
            let Some(column) = COLUMNS.iter().position(|c| *c == name) else {
                return Err(Error::invalid(
                    "header",
                    format!(
                        "unknown column `{}`; the columns are {}",
                        crate::text::displayable(raw.trim())
                            .chars()
                            .take(40)
                            .collect::<String>(),
                        COLUMNS.join(", ")
                    ),
                ));
            };
            if positions[column].replace(index).is_some() {
                return Err(Error::invalid(
                    "header",
                    format!("column `{name}` appears more than once"),
                ));
            }
        }
        let required = |i: usize| {
            positions[i].ok_or_else(|| {
                Error::invalid(
                    "header",
                    format!(
                        "column `{}` is missing; the header is date;amount;reference;payer\
                         [;invoice_number]",
                        COLUMNS[i]
                    ),
                )
            })
        };
        Ok(Columns {
            count: header.fields.len(),
            date: required(0)?,
            amount: required(1)?,
            reference: required(2)?,
            payer: required(3)?,
            invoice_number: positions[4],
        })
    }

    fn fields(&self, record: &Record) -> std::result::Result<ImportFields, String> {
        if record.unterminated {
            return Err("a quoted field is not closed".into());
        }
        if record.fields.len() != self.count {
            return Err(format!(
                "expected {} fields like the header, found {}",
                self.count,
                record.fields.len()
            ));
        }
        let text = |i: usize| record.fields[i].trim().to_owned();
        let optional = |i: usize| Some(text(i)).filter(|t| !t.is_empty());
        Ok(ImportFields {
            date: text(self.date),
            amount: text(self.amount),
            reference: text(self.reference),
            payer: optional(self.payer),
            invoice_number: self.invoice_number.and_then(optional),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &SourceLine) -> &ImportFields {
        line.fields.as_ref().expect("readable line")
    }

    #[test]
    fn a_semicolon_file_reads_every_column() {
        let lines = parse_csv(
            "date;amount;reference;payer;invoice_number\n\
             2026-11-03;1234,56;VIR-1;AB123456;FAC-2026-000001\r\n\
             \n\
             03/11/2026;10.00;VIR-2;;\n",
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 1);
        assert_eq!(
            fields(&lines[0]),
            &ImportFields {
                date: "2026-11-03".into(),
                amount: "1234,56".into(),
                reference: "VIR-1".into(),
                payer: Some("AB123456".into()),
                invoice_number: Some("FAC-2026-000001".into()),
            }
        );
        assert_eq!(lines[1].line, 2);
        assert_eq!(fields(&lines[1]).payer, None);
        assert_eq!(fields(&lines[1]).invoice_number, None);
    }

    #[test]
    fn a_comma_file_with_bom_quotes_and_columns_in_any_order() {
        let lines = parse_csv(
            "\u{feff}Reference,Date,Amount,Payer\n\"VIR, 7\",2026-11-03,\"1234,56\",\"Said \"\"S\"\"\"\n",
        )
        .unwrap();
        let line = fields(&lines[0]);
        assert_eq!(line.reference, "VIR, 7");
        assert_eq!(line.amount, "1234,56");
        assert_eq!(line.payer.as_deref(), Some("Said \"S\""));
        assert_eq!(line.invoice_number, None);
    }

    #[test]
    fn a_bad_line_is_kept_with_its_reason() {
        let lines =
            parse_csv("date;amount;reference;payer\n2026-11-03;1;R\n2026-11-03;1;R;P\n").unwrap();
        assert_eq!(
            lines[0].fields,
            Err("expected 4 fields like the header, found 3".into())
        );
        assert!(lines[1].fields.is_ok());
        let open = parse_csv("date;amount;reference;payer\n2026-11-03;1;\"R;P\n").unwrap();
        assert_eq!(open[0].fields, Err("a quoted field is not closed".into()));
    }

    #[test]
    fn a_bad_header_or_an_empty_file_fails_the_file() {
        for text in [
            "",
            "\n\n",
            "date;amount;reference\n2026-11-03;1;R\n",
            "date;amount;reference;payer;iban\n",
            "date;amount;reference;payer;date\n",
            "date;amount;reference;payer\n",
        ] {
            assert!(
                matches!(parse_csv(text), Err(Error::Validation(_))),
                "{text:?} was accepted"
            );
        }
    }

    #[test]
    fn more_lines_than_the_limit_fail_the_file() {
        let mut text = String::from("date;amount;reference;payer\n");
        for i in 0..=MAX_IMPORT_LINES {
            text.push_str(&format!("2026-11-03;1;R{i};P\n"));
        }
        assert!(matches!(parse_csv(&text), Err(Error::Validation(_))));
        let at_limit: String = text
            .lines()
            .take(MAX_IMPORT_LINES + 1)
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(parse_csv(&at_limit).unwrap().len(), MAX_IMPORT_LINES);
    }
}
