//! A run marks the late usage records its invoices billed (decision 0377): every contract
//! with late months that an invoice of the batch holds, whether they added units or not, in
//! one call per batch; a contract with no invoice keeps them; a dry run marks nothing.

use super::*;
use crate::billing::golden::{terms, with_late};
use crate::typed_ids::InvoiceId;
use crate::usage::UsageKind::Sms;

/// `candidate(id)` on a plan of 200 SMS with late SMS of January: `late` of them after 100
/// billed (101 or more add units, 100 or fewer fit).
fn with_late_sms(id: &str, late: i64) -> Candidate {
    let mut c = candidate(id, None);
    for named in &mut c.contract.offer_periods {
        named.period.usage = Some(terms(None, Some(200), None));
    }
    c.contract = with_late(
        c.contract,
        "2026-01",
        &[(date!(2026 - 01 - 10), Sms, 100)],
        &[(date!(2026 - 01 - 30), Sms, late)],
    );
    c
}

/// Terminated in January: February bills it only if its late records add something.
fn ended(mut c: Candidate) -> Candidate {
    c.contract.status = ContractStatus::Terminated;
    c.contract.termination_date = Some(date!(2026 - 01 - 31));
    c
}

#[test]
fn a_batch_marks_the_late_usage_of_each_contract_it_invoiced_added_units_or_not() {
    let mut uow = MockUnitOfWork::default();
    expect_a_new_run(&mut uow);
    serve_batches(
        &mut uow,
        vec![
            vec![with_late_sms("ctr_1", 5), with_late_sms("ctr_2", 103)],
            vec![candidate("ctr_3", None), ended(with_late_sms("ctr_4", 5))],
        ],
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
    let marked: Arc<Mutex<Vec<(ContractId, InvoiceId)>>> = Arc::default();
    let seen = marked.clone();
    uow.billing_runs
        .expect_bill_late_usage()
        .times(1)
        .withf(|_, period| period.to_string() == "2026-02")
        .returning(move |billed, _| {
            seen.lock().unwrap().extend_from_slice(billed);
            Ok(billed.len())
        });
    expect_the_runs_bookkeeping(&mut uow, false);
    let (service, _) = service(uow);
    // The run's final read finds no run (not mocked): the batches are what is checked.
    let _ = service.run("act_1", &request(false), &key("fp"), encode);
    let written = written.lock().unwrap();
    let invoice_of = |id: &str| {
        written
            .iter()
            .find(|i| i.contract_id.as_str() == id)
            .map(|i| i.id.clone())
            .expect("an invoice")
    };
    assert_eq!(
        *marked.lock().unwrap(),
        [
            (ContractId::from_stored("ctr_1"), invoice_of("ctr_1")),
            (ContractId::from_stored("ctr_2"), invoice_of("ctr_2")),
        ],
        "ctr_3 has no late usage; ctr_4's adds nothing and it has no invoice to hold it"
    );
    assert_eq!(written.len(), 3);
    let ctr_2 = written
        .iter()
        .find(|i| i.contract_id.as_str() == "ctr_2")
        .expect("ctr_2");
    assert_eq!(
        ctr_2.lines[1].description,
        "SMS hors forfait (janvier 2026, reçus après facturation) : 3 SMS"
    );
}

#[test]
fn a_dry_run_gives_the_late_lines_and_marks_nothing() {
    let mut uow = MockUnitOfWork::default();
    uow.idempotency.expect_find().returning(|_, _| Ok(None));
    serve_batches(&mut uow, vec![vec![with_late_sms("ctr_1", 103)]]);
    // No bill_late_usage expectation: a call fails the test.
    let (service, _) = service(uow);
    let outcome = service
        .run("act_1", &request(true), &key("fp"), encode)
        .unwrap();
    // 100.00 MAD for February and 3 SMS at 0.50 MAD, 20 % tax.
    assert_eq!(
        outcome,
        Outcome::Fresh(StoredResponse {
            status: 201,
            body: b"|1|0|12180".to_vec()
        })
    );
}
