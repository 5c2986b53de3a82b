//! Answers for requests no route takes: 405 when the path exists with other methods, else 404.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::openapi::ApiDocument;
use crate::problem::ApiError;

/// The default service.
pub async fn fallback(
    req: HttpRequest,
    doc: Option<web::Data<ApiDocument>>,
) -> Result<HttpResponse, ApiError> {
    Err(match doc.and_then(|doc| doc.methods_for(req.path())) {
        Some(methods) => ApiError::MethodNotAllowed {
            allow: methods.join(", "),
        },
        None => ApiError::RouteNotFound,
    })
}
