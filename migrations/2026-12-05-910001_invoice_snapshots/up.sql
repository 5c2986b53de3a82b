-- An invoice prints what was true when it was issued (decision 0200): the buyer and the line
-- billed are copied onto it, the seller's legal identity is stored once per distinct value
-- and referred to by id. Credit notes print the snapshot of the invoice they correct;
-- contract documents are rendered and stored when their version is created.

CREATE TABLE seller_identities (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    ice TEXT NOT NULL,
    if_number TEXT NOT NULL,
    rc TEXT NOT NULL,
    tva_number TEXT NOT NULL,
    -- The identity of the invoices issued before this migration: the seller settings live in
    -- the server's environment, not here, so the first server start after the migration
    -- fills it in from its `MTF_SELLER_*` settings and clears the flag.
    pending BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX seller_identities_value
    ON seller_identities (name, address, ice, if_number, rc, tva_number) WHERE NOT pending;
CREATE UNIQUE INDEX seller_identities_one_pending
    ON seller_identities (pending) WHERE pending;
INSERT INTO seller_identities (name, address, ice, if_number, rc, tva_number, pending)
VALUES ('', '', '', '', '', '', TRUE);

ALTER TABLE invoices
    ADD COLUMN buyer_name TEXT,
    ADD COLUMN buyer_cin TEXT,
    ADD COLUMN buyer_ice TEXT,
    ADD COLUMN buyer_address TEXT,
    ADD COLUMN buyer_city TEXT,
    ADD COLUMN service_identifier TEXT,
    ADD COLUMN seller_identity_id BIGINT;

-- Existing invoices are snapshotted from the clients and lines as they are now.
UPDATE invoices i
   SET buyer_name = cl.first_name || ' ' || cl.last_name,
       buyer_cin = cl.cin,
       buyer_address = cl.address,
       buyer_city = cl.city,
       service_identifier = s.service_identifier,
       seller_identity_id = (SELECT id FROM seller_identities WHERE pending)
  FROM clients cl, contracts c, subscribers s
 WHERE cl.id = i.client_id AND c.id = i.contract_id AND s.id = c.subscriber_id;

-- No foreign key on `seller_identity_id`, as for the other references of invoices (decision
-- 0094): billing writes thousands per statement, and seller identities are never deleted.
ALTER TABLE invoices
    ALTER COLUMN buyer_name SET NOT NULL,
    ALTER COLUMN service_identifier SET NOT NULL,
    ALTER COLUMN seller_identity_id SET NOT NULL;
