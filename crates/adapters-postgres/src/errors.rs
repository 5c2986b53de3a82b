//! Translation of diesel errors into domain errors, inside the adapter.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::error::Error;

/// Any driver failure not otherwise mapped: a server fault (500), cause kept for the logs;
/// a lost connection (the server stopped or restarted) is `Unavailable` (503, retry later).
pub fn storage(error: DieselError) -> Error {
    if is_connection_lost(&error) {
        Error::Unavailable(error.to_string())
    } else {
        Error::Storage(error.to_string())
    }
}

/// Whether `error` says the connection to the server is gone, rather than a fault of the
/// statement: the request may succeed once the server is back.
pub fn is_connection_lost(error: &DieselError) -> bool {
    match error {
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        )
        | DieselError::BrokenTransactionManager => true,
        // SQLSTATE 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now) reach
        // diesel as unclassified errors; their messages are fixed by PostgreSQL.
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let message = info.message();
            message.starts_with("terminating connection")
                || message.starts_with("the database system is")
                || message.contains("server closed the connection unexpectedly")
        }
        _ => false,
    }
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
