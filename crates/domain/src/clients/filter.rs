//! Criteria of client and subscriber lists.

use super::{Cin, ClientKind, ClientStatus, Ice, Msisdn, ServiceIdentifier};
use crate::service_type::ServiceType;
use crate::typed_ids::ClientId;

/// Shortest free-text search: below three characters a trigram index cannot narrow the
/// search, and every client would be read.
pub const MIN_SEARCH_CHARS: usize = 3;

/// Which clients a list returns; `None` criteria match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientFilter {
    /// Case-insensitive substring of "first last CIN company ICE phone e-mail" (see [`ClientFilter::search`]).
    pub q: Option<String>,
    /// Exactly this CIN.
    pub cin: Option<Cin>,
    /// Exactly this ICE.
    pub ice: Option<Ice>,
    /// Only persons or only companies.
    pub kind: Option<ClientKind>,
    /// Only clients in this status.
    pub status: Option<ClientStatus>,
}

impl ClientFilter {
    /// Normalises a free-text search: trimmed, at least [`MIN_SEARCH_CHARS`] characters; a
    /// Moroccan phone number in any accepted form (`06 12 34 56 78`) becomes its stored
    /// E.164 form so it matches the client's phone.
    pub fn search(raw: &str) -> Result<String, String> {
        let q = raw.trim();
        if q.chars().count() < MIN_SEARCH_CHARS {
            return Err(format!("must be at least {MIN_SEARCH_CHARS} characters"));
        }
        Ok(match Msisdn::parse(q) {
            Ok(number) => number.as_str().to_owned(),
            Err(_) => q.to_owned(),
        })
    }
}

/// Which lines a list returns; `None` criteria match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriberFilter {
    /// Only lines of this client.
    pub client_id: Option<ClientId>,
    /// Only lines of this service type.
    pub service_type: Option<ServiceType>,
    /// Only lines with one of these (type, normalised identifier) pairs; an empty list
    /// matches nothing.
    pub lines: Option<Vec<(ServiceType, ServiceIdentifier)>>,
}

impl SubscriberFilter {
    /// A filter whose `service_identifier` is normalised for every service type it is valid
    /// for (`0612345678` → mobile `+212612345678`, and internet `0612345678`), or only for
    /// `service_type` when given. An identifier valid for no type matches nothing.
    pub fn new(
        client_id: Option<ClientId>,
        service_type: Option<ServiceType>,
        service_identifier: Option<&str>,
    ) -> SubscriberFilter {
        let types: Vec<ServiceType> = match service_type {
            Some(t) => vec![t],
            None => ServiceType::ALL.to_vec(),
        };
        let lines = service_identifier.map(|raw| {
            types
                .iter()
                .filter_map(|t| ServiceIdentifier::parse(*t, raw).ok().map(|id| (*t, id)))
                .collect()
        });
        SubscriberFilter {
            client_id,
            service_type,
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_search_is_normalised_to_e164() {
        assert_eq!(
            ClientFilter::search(" 06 12 34 56 78 ").as_deref(),
            Ok("+212612345678")
        );
        assert_eq!(ClientFilter::search(" Benk ").as_deref(), Ok("Benk"));
        assert!(ClientFilter::search(" ab ").is_err());
    }

    #[test]
    fn an_identifier_filter_is_normalised_for_every_type_it_fits() {
        let filter = SubscriberFilter::new(None, None, Some("0612345678"));
        let lines = filter.lines.unwrap();
        let pairs: Vec<_> = lines.iter().map(|(t, i)| (*t, i.as_str())).collect();
        assert_eq!(
            pairs,
            [
                (ServiceType::Mobile, "+212612345678"),
                (ServiceType::Internet, "0612345678")
            ]
        );
        let typed = SubscriberFilter::new(None, Some(ServiceType::Landline), Some("0612345678"));
        assert_eq!(typed.lines, Some(Vec::new()));
    }
}
