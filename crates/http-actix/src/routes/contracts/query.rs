//! The contract list's query string: filters, `limit` and `cursor`, parsed by hand so every
//! problem is a problem+json 400 `invalid_query` naming the parameter.

use actix_web::web;
use domain::contracts::{ContractFilter, ContractStatus, MAX_PAGE};
use domain::ids::IdKind;
use domain::service_type::ServiceType;
use utoipa::IntoParams;

use crate::problem::ApiError;

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 50;

/// Query parameters of `GET /contracts` (documentation; parsing is [`parse`]).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ContractListQuery {
    /// Owner (`cli_…`).
    client_id: Option<String>,
    /// `pending`, `active`, `suspended`, `terminated` or `cancelled`.
    status: Option<String>,
    /// Current offer (`ofr_…`).
    offer_id: Option<String>,
    /// Service type: `mobile`, `internet` or `landline`.
    service: Option<String>,
    /// Line (`sub_…`).
    subscriber_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// A parsed list request.
#[derive(Debug, Default)]
pub struct ListRequest {
    /// Filters.
    pub filter: ContractFilter,
    /// Page size.
    pub limit: i64,
    /// Last id of the previous page.
    pub cursor: Option<String>,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::bad_field("invalid_query", field, message)
}

/// Parses the query string; unknown or repeated parameters are refused so a typo never
/// silently widens the list.
pub fn parse(query_string: &str) -> Result<ListRequest, ApiError> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(query_string)
        .map_err(|e| invalid("query", e.to_string()))?
        .into_inner();
    let mut seen: Vec<&str> = Vec::new();
    let mut request = ListRequest {
        limit: DEFAULT_LIMIT,
        ..ListRequest::default()
    };
    for (name, value) in &pairs {
        if seen.contains(&name.as_str()) {
            return Err(invalid(name, "given more than once"));
        }
        seen.push(name);
        let filter = &mut request.filter;
        match name.as_str() {
            "client_id" => filter.client_id = Some(value.clone()),
            "offer_id" => filter.offer_id = Some(value.clone()),
            "subscriber_id" => filter.subscriber_id = Some(value.clone()),
            "status" => {
                filter.status = Some(ContractStatus::parse(value).map_err(|m| invalid(name, m))?)
            }
            "service" => {
                filter.service_type = Some(ServiceType::parse(value).map_err(|m| invalid(name, m))?)
            }
            "limit" => {
                request.limit = value
                    .parse::<i64>()
                    .ok()
                    .filter(|l| (1..=MAX_PAGE).contains(l))
                    .ok_or_else(|| invalid(name, format!("must be 1 to {MAX_PAGE}")))?
            }
            "cursor" => {
                if !IdKind::Contract.matches(value) {
                    return Err(invalid(
                        name,
                        "must be a `next_cursor` from a previous page",
                    ));
                }
                request.cursor = Some(value.clone());
            }
            _ => {
                return Err(invalid(
                    name,
                    "unknown parameter; expected client_id, status, offer_id, service, \
                     subscriber_id, limit or cursor",
                ))
            }
        }
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(query: &str) -> String {
        match parse(query) {
            Err(ApiError::BadRequest { code, errors, .. }) => {
                assert_eq!(code, "invalid_query");
                errors[0].field.clone()
            }
            other => panic!("expected invalid_query, got {other:?}"),
        }
    }

    #[test]
    fn filters_limit_and_cursor_are_parsed() {
        let request = parse(
            "client_id=cli_1&status=active&service=mobile&limit=2\
             &cursor=ctr_01JD0000000000000000000000",
        )
        .unwrap();
        assert_eq!(request.filter.client_id.as_deref(), Some("cli_1"));
        assert_eq!(request.filter.status, Some(ContractStatus::Active));
        assert_eq!(request.filter.service_type, Some(ServiceType::Mobile));
        assert_eq!(request.limit, 2);
        assert!(request.cursor.is_some());
        assert_eq!(parse("").unwrap().limit, DEFAULT_LIMIT);
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(field("limit=0"), "limit");
        assert_eq!(field("limit=501"), "limit");
        assert_eq!(field("limit=ten"), "limit");
        assert_eq!(field("status=gone"), "status");
        assert_eq!(field("service=fax"), "service");
        assert_eq!(field("cursor=abc"), "cursor");
        assert_eq!(field("clientid=cli_1"), "clientid");
        assert_eq!(field("status=active&status=pending"), "status");
    }
}
