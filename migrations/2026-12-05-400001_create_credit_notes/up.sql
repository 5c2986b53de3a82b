-- Credit notes (factures d'avoir) and what they do to an invoice (decision 0151).
--
-- A note first reduces its invoice's outstanding (`applied_to_invoice`, summed into
-- `invoices.credited_amount`); what it credits above that outstanding becomes client credit
-- (`credited_to_balance`). `credit_remaining` is the part of that credit not yet applied to
-- another invoice or refunded: it only goes down, and never below zero.

ALTER TABLE invoices
    ADD COLUMN credited_amount BIGINT NOT NULL DEFAULT 0 CHECK (credited_amount >= 0),
    ADD CONSTRAINT invoices_settled_within_total
        CHECK (amount_paid + credited_amount <= total_incl_tax);

CREATE TABLE credit_notes (
    id                  TEXT PRIMARY KEY,
    credit_note_number  TEXT NOT NULL UNIQUE,
    invoice_id          TEXT NOT NULL REFERENCES invoices (id),
    client_id           TEXT NOT NULL REFERENCES clients (id),
    issue_date          DATE NOT NULL,
    reason              TEXT NOT NULL,
    total_excl_tax      BIGINT NOT NULL CHECK (total_excl_tax > 0),
    total_tax           BIGINT NOT NULL CHECK (total_tax >= 0),
    total_incl_tax      BIGINT NOT NULL CHECK (total_incl_tax > 0),
    applied_to_invoice  BIGINT NOT NULL CHECK (applied_to_invoice >= 0),
    credited_to_balance BIGINT NOT NULL CHECK (credited_to_balance >= 0),
    credit_remaining    BIGINT NOT NULL CHECK (credit_remaining >= 0),
    currency            TEXT NOT NULL,
    actor_id            TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    CHECK (total_excl_tax + total_tax = total_incl_tax),
    CHECK (applied_to_invoice + credited_to_balance = total_incl_tax),
    CHECK (credit_remaining <= credited_to_balance)
);
CREATE INDEX credit_notes_client ON credit_notes (client_id, id);
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id, id);
CREATE INDEX credit_notes_issue_date ON credit_notes (issue_date, id);
CREATE INDEX credit_notes_with_credit ON credit_notes (client_id, created_at, id)
    WHERE credit_remaining > 0;

-- One line per credited invoice line; `position` is the invoice line's position.
CREATE TABLE credit_note_lines (
    credit_note_id   TEXT NOT NULL REFERENCES credit_notes (id),
    position         INTEGER NOT NULL,
    description      TEXT NOT NULL,
    amount_excl_tax  BIGINT NOT NULL CHECK (amount_excl_tax > 0),
    tax_rate_bp      INTEGER NOT NULL,
    tax_amount       BIGINT NOT NULL CHECK (tax_amount >= 0),
    amount_incl_tax  BIGINT NOT NULL,
    PRIMARY KEY (credit_note_id, position),
    CHECK (amount_excl_tax + tax_amount = amount_incl_tax)
);

-- Every write that moves money between documents (credit note, credit application, refund,
-- payment reversal) leaves one entry: who, when, which document, and the figures it changed
-- before and after.
CREATE TABLE ledger_audit (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients (id),
    document_kind  TEXT NOT NULL,
    document_id    TEXT NOT NULL,
    action         TEXT NOT NULL,
    actor_id       TEXT NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    before         JSONB,
    after          JSONB
);
CREATE INDEX ledger_audit_client ON ledger_audit (client_id, at, id);
CREATE INDEX ledger_audit_document ON ledger_audit (document_id, at, id);
