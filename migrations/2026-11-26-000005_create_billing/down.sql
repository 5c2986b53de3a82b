DROP TABLE invoice_documents;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE billing_runs;
