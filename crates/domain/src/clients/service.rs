//! Use cases of client master data (P3): create, read, search, update, delete clients.
//! The line (subscriber) use cases of the same service are in `lines.rs`.

use std::sync::Arc;

use time::OffsetDateTime;

use super::audit::{action_of, changed_fields, client_snapshot};
use super::{
    Client, ClientAuditAction, ClientAuditEntry, ClientChange, ClientFields, ClientFilter,
    ClientInput,
};
use crate::clock::Clock;
use crate::contracts::Fields;
use crate::error::{Conflict, Error, Resource, Result};
use crate::events::{record, EventPayload};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::{AuditEntryId, ClientId};

/// Clients and their lines.
#[derive(Clone)]
pub struct ClientService {
    pub(super) tx: Arc<dyn TransactionRunner>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) ids: Arc<dyn IdGenerator>,
}

impl ClientService {
    /// Wires the service to its ports.
    pub fn new(ports: &Ports) -> Self {
        Self {
            tx: ports.tx.clone(),
            clock: ports.clock.clone(),
            ids: ports.ids.clone(),
        }
    }

    /// Creates a client on behalf of `actor` (recorded in its history). `Validation`
    /// naming each bad field; `Conflict::CinAlreadyExists` / `IceAlreadyExists` (also when
    /// two requests race with the same CIN or ICE: the unique constraint decides).
    pub fn create_client(&self, actor: &str, input: &ClientInput) -> Result<Client> {
        let fields = input.validate(self.clock.today())?;
        transaction(self.tx.as_ref(), |uow| {
            self.create_client_in(uow, actor, fields.clone())
        })
    }

    /// `create_client` with validated fields, inside an existing unit of work.
    pub fn create_client_in(
        &self,
        uow: &mut dyn UnitOfWork,
        actor: &str,
        fields: ClientFields,
    ) -> Result<Client> {
        let now = self.clock.now();
        let client = build(ClientId::generate(self.ids.as_ref()), fields, now, now);
        uow.clients().insert(&client)?;
        // The history entry and the `client.created` event are written with the client.
        self.audit(
            uow,
            &client,
            actor,
            ClientAuditAction::Created,
            None,
            client_snapshot(&client),
        )?;
        record(
            uow,
            self.ids.as_ref(),
            now,
            Some(actor),
            EventPayload::ClientCreated(client.clone()),
        )?;
        Ok(client)
    }

    /// The client's history, oldest first; `NotFound(Client)` when unknown.
    pub fn audit_trail(&self, id: &ClientId) -> Result<Vec<ClientAuditEntry>> {
        read(self.tx.as_ref(), |uow| {
            get_client_in(uow, id)?;
            uow.clients().audit_trail(id)
        })
    }

    fn audit(
        &self,
        uow: &mut dyn UnitOfWork,
        client: &Client,
        actor: &str,
        action: ClientAuditAction,
        before: Option<Fields>,
        after: Fields,
    ) -> Result<()> {
        uow.clients().append_audit(&ClientAuditEntry {
            id: AuditEntryId::generate(self.ids.as_ref()),
            client_id: client.id.clone(),
            at: client.updated_at,
            actor_id: actor.to_owned(),
            action,
            before,
            after: Some(after),
        })
    }

    /// The client with this id; `NotFound(Client)` when unknown.
    pub fn get_client(&self, id: &ClientId) -> Result<Client> {
        read(self.tx.as_ref(), |uow| get_client_in(uow, id))
    }

    /// One page of the clients matching `filter`, ordered by id.
    pub fn list_clients(&self, filter: &ClientFilter, page: &PageRequest) -> Result<Page<Client>> {
        let rows = read(self.tx.as_ref(), |uow| uow.clients().list(filter, page))?;
        Ok(Page::from_fetched(rows, page, |c| c.id.as_str()))
    }

    /// Replaces every field of a client (omitted optional fields are cleared) on behalf of
    /// `actor`; the history records the fields that changed, if any, as a `change`.
    /// `NotFound(Client)`, `Validation`, `Conflict::CinAlreadyExists` / `IceAlreadyExists`.
    pub fn update_client(
        &self,
        actor: &str,
        id: &ClientId,
        input: &ClientInput,
        change: ClientChange,
    ) -> Result<Client> {
        let fields = input.validate(self.clock.today())?;
        transaction(self.tx.as_ref(), |uow| {
            let current = get_client_in(uow, id)?;
            let client = build(
                current.id.clone(),
                fields.clone(),
                current.created_at,
                self.clock.now(),
            );
            let (before, after) =
                changed_fields(&client_snapshot(&current), &client_snapshot(&client));
            if before.is_empty() && after.is_empty() {
                // Nothing changed: no write, no history entry.
                return Ok(current);
            }
            uow.clients().update(&client)?;
            let mut names: Vec<&str> = before.iter().map(|(n, _)| n.as_str()).collect();
            names.extend(
                after
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .filter(|n| !before.iter().any(|(b, _)| b == n)),
            );
            let action = action_of(change, &names);
            self.audit(
                uow,
                &client,
                actor,
                action,
                Some(before.clone()),
                after.clone(),
            )?;
            record(
                uow,
                self.ids.as_ref(),
                client.updated_at,
                Some(actor),
                EventPayload::ClientUpdated(client.clone()),
            )?;
            Ok(client)
        })
    }

    /// Deletes a client without history, together with its lines (a line no contract ever
    /// used is not history). `Conflict::ClientDeleteBlocked` when any contract, invoice,
    /// payment or collection case belongs to the client; `NotFound(Client)` when unknown.
    pub fn delete_client(&self, id: &ClientId) -> Result<()> {
        transaction(self.tx.as_ref(), |uow| {
            get_client_in(uow, id)?;
            if uow.clients().has_history(id)? {
                return Err(Conflict::ClientDeleteBlocked.into());
            }
            uow.subscribers().delete_for_client(id)?;
            uow.clients().delete(id)
        })
    }
}

/// The client with this id inside an existing unit of work; `NotFound(Client)` when unknown.
pub fn get_client_in(uow: &mut dyn UnitOfWork, id: &ClientId) -> Result<Client> {
    uow.clients()
        .find(id)?
        .ok_or(Error::NotFound(Resource::Client))
}

fn build(
    id: ClientId,
    fields: ClientFields,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
) -> Client {
    Client {
        id,
        identity: fields.identity,
        invoicing: fields.invoicing,
        email: fields.email,
        phone: fields.phone.map(|p| p.as_str().to_owned()),
        address: fields.address,
        city: fields.city,
        birth_date: fields.birth_date,
        status: fields.status,
        created_at,
        updated_at,
    }
}
