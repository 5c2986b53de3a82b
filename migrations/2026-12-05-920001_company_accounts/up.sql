-- Company accounts (issue #22 §2, decisions 0210-0212).
--
-- A client is a person (CIN, first and last name) or a company (company name, ICE, optional
-- RC, IF and legal representative). The CIN stays unique among persons (NULLs never clash);
-- the ICE is unique among companies.
ALTER TABLE clients
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
    ADD COLUMN company_name TEXT,
    ADD COLUMN ice TEXT,
    ADD COLUMN rc TEXT,
    ADD COLUMN tax_id TEXT,
    ADD COLUMN representative_name TEXT,
    ADD COLUMN representative_cin TEXT,
    ADD COLUMN invoicing TEXT NOT NULL DEFAULT 'per_contract'
        CHECK (invoicing IN ('per_contract', 'per_account')),
    ALTER COLUMN cin DROP NOT NULL,
    ALTER COLUMN first_name DROP NOT NULL,
    ALTER COLUMN last_name DROP NOT NULL,
    ADD CONSTRAINT clients_ice_key UNIQUE (ice),
    ADD CONSTRAINT clients_identity_of_kind CHECK (
        (kind = 'person' AND cin IS NOT NULL AND first_name IS NOT NULL
            AND last_name IS NOT NULL AND company_name IS NULL AND ice IS NULL)
        OR (kind = 'company' AND cin IS NULL AND first_name IS NULL AND last_name IS NULL
            AND company_name IS NOT NULL AND ice IS NOT NULL)),
    ADD CONSTRAINT clients_representative_whole CHECK (
        (representative_name IS NULL) = (representative_cin IS NULL));

-- The free-text search covers the company name and the ICE too; NULL parts are skipped so a
-- company (no first name, no CIN) is found. Same expression in `repos/clients.rs`.
DROP INDEX clients_search_trgm;
CREATE INDEX clients_search_trgm ON clients USING GIN (
    (lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(cin, '')
        || ' ' || coalesce(company_name, '') || ' ' || coalesce(ice, '')
        || ' ' || coalesce(phone, '') || ' ' || coalesce(email, ''))) gin_trgm_ops
);

-- The billing claim asks, for every contract, whether its client is billed per account:
-- a probe of this small index (companies billed per account only) answers it.
CREATE INDEX clients_per_account ON clients (id) WHERE invoicing = 'per_account';

-- Every change to a client, as `contract_audit` keeps those of contracts.
CREATE TABLE client_audit (
    id         TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    at         TIMESTAMPTZ NOT NULL,
    actor_id   TEXT NOT NULL,
    action     TEXT NOT NULL,
    before     JSONB,
    after      JSONB
);
CREATE INDEX client_audit_client ON client_audit (client_id, at, id);

-- An invoice is per contract (today's) or per account: one per client and month, its lines
-- from several contracts. Its `contract_id` is then its first contract (decision 0211).
ALTER TABLE invoices
    ADD COLUMN invoicing TEXT NOT NULL DEFAULT 'per_contract'
        CHECK (invoicing IN ('per_contract', 'per_account'));
CREATE UNIQUE INDEX invoices_one_per_account_period ON invoices (client_id, period)
    WHERE invoicing = 'per_account';

-- Each line names the contract it bills: the invoice's own for existing invoices.
ALTER TABLE invoice_lines ADD COLUMN contract_id TEXT;
UPDATE invoice_lines l SET contract_id = i.contract_id FROM invoices i WHERE i.id = l.invoice_id;
ALTER TABLE invoice_lines ALTER COLUMN contract_id SET NOT NULL;
-- `GET /invoices?contract_id=` matches any line, as `offer_id` does.
CREATE INDEX invoice_lines_contract ON invoice_lines (contract_id, invoice_id);

-- The statement-level check of the lines (decision 0094's replacement of foreign keys)
-- covers their contract too: it exists and belongs to the invoice's client.
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
