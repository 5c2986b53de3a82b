//! Unit tests of the contracts use cases against mocked ports: fixtures shared by the
//! provisioning, lifecycle and offer-change tests.

mod lifecycle;
mod manual;
mod offer_change;
mod provision;

use std::sync::Arc;

use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::{Contract, ContractService, ContractStatus, OfferPeriod};
use crate::catalog::{Offer, OfferCode, OfferStatus};
use crate::clients::{Cin, Client, ClientStatus, ServiceIdentifier, Subscriber};
use crate::documents::MockDocumentRenderer;
use crate::ports::Ports;
use crate::service_type::ServiceType;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};

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
        id: id.into(),
        code: OfferCode::parse(&format!("OFFER-{monthly_price}")).unwrap(),
        name: format!("Offre {monthly_price}"),
        description: String::new(),
        service_type,
        monthly_price,
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
        id: id.into(),
        cin: Cin::parse("AB123456").unwrap(),
        first_name: "Hajar".into(),
        last_name: "Benkirane".into(),
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
        id: id.into(),
        client_id: client_id.into(),
        service_type: ServiceType::Mobile,
        service_identifier: ServiceIdentifier::parse(ServiceType::Mobile, number).unwrap(),
        created_at: NOW,
        updated_at: NOW,
    }
}

pub fn contract(status: ContractStatus) -> Contract {
    Contract {
        id: CONTRACT.into(),
        contract_number: "CTR-2026-000001".into(),
        client_id: CLIENT.into(),
        subscriber_id: LINE.into(),
        offer_id: OFFER.into(),
        service_type: ServiceType::Mobile,
        status,
        contract_start_date: date!(2026 - 01 - 15),
        commitment_months: 12,
        commitment_end_date: date!(2027 - 01 - 15),
        monthly_price: 9_900,
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
        offer_id: OFFER.into(),
        monthly_price: 9_900,
        tax_rate_bp: 2000,
        start_date: date!(2026 - 01 - 15),
        end_date: None,
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
