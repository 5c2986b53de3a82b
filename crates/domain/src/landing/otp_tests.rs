use std::sync::Arc;

use mockall::predicate::eq;
use time::macros::datetime;

use super::*;
use crate::clients::{ClientStatus, Email};
use crate::landing::{MockOtpCodes, MockOtpSender};
use crate::settings::Settings;
use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
use crate::tokens::{MockTokenService, TokenPurpose};

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
const CHALLENGE: &str = "otp_01JD0000000000000000000000";

fn challenge_id() -> OtpChallengeId {
    OtpChallengeId::from_stored(CHALLENGE)
}

fn client(phone: Option<&str>, email: Option<&str>) -> Client {
    Client {
        id: ClientId::from_stored("cli_1"),
        identity: crate::clients::Identity::Person(crate::clients::Person {
            cin: Cin::parse("AB123456").unwrap(),
            first_name: "Hajar".into(),
            last_name: "Benkirane".into(),
        }),
        invoicing: crate::clients::Invoicing::PerContract,
        email: email.map(|e| Email::parse(e).unwrap()),
        phone: phone.map(str::to_owned),
        address: None,
        city: None,
        birth_date: None,
        status: ClientStatus::Active,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn challenge(attempts_left: i32) -> OtpChallenge {
    OtpChallenge {
        id: OtpChallengeId::from_stored(CHALLENGE),
        client_id: ClientId::from_stored("cli_1"),
        channel: OtpChannel::Sms,
        code_hash: "hash-of-123456".into(),
        attempts_left,
        expires_at: NOW + Duration::minutes(3),
        consumed_at: None,
        created_at: NOW - Duration::minutes(2),
    }
}

/// Codes that hash to `hash-of-<code>`.
fn codes() -> MockOtpCodes {
    let mut codes = MockOtpCodes::new();
    codes.expect_generate().returning(|| "123456".into());
    codes
        .expect_hash()
        .returning(|_, code| format!("hash-of-{code}"));
    codes
        .expect_matches()
        .returning(|_, code, stored| stored == format!("hash-of-{code}"));
    codes
}

struct Doubles {
    tx: Arc<MockTransactions>,
    service: LandingService,
}

/// The service under test. The per-CIN limit of `verify-cin` (decision 0106) is admitted: its
/// counter is at one, and CINs are pseudonymised by the token service.
fn service(
    mut uow: MockUnitOfWork,
    sender: MockOtpSender,
    mut tokens: MockTokenService,
) -> Doubles {
    uow.rate_limits.expect_hit().returning(|_, _| Ok(1));
    tokens
        .expect_pseudonym()
        .returning(|_, cin| format!("digest-of-{}", cin.len()));
    let tx = MockTransactions::new(uow);
    let mut p = ports(tx.clone(), fixed_clock(NOW));
    p.otp_sender = Arc::new(sender);
    p.otp_codes = Arc::new(codes());
    p.tokens = Arc::new(tokens);
    p.settings = Arc::new(Settings {
        landing_otp: true,
        ..Settings::default()
    });
    Doubles {
        tx,
        service: LandingService::over(&p),
    }
}

fn sms_and_email_sender() -> MockOtpSender {
    let mut sender = MockOtpSender::new();
    sender.expect_supports().return_const(true);
    sender
}

#[test]
fn a_code_goes_to_the_mobile_on_file_hashed_for_five_minutes_and_five_tries() {
    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find_by_cin()
        .with(eq("AB123456"))
        .returning(|_| Ok(Some(client(Some("+212612345678"), Some("h@x.ma")))));
    uow.otp_challenges
        .expect_replace_for_client()
        .withf(|c| {
            c.client_id == "cli_1"
                && c.channel == OtpChannel::Sms
                && c.code_hash == "hash-of-123456"
                && c.attempts_left == 5
                && c.expires_at == datetime!(2026-03-10 09:05 UTC)
                && c.consumed_at.is_none()
                && c.id.as_str().starts_with("otp_")
        })
        .times(1)
        .returning(|_| Ok(()));
    let mut sender = sms_and_email_sender();
    sender
        .expect_send()
        .withf(|m| {
            m.to == "+212612345678"
                && m.code == "123456"
                && m.text.contains("123456")
                && m.masked_destination == "06••••••78"
        })
        .times(1)
        .returning(|_| Ok(()));
    let mut tokens = MockTokenService::new();
    tokens.expect_issue().never();
    let d = service(uow, sender, tokens);
    let Ok(CinProof::Challenge(issued)) = d.service.verify_cin("ab123456") else {
        panic!("expected a challenge with the one-time code on");
    };
    assert_eq!(issued.channel, OtpChannel::Sms);
    assert_eq!(issued.masked_destination, "06••••••78");
    assert_eq!(issued.expires_at, datetime!(2026-03-10 09:05 UTC));
}

#[test]
fn without_a_mobile_the_code_goes_by_e_mail_and_without_either_nothing_is_sent() {
    let mut uow = MockUnitOfWork::default();
    uow.clients.expect_find_by_cin().returning(|_| {
        Ok(Some(client(
            Some("+212537000000"),
            Some("hajar@example.ma"),
        )))
    });
    uow.otp_challenges
        .expect_replace_for_client()
        .withf(|c| c.channel == OtpChannel::Email)
        .returning(|_| Ok(()));
    let mut sender = sms_and_email_sender();
    sender
        .expect_send()
        .withf(|m| m.to == "hajar@example.ma" && m.masked_destination == "h•••@example.ma")
        .times(1)
        .returning(|_| Ok(()));
    let d = service(uow, sender, MockTokenService::new());
    assert!(matches!(
        d.service.verify_cin("AB123456"),
        Ok(CinProof::Challenge(OtpIssued {
            channel: OtpChannel::Email,
            ..
        }))
    ));

    let mut uow = MockUnitOfWork::default();
    uow.clients
        .expect_find_by_cin()
        .returning(|_| Ok(Some(client(None, Some("hajar@example.ma")))));
    uow.otp_challenges.expect_replace_for_client().never();
    let mut sms_only = MockOtpSender::new();
    sms_only
        .expect_supports()
        .returning(|channel| channel == OtpChannel::Sms);
    sms_only.expect_send().never();
    let d = service(uow, sms_only, MockTokenService::new());
    assert!(matches!(
        d.service.verify_cin("AB123456"),
        Err(Error::Rule(RuleViolation::OtpNoDestination))
    ));
}

#[test]
fn the_right_code_is_spent_once_and_gives_the_lookup_token_of_the_clients_cin() {
    let mut uow = MockUnitOfWork::default();
    uow.otp_challenges
        .expect_find_for_update()
        .with(eq(OtpChallengeId::from_stored(CHALLENGE)))
        .returning(|_| Ok(Some(challenge(5))));
    uow.otp_challenges
        .expect_update()
        .withf(|c| c.consumed_at == Some(NOW) && c.attempts_left == 5)
        .times(1)
        .returning(|_| Ok(()));
    uow.clients
        .expect_find()
        .with(eq(ClientId::from_stored("cli_1")))
        .returning(|_| Ok(Some(client(Some("+212612345678"), None))));
    let mut tokens = MockTokenService::new();
    tokens
        .expect_issue()
        .with(
            eq(TokenPurpose::Lookup),
            eq("AB123456"),
            eq(datetime!(2026-03-10 09:15 UTC)),
        )
        .returning(|_, _, _| "signed".into());
    let d = service(uow, MockOtpSender::new(), tokens);
    let verified = d.service.confirm_cin(&challenge_id(), "123456").unwrap();
    assert_eq!(verified.lookup_token, "signed");
    assert_eq!(verified.last_name_initial, "B.");
}

#[test]
fn a_wrong_code_spends_an_attempt_and_that_is_committed() {
    let mut uow = MockUnitOfWork::default();
    uow.otp_challenges
        .expect_find_for_update()
        .returning(|_| Ok(Some(challenge(2))));
    uow.otp_challenges
        .expect_update()
        .withf(|c| c.attempts_left == 1 && c.consumed_at.is_none())
        .times(1)
        .returning(|_| Ok(()));
    uow.clients.expect_find().never();
    let d = service(uow, MockOtpSender::new(), MockTokenService::new());
    assert!(matches!(
        d.service.confirm_cin(&challenge_id(), "654321"),
        Err(Error::Rule(RuleViolation::OtpInvalid { attempts_left: 1 }))
    ));
    assert_eq!(d.tx.commit_count(), 1);
}

#[test]
fn expired_used_or_exhausted_challenges_refuse_even_the_right_code() {
    let spent = [
        OtpChallenge {
            expires_at: NOW,
            ..challenge(5)
        },
        OtpChallenge {
            consumed_at: Some(NOW - Duration::minutes(1)),
            ..challenge(5)
        },
        challenge(0),
    ];
    for stored in spent {
        let mut uow = MockUnitOfWork::default();
        uow.otp_challenges
            .expect_find_for_update()
            .returning(move |_| Ok(Some(stored.clone())));
        uow.otp_challenges.expect_update().never();
        let mut tokens = MockTokenService::new();
        tokens.expect_issue().never();
        let d = service(uow, MockOtpSender::new(), tokens);
        assert!(matches!(
            d.service.confirm_cin(&challenge_id(), "123456"),
            Err(Error::Rule(RuleViolation::OtpExpired))
        ));
    }
}

#[test]
fn malformed_codes_spend_nothing_and_unknown_challenges_are_not_found() {
    let mut uow = MockUnitOfWork::default();
    uow.otp_challenges
        .expect_find_for_update()
        .with(eq(OtpChallengeId::from_stored(CHALLENGE)))
        .times(1)
        .returning(|_| Ok(None));
    let d = service(uow, MockOtpSender::new(), MockTokenService::new());
    for bad in ["12345", "1234567", "12a456", ""] {
        assert!(matches!(
            d.service.confirm_cin(&challenge_id(), bad),
            Err(Error::Validation(e)) if e[0].field == "code"
        ));
    }
    assert!(matches!(
        d.service.confirm_cin(&challenge_id(), "123456"),
        Err(Error::NotFound(Resource::OtpChallenge))
    ));
}

#[test]
fn destinations_are_masked() {
    assert_eq!(
        mask_destination(OtpChannel::Sms, "+212612345678"),
        "06••••••78"
    );
    assert_eq!(
        mask_destination(OtpChannel::Email, "hajar@example.ma"),
        "h•••@example.ma"
    );
}
