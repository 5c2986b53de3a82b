//! E-invoicing in the server (issue #18): the configuration, the tax-authority adapters
//! (the built-in simulator and the HTTP client of the DGI platform) and the clearance worker.

pub mod config;
pub mod http;
pub mod http_mapping;
pub mod simulator;
pub mod worker;

pub use config::{EinvoicingConfig, EinvoicingMode};
pub use http::HttpTaxAuthority;
pub use simulator::{Simulator, SimulatorHandle};
