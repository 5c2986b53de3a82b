//! Every use-case service, built once from the ports and shared by the driving adapters.

use crate::access::AccessService;
use crate::contracts::ContractService;
use crate::ports::Ports;

/// The application's use cases.
#[derive(Clone)]
pub struct Services {
    /// The ports, for driving adapters that need the clock or transactions directly.
    pub ports: Ports,
    /// Authentication and actors.
    pub access: AccessService,
    /// Contracts: provisioning, lifecycle, offer changes, audit, documents.
    pub contracts: ContractService,
}

impl Services {
    /// Builds every service over the same ports.
    pub fn new(ports: Ports) -> Self {
        Self {
            access: AccessService::new(&ports),
            contracts: ContractService::new(&ports),
            ports,
        }
    }
}
