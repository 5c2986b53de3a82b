-- A billing run spans many batch transactions; it remembers the idempotency key (and the
-- request's fingerprint) it was started with, so a retry after a crash resumes the same run
-- instead of starting another (decision 0030).
ALTER TABLE billing_runs
    ADD COLUMN idempotency_scope    TEXT,
    ADD COLUMN idempotency_key      TEXT,
    ADD COLUMN request_fingerprint  TEXT;
CREATE UNIQUE INDEX billing_runs_idempotency ON billing_runs (idempotency_scope, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
