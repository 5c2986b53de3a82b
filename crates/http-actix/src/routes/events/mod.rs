//! The pull feed of business events (`/events`, issue #16, decision 0260).

mod dto;

use actix_web::{get, web, HttpResponse};
use domain::access::Role;
use domain::services::Services;
use utoipa_actix_web::service_config::ServiceConfig;

pub use dto::{EventFeedQuery, EventList, EventResponse};

use crate::auth::Caller;
use crate::blocking::blocking;
use crate::problem::{ApiError, Problem};
use crate::query::QueryParams;
use crate::responses::ViewerErrors;

/// Registers the feed.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events);
}

#[utoipa::path(
    tag = "events",
    security(("bearer" = []), ("actor_id" = [])),
    params(EventFeedQuery),
    responses(
        (status = 200, description = "The events after `after`, in commit-safe feed order: an event never appears before one already returned, so a consumer that stores `next_cursor` misses none", body = EventList),
        (status = 400, description = "`invalid_query`: bad `limit`, or an unknown or repeated parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `type` names an unknown event type, or `after` is not a cursor of this feed", body = Problem, content_type = "application/problem+json"),
        ViewerErrors
    )
)]
#[get("/events")]
async fn list_events(
    caller: Caller,
    services: web::Data<Services>,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    caller.require(Role::Viewer)?;
    let EventFeedQuery {
        after,
        types,
        limit,
    } = query.read()?;
    let page = blocking(move || services.events.feed(after.as_ref(), &types, limit)).await?;
    Ok(HttpResponse::Ok().json(EventList::from(page)))
}
