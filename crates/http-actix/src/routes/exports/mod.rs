//! Accounting journals (issue #22 §4): the sales journal (invoices and credit notes) and the
//! receipts journal (payments, refunds, reversals, with their allocations), as CSV or JSON,
//! streamed page by page so any range answers in flat memory.

mod dto;
mod encode;
pub(crate) mod query;

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse, HttpResponseBuilder};
use domain::access::Role;
use domain::exports::{DateRange, ReceiptCursor, SalesCursor, PAGE_SIZE};
use domain::services::Services;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    RateFigures, ReceiptAllocationRow, ReceiptsJournal, ReceiptsJournalRow, ReceiptsJournalTotals,
    SalesJournal, SalesJournalRow, SalesJournalTotals,
};
pub use query::{ExportFormat, JournalQuery, RevenueQuery, TvaQuery};

use self::encode::{ReceiptsCsv, ReceiptsJson, SalesCsv, SalesJson};
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::csv;
use crate::export_stream::{paged, Encoder};
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::ExportErrors;

/// The roles that may read the books.
pub(crate) const READERS: [Role; 2] = [Role::Billing, Role::Viewer];

/// Registers the journal handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sales_journal).service(receipts_journal);
}

/// A file answer: its type, a download name, and kept out of caches (it names clients).
pub(crate) fn file_answer(format: ExportFormat, name: &str) -> HttpResponseBuilder {
    let mut answer = HttpResponse::Ok();
    answer
        .content_type(match format {
            ExportFormat::Csv => csv::CONTENT_TYPE,
            ExportFormat::Json => "application/json",
        })
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.{}\"", format.extension()),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    answer
}

fn file_name(journal: &str, range: &DateRange) -> String {
    format!("{journal}-{}-{}", range.from(), range.to())
}

#[utoipa::path(
    tag = "exports",
    security(("bearer" = []), ("actor_id" = [])),
    params(JournalQuery),
    responses(
        (status = 200, description = "The sales journal: one row per invoice (positive) and credit note (negative) issued in the range, by issue date then number, with the buyer, HT, TVA per rate and TTC. CSV by default (`;`, decimal comma, UTF-8 with BOM, a header row, one `tax_<rate>` column per rate of the range); JSON with `format=json`. Streamed.", content(
            (String = "text/csv; charset=utf-8"),
            (SalesJournal = "application/json")
        )),
        (status = 400, description = "Unknown or repeated parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `from` or `to` missing or not a date, `to` before `from` or more than 366 days after it, `format` neither csv nor json", body = Problem, content_type = "application/problem+json"),
        ExportErrors
    )
)]
#[get("/exports/sales-journal")]
async fn sales_journal(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&READERS)?;
    let query: JournalQuery = QueryParams::parse(req.query_string())?.read()?;
    let range = query.range;
    let first_services = services.clone();
    let (rates, first) = blocking(move || {
        let exports = &first_services.exports;
        Ok((
            exports.sales_rates(&range)?,
            exports.sales_page(&range, None)?,
        ))
    })
    .await?;
    let encoder: Box<dyn Encoder<_>> = match query.format {
        ExportFormat::Csv => Box::new(SalesCsv { rates }),
        ExportFormat::Json => Box::new(SalesJson::new(range, rates)),
    };
    let fetch = move |after: SalesCursor| services.exports.sales_page(&range, Some(&after));
    let body = paged(first, page_size(), fetch, SalesCursor::after, encoder);
    Ok(file_answer(query.format, &file_name("sales-journal", &range)).streaming(body))
}

#[utoipa::path(
    tag = "exports",
    security(("bearer" = []), ("actor_id" = [])),
    params(JournalQuery),
    responses(
        (status = 200, description = "The receipts journal: payments received (positive), refunds and payment reversals (negative) in the range, by date then id, each followed by its allocations (invoices paid or given back, credit paid back). CSV by default (one row per movement, then one per allocation with the movement's columns repeated and `amount` empty); JSON with `format=json`. Streamed.", content(
            (String = "text/csv; charset=utf-8"),
            (ReceiptsJournal = "application/json")
        )),
        (status = 400, description = "Unknown or repeated parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `from` or `to` missing or not a date, `to` before `from` or more than 366 days after it, `format` neither csv nor json", body = Problem, content_type = "application/problem+json"),
        ExportErrors
    )
)]
#[get("/exports/receipts-journal")]
async fn receipts_journal(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&READERS)?;
    let query: JournalQuery = QueryParams::parse(req.query_string())?.read()?;
    let range = query.range;
    let first_services = services.clone();
    let first = blocking(move || first_services.exports.receipts_page(&range, None)).await?;
    let encoder: Box<dyn Encoder<_>> = match query.format {
        ExportFormat::Csv => Box::new(ReceiptsCsv),
        ExportFormat::Json => Box::new(ReceiptsJson::new(range)),
    };
    let fetch = move |after: ReceiptCursor| services.exports.receipts_page(&range, Some(&after));
    let body = paged(first, page_size(), fetch, ReceiptCursor::after, encoder);
    Ok(file_answer(query.format, &file_name("receipts-journal", &range)).streaming(body))
}

fn page_size() -> usize {
    usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX)
}
