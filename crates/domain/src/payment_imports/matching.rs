//! What a bank line says about who paid: an invoice number (`FAC-YYYY-NNNNNN`) or a legal
//! identifier (a CIN, or a company's 15-digit ICE) inside free text.

use crate::clients::Cin;

const PREFIX: &str = "FAC-";
/// `FAC-YYYY-NNNNNN`.
const NUMBER_LEN: usize = 15;
/// Digits of an ICE (identifiant commun de l'entreprise).
const ICE_DIGITS: usize = 15;

/// The invoice number that `value` is, exactly (trimmed, any case), upper-case.
pub fn parse_invoice_number(value: &str) -> Result<String, String> {
    let upper = value.trim().to_ascii_uppercase();
    if upper.len() == NUMBER_LEN && is_number_at(upper.as_bytes(), 0) {
        Ok(upper)
    } else {
        Err("must be an invoice number such as FAC-2026-000123".into())
    }
}

/// The first invoice number written inside `text` (not glued to other letters or digits),
/// upper-case.
pub fn invoice_number_in(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    (0..bytes.len()).find_map(|start| {
        let free_before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let end = start + NUMBER_LEN;
        let free_after = bytes.get(end).is_none_or(|b| !b.is_ascii_digit());
        (free_before && free_after && is_number_at(bytes, start))
            .then(|| upper[start..end].to_owned())
    })
}

fn is_number_at(bytes: &[u8], start: usize) -> bool {
    let Some(candidate) = bytes.get(start..start + NUMBER_LEN) else {
        return false;
    };
    candidate.starts_with(PREFIX.as_bytes())
        && candidate[4..8].iter().all(u8::is_ascii_digit)
        && candidate[8] == b'-'
        && candidate[9..].iter().all(u8::is_ascii_digit)
}

/// The words of `text` that may be a client's legal identifier, upper-case, in order and
/// without repeats: a CIN (one or two letters and 3 to 8 digits) or an ICE (15 digits).
pub fn identity_candidates(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let is_ice = word.len() == ICE_DIGITS && word.bytes().all(|b| b.is_ascii_digit());
        let candidate = if is_ice {
            Some(word.to_owned())
        } else {
            Cin::parse(word).ok().map(|cin| cin.as_str().to_owned())
        };
        if let Some(candidate) = candidate {
            if !found.contains(&candidate) {
                found.push(candidate);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_number_field_must_be_one_number() {
        assert_eq!(
            parse_invoice_number(" fac-2026-000123 "),
            Ok("FAC-2026-000123".into())
        );
        for bad in [
            "FAC-2026-00012",
            "FAC-2026-0001234",
            "FAC 2026 000123",
            "2026-000123",
        ] {
            assert!(parse_invoice_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_invoice_number_is_found_inside_a_reference() {
        assert_eq!(
            invoice_number_in("VIR SEPA/fac-2026-000123/loyer"),
            Some("FAC-2026-000123".into())
        );
        assert_eq!(
            invoice_number_in("FAC-2026-000001 FAC-2026-000002"),
            Some("FAC-2026-000001".into())
        );
        assert_eq!(invoice_number_in("XFAC-2026-000123"), None);
        assert_eq!(invoice_number_in("FAC-2026-0001234"), None);
        assert_eq!(invoice_number_in("FAC-2026-00012"), None);
        assert_eq!(
            invoice_number_in("é FAC-2026-000123"),
            Some("FAC-2026-000123".into())
        );
    }

    #[test]
    fn cins_and_ices_are_picked_out_of_free_text() {
        assert_eq!(
            identity_candidates("M. Alaoui ab123456 / ICE 001525263000072, AB123456"),
            vec!["AB123456".to_owned(), "001525263000072".to_owned()]
        );
        assert!(identity_candidates("VIR-2026-11 FAC-2026-000001 SALAIRE").is_empty());
    }
}
