DROP TRIGGER usage_records_changed_references ON usage_records;
DROP FUNCTION usage_records_check_changed_references();
DROP TRIGGER usage_records_references ON usage_records;
DROP FUNCTION usage_records_check_references();
ALTER TABLE usage_records
    ADD CONSTRAINT usage_records_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES contracts (id),
    ADD CONSTRAINT usage_records_billed_invoice_id_fkey FOREIGN KEY (billed_invoice_id) REFERENCES invoices (id);
