//! `LandingService`: the public self-service use cases (P7–P10), built from the ports.

use std::sync::Arc;

use crate::clients::ClientService;
use crate::clock::Clock;
use crate::contracts::ContractService;
use crate::ids::IdGenerator;
use crate::ports::Ports;
use crate::settings::Settings;
use crate::tokens::TokenService;
use crate::tx::TransactionRunner;

use super::{OtpCodes, OtpSender};

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
    /// Delivers one-time codes of `verify-cin` (when `landing_otp` is on).
    pub(super) otp_sender: Arc<dyn OtpSender>,
    /// Makes and checks those codes.
    pub(super) otp_codes: Arc<dyn OtpCodes>,
    /// Client creation (P8 reuses P3's use case).
    pub(super) clients: ClientService,
    /// Provisioning and offer changes (P8 and P9 reuse P4's and P6's use cases).
    pub(super) contracts: ContractService,
}

impl LandingService {
    /// Wires the service to its ports and to the use cases it reuses.
    pub fn new(ports: &Ports, clients: ClientService, contracts: ContractService) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
            tokens: ports.tokens.clone(),
            settings: ports.settings.clone(),
            otp_sender: ports.otp_sender.clone(),
            otp_codes: ports.otp_codes.clone(),
            clients,
            contracts,
        }
    }

    /// Over `ports` with the reused services built on the same ports (unit tests).
    #[cfg(test)]
    pub(super) fn over(ports: &Ports) -> Self {
        Self::new(
            ports,
            ClientService::new(ports),
            ContractService::new(ports),
        )
    }
}
