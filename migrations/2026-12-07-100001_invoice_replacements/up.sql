-- A rejected invoice is voided by a credit note and replaced by a new invoice, under a new
-- number, for the same contract and month (issue #18, decision 0315).
--
-- The replacement names the invoice it replaces. The invoice replaced is never written again
-- (an issued invoice is fixed), so uniqueness is kept on the originals: one invoice per
-- contract (per account) and month among those that replace nothing, and each invoice
-- replaced at most once. Every replacement replaces an invoice of its own contract and month
-- (the use case copies them), so each month holds one chain and exactly one live invoice at
-- its end. A billing run still finds "this month is billed" through the original.
ALTER TABLE invoices ADD COLUMN replaces_invoice_id TEXT REFERENCES invoices (id);

-- Same name as the constraint it replaces: the repository maps its violation to
-- `invoice_already_issued`.
ALTER TABLE invoices DROP CONSTRAINT invoices_contract_id_period_key;
CREATE UNIQUE INDEX invoices_contract_id_period_key ON invoices (contract_id, period)
    WHERE replaces_invoice_id IS NULL;

DROP INDEX invoices_one_per_account_period;
CREATE UNIQUE INDEX invoices_one_per_account_period ON invoices (client_id, period)
    WHERE invoicing = 'per_account' AND replaces_invoice_id IS NULL;

-- Partial: billing's bulk inserts (all NULL) add nothing to it.
CREATE UNIQUE INDEX invoices_replaces_once ON invoices (replaces_invoice_id)
    WHERE replaces_invoice_id IS NOT NULL;
