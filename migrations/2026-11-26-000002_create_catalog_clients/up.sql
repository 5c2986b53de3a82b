CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE offers (
    id                 TEXT PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    service_type       TEXT NOT NULL CHECK (service_type IN ('mobile', 'internet', 'landline')),
    monthly_price      BIGINT NOT NULL CHECK (monthly_price >= 0),
    currency           TEXT NOT NULL DEFAULT 'MAD',
    tax_rate_bp        INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    commitment_months  INTEGER NOT NULL CHECK (commitment_months BETWEEN 0 AND 120),
    status             TEXT NOT NULL CHECK (status IN ('active', 'retired')),
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX offers_service_type_status ON offers (service_type, status, id);

CREATE TABLE clients (
    id          TEXT PRIMARY KEY,
    cin         TEXT NOT NULL UNIQUE,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    email       TEXT,
    phone       TEXT,
    address     TEXT,
    city        TEXT,
    birth_date  DATE,
    status      TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- Free-text search (`q`): one trigram index over the searchable text, so
-- `ILIKE '%term%'` stays an index scan at millions of clients.
CREATE INDEX clients_search_trgm ON clients USING GIN (
    (lower(first_name || ' ' || last_name || ' ' || cin || ' ' || coalesce(phone, '') || ' ' || coalesce(email, ''))) gin_trgm_ops
);
CREATE INDEX clients_status ON clients (status, id);

CREATE TABLE subscribers (
    id                  TEXT PRIMARY KEY,
    client_id           TEXT NOT NULL REFERENCES clients (id),
    service_type        TEXT NOT NULL CHECK (service_type IN ('mobile', 'internet', 'landline')),
    service_identifier  TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (service_type, service_identifier)
);
CREATE INDEX subscribers_client ON subscribers (client_id);
