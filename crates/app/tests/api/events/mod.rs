//! Issue #16: the event outbox and its pull feed.

mod concurrency;
mod emission;
mod feed;
mod retention;
mod rollback;
pub mod support;
