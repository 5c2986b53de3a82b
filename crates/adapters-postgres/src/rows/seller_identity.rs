//! `seller_identities` rows: each distinct seller identity invoices were issued under.

use diesel::prelude::*;
use domain::documents::SellerIdentity;

use crate::schema::seller_identities;

/// A stored seller identity.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seller_identities)]
pub(crate) struct SellerIdentityRow {
    pub(crate) name: String,
    pub(crate) address: String,
    pub(crate) ice: String,
    pub(crate) if_number: String,
    pub(crate) rc: String,
    pub(crate) tva_number: String,
    pub(crate) tp: String,
    /// Still the migration's placeholder, not yet filled in from the settings.
    pub(crate) pending: bool,
}

impl SellerIdentityRow {
    /// The identity.
    pub(crate) fn into_domain(self) -> SellerIdentity {
        SellerIdentity {
            name: self.name,
            address: self.address,
            ice: self.ice,
            if_number: self.if_number,
            rc: self.rc,
            tva_number: self.tva_number,
            tp: self.tp,
        }
    }
}

/// A new identity (its id from the table's sequence).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = seller_identities)]
pub(crate) struct NewSellerIdentity<'a> {
    pub(crate) name: &'a str,
    pub(crate) address: &'a str,
    pub(crate) ice: &'a str,
    pub(crate) if_number: &'a str,
    pub(crate) rc: &'a str,
    pub(crate) tva_number: &'a str,
    pub(crate) tp: &'a str,
    pub(crate) pending: bool,
}

impl<'a> NewSellerIdentity<'a> {
    /// `seller`, no longer pending.
    pub(crate) fn of(seller: &'a SellerIdentity) -> Self {
        Self {
            name: &seller.name,
            address: &seller.address,
            ice: &seller.ice,
            if_number: &seller.if_number,
            rc: &seller.rc,
            tva_number: &seller.tva_number,
            tp: &seller.tp,
            pending: false,
        }
    }
}
