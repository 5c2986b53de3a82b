//! The fields of a client and of a line as a caller sends them, and their validation.

use time::macros::{date, format_description};
use time::Date;

use super::{Cin, ClientStatus, Email, Msisdn, ServiceIdentifier};
use crate::error::{Result, Validator};
use crate::service_type::ServiceType;
use crate::text::{check_text, TextKind};

/// Longest first or last name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest postal address, in characters.
pub const MAX_ADDRESS_CHARS: usize = 300;
/// Longest city name, in characters.
pub const MAX_CITY_CHARS: usize = 100;
/// Earliest birth date accepted.
pub const EARLIEST_BIRTH_DATE: Date = date!(1900 - 01 - 01);

/// A client as sent to `POST /customers` and `PUT /customers/{client_id}` (a full
/// replacement: omitted optional fields are cleared, `status` defaults to `active`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInput {
    /// National ID (`AB123456`), any case, spaces around ignored.
    pub cin: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Moroccan phone number in any usual form (`06…`, `+212…`).
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    pub birth_date: Option<String>,
    /// `active` or `inactive`; default `active`.
    pub status: Option<String>,
}

/// Validated client fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFields {
    /// Normalised CIN.
    pub cin: Cin,
    /// Trimmed first name.
    pub first_name: String,
    /// Trimmed last name.
    pub last_name: String,
    /// Lower-case e-mail.
    pub email: Option<Email>,
    /// E.164 phone.
    pub phone: Option<Msisdn>,
    /// Trimmed address.
    pub address: Option<String>,
    /// Trimmed city.
    pub city: Option<String>,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Active or inactive.
    pub status: ClientStatus,
}

impl ClientInput {
    /// Validates every field (`today` bounds the birth date) and reports all errors at once.
    pub fn validate(&self, today: Date) -> Result<ClientFields> {
        let mut v = Validator::new();
        let fields = self.check(&mut v, "", today);
        v.finish_with(fields)
    }

    /// Checks every field into `v`, naming them `{prefix}cin`, `{prefix}first_name`… (pass
    /// `"client."` when the client is nested in a larger request); the fields when all are
    /// valid. Blank optional fields count as absent.
    pub fn check(&self, v: &mut Validator, prefix: &str, today: Date) -> Option<ClientFields> {
        let field = |name: &str| format!("{prefix}{name}");
        let cin = v.check(&field("cin"), Cin::parse(&self.cin));
        let first_name = v.check(&field("first_name"), name(&self.first_name));
        let last_name = v.check(&field("last_name"), name(&self.last_name));
        let email = v.check(
            &field("email"),
            present(&self.email).map(Email::parse).transpose(),
        );
        let phone = v.check(
            &field("phone"),
            present(&self.phone).map(Msisdn::parse).transpose(),
        );
        let address = v.check(
            &field("address"),
            optional(&self.address, MAX_ADDRESS_CHARS),
        );
        let city = v.check(&field("city"), optional(&self.city, MAX_CITY_CHARS));
        let birth_date = v.check(
            &field("birth_date"),
            present(&self.birth_date)
                .map(|raw| birth_date(raw, today))
                .transpose(),
        );
        let status = v.check(
            &field("status"),
            present(&self.status).map_or(Ok(ClientStatus::Active), ClientStatus::parse),
        );
        Some(ClientFields {
            cin: cin?,
            first_name: first_name?,
            last_name: last_name?,
            email: email?,
            phone: phone?,
            address: address?,
            city: city?,
            birth_date: birth_date?,
            status: status?,
        })
    }
}

/// A new line as sent to `POST /subscribers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriberInput {
    /// Owner, `cli_…`.
    pub client_id: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// Number or line id, validated for the service type.
    pub service_identifier: String,
}

/// The trimmed value, `None` when absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn name(raw: &str) -> std::result::Result<String, String> {
    let value = raw.trim();
    if (1..=MAX_NAME_CHARS).contains(&value.chars().count()) {
        check_text(value, TextKind::Printed)?;
        Ok(value.to_owned())
    } else {
        Err(format!("must be 1 to {MAX_NAME_CHARS} characters"))
    }
}

/// Address and city are printed on contracts and invoices.
fn optional(value: &Option<String>, max: usize) -> std::result::Result<Option<String>, String> {
    match present(value) {
        Some(v) if v.chars().count() > max => Err(format!("must be at most {max} characters")),
        Some(v) => check_text(v, TextKind::Printed).map(|()| Some(v.to_owned())),
        None => Ok(None),
    }
}

/// `YYYY-MM-DD`, between [`EARLIEST_BIRTH_DATE`] and `today`.
pub fn birth_date(raw: &str, today: Date) -> std::result::Result<Date, String> {
    let date = Date::parse(raw, format_description!("[year]-[month]-[day]"))
        .map_err(|_| "must be a date YYYY-MM-DD".to_owned())?;
    if date > today {
        Err("must not be in the future".into())
    } else if date < EARLIEST_BIRTH_DATE {
        Err("must be 1900-01-01 or later".into())
    } else {
        Ok(date)
    }
}

/// Validates a line's identifier for its service type, naming the field `field`.
pub fn service_identifier(
    v: &mut Validator,
    field: &str,
    service_type: ServiceType,
    raw: &str,
) -> Option<ServiceIdentifier> {
    v.check(field, ServiceIdentifier::parse(service_type, raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const TODAY: Date = date!(2026 - 03 - 10);

    fn input() -> ClientInput {
        ClientInput {
            cin: " ab123456 ".into(),
            first_name: " Hajar ".into(),
            last_name: "Benkirane".into(),
            email: Some(" Hajar@Example.MA ".into()),
            phone: Some("06 12 34 56 78".into()),
            address: Some("  ".into()),
            city: None,
            birth_date: Some("1990-05-17".into()),
            status: None,
        }
    }

    #[test]
    fn identity_and_contact_fields_are_normalised() {
        let fields = input().validate(TODAY).unwrap();
        assert_eq!(fields.cin.as_str(), "AB123456");
        assert_eq!(fields.first_name, "Hajar");
        assert_eq!(fields.email.unwrap().as_str(), "hajar@example.ma");
        assert_eq!(fields.phone.unwrap().as_str(), "+212612345678");
        assert_eq!(fields.address, None, "blank optional fields are absent");
        assert_eq!(fields.birth_date, Some(date!(1990 - 05 - 17)));
        assert_eq!(fields.status, ClientStatus::Active);
    }

    #[test]
    fn nested_fields_are_named_with_their_prefix() {
        let bad = ClientInput {
            cin: "123".into(),
            first_name: "".into(),
            last_name: "x".repeat(MAX_NAME_CHARS + 1),
            email: Some("nope".into()),
            phone: Some("+33612345678".into()),
            address: Some("a".repeat(MAX_ADDRESS_CHARS + 1)),
            city: Some("c".repeat(MAX_CITY_CHARS + 1)),
            birth_date: Some("17/05/1990".into()),
            status: Some("gone".into()),
        };
        let mut v = Validator::new();
        assert!(bad.check(&mut v, "client.", TODAY).is_none());
        let Err(Error::Validation(errors)) = v.finish() else {
            panic!("expected a validation error");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "client.cin",
                "client.first_name",
                "client.last_name",
                "client.email",
                "client.phone",
                "client.address",
                "client.city",
                "client.birth_date",
                "client.status"
            ]
        );
    }

    #[test]
    fn birth_dates_must_be_past_and_plausible() {
        assert!(birth_date("2026-03-10", TODAY).is_ok());
        assert!(birth_date("2026-03-11", TODAY).is_err());
        assert!(birth_date("1899-12-31", TODAY).is_err());
        assert!(birth_date("2026-02-30", TODAY).is_err());
    }
}
