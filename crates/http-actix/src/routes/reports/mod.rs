//! Monthly reports (issue #22 §4): TVA collected by rate under the debits or encaissements
//! regime, and revenue by service type and by offer; CSV by default or JSON.

mod dto;

use actix_web::{get, web, HttpRequest, HttpResponse};
use domain::services::Services;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    OfferRevenueResponse, RevenueReportResponse, ServiceRevenueResponse, TvaReportResponse,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::csv::{Record, BOM};
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::ExportErrors;
use crate::routes::exports::{file_answer, ExportFormat, RevenueQuery, TvaQuery, READERS};

/// Registers the report handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(tva_report).service(revenue_report);
}

#[utoipa::path(
    tag = "exports",
    security(("bearer" = []), ("actor_id" = [])),
    params(TvaQuery),
    responses(
        (status = 200, description = "TVA by rate for the month. `debits`: invoices issued in the month minus credit notes issued in it. `encaissements`: each invoice's base and TVA per rate in proportion to the money collected on it in the month (payment allocations minus reversals), computed on cumulated collections so a fully paid invoice yields exactly its TVA. CSV (`rate_bp;rate;excl_tax;tax`, then a `total` row) by default; JSON with `format=json`.", content(
            (String = "text/csv; charset=utf-8"),
            (TvaReportResponse = "application/json")
        )),
        (status = 400, description = "Unknown or repeated parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `period` missing or not `YYYY-MM`, `regime` neither debits nor encaissements, `format` neither csv nor json", body = Problem, content_type = "application/problem+json"),
        ExportErrors
    )
)]
#[get("/reports/tva")]
async fn tva_report(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&READERS)?;
    let query: TvaQuery = QueryParams::parse(req.query_string())?.read()?;
    let (period, regime) = (query.period, query.regime);
    let report = blocking(move || services.exports.tva(period, regime)).await?;
    let body = TvaReportResponse::new(&report);
    let name = format!("tva-{}-{}", body.period, body.regime);
    let mut answer = file_answer(query.format, &name);
    Ok(match query.format {
        ExportFormat::Json => answer.json(body),
        ExportFormat::Csv => {
            let mut out = String::from(BOM);
            Record::new(&mut out)
                .raw("rate_bp")
                .raw("rate")
                .raw("excl_tax")
                .raw("tax")
                .end();
            for rate in &body.rates {
                Record::new(&mut out)
                    .raw(&rate.rate_bp.to_string())
                    .amount(i64::from(rate.rate_bp))
                    .amount(rate.excl_tax)
                    .amount(rate.tax)
                    .end();
            }
            Record::new(&mut out)
                .raw("total")
                .raw("")
                .amount(body.total_excl_tax)
                .amount(body.total_tax)
                .end();
            answer.body(out)
        }
    })
}

#[utoipa::path(
    tag = "exports",
    security(("bearer" = []), ("actor_id" = [])),
    params(RevenueQuery),
    responses(
        (status = 200, description = "Revenue excl. tax of the month (invoice lines issued in it minus credit-note lines issued in it) by service type and by offer. CSV (`dimension;service_type;offer_id;offer_name;excl_tax`, dimension `service`, `offer` or `total`) by default; JSON with `format=json`.", content(
            (String = "text/csv; charset=utf-8"),
            (RevenueReportResponse = "application/json")
        )),
        (status = 400, description = "Unknown or repeated parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `period` missing or not `YYYY-MM`, `format` neither csv nor json", body = Problem, content_type = "application/problem+json"),
        ExportErrors
    )
)]
#[get("/reports/revenue")]
async fn revenue_report(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&READERS)?;
    let query: RevenueQuery = QueryParams::parse(req.query_string())?.read()?;
    let period = query.period;
    let report = blocking(move || services.exports.revenue(period)).await?;
    let body = RevenueReportResponse::new(&report);
    let mut answer = file_answer(query.format, &format!("revenue-{}", body.period));
    Ok(match query.format {
        ExportFormat::Json => answer.json(body),
        ExportFormat::Csv => {
            let mut out = String::from(BOM);
            let mut header = Record::new(&mut out);
            for name in [
                "dimension",
                "service_type",
                "offer_id",
                "offer_name",
                "excl_tax",
            ] {
                header.raw(name);
            }
            header.end();
            for service in &body.by_service {
                Record::new(&mut out)
                    .raw("service")
                    .raw(&service.service_type)
                    .raw("")
                    .raw("")
                    .amount(service.excl_tax)
                    .end();
            }
            for offer in &body.by_offer {
                Record::new(&mut out)
                    .raw("offer")
                    .raw(&offer.service_type)
                    .raw(&offer.offer_id)
                    .text(&offer.offer_name)
                    .amount(offer.excl_tax)
                    .end();
            }
            Record::new(&mut out)
                .raw("total")
                .raw("")
                .raw("")
                .raw("")
                .amount(body.total_excl_tax)
                .end();
            answer.body(out)
        }
    })
}
