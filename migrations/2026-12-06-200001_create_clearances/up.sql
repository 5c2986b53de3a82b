-- Clearance of invoices and credit notes by the tax authority (issue #18, decision 0310):
-- one row per document issued while MTF_EINVOICING is on. A billing run writes its batch's
-- rows in one statement, `pending`; the workers claim due rows (FOR UPDATE SKIP LOCKED),
-- marking them `submitted` with a lease in `next_attempt_at`, and record the answer.
CREATE TABLE clearances (
    document_id       TEXT PRIMARY KEY,
    document_kind     TEXT NOT NULL CHECK (document_kind IN ('invoice', 'credit_note')),
    document_number   TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'submitted', 'cleared', 'rejected')),
    reference         TEXT,
    cleared_at        TIMESTAMPTZ,
    verification_code TEXT,
    reasons           TEXT[] NOT NULL DEFAULT '{}',
    attempts          INTEGER NOT NULL DEFAULT 0,
    -- Due time of the next submission while pending; end of the lease while submitted.
    next_attempt_at   TIMESTAMPTZ,
    last_error        TEXT,
    last_error_at     TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX clearances_due ON clearances (next_attempt_at)
    WHERE status IN ('pending', 'submitted');
CREATE INDEX clearances_last_error ON clearances (last_error_at) WHERE last_error_at IS NOT NULL;
