DROP TABLE pending_charges;
