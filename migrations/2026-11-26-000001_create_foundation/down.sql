DROP TABLE rate_limit_windows;
DROP TABLE number_sequences;
DROP TABLE idempotency_records;
DROP TABLE actors;
