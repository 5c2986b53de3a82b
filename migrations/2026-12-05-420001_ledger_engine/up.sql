-- The credit engine (decision 0180): where every application of credit, refund and payment
-- reversal is recorded, naming the documents it moved money between.

-- `posting`: the payment paid the invoice when it was posted; `credit`: the payment's
-- unallocated credit was applied later, by the credit engine. The statement shows the second
-- kind as a credit application.
ALTER TABLE payment_allocations
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'posting' CHECK (kind IN ('posting', 'credit'));

-- A credit note's `credit_remaining` applied to an invoice of the same client.
CREATE TABLE credit_note_allocations (
    id              BIGSERIAL PRIMARY KEY,
    credit_note_id  TEXT NOT NULL REFERENCES credit_notes (id),
    invoice_id      TEXT NOT NULL REFERENCES invoices (id),
    amount          BIGINT NOT NULL CHECK (amount > 0),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_note_allocations_note ON credit_note_allocations (credit_note_id);
CREATE INDEX credit_note_allocations_invoice ON credit_note_allocations (invoice_id);

-- The client's credit sources, oldest first: read (and locked) by every credit application.
CREATE INDEX payments_with_credit ON payments (client_id, created_at, id)
    WHERE unallocated_amount > 0;

-- Credit paid back to the client.
CREATE TABLE refunds (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients (id),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    currency    TEXT NOT NULL,
    method      TEXT NOT NULL CHECK (method IN
        ('cash', 'card', 'transfer', 'agency', 'mobile_money')),
    reference   TEXT,
    actor_id    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX refunds_client ON refunds (client_id, created_at, id);

-- Which credit each refund consumed: exactly one source per row.
CREATE TABLE refund_sources (
    id              BIGSERIAL PRIMARY KEY,
    refund_id       TEXT NOT NULL REFERENCES refunds (id),
    payment_id      TEXT REFERENCES payments (id),
    credit_note_id  TEXT REFERENCES credit_notes (id),
    amount          BIGINT NOT NULL CHECK (amount > 0),
    CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE INDEX refund_sources_refund ON refund_sources (refund_id);
CREATE INDEX refund_sources_payment ON refund_sources (payment_id) WHERE payment_id IS NOT NULL;

-- A payment undone (bounced cheque, chargeback, posted by mistake): at most once.
CREATE TABLE payment_reversals (
    id          TEXT PRIMARY KEY,
    payment_id  TEXT NOT NULL UNIQUE REFERENCES payments (id),
    client_id   TEXT NOT NULL REFERENCES clients (id),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    reason      TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_reversals_client ON payment_reversals (client_id, created_at, id);
