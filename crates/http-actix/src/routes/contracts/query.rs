//! The contract list's query string: filters, `limit` and `cursor`, through the shared strict
//! [`QueryParams`] (400 `invalid_query` naming the parameter; unknown parameters refused).

use domain::contracts::{ContractFilter, ContractStatus};
use domain::ids::IdKind;
use domain::page::PageRequest;
use domain::service_type::ServiceType;
use utoipa::IntoParams;

use crate::problem::ApiError;
use crate::query::{id_of, QueryParams};

/// Query parameters of `GET /contracts` (documentation; parsing is [`parse`]).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ContractListQuery {
    /// Owner (`cli_…`).
    client_id: Option<String>,
    /// `pending`, `active`, `suspended`, `terminated` or `cancelled`.
    #[param(pattern = "^(pending|active|suspended|terminated|cancelled)$")]
    status: Option<String>,
    /// Current offer (`ofr_…`).
    offer_id: Option<String>,
    /// Service type: `mobile`, `internet` or `landline`.
    #[param(pattern = "^(mobile|internet|landline)$")]
    service: Option<String>,
    /// Line (`sub_…`).
    subscriber_id: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^ctr_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    cursor: Option<String>,
}

/// The filters and page of a list request.
pub fn parse(mut query: QueryParams) -> Result<(ContractFilter, PageRequest), ApiError> {
    let filter = ContractFilter {
        client_id: query.parse_with("client_id", id_of(IdKind::Client))?,
        status: query.parse_with("status", ContractStatus::parse)?,
        offer_id: query.parse_with("offer_id", id_of(IdKind::Offer))?,
        service_type: query.parse_with("service", ServiceType::parse)?,
        subscriber_id: query.parse_with("subscriber_id", id_of(IdKind::Subscriber))?,
    };
    let page = query.page(IdKind::Contract)?;
    query.finish()?;
    Ok((filter, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> Result<(ContractFilter, PageRequest), ApiError> {
        parse(QueryParams::parse(raw).unwrap())
    }

    fn field(raw: &str) -> String {
        match parsed(raw) {
            Err(ApiError::BadRequest { code, errors, .. }) => {
                assert_eq!(code, "invalid_query");
                errors[0].field.clone()
            }
            other => panic!("expected invalid_query, got {other:?}"),
        }
    }

    #[test]
    fn filters_limit_and_cursor_are_parsed() {
        let (filter, page) = parsed(
            "client_id=cli_01JD0000000000000000000000&status=active&service=mobile&limit=2\
             &cursor=ctr_01JD0000000000000000000000",
        )
        .unwrap();
        assert_eq!(
            filter.client_id.as_deref(),
            Some("cli_01JD0000000000000000000000")
        );
        assert_eq!(filter.status, Some(ContractStatus::Active));
        assert_eq!(filter.service_type, Some(ServiceType::Mobile));
        assert_eq!(page.limit(), 2);
        assert!(page.after().is_some());
        assert_eq!(parsed("").unwrap().1.limit(), 50);
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(field("limit=0"), "limit");
        assert_eq!(field("limit=501"), "limit");
        assert_eq!(field("status=gone"), "status");
        assert_eq!(field("service=fax"), "service");
        assert_eq!(field("cursor=abc"), "cursor");
        assert_eq!(field("client_id=cli_1"), "client_id");
        assert_eq!(field("offer_id=cli_01JD0000000000000000000000"), "offer_id");
        assert_eq!(field("clientid=cli_1"), "clientid");
        assert_eq!(field("status=active&status=pending"), "status");
    }
}
