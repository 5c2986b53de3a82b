-- The seller's taxe professionnelle number (CGI art. 145-III), part of the identity fixed on
-- each invoice at issue (decision 0200). Identities already stored were issued without one:
-- they keep an empty TP, so their documents go on stating what they stated.
ALTER TABLE seller_identities ADD COLUMN tp TEXT NOT NULL DEFAULT '';

DROP INDEX seller_identities_value;
CREATE UNIQUE INDEX seller_identities_value
    ON seller_identities (name, address, ice, if_number, rc, tva_number, tp) WHERE NOT pending;
