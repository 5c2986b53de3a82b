DROP TABLE case_actions;
DROP TABLE collection_cases;
DROP TABLE payment_allocations;
DROP TABLE payments;
