-- One-time codes of the landing's verify-cin second factor. Codes are stored only as a keyed
-- hash; one live challenge per client (a new code replaces the previous one).
CREATE TABLE landing_otp_challenges (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL UNIQUE REFERENCES clients (id) ON DELETE CASCADE,
    channel        TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    code_hash      TEXT NOT NULL,
    attempts_left  INTEGER NOT NULL CHECK (attempts_left >= 0),
    expires_at     TIMESTAMPTZ NOT NULL,
    consumed_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL
);
