//! Signed, expiring links to one contract's documents (P8 step 3, P10).

use time::{Duration, OffsetDateTime};

use super::lookup::parse_cin;
use super::LandingService;
use crate::error::{Error, Resource, Result};
use crate::tokens::TokenPurpose;
use crate::tx::{transaction, UnitOfWork};
use crate::typed_ids::{ClientId, ContractId};

/// A document token of one contract and when it expires. The driving adapter turns it into
/// a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    /// The contract whose documents the token opens (and no other).
    pub contract_id: String,
    /// Signed token.
    pub token: String,
    /// End of validity (`document_link_ttl_days` after issue).
    pub expires_at: OffsetDateTime,
}

impl LandingService {
    /// A fresh link to `contract_id`'s documents, without any check: for use cases that have
    /// just proven ownership (`submit/new`, `submit/plan-change`).
    pub fn issue_document_link(&self, contract_id: &ContractId) -> DocumentLink {
        let expires_at =
            self.clock.now() + Duration::days(self.settings.document_link_ttl_days.max(1));
        DocumentLink {
            contract_id: contract_id.to_string(),
            token: self.tokens.issue(
                TokenPurpose::ContractDocument,
                contract_id.as_str(),
                expires_at,
            ),
            expires_at,
        }
    }

    /// A link for the owner of a contract, proven by CIN. A malformed CIN fails validation
    /// on `cin`; an unknown contract, or one the CIN does not own, is `NotFound(Contract)`
    /// either way, so the answer reveals nothing. `contract` is `None` when the caller sent a
    /// malformed id: it is judged after the CIN, like an unknown contract, so that the order
    /// of the answers tells nothing about the id (decision 0135).
    pub fn document_link(
        &self,
        contract: Option<&ContractId>,
        raw_cin: &str,
    ) -> Result<DocumentLink> {
        let cin = parse_cin("cin", raw_cin)?;
        let id = contract.ok_or(Error::NotFound(Resource::Contract))?;
        transaction(self.tx.as_ref(), |uow| {
            owned_contract_client(uow, id, cin.as_str())
        })?;
        Ok(self.issue_document_link(id))
    }

    /// A contract document opened by its link's token: `(version, pdf)`, the latest version
    /// when `version` is `None`. `Forbidden` as for [`LandingService::check_document_token`]
    /// (checked first, so nothing is read for a bad token); then
    /// `NotFound(ContractDocument)` for a version never produced.
    pub fn contract_document(
        &self,
        id: &ContractId,
        token: Option<&str>,
        version: Option<i32>,
    ) -> Result<(i32, Vec<u8>)> {
        self.check_document_token(id, token)?;
        self.contracts.document(id, version)
    }

    /// `Ok` when `token` opens `contract_id`'s documents now; `Forbidden` when it is missing,
    /// tampered, expired, or for another document.
    pub fn check_document_token(
        &self,
        contract_id: &ContractId,
        token: Option<&str>,
    ) -> Result<()> {
        let token = token.ok_or(Error::Forbidden)?;
        self.tokens.verify(
            token,
            TokenPurpose::ContractDocument,
            contract_id.as_str(),
            self.clock.now(),
        )
    }
}

/// The id of the client owning `contract_id` when its CIN is `cin`; `NotFound(Contract)`
/// otherwise (unknown contract and foreign contract look the same).
pub(super) fn owned_contract_client(
    uow: &mut dyn UnitOfWork,
    contract_id: &ContractId,
    cin: &str,
) -> Result<ClientId> {
    let contract = uow
        .contracts()
        .find(contract_id)?
        .ok_or(Error::NotFound(Resource::Contract))?;
    let owner = uow.clients().find(&contract.client_id)?;
    match owner {
        Some(client) if client.cin().is_some_and(|c| c.as_str() == cin) => Ok(client.id),
        _ => Err(Error::NotFound(Resource::Contract)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixed_clock, ports, MockTransactions, MockUnitOfWork};
    use crate::tokens::MockTokenService;
    use mockall::predicate::eq;
    use std::sync::Arc;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 UTC);
    const CONTRACT: &str = "ctr_01JD0000000000000000000000";

    fn service(uow: MockUnitOfWork, tokens: MockTokenService) -> LandingService {
        let mut p = ports(MockTransactions::new(uow), fixed_clock(NOW));
        p.tokens = Arc::new(tokens);
        LandingService::over(&p)
    }

    #[test]
    fn links_are_bound_to_one_contract_and_last_seven_days() {
        let mut tokens = MockTokenService::new();
        tokens
            .expect_issue()
            .with(
                eq(TokenPurpose::ContractDocument),
                eq(CONTRACT),
                eq(datetime!(2026-03-17 09:00 UTC)),
            )
            .returning(|_, _, _| "doc-token".into());
        let link = service(MockUnitOfWork::default(), tokens)
            .issue_document_link(&ContractId::from_stored(CONTRACT));
        assert_eq!(link.token, "doc-token");
        assert_eq!(link.expires_at, datetime!(2026-03-17 09:00 UTC));
    }

    #[test]
    fn an_unknown_contract_and_a_malformed_id_look_the_same() {
        let mut uow = MockUnitOfWork::default();
        uow.contracts.expect_find().returning(|_| Ok(None));
        let mut tokens = MockTokenService::new();
        tokens.expect_issue().never();
        let service = service(uow, tokens);
        for id in [Some(ContractId::from_stored(CONTRACT)), None] {
            assert!(matches!(
                service.document_link(id.as_ref(), "AB123456"),
                Err(Error::NotFound(Resource::Contract))
            ));
        }
    }

    #[test]
    fn a_missing_document_token_is_forbidden_without_asking_the_signer() {
        let mut tokens = MockTokenService::new();
        tokens.expect_verify().never();
        assert!(matches!(
            service(MockUnitOfWork::default(), tokens)
                .check_document_token(&ContractId::from_stored(CONTRACT), None),
            Err(Error::Forbidden)
        ));
    }
}
