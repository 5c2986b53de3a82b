//! Issue #16: the event outbox and its pull feed.

mod feed;
mod support;
