//! Who a document is issued to and by, as fixed when it is issued (decision 0200).

use crate::clients::Client;

/// The buyer as a document prints it: copied from the client when the document is issued and
/// never read from the client again, so a later change of name or address leaves issued
/// documents as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerIdentity {
    /// Full name (a company's name for company accounts).
    pub name: String,
    /// The person's CIN; `None` for a company.
    pub cin: Option<String>,
    /// The company's ICE; `None` for a person.
    pub ice: Option<String>,
    /// Postal address, if known.
    pub address: Option<String>,
    /// City, if known.
    pub city: Option<String>,
}

impl BuyerIdentity {
    /// The buyer `client` is today: the one place that decides what a document says about a
    /// client, so every kind of document prints a client the same way.
    pub fn of(client: &Client) -> BuyerIdentity {
        BuyerIdentity {
            name: client.display_name(),
            cin: client.cin().map(|cin| cin.as_str().to_owned()),
            ice: client
                .identity
                .company()
                .map(|company| company.ice.as_str().to_owned()),
            address: client.address.clone(),
            city: client.city.clone(),
        }
    }

    /// `address, city`, whichever is known, as a document's address line.
    pub fn postal_address(&self) -> Option<String> {
        let parts: Vec<&str> = [self.address.as_deref(), self.city.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The identifier printed beside the name: the ICE of a company, else the CIN.
    pub fn identifier(&self) -> String {
        self.ice
            .as_ref()
            .or(self.cin.as_ref())
            .cloned()
            .unwrap_or_default()
    }
}

/// A stored seller identity ([`crate::documents::SellerIdentity`]): each distinct value is
/// stored once and documents refer to it, so billing thousands of invoices stores none again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SellerIdentityId(i64);

impl SellerIdentityId {
    /// An id read back from storage.
    pub fn from_stored(stored: i64) -> Self {
        Self(stored)
    }

    /// The stored value.
    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::{Cin, ClientStatus, Company, Ice, Identity, Invoicing, Person};
    use crate::typed_ids::ClientId;
    use time::OffsetDateTime;

    fn client(address: Option<&str>, city: Option<&str>) -> Client {
        Client {
            id: ClientId::from_stored("cli_1"),
            identity: Identity::Person(Person {
                cin: Cin::parse("AB123456").expect("cin"),
                first_name: "Amina".into(),
                last_name: "Alaoui".into(),
            }),
            invoicing: Invoicing::PerContract,
            email: None,
            phone: None,
            address: address.map(str::to_owned),
            city: city.map(str::to_owned),
            birth_date: None,
            status: ClientStatus::Active,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_person_is_printed_with_full_name_cin_and_no_ice() {
        let buyer = BuyerIdentity::of(&client(Some("12 rue Atlas"), Some("Rabat")));
        assert_eq!(buyer.name, "Amina Alaoui");
        assert_eq!(buyer.cin.as_deref(), Some("AB123456"));
        assert_eq!(buyer.ice, None);
        assert_eq!(buyer.identifier(), "AB123456");
        assert_eq!(
            buyer.postal_address().as_deref(),
            Some("12 rue Atlas, Rabat")
        );
    }

    #[test]
    fn the_address_line_keeps_whatever_part_is_known() {
        let buyer = BuyerIdentity::of(&client(None, Some("Fès")));
        assert_eq!(buyer.postal_address().as_deref(), Some("Fès"));
        let buyer = BuyerIdentity::of(&client(Some("  "), None));
        assert_eq!(buyer.postal_address(), None);
    }

    #[test]
    fn a_company_is_identified_by_its_ice() {
        let mut company = client(Some("5 bd Zerktouni"), Some("Casablanca"));
        company.identity = Identity::Company(Company {
            company_name: "Atlas Logistique SARL".into(),
            ice: Ice::parse("001234567000089").expect("ice"),
            rc: None,
            tax_id: None,
            legal_representative: None,
        });
        company.invoicing = Invoicing::PerAccount;
        let buyer = BuyerIdentity::of(&company);
        assert_eq!(buyer.name, "Atlas Logistique SARL");
        assert_eq!(buyer.cin, None);
        assert_eq!(buyer.ice.as_deref(), Some("001234567000089"));
        assert_eq!(buyer.identifier(), "001234567000089");
    }
}
