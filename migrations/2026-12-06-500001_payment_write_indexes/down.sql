DROP INDEX IF EXISTS payment_allocations_credit;
CREATE INDEX payments_received ON payments (received_at);
CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);
