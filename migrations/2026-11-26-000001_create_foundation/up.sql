-- Actors (operators and services) that call the protected API.
CREATE TABLE actors (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT[] NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Stored responses of idempotent writes; committed in the business transaction.
CREATE TABLE idempotency_records (
    scope            TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    response_status  SMALLINT NOT NULL,
    response_body    BYTEA NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_records_created_at ON idempotency_records (created_at);

-- Gapless legal sequences (contract and invoice numbers), one row per name and year.
CREATE TABLE number_sequences (
    name        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_value  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, year)
);

-- Fixed-window rate-limit counters shared by every server instance.
CREATE TABLE rate_limit_windows (
    bucket        TEXT NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
