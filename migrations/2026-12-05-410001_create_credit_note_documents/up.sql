-- The "Facture d'avoir" PDF of a credit note, stored at its first download and never
-- changed, like `invoice_documents`.
CREATE TABLE credit_note_documents (
    credit_note_id TEXT PRIMARY KEY REFERENCES credit_notes (id),
    pdf            BYTEA NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
