-- The statement-level check of invoice lines (decision 0094, extended by 0211) probed three
-- indexes per line: the invoice, then the contract joined to the invoice again. One probe of
-- the invoice now answers both for a line of the invoice's own contract, since the invoice's
-- own check already proved that contract is its client's; only a line of another contract (a
-- per-account invoice) probes the contract (decision 0376).
CREATE OR REPLACE FUNCTION invoice_lines_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    orphan TEXT;
    missing BOOLEAN;
BEGIN
    -- LIMIT keeps the lateral read a probe per line: flattened into a join, it could be
    -- planned as a scan of every invoice.
    SELECT n.invoice_id, i.id IS NULL INTO orphan, missing
      FROM new_lines n
      LEFT JOIN LATERAL (SELECT i.id, i.client_id, i.contract_id FROM invoices i
                          WHERE i.id = n.invoice_id LIMIT 1) i ON true
     WHERE i.id IS NULL
        OR (i.contract_id <> n.contract_id
            AND (SELECT 1 FROM contracts k
                  WHERE k.id = n.contract_id AND k.client_id = i.client_id) IS NULL)
     LIMIT 1;
    IF FOUND AND missing THEN
        RAISE EXCEPTION 'invoice line refers to invoice %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'a line of invoice % bills a contract that does not exist or is not its client''s', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    END IF;
    RETURN NULL;
END $$;
