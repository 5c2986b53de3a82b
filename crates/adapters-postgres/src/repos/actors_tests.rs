//! `ActorRepository` against PostgreSQL: not-found on updates, tokens stored hashed, and the
//! lock on the active admins.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use domain::access::ActorRepository;
use domain::error::Resource;

use super::test_support::{
    actor_id, assert_not_found, assert_storage, begin, end, impatient, seeded,
};
use crate::tx::PgTx;

#[test]
fn updating_an_absent_actor_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find_by_id(&actor_id("act_1")).unwrap().expect("admin");
    ghost.id = actor_id("act_9");
    assert_not_found(tx.update(&ghost), Resource::Actor);
}

#[test]
fn replacing_the_token_of_an_absent_actor_is_not_found() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut ghost = tx.find_by_id(&actor_id("act_1")).unwrap().expect("admin");
    ghost.id = actor_id("act_9");
    assert_not_found(tx.replace_token_hash(&ghost, "hash-9"), Resource::Actor);
}

#[test]
fn a_replaced_token_hash_stops_matching() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let admin = tx.find_by_id(&actor_id("act_1")).unwrap().expect("admin");
    tx.replace_token_hash(&admin, "hash-2").expect("replace");
    assert_eq!(tx.find_by_token_hash("hash-1").unwrap(), None);
    assert_eq!(tx.find_by_token_hash("hash-2").unwrap(), Some(admin));
}

#[test]
fn an_inserted_actor_is_found_by_its_token_hash() {
    let (_db, mut conn) = seeded();
    let mut tx = PgTx::new(&mut conn);
    let mut agent = tx.find_by_id(&actor_id("act_1")).unwrap().expect("admin");
    agent.id = actor_id("act_2");
    tx.insert(&agent, "hash-2").expect("insert");
    assert_eq!(tx.find_by_token_hash("hash-2").unwrap(), Some(agent));
    assert_eq!(tx.count_active_admins().unwrap(), 2);
}

#[test]
fn the_active_admins_stay_locked_until_the_transaction_ends() {
    let (db, mut conn) = seeded();
    begin(&mut conn);
    PgTx::new(&mut conn).lock_active_admins().expect("lock");
    let mut other = impatient(&db);
    assert_storage(PgTx::new(&mut other).lock_active_admins());
    end(&mut conn);
    let mut after = impatient(&db);
    PgTx::new(&mut after)
        .lock_active_admins()
        .expect("free again");
}
