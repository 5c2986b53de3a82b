//! Contract tests of the usage repository against PostgreSQL (decision 0149): attribution,
//! late and duplicate records, the usage lock, the bulk reads and the thresholds' once-only
//! record.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use diesel::connection::SimpleConnection;
use domain::billing::Period;
use domain::usage::{
    DailyUsage, RejectionCode, ThresholdReached, UsageKind, UsageRecord, UsageRepository,
};
use time::macros::{date, datetime};
use time::OffsetDateTime;

use super::test_support::{
    assert_storage, at, begin, client_id, contract_id, count, end, impatient, seeded,
};
use crate::tx::PgTx;
use crate::usage_lock::USAGE_BILLING_LOCK;

fn record(line: u32, id: &str, msisdn: &str, started_at: OffsetDateTime) -> UsageRecord {
    UsageRecord {
        line,
        record_id: id.into(),
        service_identifier: msisdn.into(),
        kind: UsageKind::Voice,
        started_at,
        quantity: 60,
        destination: Some("+212522000000".into()),
    }
}

/// Two SMS from `+212600000001` on 10 March 2026 at 11:00 UTC.
fn two_sms(line: u32, id: &str) -> UsageRecord {
    UsageRecord {
        kind: UsageKind::Sms,
        quantity: 2,
        ..record(line, id, "+212600000001", datetime!(2026-03-10 11:00 UTC))
    }
}

fn month(label: &str) -> Period {
    Period::parse(label).unwrap()
}

#[test]
fn ingest_attributes_marks_late_skips_duplicates_and_rejects_by_line() {
    let (_db, mut conn) = seeded();
    let records = [
        // ctr_1's February is invoiced (inv_2): late.
        record(1, "r1", "+212600000001", datetime!(2026-02-10 10:00 UTC)),
        record(2, "r2", "+212600000001", datetime!(2026-03-10 10:00 UTC)),
        // The same id again in the batch: the first line is kept.
        record(3, "r1", "+212600000001", datetime!(2026-03-11 10:00 UTC)),
        // A line without a contract, and an unknown line.
        record(4, "r4", "+212600000003", datetime!(2026-03-10 10:00 UTC)),
        record(5, "r5", "+212699999999", datetime!(2026-03-10 10:00 UTC)),
        // ctr_2 started on 1 January 2026: nothing before.
        record(6, "r6", "+212600000002", datetime!(2025-12-31 10:00 UTC)),
        record(7, "r7", "+212600000002", datetime!(2026-03-31 23:30 UTC)),
    ];
    let batch = PgTx::new(&mut conn).ingest(&records, at()).unwrap();
    assert_eq!((batch.accepted, batch.duplicates, batch.late), (3, 1, 1));
    let rejected: Vec<_> = batch.rejected.iter().map(|r| (r.line, r.code)).collect();
    assert_eq!(
        rejected,
        vec![
            (4, RejectionCode::NoContractAtTime),
            (5, RejectionCode::UnknownLine),
            (6, RejectionCode::NoContractAtTime)
        ]
    );
    assert_eq!(batch.rejected[1].record_id.as_deref(), Some("r5"));
    let months: Vec<_> = batch
        .months
        .iter()
        .map(|m| (m.contract_id.clone(), m.period))
        .collect();
    assert_eq!(
        months,
        vec![
            (contract_id("ctr_1"), month("2026-02")),
            (contract_id("ctr_1"), month("2026-03")),
            // 23:30 UTC on 31 March is 1 April in Morocco.
            (contract_id("ctr_2"), month("2026-04")),
        ]
    );
    assert_eq!(count(&mut conn, "usage_records", "late"), 1);
    assert_eq!(
        count(
            &mut conn,
            "usage_records",
            "record_id = 'r1' AND usage_date = DATE '2026-02-10'"
        ),
        1
    );
    assert_eq!(
        count(
            &mut conn,
            "usage_records",
            "record_id = 'r7' AND usage_date = DATE '2026-04-01'"
        ),
        1
    );
    // Sent again: every attributed record is a duplicate, nothing is stored twice.
    let again = PgTx::new(&mut conn).ingest(&records, at()).unwrap();
    assert_eq!((again.accepted, again.duplicates, again.late), (0, 4, 0));
    assert!(again.months.is_empty());
    assert_eq!(count(&mut conn, "usage_records", "true"), 3);
}

#[test]
fn within_a_batch_the_first_attributed_line_of_an_id_wins() {
    let (_db, mut conn) = seeded();
    let records = [
        // Rejected (no contract on this line): the id stays free for a later line.
        record(1, "s1", "+212600000003", datetime!(2026-03-10 10:00 UTC)),
        record(2, "s1", "+212600000002", datetime!(2026-03-11 10:00 UTC)),
        record(3, "s1", "+212600000001", datetime!(2026-03-12 10:00 UTC)),
        record(4, "s2", "+212600000001", datetime!(2026-03-13 10:00 UTC)),
        record(5, "s1", "+212699999999", datetime!(2026-03-14 10:00 UTC)),
        record(6, "s2", "+212600000002", datetime!(2026-03-15 10:00 UTC)),
    ];
    let batch = PgTx::new(&mut conn).ingest(&records, at()).unwrap();
    assert_eq!((batch.accepted, batch.duplicates, batch.late), (2, 2, 0));
    let rejected: Vec<_> = batch.rejected.iter().map(|r| (r.line, r.code)).collect();
    assert_eq!(
        rejected,
        vec![
            (1, RejectionCode::NoContractAtTime),
            (5, RejectionCode::UnknownLine)
        ]
    );
    assert_eq!(
        count(
            &mut conn,
            "usage_records",
            "(record_id = 's1' AND contract_id = 'ctr_2' AND usage_date = DATE '2026-03-11') \
             OR (record_id = 's2' AND contract_id = 'ctr_1' AND usage_date = DATE '2026-03-13')"
        ),
        2
    );
}

#[test]
fn a_terminated_contract_takes_records_up_to_its_termination_date_only() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "UPDATE contracts SET status = 'terminated', termination_date = DATE '2026-03-15' \
         WHERE id = 'ctr_2'",
    )
    .unwrap();
    let records = [
        record(1, "t1", "+212600000002", datetime!(2026-03-15 12:00 UTC)),
        record(2, "t2", "+212600000002", datetime!(2026-03-16 12:00 UTC)),
    ];
    let batch = PgTx::new(&mut conn).ingest(&records, at()).unwrap();
    assert_eq!(batch.accepted, 1);
    assert_eq!(batch.rejected[0].code, RejectionCode::NoContractAtTime);
}

#[test]
fn ingest_twice_in_one_transaction_stages_each_batch_afresh() {
    let (_db, mut conn) = seeded();
    begin(&mut conn);
    let one = [record(
        1,
        "a",
        "+212600000001",
        datetime!(2026-03-10 10:00 UTC),
    )];
    let two = [record(
        1,
        "b",
        "+212600000001",
        datetime!(2026-03-10 10:00 UTC),
    )];
    assert_eq!(PgTx::new(&mut conn).ingest(&one, at()).unwrap().accepted, 1);
    assert_eq!(PgTx::new(&mut conn).ingest(&two, at()).unwrap().accepted, 1);
    end(&mut conn);
    assert_eq!(count(&mut conn, "usage_records", "true"), 0);
}

#[test]
fn ingest_waits_for_a_billing_batch_holding_the_usage_lock() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    conn.batch_execute(&format!(
        "SELECT pg_advisory_xact_lock_shared({USAGE_BILLING_LOCK})"
    ))
    .unwrap();
    let mut other = impatient(&db);
    let records = [record(
        1,
        "w",
        "+212600000001",
        datetime!(2026-03-10 10:00 UTC),
    )];
    assert_storage(PgTx::new(&mut other).ingest(&records, at()));
    end(&mut conn);
    // Ingestions take it one after another (decision 0375).
    begin(&mut conn);
    PgTx::new(&mut conn).ingest(&[], at()).unwrap();
    let mut third = impatient(&db);
    assert_storage(PgTx::new(&mut third).ingest(&records, at()));
    end(&mut conn);
    let mut fourth = impatient(&db);
    assert_eq!(
        PgTx::new(&mut fourth)
            .ingest(&records, at())
            .unwrap()
            .accepted,
        1
    );
}

#[test]
fn a_record_the_table_refuses_is_a_storage_fault() {
    let (_db, mut conn) = seeded();
    let mut bad = record(1, "q", "+212600000001", datetime!(2026-03-10 10:00 UTC));
    bad.quantity = 0;
    assert_storage(PgTx::new(&mut conn).ingest(&[bad], at()));
}

#[test]
fn daily_usage_sums_a_contracts_month_by_day_and_kind() {
    let (_db, mut conn) = seeded();
    let sms = two_sms(3, "d3");
    let records = [
        record(1, "d1", "+212600000001", datetime!(2026-03-10 10:00 UTC)),
        record(2, "d2", "+212600000001", datetime!(2026-03-10 12:00 UTC)),
        sms,
        record(4, "d4", "+212600000001", datetime!(2026-04-01 12:00 UTC)),
        record(5, "d5", "+212600000002", datetime!(2026-03-10 12:00 UTC)),
    ];
    PgTx::new(&mut conn).ingest(&records, at()).unwrap();
    let days = PgTx::new(&mut conn)
        .daily_usage(&contract_id("ctr_1"), month("2026-03"))
        .unwrap();
    let day = |kind, quantity| DailyUsage {
        date: date!(2026 - 03 - 10),
        kind,
        quantity,
    };
    assert_eq!(
        days,
        vec![day(UsageKind::Sms, 2), day(UsageKind::Voice, 120)]
    );
}

#[test]
fn ingest_answers_each_month_it_added_to_with_its_whole_usage() {
    let (_db, mut conn) = seeded();
    let sms = two_sms(2, "m2");
    let before = [
        record(1, "m1", "+212600000001", datetime!(2026-03-10 10:00 UTC)),
        sms,
        // Another month of the same contract, and another contract's March.
        record(3, "m3", "+212600000001", datetime!(2026-04-02 10:00 UTC)),
        record(4, "m4", "+212600000002", datetime!(2026-03-12 10:00 UTC)),
    ];
    PgTx::new(&mut conn).ingest(&before, at()).unwrap();
    let mut longer = record(2, "m6", "+212600000001", datetime!(2026-03-31 10:00 UTC));
    longer.quantity = 30;
    let batch = PgTx::new(&mut conn)
        .ingest(
            &[
                // The same day and kind as m1: summed with it.
                record(1, "m5", "+212600000001", datetime!(2026-03-10 18:00 UTC)),
                longer,
                // A duplicate adds nothing.
                record(3, "m4", "+212600000002", datetime!(2026-03-12 10:00 UTC)),
            ],
            at(),
        )
        .unwrap();
    assert_eq!((batch.accepted, batch.duplicates), (2, 1));
    assert_eq!(batch.months.len(), 1, "only ctr_1's March gained records");
    let march = &batch.months[0];
    assert_eq!(
        (march.contract_id.clone(), march.period),
        (contract_id("ctr_1"), month("2026-03"))
    );
    let day = |date, kind, quantity| DailyUsage {
        date,
        kind,
        quantity,
    };
    assert_eq!(
        march.days,
        vec![
            day(date!(2026 - 03 - 10), UsageKind::Sms, 2),
            day(date!(2026 - 03 - 10), UsageKind::Voice, 120),
            day(date!(2026 - 03 - 31), UsageKind::Voice, 30),
        ]
    );
}

#[test]
fn usage_contracts_reads_offer_periods_and_service_end_and_leaves_unknown_ids_out() {
    let (_db, mut conn) = seeded();
    conn.batch_execute(
        "UPDATE contract_offer_periods SET usage_terms = true, allowance_voice_seconds = 600, \
         rate_voice_per_minute = 100, rate_sms_each = 10, rate_data_per_mb = 1 \
         WHERE contract_id = 'ctr_1'; \
         UPDATE contracts SET termination_date = DATE '2026-06-30' WHERE id = 'ctr_2'",
    )
    .unwrap();
    let contracts = PgTx::new(&mut conn)
        .usage_contracts(&[
            contract_id("ctr_2"),
            contract_id("ctr_1"),
            contract_id("ctr_x"),
        ])
        .unwrap();
    assert_eq!(contracts.len(), 2);
    assert_eq!(contracts[0].contract_id, contract_id("ctr_1"));
    assert_eq!(contracts[0].client_id, client_id("cli_1"));
    let terms = contracts[0].offer_periods[0].usage.unwrap();
    assert_eq!(terms.allowances.voice_seconds, Some(600));
    assert_eq!(contracts[1].service_end, Some(date!(2026 - 06 - 30)));
    assert!(contracts[1].offer_periods[0].usage.is_none());
}

#[test]
fn record_thresholds_answers_only_those_not_recorded_before() {
    let (_db, mut conn) = seeded();
    let reached = |percent| ThresholdReached {
        contract_id: contract_id("ctr_1"),
        client_id: client_id("cli_1"),
        period: month("2026-03"),
        kind: UsageKind::Voice,
        percent,
        used: 3_000,
        included: 3_600,
    };
    let first = PgTx::new(&mut conn)
        .record_thresholds(&[reached(80)], at())
        .unwrap();
    assert_eq!(first, vec![reached(80)]);
    let second = PgTx::new(&mut conn)
        .record_thresholds(&[reached(80), reached(100)], at())
        .unwrap();
    assert_eq!(second, vec![reached(100)]);
    assert_eq!(
        count(&mut conn, "usage_thresholds", "contract_id = 'ctr_1'"),
        2
    );
    let mut unknown = reached(80);
    unknown.contract_id = contract_id("ctr_x");
    assert_storage(PgTx::new(&mut conn).record_thresholds(&[unknown], at()));
}
