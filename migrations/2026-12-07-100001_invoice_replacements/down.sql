DROP INDEX invoices_replaces_once;
DROP INDEX invoices_one_per_account_period;
CREATE UNIQUE INDEX invoices_one_per_account_period ON invoices (client_id, period)
    WHERE invoicing = 'per_account';
DROP INDEX invoices_contract_id_period_key;
-- Fails while replacements exist: a contract and month would hold two invoices again.
ALTER TABLE invoices ADD CONSTRAINT invoices_contract_id_period_key UNIQUE (contract_id, period);
ALTER TABLE invoices DROP COLUMN replaces_invoice_id;
