//! Issue #20, item 8: a draft id is the draft's only key, so it must not be guessable from
//! another one. Ids made one after the other used to be one apart within a millisecond; now
//! they are 128 independent random bits, and no neighbour of a real id opens a draft.

use futures_util::future::join_all;
use serde_json::json;

use crate::support::TestApp;

use super::{report, unlimited_app};

/// How far each side of an id the probe looks.
const REACH: u128 = 16;

async fn new_draft(app: &TestApp, i: usize) -> String {
    let answer = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"cin": format!("AB{i:06}")}}))
        .send()
        .await;
    answer.assert_status(201);
    answer.json()["draft_id"].as_str().unwrap().to_owned()
}

fn value(id: &str) -> u128 {
    u128::from(ulid::Ulid::from_string(&id["drf_".len()..]).unwrap())
}

fn draft_id(value: u128) -> String {
    format!("drf_{}", ulid::Ulid::from(value))
}

#[actix_web::test]
async fn neighbours_of_draft_ids_open_no_draft() {
    let app = unlimited_app().await;
    // Made at once, so that sequential ids would share a millisecond.
    let ids: Vec<String> = join_all((0..12).map(|i| new_draft(&app, i))).await;
    let mut probes = 0;
    for id in &ids {
        assert!(id.len() == 30, "wire format changed: {id}");
        let base = value(id);
        for step in 1..=REACH {
            for guess in [base.wrapping_add(step), base.wrapping_sub(step)] {
                let answer = app
                    .get(&format!("/landing/drafts/{}", draft_id(guess)))
                    .send()
                    .await;
                answer.assert_problem(404, "draft_not_found");
                probes += 1;
            }
        }
        // Nor may a neighbour be changed.
        app.put(&format!("/landing/drafts/{}", draft_id(base + 1)))
            .json(&json!({"payload": {"taken": true}}))
            .send()
            .await
            .assert_problem(404, "draft_not_found");
    }
    assert_eq!(
        app.count("SELECT count(*) FROM drafts WHERE payload ? 'taken'"),
        0
    );
    report("draft id neighbours", probes);
}

#[actix_web::test]
async fn draft_ids_carry_no_time_and_consecutive_ones_are_far_apart() {
    let app = unlimited_app().await;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let day_ms = 86_400_000;
    let mut previous: Option<u128> = None;
    for i in 0..20 {
        let id = new_draft(&app, i).await;
        let current = value(&id);
        // A time-ordered id starts with its creation instant, which narrows a search to
        // the ids of that millisecond; these start with random bits instead.
        let stamp = current >> 80;
        assert!(
            stamp.abs_diff(now_ms) > day_ms,
            "{id} starts with the creation time"
        );
        if let Some(previous) = previous {
            // 128 random bits: two within 2^64 of each other has odds of 2^-63.
            assert!(
                current.abs_diff(previous) > 1 << 64,
                "{} then {id}",
                draft_id(previous)
            );
        }
        previous = Some(current);
    }
    report("draft ids carry no time", 39);
}
