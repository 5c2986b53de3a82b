//! The idempotency mechanism against real PostgreSQL: replay, reuse, in-flight, scoping, and
//! one effect under 50 concurrent attempts. Each endpoint's own tests cover its HTTP side.

use std::sync::{Arc, Barrier};

use domain::access::NewActor;
use domain::error::{Conflict, Error, RuleViolation};
use domain::idempotency::{execute, IdempotencyRequest, Outcome, StoredResponse};
use domain::tx::TransactionRunner;

use crate::support::TestApp;

fn request(scope: &str, key: &str, fingerprint: &str) -> IdempotencyRequest {
    IdempotencyRequest {
        scope: scope.into(),
        key: key.into(),
        fingerprint: fingerprint.into(),
    }
}

/// Creates an actor named `name` idempotently and answers its id as the stored body.
fn create(app: &TestApp, req: &IdempotencyRequest, name: &str) -> domain::Result<Outcome> {
    let access = app.services.access.clone();
    let command = NewActor {
        name: name.into(),
        roles: vec!["viewer".into()],
    };
    execute(
        &app.store,
        req,
        app.clock_now(),
        |uow| access.create_actor_in(uow, &command),
        |(actor, _)| {
            Ok(StoredResponse {
                status: 201,
                body: actor.id.to_string().into_bytes(),
            })
        },
    )
}

fn body(outcome: &Outcome) -> (bool, Vec<u8>) {
    match outcome {
        Outcome::Fresh(r) => (false, r.body.clone()),
        Outcome::Replayed(r) => (true, r.body.clone()),
    }
}

#[actix_web::test]
async fn the_same_key_and_request_replays_the_first_response_without_a_second_effect() {
    let app = TestApp::new().await;
    let req = request("act_1", "key-1", "fp-a");
    let first = create(&app, &req, "once").unwrap();
    let second = create(&app, &req, "once").unwrap();
    assert!(!body(&first).0);
    assert_eq!(body(&second), (true, body(&first).1));
    assert_eq!(
        app.count("SELECT count(*) FROM actors WHERE name = 'once'"),
        1
    );
}

#[actix_web::test]
async fn the_same_key_with_another_request_is_refused() {
    let app = TestApp::new().await;
    create(&app, &request("act_1", "key-1", "fp-a"), "a").unwrap();
    let reused = create(&app, &request("act_1", "key-1", "fp-b"), "b");
    assert!(matches!(
        reused,
        Err(Error::Rule(RuleViolation::IdempotencyKeyReused))
    ));
    assert_eq!(app.count("SELECT count(*) FROM actors WHERE name = 'b'"), 0);
}

#[actix_web::test]
async fn keys_are_scoped_to_their_caller() {
    let app = TestApp::new().await;
    create(&app, &request("act_1", "shared", "fp-a"), "one").unwrap();
    let other = create(&app, &request("act_2", "shared", "fp-a"), "two").unwrap();
    assert!(!body(&other).0);
    assert_eq!(
        app.count("SELECT count(*) FROM actors WHERE name IN ('one','two')"),
        2
    );
}

#[actix_web::test]
async fn a_failed_attempt_stores_nothing_so_a_retry_runs_again() {
    let app = TestApp::new().await;
    let req = request("act_1", "key-1", "fp-a");
    let invalid = create(&app, &req, " ");
    assert!(matches!(invalid, Err(Error::Validation(_))));
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 0);
    let retried = create(&app, &req, "fixed").unwrap();
    assert!(!body(&retried).0);
}

#[actix_web::test]
async fn a_key_still_in_flight_is_refused_with_key_in_use() {
    let app = TestApp::new().await;
    let (held_tx, held_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let store = app.store.clone();
    // A first attempt takes the key's lock and waits inside its transaction.
    let holder = std::thread::spawn(move || {
        store.run(&mut |uow| {
            assert!(uow.idempotency().try_lock("act_1", "slow")?);
            held_tx.send(()).ok();
            release_rx.recv().ok();
            Ok(())
        })
    });
    held_rx.recv().unwrap();
    let second = create(&app, &request("act_1", "slow", "fp-a"), "second");
    assert!(matches!(
        second,
        Err(Error::Conflict(Conflict::IdempotencyKeyInUse))
    ));
    release_tx.send(()).unwrap();
    holder.join().unwrap().unwrap();
    assert_eq!(
        app.count("SELECT count(*) FROM actors WHERE name = 'second'"),
        0
    );
}

#[actix_web::test]
async fn fifty_concurrent_attempts_with_one_key_produce_exactly_one_effect() {
    let app = Arc::new(TestApp::new().await);
    let barrier = Arc::new(Barrier::new(50));
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let app = app.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                create(&app, &request("act_1", "burst", "fp-a"), "burst")
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let fresh: Vec<_> = results
        .iter()
        .filter(|r| matches!(r, Ok(Outcome::Fresh(_))))
        .collect();
    assert_eq!(fresh.len(), 1, "exactly one attempt has the effect");
    for result in &results {
        match result {
            Ok(outcome) => assert_eq!(body(outcome).1, body(fresh[0].as_ref().unwrap()).1),
            Err(error) => assert!(
                matches!(error, Error::Conflict(Conflict::IdempotencyKeyInUse)),
                "{error:?}"
            ),
        }
    }
    assert_eq!(
        app.count("SELECT count(*) FROM actors WHERE name = 'burst'"),
        1
    );
    assert_eq!(app.count("SELECT count(*) FROM idempotency_records"), 1);
}
