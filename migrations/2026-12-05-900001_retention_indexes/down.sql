DROP INDEX IF EXISTS idempotency_records_created_at_idx;
DROP INDEX IF EXISTS rate_limit_windows_window_start_idx;
DROP INDEX IF EXISTS drafts_expires_at_idx;
