//! The client entity.

use time::{Date, OffsetDateTime};

use super::{Cin, Identity, Invoicing};
use crate::typed_ids::ClientId;

/// An e-mail address (loosely validated: one `@`, a dot in the domain, no spaces), stored
/// trimmed and lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Validates and normalises.
    pub fn parse(raw: &str) -> Result<Email, String> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email.contains(char::is_whitespace)
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid {
            Ok(Email(email))
        } else {
            Err("must be an e-mail address such as name@example.ma".into())
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the client is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientStatus {
    /// Current client.
    Active,
    /// Former or blocked client.
    Inactive,
}

impl ClientStatus {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Active => "active",
            ClientStatus::Inactive => "inactive",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<ClientStatus, String> {
        match value {
            "active" => Ok(ClientStatus::Active),
            "inactive" => Ok(ClientStatus::Inactive),
            other => Err(format!(
                "unknown status `{other}`; expected active or inactive"
            )),
        }
    }
}

/// A client of the operator: a person identified by CIN or a company identified by ICE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// `cli_…`.
    pub id: ClientId,
    /// Person or company, with its identifiers.
    pub identity: Identity,
    /// One invoice per contract or per account.
    pub invoicing: Invoicing,
    /// Contact e-mail.
    pub email: Option<Email>,
    /// Contact phone, E.164.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Active or inactive.
    pub status: ClientStatus,
    /// Creation instant.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Client {
    /// The company name, or `First Last`.
    pub fn display_name(&self) -> String {
        self.identity.display_name()
    }

    /// A person's CIN; a company has none.
    pub fn cin(&self) -> Option<&Cin> {
        self.identity.cin()
    }

    /// The identifier printed on documents: CIN or ICE.
    pub fn legal_id(&self) -> &str {
        self.identity.legal_id()
    }
}
