//! The advisory lock that serialises usage ingestion with billing (issue #21): ingestion holds
//! it exclusive while it decides whether a record is late; each billing batch holds it shared
//! from its claim to its commit, so batches run side by side. A record is either seen by the
//! batch that bills its month or marked late and billed on the next invoice — never lost
//! between the two.

/// `pg_advisory_xact_lock(_shared)` key ("MTFUSAGE" as 8 ASCII bytes).
pub const USAGE_BILLING_LOCK: i64 = 0x4D54_4655_5341_4745;
