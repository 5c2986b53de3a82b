//! Legal numbering and exactly-once billing under two concurrent runs, and the resumption of
//! a run interrupted between batches.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use domain::billing::{BillingService, RunRequest};
use domain::idempotency::{IdempotencyRequest, Outcome, StoredResponse};
use domain::ports::Ports;
use domain::tx::{TransactionRunner, UnitOfWork};
use domain::typed_ids::BillingRunId;
use time::macros::date;

use super::{gapless, invoice_numbers};
use crate::support::{seed, TestApp};

fn february() -> RunRequest {
    RunRequest {
        period: "2026-02".into(),
        issue_date: Some("2026-03-01".into()),
        dry_run: false,
        due_in_days: None,
    }
}

fn key(scope: &str, key: &str) -> IdempotencyRequest {
    IdempotencyRequest {
        scope: scope.into(),
        key: key.into(),
        fingerprint: "fp".into(),
    }
}

/// Answers "run id|invoice count|skipped count".
fn encode(report: &domain::billing::RunReport) -> domain::Result<StoredResponse> {
    Ok(StoredResponse {
        status: 201,
        body: format!(
            "{}|{}|{}",
            report.run.id, report.run.invoice_count, report.run.skipped_count
        )
        .into_bytes(),
    })
}

fn body(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Fresh(r) | Outcome::Replayed(r) => String::from_utf8(r.body.clone()).unwrap(),
    }
}

fn service(app: &TestApp, tx: Arc<dyn TransactionRunner>, batch: i64) -> BillingService {
    let ports = Ports {
        tx,
        ..app.services.ports.clone()
    };
    BillingService::new(&ports).with_batch_size(batch)
}

async fn base(count: i64) -> TestApp {
    let app = TestApp::new().await;
    let offer = seed::offer(&app, "MOB-99", "mobile", 9_900);
    let client = seed::client(&app, "AB123456");
    seed::many_contracts(&app, "1", &client, &offer, count, date!(2025 - 06 - 01));
    app
}

#[actix_web::test]
async fn two_concurrent_runs_never_bill_a_contract_twice_and_leave_no_gap_in_numbers() {
    let app = Arc::new(base(400).await);
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = ["one", "two"]
        .into_iter()
        .map(|name| {
            let app = app.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let billing = service(&app, Arc::new(app.store.clone()), 25);
                barrier.wait();
                billing.run(name, &february(), &key(name, name), encode)
            })
        })
        .collect();
    let answers: Vec<String> = handles
        .into_iter()
        .map(|h| body(&h.join().unwrap().expect("both runs complete")))
        .collect();
    let billed: i64 = answers
        .iter()
        .map(|a| a.split('|').nth(1).unwrap().parse::<i64>().unwrap())
        .sum();
    assert_eq!(billed, 400, "{answers:?}");
    assert_eq!(app.count("SELECT count(*) FROM invoices"), 400);
    assert_eq!(
        app.count("SELECT count(DISTINCT contract_id) FROM invoices"),
        400
    );
    assert_eq!(invoice_numbers(&app), gapless(400));
    assert_eq!(
        app.count("SELECT count(*) FROM invoices i JOIN billing_runs r ON r.id = i.billing_run_id"),
        400
    );
}

/// A transaction runner whose `fail_at`-th transaction fails before doing anything, as a
/// crash or a lost connection would.
struct CrashingRunner {
    inner: Arc<dyn TransactionRunner>,
    calls: AtomicUsize,
    fail_at: usize,
}

impl TransactionRunner for CrashingRunner {
    fn run(
        &self,
        work: &mut dyn FnMut(&mut dyn UnitOfWork) -> domain::Result<()>,
    ) -> domain::Result<()> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.fail_at {
            return Err(domain::Error::Unavailable("simulated crash".into()));
        }
        self.inner.run(work)
    }
}

#[actix_web::test]
async fn a_run_interrupted_mid_way_resumes_with_its_key_without_duplicate_or_gap() {
    let app = base(95).await;
    // Transactions: key lookup, run opening, the seller identity, then batches of 10: the
    // 7th is the 4th batch.
    let crashing = Arc::new(CrashingRunner {
        inner: Arc::new(app.store.clone()),
        calls: AtomicUsize::new(0),
        fail_at: 7,
    });
    let first = service(&app, crashing, 10).run("act_1", &february(), &key("act_1", "k"), encode);
    assert!(
        matches!(first, Err(domain::Error::Unavailable(_))),
        "{first:?}"
    );
    assert_eq!(app.count("SELECT count(*) FROM invoices"), 30);
    assert_eq!(
        app.count("SELECT count(*) FROM billing_runs WHERE status = 'failed'"),
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 0);

    let healthy = service(&app, Arc::new(app.store.clone()), 10);
    let resumed = healthy
        .run("act_1", &february(), &key("act_1", "k"), encode)
        .unwrap();
    assert!(matches!(resumed, Outcome::Fresh(_)));
    let answer = body(&resumed);
    let run_id = answer.split('|').next().unwrap().to_owned();
    assert_eq!(answer, format!("{run_id}|95|0"));
    assert_eq!(
        app.count("SELECT count(*) FROM billing_runs"),
        1,
        "the same run resumed"
    );
    assert_eq!(
        app.count("SELECT count(DISTINCT contract_id) FROM invoices"),
        95
    );
    assert_eq!(invoice_numbers(&app), gapless(95));
    let report = app
        .services
        .billing
        .find(&BillingRunId::from_stored(run_id.as_str()))
        .unwrap();
    assert_eq!(report.invoice_ids.len(), 95);
    assert_eq!(report.run.status.as_str(), "completed");

    let replay = healthy
        .run("act_1", &february(), &key("act_1", "k"), encode)
        .unwrap();
    assert_eq!(
        replay,
        Outcome::Replayed(match resumed {
            Outcome::Fresh(r) => r,
            Outcome::Replayed(r) => r,
        })
    );
}
