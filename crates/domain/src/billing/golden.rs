//! The golden billing cases (`engine_tests.rs`) as data, for the crates that check a document
//! against every one of them (the UBL documents: totals to the centime and schema validity).
//! Each case is the input of an engine test that bills something, under that test's name; the
//! expected amounts stay in `engine_tests.rs`, which asserts them and builds its contracts with
//! the helpers below.

use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use super::{bill, bill_account, BillableContract, Invoice, InvoiceStatus, NamedPeriod};
use super::{LateMonth, PendingCharge, Period};
use crate::clients::Invoicing;
use crate::contracts::{ContractStatus, OfferPeriod};
use crate::money::Money;
use crate::parties::{BuyerIdentity, SellerIdentityId};
use crate::service_type::ServiceType;
use crate::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId, PendingChargeId};
use crate::usage::{Allowances, DailyUsage, OverageRates, UsageKind, UsageTerms};

/// One golden case: contracts billed for a month, per contract or as one account.
#[derive(Debug, Clone)]
pub struct GoldenCase {
    /// The engine test it comes from (with a suffix when that test bills several months).
    pub name: &'static str,
    /// The month billed.
    pub period: Period,
    /// One contract, or an account's contracts.
    pub contracts: Vec<BillableContract>,
    /// Billed as one account (a company's invoice).
    pub per_account: bool,
}

impl GoldenCase {
    /// The invoice the case issues, numbered `FAC-2026-<n>`, issued on the first day of the
    /// next month and due 15 days later, to a person or (per account) to a company.
    pub fn invoice(&self, n: usize) -> Invoice {
        let draft = if self.per_account {
            bill_account(&self.contracts.iter().collect::<Vec<_>>(), self.period)
        } else {
            self.contracts.first().and_then(|c| bill(c, self.period))
        };
        // Every case bills: a case that does not is a mistake in this list.
        let Some(draft) = draft else {
            panic!("golden case {} bills nothing", self.name);
        };
        let issue_date = self.period.next().first_day();
        let buyer = if self.per_account {
            BuyerIdentity {
                name: "Atlas Logistique & Fils SARL".into(),
                cin: None,
                ice: Some("001525374000089".into()),
                address: Some("Zone industrielle, lot 12".into()),
                city: Some("Casablanca".into()),
            }
        } else {
            BuyerIdentity {
                name: "Hajar Benkirane".into(),
                cin: Some("CD789012".into()),
                ice: None,
                address: Some("12 rue Talaa".into()),
                city: Some("Fès".into()),
            }
        };
        let now = OffsetDateTime::UNIX_EPOCH;
        Invoice {
            id: InvoiceId::from_stored(format!("inv_{n}")),
            invoice_number: format!("FAC-2026-{n:06}"),
            billing_run_id: BillingRunId::from_stored("run_1"),
            client_id: draft.client_id,
            contract_id: draft.contract_id,
            invoicing: draft.invoicing,
            offer_id: draft.offer_id,
            service_type: draft.service_type,
            buyer,
            service_identifier: draft.service_identifier,
            seller_id: SellerIdentityId::from_stored(1),
            period: self.period,
            issue_date,
            due_date: issue_date + time::Duration::days(15),
            status: InvoiceStatus::Issued,
            lines: draft.lines,
            total_excl_tax: draft.total_excl_tax,
            total_tax: draft.total_tax,
            total_incl_tax: draft.total_incl_tax,
            amount_paid: Money::ZERO,
            credited_amount: Money::ZERO,
            credit_note_ids: Vec::new(),
            replaces_invoice_id: None,
            usage: draft.usage,
            currency: "MAD".into(),
            created_at: now,
            updated_at: now,
        }
    }

    /// `Invoicing` of the case.
    pub fn invoicing(&self) -> Invoicing {
        if self.per_account {
            Invoicing::PerAccount
        } else {
            Invoicing::PerContract
        }
    }
}

pub(crate) fn month(raw: &str) -> Period {
    Period::parse(raw).unwrap_or_else(|error| panic!("golden period {raw}: {error}"))
}

pub(crate) fn offer(
    id: &str,
    price: i64,
    rate: i32,
    start: Date,
    end: Option<Date>,
) -> NamedPeriod {
    NamedPeriod {
        period: OfferPeriod {
            usage: None,
            offer_id: OfferId::from_stored(id),
            monthly_price: Money::from_stored(price),
            tax_rate_bp: rate,
            start_date: start,
            end_date: end,
        },
        offer_name: format!("Offre {id}"),
    }
}

pub(crate) fn contract(
    id: &str,
    status: ContractStatus,
    periods: Vec<NamedPeriod>,
) -> BillableContract {
    BillableContract {
        contract_id: ContractId::from_stored(id),
        client_id: ClientId::from_stored("cli_1"),
        service_type: ServiceType::Mobile,
        status,
        termination_date: None,
        service_identifier: "+212612345678".into(),
        offer_periods: periods,
        pending_charges: Vec::new(),
        usage: Vec::new(),
        late: Vec::new(),
    }
}

pub(crate) fn active_since(start: Date, price: i64) -> BillableContract {
    contract(
        "ctr_1",
        ContractStatus::Active,
        vec![offer("A", price, 2000, start, None)],
    )
}

fn terminated(mut c: BillableContract, on: Date) -> BillableContract {
    c.status = ContractStatus::Terminated;
    c.termination_date = Some(on);
    c
}

pub(crate) fn charge() -> PendingCharge {
    PendingCharge {
        id: PendingChargeId::from_stored("pch_1"),
        contract_id: ContractId::from_stored("ctr_1"),
        regularised_invoice_id: InvoiceId::from_stored("inv_1"),
        description: "Régularisation changement d'offre du 10/02/2026 au 28/02/2026".into(),
        offer_id: OfferId::from_stored("B"),
        start_date: date!(2026 - 02 - 10),
        end_date: date!(2026 - 02 - 28),
        days: 19,
        monthly_price: Money::from_stored(19_900),
        amount_excl_tax: Money::from_stored(13_504),
        tax_rate_bp: 2000,
        created_at: datetime!(2026-03-10 09:00 UTC),
    }
}

fn with_charge(mut c: BillableContract) -> BillableContract {
    c.pending_charges = vec![charge()];
    c
}

/// The usage terms of the golden plans: 10 h of calls, 200 SMS, 1 GiB; 1.50 MAD a started
/// minute, 0.50 MAD an SMS, 0.10 MAD a started MB.
pub(crate) fn terms(voice: Option<i64>, sms: Option<i64>, data: Option<i64>) -> UsageTerms {
    UsageTerms {
        allowances: Allowances {
            voice_seconds: voice,
            sms,
            data_bytes: data,
        },
        rates: OverageRates {
            voice_per_minute: Money::from_stored(150),
            sms_each: Money::from_stored(50),
            data_per_mb: Money::from_stored(10),
        },
    }
}

/// `c`'s offer periods all with `terms`, and `usage` as its month's records by day.
pub(crate) fn with_usage(
    mut c: BillableContract,
    terms: UsageTerms,
    usage: &[(Date, UsageKind, i64)],
) -> BillableContract {
    for named in &mut c.offer_periods {
        named.period.usage = Some(terms);
    }
    c.usage = daily(usage);
    c
}

/// Usage by day as the engine reads it.
fn daily(usage: &[(Date, UsageKind, i64)]) -> Vec<DailyUsage> {
    usage
        .iter()
        .map(|(date, kind, quantity)| DailyUsage {
            date: *date,
            kind: *kind,
            quantity: *quantity,
        })
        .collect()
}

/// `c` with late records of `late_month` still to bill (`late`), that month's other records
/// being `billed`; the month's offer periods are `c`'s.
pub(crate) fn with_late(
    mut c: BillableContract,
    late_month: &str,
    billed: &[(Date, UsageKind, i64)],
    late: &[(Date, UsageKind, i64)],
) -> BillableContract {
    c.late.push(LateMonth {
        period: month(late_month),
        offer_periods: c.offer_periods.clone(),
        billed: daily(billed),
        late: daily(late),
    });
    c
}

fn one(name: &'static str, period: &str, c: BillableContract) -> GoldenCase {
    GoldenCase {
        name,
        period: month(period),
        contracts: vec![c],
        per_account: false,
    }
}

fn account(name: &'static str, period: &str, contracts: Vec<BillableContract>) -> GoldenCase {
    GoldenCase {
        name,
        period: month(period),
        contracts,
        per_account: true,
    }
}

/// Every golden case that bills, in the order of `engine_tests.rs`.
pub fn cases() -> Vec<GoldenCase> {
    let internet = |id, periods| BillableContract {
        service_type: ServiceType::Internet,
        ..contract(id, ContractStatus::Active, periods)
    };
    vec![
        one(
            "a_full_31_day_month_bills_the_monthly_price",
            "2026-01",
            active_since(date!(2025 - 06 - 01), 9_900),
        ),
        one(
            "a_30_day_month_started_mid_month_bills_half",
            "2026-04",
            active_since(date!(2026 - 04 - 16), 9_900),
        ),
        one(
            "february_of_28_days_prorates_by_28",
            "2026-02",
            active_since(date!(2026 - 02 - 15), 9_900),
        ),
        one(
            "february_of_28_days_prorates_by_28/full",
            "2026-02",
            active_since(date!(2026 - 02 - 01), 9_900),
        ),
        one(
            "february_of_29_days_prorates_by_29/full",
            "2028-02",
            active_since(date!(2028 - 02 - 01), 9_900),
        ),
        one(
            "february_of_29_days_prorates_by_29/last_day",
            "2028-02",
            active_since(date!(2028 - 02 - 29), 9_900),
        ),
        one(
            "a_start_on_the_last_day_of_a_31_day_month_bills_one_day",
            "2026-03",
            active_since(date!(2026 - 03 - 31), 9_900),
        ),
        one(
            "a_plan_change_mid_month_bills_one_line_per_offer_period",
            "2026-03",
            contract(
                "ctr_1",
                ContractStatus::Active,
                vec![
                    offer("B", 19_900, 2000, date!(2026 - 03 - 16), None),
                    offer(
                        "A",
                        9_900,
                        2000,
                        date!(2025 - 01 - 01),
                        Some(date!(2026 - 03 - 16)),
                    ),
                ],
            ),
        ),
        one(
            "a_plan_change_on_the_first_of_the_month_bills_only_the_new_offer",
            "2026-03",
            contract(
                "ctr_1",
                ContractStatus::Active,
                vec![
                    offer(
                        "A",
                        9_900,
                        2000,
                        date!(2025 - 01 - 01),
                        Some(date!(2026 - 03 - 01)),
                    ),
                    offer("B", 19_900, 2000, date!(2026 - 03 - 01), None),
                ],
            ),
        ),
        one(
            "a_termination_mid_month_bills_up_to_the_termination_date_inclusive",
            "2026-03",
            terminated(
                active_since(date!(2025 - 01 - 01), 9_900),
                date!(2026 - 03 - 10),
            ),
        ),
        one(
            "a_contract_started_and_terminated_the_same_day_bills_one_day",
            "2026-03",
            terminated(
                active_since(date!(2026 - 03 - 10), 3_100),
                date!(2026 - 03 - 10),
            ),
        ),
        one(
            "a_contract_terminated_after_the_month_bills_the_whole_month",
            "2026-03",
            terminated(
                active_since(date!(2025 - 01 - 01), 9_900),
                date!(2026 - 04 - 05),
            ),
        ),
        one(
            "suspended_contracts_are_billed_like_active_ones",
            "2026-03",
            BillableContract {
                status: ContractStatus::Suspended,
                ..active_since(date!(2025 - 01 - 01), 9_900)
            },
        ),
        one(
            "amounts_and_tax_round_half_up_to_the_centime/10_percent",
            "2026-04",
            contract(
                "ctr_1",
                ContractStatus::Active,
                vec![offer("A", 2_010, 1000, date!(2026 - 04 - 16), None)],
            ),
        ),
        one(
            "amounts_and_tax_round_half_up_to_the_centime/20_percent",
            "2026-04",
            contract(
                "ctr_1",
                ContractStatus::Active,
                vec![offer("A", 101, 2000, date!(2026 - 04 - 16), None)],
            ),
        ),
        one(
            "amounts_and_tax_round_half_up_to_the_centime/zero_line",
            "2026-03",
            contract(
                "ctr_1",
                ContractStatus::Active,
                vec![offer("A", 1, 2000, date!(2026 - 03 - 31), None)],
            ),
        ),
        one(
            "each_line_is_taxed_at_its_own_period_rate",
            "2026-04",
            contract(
                "ctr_1",
                ContractStatus::Active,
                vec![
                    offer(
                        "A",
                        10_000,
                        1000,
                        date!(2025 - 01 - 01),
                        Some(date!(2026 - 04 - 16)),
                    ),
                    offer("B", 10_000, 2000, date!(2026 - 04 - 16), None),
                ],
            ),
        ),
        one(
            "a_pending_charge_is_billed_after_the_months_lines_with_its_own_tax",
            "2026-03",
            with_charge(active_since(date!(2025 - 12 - 01), 9_900)),
        ),
        one(
            "a_contract_whose_service_ended_is_invoiced_for_its_pending_charges_alone",
            "2026-03",
            with_charge(terminated(
                active_since(date!(2025 - 12 - 01), 9_900),
                date!(2026 - 02 - 28),
            )),
        ),
        account(
            "an_account_bills_its_contracts_on_one_invoice_grouped_by_contract",
            "2026-01",
            vec![
                internet(
                    "ctr_3",
                    vec![offer("F", 30_000, 2000, date!(2026 - 01 - 16), None)],
                ),
                contract(
                    "ctr_1",
                    ContractStatus::Active,
                    vec![
                        offer(
                            "A",
                            9_900,
                            2000,
                            date!(2025 - 06 - 01),
                            Some(date!(2026 - 01 - 11)),
                        ),
                        offer("B", 19_900, 2000, date!(2026 - 01 - 11), None),
                    ],
                ),
                contract(
                    "ctr_2",
                    ContractStatus::Active,
                    vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
                ),
            ],
        ),
        account(
            "an_account_whose_first_contract_does_not_bill_is_named_by_the_next",
            "2026-01",
            vec![
                contract(
                    "ctr_1",
                    ContractStatus::Active,
                    vec![offer("A", 9_900, 2000, date!(2026 - 02 - 01), None)],
                ),
                contract(
                    "ctr_2",
                    ContractStatus::Active,
                    vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
                ),
            ],
        ),
        account(
            "an_accounts_pending_charge_goes_with_the_other_lines_of_its_contract",
            "2026-03",
            vec![
                contract(
                    "ctr_2",
                    ContractStatus::Active,
                    vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
                ),
                with_charge(contract(
                    "ctr_1",
                    ContractStatus::Active,
                    vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
                )),
            ],
        ),
        one(
            "usage_beyond_the_allowances_is_billed_after_the_subscription_line",
            "2026-03",
            with_charge(with_usage(
                active_since(date!(2025 - 12 - 01), 9_900),
                terms(Some(36_000), Some(200), None),
                &[
                    (date!(2026 - 03 - 02), UsageKind::Voice, 36_000 + 61),
                    (date!(2026 - 03 - 09), UsageKind::Sms, 203),
                    (date!(2026 - 03 - 30), UsageKind::Data, 5_000_000_000),
                ],
            )),
        ),
        account(
            "an_account_bills_each_contracts_usage_with_its_own_lines",
            "2026-03",
            vec![
                with_usage(
                    contract(
                        "ctr_1",
                        ContractStatus::Active,
                        vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
                    ),
                    terms(Some(60), Some(0), Some(0)),
                    &[(date!(2026 - 03 - 05), UsageKind::Voice, 121)],
                ),
                with_usage(
                    contract(
                        "ctr_2",
                        ContractStatus::Active,
                        vec![offer("A", 9_900, 2000, date!(2025 - 06 - 01), None)],
                    ),
                    terms(Some(60), Some(0), Some(0)),
                    &[(date!(2026 - 03 - 05), UsageKind::Sms, 3)],
                ),
            ],
        ),
        // February was billed with 35,950 s of calls and 100 SMS; a call of 130 s on 27
        // February and 5 SMS on 15 February arrived after: the call takes February 80 s over
        // its 10 h (2 started minutes), the SMS fit in what was left of the 200.
        one(
            "a_late_record_is_billed_on_the_next_invoice_with_its_own_dates",
            "2026-03",
            with_charge(with_late(
                with_usage(
                    active_since(date!(2025 - 12 - 01), 9_900),
                    terms(Some(36_000), Some(200), None),
                    &[(date!(2026 - 03 - 05), UsageKind::Voice, 36_060)],
                ),
                "2026-02",
                &[
                    (date!(2026 - 02 - 10), UsageKind::Voice, 35_950),
                    (date!(2026 - 02 - 12), UsageKind::Sms, 100),
                ],
                &[
                    (date!(2026 - 02 - 15), UsageKind::Sms, 5),
                    (date!(2026 - 02 - 27), UsageKind::Voice, 130),
                ],
            )),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_golden_case_bills_and_its_totals_are_its_lines() {
        let cases = cases();
        assert_eq!(cases.len(), 25);
        for (n, case) in cases.iter().enumerate() {
            let invoice = case.invoice(n + 1);
            assert_eq!(invoice.invoicing, case.invoicing(), "{}", case.name);
            let excl: Money = invoice.lines.iter().map(|l| l.amount_excl_tax).sum();
            let tax: Money = invoice.lines.iter().map(|l| l.tax_amount).sum();
            assert_eq!(invoice.total_excl_tax, excl, "{}", case.name);
            assert_eq!(invoice.total_tax, tax, "{}", case.name);
            assert_eq!(
                invoice.total_incl_tax,
                excl.saturating_add(tax),
                "{}",
                case.name
            );
        }
    }
}
