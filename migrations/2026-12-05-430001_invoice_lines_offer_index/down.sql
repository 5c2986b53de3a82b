CREATE INDEX invoices_offer ON invoices (offer_id, id);
DROP INDEX invoice_lines_offer;
