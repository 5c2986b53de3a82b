DROP INDEX payment_reversals_created;
DROP INDEX refunds_created;
DROP INDEX payments_received_id;
DROP INDEX credit_notes_issue_date_number;
DROP INDEX invoices_issue_date_number;
