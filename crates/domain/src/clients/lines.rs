//! Use cases of service lines (subscribers): read, list, create, change the identifier.
//! In normal operations provisioning manages lines; these calls are the manual path.

use super::service::get_client_in;
use super::{
    input, ClientService, ClientStatus, ServiceIdentifier, Subscriber, SubscriberFilter,
    SubscriberInput,
};
use crate::error::{Error, Resource, Result, RuleViolation, Validator};
use crate::page::{Page, PageRequest};
use crate::service_type::ServiceType;
use crate::tx::{read, transaction, UnitOfWork};
use crate::typed_ids::{ClientId, SubscriberId};

impl ClientService {
    /// One page of the lines matching `filter`, ordered by id.
    pub fn list_subscribers(
        &self,
        filter: &SubscriberFilter,
        page: &PageRequest,
    ) -> Result<Page<Subscriber>> {
        if filter.lines.as_ref().is_some_and(Vec::is_empty) {
            // The identifier is valid for no service type: no line can have it.
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        let rows = read(self.tx.as_ref(), |uow| uow.subscribers().list(filter, page))?;
        Ok(Page::from_fetched(rows, page, |s| s.id.as_str()))
    }

    /// The line with this id; `NotFound(Subscriber)` when unknown.
    pub fn get_subscriber(&self, id: &SubscriberId) -> Result<Subscriber> {
        read(self.tx.as_ref(), |uow| get_subscriber_in(uow, id))
    }

    /// Creates a line for a client. `Validation` on `service_type` / `service_identifier`;
    /// `NotFound(Client)`; `Rule(ClientInactive)`; `Conflict::ServiceIdentifierExists`.
    pub fn create_subscriber(&self, input: &SubscriberInput) -> Result<Subscriber> {
        let mut v = Validator::new();
        let service_type = v.check("service_type", ServiceType::parse(&input.service_type));
        let identifier = service_type.and_then(|t| {
            input::service_identifier(&mut v, "service_identifier", t, &input.service_identifier)
        });
        let (service_type, identifier) = v.finish_with(service_type.zip(identifier))?;
        // The body's client id is looked up after the fields are validated (a 422 comes
        // before a 404); a malformed one names no client.
        let client_id = ClientId::parse(&input.client_id).ok();
        transaction(self.tx.as_ref(), |uow| {
            let client_id = client_id
                .as_ref()
                .ok_or(Error::NotFound(Resource::Client))?;
            self.create_subscriber_in(uow, client_id, service_type, identifier.clone())
        })
    }

    /// `create_subscriber` with a validated identifier, inside an existing unit of work
    /// (provisioning calls it when the client has no such line yet).
    pub fn create_subscriber_in(
        &self,
        uow: &mut dyn UnitOfWork,
        client_id: &ClientId,
        service_type: ServiceType,
        service_identifier: ServiceIdentifier,
    ) -> Result<Subscriber> {
        let client = get_client_in(uow, client_id)?;
        if client.status == ClientStatus::Inactive {
            return Err(RuleViolation::ClientInactive.into());
        }
        let now = self.clock.now();
        let subscriber = Subscriber {
            id: SubscriberId::generate(self.ids.as_ref()),
            client_id: client.id,
            service_type,
            service_identifier,
            created_at: now,
            updated_at: now,
        };
        uow.subscribers().insert(&subscriber)?;
        Ok(subscriber)
    }

    /// Changes a line's identifier (a number change); its service type and client are
    /// fixed. The line's contracts follow it; documents already produced keep the old
    /// identifier (documents never change). `NotFound(Subscriber)`, `Validation` on
    /// `service_identifier`, `Conflict::ServiceIdentifierExists`.
    pub fn update_subscriber(
        &self,
        id: &SubscriberId,
        service_identifier: &str,
    ) -> Result<Subscriber> {
        transaction(self.tx.as_ref(), |uow| {
            let current = get_subscriber_in(uow, id)?;
            let mut v = Validator::new();
            let identifier = input::service_identifier(
                &mut v,
                "service_identifier",
                current.service_type,
                service_identifier,
            );
            let identifier = v.finish_with(identifier)?;
            let subscriber = Subscriber {
                service_identifier: identifier,
                updated_at: self.clock.now(),
                ..current
            };
            uow.subscribers().update(&subscriber)?;
            Ok(subscriber)
        })
    }
}

/// The line with this id inside an existing unit of work; `NotFound(Subscriber)` when
/// unknown.
pub fn get_subscriber_in(uow: &mut dyn UnitOfWork, id: &SubscriberId) -> Result<Subscriber> {
    uow.subscribers()
        .find(id)?
        .ok_or(Error::NotFound(Resource::Subscriber))
}
