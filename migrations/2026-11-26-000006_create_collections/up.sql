CREATE TABLE payments (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL REFERENCES clients (id),
    amount              BIGINT NOT NULL CHECK (amount > 0),
    currency            TEXT NOT NULL,
    method              TEXT NOT NULL CHECK (method IN
        ('cash', 'card', 'transfer', 'agency', 'mobile_money', 'operator_approval')),
    reference           TEXT,
    received_at         DATE NOT NULL,
    unallocated_amount  BIGINT NOT NULL CHECK (unallocated_amount >= 0),
    actor_id            TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX payments_client ON payments (client_id, id);
CREATE INDEX payments_received ON payments (received_at);

CREATE TABLE payment_allocations (
    id          BIGSERIAL PRIMARY KEY,
    payment_id  TEXT NOT NULL REFERENCES payments (id),
    invoice_id  TEXT NOT NULL REFERENCES invoices (id),
    amount      BIGINT NOT NULL CHECK (amount > 0),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id);
CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id);

CREATE TABLE collection_cases (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL REFERENCES clients (id),
    status         TEXT NOT NULL CHECK (status IN
        ('open', 'in_progress', 'promise_to_pay', 'resolved', 'written_off', 'closed')),
    dunning_level  INTEGER NOT NULL DEFAULT 0,
    opened_at      TIMESTAMPTZ NOT NULL,
    resolved_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
-- At most one case per client that is still being worked.
CREATE UNIQUE INDEX collection_cases_one_live ON collection_cases (client_id)
    WHERE status IN ('open', 'in_progress', 'promise_to_pay');
CREATE INDEX collection_cases_status ON collection_cases (status, id);

CREATE TABLE case_actions (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES collection_cases (id),
    action_type  TEXT NOT NULL,
    note         TEXT,
    automatic    BOOLEAN NOT NULL,
    actor_id     TEXT NOT NULL,
    dunning_step TEXT,
    at           TIMESTAMPTZ NOT NULL
);
-- Each dunning step is recorded once per case, even with several instances running.
CREATE UNIQUE INDEX case_actions_step_once ON case_actions (case_id, dunning_step)
    WHERE dunning_step IS NOT NULL;
CREATE INDEX case_actions_case ON case_actions (case_id, at, id);
