//! MT-Facturation's business core: entities, value objects, rules, ports and use cases of a
//! telecom operator's billing back office.
//!
//! The crate knows nothing of HTTP, SQL or PDF. It talks to the outside through ports
//! (traits): storage repositories reached through a [`tx::UnitOfWork`] (one use case, one
//! transaction), a [`clock::Clock`], an [`ids::IdGenerator`], [`access::Credentials`],
//! [`tokens::TokenService`] and [`documents::DocumentRenderer`]. Adapters implement them;
//! [`services::Services`] bundles the use cases they drive.
//!
//! With the `mocks` feature, every port has a mockall mock and [`testing`] offers a unit of
//! work made of them, so other crates can test against the domain alone:
//!
//! ```
//! # #[cfg(feature = "mocks")] {
//! use domain::access::{Actor, Role};
//! use domain::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
//! use domain::services::Services;
//! use time::OffsetDateTime;
//!
//! let mut uow = MockUnitOfWork::default();
//! uow.actors.expect_find_by_id().returning(|id| {
//!     Ok(Some(Actor {
//!         id: id.to_owned(),
//!         name: "Salma".into(),
//!         roles: vec![Role::Agent],
//!         active: true,
//!         created_at: OffsetDateTime::UNIX_EPOCH,
//!         updated_at: OffsetDateTime::UNIX_EPOCH,
//!     }))
//! });
//! let tx = MockTransactions::new(uow);
//! let services = Services::new(ports(tx, fixed_clock(OffsetDateTime::UNIX_EPOCH)));
//! let actor = services
//!     .access
//!     .authenticate_actor_id("act_01JD0000000000000000000000")
//!     .unwrap();
//! assert!(actor.has_role(Role::Agent));
//! # }
//! ```
#![warn(missing_docs)]

pub mod access;
pub mod archive;
pub mod billing;
pub mod business_dates;
pub mod catalog;
pub mod clients;
pub mod clock;
pub mod collections;
pub mod contracts;
pub mod credit_notes;
pub mod documents;
pub mod einvoicing;
pub mod error;
pub mod events;
pub mod exports;
pub mod idempotency;
pub mod ids;
pub mod landing;
pub mod ledger;
pub mod money;
pub mod numbering;
pub mod page;
pub mod parties;
pub mod payment_imports;
pub mod ports;
pub mod rate_limit;
pub mod retention;
pub mod service_type;
pub mod services;
pub mod settings;
pub mod telemetry;
#[cfg(any(test, feature = "mocks"))]
pub mod testing;
pub mod text;
pub mod tokens;
pub mod tx;
pub mod typed_ids;
pub mod usage;
pub mod webhooks;

pub use error::{Error, Result};
