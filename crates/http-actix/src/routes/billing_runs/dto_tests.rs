//! The run answer written from the id list is the serde encoding of the response, byte for
//! byte, so stored answers and replays keep their shape.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::billing::{BillingRun, BillingRunStatus, Period, RunReport};
use domain::money::Money;
use domain::typed_ids::{BillingRunId, InvoiceId};
use time::macros::{date, datetime};

use super::BillingRunResponse;

fn report(actor_id: &str, ids: &[&str]) -> RunReport {
    RunReport {
        run: BillingRun {
            id: BillingRunId::from_stored("run_1"),
            period: Period::parse("2026-02").unwrap(),
            issue_date: date!(2026 - 03 - 01),
            due_date: date!(2026 - 03 - 16),
            status: BillingRunStatus::Completed,
            dry_run: false,
            invoice_count: i64::try_from(ids.len()).unwrap(),
            skipped_count: 2,
            total_excl_tax: Money::from_stored(4900),
            total_tax: Money::from_stored(980),
            total_incl_tax: Money::from_stored(5880),
            currency: "MAD".into(),
            actor_id: actor_id.into(),
            created_at: datetime!(2026-03-01 08:00 UTC),
            updated_at: datetime!(2026-03-01 08:01 UTC),
        },
        invoice_ids: ids.iter().map(|id| InvoiceId::from_stored(*id)).collect(),
    }
}

fn serde_bytes(report: &RunReport) -> Vec<u8> {
    serde_json::to_vec(&BillingRunResponse::of_report(report)).unwrap()
}

#[test]
fn the_answer_is_the_serde_encoding_byte_for_byte() {
    for ids in [&[][..], &["inv_1"][..], &["inv_3", "inv_1", "inv_2"][..]] {
        let report = report("act_1", ids);
        assert_eq!(
            BillingRunResponse::encode_report(&report).unwrap(),
            serde_bytes(&report),
            "{ids:?}"
        );
    }
}

#[test]
fn a_value_that_spells_the_key_does_not_take_the_ids() {
    // An actor id is text: inside a JSON string its quotes are escaped, so it never matches.
    let report = report("act_\"invoice_ids\":[]", &["inv_1", "inv_2"]);
    let body = BillingRunResponse::encode_report(&report).unwrap();
    assert_eq!(body, serde_bytes(&report));
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(parsed["invoice_ids"], serde_json::json!(["inv_1", "inv_2"]));
}

#[test]
fn the_buffer_is_sized_once() {
    let ids: Vec<String> = (0..1000).map(|n| format!("inv_{n:026}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let report = report("act_1", &ids);
    let body = BillingRunResponse::encode_report(&report).unwrap();
    assert_eq!(body.len(), serde_bytes(&report).len());
    assert!(body.capacity() <= body.len() + 2, "no regrowth, no slack");
}

#[test]
fn an_empty_list_is_not_invented() {
    let report = report("act_1", &[]);
    let parsed: serde_json::Value =
        serde_json::from_slice(&BillingRunResponse::encode_report(&report).unwrap()).unwrap();
    assert_eq!(parsed["invoice_ids"], serde_json::json!([]));
    assert_eq!(parsed["invoice_count"], 0);
}
