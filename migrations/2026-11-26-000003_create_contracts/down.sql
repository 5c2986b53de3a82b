DROP TABLE contract_documents;
DROP TABLE contract_audit;
DROP TABLE contract_offer_periods;
DROP TABLE contracts;
