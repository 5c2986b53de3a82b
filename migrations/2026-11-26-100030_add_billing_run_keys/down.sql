DROP INDEX billing_runs_idempotency;
ALTER TABLE billing_runs
    DROP COLUMN request_fingerprint,
    DROP COLUMN idempotency_key,
    DROP COLUMN idempotency_scope;
