-- The accounting exports (issue #22 §4) read each journal in keyset pages of (date, key):
-- these indexes let every page seek to its cursor instead of sorting the whole range.
CREATE INDEX invoices_issue_date_number ON invoices (issue_date, invoice_number);
CREATE INDEX credit_notes_issue_date_number ON credit_notes (issue_date, credit_note_number);
CREATE INDEX payments_received_id ON payments (received_at, id);
CREATE INDEX refunds_created ON refunds (created_at, id);
CREATE INDEX payment_reversals_created ON payment_reversals (created_at, id);
