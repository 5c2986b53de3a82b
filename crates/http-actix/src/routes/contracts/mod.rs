//! P4–P6: contract provisioning, manual creation, listing, lifecycle, offer changes, audit.

mod dto;
mod query;

use actix_web::{get, post, put, web, HttpResponse};
use domain::access::Role;
use domain::contracts::{NewContract, ProvisionContract, UpdateOffer, UpdateStatus};
use domain::error::Resource;
use domain::services::Services;
use domain::typed_ids::ContractId;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{
    ContractAudit, ContractAuditEntry, ContractChangeResponse, ContractList, ContractResponse,
    CreateContractRequest, LineRequest, PendingChargeResponse, ProvisionRequest, ProvisionResponse,
    ProvisionedLine, RegularisationResponse, UpdateOfferRequest, UpdateStatusRequest,
};
pub use query::ContractListQuery;

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::json::ApiJson;
use crate::path_ids::path_id;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::{AgentErrors, AuthErrors, RegularizingAgentErrors};

/// Registers the contract handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(provision_contract)
        .service(create_contract)
        .service(list_contracts)
        .service(get_contract)
        .service(update_contract_status)
        .service(update_contract_offer)
        .service(contract_audit);
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = ProvisionRequest,
    responses(
        (status = 201, description = "Contract provisioned, with its line (found or created)", body = ProvisionResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`offer_not_found` or `client_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service_identifier_exists` (new_subscriber, or another client's line) or `service_identifier_in_use` (a live contract holds the line)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `offer_retired`, `client_inactive` or `line_not_found_for_client` (existing_subscriber)", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[post("/provision")]
async fn provision_contract(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<ProvisionRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let actor_id = caller.recorded_who();
    let command = ProvisionContract::from(json.body);
    let provisioned = blocking(move || services.contracts.provision(&actor_id, &command)).await?;
    Ok(HttpResponse::Created().json(ProvisionResponse::from(provisioned)))
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    request_body = CreateContractRequest,
    responses(
        (status = 201, description = "Contract created", body = ContractResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`offer_not_found`, `client_not_found` or `subscriber_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`service_identifier_in_use`: a live contract holds the line", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `subscriber_not_owned`, `service_type_mismatch`, `offer_retired` or `client_inactive`", body = Problem, content_type = "application/problem+json"),
        AgentErrors
    )
)]
#[post("")]
async fn create_contract(
    caller: Caller,
    services: web::Data<Services>,
    json: ApiJson<CreateContractRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let actor_id = caller.recorded_who();
    let command = NewContract::from(json.body);
    let contract = blocking(move || services.contracts.create(&actor_id, &command)).await?;
    Ok(HttpResponse::Created().json(ContractResponse::from(contract)))
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    params(ContractListQuery),
    responses(
        (status = 200, description = "One page of contracts, by id", body = ContractList),
        (status = 400, description = "`invalid_query`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("")]
async fn list_contracts(
    _caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let (filter, page) = query::parse(query)?;
    let page = blocking(move || services.contracts.list(&filter, &page)).await?;
    Ok(HttpResponse::Ok().json(ContractList {
        items: page.items.into_iter().map(ContractResponse::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    params(("contract_id" = String, Path, description = "`ctr_…`")),
    responses(
        (status = 200, description = "The contract", body = ContractResponse),
        (status = 404, description = "`contract_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{contract_id}")]
async fn get_contract(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let contract_id = path_id(&path, ContractId::parse, Resource::Contract)?;
    let contract = blocking(move || services.contracts.get(&contract_id)).await?;
    Ok(HttpResponse::Ok().json(ContractResponse::from(contract)))
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    params(("contract_id" = String, Path, description = "`ctr_…`")),
    request_body = UpdateStatusRequest,
    responses(
        (status = 200, description = "The contract in its new status, with the correction of the invoiced months the change fell in (`regularize: true`)", body = ContractChangeResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`contract_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_status_transition`; `period_already_billed` (the change falls in a month already invoiced: the problem names `invoice_number` and `period`; send `regularize: true`); `invoice_already_corrected` (with `regularize`, one of those invoices already has a credit note)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` or `effective_date_too_early` (termination before the current offer period)", body = Problem, content_type = "application/problem+json"),
        RegularizingAgentErrors
    )
)]
#[put("/{contract_id}/status")]
async fn update_contract_status(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<UpdateStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let regularize = json.body.regularize;
    if regularize {
        // Regularising issues credit notes: a billing act.
        caller.require(Role::Billing)?;
    }
    let actor_id = caller.recorded_who();
    let command = UpdateStatus::from(json.body);
    // The body is validated first: a 422 comes before the 404 of a malformed id.
    let change = services.contracts.validate_status_update(&command)?;
    let contract_id = path_id(&path, ContractId::parse, Resource::Contract)?;
    let changed = blocking(move || {
        services
            .contracts
            .update_status(&actor_id, &contract_id, &change, regularize)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ContractChangeResponse::from(changed)))
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    params(("contract_id" = String, Path, description = "`ctr_…`")),
    request_body = UpdateOfferRequest,
    responses(
        (status = 200, description = "The contract on its new offer (new document version), with the correction of the invoiced months the change fell in (`regularize: true`)", body = ContractChangeResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`contract_not_found` or `offer_not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`period_already_billed` (the effective date falls in a month already invoiced: the problem names `invoice_number` and `period`; send `regularize: true`); `invoice_already_corrected` (with `regularize`, one of those invoices already has a credit note)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `service_type_mismatch`, `same_offer`, `offer_retired`, `contract_not_active` (not active or suspended) or `effective_date_too_early`", body = Problem, content_type = "application/problem+json"),
        RegularizingAgentErrors
    )
)]
#[put("/{contract_id}/offer")]
async fn update_contract_offer(
    caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
    json: ApiJson<UpdateOfferRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Agent)?;
    let regularize = json.body.regularize;
    if regularize {
        // Regularising issues credit notes: a billing act.
        caller.require(Role::Billing)?;
    }
    let actor_id = caller.recorded_who();
    let command = UpdateOffer::from(json.body);
    // The body is validated first: a 422 comes before the 404 of a malformed id.
    let change = services.contracts.validate_offer_update(&command)?;
    let contract_id = path_id(&path, ContractId::parse, Resource::Contract)?;
    let changed = blocking(move || {
        services
            .contracts
            .update_offer(&actor_id, &contract_id, &change, regularize)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ContractChangeResponse::from(changed)))
}

#[utoipa::path(
    tag = "contracts",
    security(("bearer" = []), ("actor_id" = [])),
    params(("contract_id" = String, Path, description = "`ctr_…`")),
    responses(
        (status = 200, description = "Every change of the contract, oldest first", body = ContractAudit),
        (status = 404, description = "`contract_not_found`", body = Problem, content_type = "application/problem+json"),
        AuthErrors
    )
)]
#[get("/{contract_id}/audit")]
async fn contract_audit(
    _caller: Caller,
    services: web::Data<Services>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let contract_id = path_id(&path, ContractId::parse, Resource::Contract)?;
    let entries = blocking(move || services.contracts.audit_trail(&contract_id)).await?;
    Ok(HttpResponse::Ok().json(ContractAudit {
        items: entries.into_iter().map(ContractAuditEntry::from).collect(),
    }))
}
