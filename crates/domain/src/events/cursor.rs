//! The feed cursor: the position of an event in feed order, written as an opaque string.

use std::fmt;

/// Where an event sits in the feed: its writing transaction, then its place within it.
/// Callers only see the opaque text ([`EventCursor::parse`], `Display`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventCursor {
    /// The writing transaction's id (PostgreSQL `xid8`).
    pub tx_id: u64,
    /// The event's order within its transaction.
    pub seq: i64,
}

/// Hex digits of each half.
const HALF: usize = 16;

impl EventCursor {
    /// Reads a cursor the feed handed out; an error message when it is not one.
    pub fn parse(text: &str) -> Result<EventCursor, String> {
        let bad = || "is not a cursor this feed handed out".to_owned();
        if text.len() != 2 * HALF || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let (tx, seq) = text.split_at(HALF);
        let tx_id = u64::from_str_radix(tx, 16).map_err(|_| bad())?;
        let seq = u64::from_str_radix(seq, 16).map_err(|_| bad())?;
        Ok(EventCursor {
            tx_id,
            seq: i64::try_from(seq).map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for EventCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}{:016x}", self.tx_id, self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_sorts_like_the_feed() {
        let a = EventCursor { tx_id: 7, seq: 900 };
        let b = EventCursor { tx_id: 8, seq: 1 };
        assert_eq!(EventCursor::parse(&a.to_string()), Ok(a));
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
    }

    #[test]
    fn anything_else_is_refused() {
        for text in [
            "",
            "abc",
            "zz00000000000000000000000000000",
            "ffffffffffffffffffffffffffffffff",
        ] {
            assert!(EventCursor::parse(text).is_err(), "{text}");
        }
    }
}
