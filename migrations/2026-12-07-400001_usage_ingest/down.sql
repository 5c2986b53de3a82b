DROP INDEX subscribers_by_identifier;
