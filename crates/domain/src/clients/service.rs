//! Use cases of client master data (P3): create, read, search, update, delete clients.
//! The line (subscriber) use cases of the same service are in `lines.rs`.

use std::sync::Arc;

use time::OffsetDateTime;

use super::{Client, ClientFields, ClientFilter, ClientInput};
use crate::clock::Clock;
use crate::error::{Conflict, Error, Resource, Result};
use crate::events::{record, EventPayload};
use crate::ids::IdGenerator;
use crate::page::{Page, PageRequest};
use crate::ports::Ports;
use crate::tx::{read, transaction, TransactionRunner, UnitOfWork};
use crate::typed_ids::ClientId;

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

    /// Creates a client. `Validation` naming each bad field; `Conflict::CinAlreadyExists`
    /// (also when two requests race with the same CIN: the unique constraint decides).
    pub fn create_client(&self, input: &ClientInput) -> Result<Client> {
        let fields = input.validate(self.clock.today())?;
        transaction(self.tx.as_ref(), |uow| {
            self.create_client_in(uow, fields.clone())
        })
    }

    /// `create_client` with validated fields, inside an existing unit of work.
    pub fn create_client_in(
        &self,
        uow: &mut dyn UnitOfWork,
        fields: ClientFields,
    ) -> Result<Client> {
        let now = self.clock.now();
        let client = build(ClientId::generate(self.ids.as_ref()), fields, now, now);
        uow.clients().insert(&client)?;
        record(
            uow,
            self.ids.as_ref(),
            now,
            None,
            EventPayload::ClientCreated(client.clone()),
        )?;
        Ok(client)
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

    /// Replaces every field of a client (omitted optional fields are cleared).
    /// `NotFound(Client)`, `Validation`, `Conflict::CinAlreadyExists`.
    pub fn update_client(&self, id: &ClientId, input: &ClientInput) -> Result<Client> {
        let fields = input.validate(self.clock.today())?;
        transaction(self.tx.as_ref(), |uow| {
            self.update_client_in(uow, id, fields.clone())
        })
    }

    /// `update_client` with validated fields, inside an existing unit of work.
    pub fn update_client_in(
        &self,
        uow: &mut dyn UnitOfWork,
        id: &ClientId,
        fields: ClientFields,
    ) -> Result<Client> {
        let current = get_client_in(uow, id)?;
        let now = self.clock.now();
        let client = build(current.id, fields, current.created_at, now);
        uow.clients().update(&client)?;
        record(
            uow,
            self.ids.as_ref(),
            now,
            None,
            EventPayload::ClientUpdated(client.clone()),
        )?;
        Ok(client)
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
        cin: fields.cin,
        first_name: fields.first_name,
        last_name: fields.last_name,
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
