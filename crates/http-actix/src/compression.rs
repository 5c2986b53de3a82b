//! Compression only where it pays (decision 0391).
//!
//! `Compress` encodes every answer a client accepts compressed, whatever its size. For a
//! few hundred bytes of JSON (an offer, a problem) it saves nothing on the wire and costs
//! more than the request itself: a deflate or brotli state set up and torn down per answer
//! made an offer read cost 115–119 µs of server CPU under a client that accepts gzip,
//! against 73–77 µs without. `Compress` leaves an answer alone when it already carries a
//! `Content-Encoding`; [`mark_small`], inside it, gives a small answer the placeholder
//! `identity`, and [`unmark`], outside it, takes the placeholder off again, so no client
//! ever sees it.

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, CONTENT_ENCODING};
use actix_web::middleware::Next;

/// Answers smaller than this are sent as they are.
pub const MIN_COMPRESSED_BYTES: u64 = 1024;

/// The placeholder: "identity" means no encoding, and is never a valid `Content-Encoding`
/// to send (RFC 9110, 8.4.1), so no handler sets it for a client.
const PLACEHOLDER: &str = "identity";

/// Whether an answer of this size is worth compressing (a stream's size is unknown: yes).
fn worth_compressing(size: BodySize) -> bool {
    match size {
        BodySize::Sized(bytes) => bytes >= MIN_COMPRESSED_BYTES,
        BodySize::None => false,
        BodySize::Stream => true,
    }
}

/// Middleware inside `Compress`: a small answer gets the placeholder encoding, which makes
/// `Compress` leave it as it is.
pub async fn mark_small<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let small = !worth_compressing(response.response().body().size());
    if small && !response.headers().contains_key(CONTENT_ENCODING) {
        response
            .headers_mut()
            .insert(CONTENT_ENCODING, HeaderValue::from_static(PLACEHOLDER));
    }
    Ok(response)
}

/// Middleware outside `Compress`: takes the placeholder off.
pub async fn unmark<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let placeholder = response
        .headers()
        .get(CONTENT_ENCODING)
        .is_some_and(|value| value == PLACEHOLDER);
    if placeholder {
        response.headers_mut().remove(CONTENT_ENCODING);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodies_of_a_kilobyte_or_more_and_streams_are_worth_compressing() {
        assert!(!worth_compressing(BodySize::None));
        assert!(!worth_compressing(BodySize::Sized(0)));
        assert!(!worth_compressing(BodySize::Sized(
            MIN_COMPRESSED_BYTES - 1
        )));
        assert!(worth_compressing(BodySize::Sized(MIN_COMPRESSED_BYTES)));
        assert!(worth_compressing(BodySize::Stream));
    }
}
