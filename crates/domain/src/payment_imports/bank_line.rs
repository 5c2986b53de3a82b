//! One line of a bank file, validated: the typed values the matching works on.

use time::macros::format_description;
use time::Date;

use super::file::ImportFields;
use super::matching::parse_invoice_number;
use crate::business_dates::DateWindow;
use crate::collections::MAX_REFERENCE_CHARS;
use crate::money::Money;
use crate::text::{check_text, TextKind};

/// Longest accepted payer name.
pub const MAX_PAYER_CHARS: usize = 200;

/// A readable bank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankLine {
    /// Day the money was received (not in the future).
    pub received_at: Date,
    /// Amount received, above zero.
    pub amount: Money,
    /// The bank's reference, required: it is what tells a line from its duplicate.
    pub reference: String,
    /// Who paid.
    pub payer: Option<String>,
    /// The invoice number the line names in its own column, upper-case.
    pub invoice_number: Option<String>,
}

impl BankLine {
    /// The line as of `today`, or every problem with it in one message
    /// (`date: …; amount: …`). Messages never repeat the refused text.
    pub fn read(fields: &ImportFields, today: Date) -> Result<BankLine, String> {
        let mut problems = Vec::new();
        let received_at = keep(&mut problems, "date", parse_bank_date(&fields.date, today));
        let amount = keep(&mut problems, "amount", super::parse_mad(&fields.amount));
        let reference = keep(
            &mut problems,
            "reference",
            text(&fields.reference, MAX_REFERENCE_CHARS, true),
        );
        let payer = keep(
            &mut problems,
            "payer",
            text(
                fields.payer.as_deref().unwrap_or(""),
                MAX_PAYER_CHARS,
                false,
            ),
        );
        let invoice_number = keep(
            &mut problems,
            "invoice_number",
            fields
                .invoice_number
                .as_deref()
                .map(parse_invoice_number)
                .transpose(),
        );
        match (received_at, amount, reference, payer, invoice_number) {
            (Some(received_at), Some(amount), Some(reference), Some(payer), Some(number))
                if problems.is_empty() =>
            {
                Ok(BankLine {
                    received_at,
                    amount,
                    reference,
                    payer: Some(payer).filter(|p| !p.is_empty()),
                    invoice_number: number,
                })
            }
            _ => Err(problems.join("; ")),
        }
    }
}

/// The value, or `None` with the field's problem added to `problems`.
fn keep<T>(problems: &mut Vec<String>, field: &str, result: Result<T, String>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            problems.push(format!("{field}: {message}"));
            None
        }
    }
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` (as French-language bank statements write it), not in the
/// future and inside the business-date window.
fn parse_bank_date(value: &str, today: Date) -> Result<Date, String> {
    let value = value.trim();
    let date = Date::parse(value, format_description!("[year]-[month]-[day]"))
        .or_else(|_| Date::parse(value, format_description!("[day]/[month]/[year]")))
        .map_err(|_| "is not a date; expected YYYY-MM-DD or DD/MM/YYYY".to_owned())?;
    if date > today {
        return Err(format!("must not be in the future (today is {today})"));
    }
    DateWindow::new(today, 0).check(date)
}

fn text(value: &str, max_chars: usize, required: bool) -> Result<String, String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err("is required: it tells a line from its duplicate".into());
    }
    if value.chars().count() > max_chars {
        return Err(format!("must be at most {max_chars} characters"));
    }
    check_text(value, TextKind::Line)?;
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 10);

    fn fields(date: &str, amount: &str, reference: &str) -> ImportFields {
        ImportFields {
            date: date.into(),
            amount: amount.into(),
            reference: reference.into(),
            payer: Some(" AB123456 ".into()),
            invoice_number: Some("fac-2026-000001".into()),
        }
    }

    #[test]
    fn a_good_line_reads_into_typed_values() {
        let line = BankLine::read(&fields("03/11/2026", "1234,56", "VIR-1"), TODAY).unwrap();
        assert_eq!(line.received_at, date!(2026 - 11 - 03));
        assert_eq!(line.amount.centimes(), 123_456);
        assert_eq!(line.payer.as_deref(), Some("AB123456"));
        assert_eq!(line.invoice_number.as_deref(), Some("FAC-2026-000001"));
    }

    #[test]
    fn every_problem_of_a_line_is_named_once() {
        let message = BankLine::read(&fields("2026-13-01", "12,345", ""), TODAY).unwrap_err();
        assert!(message.starts_with("date: "), "{message}");
        assert!(message.contains("; amount: "), "{message}");
        assert!(message.contains("; reference: is required"), "{message}");
        let future = BankLine::read(&fields("2026-11-11", "1", "R"), TODAY).unwrap_err();
        assert!(future.contains("must not be in the future"), "{future}");
        let escape = BankLine::read(&fields("2026-11-01", "1", "R\u{1b}[2J"), TODAY).unwrap_err();
        assert!(
            escape.starts_with("reference: must not contain control"),
            "{escape}"
        );
    }
}
