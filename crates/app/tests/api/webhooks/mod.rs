//! Webhooks (issue #16): endpoints, signed deliveries to a real local receiver, retries,
//! rotation, disabling and the host rules.

mod endpoints;
mod receiver;
