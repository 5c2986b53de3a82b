//! Runs blocking use cases (diesel) off the async executor.

use actix_web::web;

use crate::problem::ApiError;

/// Runs `work` on the blocking thread pool and maps its error.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> domain::Result<T> + Send + 'static,
{
    match web::block(work).await {
        Ok(result) => result.map_err(ApiError::Domain),
        Err(error) => Err(ApiError::Internal(error.to_string())),
    }
}
