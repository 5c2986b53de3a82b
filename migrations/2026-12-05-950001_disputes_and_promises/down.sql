DROP TABLE case_disputed_invoices;
UPDATE collection_cases SET status = 'in_progress' WHERE status = 'disputed';
ALTER TABLE collection_cases
    DROP CONSTRAINT collection_cases_promise_whole,
    DROP COLUMN ladder_shift_days,
    DROP COLUMN promise_settled_before,
    DROP COLUMN promise_made_at,
    DROP COLUMN promised_amount,
    DROP COLUMN promised_date;
DROP INDEX collection_cases_one_live;
CREATE UNIQUE INDEX collection_cases_one_live ON collection_cases (client_id)
    WHERE status IN ('open', 'in_progress', 'promise_to_pay');
ALTER TABLE collection_cases DROP CONSTRAINT collection_cases_status_check;
ALTER TABLE collection_cases ADD CONSTRAINT collection_cases_status_check CHECK (status IN
    ('open', 'in_progress', 'promise_to_pay', 'resolved', 'written_off', 'closed'));
