//! What accumulates around a contract on PostgreSQL: offer periods, audit entries and
//! immutable documents (the `ContractRepository` impl delegates here).

use diesel::pg::PgConnection;
use diesel::prelude::*;
use domain::contracts::{AuditEntry, OfferPeriod};
use domain::error::Result;
use time::{Date, OffsetDateTime};

use crate::errors::storage;
use crate::rows::contract::{AuditRow, OfferPeriodRow};
use crate::rows::usage_terms::UsageTermsColumns;
use crate::schema::{contract_audit, contract_documents, contract_offer_periods};

/// Every audit entry of the contract, oldest first; ids break ties between entries of one
/// transaction (they are monotonic within a process).
pub(super) fn audit_trail(conn: &mut PgConnection, contract_id: &str) -> Result<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = contract_audit::table
        .filter(contract_audit::contract_id.eq(contract_id))
        .order((contract_audit::at, contract_audit::id))
        .select(AuditRow::as_select())
        .load(conn)
        .map_err(storage)?;
    rows.into_iter().map(AuditRow::into_entry).collect()
}

pub(super) fn insert_offer_period(
    conn: &mut PgConnection,
    contract_id: &str,
    period: &OfferPeriod,
    at: OffsetDateTime,
) -> Result<()> {
    diesel::insert_into(contract_offer_periods::table)
        .values((
            (
                contract_offer_periods::contract_id.eq(contract_id),
                contract_offer_periods::offer_id.eq(period.offer_id.as_str()),
                contract_offer_periods::monthly_price.eq(period.monthly_price.centimes()),
                contract_offer_periods::tax_rate_bp.eq(period.tax_rate_bp),
                contract_offer_periods::start_date.eq(period.start_date),
                contract_offer_periods::end_date.eq(period.end_date),
                contract_offer_periods::created_at.eq(at),
            ),
            usage_values(period),
        ))
        .execute(conn)
        .map_err(storage)?;
    Ok(())
}

pub(super) fn open_offer_period(
    conn: &mut PgConnection,
    contract_id: &str,
) -> Result<Option<OfferPeriod>> {
    let row: Option<OfferPeriodRow> = contract_offer_periods::table
        .filter(contract_offer_periods::contract_id.eq(contract_id))
        .filter(contract_offer_periods::end_date.is_null())
        .order(contract_offer_periods::start_date.desc())
        .select(OfferPeriodRow::as_select())
        .first(conn)
        .optional()
        .map_err(storage)?;
    Ok(row.map(OfferPeriodRow::into_domain))
}

pub(super) fn close_offer_period(
    conn: &mut PgConnection,
    contract_id: &str,
    end_date: Date,
) -> Result<()> {
    diesel::update(
        contract_offer_periods::table
            .filter(contract_offer_periods::contract_id.eq(contract_id))
            .filter(contract_offer_periods::end_date.is_null()),
    )
    .set(contract_offer_periods::end_date.eq(Some(end_date)))
    .execute(conn)
    .map_err(storage)?;
    Ok(())
}

pub(super) fn replace_open_offer_period(
    conn: &mut PgConnection,
    contract_id: &str,
    period: &OfferPeriod,
) -> Result<()> {
    diesel::update(
        contract_offer_periods::table
            .filter(contract_offer_periods::contract_id.eq(contract_id))
            .filter(contract_offer_periods::end_date.is_null()),
    )
    .set((
        (
            contract_offer_periods::offer_id.eq(period.offer_id.as_str()),
            contract_offer_periods::monthly_price.eq(period.monthly_price.centimes()),
            contract_offer_periods::tax_rate_bp.eq(period.tax_rate_bp),
        ),
        usage_values(period),
    ))
    .execute(conn)
    .map_err(storage)?;
    Ok(())
}

pub(super) fn offer_periods(
    conn: &mut PgConnection,
    contract_id: &str,
) -> Result<Vec<OfferPeriod>> {
    let rows: Vec<OfferPeriodRow> = contract_offer_periods::table
        .filter(contract_offer_periods::contract_id.eq(contract_id))
        .order((
            contract_offer_periods::start_date,
            contract_offer_periods::id,
        ))
        .select(OfferPeriodRow::as_select())
        .load(conn)
        .map_err(storage)?;
    Ok(rows.into_iter().map(OfferPeriodRow::into_domain).collect())
}

/// Plain insert: the (contract, version) primary key refuses to overwrite a document.
pub(super) fn insert_document(
    conn: &mut PgConnection,
    contract_id: &str,
    version: i32,
    pdf: &[u8],
    at: OffsetDateTime,
) -> Result<()> {
    diesel::insert_into(contract_documents::table)
        .values((
            contract_documents::contract_id.eq(contract_id),
            contract_documents::version.eq(version),
            contract_documents::pdf.eq(pdf),
            contract_documents::created_at.eq(at),
        ))
        .execute(conn)
        .map_err(storage)?;
    Ok(())
}

pub(super) fn document(
    conn: &mut PgConnection,
    contract_id: &str,
    version: i32,
) -> Result<Option<Vec<u8>>> {
    contract_documents::table
        .find((contract_id, version))
        .select(contract_documents::pdf)
        .first(conn)
        .optional()
        .map_err(storage)
}

/// The period's usage-term snapshot, as column assignments.
#[allow(clippy::type_complexity)]
fn usage_values(
    period: &OfferPeriod,
) -> (
    diesel::dsl::Eq<contract_offer_periods::usage_terms, bool>,
    diesel::dsl::Eq<contract_offer_periods::allowance_voice_seconds, Option<i64>>,
    diesel::dsl::Eq<contract_offer_periods::allowance_sms, Option<i64>>,
    diesel::dsl::Eq<contract_offer_periods::allowance_data_bytes, Option<i64>>,
    diesel::dsl::Eq<contract_offer_periods::rate_voice_per_minute, Option<i64>>,
    diesel::dsl::Eq<contract_offer_periods::rate_sms_each, Option<i64>>,
    diesel::dsl::Eq<contract_offer_periods::rate_data_per_mb, Option<i64>>,
) {
    let c = UsageTermsColumns::of(period.usage);
    (
        contract_offer_periods::usage_terms.eq(c.usage_terms),
        contract_offer_periods::allowance_voice_seconds.eq(c.allowance_voice_seconds),
        contract_offer_periods::allowance_sms.eq(c.allowance_sms),
        contract_offer_periods::allowance_data_bytes.eq(c.allowance_data_bytes),
        contract_offer_periods::rate_voice_per_minute.eq(c.rate_voice_per_minute),
        contract_offer_periods::rate_sms_each.eq(c.rate_sms_each),
        contract_offer_periods::rate_data_per_mb.eq(c.rate_data_per_mb),
    )
}
