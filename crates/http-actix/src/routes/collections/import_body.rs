//! The body of `POST /collections/payment-imports`: a CSV bank file (`text/csv`) or a JSON
//! array of the same fields, read into the domain's source lines. A line the JSON form cannot
//! type is kept with its reason (it is reported `rejected`), as a bad CSV line is.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::rt::time::timeout;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use domain::payment_imports::{check_line_count, parse_csv, ImportFields, SourceLine, COLUMNS};
use domain::text::displayable;
use serde_json::Value;

use crate::json::{body_read_timeout, declared_too_large, media_type};
use crate::problem::ApiError;
use crate::strict_json::{self, StrictJsonError};

/// A bank file as received: its bytes, in a media type the import takes. It is read with
/// [`ImportBody::read`] once the caller is authorised, so a stranger learns nothing about
/// the file's content from the answer.
#[derive(Debug)]
pub struct ImportBody {
    format: Format,
    bytes: Bytes,
}

/// A bank file read: its lines, and the document that fingerprints the request.
#[derive(Debug)]
pub struct ImportFile {
    /// One entry per payment line.
    pub lines: Vec<SourceLine>,
    /// `{"csv": text}` or the JSON array as sent.
    pub document: Value,
}

impl ImportBody {
    /// The file's lines: 400 for text that is not UTF-8 or JSON that is not an array of
    /// lines, 422 for a CSV header that cannot be read or a count of lines out of bounds.
    pub fn read(&self) -> Result<ImportFile, ApiError> {
        match self.format {
            Format::Csv => read_csv(&self.bytes),
            Format::Json => read_json(&self.bytes),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

fn format_of(req: &HttpRequest) -> Option<Format> {
    match media_type(req)?.as_str() {
        "text/csv" => Some(Format::Csv),
        "application/json" => Some(Format::Json),
        _ => None,
    }
}

impl FromRequest for ImportBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let format = format_of(req);
        let too_large = declared_too_large(req);
        let read_timeout = body_read_timeout(req);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if too_large {
                return Err(ApiError::PayloadTooLarge);
            }
            let Some(format) = format else {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "text/csv or application/json",
                });
            };
            let bytes = timeout(read_timeout, bytes)
                .await
                .map_err(|_| ApiError::RequestTimeout)?
                .map_err(|error| {
                    if error.as_response_error().status_code().as_u16() == 413 {
                        ApiError::PayloadTooLarge
                    } else {
                        ApiError::BadRequest {
                            code: "invalid_body",
                            detail: "the request body could not be read".into(),
                            errors: Vec::new(),
                        }
                    }
                })?;
            Ok(ImportBody { format, bytes })
        })
    }
}

fn read_csv(bytes: &[u8]) -> Result<ImportFile, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        ApiError::bad_field(
            "invalid_body",
            "body",
            format!(
                "the file must be UTF-8 (invalid byte at offset {})",
                error.valid_up_to()
            ),
        )
    })?;
    let lines = parse_csv(text)?;
    Ok(ImportFile {
        lines,
        document: serde_json::json!({ "csv": text }),
    })
}

fn read_json(bytes: &[u8]) -> Result<ImportFile, ApiError> {
    let document = strict_json::parse(bytes).map_err(|error| match error {
        StrictJsonError::Malformed(error) => ApiError::BadRequest {
            code: "malformed_json",
            detail: format!("the body is not valid JSON: {error}"),
            errors: Vec::new(),
        },
        StrictJsonError::DuplicateKey(field) => {
            ApiError::bad_field("duplicate_key", &field, "appears more than once")
        }
    })?;
    let Value::Array(items) = &document else {
        return Err(ApiError::bad_field(
            "invalid_body",
            "body",
            "must be a JSON array of payment lines",
        ));
    };
    check_line_count(items.len())?;
    let lines = items
        .iter()
        .enumerate()
        .map(|(index, item)| SourceLine {
            line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            fields: json_fields(item),
        })
        .collect();
    Ok(ImportFile { lines, document })
}

/// The fields of one JSON line. Every value is a string: amounts too (`"1234.56"`), so
/// they are read as written and never through a binary float.
fn json_fields(item: &Value) -> Result<ImportFields, String> {
    let Value::Object(fields) = item else {
        return Err("must be an object with date, amount, reference, payer, invoice_number".into());
    };
    if let Some(unknown) = fields.keys().find(|k| !COLUMNS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field `{}`; the fields are {}",
            displayable(unknown).chars().take(40).collect::<String>(),
            COLUMNS.join(", ")
        ));
    }
    let text = |name: &str| -> Result<Option<String>, String> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned()).filter(|s| !s.is_empty())),
            Some(Value::Number(_)) if name == "amount" => Err(
                "amount: must be a string in MAD such as \"1234.56\", never a JSON number".into(),
            ),
            Some(_) => Err(format!("{name}: must be a string")),
        }
    };
    Ok(ImportFields {
        date: text("date")?.unwrap_or_default(),
        amount: text("amount")?.unwrap_or_default(),
        reference: text("reference")?.unwrap_or_default(),
        payer: text("payer")?,
        invoice_number: text("invoice_number")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_lines_take_strings_only_and_name_the_problem() {
        let line = json_fields(&json!({
            "date": "2026-11-03", "amount": "10,50", "reference": "R", "payer": null
        }))
        .unwrap();
        assert_eq!(line.amount, "10,50");
        assert_eq!(line.payer, None);
        assert!(json_fields(&json!({"amount": 10.5}))
            .unwrap_err()
            .contains("never a JSON number"));
        assert!(json_fields(&json!({"iban": "x"}))
            .unwrap_err()
            .starts_with("unknown field `iban`"));
        assert!(json_fields(&json!(["2026-11-03"])).is_err());
    }
}
