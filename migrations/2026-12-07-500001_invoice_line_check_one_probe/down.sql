CREATE OR REPLACE FUNCTION invoice_lines_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    orphan TEXT;
BEGIN
    SELECT n.invoice_id INTO orphan
      FROM new_lines n
     WHERE (SELECT 1 FROM invoices i WHERE i.id = n.invoice_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoice line refers to invoice %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    END IF;
    SELECT n.invoice_id INTO orphan
      FROM new_lines n
     WHERE (SELECT 1 FROM contracts c JOIN invoices i ON i.client_id = c.client_id
             WHERE c.id = n.contract_id AND i.id = n.invoice_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a line of invoice % bills a contract that does not exist or is not its client''s', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    END IF;
    RETURN NULL;
END $$;
