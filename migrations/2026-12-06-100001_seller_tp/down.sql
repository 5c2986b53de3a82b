-- Identities that differ only by their TP would collide once it is gone: keep the oldest of
-- each and move the invoices of the others to it.
UPDATE invoices i
   SET seller_identity_id = keep.id
  FROM seller_identities s,
       LATERAL (SELECT min(o.id) AS id FROM seller_identities o
                 WHERE o.pending = s.pending AND o.name = s.name AND o.address = s.address
                   AND o.ice = s.ice AND o.if_number = s.if_number AND o.rc = s.rc
                   AND o.tva_number = s.tva_number) keep
 WHERE i.seller_identity_id = s.id AND keep.id <> s.id;
DELETE FROM seller_identities s
 WHERE EXISTS (SELECT 1 FROM seller_identities o
                WHERE o.id < s.id AND o.pending = s.pending AND o.name = s.name
                  AND o.address = s.address AND o.ice = s.ice AND o.if_number = s.if_number
                  AND o.rc = s.rc AND o.tva_number = s.tva_number);

DROP INDEX seller_identities_value;
CREATE UNIQUE INDEX seller_identities_value
    ON seller_identities (name, address, ice, if_number, rc, tva_number) WHERE NOT pending;
ALTER TABLE seller_identities DROP COLUMN tp;
