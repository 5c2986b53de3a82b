//! Ids taken from a request path, parsed once here into their typed form. A malformed id
//! answers as an unknown one does (the resource's `…_not_found`), before any use case runs:
//! a caller cannot tell a badly formed id from one that does not exist.

use domain::error::{Error, Resource};

use crate::problem::ApiError;

/// The parsed id, or `NotFound(resource)` when it is malformed.
pub fn existing<T>(parsed: Result<T, String>, resource: Resource) -> Result<T, ApiError> {
    parsed.map_err(|_| ApiError::Domain(Error::NotFound(resource)))
}

/// `raw` parsed with `parse` (`ContractId::parse`, …); `NotFound(resource)` when malformed.
pub fn path_id<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, String>,
    resource: Resource,
) -> Result<T, ApiError> {
    existing(parse(raw), resource)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::typed_ids::ContractId;

    #[test]
    fn a_malformed_path_id_is_the_resource_not_found() {
        let id = "ctr_01JD0000000000000000000000";
        assert_eq!(
            path_id(id, ContractId::parse, Resource::Contract)
                .ok()
                .map(String::from),
            Some(id.to_owned())
        );
        for raw in ["", "ctr_nope", "cli_01JD0000000000000000000000"] {
            let error = path_id(raw, ContractId::parse, Resource::Contract).unwrap_err();
            assert!(
                matches!(error, ApiError::Domain(Error::NotFound(Resource::Contract))),
                "{raw}"
            );
        }
    }
}
