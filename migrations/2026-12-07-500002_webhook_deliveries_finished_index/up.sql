-- The retention purge takes finished deliveries oldest first (decision 0387): without this
-- index each batch would scan every delivery.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (updated_at)
    WHERE status IN ('succeeded', 'failed');
