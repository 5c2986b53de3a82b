//! Keyset pagination shared by every list: a page request (`limit`, `after`) and a page of
//! items with the cursor of the next one.

/// Page size when the caller gives none.
pub const DEFAULT_LIMIT: usize = 50;
/// Largest page a caller may ask for.
pub const MAX_LIMIT: usize = 500;

/// Which page to read: at most `limit` items whose id sorts after `after`.
///
/// Ids are prefixed ULIDs, so "id greater than the last one seen, ordered by id" is stable
/// under concurrent inserts: a new row never shifts the pages already read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    limit: usize,
    after: Option<String>,
}

impl PageRequest {
    /// Validates `limit` (1 to [`MAX_LIMIT`]); `after` is the previous page's `next_cursor`.
    pub fn new(limit: usize, after: Option<String>) -> Result<PageRequest, String> {
        if (1..=MAX_LIMIT).contains(&limit) {
            Ok(PageRequest { limit, after })
        } else {
            Err(format!("must be between 1 and {MAX_LIMIT}"))
        }
    }

    /// The first page of the default size.
    pub fn first() -> PageRequest {
        PageRequest {
            limit: DEFAULT_LIMIT,
            after: None,
        }
    }

    /// Items per page.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Rows to fetch: one more than the page, to know whether another page follows.
    pub fn fetch(&self) -> usize {
        self.limit + 1
    }

    /// The id after which the page starts.
    pub fn after(&self) -> Option<&str> {
        self.after.as_deref()
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::first()
    }
}

/// One page of a list and the cursor of the next page (`None` on the last one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, ordered by id.
    pub items: Vec<T>,
    /// Pass as `cursor` to read the next page; `None` when this is the last.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from the [`PageRequest::fetch`] rows a repository returned (ordered by
    /// id): the extra row, if any, only tells that another page follows.
    pub fn from_fetched(mut rows: Vec<T>, request: &PageRequest, id: impl Fn(&T) -> &str) -> Self {
        let more = rows.len() > request.limit();
        rows.truncate(request.limit());
        let next_cursor = if more {
            rows.last().map(|last| id(last).to_owned())
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    /// The same page with each item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_must_be_between_one_and_the_maximum() {
        assert!(PageRequest::new(0, None).is_err());
        assert!(PageRequest::new(MAX_LIMIT + 1, None).is_err());
        assert_eq!(
            PageRequest::new(MAX_LIMIT, None).map(|p| p.fetch()),
            Ok(501)
        );
    }

    #[test]
    fn an_extra_row_means_a_next_page_starting_after_the_last_item() {
        let request = PageRequest::new(2, None).unwrap();
        let page = Page::from_fetched(vec!["a", "b", "c"], &request, |s| s);
        assert_eq!(page.items, vec!["a", "b"]);
        assert_eq!(page.next_cursor.as_deref(), Some("b"));
    }

    #[test]
    fn a_short_page_is_the_last() {
        let request = PageRequest::new(2, None).unwrap();
        let page = Page::from_fetched(vec!["a", "b"], &request, |s| s);
        assert_eq!(page.next_cursor, None);
    }
}
