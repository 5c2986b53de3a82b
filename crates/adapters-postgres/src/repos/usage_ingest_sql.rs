//! The statements of usage ingestion (decisions 0367, 0383): the batch is copied into a
//! staging table, then attributed, marked late, inserted and its rejections read by one
//! set-based statement.

/// The staging table of one call, dropped at its end (not `ON COMMIT DROP`: a caller outside
/// a transaction would lose it after each statement). `shared`: another line of the batch has
/// the same `record_id`.
pub(super) const CREATE_STAGING: &str = "
CREATE TEMP TABLE usage_staging (
    line               INT4 NOT NULL,
    record_id          TEXT NOT NULL,
    service_identifier TEXT NOT NULL,
    kind               TEXT NOT NULL,
    started_at         TIMESTAMPTZ NOT NULL,
    quantity           INT8 NOT NULL,
    destination        TEXT,
    shared             BOOL NOT NULL
)";

/// Drops the staging table (also one a failed call left on a pooled session).
pub(super) const DROP_STAGING: &str = "DROP TABLE IF EXISTS pg_temp.usage_staging";

/// Exclusive: an ingestion waits for the billing batches in flight, which hold it shared, and
/// ingestions run one after another (decision 0375).
pub(super) const LOCK_EXCLUSIVE: &str = "SELECT pg_advisory_xact_lock($1)";

/// Memory for the statement below, for this transaction only: its sort and the attributed
/// set of 100,000 records (about 17 MB) spill to temporary files at the 4 MB default.
pub(super) const INGEST_WORK_MEM: &str = "SELECT set_config('work_mem', '64MB', true)";

/// Attributes each staged record to the contract whose subscriber has its line and whose
/// service covers its day in Morocco (the latest-starting one if two do), marks it late when
/// an invoice line already bills that contract for the day's month, and inserts it unless its
/// `record_id` is stored or an earlier attributed line of the batch has it (the first wins).
/// `$1` = `received_at`. Answers, in no order:
/// - per contract, day and kind the batch stored: `contract_id`, `usage_date`, `kind`, the
///   `quantity` stored and how many records (`accepted`, of which `late`);
/// - per contract, day and kind stored before the batch in a month it added to: the same
///   with `accepted` and `late` at 0, so the caller has each such month's whole usage
///   without reading it back (decision 0388);
/// - per record no contract took: `line`, `record_id`, and `known_line` (some subscriber
///   has its line: `no_contract_at_time`, else `unknown_line`).
///
/// The usage of before the batch is read in the same statement, whose snapshot predates
/// its own insert: no row is counted twice.
///
/// Duplicates are filtered before the insert instead of `ON CONFLICT DO NOTHING`, whose
/// speculative insertion cost 40 % more than a plain insert: no other writer can store a
/// record meanwhile, since every ingestion holds the usage lock exclusive (decision 0375).
/// A record stored without it would fail the batch on the primary key, never double it.
pub(super) const INGEST: &str = "
WITH attributed AS (
    SELECT DISTINCT ON (s.line) s.line, s.record_id, s.service_identifier, s.kind,
           s.started_at, s.usage_date, s.quantity, s.destination, s.shared,
           c.id AS contract_id, sub.id IS NOT NULL AS known_line
    -- OFFSET 0 keeps the subquery whole, so the day in Morocco is computed once per record
    -- instead of once per join condition that names it (a time zone lookup each).
    FROM (SELECT s.*, (s.started_at AT TIME ZONE 'Africa/Casablanca')::date AS usage_date
          FROM usage_staging s
          OFFSET 0) s
    LEFT JOIN subscribers sub ON sub.service_identifier = s.service_identifier
    LEFT JOIN contracts c
      ON c.subscriber_id = sub.id
     AND c.contract_start_date <= s.usage_date
     AND ((c.status IN ('active', 'suspended')
           AND (c.termination_date IS NULL OR s.usage_date <= c.termination_date))
          OR (c.status = 'terminated' AND s.usage_date <= c.termination_date))
    ORDER BY s.line, c.contract_start_date DESC NULLS LAST, c.id DESC NULLS LAST
), billed AS (
    SELECT DISTINCT il.contract_id, i.period
    FROM invoice_lines il
    JOIN invoices i ON i.id = il.invoice_id
    WHERE il.contract_id IN (SELECT contract_id FROM attributed WHERE contract_id IS NOT NULL)
), stored AS MATERIALIZED (
    -- The batch's records already stored, read once before the insert adds any: a probe of
    -- the primary key per record inside the insert was planned as a sequential scan while
    -- the table was empty, and rescanned the rows the statement was adding, quadratically.
    SELECT r.record_id
    FROM usage_records r
    WHERE r.record_id IN (SELECT record_id FROM usage_staging)
), candidates AS (
    -- The first attributed line of each record_id in the batch. Only the records whose id
    -- is on several lines are sorted for it (none in a clean file), by a window rather than
    -- a join of the batch with itself, whose plan would hang on the estimates of the
    -- unanalysed staging table.
    SELECT a.*, a.line AS first_line
    FROM attributed a
    WHERE a.contract_id IS NOT NULL AND NOT a.shared
    UNION ALL
    SELECT a.*, min(a.line) OVER (PARTITION BY a.record_id COLLATE \"C\")
    FROM attributed a
    WHERE a.contract_id IS NOT NULL AND a.shared
), inserted AS (
    INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, started_at,
                               usage_date, quantity, destination, received_at, late)
    SELECT c.record_id, c.contract_id, c.service_identifier, c.kind, c.started_at,
           c.usage_date, c.quantity, c.destination, $1,
           -- Uncorrelated: one hash of the billed months, whatever the estimates.
           (c.contract_id, to_char(c.usage_date, 'YYYY-MM')) IN (SELECT contract_id, period
                                                                   FROM billed)
    FROM candidates c
    WHERE c.line = c.first_line
      -- Uncorrelated too: a hash of the stored ids.
      AND c.record_id NOT IN (SELECT record_id FROM stored)
    RETURNING contract_id, usage_date, kind, quantity, late
), fresh AS (
    SELECT contract_id, usage_date, kind, sum(quantity)::int8 AS quantity,
           count(*)::int8 AS accepted, count(*) FILTER (WHERE late)::int8 AS late
    FROM inserted
    GROUP BY 1, 2, 3
), months AS (
    SELECT DISTINCT contract_id, usage_date - (extract(day FROM usage_date)::int - 1) AS first_day
    FROM fresh
)
SELECT contract_id, usage_date, kind, quantity, accepted, late,
       NULL::int4 AS line, NULL::text AS record_id, NULL::bool AS known_line
FROM fresh
UNION ALL
SELECT r.contract_id, r.usage_date, r.kind, sum(r.quantity)::int8, 0, 0, NULL, NULL, NULL
FROM months m
JOIN usage_records r
  ON r.contract_id = m.contract_id
 AND r.usage_date >= m.first_day
 AND r.usage_date < (m.first_day + interval '1 month')::date
GROUP BY r.contract_id, r.usage_date, r.kind
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, line, record_id, known_line
FROM attributed
WHERE contract_id IS NULL";

/// The contracts rating needs, each with its offer periods in order (`$1` = ids; unknown ids
/// are left out). The ids are joined as a set rather than matched with `= ANY($1)`, whose
/// planning estimated each of 10,000 ids apart (26 ms, more than the read; decision 0388).
pub(super) const USAGE_CONTRACTS: &str = "
SELECT c.id, c.client_id, c.termination_date,
       p.offer_id, p.monthly_price, p.tax_rate_bp, p.start_date, p.end_date, p.usage_terms,
       p.allowance_voice_seconds, p.allowance_sms, p.allowance_data_bytes,
       p.rate_voice_per_minute, p.rate_sms_each, p.rate_data_per_mb
FROM unnest($1::text[]) AS ids(id)
JOIN contracts c ON c.id = ids.id
LEFT JOIN contract_offer_periods p ON p.contract_id = c.id
ORDER BY c.id, p.start_date, p.id";

/// Records thresholds; answers those not recorded before (`$1`..`$4` pairwise arrays,
/// `$5` = when).
pub(super) const RECORD_THRESHOLDS: &str = "
INSERT INTO usage_thresholds (contract_id, period, kind, percent, reached_at)
SELECT t.contract_id, t.period, t.kind, t.percent, $5
FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS t(contract_id, period, kind, percent)
ON CONFLICT (contract_id, period, kind, percent) DO NOTHING
RETURNING contract_id, period, kind, percent";
