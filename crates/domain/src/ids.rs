//! The `IdGenerator` port and the type prefixes of public identifiers.

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
        }
    }

    /// Whether `id` is this kind's prefix followed by a well-formed ULID.
    pub fn matches(self, id: &str) -> bool {
        id.strip_prefix(self.prefix())
            .is_some_and(|rest| ulid::Ulid::from_string(rest).is_ok())
    }
}

/// Produces new unique identifiers.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
pub trait IdGenerator: Send + Sync {
    /// A new id of this kind, e.g. `ctr_01JD…`.
    fn new_id(&self, kind: IdKind) -> String;
}

/// ULID-based ids: sortable by creation time, 80 random bits.
#[derive(Debug, Default, Clone, Copy)]
pub struct UlidGenerator;

/// One process-wide monotonic source, so ids made one after the other (e.g. the audit
/// entries of one use case, which share an instant) also sort in that order.
static MONOTONIC: std::sync::Mutex<ulid::Generator> = std::sync::Mutex::new(ulid::Generator::new());

impl IdGenerator for UlidGenerator {
    fn new_id(&self, kind: IdKind) -> String {
        let next = match MONOTONIC.lock() {
            Ok(mut generator) => generator.generate().ok(),
            Err(poisoned) => poisoned.into_inner().generate().ok(),
        };
        // The 80 random bits overflow within one millisecond only after 2^79 ids on average;
        // should it happen, a plain (non-monotonic) ULID is still unique.
        format!("{}{}", kind.prefix(), next.unwrap_or_else(ulid::Ulid::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
