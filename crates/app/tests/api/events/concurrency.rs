//! The feed under concurrent writers: transactions of varying length commit out of order
//! while a reader follows the cursor. The reader must end with every committed event exactly
//! once, in the feed's stable order, skip none that committed late, and never see one of a
//! transaction that rolled back.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use adapters_postgres::PgStore;
use domain::error::{Conflict, Error};
use domain::events::{EventPayload, NewEvent};
use domain::ids::UlidGenerator;
use domain::tx::transaction;
use domain::typed_ids::{ClientId, EventId};
use http_actix::event_encoder::ApiEventEncoder;
use serde_json::json;

use crate::support::TestApp;

const WRITERS: usize = 6;
const TRANSACTIONS_PER_WRITER: usize = 20;

/// How long transaction `n` of writer `w` stays open between its writes: mostly short, some
/// long enough that many later transactions commit before them.
fn pause(w: usize, n: usize) -> Duration {
    if (w + n).is_multiple_of(9) {
        Duration::from_millis(400)
    } else {
        Duration::from_millis(((w * 13 + n * 7) % 30) as u64)
    }
}

/// One writer: its transactions, each appending one to three events with a pause in between;
/// every seventh rolls back. Returns the ids committed and the ids rolled back.
fn write(store: &PgStore, payload: &EventPayload, w: usize) -> (Vec<String>, Vec<String>) {
    let (mut committed, mut rolled_back) = (Vec::new(), Vec::new());
    for n in 0..TRANSACTIONS_PER_WRITER {
        let ids: Vec<EventId> = (0..1 + (w + n) % 3)
            .map(|_| EventId::generate(&UlidGenerator))
            .collect();
        let fail = (w * TRANSACTIONS_PER_WRITER + n) % 7 == 3;
        let result = transaction(store, |uow| {
            for (i, id) in ids.iter().enumerate() {
                uow.events().append(&[NewEvent {
                    id: id.clone(),
                    occurred_at: time::OffsetDateTime::now_utc(),
                    actor_id: None,
                    payload: payload.clone(),
                }])?;
                if i == 0 {
                    std::thread::sleep(pause(w, n));
                }
            }
            if fail {
                return Err(Error::Conflict(Conflict::InvoiceAlreadyPaid));
            }
            Ok(())
        });
        let strings = ids.into_iter().map(EventId::into_string);
        match result {
            Ok(()) => committed.extend(strings),
            Err(_) => rolled_back.extend(strings),
        }
    }
    (committed, rolled_back)
}

async fn page(app: &TestApp, after: &Option<String>) -> (Vec<String>, Option<String>) {
    let path = match after {
        Some(cursor) => format!("/events?limit=7&after={cursor}"),
        None => "/events?limit=7".to_owned(),
    };
    let answer = app.get(&path).admin().send().await;
    answer.assert_status(200);
    let body = answer.json();
    let ids = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, body["next_cursor"].as_str().map(str::to_owned))
}

#[actix_web::test]
async fn a_reader_following_the_cursor_gets_every_committed_event_once_in_a_stable_order() {
    let app = TestApp::new().await;
    let created = app
        .post("/customers")
        .admin()
        .json(&json!({"cin": "AB700001", "first_name": "Hajar", "last_name": "Benkirane"}))
        .send()
        .await;
    created.assert_status(201);
    let client_id = ClientId::from_stored(created.json()["id"].as_str().unwrap());
    let client = app.services.clients.get_client(&client_id).unwrap();
    let payload = EventPayload::ClientUpdated(client);
    // Writers have their own pool, so the reader's requests never wait for a connection.
    let store = PgStore::connect(&app.db.url, WRITERS as u32)
        .expect("writers' pool")
        .with_event_encoder(Arc::new(ApiEventEncoder));

    let done = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(Mutex::new(Vec::new()));
    let rolled_back = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (store, payload) = (store.clone(), payload.clone());
            let (committed, rolled_back) = (committed.clone(), rolled_back.clone());
            std::thread::spawn(move || {
                let (ok, lost) = write(&store, &payload, w);
                committed.lock().unwrap().extend(ok);
                rolled_back.lock().unwrap().extend(lost);
            })
        })
        .collect();
    let watcher = {
        let done = done.clone();
        std::thread::spawn(move || {
            for writer in writers {
                writer.join().expect("writer");
            }
            done.store(true, Ordering::SeqCst);
        })
    };

    // Follow the feed while they write, then until everything committed has been read.
    let mut read = Vec::new();
    let mut after = None;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (ids, next) = page(&app, &after).await;
        let finished = done.load(Ordering::SeqCst);
        if ids.is_empty() {
            let expected = committed.lock().unwrap().len() + 1;
            if finished && read.len() >= expected || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        read.extend(ids);
        after = next;
    }
    watcher.join().expect("writers finished");

    let committed: HashSet<String> = committed.lock().unwrap().iter().cloned().collect();
    let rolled_back = rolled_back.lock().unwrap().clone();
    assert!(!rolled_back.is_empty() && committed.len() > 100);
    let unique: HashSet<&String> = read.iter().collect();
    assert_eq!(unique.len(), read.len(), "an event was read twice");
    for id in &committed {
        assert!(unique.contains(id), "committed event {id} was skipped");
    }
    for id in &rolled_back {
        assert!(!unique.contains(id), "rolled-back event {id} was published");
    }
    assert_eq!(
        read.len(),
        committed.len() + 1,
        "the client.created and ours"
    );
    // Reading the whole feed again gives the same order: it never changes once read.
    let mut again = Vec::new();
    let mut after = None;
    loop {
        let (ids, next) = page(&app, &after).await;
        if ids.is_empty() {
            break;
        }
        again.extend(ids);
        after = next;
    }
    assert_eq!(again, read);
}
