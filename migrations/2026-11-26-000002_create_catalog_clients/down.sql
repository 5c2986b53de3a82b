DROP TABLE subscribers;
DROP TABLE clients;
DROP TABLE offers;
