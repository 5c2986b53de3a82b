//! The built-in tax authority: checks each document as a clearance platform would (UBL root
//! and namespace, number, payable amount, seller ICE), clears it under a reference and a
//! verification code derived from the document (the same document always gets the same
//! ones), and can be told to reject a document or to be unavailable, for tests and demos.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::clock::Clock;
use domain::einvoicing::{DocumentKind, Submission, TaxAuthority, Verdict};
use sha2::{Digest, Sha256};

/// What the simulator has been told.
#[derive(Debug, Default)]
struct Orders {
    /// Answers `Unavailable` to everything while set.
    unavailable: bool,
    /// Documents (by number) to reject, with the reasons to give.
    rejections: HashMap<String, Vec<String>>,
    /// Numbers submitted so far, in order.
    submitted: Vec<String>,
}

/// Tells a [`Simulator`] what to answer; clones share the same simulator.
#[derive(Debug, Clone, Default)]
pub struct SimulatorHandle {
    orders: Arc<Mutex<Orders>>,
}

impl SimulatorHandle {
    fn with<T>(&self, f: impl FnOnce(&mut Orders) -> T) -> T {
        // A poisoned lock only means a test panicked while holding it; its data is fine.
        let mut orders = self
            .orders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut orders)
    }

    /// Makes the platform unavailable (every submission answers `Unavailable`) or back.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.with(|o| o.unavailable = unavailable);
    }

    /// Rejects the document with this number, for these reasons, whenever it is submitted.
    pub fn reject(&self, number: &str, reasons: &[&str]) {
        self.with(|o| {
            o.rejections.insert(
                number.to_owned(),
                reasons.iter().map(|r| (*r).to_owned()).collect(),
            )
        });
    }

    /// The numbers submitted so far, in order (a retry appears again).
    pub fn submitted(&self) -> Vec<String> {
        self.with(|o| o.submitted.clone())
    }
}

/// The simulator, on the application's clock.
pub struct Simulator {
    clock: Arc<dyn Clock>,
    handle: SimulatorHandle,
}

impl Simulator {
    /// A simulator that clears every valid document, and the handle that steers it.
    pub fn new(clock: Arc<dyn Clock>) -> (Simulator, SimulatorHandle) {
        let handle = SimulatorHandle::default();
        (
            Simulator {
                clock,
                handle: handle.clone(),
            },
            handle,
        )
    }
}

impl TaxAuthority for Simulator {
    fn submit(&self, submission: &Submission) -> Verdict {
        let (unavailable, ordered) = self.handle.with(|o| {
            o.submitted.push(submission.number.clone());
            (o.unavailable, o.rejections.get(&submission.number).cloned())
        });
        if unavailable {
            return Verdict::Unavailable {
                error: "simulator: the platform is unavailable".into(),
            };
        }
        let mut reasons = check(submission);
        reasons.extend(ordered.unwrap_or_default());
        if !reasons.is_empty() {
            return Verdict::Rejected { reasons };
        }
        let reference = format!(
            "SIM-{}-{}",
            submission.issue_date.year(),
            &hex(&Sha256::digest(submission.number.as_bytes()))[..12].to_uppercase()
        );
        let mut code = Sha256::new();
        code.update(reference.as_bytes());
        code.update(&submission.ubl);
        Verdict::Cleared {
            verification_code: hex(&code.finalize())[..32].to_owned(),
            reference,
            cleared_at: self.clock.now(),
        }
    }
}

/// What the platform would refuse in the document; empty when it is valid.
pub fn check(submission: &Submission) -> Vec<String> {
    let mut reasons = Vec::new();
    let Ok(xml) = std::str::from_utf8(&submission.ubl) else {
        return vec!["the document is not UTF-8 text".into()];
    };
    let (root, namespace) = match submission.kind {
        DocumentKind::Invoice => (
            "Invoice",
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        ),
        DocumentKind::CreditNote => (
            "CreditNote",
            "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        ),
    };
    if root_element(xml) != Some(root) || !xml.contains(namespace) {
        reasons.push(format!("the document is not a UBL 2.1 {root}"));
    }
    if !xml.contains(&format!(">{}<", submission.number)) {
        reasons.push(format!(
            "the number {} is not in the document",
            submission.number
        ));
    }
    let payable = element_text(xml, "PayableAmount");
    let expected = format!(
        "{}.{:02}",
        submission.total_incl_tax / 100,
        (submission.total_incl_tax % 100).abs()
    );
    if payable != Some(expected.as_str()) {
        reasons.push(format!(
            "the payable amount {} differs from the total {expected}",
            payable.unwrap_or("(absent)")
        ));
    }
    let ice = &submission.seller_ice;
    if ice.len() != 15 || !ice.bytes().all(|b| b.is_ascii_digit()) || !xml.contains(ice.as_str()) {
        reasons.push(format!(
            "the seller ICE {ice} is not 15 digits stated in the document"
        ));
    }
    reasons
}

/// The name (without prefix) of the first element after the prolog and comments.
fn root_element(xml: &str) -> Option<&str> {
    let mut rest = xml.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<?") {
            rest = &after[after.find("?>")? + 2..];
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else {
            let tag = rest.strip_prefix('<')?;
            let end = tag.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
            let name = &tag[..end];
            return Some(name.rsplit(':').next().unwrap_or(name));
        }
    }
}

/// The text of the first element named `local` (any prefix).
fn element_text<'a>(xml: &'a str, local: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(found) = xml[from..].find(local) {
        let at = from + found;
        let before = xml[..at].chars().last();
        if matches!(before, Some('<' | ':')) && xml[..at].rfind('<') > xml[..at].rfind('>') {
            let open_end = at + xml[at..].find('>')?;
            let text_end = open_end + 1 + xml[open_end + 1..].find('<')?;
            return Some(&xml[open_end + 1..text_end]);
        }
        from = at + local.len();
    }
    None
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const UBL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>FAC-2026-000001</cbc:ID>
  <cbc:CompanyID>001234567000089</cbc:CompanyID>
  <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="MAD">118.80</cbc:PayableAmount></cac:LegalMonetaryTotal>
</Invoice>"#;

    struct Fixed;
    impl Clock for Fixed {
        fn now(&self) -> time::OffsetDateTime {
            datetime!(2026-03-10 09:00 UTC)
        }
    }

    fn submission(ubl: &str, total: i64) -> Submission {
        Submission {
            kind: DocumentKind::Invoice,
            document_id: "inv_1".into(),
            number: "FAC-2026-000001".into(),
            issue_date: date!(2026 - 03 - 01),
            total_incl_tax: total,
            currency: "MAD".into(),
            seller_ice: "001234567000089".into(),
            ubl: ubl.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_valid_document_is_cleared_with_the_same_reference_and_code_every_time() {
        let (simulator, handle) = Simulator::new(Arc::new(Fixed));
        let first = simulator.submit(&submission(UBL, 11_880));
        let second = simulator.submit(&submission(UBL, 11_880));
        assert_eq!(first, second);
        let Verdict::Cleared {
            reference,
            verification_code,
            cleared_at,
        } = first
        else {
            panic!("{first:?}")
        };
        assert!(reference.starts_with("SIM-2026-"));
        assert_eq!(verification_code.len(), 32);
        assert_eq!(cleared_at, datetime!(2026-03-10 09:00 UTC));
        assert_eq!(handle.submitted().len(), 2);
    }

    #[test]
    fn a_document_that_does_not_match_its_facts_is_rejected_with_each_reason() {
        let (simulator, _) = Simulator::new(Arc::new(Fixed));
        let Verdict::Rejected { reasons } = simulator.submit(&submission(UBL, 10_000)) else {
            panic!("a wrong total must be rejected")
        };
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(reasons[0].contains("118.80") && reasons[0].contains("100.00"));
        let not_ubl = simulator.submit(&submission("<Facture>FAC-2026-000001</Facture>", 11_880));
        let Verdict::Rejected { reasons } = not_ubl else {
            panic!("not UBL")
        };
        assert!(reasons.iter().any(|r| r.contains("not a UBL 2.1 Invoice")));
        assert!(reasons.iter().any(|r| r.contains("payable amount")));
    }

    #[test]
    fn the_handle_makes_it_reject_a_number_or_be_unavailable() {
        let (simulator, handle) = Simulator::new(Arc::new(Fixed));
        handle.set_unavailable(true);
        assert!(matches!(
            simulator.submit(&submission(UBL, 11_880)),
            Verdict::Unavailable { .. }
        ));
        handle.set_unavailable(false);
        handle.reject("FAC-2026-000001", &["ICE de l'acheteur inconnu"]);
        assert_eq!(
            simulator.submit(&submission(UBL, 11_880)),
            Verdict::Rejected {
                reasons: vec!["ICE de l'acheteur inconnu".into()]
            }
        );
    }
}
