//! Query strings of the landing's reads and public document links, declared as query structs
//! that both parse and document their parameters (decision 0130). Public document links
//! ignore parameters they do not know, since mail tools append tracking parameters (decision
//! 0192); the lists refuse them like every other list.

use domain::ids::IdKind;
use domain::page::PageRequest;
use utoipa::IntoParams;

use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// `?lookup_token=` of a client's live contracts.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    /// From `verify-cin`, for this CIN
    #[param(value_type = String, required = true)]
    pub lookup_token: Option<String>,
}

impl FromQuery for LookupQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        Ok(LookupQuery {
            lookup_token: params.take("lookup_token")?,
        })
    }
}

/// `?lookup_token=&limit=&cursor=` of a client's documents.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientDocumentsQuery {
    /// Token from `verify-cin` for this CIN
    #[param(value_type = String, required = true)]
    pub lookup_token: Option<String>,
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

impl FromQuery for ClientDocumentsQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let lookup_token = params.take("lookup_token")?;
        let page = params.page(IdKind::Invoice)?;
        Ok(ClientDocumentsQuery {
            lookup_token,
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

/// `?token=` of a public document link (an invoice's or a credit note's).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Token of this document's link; other parameters (mail tracking, `utm_source`) are ignored
    #[param(value_type = String, required = true)]
    pub token: Option<String>,
}

impl FromQuery for DocumentQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        Ok(DocumentQuery {
            token: params.take("token")?,
        })
    }
}

/// `?token=&version=` of a contract's document link.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractDocumentQuery {
    /// From a `document_download_url`; other parameters (mail tracking) are ignored
    #[param(value_type = String, required = true)]
    pub token: Option<String>,
    /// An earlier version; default the latest
    #[param(minimum = 1)]
    pub version: Option<i32>,
}

impl FromQuery for ContractDocumentQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        Ok(ContractDocumentQuery {
            token: params.take("token")?,
            version: params.parse_with("version", parse_version)?,
        })
    }
}

/// `version`: a whole number from 1.
fn parse_version(raw: &str) -> Result<i32, String> {
    raw.parse::<i32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| "must be a whole number from 1".to_owned())
}
