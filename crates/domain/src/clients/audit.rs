//! The client's history: who changed what on a client, before and after (decision 0212).

use std::fmt;

use time::OffsetDateTime;

use super::Client;
use crate::contracts::{fields, Fields};
use crate::typed_ids::{AuditEntryId, ClientId};

/// One append-only entry of a client's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAuditEntry {
    /// `aud_…`.
    pub id: AuditEntryId,
    /// Client concerned.
    pub client_id: ClientId,
    /// When.
    pub at: OffsetDateTime,
    /// Who (`act_…`, `act_… via act_…`, or `landing:<CIN>` for self-service).
    pub actor_id: String,
    /// What happened.
    pub action: ClientAuditAction,
    /// Values before (absent at creation): the fields that changed.
    pub before: Option<Fields>,
    /// Values after: every field at creation, else the fields that changed.
    pub after: Option<Fields>,
}

/// What a client audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAuditAction {
    /// Created (back office or landing subscription).
    Created,
    /// Replaced by a `PUT`.
    Updated,
    /// Changed by a merge patch.
    Patched,
    /// Only its status changed (by `PUT` or `PATCH`).
    StatusChanged,
}

impl ClientAuditAction {
    /// Every action.
    pub const ALL: [ClientAuditAction; 4] = [
        ClientAuditAction::Created,
        ClientAuditAction::Updated,
        ClientAuditAction::Patched,
        ClientAuditAction::StatusChanged,
    ];

    /// Stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuditAction::Created => "created",
            ClientAuditAction::Updated => "updated",
            ClientAuditAction::Patched => "patched",
            ClientAuditAction::StatusChanged => "status_changed",
        }
    }

    /// The action a stored name stands for; `Err` names the unknown value.
    pub fn from_stored(stored: &str) -> Result<ClientAuditAction, String> {
        ClientAuditAction::ALL
            .into_iter()
            .find(|a| a.as_str() == stored)
            .ok_or_else(|| format!("unknown client audit action `{stored}`"))
    }
}

impl fmt::Display for ClientAuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a client is being changed, which names the entry unless only the status moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientChange {
    /// `PUT`: the whole client.
    Replace,
    /// `PATCH`: a merge patch.
    Patch,
}

/// Every field of a client, by its wire name (absent values left out).
pub fn client_snapshot(client: &Client) -> Fields {
    let person = client.identity.person();
    let company = client.identity.company();
    let representative = company.and_then(|c| c.legal_representative.as_ref());
    fields([
        ("kind", Some(client.identity.kind().as_str().to_owned())),
        ("cin", person.map(|p| p.cin.to_string())),
        ("first_name", person.map(|p| p.first_name.clone())),
        ("last_name", person.map(|p| p.last_name.clone())),
        ("company_name", company.map(|c| c.company_name.clone())),
        ("ice", company.map(|c| c.ice.as_str().to_owned())),
        ("rc", company.and_then(|c| c.rc.clone())),
        ("if", company.and_then(|c| c.tax_id.clone())),
        (
            "legal_representative.name",
            representative.map(|r| r.name.clone()),
        ),
        (
            "legal_representative.cin",
            representative.map(|r| r.cin.to_string()),
        ),
        ("invoicing", Some(client.invoicing.as_str().to_owned())),
        (
            "email",
            client.email.as_ref().map(|e| e.as_str().to_owned()),
        ),
        ("phone", client.phone.clone()),
        ("address", client.address.clone()),
        ("city", client.city.clone()),
        ("birth_date", client.birth_date.map(|d| d.to_string())),
        ("status", Some(client.status.as_str().to_owned())),
    ])
}

/// The fields that differ between two snapshots, as (before, after); a field absent on one
/// side is left out of that side (it was or became empty).
pub fn changed_fields(before: &Fields, after: &Fields) -> (Fields, Fields) {
    let value =
        |set: &Fields, name: &str| set.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let mut names: Vec<&str> = before.iter().map(|(n, _)| n.as_str()).collect();
    for (name, _) in after {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let (mut was, mut is) = (Fields::new(), Fields::new());
    for name in names {
        let (old, new) = (value(before, name), value(after, name));
        if old != new {
            was.extend(old.map(|v| (name.to_owned(), v)));
            is.extend(new.map(|v| (name.to_owned(), v)));
        }
    }
    (was, is)
}

/// The action of a change whose differences are `changed` (field names).
pub fn action_of(change: ClientChange, changed: &[&str]) -> ClientAuditAction {
    match (change, changed) {
        (_, ["status"]) => ClientAuditAction::StatusChanged,
        (ClientChange::Replace, _) => ClientAuditAction::Updated,
        (ClientChange::Patch, _) => ClientAuditAction::Patched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn only_changed_fields_are_kept_on_each_side() {
        let before = set(&[("city", "Fès"), ("status", "active"), ("phone", "+212600")]);
        let after = set(&[("city", "Rabat"), ("status", "active"), ("email", "a@b.ma")]);
        let (was, is) = changed_fields(&before, &after);
        assert_eq!(was, set(&[("city", "Fès"), ("phone", "+212600")]));
        assert_eq!(is, set(&[("city", "Rabat"), ("email", "a@b.ma")]));
    }

    #[test]
    fn a_change_of_status_alone_is_a_status_change() {
        assert_eq!(
            action_of(ClientChange::Patch, &["status"]),
            ClientAuditAction::StatusChanged
        );
        assert_eq!(
            action_of(ClientChange::Patch, &["status", "city"]),
            ClientAuditAction::Patched
        );
        assert_eq!(
            action_of(ClientChange::Replace, &["city"]),
            ClientAuditAction::Updated
        );
        for action in ClientAuditAction::ALL {
            assert_eq!(ClientAuditAction::from_stored(action.as_str()), Ok(action));
        }
    }
}
