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
use crate::query::{id_of, parse_bool, parse_date, FromQuery, QueryParams};

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
    /// One or several of `issued`, `partially_paid`, `paid` and `void`, comma-separated
    /// (`status=issued,partially_paid`): invoices in any of them
    #[param(
        value_type = Option<String>,
        pattern = "^\\s*(issued|partially_paid|paid|void)\\s*(,\\s*(issued|partially_paid|paid|void)\\s*)*$"
    )]
    pub status: Vec<InvoiceStatus>,
    /// Legal number, exactly (`FAC-2026-000123`)
    #[param(value_type = Option<String>, pattern = "^FAC-[0-9]{4}-[0-9]{6}$")]
    pub number: Option<String>,
    /// Issued on or after this day, `YYYY-MM-DD`
    #[param(value_type = Option<String>, format = Date)]
    pub issued_from: Option<Date>,
    /// Issued on or before this day, `YYYY-MM-DD`
    #[param(value_type = Option<String>, format = Date)]
    pub issued_to: Option<Date>,
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
            status: params
                .parse_with("status", parse_statuses)?
                .unwrap_or_default(),
            number: params.parse_with("number", parse_invoice_number)?,
            issued_from: params.parse_with("issued_from", parse_date)?,
            issued_to: params.parse_with("issued_to", parse_date)?,
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
            statuses: self.status,
            number: self.number,
            issued_from: self.issued_from,
            issued_to: self.issued_to,
            period: self.period,
            overdue: self.overdue,
            as_of,
        };
        (filter, self.page)
    }
}

/// `issued,partially_paid`: each status once, in any order.
fn parse_statuses(raw: &str) -> Result<Vec<InvoiceStatus>, String> {
    let mut statuses = Vec::new();
    for part in raw.split(',') {
        let status = InvoiceStatus::parse(part.trim())?;
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    Ok(statuses)
}

/// An invoice number as printed, `FAC-YYYY-NNNNNN` (another shape could match nothing).
fn parse_invoice_number(raw: &str) -> Result<String, String> {
    let hint = || "must be an invoice number FAC-YYYY-NNNNNN, e.g. FAC-2026-000123".to_owned();
    let rest = raw.strip_prefix("FAC-").ok_or_else(hint)?;
    let (year, serial) = rest.split_once('-').ok_or_else(hint)?;
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if digits(year, 4) && digits(serial, 6) {
        Ok(raw.to_owned())
    } else {
        Err(hint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_statuses_are_read_once_each() {
        assert_eq!(
            parse_statuses("issued, partially_paid,issued"),
            Ok(vec![InvoiceStatus::Issued, InvoiceStatus::PartiallyPaid])
        );
        assert!(parse_statuses("issued,").is_err());
        assert!(parse_statuses("issued,settled").is_err());
    }

    #[test]
    fn invoice_numbers_must_have_the_printed_shape() {
        assert!(parse_invoice_number("FAC-2026-000123").is_ok());
        for bad in [
            "FAC-2026-123",
            "fac-2026-000123",
            "AV-2026-000123",
            "FAC-26-000123",
        ] {
            assert!(parse_invoice_number(bad).is_err(), "{bad}");
        }
    }
}
