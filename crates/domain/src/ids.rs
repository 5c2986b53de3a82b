//! The `IdGenerator` port and the type prefixes of public identifiers.

use rand::rngs::OsRng;
use rand::{Rng, RngCore};

/// Type prefixes of resource ids (`ofr_01J…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum IdKind {
    Actor,
    Offer,
    Client,
    Subscriber,
    Contract,
    AuditEntry,
    Draft,
    BillingRun,
    Invoice,
    Payment,
    CollectionCase,
    CaseAction,
    OtpChallenge,
    CreditNote,
    Refund,
    PaymentReversal,
    LedgerAuditEntry,
    PaymentImport,
    UnidentifiedReceipt,
    PendingCharge,
    Event,
    WebhookEndpoint,
    WebhookDelivery,
}

impl IdKind {
    /// The prefix, including its trailing underscore.
    pub fn prefix(self) -> &'static str {
        match self {
            IdKind::Actor => "act_",
            IdKind::Offer => "ofr_",
            IdKind::Client => "cli_",
            IdKind::Subscriber => "sub_",
            IdKind::Contract => "ctr_",
            IdKind::AuditEntry => "aud_",
            IdKind::Draft => "drf_",
            IdKind::BillingRun => "run_",
            IdKind::Invoice => "inv_",
            IdKind::Payment => "pay_",
            IdKind::CollectionCase => "case_",
            IdKind::CaseAction => "cact_",
            IdKind::OtpChallenge => "otp_",
            IdKind::CreditNote => "cn_",
            IdKind::Refund => "rfd_",
            IdKind::PaymentReversal => "rev_",
            IdKind::LedgerAuditEntry => "lau_",
            IdKind::PaymentImport => "imp_",
            IdKind::UnidentifiedReceipt => "rcp_",
            IdKind::PendingCharge => "pch_",
            IdKind::Event => "evt_",
            IdKind::WebhookEndpoint => "whe_",
            IdKind::WebhookDelivery => "whd_",
        }
    }

    /// Whether `id` is this kind's prefix followed by 26 Crockford base-32 characters (a
    /// ULID, or a [`IdGenerator::secret`] written the same way).
    pub fn matches(self, id: &str) -> bool {
        id.strip_prefix(self.prefix())
            .is_some_and(|rest| ulid::Ulid::from_string(rest).is_ok())
    }
}

/// Produces new unique identifiers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait IdGenerator: Send + Sync {
    /// A new id of this kind, e.g. `ctr_01JD…`: sortable by creation time, never a key.
    fn new_id(&self, kind: IdKind) -> String;

    /// A new id that opens its resource on its own (a draft id): 128 bits from the operating
    /// system's random source, derived from nothing else, so it cannot be guessed from any
    /// other id or instant. Written like [`IdGenerator::new_id`] (prefix + 26 Crockford
    /// characters) but carries no time and does not sort.
    fn secret(&self, kind: IdKind) -> String;
}

/// ULID-based ids: 48 bits of milliseconds, then 80 bits that grow by a random step.
#[derive(Debug, Default, Clone, Copy)]
pub struct UlidGenerator;

/// Largest step between two ids of the same millisecond. Ids made one after the other (the
/// audit entries of one use case, which share an instant and are listed by id) still sort in
/// that order, but knowing one id no longer gives the next: it is any of 2^32 values above.
const MAX_STEP: u128 = 1 << 32;

/// The 80-bit random part of a ULID.
const RANDOM_BITS: u32 = 80;

/// The last id made in this process: its millisecond and random part.
static LAST: std::sync::Mutex<(u64, u128)> = std::sync::Mutex::new((0, 0));

impl UlidGenerator {
    fn next_ulid() -> ulid::Ulid {
        let now_ms = u64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0),
        )
        .unwrap_or(u64::MAX);
        let mut last = match LAST.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (last_ms, last_random) = *last;
        let mut rng = rand::thread_rng();
        let stepped = last_random + rng.gen_range(1..=MAX_STEP);
        // A clock that goes back keeps the last millisecond, so ids never sort before older ones.
        let (ms, random) = if now_ms <= last_ms && stepped < (1 << RANDOM_BITS) {
            (last_ms, stepped)
        } else {
            // A new millisecond starts in the lower half, so its steps cannot overflow 80 bits
            // before 2^47 ids.
            (now_ms.max(last_ms + 1), fresh_random(&mut rng))
        };
        *last = (ms, random);
        ulid::Ulid::from_parts(ms, random)
    }
}

fn fresh_random(rng: &mut impl RngCore) -> u128 {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    u128::from_le_bytes(bytes) >> (128 - (RANDOM_BITS - 1))
}

impl IdGenerator for UlidGenerator {
    fn new_id(&self, kind: IdKind) -> String {
        format!("{}{}", kind.prefix(), Self::next_ulid())
    }

    fn secret(&self, kind: IdKind) -> String {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        format!(
            "{}{}",
            kind.prefix(),
            ulid::Ulid::from(u128::from_le_bytes(bytes))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(id: &str, kind: IdKind) -> u128 {
        ulid::Ulid::from_string(&id[kind.prefix().len()..])
            .map(u128::from)
            .unwrap_or_default()
    }

    #[test]
    fn ids_made_in_a_row_sort_in_that_order() {
        let ids: Vec<String> = (0..1000)
            .map(|_| UlidGenerator.new_id(IdKind::AuditEntry))
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert!(ids.iter().all(|id| IdKind::AuditEntry.matches(id)));
    }

    #[test]
    fn ids_made_in_a_row_are_not_one_apart() {
        // 1,000 ids take well under a second, so most share a millisecond: a counter would
        // make them one apart; a random step of up to 2^32 is under 2^16 once in 2^16.
        let values: Vec<u128> = (0..1000)
            .map(|_| value(&UlidGenerator.new_id(IdKind::Draft), IdKind::Draft))
            .collect();
        let close = values
            .windows(2)
            .filter(|pair| pair[1].abs_diff(pair[0]) < 1 << 16)
            .count();
        assert!(close < 5, "{close} of 999 steps under 2^16");
    }

    #[test]
    fn secrets_are_well_formed_and_unrelated_to_each_other() {
        let a = UlidGenerator.secret(IdKind::Draft);
        let b = UlidGenerator.secret(IdKind::Draft);
        assert!(IdKind::Draft.matches(&a) && IdKind::Draft.matches(&b));
        assert_eq!(a.len(), "drf_".len() + 26);
        // Random 128-bit values: being within 2^64 of each other has odds of 2^-63.
        assert!(value(&a, IdKind::Draft).abs_diff(value(&b, IdKind::Draft)) > 1 << 64);
    }
}
