//! E-invoicing (issue #18): the operators' view of clearance.

mod dto;

use actix_web::{get, web, HttpResponse};
use domain::access::Role;
use domain::services::Services;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    clearance_of, ClearanceCounts, ClearanceDocumentRef, ClearanceResponse,
    EinvoicingStatusResponse, LastErrorResponse, OldestPendingResponse,
};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::problem::ApiError;
use crate::responses::ExportErrors;

/// Who may watch clearance: billing (who issues) and viewers (admins always may).
const READERS: [Role; 2] = [Role::Billing, Role::Viewer];

/// Registers the e-invoicing handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(einvoicing_status);
}

#[utoipa::path(
    tag = "billing",
    security(("bearer" = []), ("actor_id" = [])),
    responses(
        (status = 200, description = "Documents per clearance status, the oldest still waiting and the latest failure to get a verdict", body = EinvoicingStatusResponse),
        ExportErrors
    )
)]
#[get("/einvoicing/status")]
async fn einvoicing_status(
    caller: Caller,
    services: web::Data<Services>,
) -> Result<HttpResponse, ApiError> {
    caller.require_any(&READERS)?;
    let (enabled, summary) =
        blocking(move || Ok((services.clearance.enabled(), services.clearance.summary()?))).await?;
    Ok(HttpResponse::Ok().json(EinvoicingStatusResponse::new(enabled, &summary)))
}
