//! Another service reusing MT-Facturation's rules: it bills a mid-month plan change with the
//! billing engine, then creates an offer through the catalog use case against the published
//! mocks (feature `mocks`), as its own tests would.
//!
//! `cargo run -p mtf-domain --example reuse_rules --features mocks`

use domain::billing::{bill, BillableContract, NamedPeriod, Period};
use domain::catalog::OfferInput;
use domain::contracts::{ContractStatus, OfferPeriod};
use domain::error::Error;
use domain::money::Money;
use domain::service_type::ServiceType;
use domain::services::Services;
use domain::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use domain::typed_ids::{ClientId, ContractId, OfferId};
use time::macros::{date, datetime};

fn main() -> Result<(), Error> {
    // The engine: February 2026 on MOB-99 until the 14th, then MOB-199.
    let contract = BillableContract {
        contract_id: ContractId::from_stored("ctr_01JD0000000000000000000001"),
        client_id: ClientId::from_stored("cli_01JD0000000000000000000001"),
        service_type: ServiceType::Mobile,
        status: ContractStatus::Active,
        termination_date: None,
        service_identifier: "+212612345678".into(),
        offer_periods: vec![
            period(
                ("ofr_01JD0000000000000000000001", "MOB-99", 9_900),
                date!(2025 - 12 - 01),
                Some(date!(2026 - 02 - 15)),
            ),
            period(
                ("ofr_01JD0000000000000000000002", "MOB-199", 19_900),
                date!(2026 - 02 - 15),
                None,
            ),
        ],
        pending_charges: Vec::new(),
        usage: Vec::new(),
        late: Vec::new(),
    };
    let february = Period::parse("2026-02").map_err(|message| Error::invalid("period", message))?;
    let draft = bill(&contract, february).ok_or_else(|| Error::invalid("period", "not billed"))?;
    for line in &draft.lines {
        println!(
            "{:<32} {} → {}  {:>6} centimes excl. tax",
            line.description,
            line.start_date,
            line.end_date,
            line.amount_excl_tax.centimes()
        );
    }
    println!(
        "total incl. tax: {} centimes",
        draft.total_incl_tax.centimes()
    );

    // A use case against the mocks: the catalog validates, then stores the offer once.
    let mut uow = MockUnitOfWork::default();
    uow.offers.expect_insert().times(1).returning(|_| Ok(()));
    let services = Services::new(ports(
        MockTransactions::new(uow),
        fixed_clock(datetime!(2026-03-10 09:00 UTC)),
    ));
    let offer = services.catalog.create_offer(&OfferInput {
        code: " fibre-500 ".into(),
        name: "Fibre 500 Méga".into(),
        description: None,
        service_type: "internet".into(),
        monthly_price: 34_900,
        currency: None,
        tax_rate_bp: None,
        commitment_months: Some(12),
        status: None,
        allowances: None,
        overage_rates: None,
    })?;
    println!(
        "offer {} ({}): {} centimes incl. tax a month",
        offer.code.as_str(),
        offer.status.as_str(),
        offer.monthly_price_incl_tax()
    );
    Ok(())
}

/// An offer period (`end` exclusive) of the offer `(id, code, price excl. tax)` at 20 % TVA.
fn period(
    (id, code, price): (&str, &str, i64),
    start: time::Date,
    end: Option<time::Date>,
) -> NamedPeriod {
    NamedPeriod {
        period: OfferPeriod {
            usage: None,
            offer_id: OfferId::from_stored(id),
            monthly_price: Money::from_stored(price),
            tax_rate_bp: 2000,
            start_date: start,
            end_date: end,
        },
        offer_name: format!("Offre {code}"),
    }
}
