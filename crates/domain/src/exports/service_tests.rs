//! `ExportService` against mocked ports: the encaissements rule over the month's
//! collections, the debits figures as stored, and the journals' paging.

use time::macros::date;

use super::*;
use crate::billing::Period;
use crate::money::Money;
use crate::ports::Ports;
use crate::settings::Settings;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::InvoiceId;

fn m(centimes: i64) -> Money {
    Money::from_stored(centimes)
}

fn service(uow: MockUnitOfWork, regime: TvaRegime) -> ExportService {
    let base = ports(
        MockTransactions::new(uow),
        fixed_clock(time::macros::datetime!(2026-04-02 10:00 UTC)),
    );
    ExportService::new(&Ports {
        settings: std::sync::Arc::new(Settings {
            tva_regime: regime,
            ..Settings::default()
        }),
        ..base
    })
}

fn march() -> Period {
    Period::parse("2026-03").unwrap()
}

/// An invoice of 20 % and 10 % lines: 100.00 + 20.00 TVA and 50.00 + 5.00 TVA = 175.00.
fn two_rate_invoice(before: i64, through: i64) -> InvoiceCollection {
    InvoiceCollection {
        invoice_id: InvoiceId::from_stored("inv_1"),
        total_incl_tax: m(17_500),
        by_rate: vec![
            RateAmounts {
                rate_bp: 2000,
                excl_tax: m(10_000),
                tax: m(2000),
            },
            RateAmounts {
                rate_bp: 1000,
                excl_tax: m(5000),
                tax: m(500),
            },
        ],
        collected_before: m(before),
        collected_through: m(through),
    }
}

#[test]
fn encaissements_take_each_rates_share_of_the_money_collected_in_the_month() {
    let mut uow = MockUnitOfWork::default();
    uow.exports
        .expect_collections()
        .withf(|month| *month == march())
        .returning(|_| Ok(vec![two_rate_invoice(0, 7000)]));
    let report = service(uow, TvaRegime::Encaissements)
        .tva(march(), None)
        .unwrap();
    assert_eq!(report.regime, TvaRegime::Encaissements);
    // 70.00 of 175.00 is 40 %: 8.00 of the 20 % TVA, 2.00 of the 10 % TVA.
    assert_eq!(
        report.rates,
        [
            TaxByRate {
                rate_bp: 2000,
                excl_tax: 4000,
                tax: 800
            },
            TaxByRate {
                rate_bp: 1000,
                excl_tax: 2000,
                tax: 200
            }
        ]
    );
    assert_eq!((report.total_excl_tax, report.total_tax), (6000, 1000));
}

#[test]
fn the_month_that_completes_a_payment_collects_the_rest_of_the_tva_exactly() {
    let mut uow = MockUnitOfWork::default();
    uow.exports
        .expect_collections()
        .returning(|_| Ok(vec![two_rate_invoice(3333, 17_500)]));
    let report = service(uow, TvaRegime::Encaissements)
        .tva(march(), None)
        .unwrap();
    let earlier = collected_share(m(2000), m(3333), m(17_500));
    assert_eq!(report.rates[0].tax + earlier, 2000);
    let earlier = collected_share(m(500), m(3333), m(17_500));
    assert_eq!(report.rates[1].tax + earlier, 500);
}

#[test]
fn a_reversal_in_the_month_takes_back_what_was_collected_earlier() {
    let mut uow = MockUnitOfWork::default();
    uow.exports
        .expect_collections()
        .returning(|_| Ok(vec![two_rate_invoice(17_500, 0)]));
    let report = service(uow, TvaRegime::Encaissements)
        .tva(march(), None)
        .unwrap();
    assert_eq!((report.total_excl_tax, report.total_tax), (-15_000, -2500));
}

#[test]
fn debits_report_the_issued_figures_and_an_explicit_regime_wins_over_the_setting() {
    let mut uow = MockUnitOfWork::default();
    uow.exports.expect_collections().never();
    uow.exports.expect_tax_issued().returning(|_| {
        Ok(vec![
            TaxByRate {
                rate_bp: 1000,
                excl_tax: 5000,
                tax: 500,
            },
            TaxByRate {
                rate_bp: 2000,
                excl_tax: -1000,
                tax: -200,
            },
        ])
    });
    let report = service(uow, TvaRegime::Encaissements)
        .tva(march(), Some(TvaRegime::Debits))
        .unwrap();
    assert_eq!(report.regime, TvaRegime::Debits);
    assert_eq!(
        report.rates.iter().map(|r| r.rate_bp).collect::<Vec<_>>(),
        [2000, 1000]
    );
    assert_eq!((report.total_excl_tax, report.total_tax), (4000, 300));
}

#[test]
fn the_setting_chooses_the_regime_when_the_request_does_not() {
    let mut uow = MockUnitOfWork::default();
    uow.exports
        .expect_tax_issued()
        .returning(|_| Ok(Vec::new()));
    let report = service(uow, TvaRegime::Debits).tva(march(), None).unwrap();
    assert_eq!(report.regime, TvaRegime::Debits);
}

#[test]
fn a_journal_starts_at_the_ranges_first_day_and_resumes_after_the_cursor() {
    let range = DateRange::new(date!(2026 - 03 - 01), date!(2026 - 03 - 31)).unwrap();
    let mut uow = MockUnitOfWork::default();
    uow.exports
        .expect_sales_page()
        .withf(|_, after, limit| {
            *after == SalesCursor::start(date!(2026 - 03 - 01)) && *limit == PAGE_SIZE
        })
        .times(1)
        .returning(|_, _, _| Ok(Vec::new()));
    uow.exports
        .expect_sales_page()
        .withf(|_, after, _| after.number == "FAC-2026-000009")
        .times(1)
        .returning(|_, _, _| Ok(Vec::new()));
    let service = service(uow, TvaRegime::Debits);
    service.sales_page(&range, None).unwrap();
    let cursor = SalesCursor {
        date: date!(2026 - 03 - 02),
        number: "FAC-2026-000009".into(),
    };
    service.sales_page(&range, Some(&cursor)).unwrap();
}

#[test]
fn revenue_sums_by_service_type_and_by_offer() {
    use crate::service_type::ServiceType;
    use crate::typed_ids::OfferId;
    let line = |offer: &str, service, excl_tax| RevenueLine {
        offer_id: OfferId::from_stored(offer),
        offer_name: format!("Offre {offer}"),
        service_type: service,
        excl_tax,
    };
    let mut uow = MockUnitOfWork::default();
    uow.exports.expect_revenue_lines().returning(move |_| {
        Ok(vec![
            line("ofr_a", ServiceType::Mobile, 10_000),
            line("ofr_b", ServiceType::Internet, 30_000),
            line("ofr_a", ServiceType::Mobile, -2500),
            line("ofr_c", ServiceType::Mobile, 1000),
        ])
    });
    let report = service(uow, TvaRegime::Debits).revenue(march()).unwrap();
    let services: Vec<(&str, i64)> = report
        .by_service
        .iter()
        .map(|s| (s.service_type.as_str(), s.excl_tax))
        .collect();
    assert_eq!(services, [("internet", 30_000), ("mobile", 8500)]);
    let offers: Vec<(&str, i64)> = report
        .by_offer
        .iter()
        .map(|o| (o.offer_id.as_str(), o.excl_tax))
        .collect();
    assert_eq!(
        offers,
        [("ofr_a", 7500), ("ofr_b", 30_000), ("ofr_c", 1000)]
    );
    assert_eq!(report.total_excl_tax, 38_500);
}
