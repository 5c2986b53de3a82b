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

/// Clients dunning looks at: overdue invoices, a live case, or a dunning suspension.
pub(crate) const DUNNING_CANDIDATES: &str = "\
SELECT client_id AS id FROM invoices \
 WHERE status IN ('issued', 'partially_paid') AND due_date < $1 \
   AND amount_paid + credited_amount < total_incl_tax \
UNION SELECT client_id FROM collection_cases \
 WHERE status IN ('open', 'in_progress', 'promise_to_pay', 'disputed') \
UNION SELECT client_id FROM contracts \
 WHERE suspended_by_dunning AND status = 'suspended' \
ORDER BY 1";

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
