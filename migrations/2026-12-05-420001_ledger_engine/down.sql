DROP TABLE payment_reversals;
DROP TABLE refund_sources;
DROP TABLE refunds;
DROP INDEX payments_with_credit;
DROP TABLE credit_note_allocations;
ALTER TABLE payment_allocations DROP COLUMN kind;
