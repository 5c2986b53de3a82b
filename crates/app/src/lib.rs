//! MT-Facturation server: configuration, wiring of the adapters into the use cases, and the
//! server's start and graceful stop.

pub mod backup;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod database;
pub mod einvoicing;
pub mod logging;
pub mod metrics;
pub mod otp;
pub mod readiness;
pub mod scheduler;
pub mod sealer;
pub mod secrets;
pub mod server;
pub mod webhooks;
pub mod wiring;
