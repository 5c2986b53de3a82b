//! The invoice list's query string: filters, `limit` and `cursor`, as a query struct (400
//! `invalid_query` naming the parameter; unknown parameters refused).

use domain::billing::{InvoiceFilter, InvoiceStatus, Period};
use domain::ids::IdKind;
use domain::page::PageRequest;
use domain::service_type::ServiceType;
use domain::typed_ids::{ClientId, ContractId, OfferId};
use time::Date;
use utoipa::IntoParams;

use crate::problem::ApiError;
use crate::query::{id_of, parse_bool, FromQuery, QueryParams};

/// Query parameters of `GET /invoices`: parsed and documented by this one declaration.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceListQuery {
    /// Client billed
    #[param(value_type = Option<String>)]
    pub client_id: Option<ClientId>,
    /// Invoices with a contract of this family, `mobile`, `internet` or `landline` (a
    /// per-account invoice matches each family of its lines)
    #[param(value_type = Option<String>, pattern = "^(mobile|internet|landline)$")]
    pub service: Option<ServiceType>,
    /// Invoices with a line that bills this offer (a mid-month plan change bills two)
    #[param(value_type = Option<String>)]
    pub offer_id: Option<OfferId>,
    /// Invoices with a line that bills this contract (a per-account invoice bills several)
    #[param(value_type = Option<String>)]
    pub contract_id: Option<ContractId>,
    /// `issued`, `partially_paid`, `paid` or `void`
    #[param(value_type = Option<String>, pattern = "^(issued|partially_paid|paid|void)$")]
    pub status: Option<InvoiceStatus>,
    /// Month billed, `YYYY-MM`
    #[param(value_type = Option<String>, pattern = "^\\s*2[0-9]{3}-(0[1-9]|1[0-2])\\s*$")]
    pub period: Option<Period>,
    /// Past due with something outstanding (true) or not (false)
    pub overdue: Option<bool>,
    /// Page size, 1 to 500 (default 50)
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page
    #[param(pattern = "^inv_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for InvoiceListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::Invoice)?;
        Ok(InvoiceListQuery {
            client_id: params.parse_with("client_id", id_of::<ClientId>())?,
            service: params.parse_with("service", ServiceType::parse)?,
            offer_id: params.parse_with("offer_id", id_of::<OfferId>())?,
            contract_id: params.parse_with("contract_id", id_of::<ContractId>())?,
            status: params.parse_with("status", InvoiceStatus::parse)?,
            period: params.parse_with("period", Period::parse)?,
            overdue: params.parse_with("overdue", parse_bool)?,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

impl InvoiceListQuery {
    /// The filter, overdue judged as of `as_of`, and the page.
    pub fn into_filter(self, as_of: Date) -> (InvoiceFilter, PageRequest) {
        let filter = InvoiceFilter {
            client_id: self.client_id,
            service_type: self.service,
            offer_id: self.offer_id,
            contract_id: self.contract_id,
            status: self.status,
            period: self.period,
            overdue: self.overdue,
            as_of,
        };
        (filter, self.page)
    }
}
