//! Criteria of offer lists.

use super::OfferStatus;
use crate::service_type::ServiceType;

/// Which offers a list returns; `None` criteria match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferFilter {
    /// Only offers of this service family.
    pub service_type: Option<ServiceType>,
    /// Only offers in this status.
    pub status: Option<OfferStatus>,
    /// Case-insensitive substring of the code or the name (already trimmed, non-empty).
    pub q: Option<String>,
}

impl OfferFilter {
    /// A filter with `q` trimmed, and dropped when blank.
    pub fn new(
        service_type: Option<ServiceType>,
        status: Option<OfferStatus>,
        q: Option<&str>,
    ) -> OfferFilter {
        OfferFilter {
            service_type,
            status,
            q: q.map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_owned),
        }
    }
}
