DROP INDEX IF EXISTS payments_bank_line;
DROP TABLE IF EXISTS payment_import_lines;
DROP TABLE IF EXISTS unidentified_receipts;
DROP TABLE IF EXISTS payment_imports;
