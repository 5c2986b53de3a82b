//! Request and response bodies of `/billing/runs`.

use domain::billing::{BillingRun, RunReport};
use domain::ids::IdKind;
use domain::page::PageRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::recorded_parts;
use crate::problem::ApiError;
use crate::query::{FromQuery, QueryParams};

/// A billing run to start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRunRequest {
    /// Month billed, `YYYY-MM`: at most the month after the current one.
    #[schema(example = "2026-02")]
    pub period: String,
    /// Issue date of the invoices, `YYYY-MM-DD` (default today); its year numbers them. From
    /// the billed month's first day to 45 days after its last. The due date is always this
    /// plus the configured payment term (`MTF_DUE_IN_DAYS`).
    #[schema(example = "2026-03-01")]
    pub issue_date: Option<String>,
    /// Compute the figures without writing anything (default false).
    pub dry_run: Option<bool>,
    /// Deprecated: the payment term is the operator's setting (`MTF_DUE_IN_DAYS`). Accepted
    /// only when equal to it, so integrators that send it keep working; any other value is a
    /// 422 naming this field.
    #[schema(deprecated, example = 15)]
    pub due_in_days: Option<i64>,
}

/// Money totals of a run.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RunTotals {
    /// Sum excl. tax, centimes.
    pub excl_tax: i64,
    /// Sum of TVA, centimes.
    pub tax: i64,
    /// Sum incl. tax, centimes.
    pub incl_tax: i64,
    /// `MAD`.
    pub currency: String,
}

/// A billing run.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BillingRunResponse {
    /// `run_…`; null for a dry run (nothing is stored).
    pub id: Option<String>,
    /// Same as `id`.
    pub billing_run_id: Option<String>,
    /// Month billed, `YYYY-MM`.
    pub period: String,
    /// `running`, `completed` or `failed`.
    pub status: String,
    /// Whether the figures were only computed.
    pub dry_run: bool,
    /// Issue date of its invoices.
    pub issue_date: String,
    /// Due date of its invoices.
    pub due_date: String,
    /// Invoices issued (or that would be, for a dry run).
    pub invoice_count: i64,
    /// Billable contracts already invoiced for the period by another run.
    pub skipped_count: i64,
    /// Its invoices in number order (empty for a dry run; absent from lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_ids: Option<Vec<String>>,
    /// Totals of its invoices.
    pub totals: RunTotals,
    /// Who started it.
    pub actor_id: String,
    /// The gateway actor (`act_…`) that asserted `actor_id` with its own token, else `null`.
    pub via_gateway: Option<String>,
    /// Creation instant.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: time::OffsetDateTime,
}

impl BillingRunResponse {
    /// The representation of `run`, with `invoice_ids` when given.
    pub fn new(run: &BillingRun, invoice_ids: Option<Vec<String>>) -> Self {
        // A dry run is never stored, so it has no id.
        let id = (!run.dry_run).then(|| run.id.to_string());
        Self {
            billing_run_id: id.clone(),
            id,
            period: run.period.to_string(),
            status: run.status.as_str().into(),
            dry_run: run.dry_run,
            issue_date: run.issue_date.to_string(),
            due_date: run.due_date.to_string(),
            invoice_count: run.invoice_count,
            skipped_count: run.skipped_count,
            invoice_ids,
            totals: RunTotals {
                excl_tax: run.total_excl_tax.centimes(),
                tax: run.total_tax.centimes(),
                incl_tax: run.total_incl_tax.centimes(),
                currency: run.currency.clone(),
            },
            actor_id: recorded_parts(&run.actor_id).0,
            via_gateway: recorded_parts(&run.actor_id).1,
            created_at: run.created_at,
            updated_at: run.updated_at,
        }
    }

    /// The representation of a run and its invoices.
    pub fn of_report(report: &RunReport) -> Self {
        Self::new(
            &report.run,
            Some(report.invoice_ids.iter().map(ToString::to_string).collect()),
        )
    }

    /// The JSON of [`Self::of_report`], byte for byte, written straight from the report's id
    /// list: a million-invoice run answers 33 MB, which is then the only copy of its ids
    /// besides the list (no vector of strings, no growing buffer; decision 0350).
    pub fn encode_report(report: &RunReport) -> serde_json::Result<Vec<u8>> {
        let head = serde_json::to_vec(&Self::new(&report.run, Some(Vec::new())))?;
        // Quotes inside JSON strings are escaped, so this unescaped text can only be the key.
        let split = head
            .windows(IDS_KEY.len())
            .position(|window| window == IDS_KEY)
            .map(|at| at + IDS_KEY.len() - 1)
            .ok_or_else(|| serde::ser::Error::custom("the answer has no invoice_ids"))?;
        let ids = &report.invoice_ids;
        let mut body = Vec::with_capacity(head.len() + ids.text_len() + 3 * ids.len());
        body.extend_from_slice(&head[..split]);
        for (n, id) in ids.iter().enumerate() {
            if n > 0 {
                body.push(b',');
            }
            serde_json::to_writer(&mut body, id)?;
        }
        body.extend_from_slice(&head[split..]);
        Ok(body)
    }
}

/// `invoice_ids` as [`BillingRunResponse::encode_report`] first writes it, empty.
const IDS_KEY: &[u8] = b"\"invoice_ids\":[]";

/// A page of runs.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BillingRunList {
    /// Runs, oldest first (without `invoice_ids`).
    pub items: Vec<BillingRunResponse>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Query parameters of `GET /billing/runs`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunListQuery {
    /// Page size, 1 to 500 (default 50)
    #[param(value_type = Option<i64>)]
    pub limit: usize,
    /// `next_cursor` of the previous page
    #[param(pattern = "^run_[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$")]
    pub cursor: Option<String>,
    /// `limit` and `cursor` as the page asked for.
    #[param(ignore)]
    pub page: PageRequest,
}

impl FromQuery for RunListQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let page = params.page(IdKind::BillingRun)?;
        Ok(RunListQuery {
            limit: page.limit(),
            cursor: page.after().map(str::to_owned),
            page,
        })
    }
}

#[cfg(test)]
#[path = "dto_tests.rs"]
mod tests;
