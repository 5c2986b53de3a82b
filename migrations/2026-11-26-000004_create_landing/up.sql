CREATE TABLE drafts (
    id          TEXT PRIMARY KEY,
    payload     JSONB NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'submitted')),
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
