//! `LandingService`: the public self-service use cases (P7–P10), built from the ports.

use std::sync::Arc;

use crate::clock::Clock;
use crate::ids::IdGenerator;
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tokens::TokenService;
use crate::tx::TransactionRunner;

/// The landing's use cases: catalog, drafts, CIN verification, subscriptions, plan changes and
/// document links. Every entry point is public (no actor): access is by signed token or by
/// proof of the CIN, and callers are rate limited per address ([`LandingService::admit`]).
#[derive(Clone)]
pub struct LandingService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ids: Arc<dyn IdGenerator>,
    pub(super) tokens: Arc<dyn TokenService>,
    pub(super) settings: Arc<Settings>,
}

impl LandingService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            tokens: ports.tokens.clone(),
            settings: ports.settings.clone(),
        }
    }
}
