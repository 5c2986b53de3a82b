//! The hand-written SQL of collections: case views with their overdue figures, the dunning
//! candidates and the overview aggregates. Each leans on an index (see ADR 0044).

use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Date as SqlDate, Integer, Nullable, Text};
use domain::collections::{CaseFilter, CaseStatus};
use domain::page::PageRequest;
use time::Date;

/// Cases with the current overdue amount and invoices of their client (open, past due), and
/// the invoices of their open dispute.
/// Binds: today, status, client_id, dunning_level, after, min_overdue, id, limit.
const CASE_VIEWS: &str = "\
SELECT c.id, c.client_id, c.status, c.dunning_level, c.opened_at, c.resolved_at, \
       c.created_at, c.updated_at, c.promised_date, c.promised_amount, c.promise_made_at, \
       c.promise_settled_before, c.ladder_shift_days, \
       LEAST(GREATEST(COALESCE(o.amount, 0), -9223372036854775808), 9223372036854775807)::BIGINT \
         AS overdue_amount, \
       COALESCE(o.ids, ARRAY[]::TEXT[]) AS invoice_ids, \
       COALESCE(d.ids, ARRAY[]::TEXT[]) AS disputed_invoice_ids \
FROM collection_cases c \
LEFT JOIN LATERAL ( \
    SELECT SUM(i.total_incl_tax::NUMERIC - i.amount_paid - i.credited_amount) AS amount, \
           array_agg(i.id ORDER BY i.due_date, i.id) AS ids \
    FROM invoices i \
    WHERE i.client_id = c.client_id \
      AND i.status IN ('issued', 'partially_paid') \
      AND i.due_date < $1 \
      AND i.amount_paid + i.credited_amount < i.total_incl_tax \
) o ON TRUE \
LEFT JOIN LATERAL ( \
    SELECT array_agg(di.invoice_id ORDER BY di.invoice_id) AS ids \
    FROM case_disputed_invoices di \
    WHERE di.case_id = c.id AND di.closed_at IS NULL \
) d ON TRUE \
WHERE ($2::TEXT IS NULL OR c.status = $2) \
  AND ($3::TEXT IS NULL OR c.client_id = $3) \
  AND ($4::INTEGER IS NULL OR c.dunning_level = $4) \
  AND ($5::TEXT IS NULL OR c.id > $5) \
  AND ($6::BIGINT IS NULL OR COALESCE(o.amount, 0) >= $6) \
  AND ($7::TEXT IS NULL OR c.id = $7) \
ORDER BY c.id \
LIMIT $8";

/// Clients dunning looks at (overdue invoices, a live case, or a dunning suspension), less
/// those for whom a run provably does nothing (decision 0331): a live case whose ladder,
/// counted from the client's oldest overdue invoice (an upper bound of the days the run
/// counts), reaches no level above its own; a promise not past its date; debt an ended case
/// covers; suspended contracts of a client still overdue.
/// Binds: as_of, the four step days, whether they climb strictly.
pub(crate) const DUNNING_CANDIDATES: &str = "\
WITH overdue AS ( \
    SELECT client_id, min(due_date) AS oldest, max(due_date) AS newest FROM invoices \
     WHERE status IN ('issued', 'partially_paid') AND due_date < $1 \
       AND amount_paid + credited_amount < total_incl_tax \
     GROUP BY client_id \
), live AS ( \
    SELECT client_id, status, dunning_level, ladder_shift_days, promised_date \
      FROM collection_cases \
     WHERE status IN ('open', 'in_progress', 'promise_to_pay', 'disputed') \
), ended AS ( \
    SELECT client_id, max(resolved_at) AS at FROM collection_cases \
     WHERE status NOT IN ('open', 'in_progress', 'promise_to_pay', 'disputed') \
     GROUP BY client_id \
) \
SELECT COALESCE(o.client_id, l.client_id) AS id \
  FROM overdue o \
  FULL JOIN live l ON l.client_id = o.client_id \
  LEFT JOIN ended e ON e.client_id = o.client_id \
 WHERE o.client_id IS NULL \
    OR (l.client_id IS NULL \
        AND (e.at IS NULL OR o.newest >= (e.at AT TIME ZONE 'UTC')::DATE)) \
    OR (l.status = 'promise_to_pay' AND l.promised_date < $1) \
    OR (l.status IN ('open', 'in_progress', 'disputed') \
        AND (NOT $6 OR l.dunning_level < CASE \
            WHEN $1 - o.oldest - l.ladder_shift_days >= $5 THEN 4 \
            WHEN $1 - o.oldest - l.ladder_shift_days >= $4 THEN 3 \
            WHEN $1 - o.oldest - l.ladder_shift_days >= $3 THEN 2 \
            WHEN $1 - o.oldest - l.ladder_shift_days >= $2 THEN 1 \
            ELSE 0 END)) \
UNION \
SELECT client_id FROM contracts \
 WHERE suspended_by_dunning AND status = 'suspended' \
   AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = contracts.client_id \
       AND i.status IN ('issued', 'partially_paid') AND i.due_date < $1 \
       AND i.amount_paid + i.credited_amount < i.total_incl_tax) \
ORDER BY 1";

/// The columns of [`crate::rows::collection_case::CaseRow`].
macro_rules! case_columns {
    () => {
        "id, client_id, status, dunning_level, opened_at, resolved_at, created_at, updated_at, \
         promised_date, promised_amount, promise_made_at, promise_settled_before, \
         ladder_shift_days"
    };
}

/// The live case of client $1, locked. The live statuses are written in the text, not bound:
/// only a literal list lets PostgreSQL prove the predicate of the partial unique index
/// `collection_cases_one_live` in the generic plan a kept-prepared statement ends up with.
/// Bound as a parameter, that plan read every live case (decision 0380).
pub(crate) const LIVE_CASE_FOR_UPDATE: &str = concat!(
    "SELECT ",
    case_columns!(),
    " FROM collection_cases WHERE client_id = $1 \
     AND status IN ('open', 'in_progress', 'promise_to_pay', 'disputed') FOR UPDATE"
);

/// The live cases of the clients of $1, locked in client order, as [`LIVE_CASE_FOR_UPDATE`]:
/// one probe of `collection_cases_one_live` per client. With the statuses bound, a dunning
/// batch compared every live case with its 500 client ids, quadratic over a first run.
pub(crate) const LIVE_CASES_FOR_UPDATE: &str = concat!(
    "SELECT ",
    case_columns!(),
    " FROM collection_cases WHERE client_id = ANY($1) \
     AND status IN ('open', 'in_progress', 'promise_to_pay', 'disputed') \
     ORDER BY client_id FOR UPDATE"
);

/// When the latest ended case of each client of $1 ended. The ended statuses are listed (not
/// "not live") so that the partial index `collection_cases_ended_by_client` answers it by
/// probes; `NOT IN` the live ones scanned every case of the table once per batch.
pub(crate) const LAST_CASE_ENDS: &str = "\
SELECT client_id, max(resolved_at) AS at FROM collection_cases \
 WHERE client_id = ANY($1) \
   AND status IN ('resolved', 'written_off', 'closed') \
 GROUP BY client_id HAVING max(resolved_at) IS NOT NULL";

/// Credit available to each client of $1 with any: unallocated payments and credit-note
/// remainders, as the ledger's `CREDIT_AVAILABLE` sums them for one client.
pub(crate) const CREDITS_AVAILABLE: &str = "\
SELECT client_id, sum(amount)::INT8 AS amount FROM ( \
    SELECT client_id, unallocated_amount AS amount FROM payments \
     WHERE client_id = ANY($1) AND unallocated_amount <> 0 \
    UNION ALL \
    SELECT client_id, credit_remaining FROM credit_notes \
     WHERE client_id = ANY($1) AND credit_remaining <> 0 \
) credit GROUP BY client_id";

/// Sets the dunning level of the cases $1 to $2 (same positions) and `updated_at` to $3.
pub(crate) const SET_DUNNING_LEVELS: &str = "\
UPDATE collection_cases c SET dunning_level = v.level, updated_at = $3 \
  FROM unnest($1::TEXT[], $2::INT4[]) AS v(id, level) WHERE c.id = v.id";

/// Outstanding, overdue and aging of open invoices as of $1 (days past due = $1 - due_date).
/// Summed as NUMERIC and clamped to the BIGINT range, so no stored amount can make the
/// overview fail (decision 0115).
pub(crate) const OPEN_FIGURES: &str = "\
SELECT \
  LEAST(GREATEST(outstanding_total, -9223372036854775808), 9223372036854775807)::BIGINT \
    AS outstanding_total, \
  LEAST(GREATEST(overdue_total, -9223372036854775808), 9223372036854775807)::BIGINT \
    AS overdue_total, \
  LEAST(GREATEST(d0_30, -9223372036854775808), 9223372036854775807)::BIGINT AS d0_30, \
  LEAST(GREATEST(d31_60, -9223372036854775808), 9223372036854775807)::BIGINT AS d31_60, \
  LEAST(GREATEST(d61_90, -9223372036854775808), 9223372036854775807)::BIGINT AS d61_90, \
  LEAST(GREATEST(d90_plus, -9223372036854775808), 9223372036854775807)::BIGINT AS d90_plus \
FROM ( \
SELECT \
  COALESCE(SUM(total_incl_tax::NUMERIC - amount_paid - credited_amount), 0) AS outstanding_total, \
  COALESCE(SUM(total_incl_tax::NUMERIC - amount_paid - credited_amount) FILTER (WHERE due_date < $1::DATE), 0) \
    AS overdue_total, \
  COALESCE(SUM(total_incl_tax::NUMERIC - amount_paid - credited_amount) FILTER (WHERE due_date < $1::DATE \
    AND due_date >= $1::DATE - 30), 0) AS d0_30, \
  COALESCE(SUM(total_incl_tax::NUMERIC - amount_paid - credited_amount) FILTER (WHERE due_date < $1::DATE - 30 \
    AND due_date >= $1::DATE - 60), 0) AS d31_60, \
  COALESCE(SUM(total_incl_tax::NUMERIC - amount_paid - credited_amount) FILTER (WHERE due_date < $1::DATE - 60 \
    AND due_date >= $1::DATE - 90), 0) AS d61_90, \
  COALESCE(SUM(total_incl_tax::NUMERIC - amount_paid - credited_amount) FILTER (WHERE due_date < $1::DATE - 90), 0) \
    AS d90_plus \
FROM invoices WHERE status IN ('issued', 'partially_paid')) sums";

/// Number of cases per status.
pub(crate) const CASES_BY_STATUS: &str =
    "SELECT status, count(*)::BIGINT AS count FROM collection_cases GROUP BY status";

/// Sum of payments received in [$1, $2), clamped to the BIGINT range.
pub(crate) const COLLECTED_BETWEEN: &str = "\
SELECT LEAST(COALESCE(SUM(amount), 0), 9223372036854775807)::BIGINT AS total FROM payments \
 WHERE received_at >= $1 AND received_at < $2";

/// What the client ($1) has paid and been credited on all its invoices, clamped to the
/// BIGINT range: the baseline and the measure of a promise to pay.
pub(crate) const SETTLED_TOTAL: &str = "\
SELECT LEAST(COALESCE(SUM(amount_paid::NUMERIC + credited_amount), 0), 9223372036854775807)::BIGINT \
  AS total FROM invoices WHERE client_id = $1";

/// Which case views to read: one page, or the one case with this id.
pub(crate) enum Rows<'a> {
    /// [`PageRequest::fetch`] cases after the page's cursor, by id.
    Page(&'a PageRequest),
    /// The case with this id.
    One(&'a str),
}

/// The case-view query for `filter` and `rows`, overdue figures as of `today`.
pub(crate) fn case_views<'a>(
    filter: &'a CaseFilter,
    rows: Rows<'a>,
    today: Date,
) -> BoxedSqlQuery<'a, Pg, SqlQuery> {
    let (after, id, limit) = match rows {
        Rows::Page(page) => (
            page.after(),
            None,
            i64::try_from(page.fetch()).unwrap_or(i64::MAX),
        ),
        Rows::One(id) => (None, Some(id), 1),
    };
    diesel::sql_query(CASE_VIEWS)
        .into_boxed()
        .bind::<SqlDate, _>(today)
        .bind::<Nullable<Text>, _>(filter.status.map(CaseStatus::as_str))
        .bind::<Nullable<Text>, _>(filter.client_id.as_ref().map(|id| id.as_str()))
        .bind::<Nullable<Integer>, _>(filter.dunning_level)
        .bind::<Nullable<Text>, _>(after)
        .bind::<Nullable<BigInt>, _>(filter.min_overdue)
        .bind::<Nullable<Text>, _>(id)
        .bind::<BigInt, _>(limit)
}

/// New cases in one statement whatever their number, one array per column (decision 0343): a
/// bind per array instead of thirteen per row, and one text that stays prepared. A client's
/// live case opened meanwhile by another instance (`collection_cases_one_live`) is skipped;
/// the ids inserted come back.
pub(super) const INSERT_CASES: &str = "\
INSERT INTO collection_cases (id, client_id, status, dunning_level, opened_at, resolved_at,
    created_at, updated_at, promised_date, promised_amount, promise_made_at,
    promise_settled_before, ladder_shift_days)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::timestamptz[],
    $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::date[], $10::int8[],
    $11::timestamptz[], $12::int8[], $13::int4[])
ON CONFLICT DO NOTHING
RETURNING id";

/// Case actions in one statement, as [`INSERT_CASES`]; a dunning step already recorded for
/// the case (`case_actions_step_once`) is skipped.
pub(super) const INSERT_ACTIONS: &str = "\
INSERT INTO case_actions (id, case_id, action_type, note, automatic, actor_id, dunning_step, at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::text[],
    $7::text[], $8::timestamptz[])
ON CONFLICT DO NOTHING
RETURNING id";
