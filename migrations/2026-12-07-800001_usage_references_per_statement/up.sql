-- Usage ingestion inserts up to 100,000 records in one statement (decisions 0367, 0383). The
-- two foreign keys of `usage_records` were checked row by row: the contract's cost 4.7 µs a
-- record (a lookup and a FOR KEY SHARE lock each: 0.47 s of a 1.56 s batch), the invoice's
-- 0.6 µs for a column that is NULL on every insert. Both are now checked once per
-- statement over the rows it inserted, as invoices do (decision 0094), and row by row only
-- on the rare update that changes them:
--   * a record's contract exists (probed once per distinct contract);
--   * its billing invoice, when it names one, exists.
-- What the keys also guarded on the parent side already holds: contracts and invoices are
-- never deleted and never change id (migration 2026-11-26-200001), so no lock is needed.
ALTER TABLE usage_records
    DROP CONSTRAINT usage_records_contract_id_fkey,
    DROP CONSTRAINT usage_records_billed_invoice_id_fkey;

-- Scalar subqueries, not NOT EXISTS: see 2026-11-26-200001 (a hashed anti-join would read
-- every contract for each batch).
CREATE FUNCTION usage_records_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    orphan TEXT;
BEGIN
    WITH named AS MATERIALIZED (SELECT DISTINCT contract_id FROM new_records)
    SELECT n.contract_id INTO orphan
      FROM named n
     WHERE (SELECT 1 FROM contracts c WHERE c.id = n.contract_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'usage records refer to contract %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'usage_records';
    END IF;
    WITH named AS MATERIALIZED (SELECT DISTINCT billed_invoice_id FROM new_records
                                 WHERE billed_invoice_id IS NOT NULL)
    SELECT n.billed_invoice_id INTO orphan
      FROM named n
     WHERE (SELECT 1 FROM invoices i WHERE i.id = n.billed_invoice_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'usage records refer to invoice %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'usage_records';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER usage_records_references AFTER INSERT ON usage_records
    REFERENCING NEW TABLE AS new_records
    FOR EACH STATEMENT EXECUTE FUNCTION usage_records_check_references();

-- An update that changes a reference (billing setting `billed_invoice_id` on late records)
-- is checked on its own row, as the foreign key checked it: only when the value changes.
CREATE FUNCTION usage_records_check_changed_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.contract_id IS DISTINCT FROM OLD.contract_id
       AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.id = NEW.contract_id) THEN
        RAISE EXCEPTION 'usage record % refers to contract %, which does not exist',
                NEW.record_id, NEW.contract_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'usage_records';
    END IF;
    IF NEW.billed_invoice_id IS DISTINCT FROM OLD.billed_invoice_id
       AND NEW.billed_invoice_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = NEW.billed_invoice_id) THEN
        RAISE EXCEPTION 'usage record % refers to invoice %, which does not exist',
                NEW.record_id, NEW.billed_invoice_id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'usage_records';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER usage_records_changed_references
    AFTER UPDATE OF contract_id, billed_invoice_id ON usage_records
    FOR EACH ROW
    WHEN (OLD.contract_id IS DISTINCT FROM NEW.contract_id
          OR OLD.billed_invoice_id IS DISTINCT FROM NEW.billed_invoice_id)
    EXECUTE FUNCTION usage_records_check_changed_references();
