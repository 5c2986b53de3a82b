//! Unit tests of `BillingService::run` against mocked ports: batches, numbering, the key's
//! answer in the final transaction, replays, conflicts, dry runs and resumption.

use std::sync::{Arc, Mutex};

use mockall::predicate::eq;
use time::macros::{date, datetime};

use super::*;
use crate::billing::{BillableContract, Candidate, Invoice, NamedPeriod};
use crate::clients::{Cin, Client, ClientStatus};
use crate::contracts::{ContractStatus, OfferPeriod};
use crate::error::{Conflict, Error, RuleViolation};
use crate::idempotency::{
    IdempotencyRecord, IdempotencyRequest, KeyLocks, Outcome, StoredResponse,
};
use crate::parties::SellerIdentityId;
use crate::service_type::ServiceType;
use crate::testing::{fetched, fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::typed_ids::{BillingRunId, ClientId, ContractId, OfferId};

fn key(fingerprint: &str) -> IdempotencyRequest {
    IdempotencyRequest {
        scope: "act_1".into(),
        key: "k1".into(),
        fingerprint: fingerprint.into(),
    }
}

fn request(dry_run: bool) -> RunRequest {
    RunRequest {
        period: "2026-02".into(),
        issue_date: Some("2026-03-01".into()),
        dry_run,
        due_in_days: None,
    }
}

fn candidate(id: &str, invoiced_by: Option<&str>) -> Candidate {
    Candidate {
        contract: BillableContract {
            contract_id: ContractId::from_stored(id),
            client_id: ClientId::from_stored("cli_1"),
            service_type: ServiceType::Mobile,
            status: ContractStatus::Active,
            termination_date: None,
            service_identifier: "+212612345678".into(),
            offer_periods: vec![NamedPeriod {
                period: OfferPeriod {
                    usage: None,
                    offer_id: OfferId::from_stored("ofr_1"),
                    monthly_price: crate::money::Money::from_stored(10_000),
                    tax_rate_bp: 2000,
                    start_date: date!(2025 - 01 - 01),
                    end_date: None,
                },
                offer_name: "Offre".into(),
            }],
            pending_charges: Vec::new(),
            usage: Vec::new(),
            late: Vec::new(),
        },
        invoiced_by: invoiced_by.map(BillingRunId::from_stored),
        account: None,
    }
}

/// A client of the batch, as stored.
fn client(id: &ClientId) -> Client {
    Client {
        id: id.clone(),
        identity: crate::clients::Identity::Person(crate::clients::Person {
            cin: Cin::parse("AB123456").expect("cin"),
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
        created_at: time::OffsetDateTime::UNIX_EPOCH,
        updated_at: time::OffsetDateTime::UNIX_EPOCH,
    }
}

/// Answers the run's id as the body.
fn encode(report: &RunReport) -> crate::Result<StoredResponse> {
    Ok(StoredResponse {
        status: 201,
        body: format!(
            "{}|{}|{}|{}",
            report.run.id,
            report.run.invoice_count,
            report.run.skipped_count,
            report.run.total_incl_tax.centimes()
        )
        .into_bytes(),
    })
}

fn service(mut uow: MockUnitOfWork) -> (BillingService, Arc<MockTransactions>) {
    // Unless a test says otherwise, nobody billed holds credit.
    uow.ledger
        .expect_clients_with_credit()
        .returning(|_| Ok(Vec::new()));
    uow.invoices
        .expect_seller_identity()
        .returning(|_| Ok(SellerIdentityId::from_stored(7)));
    uow.clients
        .expect_find_many()
        .returning(|ids| Ok(ids.iter().map(client).collect()));
    let tx = MockTransactions::new(uow);
    let ports = ports(tx.clone(), fixed_clock(datetime!(2026-03-10 09:00 UTC)));
    (BillingService::new(&ports).with_batch_size(2), tx)
}

/// The run's own writes and reads around its batches, each accepted: progress, status, the
/// final read of the run (which finds it when `finds_run`), the list of its invoices and the
/// stored answer.
fn expect_the_runs_bookkeeping(uow: &mut MockUnitOfWork, finds_run: bool) {
    uow.billing_runs
        .expect_add_progress()
        .returning(|_, _, _| Ok(()));
    uow.billing_runs
        .expect_set_status()
        .returning(|_, _, _| Ok(()));
    uow.billing_runs.expect_find().returning(move |id| {
        Ok(finds_run.then(|| BillingRun {
            id: id.clone(),
            ..sample_run()
        }))
    });
    uow.invoices
        .expect_ids_for_run()
        .returning(|_| Ok(InvoiceIdList::default()));
    uow.idempotency.expect_save().returning(|_, _, _, _| Ok(()));
}

/// No stored answer and no run for the key yet: the run is new, and inserted.
fn expect_a_new_run(uow: &mut MockUnitOfWork) {
    uow.idempotency.expect_find().returning(|_, _| Ok(None));
    uow.billing_runs
        .expect_find_by_key()
        .returning(|_, _| Ok(None));
    uow.billing_runs.expect_insert().returning(|_, _| Ok(()));
}

/// The batch after the cursor `after`: the first whose first contract comes after it.
fn batch_after(batches: &[Vec<Candidate>], after: &str) -> Vec<Candidate> {
    batches
        .iter()
        .find(|b| {
            b.first()
                .is_some_and(|c| c.contract.contract_id.as_str() > after)
        })
        .cloned()
        .unwrap_or_default()
}

/// Candidates served batch after batch, keyed by the cursor.
fn serve_batches(uow: &mut MockUnitOfWork, batches: Vec<Vec<Candidate>>) {
    uow.billing_runs
        .expect_candidates()
        .returning(move |query| Ok(batch_after(&batches, &query.after)));
}

#[test]
fn a_run_bills_batch_by_batch_numbers_each_batch_and_stores_the_answer_last() {
    let mut uow = MockUnitOfWork::default();
    uow.idempotency.expect_find().returning(|_, _| Ok(None));
    uow.billing_runs
        .expect_find_by_key()
        .returning(|_, _| Ok(None));
    let stored_run = Arc::new(Mutex::new(None));
    let keep = stored_run.clone();
    uow.billing_runs.expect_insert().returning(move |run, key| {
        assert_eq!(key.fingerprint, "fp");
        *keep.lock().unwrap() = Some(run.clone());
        Ok(())
    });
    serve_batches(
        &mut uow,
        vec![
            vec![candidate("ctr_1", None), candidate("ctr_2", None)],
            vec![candidate("ctr_3", Some("run_other"))],
        ],
    );
    // Exactly the invoices of each batch: 2, then none (the third is already invoiced).
    uow.sequences
        .expect_reserve()
        .with(eq("FAC"), eq(2026), eq(2))
        .times(1)
        .returning(|_, _, _| Ok(41));
    let written: Arc<Mutex<Vec<Invoice>>> = Arc::default();
    let sink = written.clone();
    uow.invoices
        .expect_insert_batch()
        .times(1)
        .returning(move |invoices| {
            sink.lock().unwrap().extend_from_slice(invoices);
            Ok(())
        });
    let progress: Arc<Mutex<RunProgress>> = Arc::default();
    let tally = progress.clone();
    uow.billing_runs
        .expect_add_progress()
        .returning(move |_, p, _| {
            tally.lock().unwrap().add(p);
            Ok(())
        });
    uow.billing_runs
        .expect_set_status()
        .with(
            mockall::predicate::always(),
            eq(BillingRunStatus::Completed),
            mockall::predicate::always(),
        )
        .times(1)
        .returning(|_, _, _| Ok(()));
    let seen = stored_run.clone();
    let totals = progress.clone();
    uow.billing_runs.expect_find().returning(move |_| {
        let mut run = seen.lock().unwrap().clone().unwrap();
        let p = totals.lock().unwrap();
        run.invoice_count = p.invoices;
        run.skipped_count = p.skipped;
        run.total_incl_tax = p.total_incl_tax;
        Ok(Some(run))
    });
    uow.invoices
        .expect_ids_for_run()
        .returning(|_| Ok(InvoiceIdList::default()));
    uow.idempotency
        .expect_save()
        .times(1)
        .returning(|_, _, record: &IdempotencyRecord, _| {
            assert_eq!(record.fingerprint, "fp");
            Ok(())
        });
    let (service, tx) = service(uow);
    let outcome = service
        .run("act_1", &request(false), &key("fp"), encode)
        .unwrap();
    let Outcome::Fresh(response) = outcome else {
        panic!("expected a fresh answer")
    };
    let body = String::from_utf8(response.body).unwrap();
    assert!(body.starts_with("run_"), "{body}");
    assert!(body.ends_with("|2|1|24000"), "{body}");
    use crate::events::{EventPayload, EventType};
    let events = tx.recorded_events();
    assert_eq!(
        events.iter().map(|e| e.event_type()).collect::<Vec<_>>(),
        [
            EventType::InvoiceIssued,
            EventType::InvoiceIssued,
            EventType::BillingRunCompleted
        ]
    );
    let issued: Vec<Invoice> = events
        .iter()
        .filter_map(|e| match &e.payload {
            EventPayload::InvoiceIssued(of) => Some(of.invoice.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        issued,
        *written.lock().unwrap(),
        "the invoices written, as written"
    );
    assert_eq!(events[2].actor_id.as_deref(), Some("act_1"));
    let numbers: Vec<String> = written
        .lock()
        .unwrap()
        .iter()
        .map(|i| i.invoice_number.clone())
        .collect();
    assert_eq!(numbers, ["FAC-2026-000041", "FAC-2026-000042"]);
    let first = &written.lock().unwrap()[0];
    assert_eq!(
        (first.issue_date, first.due_date),
        (date!(2026 - 03 - 01), date!(2026 - 03 - 16))
    );
}

#[test]
fn issued_invoices_keep_their_buyer_line_and_seller_identity() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    serve_batches(&mut uow, vec![vec![candidate("ctr_1", None)]]);
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    let written: Arc<Mutex<Vec<Invoice>>> = Arc::default();
    let sink = written.clone();
    uow.invoices
        .expect_insert_batch()
        .returning(move |invoices| {
            sink.lock().unwrap().extend_from_slice(invoices);
            Ok(())
        });
    expect_the_runs_bookkeeping(&mut uow, false);
    let (service, _) = service(uow);
    let _ = service.run("act_1", &request(false), &key("fp"), encode);
    let written = written.lock().unwrap();
    let invoice = written.first().expect("an invoice");
    assert_eq!(invoice.buyer.name, "Hajar Benkirane");
    assert_eq!(invoice.buyer.cin.as_deref(), Some("AB123456"));
    assert_eq!(
        invoice.buyer.postal_address().as_deref(),
        Some("12 rue Talaa, Fès")
    );
    assert_eq!(invoice.service_identifier, "+212612345678");
    assert_eq!(invoice.seller_id, SellerIdentityId::from_stored(7));
}

#[test]
fn a_stored_answer_is_replayed_without_billing_again() {
    let mut uow = MockUnitOfWork::default();
    uow.idempotency.expect_find().returning(|_, _| {
        Ok(Some(IdempotencyRecord {
            fingerprint: "fp".into(),
            response: StoredResponse {
                status: 201,
                body: b"first".to_vec(),
            },
        }))
    });
    let (service, _) = service(uow);
    let outcome = service
        .run("act_1", &request(false), &key("fp"), encode)
        .unwrap();
    assert_eq!(
        outcome,
        Outcome::Replayed(StoredResponse {
            status: 201,
            body: b"first".to_vec()
        })
    );
    let reused = service.run("act_1", &request(false), &key("other"), encode);
    assert!(matches!(
        reused,
        Err(Error::Rule(RuleViolation::IdempotencyKeyReused))
    ));
}

#[test]
fn a_key_held_by_a_running_request_is_refused_at_once() {
    // No expectation on the unit of work: reaching storage fails the test.
    let (service, _) = service(MockUnitOfWork::default());
    let locks = crate::testing::LocalKeyLocks::default();
    let _held = locks.try_hold("act_1", "k1").unwrap();
    let service = BillingService {
        key_locks: Arc::new(locks),
        ..service
    };
    let result = service.run("act_1", &request(false), &key("fp"), encode);
    assert!(matches!(
        result,
        Err(Error::Conflict(Conflict::IdempotencyKeyInUse))
    ));
}

#[test]
fn a_dry_run_computes_the_figures_and_writes_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.idempotency.expect_find().returning(|_, _| Ok(None));
    serve_batches(
        &mut uow,
        vec![
            vec![candidate("ctr_1", None), candidate("ctr_2", Some("run_x"))],
            vec![candidate("ctr_3", None)],
        ],
    );
    // No insert, reserve, progress, status or save expectation: any write fails the test.
    let (service, _) = service(uow);
    let outcome = service
        .run("act_1", &request(true), &key("fp"), encode)
        .unwrap();
    assert_eq!(
        outcome,
        Outcome::Fresh(StoredResponse {
            status: 201,
            body: b"|2|1|24000".to_vec()
        })
    );
}

#[test]
fn a_resumed_run_passes_over_its_own_invoices_without_counting_them_skipped() {
    let mut uow = MockUnitOfWork::default();
    uow.idempotency.expect_find().returning(|_, _| Ok(None));
    let run = sample_run();
    let found = run.clone();
    uow.billing_runs
        .expect_find_by_key()
        .returning(move |_, _| Ok(Some((found.clone(), "fp".into()))));
    serve_batches(
        &mut uow,
        vec![vec![
            candidate("ctr_1", Some("run_01")),
            candidate("ctr_2", None),
        ]],
    );
    uow.sequences
        .expect_reserve()
        .with(eq("FAC"), eq(2026), eq(1))
        .returning(|_, _, _| Ok(7));
    uow.invoices.expect_insert_batch().returning(|invoices| {
        assert_eq!(invoices.len(), 1);
        assert_eq!(invoices[0].contract_id, "ctr_2");
        assert_eq!(invoices[0].billing_run_id, "run_01");
        Ok(())
    });
    uow.billing_runs
        .expect_add_progress()
        .withf(|run, p, _| run == "run_01" && p.invoices == 1 && p.skipped == 0)
        .returning(|_, _, _| Ok(()));
    uow.billing_runs
        .expect_set_status()
        .returning(|_, _, _| Ok(()));
    let found = run.clone();
    uow.billing_runs
        .expect_find()
        .returning(move |_| Ok(Some(found.clone())));
    uow.invoices
        .expect_ids_for_run()
        .returning(|_| Ok(InvoiceIdList::default()));
    uow.idempotency
        .expect_save()
        .times(1)
        .returning(|_, _, _, _| Ok(()));
    let (service, _) = service(uow);
    let outcome = service.run("act_1", &request(false), &key("fp"), encode);
    assert!(matches!(outcome, Ok(Outcome::Fresh(_))), "{outcome:?}");
}

#[test]
fn a_batch_that_loses_a_contract_to_a_concurrent_run_is_retried() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    serve_batches(&mut uow, vec![vec![candidate("ctr_1", None)]]);
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    let mut first = true;
    uow.invoices
        .expect_insert_batch()
        .times(2)
        .returning(move |_| {
            if std::mem::take(&mut first) {
                Err(Error::Conflict(Conflict::InvoiceAlreadyIssued))
            } else {
                Ok(())
            }
        });
    uow.billing_runs
        .expect_add_progress()
        .times(1)
        .returning(|_, _, _| Ok(()));
    uow.billing_runs
        .expect_set_status()
        .returning(|_, _, _| Ok(()));
    uow.billing_runs.expect_find().returning(|_| Ok(None));
    let (service, tx) = service(uow);
    // The final read finds no run here, so the call fails after billing; what matters is
    // that the conflicting batch rolled back once and was retried.
    let _ = service.run("act_1", &request(false), &key("fp"), encode);
    assert!(tx.rollback_count() >= 1);
    assert_eq!(
        tx.recorded_types(),
        [crate::events::EventType::InvoiceIssued],
        "the rolled-back batch told nothing, its retry told its invoice once"
    );
}

/// Five batches of two contracts each: `ctr_01` … `ctr_10`.
fn ten_contracts_in_five_batches() -> Vec<Vec<Candidate>> {
    (0..5)
        .map(|b| {
            (1..=2)
                .map(|i| candidate(&format!("ctr_{:02}", b * 2 + i), None))
                .collect()
        })
        .collect()
}

#[test]
fn the_workers_of_a_run_claim_one_batch_after_the_other_and_bill_each_contract_once() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    let batches = ten_contracts_in_five_batches();
    let claims: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = claims.clone();
    uow.billing_runs
        .expect_candidates()
        .returning(move |query| {
            seen.lock().unwrap().push(query.after.clone());
            Ok(batch_after(&batches, &query.after))
        });
    let next = Arc::new(Mutex::new(1));
    uow.sequences
        .expect_reserve()
        .returning(move |_, _, count| {
            let mut next = next.lock().unwrap();
            let first = *next;
            *next += count;
            Ok(first)
        });
    let written: Arc<Mutex<Vec<Invoice>>> = Arc::default();
    let sink = written.clone();
    uow.invoices
        .expect_insert_batch()
        .returning(move |invoices| {
            sink.lock().unwrap().extend_from_slice(invoices);
            Ok(())
        });
    expect_the_runs_bookkeeping(&mut uow, true);
    let (service, _) = service(uow);
    let outcome = service.run("act_1", &request(false), &key("fp"), encode);
    assert!(matches!(outcome, Ok(Outcome::Fresh(_))), "{outcome:?}");

    // Each claim starts where the previous one ended; one claim finds nothing, no other
    // claim follows it.
    assert_eq!(
        *claims.lock().unwrap(),
        ["", "ctr_02", "ctr_04", "ctr_06", "ctr_08", "ctr_10"]
    );
    let mut contracts: Vec<String> = written
        .lock()
        .unwrap()
        .iter()
        .map(|i| i.contract_id.to_string())
        .collect();
    contracts.sort();
    let expected: Vec<String> = (1..=10).map(|n| format!("ctr_{n:02}")).collect();
    assert_eq!(contracts, expected);
    let mut numbers: Vec<String> = written
        .lock()
        .unwrap()
        .iter()
        .map(|i| i.invoice_number.clone())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=10).map(|n| format!("FAC-2026-{n:06}")).collect();
    assert_eq!(numbers, expected, "gapless, each number once");
}

#[test]
fn a_failing_batch_stops_the_other_worker_and_fails_the_run() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    let batches = ten_contracts_in_five_batches();
    let claims: Arc<Mutex<usize>> = Arc::default();
    let counted = claims.clone();
    uow.billing_runs
        .expect_candidates()
        .returning(move |query| {
            *counted.lock().unwrap() += 1;
            Ok(batch_after(&batches, &query.after))
        });
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    uow.invoices.expect_insert_batch().returning(|invoices| {
        if invoices[0].contract_id == "ctr_03" {
            Err(Error::Storage("disk full".into()))
        } else {
            Ok(())
        }
    });
    uow.billing_runs
        .expect_add_progress()
        .returning(|_, _, _| Ok(()));
    uow.billing_runs
        .expect_set_status()
        .with(
            mockall::predicate::always(),
            eq(BillingRunStatus::Failed),
            mockall::predicate::always(),
        )
        .times(1)
        .returning(|_, _, _| Ok(()));
    // No completion, no stored answer: a retry with the key resumes the run.
    let (service, _) = service(uow);
    let outcome = service.run("act_1", &request(false), &key("fp"), encode);
    assert!(
        matches!(&outcome, Err(Error::Storage(m)) if m == "disk full"),
        "{outcome:?}"
    );
    // How many batches the other worker claims before it sees the closed cursor depends on
    // thread scheduling (on a loaded machine it may finish every batch first), so the count is
    // only bounded by the work there is: five batches, and one empty claim per worker.
    assert!(*claims.lock().unwrap() <= 7, "{}", claims.lock().unwrap());
}

fn sample_run() -> BillingRun {
    let plan =
        RunPlan::validate(&request(false), date!(2026 - 03 - 10), &Settings::default()).unwrap();
    let ports = ports(
        MockTransactions::new(MockUnitOfWork::default()),
        fixed_clock(datetime!(2026-03-10 09:00 UTC)),
    );
    BillingService::new(&ports).new_run(
        "act_1",
        &plan,
        datetime!(2026-03-10 08:00 UTC),
        BillingRunId::from_stored("run_01"),
    )
}

#[test]
fn runs_are_listed_page_by_page_the_extra_row_giving_the_next_cursor() {
    let runs: Vec<BillingRun> = ["run_01", "run_02", "run_03"]
        .iter()
        .map(|id| BillingRun {
            id: BillingRunId::from_stored(*id),
            ..sample_run()
        })
        .collect();
    let mut uow = MockUnitOfWork::default();
    uow.billing_runs
        .expect_list()
        .times(2)
        .returning(move |page| Ok(fetched(&runs, page, |r| r.id.as_str())));
    let (service, _) = service(uow);
    let ids = |page: &Page<BillingRun>| {
        page.items
            .iter()
            .map(|r| r.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };

    let first = service.list(&PageRequest::new(2, None).unwrap()).unwrap();
    assert_eq!(ids(&first), ["run_01", "run_02"]);
    assert_eq!(first.next_cursor.as_deref(), Some("run_02"));

    let last = service
        .list(&PageRequest::new(2, first.next_cursor).unwrap())
        .unwrap();
    assert_eq!(ids(&last), ["run_03"]);
    assert_eq!(last.next_cursor, None);
}

#[test]
fn a_batch_applies_the_credit_of_billed_clients_once_for_the_whole_batch() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    serve_batches(
        &mut uow,
        vec![vec![candidate("ctr_1", None), candidate("ctr_2", None)]],
    );
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    let written: Arc<Mutex<Vec<Invoice>>> = Arc::default();
    let sink = written.clone();
    uow.invoices
        .expect_insert_batch()
        .returning(move |invoices| {
            sink.lock().unwrap().extend_from_slice(invoices);
            Ok(())
        });
    // One look for credit per batch, with each client once.
    uow.ledger
        .expect_clients_with_credit()
        .times(1)
        .withf(|clients| clients == [ClientId::from_stored("cli_1")])
        .returning(|clients| Ok(clients.to_vec()));
    let open = written.clone();
    uow.invoices
        .expect_lock_open_invoices()
        .times(1)
        .returning(move |_| Ok(open.lock().unwrap().clone()));
    uow.ledger
        .expect_lock_credit_sources()
        .times(1)
        .returning(|_| {
            Ok(vec![crate::ledger::CreditSource {
                source: crate::ledger::SourceRef::Payment(
                    crate::typed_ids::PaymentId::from_stored("pay_1"),
                ),
                client_id: ClientId::from_stored("cli_1"),
                remaining: crate::money::Money::from_stored(5_000),
                created_at: datetime!(2026-02-01 09:00 UTC),
            }])
        });
    uow.invoices
        .expect_save_settlements()
        .times(1)
        .withf(|invoices| invoices.len() == 1)
        .returning(|_| Ok(()));
    uow.ledger
        .expect_record_applications()
        .times(1)
        .withf(|apps, _| apps.len() == 1 && apps[0].amount.centimes() == 5_000)
        .returning(|_, _| Ok(()));
    uow.ledger
        .expect_insert_audit()
        .times(1)
        .withf(|entries| entries.len() == 1 && entries[0].actor_id == "act_1")
        .returning(|_| Ok(()));
    uow.billing_runs
        .expect_add_progress()
        .returning(|_, _, _| Ok(()));
    uow.billing_runs
        .expect_set_status()
        .returning(|_, _, _| Ok(()));
    let runs = written.clone();
    uow.billing_runs.expect_find().returning(move |_| {
        let first = runs.lock().unwrap()[0].clone();
        Ok(Some(BillingRun {
            id: first.billing_run_id,
            period: first.period,
            issue_date: first.issue_date,
            due_date: first.due_date,
            status: BillingRunStatus::Completed,
            dry_run: false,
            invoice_count: 2,
            skipped_count: 0,
            total_excl_tax: crate::money::Money::ZERO,
            total_tax: crate::money::Money::ZERO,
            total_incl_tax: crate::money::Money::ZERO,
            currency: "MAD".into(),
            actor_id: "act_1".into(),
            created_at: datetime!(2026-03-10 09:00 UTC),
            updated_at: datetime!(2026-03-10 09:00 UTC),
        }))
    });
    uow.invoices
        .expect_ids_for_run()
        .returning(|_| Ok(InvoiceIdList::default()));
    uow.idempotency
        .expect_save()
        .returning(|_, _, _: &IdempotencyRecord, _| Ok(()));
    let (service, _) = service(uow);
    service
        .run("act_1", &request(false), &key("fp"), encode)
        .unwrap();
}

#[test]
fn a_per_account_candidate_is_one_draft_for_all_its_contracts() {
    let mut leader = candidate("ctr_1", None);
    leader.account = Some(vec![
        candidate("ctr_5", None).contract,
        candidate("ctr_9", None).contract,
    ]);
    let sorted = crate::billing::batch::sort_out(
        &[leader, candidate("ctr_2", None)],
        crate::billing::Period::parse("2026-02").unwrap(),
        None,
    );
    assert_eq!(sorted.drafts.len(), 2);
    let account = &sorted.drafts[0];
    assert_eq!(account.lines.len(), 3);
    assert_eq!(account.total_excl_tax.centimes(), 30_000);
    assert_eq!(sorted.drafts[1].lines.len(), 1);
}

/// The archive's sealer yields to billing (decision 0325): a run holds the billing-run lock
/// from before its first batch to its end, and gives it back however it ends; a dry run,
/// which writes nothing, never takes it.
#[test]
fn a_run_holds_the_billing_lock_while_it_bills_and_a_dry_run_never_takes_it() {
    let locks = Arc::new(crate::testing::LocalKeyLocks::default());
    let held_while_billing: Arc<Mutex<Vec<usize>>> = Arc::default();
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    let (seen, observed) = (held_while_billing.clone(), locks.clone());
    uow.billing_runs
        .expect_candidates()
        .returning(move |query| {
            seen.lock().unwrap().push(observed.billing_runs_held());
            Ok(batch_after(&[vec![candidate("ctr_1", None)]], &query.after))
        });
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    uow.invoices.expect_insert_batch().returning(|_| Ok(()));
    expect_the_runs_bookkeeping(&mut uow, false);
    uow.ledger
        .expect_clients_with_credit()
        .returning(|_| Ok(Vec::new()));
    uow.invoices
        .expect_seller_identity()
        .returning(|_| Ok(SellerIdentityId::from_stored(7)));
    uow.clients
        .expect_find_many()
        .returning(|ids| Ok(ids.iter().map(client).collect()));
    let tx = MockTransactions::new(uow);
    let mut ports = ports(tx, fixed_clock(datetime!(2026-03-10 09:00 UTC)));
    ports.key_locks = locks.clone();
    let service = BillingService::new(&ports).with_batch_size(2);

    let _ = service.run("act_1", &request(false), &key("fp"), encode);
    let seen = held_while_billing.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|held| *held == 1), "{seen:?}");
    assert_eq!(locks.billing_runs_held(), 0, "given back at the end");

    held_while_billing.lock().unwrap().clear();
    let _ = service.run("act_1", &request(true), &key("dry"), encode);
    let seen = held_while_billing.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|held| *held == 0), "{seen:?}");
}

/// A per-account leader brings its client's other contracts: once a claim has shown how many
/// contracts each candidate brings, the next claims take fewer candidates, so a batch stays
/// near the batch size in contracts (decision 0386).
#[test]
fn claims_after_per_account_leaders_take_fewer_candidates() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    let mut leader = candidate("ctr_01", None);
    leader.account = Some(vec![
        candidate("ctr_90", None).contract,
        candidate("ctr_91", None).contract,
    ]);
    let batches = vec![
        vec![leader, candidate("ctr_02", None)],
        vec![candidate("ctr_03", None)],
        vec![candidate("ctr_04", None)],
    ];
    let limits: Arc<Mutex<Vec<(String, i64)>>> = Arc::default();
    let seen = limits.clone();
    uow.billing_runs
        .expect_candidates()
        .returning(move |query| {
            seen.lock()
                .unwrap()
                .push((query.after.clone(), query.limit));
            Ok(batch_after(&batches, &query.after))
        });
    uow.sequences.expect_reserve().returning(|_, _, _| Ok(1));
    uow.invoices.expect_insert_batch().returning(|_| Ok(()));
    expect_the_runs_bookkeeping(&mut uow, true);
    let (service, _) = service(uow);
    let outcome = service.run("act_1", &request(false), &key("fp"), encode);
    assert!(matches!(outcome, Ok(Outcome::Fresh(_))), "{outcome:?}");

    // Batch size 2: the first claim brought 4 contracts with 2 candidates, so the next ones
    // claim one candidate at a time; one-contract candidates then keep the full size.
    assert_eq!(
        *limits.lock().unwrap(),
        [
            (String::new(), 2),
            ("ctr_02".to_owned(), 1),
            ("ctr_03".to_owned(), 2),
            ("ctr_04".to_owned(), 2)
        ]
    );
}

#[path = "runs_late_usage_tests.rs"]
mod late_usage;
