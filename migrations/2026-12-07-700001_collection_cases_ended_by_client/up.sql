-- When a client's last case ended is read for every dunning batch (500 clients) and for every
-- client the per-client path visits. Without an index on the client for ended cases, each
-- read scanned the whole table (decision 0380). Partial: a case is written into it only when
-- it ends, so opening cases and climbing the ladder cost nothing more.
CREATE INDEX collection_cases_ended_by_client ON collection_cases (client_id, resolved_at)
    WHERE status IN ('resolved', 'written_off', 'closed');
