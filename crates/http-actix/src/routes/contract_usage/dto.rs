//! JSON shapes of a contract's usage: one per kind, amounts in the kind's own unit (seconds,
//! messages, bytes), the overage in the units it is charged in (started minutes, messages,
//! started MB) and in centimes excl. tax.

use domain::usage::{ClientContractUsage, ContractUsage, KindTotal, UsageKind};
use serde::Serialize;
use utoipa::ToSchema;

/// One kind of usage in the month.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageKindView {
    /// `voice`, `sms` or `data`.
    #[schema(pattern = "^(voice|sms|data)$")]
    pub kind: String,
    /// Unit of `used`, `included` and `remaining`: `second` (voice), `message` (sms) or
    /// `byte` (data).
    #[schema(pattern = "^(second|message|byte)$")]
    pub unit: String,
    /// Used so far in the month (every record dated in it, late ones included).
    pub used: i64,
    /// Included in the month: the plan's allowance prorated to the days on each offer
    /// (floor); `null` = unlimited, or the plan rates no usage (`rated: false`).
    pub included: Option<i64>,
    /// `included − used`, never below 0; `null` when `included` is.
    pub remaining: Option<i64>,
    /// Units charged beyond the allowance so far: started minutes (voice), messages (sms),
    /// started MB of 1,048,576 bytes (data), counted per offer period as the invoice does.
    pub overage_units: i64,
    /// What they cost so far, centimes excl. tax.
    pub overage_excl_tax: i64,
}

impl UsageKindView {
    fn of(total: &KindTotal) -> Self {
        Self {
            kind: total.kind.as_str().to_owned(),
            unit: unit(total.kind).to_owned(),
            used: total.used,
            included: total.included,
            remaining: total.remaining(),
            overage_units: total.charged_units,
            overage_excl_tax: total.amount.centimes(),
        }
    }
}

/// The unit a kind is measured in on the wire.
fn unit(kind: UsageKind) -> &'static str {
    kind.recorded_unit()
}

/// A contract's usage of one month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContractUsageResponse {
    /// `ctr_…`.
    pub contract_id: String,
    /// The month, `YYYY-MM`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub period: String,
    /// Whether an offer of the month has usage terms (allowances and rates); `false`: usage
    /// is shown but neither included nor charged.
    pub rated: bool,
    /// `voice`, `sms`, `data`, in that order.
    pub kinds: Vec<UsageKindView>,
    /// Sum of the kinds' overage so far, centimes excl. tax.
    pub overage_excl_tax: i64,
}

impl From<&ContractUsage> for ContractUsageResponse {
    fn from(usage: &ContractUsage) -> Self {
        Self {
            contract_id: usage.contract_id.to_string(),
            period: usage.period.to_string(),
            rated: usage.summary.rated,
            kinds: usage.summary.kinds.iter().map(UsageKindView::of).collect(),
            overage_excl_tax: usage.summary.overage().centimes(),
        }
    }
}

/// One of the client's contracts and its usage this month, on the landing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientUsageView {
    /// `ctr_…`.
    pub contract_id: String,
    /// `CTR-2026-000001`.
    pub contract_number: String,
    /// The line with its middle hidden, e.g. `+2126••••••78`.
    pub service_identifier_masked: String,
    /// The month, `YYYY-MM`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub period: String,
    /// As in the contract's usage.
    pub rated: bool,
    /// `voice`, `sms`, `data`, in that order.
    pub kinds: Vec<UsageKindView>,
    /// Overage so far, centimes excl. tax.
    pub overage_excl_tax: i64,
}

impl From<ClientContractUsage> for ClientUsageView {
    fn from(item: ClientContractUsage) -> Self {
        let usage = ContractUsageResponse::from(&item.usage);
        Self {
            contract_id: usage.contract_id,
            contract_number: item.contract_number,
            service_identifier_masked: item.service_identifier_masked,
            period: usage.period,
            rated: usage.rated,
            kinds: usage.kinds,
            overage_excl_tax: usage.overage_excl_tax,
        }
    }
}

/// The client's usage this month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientUsageResponse {
    /// The current month, `YYYY-MM`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub period: String,
    /// Each contract with a day of service in the month, oldest first.
    pub items: Vec<ClientUsageView>,
}
