//! The log subscriber: human-readable lines by default, or one JSON object per line with
//! `MTF_LOG_FORMAT=json` (for log shippers), with the same fields (decision 0160).
//! `RUST_LOG` filters both (default `info`).

use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// The shape of log lines, `MTF_LOG_FORMAT`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// `text` (default): tracing's readable lines.
    #[default]
    Text,
    /// `json`: one JSON object per line, the event's fields at the top level.
    Json,
}

impl LogFormat {
    /// Parses `text` or `json` (any case); `None` for anything else.
    pub fn parse(value: &str) -> Option<LogFormat> {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// A subscriber writing `format` lines to `writer`, filtered by `filter`.
pub fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.finish()),
        LogFormat::Json => Box::new(
            builder
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .finish(),
        ),
    }
}

/// Installs the process's subscriber on `writer` (standard output for the server, standard
/// error for a task whose output is its answer) from `MTF_LOG_FORMAT` and `RUST_LOG`. An
/// unknown format falls back to text with a warning (the configuration check refuses it).
pub fn init<W>(writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let raw = std::env::var("MTF_LOG_FORMAT").ok();
    let format = raw
        .as_deref()
        .filter(|v| !v.trim().is_empty())
        .map(LogFormat::parse);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing::subscriber::set_global_default(subscriber(
        format.flatten().unwrap_or_default(),
        filter,
        writer,
    ));
    if installed.is_ok() && matches!(format, Some(None)) {
        tracing::warn!(value = ?raw, "MTF_LOG_FORMAT: expected text or json; using text");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use actix_web::middleware::from_fn;
    use actix_web::{test as actix_test, web, App, HttpResponse};
    use http_actix::request_context::request_context;

    use super::*;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> MakeWriter<'w> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'w self) -> Buffer {
            self.clone()
        }
    }

    #[actix_web::test]
    async fn json_format_writes_the_request_line_as_one_object_with_its_fields() {
        let buffer = Buffer::default();
        let _default = tracing::subscriber::set_default(subscriber(
            LogFormat::Json,
            EnvFilter::new("info"),
            buffer.clone(),
        ));
        let app = actix_test::init_service(
            App::new()
                .route(
                    "/api/v1/landing/clients/{cin}/invoices",
                    web::get().to(HttpResponse::Ok),
                )
                .wrap(from_fn(request_context)),
        )
        .await;
        let request = actix_test::TestRequest::get()
            .uri("/api/v1/landing/clients/AB123456/invoices")
            .insert_header(("x-request-id", "req-42"))
            .to_request();
        actix_test::call_service(&app, request).await;
        let written = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 1, "one line per request: {written}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).expect("a JSON object");
        assert_eq!(line["message"], "request");
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["request_id"], "req-42");
        assert_eq!(line["method"], "GET");
        assert_eq!(line["route"], "/api/v1/landing/clients/{cin}/invoices");
        assert_eq!(line["status"], 200);
        assert_eq!(line["actor"], "-");
        assert!(line["latency_ms"].is_number());
        assert!(line["timestamp"].is_string());
        assert!(!written.contains("AB123456"), "never the raw path");
    }

    #[test]
    fn the_format_is_text_or_json() {
        assert_eq!(LogFormat::parse("json"), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse(" JSON "), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse("text"), Some(LogFormat::Text));
        assert_eq!(LogFormat::parse("logfmt"), None);
        assert_eq!(LogFormat::default(), LogFormat::Text);
    }
}
