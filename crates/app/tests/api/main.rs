//! HTTP integration tests: the whole application over a fresh PostgreSQL database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod archive;
mod billing;
mod catalog;
mod collections;
mod contracts;
mod einvoicing;
mod events;
mod exports;
mod idempotency;
mod landing;
mod operations;
mod portal;
mod retention;
mod security;
mod system;
mod usage;
mod usage_views;
mod webhooks;
