-- Who made a draft, as a keyed digest of the client address (never the address itself), so
-- the open drafts of one address can be capped. Drafts made before this have none and count
-- against nobody.
ALTER TABLE drafts ADD COLUMN created_by TEXT;

CREATE INDEX drafts_open_by_creator ON drafts (created_by, expires_at)
    WHERE status = 'open' AND created_by IS NOT NULL;
