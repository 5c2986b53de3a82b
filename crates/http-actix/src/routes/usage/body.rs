//! The body of `POST /usage/records`: NDJSON (`application/x-ndjson`, one record per line)
//! or a JSON array, read record by record. A record that cannot be read is kept as its
//! rejection (`invalid_record` naming the field, or `invalid_quantity`), never failing the
//! batch (decision 0365).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::rt::time::timeout;
use actix_web::web::BytesMut;
use actix_web::{FromRequest, HttpRequest};
use domain::usage::{
    check_quantity, normalise_line, Rejection, RejectionCode, UsageKind, UsageRecord, MAX_RECORDS,
    MAX_TEXT,
};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::json::{body_read_timeout, declared_over, media_type};
use crate::problem::ApiError;

/// Largest body: 100,000 records of up to about 480 bytes each.
pub const MAX_RECORDS_BYTES: usize = 48 * 1024 * 1024;

/// [`MAX_RECORDS_BYTES`] in words, for the 413 answer.
const MAX_RECORDS_BYTES_TEXT: &str = "48 MiB";

/// A batch as received, read with [`RecordsBody::read`] once the caller is authorised.
#[derive(Debug)]
pub struct RecordsBody {
    format: Format,
    bytes: BytesMut,
}

/// Each record of the batch, read or rejected.
pub type ReadRecords = Vec<Result<UsageRecord, Rejection>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Ndjson,
    JsonArray,
}

fn format_of(req: &HttpRequest) -> Option<Format> {
    match media_type(req)?.as_str() {
        "application/x-ndjson" | "application/jsonl" => Some(Format::Ndjson),
        "application/json" => Some(Format::JsonArray),
        _ => None,
    }
}

impl FromRequest for RecordsBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let format = format_of(req);
        let too_large = declared_over(req, MAX_RECORDS_BYTES);
        let read_timeout = body_read_timeout(req);
        let mut payload = payload.take();
        Box::pin(async move {
            if too_large {
                return Err(ApiError::PayloadOver(MAX_RECORDS_BYTES_TEXT));
            }
            let Some(format) = format else {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/x-ndjson or application/json",
                });
            };
            // Read by hand: the application-wide 1 MiB payload limit is for JSON bodies.
            let read = async {
                let mut bytes = BytesMut::new();
                while let Some(chunk) = payload.next().await {
                    let chunk = chunk.map_err(|_| ApiError::BadRequest {
                        code: "invalid_body",
                        detail: "the request body could not be read".into(),
                        errors: Vec::new(),
                    })?;
                    if bytes.len() + chunk.len() > MAX_RECORDS_BYTES {
                        return Err(ApiError::PayloadOver(MAX_RECORDS_BYTES_TEXT));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(bytes)
            };
            let bytes = timeout(read_timeout, read)
                .await
                .map_err(|_| ApiError::RequestTimeout)??;
            Ok(RecordsBody { format, bytes })
        })
    }
}

impl RecordsBody {
    /// Every record: 400 for a body that is not UTF-8 or a JSON body that is not an array,
    /// 422 for more than [`MAX_RECORDS`] records.
    pub fn read(&self) -> Result<ReadRecords, ApiError> {
        match self.format {
            Format::Ndjson => read_ndjson(&self.bytes),
            Format::JsonArray => read_array(&self.bytes),
        }
    }
}

fn too_many() -> ApiError {
    ApiError::Domain(domain::error::Error::invalid(
        "body",
        format!("at most {MAX_RECORDS} records per request"),
    ))
}

fn read_ndjson(bytes: &[u8]) -> Result<ReadRecords, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        ApiError::bad_field(
            "invalid_body",
            "body",
            format!(
                "the body must be UTF-8 (invalid byte at offset {})",
                error.valid_up_to()
            ),
        )
    })?;
    let lines: Vec<(u32, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (u32::try_from(index + 1).unwrap_or(u32::MAX), line))
        .collect();
    if lines.len() > MAX_RECORDS {
        return Err(too_many());
    }
    Ok(read_lines(&lines))
}

/// Fewest lines worth a second thread: below it, starting threads costs more than it saves.
const LINES_PER_THREAD: usize = 8_192;

/// Most threads one batch parses on.
const MAX_PARSE_THREADS: usize = 4;

/// Each line read into its record, in order. A large batch is read on several threads, one
/// slice each: the database waits idle while a batch is parsed, and on two cores this halves
/// the wait (decision 0388).
fn read_lines(lines: &[(u32, &str)]) -> ReadRecords {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_PARSE_THREADS)
        .min(lines.len() / LINES_PER_THREAD)
        .max(1);
    if threads == 1 {
        return read_slice(lines);
    }
    let slice = lines.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let readers: Vec<_> = lines
            .chunks(slice)
            .map(|chunk| scope.spawn(move || read_slice(chunk)))
            .collect();
        let mut records = Vec::with_capacity(lines.len());
        for (reader, chunk) in readers.into_iter().zip(lines.chunks(slice)) {
            // A reader never panics on input (every fault is a rejection); were one to,
            // its slice is read again here rather than lost.
            records.extend(reader.join().unwrap_or_else(|_| read_slice(chunk)));
        }
        records
    })
}

fn read_slice(lines: &[(u32, &str)]) -> ReadRecords {
    lines
        .iter()
        .map(|&(line, text)| {
            // The path of a faulty field is tracked only for a line that fails: tracking it
            // for every line cost a third of the parsing (decision 0383).
            let wire =
                serde_json::from_str::<WireRecord>(text).or_else(|_| read_faulty_line(line, text));
            wire.and_then(|wire| wire.into_record(line))
        })
        .collect()
}

/// A line the plain parse refused, read again to name its fault: the field (with its path)
/// or a second record after the first.
fn read_faulty_line(line: u32, text: &str) -> Result<WireRecord, Rejection> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let wire: WireRecord = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| wire_error(line, error))?;
    deserializer
        .end()
        .map_err(|_| invalid(line, None, "the line holds more than one record"))?;
    Ok(wire)
}

fn read_array(bytes: &[u8]) -> Result<ReadRecords, ApiError> {
    let document: Value = serde_json::from_slice(bytes).map_err(|error| ApiError::BadRequest {
        code: "malformed_json",
        detail: format!("the body is not valid JSON: {error}"),
        errors: Vec::new(),
    })?;
    let Value::Array(items) = document else {
        return Err(ApiError::bad_field(
            "invalid_body",
            "body",
            "must be a JSON array of usage records (or send application/x-ndjson)",
        ));
    };
    if items.len() > MAX_RECORDS {
        return Err(too_many());
    }
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            serde_path_to_error::deserialize(item)
                .map_err(|error| wire_error(line, error))
                .and_then(|wire: WireRecord| wire.into_record(line))
        })
        .collect())
}

/// One record as sent. Every field is optional here so that a missing one is reported by
/// name with the record's id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireRecord {
    record_id: Option<String>,
    service_identifier: Option<String>,
    kind: Option<String>,
    started_at: Option<String>,
    quantity: Option<i64>,
    destination: Option<String>,
}

fn invalid(line: u32, record_id: Option<&str>, message: impl Into<String>) -> Rejection {
    Rejection {
        line,
        record_id: record_id.map(str::to_owned),
        code: RejectionCode::InvalidRecord,
        message: message.into(),
    }
}

/// A line serde could not type: a quantity that is not a whole number is `invalid_quantity`,
/// anything else `invalid_record` naming the field.
fn wire_error<E: std::fmt::Display>(line: u32, error: serde_path_to_error::Error<E>) -> Rejection {
    let path = error.path().to_string();
    let inner = error.inner().to_string();
    // serde_json appends " at line L column C" to syntax errors: the line is ours already.
    let inner = inner.split(" at line ").next().unwrap_or(&inner).to_owned();
    if path == "quantity" {
        return Rejection {
            line,
            record_id: None,
            code: RejectionCode::InvalidQuantity,
            message: format!("quantity: must be a whole number above 0 ({inner})"),
        };
    }
    let field = if path == "." || path.is_empty() {
        "record".to_owned()
    } else {
        path
    };
    invalid(line, None, format!("{field}: {inner}"))
}

/// A text field: present, not blank, at most [`MAX_TEXT`] characters, no control character.
fn text(name: &str, value: Option<String>) -> Result<String, String> {
    let value = value.ok_or_else(|| format!("{name}: required"))?;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(format!("{name}: must not be blank"));
    }
    if trimmed.chars().count() > MAX_TEXT {
        return Err(format!("{name}: at most {MAX_TEXT} characters"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(format!("{name}: must not hold control characters"));
    }
    Ok(trimmed.to_owned())
}

impl WireRecord {
    fn into_record(self, line: u32) -> Result<UsageRecord, Rejection> {
        let record_id = text("record_id", self.record_id).map_err(|m| invalid(line, None, m))?;
        let id = Some(record_id.as_str());
        let fail = |message: String| invalid(line, id, message);
        let service_identifier =
            normalise_line(&text("service_identifier", self.service_identifier).map_err(fail)?);
        let kind = UsageKind::parse(&text("kind", self.kind).map_err(fail)?)
            .map_err(|m| fail(format!("kind: {m}")))?;
        let started_at = text("started_at", self.started_at).map_err(fail)?;
        let started_at = OffsetDateTime::parse(&started_at, &Rfc3339).map_err(|_| {
            fail("started_at: must be an RFC 3339 instant, e.g. 2026-03-10T08:15:00+01:00".into())
        })?;
        let quantity = self.quantity.ok_or_else(|| Rejection {
            line,
            record_id: id.map(str::to_owned),
            code: RejectionCode::InvalidQuantity,
            message: "quantity: required".into(),
        })?;
        let quantity = check_quantity(kind, quantity).map_err(|message| Rejection {
            line,
            record_id: id.map(str::to_owned),
            code: RejectionCode::InvalidQuantity,
            message,
        })?;
        let destination = match self.destination {
            None => None,
            Some(value) if value.trim().is_empty() => None,
            Some(value) => Some(text("destination", Some(value)).map_err(fail)?),
        };
        Ok(UsageRecord {
            line,
            record_id,
            service_identifier,
            kind,
            started_at,
            quantity,
            destination,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ndjson(text: &str) -> ReadRecords {
        read_ndjson(text.as_bytes()).unwrap()
    }

    #[test]
    fn ndjson_lines_are_numbered_as_sent_and_blank_lines_skipped() {
        let records = ndjson(
            "{\"record_id\":\"a\",\"service_identifier\":\"0612345678\",\"kind\":\"voice\",\"started_at\":\"2026-03-10T08:00:00Z\",\"quantity\":60}\n\n{\"record_id\":\"b\"}\n",
        );
        assert_eq!(records.len(), 2);
        let first = records[0].as_ref().unwrap();
        assert_eq!(first.service_identifier, "+212612345678");
        let second = records[1].as_ref().unwrap_err();
        assert_eq!(
            (second.line, second.code),
            (3, RejectionCode::InvalidRecord)
        );
        assert_eq!(second.record_id.as_deref(), Some("b"));
        assert!(second.message.starts_with("service_identifier"));
    }

    #[test]
    fn a_batch_read_on_several_threads_keeps_every_line_in_order() {
        let lines = 3 * LINES_PER_THREAD + 7;
        let faulty = [1, LINES_PER_THREAD + 1, 2 * LINES_PER_THREAD + 3, lines];
        let body: String = (1..=lines)
            .map(|n| {
                if faulty.contains(&n) {
                    format!("{{\"record_id\":\"r{n}\"}}\n")
                } else {
                    format!(
                        "{{\"record_id\":\"r{n}\",\"service_identifier\":\"0612345678\",\"kind\":\"sms\",\"started_at\":\"2026-03-10T08:00:00Z\",\"quantity\":1}}\n"
                    )
                }
            })
            .collect();
        let records = ndjson(&body);
        assert_eq!(records.len(), lines);
        for (index, record) in records.iter().enumerate() {
            let n = index + 1;
            match record {
                Ok(record) => {
                    assert!(!faulty.contains(&n), "line {n} should be rejected");
                    assert_eq!(
                        (record.line as usize, record.record_id.clone()),
                        (n, format!("r{n}"))
                    );
                }
                Err(rejection) => {
                    assert!(faulty.contains(&n), "line {n} should be read");
                    assert_eq!(rejection.line as usize, n);
                    assert_eq!(
                        rejection.record_id.as_deref(),
                        Some(format!("r{n}").as_str())
                    );
                }
            }
        }
    }

    #[test]
    fn a_fractional_or_textual_quantity_is_invalid_quantity() {
        for quantity in ["12.5", "\"12\"", "-1", "0"] {
            let line = format!(
                "{{\"record_id\":\"a\",\"service_identifier\":\"0612345678\",\"kind\":\"sms\",\"started_at\":\"2026-03-10T08:00:00Z\",\"quantity\":{quantity}}}"
            );
            let rejection = ndjson(&line).remove(0).unwrap_err();
            assert_eq!(rejection.code, RejectionCode::InvalidQuantity, "{quantity}");
        }
    }

    #[test]
    fn two_records_on_one_line_are_one_rejection_and_a_clean_line_passes() {
        let clean = "{\"record_id\":\"a\",\"service_identifier\":\"0612345678\",\"kind\":\"sms\",\"started_at\":\"2026-03-10T08:00:00Z\",\"quantity\":1}";
        let records = ndjson(&format!("{clean}{clean}\n{clean}\n"));
        let rejection = records[0].as_ref().unwrap_err();
        assert_eq!(
            (rejection.line, rejection.code, rejection.message.as_str()),
            (
                1,
                RejectionCode::InvalidRecord,
                "the line holds more than one record"
            )
        );
        assert_eq!(records[1].as_ref().unwrap().record_id, "a");
    }

    #[test]
    fn broken_json_unknown_fields_and_bad_instants_name_their_problem() {
        let records = ndjson(
            "{not json\n{\"record_id\":\"a\",\"iban\":1}\n{\"record_id\":\"c\",\"service_identifier\":\"x\",\"kind\":\"voice\",\"started_at\":\"yesterday\",\"quantity\":1}\n",
        );
        let messages: Vec<String> = records
            .into_iter()
            .map(|r| r.unwrap_err().message)
            .collect();
        assert!(messages[1].contains("iban"), "{messages:?}");
        assert!(messages[2].starts_with("started_at"), "{messages:?}");
    }
}
