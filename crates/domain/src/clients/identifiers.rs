//! Identity values: the CIN, Moroccan phone numbers and service-line identifiers.

use std::fmt;

use crate::service_type::ServiceType;

/// Moroccan national ID card number: one or two letters then 3 to 8 digits, stored trimmed
/// and upper-case (`AB123456`, `K98765`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cin(String);

impl Cin {
    /// Normalises (trim, upper-case) then validates.
    pub fn parse(raw: &str) -> Result<Cin, String> {
        let cin = raw.trim().to_uppercase();
        let letters = cin.chars().take_while(|c| c.is_ascii_uppercase()).count();
        let digits = &cin[letters..];
        let ok = (1..=2).contains(&letters)
            && (3..=8).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit());
        if ok {
            Ok(Cin(cin))
        } else {
            Err("must be one or two letters followed by 3 to 8 digits, e.g. AB123456".into())
        }
    }

    /// The normalised CIN.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Cin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Moroccan phone number in E.164: `+212` then 9 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Msisdn(String);

impl Msisdn {
    /// Accepts `+212…`, `00212…`, `212…` or the national `0…` form, ignoring spaces, dots
    /// and dashes, and normalises to E.164.
    pub fn parse(raw: &str) -> Result<Msisdn, String> {
        let compact: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+212") {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix("00212") {
            rest.to_owned()
        } else if compact.len() == 12 && compact.starts_with("212") {
            compact[3..].to_owned()
        } else if compact.len() == 10 && compact.starts_with('0') {
            compact[1..].to_owned()
        } else {
            return Err(Self::HINT.into());
        };
        let valid = national.len() == 9
            && national.chars().all(|c| c.is_ascii_digit())
            && matches!(national.as_bytes().first(), Some(b'5' | b'6' | b'7' | b'8'));
        if valid {
            Ok(Msisdn(format!("+212{national}")))
        } else {
            Err(Self::HINT.into())
        }
    }

    const HINT: &'static str =
        "must be a Moroccan number: +212 then 9 digits, or 0 then 9 digits (e.g. 0612345678)";

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a mobile number (`+2126…`, `+2127…`).
    pub fn is_mobile(&self) -> bool {
        matches!(self.0.as_bytes().get(4), Some(b'6' | b'7'))
    }

    /// Whether this is a fixed-line number (`+2125…`).
    pub fn is_landline(&self) -> bool {
        matches!(self.0.as_bytes().get(4), Some(b'5'))
    }
}

/// The identifier of a service line, validated for its service type: mobile and landline
/// lines are E.164 numbers of the right range; internet lines are 4 to 32 of `A-Z 0-9 - _ .`
/// (stored upper-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceIdentifier(String);

impl ServiceIdentifier {
    /// Validates `raw` for `service_type` and normalises it.
    pub fn parse(service_type: ServiceType, raw: &str) -> Result<ServiceIdentifier, String> {
        match service_type {
            ServiceType::Mobile => {
                let number = Msisdn::parse(raw)?;
                if number.is_mobile() {
                    Ok(ServiceIdentifier(number.0))
                } else {
                    Err("a mobile line must be a +2126… or +2127… number".into())
                }
            }
            ServiceType::Landline => {
                let number = Msisdn::parse(raw)?;
                if number.is_landline() {
                    Ok(ServiceIdentifier(number.0))
                } else {
                    Err("a landline must be a +2125… number".into())
                }
            }
            ServiceType::Internet => {
                let id = raw.trim().to_uppercase();
                let ok = (4..=32).contains(&id.len())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
                if ok {
                    Ok(ServiceIdentifier(id))
                } else {
                    Err(
                        "an internet line id must be 4 to 32 letters, digits, `-`, `_` or `.`"
                            .into(),
                    )
                }
            }
        }
    }

    /// The normalised identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier with its middle hidden, for public answers: `+2126•••••12`.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Hides all but the first five and last two characters (`+2126•••••12`).
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 7 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "•".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cin_is_trimmed_and_upper_cased() {
        assert_eq!(Cin::parse(" ab123456 ").map(|c| c.0), Ok("AB123456".into()));
        assert_eq!(Cin::parse("K98765").map(|c| c.0), Ok("K98765".into()));
    }

    #[test]
    fn cin_rejects_bad_shapes() {
        for bad in [
            "",
            "123456",
            "ABC123456",
            "AB12",
            "AB123456789",
            "A-12345",
            "AB12345X",
        ] {
            assert!(Cin::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn national_numbers_become_e164() {
        assert_eq!(
            Msisdn::parse("0612345678").map(|m| m.0),
            Ok("+212612345678".into())
        );
        assert_eq!(
            Msisdn::parse("06 12 34 56 78").map(|m| m.0),
            Ok("+212612345678".into())
        );
        assert_eq!(
            Msisdn::parse("+212712345678").map(|m| m.0),
            Ok("+212712345678".into())
        );
        assert_eq!(
            Msisdn::parse("00212522123456").map(|m| m.0),
            Ok("+212522123456".into())
        );
        assert!(Msisdn::parse("061234567").is_err());
        assert!(Msisdn::parse("+33612345678").is_err());
        assert!(Msisdn::parse("0912345678").is_err());
    }

    #[test]
    fn service_identifier_checks_the_number_range_of_its_type() {
        assert!(ServiceIdentifier::parse(ServiceType::Mobile, "0612345678").is_ok());
        assert!(ServiceIdentifier::parse(ServiceType::Mobile, "0522123456").is_err());
        assert!(ServiceIdentifier::parse(ServiceType::Landline, "0522123456").is_ok());
        assert!(ServiceIdentifier::parse(ServiceType::Landline, "0612345678").is_err());
        assert_eq!(
            ServiceIdentifier::parse(ServiceType::Internet, " adsl-00123 ").map(|s| s.0),
            Ok("ADSL-00123".into())
        );
        assert!(ServiceIdentifier::parse(ServiceType::Internet, "a b").is_err());
    }

    #[test]
    fn masking_keeps_prefix_and_last_two() {
        assert_eq!(mask("+212612345678"), "+2126••••••78");
        assert_eq!(mask("ABC"), "•••");
    }
}
