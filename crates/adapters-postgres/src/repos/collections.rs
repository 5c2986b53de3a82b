//! `CollectionRepository` on PostgreSQL: cases, their actions, and the collections reads over
//! invoices, contracts and payments (overdue = open with `due_date < today`).

use diesel::dsl::{max, sql};
use diesel::prelude::*;
use diesel::sql_types::{
    Array, BigInt, Bool, Date as SqlDate, Integer, Nullable, Text, Timestamptz,
};
use domain::billing::Invoice;
use domain::collections::{
    CaseAction, CaseFilter, CaseStatus, CollectionCase, CollectionRepository, Overview,
};
use domain::error::{Error, Result};
use domain::money::Money;
use domain::page::PageRequest;
use domain::settings::DunningLadder;
use domain::typed_ids::{CaseActionId, CaseId, ClientId, ContractId, CreditNoteId, InvoiceId};
use time::{Date, OffsetDateTime, UtcOffset};

use super::collections_sql;
use super::invoices::OPEN_STATUSES;
use crate::errors::storage;
use crate::prepared::{constant_sql, keep_prepared};
use crate::rows::billing::InvoiceRow;
use crate::rows::collection_case::{CaseActionRow, CaseRow, CaseViewRow};
use crate::rows::collections_figures::{
    CaseStatusCount, ClientAmount, ClientInstant, Figures, Id, Sum, ZoneOffset,
};
use crate::rows::scalar::IdValue;
use crate::schema::{
    case_actions, case_disputed_invoices, collection_cases, contracts, dunning_last_run, invoices,
};
use crate::tx::PgTx;

/// Orders actions recorded at the same instant (one dunning transaction) in their life-cycle
/// order — opening, then the ladder, then resolution — since ULIDs of the same millisecond
/// are not ordered.
const SAME_INSTANT_RANK: &str = "CASE action_type WHEN 'case_opened' THEN 0 \
    WHEN 'promise_broken' THEN 1 WHEN 'promise_kept' THEN 1 \
    WHEN 'reminder_sms' THEN 2 WHEN 'second_reminder' THEN 3 WHEN 'suspension' THEN 4 \
    WHEN 'pre_litigation_notice' THEN 5 WHEN 'case_resolved' THEN 9 ELSE 6 END";

/// Case statuses that ended (the other three of the status check), literal in the text so
/// that the partial index `collection_cases_ended_by_client` answers (decision 0380).
const ENDED_CASE: &str = "collection_cases.status IN ('resolved', 'written_off', 'closed')";

impl CollectionRepository for PgTx<'_> {
    fn find(&mut self, id: &CaseId, today: Date) -> Result<Option<CollectionCase>> {
        let filter = CaseFilter::default();
        let one = collections_sql::Rows::One(id.as_str());
        let rows: Vec<CaseViewRow> = collections_sql::case_views(&filter, one, today)
            .load(self.conn)
            .map_err(storage)?;
        rows.into_iter()
            .next()
            .map(CaseViewRow::into_domain)
            .transpose()
    }

    fn find_for_update(&mut self, id: &CaseId) -> Result<Option<CollectionCase>> {
        collection_cases::table
            .find(id.as_str())
            .for_update()
            .select(CaseRow::as_select())
            .first(self.conn)
            .optional()
            .map_err(storage)?
            .map(|row| row.into_domain(0, Vec::new(), Vec::new()))
            .transpose()
    }

    fn list(
        &mut self,
        filter: &CaseFilter,
        page: &PageRequest,
        today: Date,
    ) -> Result<Vec<CollectionCase>> {
        let rows: Vec<CaseViewRow> =
            collections_sql::case_views(filter, collections_sql::Rows::Page(page), today)
                .load(self.conn)
                .map_err(storage)?;
        rows.into_iter().map(CaseViewRow::into_domain).collect()
    }

    fn live_case_for_update(&mut self, client_id: &ClientId) -> Result<Option<CollectionCase>> {
        keep_prepared(
            constant_sql(collections_sql::LIVE_CASE_FOR_UPDATE).bind::<Text, _>(client_id.as_str()),
        )
        .get_result::<CaseRow>(self.conn)
        .optional()
        .map_err(storage)?
        .map(|row| row.into_domain(0, Vec::new(), Vec::new()))
        .transpose()
    }

    fn last_case_end(&mut self, client_id: &ClientId) -> Result<Option<OffsetDateTime>> {
        collection_cases::table
            .filter(collection_cases::client_id.eq(client_id.as_str()))
            .filter(sql::<Bool>(ENDED_CASE))
            .select(max(collection_cases::resolved_at))
            .first(self.conn)
            .map_err(storage)
    }

    fn insert_case(&mut self, case: &CollectionCase) -> Result<bool> {
        // ON CONFLICT waits for a concurrent insert of the same client's live case, then
        // skips: the unique partial index decides who opens the case.
        let inserted = diesel::insert_into(collection_cases::table)
            .values(CaseRow::from_domain(case))
            .on_conflict_do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        Ok(inserted == 1)
    }

    fn update_case(&mut self, case: &CollectionCase) -> Result<()> {
        let row = CaseRow::from_domain(case);
        let changed = diesel::update(collection_cases::table.find(case.id.as_str()))
            .set((
                collection_cases::status.eq(case.status.as_str()),
                collection_cases::dunning_level.eq(case.dunning_level),
                collection_cases::resolved_at.eq(case.resolved_at),
                collection_cases::updated_at.eq(case.updated_at),
                collection_cases::promised_date.eq(row.promised_date),
                collection_cases::promised_amount.eq(row.promised_amount),
                collection_cases::promise_made_at.eq(row.promise_made_at),
                collection_cases::promise_settled_before.eq(row.promise_settled_before),
                collection_cases::ladder_shift_days.eq(row.ladder_shift_days),
            ))
            .execute(self.conn)
            .map_err(storage)?;
        if changed == 0 {
            return Err(Error::Storage(format!(
                "collection case {} vanished",
                case.id
            )));
        }
        Ok(())
    }

    fn open_dispute(
        &mut self,
        case_id: &CaseId,
        invoice_ids: &[InvoiceId],
        at: OffsetDateTime,
    ) -> Result<()> {
        let rows: Vec<_> = invoice_ids
            .iter()
            .map(|invoice_id| {
                (
                    case_disputed_invoices::case_id.eq(case_id.as_str()),
                    case_disputed_invoices::invoice_id.eq(invoice_id.as_str()),
                    case_disputed_invoices::opened_at.eq(at),
                )
            })
            .collect();
        diesel::insert_into(case_disputed_invoices::table)
            .values(&rows)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn close_dispute(
        &mut self,
        case_id: &CaseId,
        at: OffsetDateTime,
        outcome: &str,
        credit_note_id: Option<CreditNoteId>,
    ) -> Result<Vec<InvoiceId>> {
        let ids: Vec<String> = diesel::update(
            case_disputed_invoices::table
                .filter(case_disputed_invoices::case_id.eq(case_id.as_str()))
                .filter(case_disputed_invoices::closed_at.is_null()),
        )
        .set((
            case_disputed_invoices::closed_at.eq(at),
            case_disputed_invoices::outcome.eq(outcome),
            case_disputed_invoices::credit_note_id
                .eq(credit_note_id.map(CreditNoteId::into_string)),
        ))
        .returning(case_disputed_invoices::invoice_id)
        .get_results(self.conn)
        .map_err(storage)?;
        Ok(ids.into_iter().map(InvoiceId::from_stored).collect())
    }

    fn disputed_invoice_ids(&mut self, case_id: &CaseId) -> Result<Vec<InvoiceId>> {
        let ids: Vec<String> = case_disputed_invoices::table
            .filter(case_disputed_invoices::case_id.eq(case_id.as_str()))
            .filter(case_disputed_invoices::closed_at.is_null())
            .order(case_disputed_invoices::invoice_id.asc())
            .select(case_disputed_invoices::invoice_id)
            .load(self.conn)
            .map_err(storage)?;
        Ok(ids.into_iter().map(InvoiceId::from_stored).collect())
    }

    fn settled_total(&mut self, client_id: &ClientId) -> Result<Money> {
        // NUMERIC sum clamped to the BIGINT range, like the overview (decision 0115).
        let sum: Sum = diesel::sql_query(collections_sql::SETTLED_TOTAL)
            .bind::<Text, _>(client_id.as_str())
            .get_result(self.conn)
            .map_err(storage)?;
        Ok(Money::from_stored(sum.total))
    }

    fn insert_action(&mut self, action: &CaseAction) -> Result<bool> {
        // `case_actions_step_once` makes a second recording of a dunning step a no-op.
        let inserted = diesel::insert_into(case_actions::table)
            .values(CaseActionRow::from_domain(action))
            .on_conflict_do_nothing()
            .execute(self.conn)
            .map_err(storage)?;
        Ok(inserted == 1)
    }

    fn actions(&mut self, case_id: &CaseId) -> Result<Vec<CaseAction>> {
        let rows: Vec<CaseActionRow> = case_actions::table
            .filter(case_actions::case_id.eq(case_id.as_str()))
            .order((
                case_actions::at.asc(),
                sql::<Integer>(SAME_INSTANT_RANK).asc(),
                case_actions::id.asc(),
            ))
            .select(CaseActionRow::as_select())
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows.into_iter().map(CaseActionRow::into_domain).collect())
    }

    fn overdue_invoices(&mut self, client_id: &ClientId, today: Date) -> Result<Vec<Invoice>> {
        invoices::table
            .filter(invoices::client_id.eq(client_id.as_str()))
            .filter(invoices::status.eq_any(OPEN_STATUSES))
            .filter(invoices::due_date.lt(today))
            .filter(
                (invoices::amount_paid + invoices::credited_amount).lt(invoices::total_incl_tax),
            )
            .order((invoices::due_date.asc(), invoices::id.asc()))
            .select(InvoiceRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(|row| row.into_domain(Vec::new()))
            .collect()
    }

    fn active_contract_ids(&mut self, client_id: &ClientId) -> Result<Vec<ContractId>> {
        let ids: Vec<String> = contracts::table
            .filter(contracts::client_id.eq(client_id.as_str()))
            .filter(contracts::status.eq("active"))
            .order(contracts::id.asc())
            .select(contracts::id)
            .load(self.conn)
            .map_err(storage)?;
        Ok(ids.into_iter().map(ContractId::from_stored).collect())
    }

    fn dunning_suspended_contract_ids(&mut self, client_id: &ClientId) -> Result<Vec<ContractId>> {
        let ids: Vec<String> = contracts::table
            .filter(contracts::client_id.eq(client_id.as_str()))
            .filter(contracts::status.eq("suspended"))
            .filter(contracts::suspended_by_dunning.eq(true))
            .order(contracts::id.asc())
            .select(contracts::id)
            .load(self.conn)
            .map_err(storage)?;
        Ok(ids.into_iter().map(ContractId::from_stored).collect())
    }

    fn dunning_candidates(&mut self, as_of: Date, ladder: &DunningLadder) -> Result<Vec<ClientId>> {
        let days = |d: i64| i32::try_from(d).unwrap_or(i32::MAX);
        let strict = ladder.reminder_days < ladder.second_reminder_days
            && ladder.second_reminder_days < ladder.suspension_days
            && ladder.suspension_days < ladder.pre_litigation_days;
        let rows: Vec<Id> = diesel::sql_query(collections_sql::DUNNING_CANDIDATES)
            .bind::<SqlDate, _>(as_of)
            .bind::<Integer, _>(days(ladder.reminder_days))
            .bind::<Integer, _>(days(ladder.second_reminder_days))
            .bind::<Integer, _>(days(ladder.suspension_days))
            .bind::<Integer, _>(days(ladder.pre_litigation_days))
            .bind::<Bool, _>(strict)
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|r| ClientId::from_stored(r.id))
            .collect())
    }

    fn lock_overdue_invoices(&mut self, clients: &[ClientId], as_of: Date) -> Result<Vec<Invoice>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        // Same order as `lock_open_invoices` (payments): no deadlock between the two.
        invoices::table
            .filter(invoices::client_id.eq_any(ids))
            .filter(invoices::status.eq_any(OPEN_STATUSES))
            .filter(invoices::due_date.lt(as_of))
            .filter(
                (invoices::amount_paid + invoices::credited_amount).lt(invoices::total_incl_tax),
            )
            .order((invoices::due_date.asc(), invoices::id.asc()))
            .for_update()
            .select(InvoiceRow::as_select())
            .load(self.conn)
            .map_err(storage)?
            .into_iter()
            .map(|row| row.into_domain(Vec::new()))
            .collect()
    }

    fn live_cases_for_update(&mut self, clients: &[ClientId]) -> Result<Vec<CollectionCase>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        keep_prepared(
            constant_sql(collections_sql::LIVE_CASES_FOR_UPDATE).bind::<Array<Text>, _>(ids),
        )
        .load::<CaseRow>(self.conn)
        .map_err(storage)?
        .into_iter()
        .map(|row| row.into_domain(0, Vec::new(), Vec::new()))
        .collect()
    }

    fn last_case_ends(&mut self, clients: &[ClientId]) -> Result<Vec<(ClientId, OffsetDateTime)>> {
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        let rows: Vec<ClientInstant> = keep_prepared(
            constant_sql(collections_sql::LAST_CASE_ENDS).bind::<Array<Text>, _>(ids),
        )
        .load(self.conn)
        .map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|r| (ClientId::from_stored(r.client_id), r.at))
            .collect())
    }

    fn credits_available(&mut self, clients: &[ClientId]) -> Result<Vec<(ClientId, Money)>> {
        let ids: Vec<&str> = clients.iter().map(ClientId::as_str).collect();
        let rows: Vec<ClientAmount> = diesel::sql_query(collections_sql::CREDITS_AVAILABLE)
            .bind::<Array<Text>, _>(ids)
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    ClientId::from_stored(r.client_id),
                    Money::from_stored(r.amount),
                )
            })
            .collect())
    }

    fn insert_cases(&mut self, cases: &[CollectionCase]) -> Result<Vec<CaseId>> {
        if cases.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<CaseRow> = cases.iter().map(CaseRow::from_domain).collect();
        let column = |f: fn(&CaseRow) -> &str| rows.iter().map(f).collect::<Vec<_>>();
        let instants = |f: fn(&CaseRow) -> OffsetDateTime| rows.iter().map(f).collect::<Vec<_>>();
        let ids: Vec<IdValue> = keep_prepared(
            constant_sql(collections_sql::INSERT_CASES)
                .bind::<Array<Text>, _>(column(|r| &r.id))
                .bind::<Array<Text>, _>(column(|r| &r.client_id))
                .bind::<Array<Text>, _>(column(|r| &r.status))
                .bind::<Array<Integer>, _>(rows.iter().map(|r| r.dunning_level).collect::<Vec<_>>())
                .bind::<Array<Timestamptz>, _>(instants(|r| r.opened_at))
                .bind::<Array<Nullable<Timestamptz>>, _>(
                    rows.iter().map(|r| r.resolved_at).collect::<Vec<_>>(),
                )
                .bind::<Array<Timestamptz>, _>(instants(|r| r.created_at))
                .bind::<Array<Timestamptz>, _>(instants(|r| r.updated_at))
                .bind::<Array<Nullable<SqlDate>>, _>(
                    rows.iter().map(|r| r.promised_date).collect::<Vec<_>>(),
                )
                .bind::<Array<Nullable<BigInt>>, _>(
                    rows.iter().map(|r| r.promised_amount).collect::<Vec<_>>(),
                )
                .bind::<Array<Nullable<Timestamptz>>, _>(
                    rows.iter().map(|r| r.promise_made_at).collect::<Vec<_>>(),
                )
                .bind::<Array<Nullable<BigInt>>, _>(
                    rows.iter()
                        .map(|r| r.promise_settled_before)
                        .collect::<Vec<_>>(),
                )
                .bind::<Array<Integer>, _>(
                    rows.iter().map(|r| r.ladder_shift_days).collect::<Vec<_>>(),
                ),
        )
        .load(self.conn)
        .map_err(storage)?;
        Ok(ids.into_iter().map(|r| CaseId::from_stored(r.id)).collect())
    }

    fn insert_actions(&mut self, actions: &[CaseAction]) -> Result<Vec<CaseActionId>> {
        if actions.is_empty() {
            return Ok(Vec::new());
        }
        let text = |f: fn(&CaseAction) -> &str| actions.iter().map(f).collect::<Vec<_>>();
        let ids: Vec<IdValue> = keep_prepared(
            constant_sql(collections_sql::INSERT_ACTIONS)
                .bind::<Array<Text>, _>(text(|a| a.id.as_str()))
                .bind::<Array<Text>, _>(text(|a| a.case_id.as_str()))
                .bind::<Array<Text>, _>(text(|a| &a.action_type))
                .bind::<Array<Nullable<Text>>, _>(
                    actions
                        .iter()
                        .map(|a| a.note.as_deref())
                        .collect::<Vec<_>>(),
                )
                .bind::<Array<Bool>, _>(actions.iter().map(|a| a.automatic).collect::<Vec<_>>())
                .bind::<Array<Text>, _>(text(|a| &a.actor_id))
                .bind::<Array<Nullable<Text>>, _>(
                    actions
                        .iter()
                        .map(|a| a.dunning_step.as_deref())
                        .collect::<Vec<_>>(),
                )
                .bind::<Array<Timestamptz>, _>(actions.iter().map(|a| a.at).collect::<Vec<_>>()),
        )
        .load(self.conn)
        .map_err(storage)?;
        Ok(ids
            .into_iter()
            .map(|r| CaseActionId::from_stored(r.id))
            .collect())
    }

    fn set_dunning_levels(&mut self, levels: &[(CaseId, i32)], at: OffsetDateTime) -> Result<()> {
        if levels.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = levels.iter().map(|(id, _)| id.as_str()).collect();
        let values: Vec<i32> = levels.iter().map(|(_, level)| *level).collect();
        diesel::sql_query(collections_sql::SET_DUNNING_LEVELS)
            .bind::<Array<Text>, _>(ids)
            .bind::<Array<Integer>, _>(values)
            .bind::<Timestamptz, _>(at)
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn overview(&mut self, today: Date, month_start: Date, month_end: Date) -> Result<Overview> {
        let figures: Figures = diesel::sql_query(collections_sql::OPEN_FIGURES)
            .bind::<SqlDate, _>(today)
            .get_result(self.conn)
            .map_err(storage)?;
        let counts: Vec<CaseStatusCount> = diesel::sql_query(collections_sql::CASES_BY_STATUS)
            .load(self.conn)
            .map_err(storage)?;
        let collected: Sum = diesel::sql_query(collections_sql::COLLECTED_BETWEEN)
            .bind::<SqlDate, _>(month_start)
            .bind::<SqlDate, _>(month_end)
            .get_result(self.conn)
            .map_err(storage)?;
        let cases_by_status = CaseStatus::ALL
            .into_iter()
            .map(|status| {
                let count = counts
                    .iter()
                    .find(|c| c.status == status.as_str())
                    .map_or(0, |c| c.count);
                (status, count)
            })
            .collect();
        let last_dunning_run = self.last_dunning_run()?;
        Ok(figures.into_overview(cases_by_status, collected.total, last_dunning_run))
    }

    fn record_dunning_run(&mut self, completed_at: OffsetDateTime) -> Result<()> {
        diesel::insert_into(dunning_last_run::table)
            .values(dunning_last_run::completed_at.eq(completed_at))
            .on_conflict(dunning_last_run::singleton)
            .do_update()
            .set(dunning_last_run::completed_at.eq(sql::<Timestamptz>(
                "GREATEST(dunning_last_run.completed_at, excluded.completed_at)",
            )))
            .execute(self.conn)
            .map_err(storage)?;
        Ok(())
    }

    fn last_dunning_run(&mut self) -> Result<Option<OffsetDateTime>> {
        dunning_last_run::table
            .select(dunning_last_run::completed_at)
            .first(self.conn)
            .optional()
            .map_err(storage)
    }

    fn utc_offset(&mut self, zone: &str, at: OffsetDateTime) -> Result<UtcOffset> {
        // The local wall time of `at` in the zone minus its UTC wall time: PostgreSQL's tz
        // database knows Morocco's Ramadan changes.
        let offset: ZoneOffset = diesel::sql_query(
            "SELECT EXTRACT(EPOCH FROM ($1 AT TIME ZONE $2) - ($1 AT TIME ZONE 'UTC'))::int4 \
             AS seconds",
        )
        .bind::<Timestamptz, _>(at)
        .bind::<Text, _>(zone)
        .get_result(self.conn)
        .map_err(storage)?;
        UtcOffset::from_whole_seconds(offset.seconds)
            .map_err(|e| Error::Storage(format!("offset of {zone}: {e}")))
    }
}
