//! The invoice ids of a billing run, kept in one buffer.
//!
//! A run's answer names every invoice it issued, so the list grows with the run: a million
//! `InvoiceId`s (a `String` each) take about 56 MB, this list about 38 MB (decision 0350).

use crate::typed_ids::InvoiceId;

/// Invoice ids in order, their text back to back in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceIdList {
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
}

impl InvoiceIdList {
    /// An empty list with room for `ids` ids of `id_len` bytes each.
    pub fn with_capacity(ids: usize, id_len: usize) -> Self {
        Self {
            text: String::with_capacity(ids.saturating_mul(id_len)),
            ends: Vec::with_capacity(ids),
        }
    }

    /// Appends an id.
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// No id at all.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Total length of the ids' text, in bytes.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The ids, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.ends.iter().enumerate().map(|(n, &end)| {
            let start = n.checked_sub(1).map_or(0, |before| self.ends[before]);
            &self.text[start..end]
        })
    }
}

impl FromIterator<InvoiceId> for InvoiceIdList {
    fn from_iter<T: IntoIterator<Item = InvoiceId>>(ids: T) -> Self {
        let mut list = Self::default();
        for id in ids {
            list.push(id.as_str());
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_the_ids_in_the_order_they_came() {
        let list: InvoiceIdList = ["inv_B", "inv_AA", "inv_C"]
            .into_iter()
            .map(InvoiceId::from_stored)
            .collect();
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            ["inv_B", "inv_AA", "inv_C"]
        );
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().len(), 3);
        assert_eq!(list.text_len(), 16);
        assert!(!list.is_empty());
    }

    #[test]
    fn an_empty_list_has_no_id() {
        let list = InvoiceIdList::with_capacity(10, 30);
        assert!(list.is_empty());
        assert_eq!(list.iter().next(), None);
    }

    #[test]
    fn the_text_of_a_million_ids_is_held_once() {
        let mut list = InvoiceIdList::with_capacity(1_000_000, 30);
        for n in 0..1_000_000 {
            list.push(&format!("inv_{n:026}"));
        }
        assert_eq!(list.len(), 1_000_000);
        assert_eq!(list.text_len(), 30_000_000);
        assert_eq!(
            list.iter().nth(999_999),
            Some("inv_00000000000000000000999999")
        );
        assert_eq!(list.iter().next(), Some("inv_00000000000000000000000000"));
    }
}
