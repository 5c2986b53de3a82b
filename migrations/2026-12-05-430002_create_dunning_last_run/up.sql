-- When the last dunning run for its day completed (decision 0195): the start-up catch-up
-- reads it, and `GET /collections/overview` shows it. One row, kept at the latest instant
-- whatever order several instances finish in.
CREATE TABLE dunning_last_run (
    singleton     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    completed_at  TIMESTAMPTZ NOT NULL
);
