-- Usage (issue #21): allowances and overage rates on offers, snapshotted on each contract
-- offer period as the price is; the usage records the network sends; usage lines and the
-- included-usage summary on invoices.

-- `usage_terms` says the offer rates usage at all: without it, usage is not billed (today's
-- behaviour). With it, a NULL allowance is unlimited and the three rates are required.
ALTER TABLE offers
    ADD COLUMN usage_terms BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN allowance_voice_seconds BIGINT CHECK (allowance_voice_seconds >= 0),
    ADD COLUMN allowance_sms BIGINT CHECK (allowance_sms >= 0),
    ADD COLUMN allowance_data_bytes BIGINT CHECK (allowance_data_bytes >= 0),
    ADD COLUMN rate_voice_per_minute BIGINT CHECK (rate_voice_per_minute >= 0),
    ADD COLUMN rate_sms_each BIGINT CHECK (rate_sms_each >= 0),
    ADD COLUMN rate_data_per_mb BIGINT CHECK (rate_data_per_mb >= 0),
    ADD CONSTRAINT offers_usage_terms_whole CHECK (
        (usage_terms AND rate_voice_per_minute IS NOT NULL AND rate_sms_each IS NOT NULL
             AND rate_data_per_mb IS NOT NULL)
        OR (NOT usage_terms AND allowance_voice_seconds IS NULL AND allowance_sms IS NULL
             AND allowance_data_bytes IS NULL AND rate_voice_per_minute IS NULL
             AND rate_sms_each IS NULL AND rate_data_per_mb IS NULL));

ALTER TABLE contract_offer_periods
    ADD COLUMN usage_terms BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN allowance_voice_seconds BIGINT,
    ADD COLUMN allowance_sms BIGINT,
    ADD COLUMN allowance_data_bytes BIGINT,
    ADD COLUMN rate_voice_per_minute BIGINT,
    ADD COLUMN rate_sms_each BIGINT,
    ADD COLUMN rate_data_per_mb BIGINT;

-- One row per record the network sent, keyed by the network's own id: a record sent again
-- is a duplicate. `usage_date` is `started_at`'s day in Morocco (Africa/Casablanca), which
-- decides its month. `late` records arrived after their month was billed for the contract;
-- they are billed on the contract's next invoice, which `billed_invoice_id` then names.
CREATE TABLE usage_records (
    record_id          TEXT PRIMARY KEY,
    contract_id        TEXT NOT NULL REFERENCES contracts (id),
    service_identifier TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('voice', 'sms', 'data')),
    started_at         TIMESTAMPTZ NOT NULL,
    usage_date         DATE NOT NULL,
    quantity           BIGINT NOT NULL CHECK (quantity > 0),
    destination        TEXT,
    received_at        TIMESTAMPTZ NOT NULL,
    late               BOOLEAN NOT NULL DEFAULT FALSE,
    billed_invoice_id  TEXT REFERENCES invoices (id)
);
CREATE INDEX usage_records_by_contract_date ON usage_records (contract_id, usage_date);
CREATE INDEX usage_records_late_unbilled ON usage_records (contract_id)
    WHERE late AND billed_invoice_id IS NULL;

-- Usage lines: `kind` tells a usage line from a subscription line; the usage kind, the units
-- charged (started minutes, messages, started MB) and the unit price excl. tax.
ALTER TABLE invoice_lines
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'subscription' CHECK (kind IN ('subscription', 'usage')),
    ADD COLUMN usage_kind TEXT CHECK (usage_kind IN ('voice', 'sms', 'data')),
    ADD COLUMN quantity BIGINT,
    ADD COLUMN unit_price BIGINT;

-- What an invoice's contracts used of their allowances in the billed month (information
-- printed on the invoice: used / included). `included` NULL = unlimited.
CREATE TABLE invoice_usage (
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    contract_id  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('voice', 'sms', 'data')),
    used         BIGINT NOT NULL,
    included     BIGINT,
    PRIMARY KEY (invoice_id, contract_id, kind)
);

-- `usage.allowance_threshold_reached` fires once per contract, period, kind and threshold.
CREATE TABLE usage_thresholds (
    contract_id  TEXT NOT NULL REFERENCES contracts (id),
    period       TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('voice', 'sms', 'data')),
    percent      INT4 NOT NULL CHECK (percent IN (80, 100)),
    reached_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contract_id, period, kind, percent)
);
