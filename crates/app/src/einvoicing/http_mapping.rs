//! How a submission travels to the DGI platform and how its answer reads, in one place, so
//! it can follow the official specification once published (decision 0314). Until then:
//! the UBL is POSTed as `application/xml` with the document's identity in headers, and the
//! platform answers JSON.
//!
//! - 200/201 `{"status": "cleared", "reference", "verification_code", "cleared_at"?}`:
//!   cleared (`cleared_at`, RFC 3339, defaults to the time of the answer);
//! - 200 `{"status": "rejected", "reasons": [...]}`, or 400/422 with `reasons`: rejected;
//! - anything else (408, 429, 5xx, other 4xx, an unreadable body, no answer): unavailable,
//!   submitted again after the backoff, the cause shown as the last error.

use domain::einvoicing::{Submission, Verdict};
use serde::Deserialize;
use time::OffsetDateTime;

/// Longest answer read; a clearance answer is a few hundred bytes.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024;

/// The headers of a submission: the same document id on every attempt, so the platform
/// can recognise a retry (`Idempotency-Key`).
pub fn headers(submission: &Submission) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", "application/xml; charset=utf-8".to_owned()),
        ("Accept", "application/json".to_owned()),
        ("Idempotency-Key", submission.document_id.clone()),
        ("X-Document-Kind", submission.kind.as_str().to_owned()),
        ("X-Document-Number", submission.number.clone()),
        ("X-Seller-ICE", submission.seller_ice.clone()),
    ]
}

#[derive(Debug, Deserialize)]
struct Answer {
    status: Option<String>,
    reference: Option<String>,
    verification_code: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    cleared_at: Option<OffsetDateTime>,
    #[serde(default)]
    reasons: Vec<String>,
}

/// The verdict an answer carries; `now` is when it came.
pub fn verdict(status: u16, body: &str, now: OffsetDateTime) -> Verdict {
    let unavailable = |error: String| Verdict::Unavailable { error };
    let parsed = serde_json::from_str::<Answer>(body);
    match (status, parsed) {
        (200 | 201, Ok(answer)) => match answer.status.as_deref() {
            Some("cleared") => match (answer.reference, answer.verification_code) {
                (Some(reference), Some(verification_code))
                    if !reference.trim().is_empty() && !verification_code.trim().is_empty() =>
                {
                    Verdict::Cleared {
                        reference,
                        verification_code,
                        cleared_at: answer.cleared_at.unwrap_or(now),
                    }
                }
                _ => unavailable(
                    "the platform cleared the document without a reference or a code".into(),
                ),
            },
            Some("rejected") => rejected(answer.reasons),
            other => unavailable(format!("the platform answered the status {other:?}")),
        },
        (400 | 422, Ok(answer)) => rejected(answer.reasons),
        (200 | 201 | 400 | 422, Err(error)) => unavailable(format!(
            "answered {status} with an unreadable body: {error}"
        )),
        (other, _) => unavailable(format!("answered {other}")),
    }
}

fn rejected(reasons: Vec<String>) -> Verdict {
    Verdict::Rejected {
        reasons: if reasons.is_empty() {
            vec!["rejected without a reason".into()]
        } else {
            reasons
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);

    #[test]
    fn a_clearance_reads_its_reference_code_and_instant() {
        let body = r#"{"status":"cleared","reference":"DGI-1","verification_code":"V1","cleared_at":"2026-03-10T08:59:00Z"}"#;
        assert_eq!(
            verdict(200, body, NOW),
            Verdict::Cleared {
                reference: "DGI-1".into(),
                verification_code: "V1".into(),
                cleared_at: datetime!(2026-03-10 08:59 UTC),
            }
        );
        let without_instant =
            r#"{"status":"cleared","reference":"DGI-1","verification_code":"V1"}"#;
        assert!(matches!(
            verdict(201, without_instant, NOW),
            Verdict::Cleared { cleared_at, .. } if cleared_at == NOW
        ));
    }

    #[test]
    fn a_rejection_keeps_its_reasons_whichever_way_it_comes() {
        let expected = Verdict::Rejected {
            reasons: vec!["ICE inconnu".into()],
        };
        let body = r#"{"status":"rejected","reasons":["ICE inconnu"]}"#;
        assert_eq!(verdict(200, body, NOW), expected);
        assert_eq!(
            verdict(422, r#"{"reasons":["ICE inconnu"]}"#, NOW),
            expected
        );
        assert_eq!(
            verdict(400, "{}", NOW),
            Verdict::Rejected {
                reasons: vec!["rejected without a reason".into()]
            }
        );
    }

    #[test]
    fn anything_short_of_a_verdict_is_unavailable() {
        for (status, body) in [
            (503, ""),
            (429, ""),
            (401, r#"{"reasons":["token"]}"#),
            (200, "<html>"),
            (200, r#"{"status":"cleared","reference":"DGI-1"}"#),
            (200, r#"{"status":"queued"}"#),
        ] {
            assert!(
                matches!(verdict(status, body, NOW), Verdict::Unavailable { .. }),
                "{status} {body}"
            );
        }
    }
}
