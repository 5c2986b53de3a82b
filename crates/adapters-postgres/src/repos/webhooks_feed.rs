//! The events the webhook dispatcher follows, read from the outbox.

/// Events after a position, in commit order; `$1` the cursor, `$2` the limit.
pub(crate) const FEED_SQL: &str = "
SELECT position, id, type AS event_type, envelope::text AS envelope
FROM events
WHERE position > $1
ORDER BY position
LIMIT $2";
