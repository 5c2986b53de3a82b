-- Webhook endpoints, their deliveries and attempts, and the dispatcher's cursor (issue #16).

CREATE TABLE webhook_endpoints (
    id text PRIMARY KEY,
    url text NOT NULL,
    -- '{*}' for every type.
    event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
    description text NOT NULL DEFAULT '',
    -- AES-256-GCM (nonce || ciphertext) of the whsec_ secret: signing needs it in clear.
    secret_sealed bytea NOT NULL,
    -- The secret before the last rotation, signing too until previous_secret_until.
    previous_secret_sealed bytea,
    previous_secret_until timestamptz,
    enabled boolean NOT NULL DEFAULT true,
    disabled_at timestamptz,
    -- Oldest failed attempt since the last success; NULL while healthy.
    failing_since timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id text PRIMARY KEY,
    endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id text NOT NULL,
    event_type text NOT NULL,
    -- The envelope as committed: every attempt posts (and signs) the same bytes.
    payload text NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempt_count integer NOT NULL DEFAULT 0,
    -- Due time while pending; while an attempt is in flight, the end of its lease.
    next_attempt_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT webhook_deliveries_endpoint_event_key UNIQUE (endpoint_id, event_id)
);

-- The workers' claim: due pending deliveries, oldest first.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code integer,
    latency_ms bigint NOT NULL,
    error text,
    next_retry_at timestamptz,
    PRIMARY KEY (delivery_id, attempt)
);

-- One row: the feed cursor (as GET /events hands it out) up to which deliveries were made;
-- NULL before the first event.
CREATE TABLE webhook_dispatch_cursor (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    position text
);
INSERT INTO webhook_dispatch_cursor (id, position) VALUES (true, NULL);
