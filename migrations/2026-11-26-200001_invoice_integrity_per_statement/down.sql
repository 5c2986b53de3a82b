DROP TRIGGER invoice_lines_identity ON invoice_lines;
DROP TRIGGER invoice_lines_kept ON invoice_lines;
DROP TRIGGER invoices_identity ON invoices;
DROP TRIGGER invoices_kept ON invoices;
DROP TRIGGER contracts_identity ON contracts;
DROP TRIGGER contracts_kept ON contracts;
DROP TRIGGER billing_runs_identity ON billing_runs;
DROP TRIGGER billing_runs_kept ON billing_runs;
DROP FUNCTION refuse_change();
DROP TRIGGER offers_invoiced ON offers;
DROP FUNCTION offers_refuse_delete_when_invoiced();
DROP TRIGGER invoice_lines_references ON invoice_lines;
DROP FUNCTION invoice_lines_check_references();
DROP TRIGGER invoices_references ON invoices;
DROP FUNCTION invoices_check_references();

ALTER TABLE invoice_lines
    ADD CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoices (id);
ALTER TABLE invoices
    ADD CONSTRAINT invoices_billing_run_id_fkey FOREIGN KEY (billing_run_id) REFERENCES billing_runs (id),
    ADD CONSTRAINT invoices_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients (id),
    ADD CONSTRAINT invoices_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES contracts (id),
    ADD CONSTRAINT invoices_offer_id_fkey FOREIGN KEY (offer_id) REFERENCES offers (id);
