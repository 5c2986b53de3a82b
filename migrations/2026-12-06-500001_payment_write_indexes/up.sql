-- Every payment writes a row to `payments` and to `idempotency_records`; each index on them is
-- one more index entry per request (decision 0340). Two were exact duplicates of another:
--   * idempotency_records_created_at_idx repeats idempotency_records_created_at (the
--     retention purge's index was added twice);
--   * payments_received (received_at) is the prefix of payments_received_id (received_at, id),
--     which serves the month's collected figure and the exports alike.
DROP INDEX IF EXISTS idempotency_records_created_at_idx;
DROP INDEX IF EXISTS payments_received;

-- The statement's credit applications (kind = 'credit') are a small part of all allocations,
-- which every payment grows: without this index the statement reads every allocation to find
-- them (a sequential scan, 0.4 ms at 2,000 allocations, linear beyond). Partial, so the
-- payments' own allocations (kind = 'posting') add no entry to it.
CREATE INDEX payment_allocations_credit ON payment_allocations (payment_id) WHERE kind = 'credit';
