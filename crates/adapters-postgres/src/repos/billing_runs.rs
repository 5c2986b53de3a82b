//! `BillingRunRepository` on PostgreSQL: runs, and the batch claim of contracts
//! (`FOR UPDATE SKIP LOCKED`, keyset on contract id) with their offer periods.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date as SqlDate, Text};
use domain::billing::{
    BatchQuery, BillableContract, BillingRun, BillingRunRepository, BillingRunStatus, Candidate,
    NamedPeriod, PendingCharge, Period, RunKey, RunProgress,
};
use domain::contracts::{ContractStatus, OfferPeriod};
use domain::error::{Error, Resource, Result};
use domain::money::Money;
use domain::page::PageRequest;
use domain::service_type::ServiceType;
use domain::typed_ids::{BillingRunId, ClientId, ContractId, InvoiceId, OfferId, PendingChargeId};
use domain::usage::{DailyUsage, UsageKind};
use time::OffsetDateTime;

use crate::errors::storage;
use crate::rows::billing::BillingRunRow;
use crate::rows::billing_candidate::{CandidateRow, DailyUsageRow, PeriodRow};
use crate::rows::corrupt;
use crate::rows::pending_charge::PendingChargeRow;
use crate::rows::usage_terms::UsageTermsColumns;
use crate::schema::billing_runs as runs;
use crate::tx::PgTx;
use crate::usage_lock::USAGE_BILLING_LOCK;

/// Contracts of a batch. Only statuses that can ever bill, and no contract whose service
/// ended before the month unless it has regularisation charges or late usage still to bill
/// (probes of the small partial indexes of waiting charges and late records, made only for
/// such ended contracts): a narrowing of the engine's rule, which decides exactly.
///
/// A client billed per account (decision 0211) is claimed through its leading contract, the
/// lowest id that may bill; its other contracts are left out here and read with
/// [`ACCOUNT_CONTRACTS`]. `clients_per_account`, a partial index of those clients only,
/// answers the per-account probe; `invoices_one_per_account_period` finds their invoice.
///
/// The invoice of each contract for the month is found through the unique index
/// (contract_id, period). Written as the plain `i.period = $1`, the planner prefers
/// `invoices_period` whenever the statistics have not seen the month yet (always, during
/// the month's run: it estimates one row) and then reads every invoice already issued for
/// the month once per contract — quadratic, 5 s per batch of 2,000 at 20,000 invoices. The
/// row comparisons say `period = $1` in a form only the (contract_id, period) index can use
/// (decision 0089). Only the month's original invoice is looked at (`replaces_invoice_id IS
/// NULL`, the predicate of both partial unique indexes): a replacement after a rejection
/// (decision 0315) bills the same month again, and the month is billed either way.
pub(crate) const CANDIDATES: &str = "\
    SELECT c.id, c.client_id, c.service_type, c.status, c.termination_date, \
           (SELECT s.service_identifier FROM subscribers s WHERE s.id = c.subscriber_id) \
             AS service_identifier, \
           a.per_account, \
           coalesce( \
             (SELECT i.billing_run_id FROM invoices i \
               WHERE i.contract_id = c.id \
                 AND (i.contract_id, i.period) >= (c.id, $1) \
                 AND (i.contract_id, i.period) <= (c.id, $1) \
                 AND i.replaces_invoice_id IS NULL), \
             (SELECT i.billing_run_id FROM invoices i \
               WHERE i.client_id = c.client_id AND i.period = $1 \
                 AND i.invoicing = 'per_account' AND i.replaces_invoice_id IS NULL)) \
             AS invoiced_by \
      FROM contracts c \
     CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM clients cl \
                          WHERE cl.id = c.client_id AND cl.invoicing = 'per_account') \
                         AS per_account) a \
     WHERE c.id > $2 \
       AND c.status IN ('active', 'suspended', 'terminated') \
       AND (c.termination_date IS NULL OR c.termination_date >= $3 \
            OR EXISTS (SELECT 1 FROM pending_charges p \
                        WHERE p.contract_id = c.id AND p.billed_invoice_id IS NULL) \
            OR EXISTS (SELECT 1 FROM usage_records u \
                        WHERE u.contract_id = c.id AND u.late \
                          AND u.billed_invoice_id IS NULL AND u.usage_date < $3)) \
       AND NOT (a.per_account AND EXISTS (SELECT 1 FROM contracts o \
                 WHERE o.client_id = c.client_id AND o.id < c.id \
                   AND o.status IN ('active', 'suspended', 'terminated') \
                   AND (o.termination_date IS NULL OR o.termination_date >= $3 \
                        OR EXISTS (SELECT 1 FROM pending_charges p \
                                    WHERE p.contract_id = o.id \
                                      AND p.billed_invoice_id IS NULL) \
                        OR EXISTS (SELECT 1 FROM usage_records u \
                                    WHERE u.contract_id = o.id AND u.late \
                                      AND u.billed_invoice_id IS NULL \
                                      AND u.usage_date < $3)))) \
     ORDER BY c.id \
     LIMIT $4";

/// The other contracts that may bill of the per-account clients `$1` whose leading contracts
/// are `$2` (the same narrowing as [`CANDIDATES`]).
const ACCOUNT_CONTRACTS: &str = "\
    SELECT c.id, c.client_id, c.service_type, c.status, c.termination_date, \
           (SELECT s.service_identifier FROM subscribers s WHERE s.id = c.subscriber_id) \
             AS service_identifier, \
           true AS per_account, NULL::text AS invoiced_by \
      FROM contracts c \
     WHERE c.client_id = ANY($1) AND c.id <> ALL($2) \
       AND c.status IN ('active', 'suspended', 'terminated') \
       AND (c.termination_date IS NULL OR c.termination_date >= $3 \
            OR EXISTS (SELECT 1 FROM pending_charges p \
                        WHERE p.contract_id = c.id AND p.billed_invoice_id IS NULL) \
            OR EXISTS (SELECT 1 FROM usage_records u \
                        WHERE u.contract_id = c.id AND u.late \
                          AND u.billed_invoice_id IS NULL AND u.usage_date < $3)) \
     ORDER BY c.id";

/// Unbilled regularisation charges of the contracts `$1` (an account's other contracts):
/// they go on the account's invoice with the other lines of their contract.
const ACCOUNT_CHARGES: &str = "\
    SELECT id, contract_id, regularised_invoice_id, description, offer_id, start_date, \
           end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, created_at \
      FROM pending_charges \
     WHERE contract_id = ANY($1) AND billed_invoice_id IS NULL \
     ORDER BY contract_id, id";

/// Offer periods touching [first day, last day] of the month of the contracts `$1`.
const ACCOUNT_PERIODS: &str = "\
    SELECT p.contract_id, p.offer_id, o.name AS offer_name, p.monthly_price, p.tax_rate_bp, \
           p.start_date, p.end_date, p.usage_terms, p.allowance_voice_seconds, p.allowance_sms, \
           p.allowance_data_bytes, p.rate_voice_per_minute, p.rate_sms_each, p.rate_data_per_mb \
      FROM contract_offer_periods p JOIN offers o ON o.id = p.offer_id \
     WHERE p.contract_id = ANY($1) AND p.start_date <= $2 \
       AND (p.end_date IS NULL OR p.end_date > $3) \
     ORDER BY p.contract_id, p.start_date, p.id";

/// Offer periods touching [first day, last day] of the month of the contracts whose id is in
/// (after, last]: the id range of a batch. A range scan of the (contract_id, start_date)
/// index, cheaper to plan and run than `= ANY(<2,000 ids>)`; periods of contracts the batch
/// does not bill (already invoiced, held by another run) are simply not used.
const PERIODS: &str = "\
    SELECT p.contract_id, p.offer_id, o.name AS offer_name, p.monthly_price, p.tax_rate_bp, \
           p.start_date, p.end_date, p.usage_terms, p.allowance_voice_seconds, p.allowance_sms, \
           p.allowance_data_bytes, p.rate_voice_per_minute, p.rate_sms_each, p.rate_data_per_mb \
      FROM contract_offer_periods p JOIN offers o ON o.id = p.offer_id \
     WHERE p.contract_id > $1 AND p.contract_id <= $2 AND p.start_date <= $3 \
       AND (p.end_date IS NULL OR p.end_date > $4) \
     ORDER BY p.contract_id, p.start_date, p.id";

/// Unbilled regularisation charges of the contracts whose id is in (after, last], the id
/// range of a batch, through the partial index of the waiting ones (decision 0251).
const CHARGES: &str = "\
    SELECT id, contract_id, regularised_invoice_id, description, offer_id, start_date, \
           end_date, days, monthly_price, amount_excl_tax, tax_rate_bp, created_at \
      FROM pending_charges \
     WHERE contract_id > $1 AND contract_id <= $2 AND billed_invoice_id IS NULL \
     ORDER BY contract_id, id";

/// The month's usage of the contracts whose id is in (after, last], summed by contract, day
/// and kind: one range scan of `usage_records_by_contract_date` for the batch. Late records
/// of the month count too (decision 0360: the month's usage is every record dated in it).
const USAGE: &str = "\
    SELECT contract_id, usage_date, kind, sum(quantity)::bigint AS quantity \
      FROM usage_records \
     WHERE contract_id > $1 AND contract_id <= $2 AND usage_date >= $3 AND usage_date <= $4 \
     GROUP BY contract_id, usage_date, kind \
     ORDER BY contract_id, usage_date, kind";

/// The same for the contracts `$1` (an account's other contracts).
const ACCOUNT_USAGE: &str = "\
    SELECT contract_id, usage_date, kind, sum(quantity)::bigint AS quantity \
      FROM usage_records \
     WHERE contract_id = ANY($1) AND usage_date >= $2 AND usage_date <= $3 \
     GROUP BY contract_id, usage_date, kind \
     ORDER BY contract_id, usage_date, kind";

/// Marks charges billed, pairing each id with its invoice, in one statement for the batch.
const CONSUME: &str = "\
    UPDATE pending_charges p SET billed_invoice_id = b.invoice_id \
      FROM unnest($1::text[], $2::text[]) AS b(charge_id, invoice_id) \
     WHERE p.id = b.charge_id AND p.billed_invoice_id IS NULL";

fn count(value: i64) -> Result<i32> {
    i32::try_from(value).map_err(|_| Error::Storage("run counter out of range".into()))
}

impl PgTx<'_> {
    /// Offer periods touching the month of the contracts with an id in (after, last],
    /// grouped by contract.
    fn periods_of(
        &mut self,
        last: &str,
        query: &BatchQuery,
    ) -> Result<HashMap<String, Vec<NamedPeriod>>> {
        let rows: Vec<PeriodRow> = diesel::sql_query(PERIODS)
            .bind::<Text, _>(&query.after)
            .bind::<Text, _>(last)
            .bind::<SqlDate, _>(query.period.last_day())
            .bind::<SqlDate, _>(query.period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        Ok(group(rows))
    }

    /// The month's usage of the contracts with an id in (after, last], by contract (read
    /// under the usage lock the claim took, see [`Self::candidates`]).
    fn usage_of(
        &mut self,
        last: &str,
        query: &BatchQuery,
    ) -> Result<HashMap<String, Vec<DailyUsage>>> {
        let rows: Vec<DailyUsageRow> = diesel::sql_query(USAGE)
            .bind::<Text, _>(&query.after)
            .bind::<Text, _>(last)
            .bind::<SqlDate, _>(query.period.first_day())
            .bind::<SqlDate, _>(query.period.last_day())
            .load(self.conn)
            .map_err(storage)?;
        group_usage(rows)
    }

    /// Unbilled regularisation charges of the contracts with an id in (after, last], grouped
    /// by contract.
    fn charges_of(
        &mut self,
        last: &str,
        query: &BatchQuery,
    ) -> Result<HashMap<String, Vec<PendingCharge>>> {
        let rows: Vec<PendingChargeRow> = diesel::sql_query(CHARGES)
            .bind::<Text, _>(&query.after)
            .bind::<Text, _>(last)
            .load(self.conn)
            .map_err(storage)?;
        Ok(group_charges(rows))
    }

    /// The other contracts of the per-account clients whose leading contracts are
    /// `leaders` (client id, contract id), with their periods and pending charges, by client.
    fn account_contracts(
        &mut self,
        leaders: &[(&str, &str)],
        query: &BatchQuery,
    ) -> Result<HashMap<String, Vec<BillableContract>>> {
        let clients: Vec<&str> = leaders.iter().map(|(client, _)| *client).collect();
        let contracts: Vec<&str> = leaders.iter().map(|(_, contract)| *contract).collect();
        let rows: Vec<CandidateRow> = diesel::sql_query(ACCOUNT_CONTRACTS)
            .bind::<Array<Text>, _>(&clients)
            .bind::<Array<Text>, _>(&contracts)
            .bind::<SqlDate, _>(query.period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let periods: Vec<PeriodRow> = diesel::sql_query(ACCOUNT_PERIODS)
            .bind::<Array<Text>, _>(&ids)
            .bind::<SqlDate, _>(query.period.last_day())
            .bind::<SqlDate, _>(query.period.first_day())
            .load(self.conn)
            .map_err(storage)?;
        let charges: Vec<PendingChargeRow> = diesel::sql_query(ACCOUNT_CHARGES)
            .bind::<Array<Text>, _>(&ids)
            .load(self.conn)
            .map_err(storage)?;
        let usage: Vec<DailyUsageRow> = diesel::sql_query(ACCOUNT_USAGE)
            .bind::<Array<Text>, _>(&ids)
            .bind::<SqlDate, _>(query.period.first_day())
            .bind::<SqlDate, _>(query.period.last_day())
            .load(self.conn)
            .map_err(storage)?;
        let mut late = self.account_late_usage(&ids, query.period)?;
        let mut periods = group(periods);
        let mut charges = group_charges(charges);
        let mut usage = group_usage(usage)?;
        let mut by_client: HashMap<String, Vec<BillableContract>> = HashMap::new();
        for row in rows {
            let client = row.client_id.clone();
            let offer_periods = periods.remove(&row.id).unwrap_or_default();
            let pending_charges = charges.remove(&row.id).unwrap_or_default();
            let daily = usage.remove(&row.id).unwrap_or_default();
            let late_months = late.remove(&row.id).unwrap_or_default();
            let mut contract = billable(row, offer_periods, pending_charges)?;
            contract.usage = daily;
            contract.late = late_months;
            by_client.entry(client).or_default().push(contract);
        }
        Ok(by_client)
    }
}

/// A claimed contract with its offer periods and pending charges.
fn billable(
    row: CandidateRow,
    offer_periods: Vec<NamedPeriod>,
    pending_charges: Vec<PendingCharge>,
) -> Result<BillableContract> {
    let bad = |m: String| corrupt("contract", &row.id, m);
    Ok(BillableContract {
        service_type: ServiceType::parse(&row.service_type).map_err(bad)?,
        status: ContractStatus::parse(&row.status).map_err(bad)?,
        offer_periods,
        pending_charges,
        usage: Vec::new(),
        late: Vec::new(),
        contract_id: ContractId::from_stored(row.id),
        client_id: ClientId::from_stored(row.client_id),
        termination_date: row.termination_date,
        service_identifier: row.service_identifier,
    })
}

/// Daily usage rows grouped by contract, in their order.
fn group_usage(rows: Vec<DailyUsageRow>) -> Result<HashMap<String, Vec<DailyUsage>>> {
    let mut grouped: HashMap<String, Vec<DailyUsage>> = HashMap::new();
    for row in rows {
        let kind = UsageKind::parse(&row.kind)
            .map_err(|m| corrupt("usage record of contract", &row.contract_id, m))?;
        grouped
            .entry(row.contract_id)
            .or_default()
            .push(DailyUsage {
                date: row.usage_date,
                kind,
                quantity: row.quantity,
            });
    }
    Ok(grouped)
}

/// Pending charge rows grouped by contract, in their order.
fn group_charges(rows: Vec<PendingChargeRow>) -> HashMap<String, Vec<PendingCharge>> {
    let mut grouped: HashMap<String, Vec<PendingCharge>> = HashMap::new();
    for row in rows {
        grouped
            .entry(row.contract_id.clone())
            .or_default()
            .push(row.into_domain());
    }
    grouped
}

/// Offer period rows grouped by contract, in their order.
fn group(rows: Vec<PeriodRow>) -> HashMap<String, Vec<NamedPeriod>> {
    let mut grouped: HashMap<String, Vec<NamedPeriod>> = HashMap::new();
    for row in rows {
        grouped
            .entry(row.contract_id.clone())
            .or_default()
            .push(named_period(row));
    }
    grouped
}

/// An offer period row as the engine sees it.
pub(super) fn named_period(row: PeriodRow) -> NamedPeriod {
    NamedPeriod {
        period: OfferPeriod {
            offer_id: OfferId::from_stored(row.offer_id),
            monthly_price: Money::from_stored(row.monthly_price),
            tax_rate_bp: row.tax_rate_bp,
            start_date: row.start_date,
            end_date: row.end_date,
            usage: UsageTermsColumns {
                usage_terms: row.usage_terms,
                allowance_voice_seconds: row.allowance_voice_seconds,
                allowance_sms: row.allowance_sms,
                allowance_data_bytes: row.allowance_data_bytes,
                rate_voice_per_minute: row.rate_voice_per_minute,
                rate_sms_each: row.rate_sms_each,
                rate_data_per_mb: row.rate_data_per_mb,
            }
            .into_domain(),
        },
        offer_name: row.offer_name,
    }
}

impl BillingRunRepository for PgTx<'_> {
    fn find(&mut self, id: &BillingRunId) -> Result<Option<BillingRun>> {
        runs::table
            .find(id.as_str())
            .select(BillingRunRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(BillingRunRow::into_domain)
            .transpose()
    }

    fn list(&mut self, page: &PageRequest) -> Result<Vec<BillingRun>> {
        let mut query = runs::table
            .select(BillingRunRow::as_select())
            .order(runs::id)
            .limit(i64::try_from(page.fetch()).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(after) = page.after() {
            query = query.filter(runs::id.gt(after.to_owned()));
        }
        query
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(BillingRunRow::into_domain)
            .collect()
    }

    fn insert(&mut self, run: &BillingRun, key: &RunKey) -> Result<()> {
        diesel::insert_into(runs::table)
            .values((
                runs::id.eq(run.id.as_str()),
                runs::period.eq(run.period.to_string()),
                runs::issue_date.eq(run.issue_date),
                runs::due_date.eq(run.due_date),
                runs::status.eq(run.status.as_str()),
                runs::dry_run.eq(run.dry_run),
                runs::invoice_count.eq(count(run.invoice_count)?),
                runs::skipped_count.eq(count(run.skipped_count)?),
                runs::total_excl_tax.eq(run.total_excl_tax.centimes()),
                runs::total_tax.eq(run.total_tax.centimes()),
                runs::total_incl_tax.eq(run.total_incl_tax.centimes()),
                runs::currency.eq(&run.currency),
                runs::actor_id.eq(&run.actor_id),
                runs::created_at.eq(run.created_at),
                runs::updated_at.eq(run.updated_at),
                runs::idempotency_scope.eq(&key.scope),
                runs::idempotency_key.eq(&key.key),
                runs::request_fingerprint.eq(&key.fingerprint),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn find_by_key(&mut self, scope: &str, key: &str) -> Result<Option<(BillingRun, String)>> {
        let found: Option<(BillingRunRow, Option<String>)> = runs::table
            .filter(runs::idempotency_scope.eq(scope))
            .filter(runs::idempotency_key.eq(key))
            .select((BillingRunRow::as_select(), runs::request_fingerprint))
            .first(self.conn)
            .optional()
            .map_err(storage)?;
        found
            .map(|(row, fingerprint)| Ok((row.into_domain()?, fingerprint.unwrap_or_default())))
            .transpose()
    }

    fn candidates(&mut self, query: &BatchQuery) -> Result<Vec<Candidate>> {
        // A batch that issues invoices holds the usage lock shared until it commits (decision
        // 0375): batches run side by side, and an ingestion, which takes it exclusive, either
        // commits before this batch reads usage or waits for its invoices. Taken first, before
        // any contract is claimed: taken after, a batch holding claimed contracts would wait
        // for an ingestion whose inserts wait for those contracts' key locks.
        if query.lock {
            diesel::sql_query("SELECT pg_advisory_xact_lock_shared($1)")
                .bind::<BigInt, _>(USAGE_BILLING_LOCK)
                .execute(self.conn)
                .map_err(storage)?;
        }
        let sql = if query.lock {
            format!("{CANDIDATES} FOR UPDATE OF c SKIP LOCKED")
        } else {
            CANDIDATES.to_owned()
        };
        let rows: Vec<CandidateRow> = diesel::sql_query(sql)
            .bind::<Text, _>(query.period.to_string())
            .bind::<Text, _>(&query.after)
            .bind::<SqlDate, _>(query.period.first_day())
            .bind::<BigInt, _>(query.limit)
            .load(self.conn)
            .map_err(storage)?;
        // Periods only when some contract is still to bill: the others need no engine.
        let (mut periods, mut charges, mut usage, mut late) = match rows.last() {
            Some(last) if rows.iter().any(|r| r.invoiced_by.is_none()) => {
                let last = last.id.clone();
                (
                    self.periods_of(&last, query)?,
                    self.charges_of(&last, query)?,
                    self.usage_of(&last, query)?,
                    self.late_usage_of((&query.after, &last), query.period)?,
                )
            }
            _ => (
                HashMap::new(),
                HashMap::new(),
                HashMap::new(),
                HashMap::new(),
            ),
        };
        // The rest of each account still to bill: one more pair of queries, only for batches
        // that hold a per-account client.
        let leaders: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| r.per_account && r.invoiced_by.is_none())
            .map(|r| (r.client_id.as_str(), r.id.as_str()))
            .collect();
        let mut accounts = if leaders.is_empty() {
            HashMap::new()
        } else {
            self.account_contracts(&leaders, query)?
        };
        rows.into_iter()
            .map(|row| {
                let to_bill = row.invoiced_by.is_none();
                let account = (row.per_account && to_bill)
                    .then(|| accounts.remove(&row.client_id).unwrap_or_default());
                let (offer_periods, pending_charges, daily, late_months) = if to_bill {
                    (
                        periods.remove(&row.id).unwrap_or_default(),
                        charges.remove(&row.id).unwrap_or_default(),
                        usage.remove(&row.id).unwrap_or_default(),
                        late.remove(&row.id).unwrap_or_default(),
                    )
                } else {
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new())
                };
                let invoiced_by = row.invoiced_by.clone().map(BillingRunId::from_stored);
                let mut contract = billable(row, offer_periods, pending_charges)?;
                contract.usage = daily;
                contract.late = late_months;
                Ok(Candidate {
                    contract,
                    invoiced_by,
                    account,
                })
            })
            .collect()
    }

    fn consume_pending_charges(&mut self, billed: &[(PendingChargeId, InvoiceId)]) -> Result<()> {
        let (charges, invoices): (Vec<&str>, Vec<&str>) = billed
            .iter()
            .map(|(charge, invoice)| (charge.as_str(), invoice.as_str()))
            .unzip();
        let changed = diesel::sql_query(CONSUME)
            .bind::<Array<Text>, _>(&charges)
            .bind::<Array<Text>, _>(&invoices)
            .execute(self.conn)
            .map_err(storage)?;
        if changed != billed.len() {
            return Err(Error::Storage(format!(
                "{} of {} pending charges were still waiting to be billed",
                changed,
                billed.len()
            )));
        }
        Ok(())
    }

    fn bill_late_usage(
        &mut self,
        billed: &[(ContractId, InvoiceId)],
        period: Period,
    ) -> Result<usize> {
        let pairs: Vec<(&str, &str)> = billed
            .iter()
            .map(|(contract, invoice)| (contract.as_str(), invoice.as_str()))
            .collect();
        self.mark_late_usage(&pairs, period)
    }

    fn add_progress(
        &mut self,
        run_id: &BillingRunId,
        progress: &RunProgress,
        at: OffsetDateTime,
    ) -> Result<()> {
        let changed = diesel::update(runs::table.find(run_id.as_str()))
            .set((
                runs::invoice_count.eq(runs::invoice_count + count(progress.invoices)?),
                runs::skipped_count.eq(runs::skipped_count + count(progress.skipped)?),
                runs::total_excl_tax.eq(runs::total_excl_tax + progress.total_excl_tax.centimes()),
                runs::total_tax.eq(runs::total_tax + progress.total_tax.centimes()),
                runs::total_incl_tax.eq(runs::total_incl_tax + progress.total_incl_tax.centimes()),
                runs::updated_at.eq(at),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::BillingRun));
        }
        Ok(())
    }

    fn set_status(
        &mut self,
        run_id: &BillingRunId,
        status: BillingRunStatus,
        at: OffsetDateTime,
    ) -> Result<()> {
        let changed = diesel::update(runs::table.find(run_id.as_str()))
            .set((runs::status.eq(status.as_str()), runs::updated_at.eq(at)))
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::NotFound(Resource::BillingRun));
        }
        Ok(())
    }
}
