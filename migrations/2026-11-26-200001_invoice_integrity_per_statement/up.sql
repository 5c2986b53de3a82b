-- Invoices and their lines are written by billing in batches of thousands (decision 0094).
-- A foreign key checks every row on its own (one lookup and one row lock each, ~5 µs): the
-- five keys these two tables had cost more than the insert itself. The same guarantees are
-- now checked once per statement, over all the rows it inserted:
--   * an invoice's contract exists and belongs to the invoice's client;
--   * its billing run and its offer exist (probed once per distinct id; the offers are
--     locked FOR KEY SHARE, as a foreign key would, so that a concurrent delete waits);
--   * a line's invoice exists.
-- The referenced rows cannot go away afterwards: billing runs, contracts, invoices and their
-- lines are legal records, never deleted, and the columns that tie them together never
-- change; an offer that an invoice names cannot be deleted. Clients stay protected through
-- contracts, whose foreign key remains.

ALTER TABLE invoices
    DROP CONSTRAINT invoices_billing_run_id_fkey,
    DROP CONSTRAINT invoices_client_id_fkey,
    DROP CONSTRAINT invoices_contract_id_fkey,
    DROP CONSTRAINT invoices_offer_id_fkey;
ALTER TABLE invoice_lines
    DROP CONSTRAINT invoice_lines_invoice_id_fkey;

-- The per-row probes are scalar subqueries, not NOT EXISTS: the planner turns NOT EXISTS
-- over a transition table into a hashed subplan or a hash anti-join that reads the whole
-- parent table for every batch (100 ms per 2,000 invoices instead of 4).
CREATE FUNCTION invoices_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    orphan TEXT;
BEGIN
    SELECT n.id INTO orphan
      FROM new_invoices n
     WHERE (SELECT 1 FROM contracts c
             WHERE c.id = n.contract_id AND c.client_id = n.client_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoice % refers to a contract that does not exist or is not its client''s', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoices';
    END IF;
    -- A few runs and offers for thousands of invoices: probed once per distinct id.
    WITH runs AS MATERIALIZED (SELECT DISTINCT billing_run_id FROM new_invoices)
    SELECT r.billing_run_id INTO orphan
      FROM runs r
     WHERE (SELECT 1 FROM billing_runs b WHERE b.id = r.billing_run_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoices refer to billing run %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoices';
    END IF;
    WITH named AS MATERIALIZED (SELECT DISTINCT offer_id FROM new_invoices),
         found AS (SELECT o.id FROM offers o JOIN named ON o.id = named.offer_id
                     FOR KEY SHARE OF o)
    SELECT named.offer_id INTO orphan
      FROM named LEFT JOIN found ON found.id = named.offer_id
     WHERE found.id IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoices refer to offer %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoices';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER invoices_references AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS new_invoices
    FOR EACH STATEMENT EXECUTE FUNCTION invoices_check_references();

CREATE FUNCTION invoice_lines_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    orphan TEXT;
BEGIN
    SELECT n.invoice_id INTO orphan
      FROM new_lines n
     WHERE (SELECT 1 FROM invoices i WHERE i.id = n.invoice_id) IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoice line refers to invoice %, which does not exist', orphan
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER invoice_lines_references AFTER INSERT ON invoice_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION invoice_lines_check_references();

-- Refuses a change the statement-level checks above could not see.
CREATE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END $$;

CREATE TRIGGER billing_runs_kept BEFORE DELETE OR TRUNCATE ON billing_runs
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('billing runs are never deleted');
CREATE TRIGGER billing_runs_identity BEFORE UPDATE OF id ON billing_runs
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION refuse_change('a billing run keeps its id');

CREATE TRIGGER contracts_kept BEFORE DELETE OR TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('contracts are never deleted');
CREATE TRIGGER contracts_identity BEFORE UPDATE OF id, client_id ON contracts
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.client_id IS DISTINCT FROM NEW.client_id)
    EXECUTE FUNCTION refuse_change('a contract keeps its id and its client');

CREATE TRIGGER invoices_kept BEFORE DELETE OR TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('invoices are never deleted');
CREATE TRIGGER invoices_identity
    BEFORE UPDATE OF id, billing_run_id, client_id, contract_id, offer_id ON invoices
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id
                       OR OLD.billing_run_id IS DISTINCT FROM NEW.billing_run_id
                       OR OLD.client_id IS DISTINCT FROM NEW.client_id
                       OR OLD.contract_id IS DISTINCT FROM NEW.contract_id
                       OR OLD.offer_id IS DISTINCT FROM NEW.offer_id)
    EXECUTE FUNCTION refuse_change('an invoice keeps its run, client, contract and offer');

-- What a foreign key's ON DELETE NO ACTION did. A delete racing an invoice insert waits on
-- the insert's FOR KEY SHARE lock, then sees its invoices.
CREATE FUNCTION offers_refuse_delete_when_invoiced() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM invoices i WHERE i.offer_id = OLD.id) THEN
        RAISE EXCEPTION 'offer % is named by invoices and cannot be deleted', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'offers';
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER offers_invoiced BEFORE DELETE ON offers
    FOR EACH ROW EXECUTE FUNCTION offers_refuse_delete_when_invoiced();

CREATE TRIGGER invoice_lines_kept BEFORE DELETE OR TRUNCATE ON invoice_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('invoice lines are never deleted');
CREATE TRIGGER invoice_lines_identity BEFORE UPDATE OF invoice_id ON invoice_lines
    FOR EACH ROW WHEN (OLD.invoice_id IS DISTINCT FROM NEW.invoice_id)
    EXECUTE FUNCTION refuse_change('an invoice line stays on its invoice');
