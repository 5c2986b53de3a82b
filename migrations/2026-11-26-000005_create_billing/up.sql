CREATE TABLE billing_runs (
    id              TEXT PRIMARY KEY,
    period          TEXT NOT NULL,
    issue_date      DATE NOT NULL,
    due_date        DATE NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    dry_run         BOOLEAN NOT NULL,
    invoice_count   INTEGER NOT NULL DEFAULT 0,
    skipped_count   INTEGER NOT NULL DEFAULT 0,
    total_excl_tax  BIGINT NOT NULL DEFAULT 0,
    total_tax       BIGINT NOT NULL DEFAULT 0,
    total_incl_tax  BIGINT NOT NULL DEFAULT 0,
    currency        TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX billing_runs_period ON billing_runs (period);

CREATE TABLE invoices (
    id              TEXT PRIMARY KEY,
    invoice_number  TEXT NOT NULL UNIQUE,
    billing_run_id  TEXT NOT NULL REFERENCES billing_runs (id),
    client_id       TEXT NOT NULL REFERENCES clients (id),
    contract_id     TEXT NOT NULL REFERENCES contracts (id),
    offer_id        TEXT NOT NULL REFERENCES offers (id),
    service_type    TEXT NOT NULL,
    period          TEXT NOT NULL,
    issue_date      DATE NOT NULL,
    due_date        DATE NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('issued', 'partially_paid', 'paid', 'void')),
    total_excl_tax  BIGINT NOT NULL,
    total_tax       BIGINT NOT NULL,
    total_incl_tax  BIGINT NOT NULL,
    amount_paid     BIGINT NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
    currency        TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    -- One invoice per contract per period, never two.
    UNIQUE (contract_id, period),
    CHECK (amount_paid <= total_incl_tax)
);
CREATE INDEX invoices_client ON invoices (client_id, id);
CREATE INDEX invoices_run ON invoices (billing_run_id);
CREATE INDEX invoices_offer ON invoices (offer_id, id);
CREATE INDEX invoices_period ON invoices (period, id);
-- Open invoices by due date: allocation order, overdue filters, aging.
CREATE INDEX invoices_open_due ON invoices (due_date, client_id)
    WHERE status IN ('issued', 'partially_paid');

CREATE TABLE invoice_lines (
    id               BIGSERIAL PRIMARY KEY,
    invoice_id       TEXT NOT NULL REFERENCES invoices (id),
    position         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    offer_id         TEXT NOT NULL,
    start_date       DATE NOT NULL,
    end_date         DATE NOT NULL,
    days             INTEGER NOT NULL,
    monthly_price    BIGINT NOT NULL,
    amount_excl_tax  BIGINT NOT NULL,
    tax_rate_bp      INTEGER NOT NULL,
    tax_amount       BIGINT NOT NULL,
    amount_incl_tax  BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

-- Rendered once on first download, then served unchanged.
CREATE TABLE invoice_documents (
    invoice_id  TEXT PRIMARY KEY REFERENCES invoices (id),
    pdf         BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
