-- The outbox: one row per business event, written in the transaction of the change it
-- describes (decision 0260). `tx_id` is the writing transaction's id, assigned when the row is
-- written; `seq` orders the rows of one transaction. The feed reads in (tx_id, seq) order and
-- only rows whose transaction is older than every transaction still running, so a late commit
-- can never land behind a reader's cursor.
CREATE TABLE events (
    id text PRIMARY KEY,
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    actor_id text NULL,
    data jsonb NOT NULL,
    tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    seq bigserial NOT NULL
);

CREATE UNIQUE INDEX events_feed_order ON events (tx_id, seq);
-- The retention purge deletes the oldest first.
CREATE INDEX events_occurred_at ON events (occurred_at);
