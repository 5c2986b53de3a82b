-- Usage ingestion (issue #21) finds a record's contract by its line alone: the subscribers'
-- unique key leads with the service type, which a record does not carry.
CREATE INDEX subscribers_by_identifier ON subscribers (service_identifier);
