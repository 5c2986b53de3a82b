//! The statements of usage ingestion (decision 0367): the batch is copied into a staging
//! table, then attributed, marked late and inserted by one set-based statement.

/// The staging table of one call, dropped at its end (not `ON COMMIT DROP`: a caller outside
/// a transaction would lose it after each statement).
pub(super) const CREATE_STAGING: &str = "
CREATE TEMP TABLE usage_staging (
    line               INT4 NOT NULL,
    record_id          TEXT NOT NULL,
    service_identifier TEXT NOT NULL,
    kind               TEXT NOT NULL,
    started_at         TIMESTAMPTZ NOT NULL,
    quantity           INT8 NOT NULL,
    destination        TEXT
)";

/// Drops the staging table (also one a failed call left on a pooled session).
pub(super) const DROP_STAGING: &str = "DROP TABLE IF EXISTS pg_temp.usage_staging";

/// Exclusive: an ingestion waits for the billing batches in flight, which hold it shared, and
/// ingestions run one after another (decision 0375).
pub(super) const LOCK_EXCLUSIVE: &str = "SELECT pg_advisory_xact_lock($1)";

/// Attributes each staged record to the contract whose subscriber has its line and whose
/// service covers its day in Morocco (the latest-starting one if two do), marks it late when
/// an invoice line already bills that contract for the day's month, and inserts it unless its
/// `record_id` is stored (the first line wins within the batch). Answers per contract and
/// month what was stored. `$1` = `received_at`.
pub(super) const INSERT_ATTRIBUTED: &str = "
WITH staged AS (
    SELECT s.*, (s.started_at AT TIME ZONE 'Africa/Casablanca')::date AS usage_date
    FROM usage_staging s
), attributed AS (
    SELECT DISTINCT ON (s.line) s.line, s.record_id, s.service_identifier, s.kind,
           s.started_at, s.usage_date, s.quantity, s.destination, c.id AS contract_id
    FROM staged s
    JOIN subscribers sub ON sub.service_identifier = s.service_identifier
    JOIN contracts c ON c.subscriber_id = sub.id
    WHERE c.contract_start_date <= s.usage_date
      AND ((c.status IN ('active', 'suspended')
            AND (c.termination_date IS NULL OR s.usage_date <= c.termination_date))
           OR (c.status = 'terminated' AND s.usage_date <= c.termination_date))
    ORDER BY s.line, c.contract_start_date DESC, c.id DESC
), billed AS (
    SELECT DISTINCT il.contract_id, i.period
    FROM invoice_lines il
    JOIN invoices i ON i.id = il.invoice_id
    WHERE il.contract_id IN (SELECT contract_id FROM attributed)
), inserted AS (
    INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, started_at,
                               usage_date, quantity, destination, received_at, late)
    SELECT a.record_id, a.contract_id, a.service_identifier, a.kind, a.started_at,
           a.usage_date, a.quantity, a.destination, $1,
           EXISTS (SELECT 1 FROM billed b
                   WHERE b.contract_id = a.contract_id
                     AND b.period = to_char(a.usage_date, 'YYYY-MM'))
    FROM attributed a
    ORDER BY a.line
    ON CONFLICT (record_id) DO NOTHING
    RETURNING contract_id, usage_date, late
)
SELECT contract_id, to_char(usage_date, 'YYYY-MM') AS period,
       count(*)::int8 AS accepted, count(*) FILTER (WHERE late)::int8 AS late
FROM inserted
GROUP BY 1, 2
ORDER BY 1, 2";

/// The staged records no contract took, in line order, and whether any subscriber has
/// their line (`unknown_line` when none does, else `no_contract_at_time`).
pub(super) const UNATTRIBUTED: &str = "
WITH staged AS (
    SELECT s.*, (s.started_at AT TIME ZONE 'Africa/Casablanca')::date AS usage_date
    FROM usage_staging s
)
SELECT s.line, s.record_id,
       s.service_identifier IN (SELECT service_identifier FROM subscribers) AS known_line
FROM staged s
WHERE NOT EXISTS (
    SELECT 1
    FROM subscribers sub
    JOIN contracts c ON c.subscriber_id = sub.id
    WHERE sub.service_identifier = s.service_identifier
      AND c.contract_start_date <= s.usage_date
      AND ((c.status IN ('active', 'suspended')
            AND (c.termination_date IS NULL OR s.usage_date <= c.termination_date))
           OR (c.status = 'terminated' AND s.usage_date <= c.termination_date)))
ORDER BY s.line";

/// The contracts rating needs (`$1` = ids).
pub(super) const USAGE_CONTRACTS: &str = "
SELECT id, client_id, termination_date FROM contracts WHERE id = ANY($1) ORDER BY id";

/// Usage by contract, day and kind of the given contract months (`$1` = contract ids,
/// `$2` = their months as `YYYY-MM`, pairwise).
pub(super) const MONTH_USAGE: &str = "
SELECT r.contract_id, r.usage_date, r.kind, sum(r.quantity)::int8 AS quantity
FROM unnest($1::text[], $2::text[]) AS m(contract_id, period)
JOIN usage_records r
  ON r.contract_id = m.contract_id
 AND r.usage_date BETWEEN to_date(m.period || '-01', 'YYYY-MM-DD')
                      AND (to_date(m.period || '-01', 'YYYY-MM-DD') + interval '1 month' - interval '1 day')::date
GROUP BY r.contract_id, r.usage_date, r.kind
ORDER BY r.contract_id, r.usage_date, r.kind";

/// Records thresholds; answers those not recorded before (`$1`..`$4` pairwise arrays,
/// `$5` = when).
pub(super) const RECORD_THRESHOLDS: &str = "
INSERT INTO usage_thresholds (contract_id, period, kind, percent, reached_at)
SELECT t.contract_id, t.period, t.kind, t.percent, $5
FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[]) AS t(contract_id, period, kind, percent)
ON CONFLICT (contract_id, period, kind, percent) DO NOTHING
RETURNING contract_id, period, kind, percent";
