//! Who a client is: a person (CIN, first and last name) or a company (name, ICE, RC, IF and
//! an optional legal representative), and how its contracts are invoiced (decision 0210).

use super::Cin;

/// Moroccan *Identifiant Commun de l'Entreprise*: exactly 15 digits (spaces ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ice(String);

impl Ice {
    /// Drops spaces, then requires 15 digits.
    pub fn parse(raw: &str) -> Result<Ice, String> {
        let ice: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if ice.len() == 15 && ice.chars().all(|c| c.is_ascii_digit()) {
            Ok(Ice(ice))
        } else {
            Err("must be 15 digits (ICE), e.g. 001525374000089".into())
        }
    }

    /// The 15 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Person or company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKind {
    /// A natural person, identified by CIN.
    Person,
    /// A company, identified by ICE.
    Company,
}

impl ClientKind {
    /// Wire and stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientKind::Person => "person",
            ClientKind::Company => "company",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<ClientKind, String> {
        match value {
            "person" => Ok(ClientKind::Person),
            "company" => Ok(ClientKind::Company),
            other => Err(format!(
                "unknown kind `{other}`; expected person or company"
            )),
        }
    }
}

/// How a client's contracts are invoiced each month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Invoicing {
    /// One invoice per contract (persons' default).
    PerContract,
    /// One invoice per client, its lines grouped by contract (companies' default).
    PerAccount,
}

impl Invoicing {
    /// Wire and stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Invoicing::PerContract => "per_contract",
            Invoicing::PerAccount => "per_account",
        }
    }

    /// Parses a wire name.
    pub fn parse(value: &str) -> Result<Invoicing, String> {
        match value {
            "per_contract" => Ok(Invoicing::PerContract),
            "per_account" => Ok(Invoicing::PerAccount),
            other => Err(format!(
                "unknown invoicing `{other}`; expected per_contract or per_account"
            )),
        }
    }

    /// The default of a kind: persons per contract, companies per account.
    pub fn default_for(kind: ClientKind) -> Invoicing {
        match kind {
            ClientKind::Person => Invoicing::PerContract,
            ClientKind::Company => Invoicing::PerAccount,
        }
    }
}

/// A natural person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// National ID, unique among persons.
    pub cin: Cin,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}

/// The person who signs for a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalRepresentative {
    /// Full name.
    pub name: String,
    /// Their national ID (not a client's: it opens nothing on the landing, decision 0210).
    pub cin: Cin,
}

/// A company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Registered name, printed on its documents.
    pub company_name: String,
    /// ICE, unique among companies.
    pub ice: Ice,
    /// *Registre de commerce* number.
    pub rc: Option<String>,
    /// *Identifiant fiscal* (IF).
    pub tax_id: Option<String>,
    /// Who signs for it.
    pub legal_representative: Option<LegalRepresentative>,
}

/// Who a client is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A person.
    Person(Person),
    /// A company.
    Company(Company),
}

impl Identity {
    /// Person or company.
    pub fn kind(&self) -> ClientKind {
        match self {
            Identity::Person(_) => ClientKind::Person,
            Identity::Company(_) => ClientKind::Company,
        }
    }

    /// The person, for a person.
    pub fn person(&self) -> Option<&Person> {
        match self {
            Identity::Person(person) => Some(person),
            Identity::Company(_) => None,
        }
    }

    /// The company, for a company.
    pub fn company(&self) -> Option<&Company> {
        match self {
            Identity::Person(_) => None,
            Identity::Company(company) => Some(company),
        }
    }

    /// A person's CIN; a company has none.
    pub fn cin(&self) -> Option<&Cin> {
        self.person().map(|p| &p.cin)
    }

    /// The name printed and listed: the company name, or "first last".
    pub fn display_name(&self) -> String {
        match self {
            Identity::Person(p) => format!("{} {}", p.first_name, p.last_name),
            Identity::Company(c) => c.company_name.clone(),
        }
    }

    /// The legal identifier printed on documents: a person's CIN, a company's ICE.
    pub fn legal_id(&self) -> &str {
        match self {
            Identity::Person(p) => p.cin.as_str(),
            Identity::Company(c) => c.ice.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ice_is_fifteen_digits_spaces_ignored() {
        assert_eq!(
            Ice::parse(" 001525374 000089 ").map(|i| i.0),
            Ok("001525374000089".into())
        );
        for bad in ["", "00152537400008", "0015253740000891", "00152537400008A"] {
            assert!(Ice::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn companies_default_to_one_invoice_per_account() {
        assert_eq!(
            Invoicing::default_for(ClientKind::Company),
            Invoicing::PerAccount
        );
        assert_eq!(
            Invoicing::default_for(ClientKind::Person),
            Invoicing::PerContract
        );
        for i in [Invoicing::PerContract, Invoicing::PerAccount] {
            assert_eq!(Invoicing::parse(i.as_str()), Ok(i));
        }
        assert!(ClientKind::parse("firm").is_err());
    }
}
