//! Answers for requests no route takes: 405 when the path exists with other methods, else 404.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};

use crate::problem::ApiError;
use crate::route_table::RouteTable;

/// The default service.
pub async fn fallback(
    req: HttpRequest,
    routes: Option<web::Data<RouteTable>>,
) -> Result<HttpResponse, ApiError> {
    Err(
        match routes.and_then(|routes| routes.methods_for(req.path())) {
            Some(methods) => ApiError::MethodNotAllowed {
                allow: methods.join(", "),
            },
            None => ApiError::RouteNotFound,
        },
    )
}

/// Middleware: a routed path called with a method no handler of it takes is 405 before
/// routing. Without it, `GET /contracts/provision` would reach `GET /contracts/{contract_id}`
/// and answer 404 `contract_not_found`.
pub async fn unrouted_method(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let allowed = req
        .app_data::<web::Data<RouteTable>>()
        .and_then(|routes| routes.methods_for(req.path()));
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
