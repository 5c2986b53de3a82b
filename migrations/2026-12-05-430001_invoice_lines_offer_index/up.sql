-- `GET /invoices?offer_id=` matches an invoice when any of its lines bills the offer
-- (decision 0190). The lines' index answers that filter; the invoice-level index on the last
-- line's offer no longer serves any query and goes, so billing writes as many index entries
-- per invoice as before.
CREATE INDEX invoice_lines_offer ON invoice_lines (offer_id, invoice_id);
DROP INDEX invoices_offer;
