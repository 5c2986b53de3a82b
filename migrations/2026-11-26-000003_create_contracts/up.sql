CREATE TABLE contracts (
    id                    TEXT PRIMARY KEY,
    contract_number       TEXT NOT NULL UNIQUE,
    client_id             TEXT NOT NULL REFERENCES clients (id),
    subscriber_id         TEXT NOT NULL REFERENCES subscribers (id),
    offer_id              TEXT NOT NULL REFERENCES offers (id),
    service_type          TEXT NOT NULL CHECK (service_type IN ('mobile', 'internet', 'landline')),
    status                TEXT NOT NULL
        CHECK (status IN ('pending', 'active', 'suspended', 'terminated', 'cancelled')),
    contract_start_date   DATE NOT NULL,
    commitment_months     INTEGER NOT NULL CHECK (commitment_months BETWEEN 0 AND 120),
    commitment_end_date   DATE NOT NULL,
    monthly_price         BIGINT NOT NULL CHECK (monthly_price >= 0),
    currency              TEXT NOT NULL,
    tax_rate_bp           INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    termination_date      DATE,
    document_version      INTEGER NOT NULL DEFAULT 0,
    suspended_by_dunning  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
-- A line is held by at most one live contract.
CREATE UNIQUE INDEX contracts_live_subscriber ON contracts (subscriber_id)
    WHERE status IN ('pending', 'active', 'suspended');
CREATE INDEX contracts_client ON contracts (client_id, id);
CREATE INDEX contracts_offer ON contracts (offer_id);
CREATE INDEX contracts_status ON contracts (status, id);

-- Every offer period of a contract, so billing prorates across plan changes.
-- `end_date` is exclusive; NULL while the period is current.
CREATE TABLE contract_offer_periods (
    id             BIGSERIAL PRIMARY KEY,
    contract_id    TEXT NOT NULL REFERENCES contracts (id),
    offer_id       TEXT NOT NULL REFERENCES offers (id),
    monthly_price  BIGINT NOT NULL,
    tax_rate_bp    INTEGER NOT NULL,
    start_date     DATE NOT NULL,
    end_date       DATE,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX contract_offer_periods_contract ON contract_offer_periods (contract_id, start_date);
CREATE INDEX contract_offer_periods_offer ON contract_offer_periods (offer_id);

CREATE TABLE contract_audit (
    id           TEXT PRIMARY KEY,
    contract_id  TEXT NOT NULL REFERENCES contracts (id),
    at           TIMESTAMPTZ NOT NULL,
    actor_id     TEXT NOT NULL,
    action       TEXT NOT NULL,
    before       JSONB,
    after        JSONB
);
CREATE INDEX contract_audit_contract ON contract_audit (contract_id, at, id);

-- Immutable contract documents, one row per version.
CREATE TABLE contract_documents (
    contract_id  TEXT NOT NULL REFERENCES contracts (id),
    version      INTEGER NOT NULL,
    pdf          BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contract_id, version)
);
