//! Ids taken from a request path, parsed once here into their typed form. A malformed id
//! answers as an unknown one does (the resource's `…_not_found`), as it did before ids were
//! typed: a caller cannot tell a badly formed id from one that does not exist.

use domain::error::{Error, Resource};

use crate::problem::ApiError;

/// The parsed id, or `NotFound(resource)` when it is malformed.
pub fn existing<T>(parsed: Result<T, String>, resource: Resource) -> Result<T, ApiError> {
    parsed.map_err(|_| ApiError::Domain(Error::NotFound(resource)))
}
