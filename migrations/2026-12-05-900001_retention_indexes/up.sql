-- The purge finds expired working data by age; without these it would scan each table.
CREATE INDEX drafts_expires_at_idx ON drafts (expires_at);
CREATE INDEX rate_limit_windows_window_start_idx ON rate_limit_windows (window_start);
CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);
