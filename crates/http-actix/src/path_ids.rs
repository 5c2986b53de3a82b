//! Ids in request paths, parsed once at the edge into their typed form. A path id that is
//! not of its kind names nothing: the same 404 as an unknown id, before any use case runs.

use domain::error::{Error, Resource};

use crate::problem::ApiError;

/// `raw` parsed with `parse` (`ContractId::parse`, …); `NotFound(resource)` when malformed.
pub fn path_id<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, String>,
    resource: Resource,
) -> Result<T, ApiError> {
    parse(raw).map_err(|_| Error::NotFound(resource).into())
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
