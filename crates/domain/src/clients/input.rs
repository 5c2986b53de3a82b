//! The fields of a client and of a line as a caller sends them, and their validation.

use time::macros::{date, format_description};
use time::Date;

use super::{
    Cin, ClientKind, ClientStatus, Company, Email, Ice, Identity, Invoicing, LegalRepresentative,
    Msisdn, Person, ServiceIdentifier,
};
use crate::error::{Result, Validator};
use crate::service_type::ServiceType;
use crate::text::{check_text, TextKind};

/// Longest first or last name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest postal address, in characters.
pub const MAX_ADDRESS_CHARS: usize = 300;
/// Longest city name, in characters.
pub const MAX_CITY_CHARS: usize = 100;
/// Longest company name, in characters.
pub const MAX_COMPANY_NAME_CHARS: usize = 200;
/// Longest RC number, in characters.
pub const MAX_RC_CHARS: usize = 30;
/// Earliest birth date accepted.
pub const EARLIEST_BIRTH_DATE: Date = date!(1900 - 01 - 01);

/// A client as sent to `POST /customers` and `PUT /customers/{client_id}` (a full
/// replacement: omitted optional fields are cleared, `status` defaults to `active`).
/// A person sends `cin`, `first_name` and `last_name`; a company (`kind: company`) sends
/// `company_name` and `ice` instead, and may send `rc`, `tax_id` and a representative.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInput {
    /// `person` (default) or `company`.
    pub kind: Option<String>,
    /// A person's national ID (`AB123456`), any case, spaces around ignored.
    pub cin: String,
    /// A person's first name.
    pub first_name: String,
    /// A person's last name.
    pub last_name: String,
    /// A company's registered name.
    pub company_name: Option<String>,
    /// A company's ICE, 15 digits.
    pub ice: Option<String>,
    /// A company's RC number.
    pub rc: Option<String>,
    /// A company's IF (`if` on the wire).
    pub tax_id: Option<String>,
    /// A company's legal representative.
    pub legal_representative: Option<RepresentativeInput>,
    /// `per_contract` or `per_account`; default by kind.
    pub invoicing: Option<String>,
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

/// A company's legal representative as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepresentativeInput {
    /// Full name.
    pub name: String,
    /// National ID.
    pub cin: String,
}

/// Validated client fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFields {
    /// Person or company, normalised.
    pub identity: Identity,
    /// How its contracts are invoiced.
    pub invoicing: Invoicing,
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
        let kind = v.check(
            &field("kind"),
            present(&self.kind).map_or(Ok(ClientKind::Person), ClientKind::parse),
        );
        let identity = match kind {
            Some(ClientKind::Person) => self.check_person(v, prefix),
            Some(ClientKind::Company) => self.check_company(v, prefix),
            None => None,
        };
        let invoicing = v.check(
            &field("invoicing"),
            match (present(&self.invoicing), kind) {
                (Some(raw), _) => Invoicing::parse(raw),
                (None, kind) => Ok(Invoicing::default_for(kind.unwrap_or(ClientKind::Person))),
            },
        );
        if kind == Some(ClientKind::Company) && present(&self.birth_date).is_some() {
            v.push(&field("birth_date"), "a company has no birth date");
        }
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
            identity: identity?,
            invoicing: invoicing?,
            email: email?,
            phone: phone?,
            address: address?,
            city: city?,
            birth_date: birth_date?,
            status: status?,
        })
    }
}

impl ClientInput {
    /// A person: CIN and names required, the company's members absent.
    fn check_person(&self, v: &mut Validator, prefix: &str) -> Option<Identity> {
        let field = |name: &str| format!("{prefix}{name}");
        let cin = v.check(&field("cin"), Cin::parse(&self.cin));
        let first_name = v.check(&field("first_name"), name(&self.first_name));
        let last_name = v.check(&field("last_name"), name(&self.last_name));
        let company_only = [
            ("company_name", present(&self.company_name).is_some()),
            ("ice", present(&self.ice).is_some()),
            ("rc", present(&self.rc).is_some()),
            ("if", present(&self.tax_id).is_some()),
            ("legal_representative", self.legal_representative.is_some()),
        ];
        for (member, sent) in company_only {
            if sent {
                v.push(
                    &field(member),
                    "only a company has this; send kind: company",
                );
            }
        }
        Some(Identity::Person(Person {
            cin: cin?,
            first_name: first_name?,
            last_name: last_name?,
        }))
    }

    /// A company: name and ICE required, the person's members absent.
    fn check_company(&self, v: &mut Validator, prefix: &str) -> Option<Identity> {
        let field = |name: &str| format!("{prefix}{name}");
        for (member, value) in [
            ("cin", &self.cin),
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
        ] {
            if !value.trim().is_empty() {
                v.push(
                    &field(member),
                    "a company has none; its representative goes in legal_representative",
                );
            }
        }
        let company_name = v.check(
            &field("company_name"),
            required(&self.company_name, MAX_COMPANY_NAME_CHARS),
        );
        let ice = v.check(
            &field("ice"),
            Ice::parse(present(&self.ice).unwrap_or_default()),
        );
        let rc = v.check(&field("rc"), optional(&self.rc, MAX_RC_CHARS));
        let tax_id = v.check(&field("if"), present(&self.tax_id).map(tax_id).transpose());
        let representative = match &self.legal_representative {
            Some(r) => {
                let name = v.check(&field("legal_representative.name"), name(&r.name));
                let cin = v.check(&field("legal_representative.cin"), Cin::parse(&r.cin));
                Some(Some(LegalRepresentative {
                    name: name?,
                    cin: cin?,
                }))
            }
            None => Some(None),
        };
        Some(Identity::Company(Company {
            company_name: company_name?,
            ice: ice?,
            rc: rc?,
            tax_id: tax_id?,
            legal_representative: representative?,
        }))
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

/// A required printed text of at most `max` characters.
fn required(value: &Option<String>, max: usize) -> std::result::Result<String, String> {
    match optional(value, max)? {
        Some(v) => Ok(v),
        None => Err(format!("required: 1 to {max} characters")),
    }
}

/// IF (*identifiant fiscal*): 1 to 15 digits.
fn tax_id(raw: &str) -> std::result::Result<String, String> {
    if (1..=15).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_digit()) {
        Ok(raw.to_owned())
    } else {
        Err("must be 1 to 15 digits (identifiant fiscal)".into())
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
            ..ClientInput::default()
        }
    }

    fn company() -> ClientInput {
        ClientInput {
            kind: Some("company".into()),
            company_name: Some(" Atlas Logistique SARL ".into()),
            ice: Some("001525374 000089".into()),
            rc: Some("RC 12345".into()),
            tax_id: Some("40123456".into()),
            legal_representative: Some(RepresentativeInput {
                name: "Karim Alaoui".into(),
                cin: "bk998877".into(),
            }),
            ..ClientInput::default()
        }
    }

    #[test]
    fn identity_and_contact_fields_are_normalised() {
        let fields = input().validate(TODAY).unwrap();
        let person = fields.identity.person().unwrap();
        assert_eq!(person.cin.as_str(), "AB123456");
        assert_eq!(person.first_name, "Hajar");
        assert_eq!(fields.invoicing, Invoicing::PerContract);
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
            ..ClientInput::default()
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
    fn a_company_has_a_name_an_ice_and_is_invoiced_per_account() {
        let fields = company().validate(TODAY).unwrap();
        let Identity::Company(c) = &fields.identity else {
            panic!("expected a company");
        };
        assert_eq!(c.company_name, "Atlas Logistique SARL");
        assert_eq!(c.ice.as_str(), "001525374000089");
        assert_eq!(c.tax_id.as_deref(), Some("40123456"));
        let representative = c.legal_representative.as_ref().unwrap();
        assert_eq!(representative.cin.as_str(), "BK998877");
        assert_eq!(fields.invoicing, Invoicing::PerAccount);
        assert_eq!(fields.identity.display_name(), "Atlas Logistique SARL");
        assert_eq!(fields.identity.cin(), None);
    }

    #[test]
    fn a_company_without_name_or_ice_or_with_a_persons_members_names_each() {
        let bad = ClientInput {
            cin: "AB123456".into(),
            company_name: None,
            ice: Some("12345".into()),
            tax_id: Some("IF-1".into()),
            birth_date: Some("1990-05-17".into()),
            legal_representative: Some(RepresentativeInput::default()),
            invoicing: Some("monthly".into()),
            ..company()
        };
        let Err(Error::Validation(errors)) = bad.validate(TODAY) else {
            panic!("expected a validation error");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "cin",
                "company_name",
                "ice",
                "if",
                "legal_representative.name",
                "legal_representative.cin",
                "invoicing",
                "birth_date"
            ]
        );
    }

    #[test]
    fn a_person_sending_company_members_is_told_to_say_kind_company() {
        let bad = ClientInput {
            ice: Some("001525374000089".into()),
            ..input()
        };
        let Err(Error::Validation(errors)) = bad.validate(TODAY) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors[0].field, "ice");
    }

    #[test]
    fn birth_dates_must_be_past_and_plausible() {
        assert!(birth_date("2026-03-10", TODAY).is_ok());
        assert!(birth_date("2026-03-11", TODAY).is_err());
        assert!(birth_date("1899-12-31", TODAY).is_err());
        assert!(birth_date("2026-02-30", TODAY).is_err());
    }
}
