//! The optional second factor of `verify-cin`: a one-time code sent to the client's
//! registered line or e-mail, exchanged for the lookup token (`landing_otp` setting).
//!
//! A CIN is printed on many documents, so knowing one proves little. With the setting on, the
//! token is only given to whoever can read the code sent to the details already on file.

use time::{Duration, OffsetDateTime};

use super::lookup::client_by_cin;
use super::{CinVerification, LandingService};
use crate::clients::{Cin, Client, Msisdn};
use crate::error::{Error, Resource, Result, RuleViolation};
use crate::tx::transaction;
use crate::typed_ids::{ClientId, OtpChallengeId};

/// Digits of a code.
pub const OTP_DIGITS: usize = 6;
/// Minutes a code stays valid.
pub const OTP_TTL_MINUTES: i64 = 5;
/// Wrong codes accepted before the challenge is spent.
pub const OTP_MAX_ATTEMPTS: i32 = 5;

/// Where a code is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpChannel {
    /// Text message to the client's mobile number.
    Sms,
    /// E-mail to the client's address.
    Email,
}

impl OtpChannel {
    /// Wire name (`sms`, `email`).
    pub fn as_str(self) -> &'static str {
        match self {
            OtpChannel::Sms => "sms",
            OtpChannel::Email => "email",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> std::result::Result<OtpChannel, String> {
        match value {
            "sms" => Ok(OtpChannel::Sms),
            "email" => Ok(OtpChannel::Email),
            other => Err(format!("unknown one-time code channel `{other}`")),
        }
    }
}

/// A code sent to a client, stored only as its keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpChallenge {
    /// `otp_…`.
    pub id: OtpChallengeId,
    /// The client whose CIN was given.
    pub client_id: ClientId,
    /// Where the code went.
    pub channel: OtpChannel,
    /// Keyed hash of the code ([`OtpCodes::hash`](super::OtpCodes::hash)).
    pub code_hash: String,
    /// Wrong codes still accepted; 0 means spent.
    pub attempts_left: i32,
    /// The code stops working at this instant.
    pub expires_at: OffsetDateTime,
    /// When the right code was given (a code works once).
    pub consumed_at: Option<OffsetDateTime>,
    /// When it was sent.
    pub created_at: OffsetDateTime,
}

/// What a sender delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpMessage {
    /// The challenge the code belongs to.
    pub challenge_id: String,
    /// Channel of `to`.
    pub channel: OtpChannel,
    /// E.164 number or e-mail address on file.
    pub to: String,
    /// `to` with most of it hidden, safe for logs.
    pub masked_destination: String,
    /// The code itself.
    pub code: String,
    /// The text to deliver (contains the code).
    pub text: String,
}

/// A challenge started: what the caller may be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpIssued {
    /// Id to confirm with.
    pub challenge_id: String,
    /// Where the code went.
    pub channel: OtpChannel,
    /// The destination with most of it hidden (`06••••••78`, `h•••@example.ma`).
    pub masked_destination: String,
    /// When the code stops working.
    pub expires_at: OffsetDateTime,
}

/// The answer to `verify-cin`: the lookup token directly (setting off) or a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CinProof {
    /// The CIN alone was enough.
    Verified(CinVerification),
    /// A code was sent; confirm it to get the token.
    Challenge(OtpIssued),
}

/// How a confirmation went (decided inside the transaction, answered after it commits so a
/// wrong code still spends its attempt).
enum Confirmation {
    Passed(Box<Client>),
    Wrong { attempts_left: i32 },
    Spent,
}

impl LandingService {
    /// Sends a new code to the client of `cin`, replacing any earlier challenge of theirs.
    ///
    /// Errors: `NotFound(Client)`; `Rule(OtpNoDestination)` when the client has neither a
    /// mobile line nor an e-mail the sender can reach; `Unavailable` when sending failed
    /// (the challenge is stored; asking again replaces it).
    pub(super) fn start_otp(&self, cin: &Cin) -> Result<OtpIssued> {
        let now = self.clock.now();
        let message = transaction(self.tx.as_ref(), |uow| {
            let client = client_by_cin(uow, cin)?;
            let (channel, to) = self
                .otp_destination(&client)
                .ok_or(RuleViolation::OtpNoDestination)?;
            let id = OtpChallengeId::generate(self.ids.as_ref());
            let code = self.otp_codes.generate();
            uow.otp_challenges().replace_for_client(&OtpChallenge {
                id: id.clone(),
                client_id: client.id.clone(),
                channel,
                code_hash: self.otp_codes.hash(&id, &code),
                attempts_left: OTP_MAX_ATTEMPTS,
                expires_at: now + Duration::minutes(OTP_TTL_MINUTES),
                consumed_at: None,
                created_at: now,
            })?;
            Ok(OtpMessage {
                challenge_id: id.to_string(),
                channel,
                masked_destination: mask_destination(channel, &to),
                text: format!(
                    "MT Telecom : votre code de verification est {code}. Il expire dans \
                     {OTP_TTL_MINUTES} minutes. Ne le communiquez a personne."
                ),
                to,
                code,
            })
        })?;
        self.otp_sender.send(&message)?;
        Ok(OtpIssued {
            challenge_id: message.challenge_id,
            channel: message.channel,
            masked_destination: message.masked_destination,
            expires_at: now + Duration::minutes(OTP_TTL_MINUTES),
        })
    }

    /// Exchanges a challenge's code for the lookup token of its client's CIN.
    ///
    /// Errors: `Validation` on `code` (not 6 digits; spends no attempt);
    /// `NotFound(OtpChallenge)` for an unknown or replaced challenge;
    /// `Rule(OtpInvalid { attempts_left })` for a wrong code (the attempt is spent);
    /// `Rule(OtpExpired)` once expired, used, or out of attempts.
    pub fn confirm_cin(
        &self,
        challenge_id: &OtpChallengeId,
        code: &str,
    ) -> Result<CinVerification> {
        let code = code.trim();
        if code.len() != OTP_DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::invalid("code", "must be the 6 digits received"));
        }
        let now = self.clock.now();
        let outcome = transaction(self.tx.as_ref(), |uow| {
            let mut challenge = uow
                .otp_challenges()
                .find_for_update(challenge_id)?
                .ok_or(Error::NotFound(Resource::OtpChallenge))?;
            if challenge.consumed_at.is_some()
                || now >= challenge.expires_at
                || challenge.attempts_left <= 0
            {
                return Ok(Confirmation::Spent);
            }
            if !self
                .otp_codes
                .matches(&challenge.id, code, &challenge.code_hash)
            {
                challenge.attempts_left -= 1;
                uow.otp_challenges().update(&challenge)?;
                return Ok(Confirmation::Wrong {
                    attempts_left: challenge.attempts_left,
                });
            }
            challenge.consumed_at = Some(now);
            uow.otp_challenges().update(&challenge)?;
            let client = uow
                .clients()
                .find(&challenge.client_id)?
                .ok_or(Error::NotFound(Resource::Client))?;
            Ok(Confirmation::Passed(Box::new(client)))
        })?;
        match outcome {
            Confirmation::Passed(client) => Ok(self.lookup_for(&client)),
            Confirmation::Wrong { attempts_left } => {
                Err(RuleViolation::OtpInvalid { attempts_left }.into())
            }
            Confirmation::Spent => Err(RuleViolation::OtpExpired.into()),
        }
    }

    /// The mobile line on file if the sender does SMS, else the e-mail if it does e-mail.
    fn otp_destination(&self, client: &Client) -> Option<(OtpChannel, String)> {
        let mobile = client
            .phone
            .as_deref()
            .and_then(|p| Msisdn::parse(p).ok())
            .filter(Msisdn::is_mobile);
        if let Some(line) = mobile {
            if self.otp_sender.supports(OtpChannel::Sms) {
                return Some((OtpChannel::Sms, line.as_str().to_owned()));
            }
        }
        match &client.email {
            Some(email) if self.otp_sender.supports(OtpChannel::Email) => {
                Some((OtpChannel::Email, email.as_str().to_owned()))
            }
            _ => None,
        }
    }
}

/// `+212612345678` → `06••••••78`; `hajar@example.ma` → `h•••@example.ma`.
pub fn mask_destination(channel: OtpChannel, to: &str) -> String {
    match channel {
        OtpChannel::Sms => {
            let national = match to.strip_prefix("+212") {
                Some(rest) => format!("0{rest}"),
                None => to.to_owned(),
            };
            let chars: Vec<char> = national.chars().collect();
            if chars.len() <= 4 {
                return "•".repeat(chars.len());
            }
            let head: String = chars[..2].iter().collect();
            let tail: String = chars[chars.len() - 2..].iter().collect();
            format!("{head}{}{tail}", "•".repeat(chars.len() - 4))
        }
        OtpChannel::Email => match to.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}•••@{domain}")
            }
            None => "•••".into(),
        },
    }
}

#[cfg(test)]
#[path = "otp_tests.rs"]
mod tests;
