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
    RETURN NULL;
END $$;
DROP INDEX invoice_lines_contract;
ALTER TABLE invoice_lines DROP COLUMN contract_id;
DROP INDEX invoices_one_per_account_period;
ALTER TABLE invoices DROP COLUMN invoicing;
DROP TABLE client_audit;
DROP INDEX clients_per_account;
DROP INDEX clients_search_trgm;
CREATE INDEX clients_search_trgm ON clients USING GIN (
    (lower(first_name || ' ' || last_name || ' ' || cin || ' ' || coalesce(phone, '') || ' ' || coalesce(email, ''))) gin_trgm_ops
);
DELETE FROM clients WHERE kind = 'company';
ALTER TABLE clients
    DROP CONSTRAINT clients_representative_whole,
    DROP CONSTRAINT clients_identity_of_kind,
    DROP CONSTRAINT clients_ice_key,
    ALTER COLUMN cin SET NOT NULL,
    ALTER COLUMN first_name SET NOT NULL,
    ALTER COLUMN last_name SET NOT NULL,
    DROP COLUMN invoicing,
    DROP COLUMN representative_cin,
    DROP COLUMN representative_name,
    DROP COLUMN tax_id,
    DROP COLUMN rc,
    DROP COLUMN ice,
    DROP COLUMN company_name,
    DROP COLUMN kind;
