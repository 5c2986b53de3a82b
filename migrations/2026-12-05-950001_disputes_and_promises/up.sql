-- Disputes and promises to pay (decisions 0240, 0241).

-- `disputed` is a live status: the client's one live case may be disputed.
ALTER TABLE collection_cases DROP CONSTRAINT collection_cases_status_check;
ALTER TABLE collection_cases ADD CONSTRAINT collection_cases_status_check CHECK (status IN
    ('open', 'in_progress', 'promise_to_pay', 'disputed', 'resolved', 'written_off', 'closed'));
DROP INDEX collection_cases_one_live;
CREATE UNIQUE INDEX collection_cases_one_live ON collection_cases (client_id)
    WHERE status IN ('open', 'in_progress', 'promise_to_pay', 'disputed');

-- The last promise to pay: all four set together, or none.
ALTER TABLE collection_cases
    ADD COLUMN promised_date DATE,
    ADD COLUMN promised_amount BIGINT CHECK (promised_amount > 0),
    ADD COLUMN promise_made_at TIMESTAMPTZ,
    ADD COLUMN promise_settled_before BIGINT,
    ADD COLUMN ladder_shift_days INTEGER NOT NULL DEFAULT 0 CHECK (ladder_shift_days >= 0),
    ADD CONSTRAINT collection_cases_promise_whole CHECK (
        (promised_date IS NULL) = (promised_amount IS NULL)
        AND (promised_date IS NULL) = (promise_made_at IS NULL)
        AND (promised_date IS NULL) = (promise_settled_before IS NULL));

-- The invoices of each dispute; open while `closed_at` is null. Who opened and closed it, and
-- why, is on the case's actions (`dispute_opened`, `dispute_closed`).
CREATE TABLE case_disputed_invoices (
    id              BIGSERIAL PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES collection_cases (id),
    invoice_id      TEXT NOT NULL REFERENCES invoices (id),
    opened_at       TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    outcome         TEXT CHECK (outcome IN ('upheld', 'rejected', 'settled')),
    credit_note_id  TEXT REFERENCES credit_notes (id),
    CHECK ((closed_at IS NULL) = (outcome IS NULL)),
    CHECK (credit_note_id IS NULL OR outcome = 'upheld')
);
-- An invoice is in at most one open dispute.
CREATE UNIQUE INDEX case_disputed_invoices_open ON case_disputed_invoices (invoice_id)
    WHERE closed_at IS NULL;
CREATE INDEX case_disputed_invoices_case ON case_disputed_invoices (case_id)
    WHERE closed_at IS NULL;
