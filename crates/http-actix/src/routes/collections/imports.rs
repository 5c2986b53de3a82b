//! Issue 22 §3: import a bank payment file (idempotent), read an import back.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use domain::access::Role;
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::PaymentImportId;
use utoipa_actix_web::service_config::ServiceConfig;

use super::import_body::ImportBody;
use super::imports_dto::{ImportLineRequest, PaymentImportResponse};
use crate::auth::Caller;
use crate::blocking::blocking;
use crate::idempotency::{self, json_response};
use crate::path_ids::existing;
use crate::problem::{ApiError, Problem};
use crate::responses::{AuthErrors, CollectionsErrors};

/// Registers this module's handlers.
pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_payments).service(get_import);
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    request_body(
        description = "A bank file: `text/csv` with the header \
            `date;amount;reference;payer;invoice_number` (`;` or `,`, UTF-8 with or without \
            BOM, `invoice_number` optional), or a JSON array of the same fields, every value \
            a string. At most 10,000 lines and 1 MiB.",
        content(
            (String = "text/csv", example = "date;amount;reference;payer;invoice_number\n2026-11-03;1234,56;VIR-0042;AB123456;FAC-2026-000123\n"),
            (Vec<ImportLineRequest> = "application/json")
        )
    ),
    params(("Idempotency-Key" = String, Header, description = "Required; 1 to 255 visible ASCII characters")),
    responses(
        (status = 201, description = "The file was read: each line matched, partial, duplicate, unidentified or rejected; the import is stored", body = PaymentImportResponse),
        (status = 400, description = "Malformed JSON, not UTF-8, or missing Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "idempotency_key_in_use", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "payload_too_large: more than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "unsupported_media_type: send text/csv or application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed (`header`: missing or unknown column; `body`: no line, or more than 10,000) or idempotency_key_reused", body = Problem, content_type = "application/problem+json"),
        CollectionsErrors
    )
)]
#[post("/payment-imports")]
async fn import_payments(
    req: HttpRequest,
    caller: Caller,
    services: web::Data<Services>,
    body: ImportBody,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Collections)?;
    let file = body.read()?;
    let imports = services.payment_imports.clone();
    let actor = caller.recorded_who();
    let lines = file.lines;
    idempotency::run(
        &services,
        &req,
        caller.id().to_owned(),
        &file.document,
        move |uow| imports.import_in(uow, &lines, &actor),
        |import| json_response(StatusCode::CREATED, &PaymentImportResponse::from(import)),
    )
    .await
}

#[utoipa::path(
    tag = "collections",
    security(("bearer" = []), ("actor_id" = [])),
    params(("import_id" = String, Path, description = "`imp_…`")),
    responses(
        (status = 200, description = "The import and the outcome of each line, as first answered", body = PaymentImportResponse),
        (status = 404, description = "payment_import_not_found", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/payment-imports/{import_id}")]
async fn get_import(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = existing(
        PaymentImportId::parse(&path.into_inner()),
        Resource::PaymentImport,
    )?;
    let import = blocking(move || services.payment_imports.find_import(&id)).await?;
    Ok(HttpResponse::Ok().json(PaymentImportResponse::from(&import)))
}
