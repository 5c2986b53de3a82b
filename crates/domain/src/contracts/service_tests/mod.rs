//! Unit tests of the contracts use cases against mocked ports: fixtures shared by the
//! provisioning, lifecycle and offer-change tests.

mod lifecycle;
mod manual;
mod offer_change;
mod provision;
mod regularise;

use std::sync::Arc;

use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::{Contract, ContractService, ContractStatus, OfferPeriod};
use crate::catalog::{Offer, OfferCode, OfferStatus};
use crate::clients::{Cin, Client, ClientStatus, ServiceIdentifier, Subscriber};
use crate::documents::MockDocumentRenderer;
use crate::money::Money;
use crate::ports::Ports;
use crate::service_type::ServiceType;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{ClientId, ContractId, OfferId, SubscriberId};

/// The fixed clock's instant: 2026-03-10 09:00 UTC.
pub const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
pub const ACTOR: &str = "act_01JD0000000000000000000000";
pub const OFFER: &str = "ofr_01JD0000000000000000000001";
pub const OTHER_OFFER: &str = "ofr_01JD0000000000000000000002";
pub const CLIENT: &str = "cli_01JD0000000000000000000001";
pub const OTHER_CLIENT: &str = "cli_01JD0000000000000000000002";
pub const LINE: &str = "sub_01JD0000000000000000000001";
pub const CONTRACT: &str = "ctr_01JD0000000000000000000001";

pub fn offer(id: &str, service_type: ServiceType, monthly_price: i64) -> Offer {
    Offer {
        usage: None,
        id: OfferId::from_stored(id),
        code: OfferCode::parse(&format!("OFFER-{monthly_price}")).unwrap(),
        name: format!("Offre {monthly_price}"),
        description: String::new(),
        service_type,
        monthly_price: Money::new(monthly_price).unwrap(),
        currency: "MAD".into(),
        tax_rate_bp: 2000,
        commitment_months: 12,
        status: OfferStatus::Active,
        created_at: NOW,
        updated_at: NOW,
    }
}

pub fn client(id: &str) -> Client {
    Client {
        id: ClientId::from_stored(id),
        identity: crate::clients::Identity::Person(crate::clients::Person {
            cin: Cin::parse("AB123456").unwrap(),
            first_name: "Hajar".into(),
            last_name: "Benkirane".into(),
        }),
        invoicing: crate::clients::Invoicing::PerContract,
        email: None,
        phone: None,
        address: Some("12 rue Talaa".into()),
        city: Some("Fès".into()),
        birth_date: None,
        status: ClientStatus::Active,
        created_at: NOW,
        updated_at: NOW,
    }
}

pub fn line(id: &str, client_id: &str, number: &str) -> Subscriber {
    Subscriber {
        id: SubscriberId::from_stored(id),
        client_id: ClientId::from_stored(client_id),
        service_type: ServiceType::Mobile,
        service_identifier: ServiceIdentifier::parse(ServiceType::Mobile, number).unwrap(),
        created_at: NOW,
        updated_at: NOW,
    }
}

pub fn contract(status: ContractStatus) -> Contract {
    Contract {
        id: ContractId::from_stored(CONTRACT),
        contract_number: "CTR-2026-000001".into(),
        client_id: ClientId::from_stored(CLIENT),
        subscriber_id: SubscriberId::from_stored(LINE),
        offer_id: OfferId::from_stored(OFFER),
        service_type: ServiceType::Mobile,
        status,
        contract_start_date: date!(2026 - 01 - 15),
        commitment_months: 12,
        commitment_end_date: date!(2027 - 01 - 15),
        monthly_price: crate::money::Money::from_stored(9_900),
        currency: "MAD".into(),
        tax_rate_bp: 2000,
        termination_date: None,
        document_version: 1,
        suspended_by_dunning: false,
        created_at: NOW,
        updated_at: NOW,
    }
}

/// The open period of [`contract`]: since 2026-01-15 at 99 MAD.
pub fn open_period() -> OfferPeriod {
    OfferPeriod {
        usage: None,
        offer_id: OfferId::from_stored(OFFER),
        monthly_price: crate::money::Money::from_stored(9_900),
        tax_rate_bp: 2000,
        start_date: date!(2026 - 01 - 15),
        end_date: None,
    }
}

impl ContractService {
    /// A status change as the HTTP edge applies it: the command as sent is validated, then
    /// applied to the (already parsed) contract id.
    pub fn update_status_as_sent(
        &self,
        actor_id: &str,
        contract_id: &str,
        command: &crate::contracts::UpdateStatus,
    ) -> crate::error::Result<Contract> {
        let change = self.validate_status_update(command)?;
        self.update_status(
            actor_id,
            &ContractId::from_stored(contract_id),
            &change,
            false,
        )
        .map(|changed| changed.contract)
    }

    /// An offer change as the HTTP edge applies it (see `update_status_as_sent`).
    pub fn update_offer_as_sent(
        &self,
        actor_id: &str,
        contract_id: &str,
        command: &crate::contracts::UpdateOffer,
    ) -> crate::error::Result<Contract> {
        let change = self.validate_offer_update(command)?;
        self.update_offer(
            actor_id,
            &ContractId::from_stored(contract_id),
            &change,
            false,
        )
        .map(|changed| changed.contract)
    }
}

/// A renderer that answers a tiny fake PDF for contracts.
pub fn renderer() -> MockDocumentRenderer {
    let mut renderer = MockDocumentRenderer::new();
    renderer
        .expect_contract()
        .returning(|doc| Ok(format!("%PDF {} v{}", doc.contract_number, doc.version).into_bytes()));
    renderer
}

/// The service over `uow`, the fixed clock and `renderer`.
pub fn build_with(
    uow: MockUnitOfWork,
    renderer: MockDocumentRenderer,
) -> (ContractService, Arc<MockTransactions>) {
    let tx = MockTransactions::new(uow);
    let ports = Ports {
        renderer: Arc::new(renderer),
        ..ports(tx.clone(), fixed_clock(NOW))
    };
    (ContractService::new(&ports), tx)
}

/// The service with the default renderer.
pub fn build(uow: MockUnitOfWork) -> (ContractService, Arc<MockTransactions>) {
    build_with(uow, renderer())
}
