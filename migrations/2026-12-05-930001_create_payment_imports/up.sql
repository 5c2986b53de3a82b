-- Bank payment files (issue 22 §3, decisions 0220-0223): each import and the outcome of each
-- of its lines, and the money no client could be found for ("unidentified receipts").
CREATE TABLE payment_imports (
    id                   TEXT PRIMARY KEY,
    actor_id             TEXT NOT NULL,
    line_count           INTEGER NOT NULL CHECK (line_count >= 0),
    posted_amount        BIGINT NOT NULL CHECK (posted_amount >= 0),
    unidentified_amount  BIGINT NOT NULL CHECK (unidentified_amount >= 0),
    duplicate_count      INTEGER NOT NULL CHECK (duplicate_count >= 0),
    rejected_count       INTEGER NOT NULL CHECK (rejected_count >= 0),
    created_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE unidentified_receipts (
    id           TEXT PRIMARY KEY,
    -- Checked at commit: a receipt is kept while its line is read, before the import row
    -- (which carries the file's totals) is written.
    import_id    TEXT NOT NULL REFERENCES payment_imports (id) DEFERRABLE INITIALLY DEFERRED,
    line         INTEGER NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount > 0),
    currency     TEXT NOT NULL,
    received_at  DATE NOT NULL,
    reference    TEXT NOT NULL,
    payer        TEXT,
    status       TEXT NOT NULL CHECK (status IN ('unidentified', 'assigned')),
    client_id    TEXT REFERENCES clients (id),
    payment_id   TEXT REFERENCES payments (id),
    assigned_by  TEXT,
    assigned_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    -- A receipt is either unidentified or assigned to exactly one payment: nothing in between.
    CHECK ((status = 'assigned') = (payment_id IS NOT NULL AND client_id IS NOT NULL
                                    AND assigned_at IS NOT NULL))
);

CREATE TABLE payment_import_lines (
    import_id       TEXT NOT NULL REFERENCES payment_imports (id),
    line            INTEGER NOT NULL,
    status          TEXT NOT NULL
                    CHECK (status IN ('matched', 'partial', 'duplicate', 'unidentified', 'rejected')),
    amount          BIGINT,
    payment_id      TEXT REFERENCES payments (id),
    receipt_id      TEXT REFERENCES unidentified_receipts (id),
    invoice_number  TEXT,
    client_id       TEXT REFERENCES clients (id),
    message         TEXT,
    PRIMARY KEY (import_id, line)
);

-- The duplicate check of every imported line: bank reference, date and amount.
CREATE INDEX payments_bank_line ON payments (reference, received_at, amount)
    WHERE reference IS NOT NULL;
CREATE INDEX unidentified_receipts_bank_line
    ON unidentified_receipts (reference, received_at, amount);
-- The list of receipts, filtered by status, by id.
CREATE INDEX unidentified_receipts_status ON unidentified_receipts (status, id);
