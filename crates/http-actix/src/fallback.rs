//! Answers for requests no route takes: 405 when the path exists with other methods, else 404.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

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

/// Middleware: a documented path called with a method it does not document is 405 before
/// routing. Without it, `GET /contracts/provision` would reach `GET /contracts/{contract_id}`
/// and answer 404 `contract_not_found`.
pub async fn undocumented_method(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let allowed = req
        .app_data::<web::Data<ApiDocument>>()
        .and_then(|doc| doc.methods_for(req.path()));
    if let Some(methods) = allowed {
        if !methods.iter().any(|m| m == req.method().as_str()) {
            let error = ApiError::MethodNotAllowed {
                allow: methods.join(", "),
            };
            return Ok(req.into_response(error.error_response().map_into_right_body()));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
