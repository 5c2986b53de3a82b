//! P7 drafts: save, restore and update an unfinished subscription form.

use super::draft::{check_payload, expiry};
use super::{Draft, DraftStatus, LandingService};
use crate::error::{Conflict, Error, Resource, Result};
use crate::tx::{read, transaction, UnitOfWork};
use crate::typed_ids::DraftId;

impl LandingService {
    /// Saves a new open draft of `payload` (JSON object text ≤ 16 KiB), expiring
    /// `draft_ttl_days` from now. Its id is the draft's only key, so it is a secret id
    /// (128 bits from the OS random source), not a time-ordered one. One client address holds
    /// at most `drafts_per_address` open drafts (`Conflict(TooManyOpenDrafts)`); the address
    /// is kept only as a keyed digest.
    pub fn create_draft(&self, payload: &str, client_address: &str) -> Result<Draft> {
        check_payload(payload)?;
        let creator = self.tokens.pseudonym("address", client_address);
        let now = self.clock.now();
        let draft = Draft {
            id: DraftId::generate(self.ids.as_ref()),
            payload: payload.to_owned(),
            status: DraftStatus::Open,
            expires_at: expiry(now, self.settings.draft_ttl_days),
            created_at: now,
            updated_at: now,
        };
        transaction(self.tx.as_ref(), |uow| {
            if uow.drafts().lock_and_count_open(&creator, now)? >= self.settings.drafts_per_address
            {
                return Err(Error::Conflict(Conflict::TooManyOpenDrafts));
            }
            uow.drafts().insert(&draft, &creator)?;
            read_back(uow, &draft.id)
        })
    }

    /// The draft, open or submitted; `NotFound(Draft)` when unknown or expired.
    pub fn draft(&self, id: &DraftId) -> Result<Draft> {
        let now = self.clock.now();
        let draft = read(self.tx.as_ref(), |uow| uow.drafts().find(id))?;
        draft
            .filter(|d| !d.is_expired(now))
            .ok_or(Error::NotFound(Resource::Draft))
    }

    /// Replaces the payload of an open draft and restarts its time to live.
    /// `NotFound(Draft)` as for [`LandingService::draft`]; `DraftAlreadySubmitted` once used.
    pub fn update_draft(&self, id: &DraftId, payload: &str) -> Result<Draft> {
        check_payload(payload)?;
        let now = self.clock.now();
        transaction(self.tx.as_ref(), |uow| {
            let mut draft = open_draft(uow, id, now)?;
            draft.payload = payload.to_owned();
            draft.expires_at = expiry(now, self.settings.draft_ttl_days);
            draft.updated_at = now;
            uow.drafts().update(&draft)?;
            read_back(uow, id)
        })
    }

    /// Marks a draft submitted inside the caller's transaction (`submit/new`): the draft must
    /// exist, be unexpired (`NotFound(Draft)`) and still open (`DraftAlreadySubmitted`).
    pub fn submit_draft_in(&self, uow: &mut dyn UnitOfWork, id: &str) -> Result<()> {
        let id = &draft_id(id)?;
        let now = self.clock.now();
        let mut draft = open_draft(uow, id, now)?;
        draft.status = DraftStatus::Submitted;
        draft.updated_at = now;
        uow.drafts().update(&draft)
    }
}

/// The draft id as sent; a malformed one names no draft.
fn draft_id(raw: &str) -> Result<DraftId> {
    DraftId::parse(raw).map_err(|_| Error::NotFound(Resource::Draft))
}

/// The draft as stored: storage normalises the JSON, and the answer shows what is kept.
fn read_back(uow: &mut dyn UnitOfWork, id: &DraftId) -> Result<Draft> {
    uow.drafts()
        .find(id)?
        .ok_or_else(|| Error::Storage(format!("draft {id} vanished after saving")))
}

/// The draft locked for a change: present, unexpired and open.
fn open_draft(uow: &mut dyn UnitOfWork, id: &DraftId, now: time::OffsetDateTime) -> Result<Draft> {
    let draft = uow
        .drafts()
        .find_for_update(id)?
        .filter(|d| !d.is_expired(now))
        .ok_or(Error::NotFound(Resource::Draft))?;
    if draft.status == DraftStatus::Submitted {
        return Err(Error::Conflict(Conflict::DraftAlreadySubmitted));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RuleViolation;
    use crate::settings::Settings;
    use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use crate::tokens::MockTokenService;
    use mockall::predicate::eq;
    use std::sync::Arc;
    use time::macros::datetime;
    use time::OffsetDateTime;

    const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
    const ID: &str = "drf_01JD0000000000000000000000";

    fn id() -> DraftId {
        DraftId::from_stored(ID)
    }

    fn service(uow: MockUnitOfWork) -> (LandingService, Arc<MockTransactions>) {
        let tx = MockTransactions::new(uow);
        let mut p = ports(tx.clone(), fixed_clock(NOW));
        let mut tokens = MockTokenService::new();
        tokens
            .expect_pseudonym()
            .with(eq("address"), eq("203.0.113.5"))
            .returning(|_, _| "addr-digest".into());
        p.tokens = Arc::new(tokens);
        p.settings = Arc::new(Settings {
            drafts_per_address: 3,
            ..Settings::default()
        });
        (LandingService::over(&p), tx)
    }

    fn stored(status: DraftStatus, expires_at: OffsetDateTime) -> Draft {
        Draft {
            id: DraftId::from_stored(ID),
            payload: r#"{"step":1}"#.into(),
            status,
            expires_at,
            created_at: datetime!(2026-03-01 09:00 UTC),
            updated_at: datetime!(2026-03-01 09:00 UTC),
        }
    }

    #[test]
    fn a_new_draft_is_open_and_expires_after_the_configured_days() {
        let mut uow = MockUnitOfWork::default();
        uow.drafts
            .expect_lock_and_count_open()
            .with(eq("addr-digest"), eq(NOW))
            .times(1)
            .returning(|_, _| Ok(2));
        uow.drafts
            .expect_insert()
            .withf(|d, creator| {
                d.status == DraftStatus::Open
                    && d.expires_at == datetime!(2026-04-09 09:00 UTC)
                    && d.payload == r#"{"a":1}"#
                    && d.id.as_str().starts_with("drf_secret")
                    && creator == "addr-digest"
            })
            .times(1)
            .returning(|_, _| Ok(()));
        uow.drafts.expect_find().returning(|id| {
            Ok(Some(Draft {
                id: id.clone(),
                payload: r#"{"a": 1}"#.into(),
                status: DraftStatus::Open,
                expires_at: datetime!(2026-04-09 09:00 UTC),
                created_at: NOW,
                updated_at: NOW,
            }))
        });
        let (service, _) = service(uow);
        let draft = service.create_draft(r#"{"a":1}"#, "203.0.113.5").unwrap();
        assert_eq!(draft.payload, r#"{"a": 1}"#);
    }

    #[test]
    fn an_address_at_its_cap_of_open_drafts_gets_a_conflict_and_nothing_is_stored() {
        let mut uow = MockUnitOfWork::default();
        uow.drafts
            .expect_lock_and_count_open()
            .returning(|_, _| Ok(3));
        uow.drafts.expect_insert().never();
        let (service, tx) = service(uow);
        assert!(matches!(
            service.create_draft("{}", "203.0.113.5"),
            Err(Error::Conflict(Conflict::TooManyOpenDrafts))
        ));
        assert_eq!(tx.rollback_count(), 1);
    }

    #[test]
    fn payloads_must_be_objects_of_at_most_16_kib() {
        let (service, tx) = service(MockUnitOfWork::default());
        assert!(matches!(
            service.create_draft("[1,2]", "203.0.113.5"),
            Err(Error::Validation(e)) if e[0].field == "payload"
        ));
        let big = format!(r#"{{"x":"{}"}}"#, "a".repeat(16 * 1024));
        assert!(matches!(
            service.create_draft(&big, "203.0.113.5"),
            Err(Error::Rule(RuleViolation::DraftTooLarge))
        ));
        assert_eq!(tx.commit_count() + tx.rollback_count(), 0);
    }

    #[test]
    fn expired_drafts_are_not_found() {
        let mut uow = MockUnitOfWork::default();
        uow.drafts
            .expect_find()
            .returning(|_| Ok(Some(stored(DraftStatus::Open, NOW))));
        let (service, _) = service(uow);
        assert!(matches!(
            service.draft(&id()),
            Err(Error::NotFound(Resource::Draft))
        ));
    }

    #[test]
    fn a_submitted_draft_cannot_be_updated_and_nothing_is_written() {
        let mut uow = MockUnitOfWork::default();
        uow.drafts.expect_find_for_update().returning(|_| {
            Ok(Some(stored(
                DraftStatus::Submitted,
                datetime!(2026-04-01 00:00 UTC),
            )))
        });
        uow.drafts.expect_update().never();
        let (service, tx) = service(uow);
        assert!(matches!(
            service.update_draft(&id(), "{}"),
            Err(Error::Conflict(Conflict::DraftAlreadySubmitted))
        ));
        assert_eq!(tx.rollback_count(), 1);
    }

    #[test]
    fn updating_replaces_the_payload_and_restarts_the_time_to_live() {
        let mut uow = MockUnitOfWork::default();
        uow.drafts.expect_find_for_update().returning(|_| {
            Ok(Some(stored(
                DraftStatus::Open,
                datetime!(2026-03-11 00:00 UTC),
            )))
        });
        uow.drafts
            .expect_update()
            .withf(|d| {
                d.payload == r#"{"step":2}"#
                    && d.expires_at == datetime!(2026-04-09 09:00 UTC)
                    && d.updated_at == NOW
            })
            .times(1)
            .returning(|_| Ok(()));
        uow.drafts.expect_find().returning(|_| {
            Ok(Some(stored(
                DraftStatus::Open,
                datetime!(2026-04-09 09:00 UTC),
            )))
        });
        let (service, _) = service(uow);
        assert!(service.update_draft(&id(), r#"{"step":2}"#).is_ok());
    }

    #[test]
    fn submitting_marks_an_open_draft_submitted() {
        let mut uow = MockUnitOfWork::default();
        uow.drafts.expect_find_for_update().returning(|_| {
            Ok(Some(stored(
                DraftStatus::Open,
                datetime!(2026-03-11 00:00 UTC),
            )))
        });
        uow.drafts
            .expect_update()
            .withf(|d| d.status == DraftStatus::Submitted)
            .times(1)
            .returning(|_| Ok(()));
        let (service, _) = service(MockUnitOfWork::default());
        let mut uow = uow;
        assert!(service.submit_draft_in(&mut uow, ID).is_ok());
    }
}
