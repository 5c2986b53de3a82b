DROP TABLE usage_thresholds;
DROP TABLE invoice_usage;
ALTER TABLE invoice_lines
    DROP COLUMN unit_price, DROP COLUMN quantity, DROP COLUMN usage_kind, DROP COLUMN kind;
DROP TABLE usage_records;
ALTER TABLE contract_offer_periods
    DROP COLUMN rate_data_per_mb, DROP COLUMN rate_sms_each, DROP COLUMN rate_voice_per_minute,
    DROP COLUMN allowance_data_bytes, DROP COLUMN allowance_sms,
    DROP COLUMN allowance_voice_seconds, DROP COLUMN usage_terms;
ALTER TABLE offers
    DROP CONSTRAINT offers_usage_terms_whole,
    DROP COLUMN rate_data_per_mb, DROP COLUMN rate_sms_each, DROP COLUMN rate_voice_per_minute,
    DROP COLUMN allowance_data_bytes, DROP COLUMN allowance_sms,
    DROP COLUMN allowance_voice_seconds, DROP COLUMN usage_terms;
