//! HTTP integration tests: the whole application over a fresh PostgreSQL database per test.

mod support;

mod idempotency;
mod system;
