//! Request and response bodies of the contract endpoints, and their conversions.

use domain::access::split_recorded_who;
use domain::billing::PendingCharge;
use domain::clients::Subscriber;
use domain::contracts::{
    AuditEntry, Contract, ContractChanged, Fields, NewContract, ProvisionContract,
    ProvisionedContract, UpdateOffer, UpdateStatus,
};
use domain::money::incl_tax;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::routes::credit_notes::IssuedCreditNoteResponse;

// Dates travel as `YYYY-MM-DD` (time's own serde form is a tuple).
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// The line to provision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    /// Number or line id, validated for the offer's service type (`0612300000` or
    /// `+212612300000` for mobile).
    #[schema(example = "+212612300000")]
    pub service_identifier: String,
}

/// P4: provision a contract; the line is found or created.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionRequest {
    /// Offer to subscribe to (`ofr_…`).
    pub offer_id: String,
    /// Owner (`cli_…`).
    pub client_id: String,
    /// First day of service, `YYYY-MM-DD`, from 2000 to a year ahead of today.
    #[schema(example = "2026-02-20")]
    pub contract_start_date: String,
    /// 0 to 120; defaults to the offer's commitment.
    pub commitment_months: Option<i32>,
    /// The line.
    pub subscriber: LineRequest,
    /// `auto` (default), `new_subscriber` or `existing_subscriber`.
    #[schema(example = "auto")]
    pub provisioning_intent: Option<String>,
}

impl From<ProvisionRequest> for ProvisionContract {
    fn from(r: ProvisionRequest) -> Self {
        ProvisionContract {
            offer_id: r.offer_id,
            client_id: r.client_id,
            contract_start_date: r.contract_start_date,
            commitment_months: r.commitment_months,
            service_identifier: r.subscriber.service_identifier,
            provisioning_intent: r.provisioning_intent,
        }
    }
}

/// P5: a contract from explicit ids.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContractRequest {
    /// Owner (`cli_…`).
    pub client_id: String,
    /// The client's line (`sub_…`), of the offer's service type.
    pub subscriber_id: String,
    /// Offer (`ofr_…`).
    pub offer_id: String,
    /// First day of service, `YYYY-MM-DD`, from 2000 to a year ahead of today.
    #[schema(example = "2026-02-20")]
    pub contract_start_date: String,
    /// 0 to 120; defaults to the offer's commitment.
    pub commitment_months: Option<i32>,
    /// `pending` or `active` (default).
    pub status: Option<String>,
}

impl From<CreateContractRequest> for NewContract {
    fn from(r: CreateContractRequest) -> Self {
        NewContract {
            client_id: r.client_id,
            subscriber_id: r.subscriber_id,
            offer_id: r.offer_id,
            contract_start_date: r.contract_start_date,
            commitment_months: r.commitment_months,
            status: r.status,
        }
    }
}

/// P6: a status change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStatusRequest {
    /// `pending`, `active`, `suspended`, `terminated` or `cancelled`.
    #[schema(example = "suspended")]
    pub status: String,
    /// Why (kept in the audit trail), at most 500 characters. Line feeds and tabs allowed; no other control,
    /// escape or bidi formatting character.
    pub reason: Option<String>,
    /// `YYYY-MM-DD`. For `terminated`: the last day of service (default today).
    pub effective_date: Option<String>,
    /// When the change falls in a month already invoiced for the contract (a termination
    /// whose next day, or a suspension or reactivation whose `effective_date`, is in it):
    /// `true` corrects those invoices with the change (credit notes; regularisation
    /// charges on the next invoice); absent or `false` answers 409 `period_already_billed`.
    #[serde(default)]
    pub regularize: bool,
}

impl From<UpdateStatusRequest> for UpdateStatus {
    fn from(r: UpdateStatusRequest) -> Self {
        UpdateStatus {
            status: r.status,
            reason: r.reason,
            effective_date: r.effective_date,
        }
    }
}

/// P6: an offer change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOfferRequest {
    /// New offer (`ofr_…`) of the same service type.
    pub offer_id: String,
    /// First day on the new offer, `YYYY-MM-DD` (default today).
    pub effective_date: Option<String>,
    /// When that day falls in a month already invoiced for the contract: `true` corrects
    /// those invoices with the change (a credit note for the old offer's days, a
    /// regularisation charge on the next invoice for the new offer's); absent or `false`
    /// answers 409 `period_already_billed`.
    #[serde(default)]
    pub regularize: bool,
}

impl From<UpdateOfferRequest> for UpdateOffer {
    fn from(r: UpdateOfferRequest) -> Self {
        UpdateOffer {
            offer_id: r.offer_id,
            effective_date: r.effective_date,
        }
    }
}

/// A contract.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractResponse {
    /// `ctr_…`.
    pub id: String,
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// Owner.
    pub client_id: String,
    /// Line.
    pub subscriber_id: String,
    /// Current offer.
    pub offer_id: String,
    /// `mobile`, `internet` or `landline`.
    pub service_type: String,
    /// `pending`, `active`, `suspended`, `terminated` or `cancelled`.
    pub status: String,
    /// Effective start of the current commitment.
    #[serde(with = "iso_date")]
    pub contract_start_date: Date,
    /// Commitment in months.
    pub commitment_months: i32,
    /// End of commitment.
    #[serde(with = "iso_date")]
    pub commitment_end_date: Date,
    /// Monthly price excl. tax (centimes), snapshotted from the offer.
    pub monthly_price: i64,
    /// Monthly price incl. tax (centimes).
    pub monthly_price_incl_tax: i64,
    /// `MAD`.
    pub currency: String,
    /// Tax rate, basis points.
    pub tax_rate_bp: i32,
    /// Last day of service, once terminated.
    #[serde(with = "iso_date::option")]
    pub termination_date: Option<Date>,
    /// Latest document version.
    pub document_version: i32,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<Contract> for ContractResponse {
    fn from(c: Contract) -> Self {
        ContractResponse {
            monthly_price_incl_tax: incl_tax(c.monthly_price.centimes(), c.tax_rate_bp),
            id: c.id.into_string(),
            contract_number: c.contract_number,
            client_id: c.client_id.into_string(),
            subscriber_id: c.subscriber_id.into_string(),
            offer_id: c.offer_id.into_string(),
            service_type: c.service_type.as_str().to_owned(),
            status: c.status.as_str().to_owned(),
            contract_start_date: c.contract_start_date,
            commitment_months: c.commitment_months,
            commitment_end_date: c.commitment_end_date,
            monthly_price: c.monthly_price.centimes(),
            currency: c.currency,
            tax_rate_bp: c.tax_rate_bp,
            termination_date: c.termination_date,
            document_version: c.document_version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A contract after a status or offer change, with the correction of its invoiced months.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractChangeResponse {
    /// The contract's fields.
    #[serde(flatten)]
    pub contract: ContractResponse,
    /// What `regularize: true` did to the months already invoiced; `null` when the change
    /// touched none.
    pub regularisation: Option<RegularisationResponse>,
}

impl From<ContractChanged> for ContractChangeResponse {
    fn from(changed: ContractChanged) -> Self {
        ContractChangeResponse {
            contract: changed.contract.into(),
            regularisation: changed.regularisation.map(|r| RegularisationResponse {
                credit_notes: r
                    .credit_notes
                    .iter()
                    .map(IssuedCreditNoteResponse::from)
                    .collect(),
                pending_charges: r
                    .pending_charges
                    .into_iter()
                    .map(PendingChargeResponse::from)
                    .collect(),
            }),
        }
    }
}

/// The correction of the invoiced months a change fell in.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegularisationResponse {
    /// One credit note per invoice that billed what the change removes, by period.
    pub credit_notes: Vec<IssuedCreditNoteResponse>,
    /// Days the change makes owed, billed as their own lines on the contract's next invoice.
    pub pending_charges: Vec<PendingChargeResponse>,
}

/// A regularisation charge waiting for the contract's next invoice.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PendingChargeResponse {
    /// `pch_…`.
    pub id: String,
    /// The invoice of the month it regularises.
    pub regularised_invoice_id: String,
    /// The line's text, naming the days.
    #[schema(example = "Régularisation changement d'offre du 10/11/2026 au 30/11/2026")]
    pub description: String,
    /// Offer of those days.
    pub offer_id: String,
    /// First day.
    #[serde(with = "iso_date")]
    pub start_date: Date,
    /// Last day (inclusive).
    #[serde(with = "iso_date")]
    pub end_date: Date,
    /// Days.
    pub days: i32,
    /// Amount excl. tax, centimes (its TVA is computed on the invoice, as for any line).
    pub amount_excl_tax: i64,
    /// TVA rate, basis points.
    pub tax_rate_bp: i32,
}

impl From<PendingCharge> for PendingChargeResponse {
    fn from(c: PendingCharge) -> Self {
        PendingChargeResponse {
            id: c.id.into_string(),
            regularised_invoice_id: c.regularised_invoice_id.into_string(),
            description: c.description,
            offer_id: c.offer_id.into_string(),
            start_date: c.start_date,
            end_date: c.end_date,
            days: c.days,
            amount_excl_tax: c.amount_excl_tax.centimes(),
            tax_rate_bp: c.tax_rate_bp,
        }
    }
}

/// The line a provisioned contract is on.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProvisionedLine {
    /// `sub_…`.
    pub id: String,
    /// Owner.
    pub client_id: String,
    /// Service family.
    pub service_type: String,
    /// Normalised identifier (E.164 for phone lines).
    pub service_identifier: String,
    /// Whether provisioning created it.
    pub created: bool,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl ProvisionedLine {
    fn new(s: Subscriber, created: bool) -> Self {
        ProvisionedLine {
            id: s.id.into_string(),
            client_id: s.client_id.into_string(),
            service_type: s.service_type.as_str().to_owned(),
            service_identifier: s.service_identifier.as_str().to_owned(),
            created,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A provisioned contract and its line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProvisionResponse {
    /// The contract's fields.
    #[serde(flatten)]
    pub contract: ContractResponse,
    /// Its line.
    pub subscriber: ProvisionedLine,
}

impl From<ProvisionedContract> for ProvisionResponse {
    fn from(p: ProvisionedContract) -> Self {
        ProvisionResponse {
            contract: p.contract.into(),
            subscriber: ProvisionedLine::new(p.subscriber, p.subscriber_created),
        }
    }
}

/// One page of contracts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractList {
    /// Contracts by id.
    pub items: Vec<ContractResponse>,
    /// Cursor of the next page, `null` on the last.
    pub next_cursor: Option<String>,
}

/// One audit entry.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractAuditEntry {
    /// `aud_…`.
    pub id: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who: `act_…`, `system`, or `landing:<CIN>`.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token; absent
    /// otherwise.
    pub via_gateway: Option<String>,
    /// `created`, `status_changed`, `offer_changed`, `plan_changed`, `document_generated`,
    /// `landing_client_details` (a landing subscription of an existing client: `after`
    /// has `details_used: stored` and `submitted_<field>` for each field the form sent with
    /// another value, `before` the stored values of those fields) or `regularised` (a change
    /// into invoiced months corrected them: `before` names the `invoices`, `after` the
    /// `reason`, the `credit_notes` by number and the `pending_charges` by id with their
    /// amount excl. tax in centimes).
    pub action: String,
    /// Values before the change (`null` at creation).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// Values after the change.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

fn object(fields: Fields) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect(),
    )
}

impl From<AuditEntry> for ContractAuditEntry {
    fn from(e: AuditEntry) -> Self {
        let (actor_id, via_gateway) = split_recorded_who(&e.actor_id);
        ContractAuditEntry {
            id: e.id.into_string(),
            at: e.at,
            actor_id: actor_id.to_owned(),
            via_gateway: via_gateway.map(str::to_owned),
            action: e.action.as_str().to_owned(),
            before: e.before.map(object),
            after: e.after.map(object),
        }
    }
}

/// A contract's audit trail.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractAudit {
    /// Entries, oldest first.
    pub items: Vec<ContractAuditEntry>,
}
