-- Regularisation charges (decision 0251): days a change backdated into an invoiced month made
-- owed, billed as their own line on the contract's next invoice. A charge is written with the
-- change, under the contract's lock, and marked with the invoice that billed it by the
-- billing batch that claimed the contract; it is never deleted (it is the audit's reference).
CREATE TABLE pending_charges (
    id                      TEXT PRIMARY KEY,
    contract_id             TEXT NOT NULL REFERENCES contracts (id),
    regularised_invoice_id  TEXT NOT NULL REFERENCES invoices (id),
    description             TEXT NOT NULL,
    offer_id                TEXT NOT NULL REFERENCES offers (id),
    start_date              DATE NOT NULL,
    end_date                DATE NOT NULL,
    days                    INTEGER NOT NULL CHECK (days > 0),
    monthly_price           BIGINT NOT NULL CHECK (monthly_price >= 0),
    amount_excl_tax         BIGINT NOT NULL CHECK (amount_excl_tax >= 0),
    tax_rate_bp             INTEGER NOT NULL CHECK (tax_rate_bp >= 0),
    created_at              TIMESTAMPTZ NOT NULL,
    billed_invoice_id       TEXT REFERENCES invoices (id),
    CHECK (start_date <= end_date)
);

-- The billing batch reads the unbilled charges of its contract-id range: few rows, so a
-- partial index keeps that read to the charges still waiting.
CREATE INDEX pending_charges_unbilled ON pending_charges (contract_id, id)
    WHERE billed_invoice_id IS NULL;
