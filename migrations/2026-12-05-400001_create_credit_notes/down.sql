DROP TABLE ledger_audit;
DROP TABLE credit_note_lines;
DROP TABLE credit_notes;
ALTER TABLE invoices
    DROP CONSTRAINT invoices_settled_within_total,
    DROP COLUMN credited_amount;
