//! The batch claim's read of late usage and its marking (decision 0377), against PostgreSQL.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use diesel::PgConnection;
use domain::billing::{BatchQuery, BillingRunRepository, Candidate, LateMonth, Period};
use domain::usage::{DailyUsage, UsageKind};
use time::macros::date;

use super::test_support::{
    contract_id, invoice_id, second_contract_of_client_2_billed_per_account, seeded,
};
use crate::tx::PgTx;

fn march(lock: bool) -> BatchQuery {
    BatchQuery {
        period: Period::parse("2026-03").unwrap(),
        after: String::new(),
        limit: 10,
        lock,
    }
}

/// A usage record of `contract` on `day`; `state` is `late`, `late billed` (billed on
/// inv_2) or anything else for an on-time record.
fn record(id: &str, contract: &str, day: &str, kind: &str, quantity: i64, state: &str) -> String {
    let (late, billed) = match state {
        "late" => ("true", "NULL"),
        "late billed" => ("true", "'inv_2'"),
        _ => ("false", "NULL"),
    };
    format!(
        "('{id}', '{contract}', '+212600000001', '{kind}', TIMESTAMPTZ '{day} 12:00+00', \
          DATE '{day}', {quantity}, now(), {late}, {billed})"
    )
}

fn insert(conn: &mut PgConnection, rows: &[String]) {
    conn.batch_execute(&format!(
        "INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, \
           started_at, usage_date, quantity, received_at, late, billed_invoice_id) VALUES {}",
        rows.join(", ")
    ))
    .expect("usage records");
}

fn day(date: time::Date, kind: UsageKind, quantity: i64) -> DailyUsage {
    DailyUsage {
        date,
        kind,
        quantity,
    }
}

fn late_of<'a>(candidates: &'a [Candidate], id: &str) -> &'a [LateMonth] {
    &candidates
        .iter()
        .find(|c| c.contract.contract_id.as_str() == id)
        .unwrap_or_else(|| panic!("{id} is a candidate"))
        .contract
        .late
}

fn unbilled_late(conn: &mut PgConnection) -> Vec<String> {
    use diesel::RunQueryDsl;
    diesel::sql_query(
        "SELECT record_id AS value FROM usage_records WHERE late AND billed_invoice_id IS NULL \
         ORDER BY record_id",
    )
    .load::<crate::rows::scalar::TextValue>(conn)
    .unwrap()
    .into_iter()
    .map(|r| r.value)
    .collect()
}

#[test]
fn a_batch_reads_each_earlier_months_late_records_apart_from_the_rest_and_marks_them() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "UPDATE contract_offer_periods SET usage_terms = true, allowance_voice_seconds = 60, \
           allowance_sms = 0, allowance_data_bytes = 0, rate_voice_per_minute = 150, \
           rate_sms_each = 50, rate_data_per_mb = 10 WHERE contract_id = 'ctr_1'",
    )
    .unwrap();
    insert(
        &mut conn,
        &[
            record("r1", "ctr_1", "2026-01-10", "voice", 100, "on time"),
            record("r2", "ctr_1", "2026-01-20", "voice", 50, "late"),
            record("r3", "ctr_1", "2026-01-20", "voice", 30, "late"),
            record("r4", "ctr_1", "2026-01-25", "sms", 1, "late billed"),
            record("r5", "ctr_1", "2026-02-03", "data", 1_000, "late"),
            record("r6", "ctr_1", "2026-03-02", "voice", 60, "on time"),
            // Late for a month after the one billed: not this run's.
            record("r7", "ctr_1", "2026-03-05", "voice", 9, "late"),
        ],
    );
    let candidates = PgTx::new(&mut conn).candidates(&march(true)).unwrap();
    let late = late_of(&candidates, "ctr_1");
    assert_eq!(late.len(), 2, "January and February");
    let january = &late[0];
    assert_eq!(january.period.to_string(), "2026-01");
    assert_eq!(
        january.late,
        [day(date!(2026 - 01 - 20), UsageKind::Voice, 80)]
    );
    assert_eq!(
        january.billed,
        [
            day(date!(2026 - 01 - 10), UsageKind::Voice, 100),
            day(date!(2026 - 01 - 25), UsageKind::Sms, 1),
        ],
        "the month's other records, late ones already billed included"
    );
    assert_eq!(january.offer_periods.len(), 1);
    let terms = january.offer_periods[0].period.usage.expect("terms read");
    assert_eq!(terms.allowances.voice_seconds, Some(60));
    let february = &late[1];
    assert_eq!(february.period.to_string(), "2026-02");
    assert_eq!(
        february.late,
        [day(date!(2026 - 02 - 03), UsageKind::Data, 1_000)]
    );
    assert!(february.billed.is_empty());
    assert!(late_of(&candidates, "ctr_2").is_empty());
    // March's own usage is read apart, without the late ones of earlier months.
    let ctr_1 = &candidates[0].contract;
    assert_eq!(
        ctr_1.usage,
        [
            day(date!(2026 - 03 - 02), UsageKind::Voice, 60),
            day(date!(2026 - 03 - 05), UsageKind::Voice, 9),
        ]
    );

    let marked = PgTx::new(&mut conn)
        .bill_late_usage(
            &[(contract_id("ctr_1"), invoice_id("inv_2"))],
            march(true).period,
        )
        .unwrap();
    assert_eq!(marked, 3, "r2, r3 and r5");
    assert_eq!(unbilled_late(&mut conn), ["r7"]);
    let again = PgTx::new(&mut conn).candidates(&march(false)).unwrap();
    assert!(late_of(&again, "ctr_1").is_empty(), "billed once");
}

#[test]
fn an_ended_contract_with_late_records_to_bill_is_claimed_and_an_accounts_others_carry_theirs() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "UPDATE contracts SET status = 'terminated', termination_date = DATE '2026-01-31' \
         WHERE id = 'ctr_2'",
    )
    .unwrap();
    let ids = |candidates: &[Candidate]| -> Vec<String> {
        candidates
            .iter()
            .map(|c| c.contract.contract_id.to_string())
            .collect()
    };
    let before = PgTx::new(&mut conn).candidates(&march(false)).unwrap();
    assert_eq!(ids(&before), ["ctr_1"], "ended, nothing to bill");
    insert(
        &mut conn,
        &[record("r1", "ctr_2", "2026-01-30", "sms", 3, "late")],
    );
    let after = PgTx::new(&mut conn).candidates(&march(false)).unwrap();
    assert_eq!(ids(&after), ["ctr_1", "ctr_2"]);
    assert_eq!(late_of(&after, "ctr_2").len(), 1);

    // Client 2 billed per account with a new contract, whose id sorts first: ctr_2 comes as
    // one of the account's others.
    second_contract_of_client_2_billed_per_account(&mut conn, "ctr_10", "mobile", "+212600000004");
    let account = PgTx::new(&mut conn).candidates(&march(true)).unwrap();
    assert_eq!(ids(&account), ["ctr_1", "ctr_10"]);
    let others = account[1].account.as_ref().expect("an account");
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].contract_id.as_str(), "ctr_2");
    assert_eq!(
        others[0].late[0].late,
        [day(date!(2026 - 01 - 30), UsageKind::Sms, 3)]
    );
}
