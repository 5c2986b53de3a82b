//! The contract list's query string: filters, `limit` and `cursor`, as a query struct
//! (400 `invalid_query` naming the parameter; unknown parameters refused).

use domain::contracts::{ContractFilter, ContractStatus};
use domain::ids::IdKind;
use domain::page::PageRequest;
use domain::service_type::ServiceType;
use domain::typed_ids::{ClientId, OfferId, SubscriberId};
use utoipa::IntoParams;

use crate::problem::ApiError;
use crate::query::{id_of, FromQuery, QueryParams};

/// Query parameters of `GET /contracts`: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractListQuery {
    /// Owner (`cli_…`).
    #[param(value_type = Option<String>)]
    pub client_id: Option<ClientId>,
    /// `pending`, `active`, `suspended`, `terminated` or `cancelled`.
    #[param(
        value_type = Option<String>,
        pattern = "^(pending|active|suspended|terminated|cancelled)$"
    )]
    pub status: Option<ContractStatus>,
    /// Current offer (`ofr_…`).
    #[param(value_type = Option<String>)]
    pub offer_id: Option<OfferId>,
    /// Service type: `mobile`, `internet` or `landline`.
    #[param(value_type = Option<String>, pattern = "^(mobile|internet|landline)$")]
    pub service: Option<ServiceType>,
    /// Line (`sub_…`).
    #[param(value_type = Option<String>)]
    pub subscriber_id: Option<SubscriberId>,
    /// Page size, 1 to 500 (default 50).
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page.
    #[param(pattern = "^ctr_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for ContractListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let client_id = params.parse_with("client_id", id_of::<ClientId>())?;
        let status = params.parse_with("status", ContractStatus::parse)?;
        let offer_id = params.parse_with("offer_id", id_of::<OfferId>())?;
        let service = params.parse_with("service", ServiceType::parse)?;
        let subscriber_id = params.parse_with("subscriber_id", id_of::<SubscriberId>())?;
        let page = params.page(IdKind::Contract)?;
        Ok(ContractListQuery {
            client_id,
            status,
            offer_id,
            service,
            subscriber_id,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// The filters and page of a list request.
pub fn parse(query: QueryParams) -> Result<(ContractFilter, PageRequest), ApiError> {
    let parsed: ContractListQuery = query.read()?;
    let filter = ContractFilter {
        client_id: parsed.client_id,
        status: parsed.status,
        offer_id: parsed.offer_id,
        service_type: parsed.service,
        subscriber_id: parsed.subscriber_id,
    };
    Ok((filter, parsed.page))
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
            filter.client_id,
            Some(ClientId::from_stored("cli_01JD0000000000000000000000"))
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
