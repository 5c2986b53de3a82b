//! Translation of diesel errors into domain errors, inside the adapter.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::error::Error;

/// Any driver failure not otherwise mapped: a server fault (500), cause kept for the logs.
pub fn storage(error: DieselError) -> Error {
    Error::Storage(error.to_string())
}

/// Whether `error` is a unique violation, optionally of the named constraint or index.
pub fn is_unique_violation(error: &DieselError, constraint: Option<&str>) -> bool {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => match constraint {
            None => true,
            Some(name) => info.constraint_name() == Some(name),
        },
        _ => false,
    }
}

/// Whether `error` is a foreign-key violation.
pub fn is_foreign_key_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
    )
}

/// `conflict` when `error` violates the unique `constraint`, else a storage fault.
pub fn unique_or_storage(
    error: DieselError,
    constraint: &str,
    conflict: domain::error::Conflict,
) -> Error {
    if is_unique_violation(&error, Some(constraint)) {
        Error::Conflict(conflict)
    } else {
        storage(error)
    }
}
