-- The tamper-evident archive (issue #18, decisions 0320-0323): one hash chain per document
-- series. A head row per series is the sealer's lock (FOR UPDATE SKIP LOCKED) and holds the
-- last link; an entry per sealed document holds its hashes.
CREATE TABLE archive_heads (
    series        TEXT PRIMARY KEY
                  CHECK (series IN ('invoices', 'credit_notes', 'contract_documents')),
    position      BIGINT NOT NULL DEFAULT 0 CHECK (position >= 0),
    last_number   TEXT,
    chain_sha256  BYTEA CHECK (octet_length(chain_sha256) = 32),
    updated_at    TIMESTAMPTZ
);

INSERT INTO archive_heads (series)
VALUES ('invoices'), ('credit_notes'), ('contract_documents');

CREATE TABLE archive_entries (
    series        TEXT NOT NULL REFERENCES archive_heads (series),
    position      BIGINT NOT NULL CHECK (position >= 1),
    document_id   TEXT NOT NULL,
    version       INT NOT NULL CHECK (version >= 1),
    number        TEXT NOT NULL,
    issued_on     DATE NOT NULL,
    pdf_sha256    BYTEA NOT NULL CHECK (octet_length(pdf_sha256) = 32),
    ubl_sha256    BYTEA CHECK (octet_length(ubl_sha256) = 32),
    chain_sha256  BYTEA NOT NULL CHECK (octet_length(chain_sha256) = 32),
    sealed_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (series, position),
    UNIQUE (series, document_id, version)
);

-- Verification reads a series by issue date in position order.
CREATE INDEX archive_entries_issued ON archive_entries (series, issued_on, position);
