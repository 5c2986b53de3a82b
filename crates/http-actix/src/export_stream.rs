//! A journal answered as it is read: the first page is read before the answer starts (so a
//! failure is still a problem+json), then each further page is read on the blocking pool
//! only when the client has taken the previous one. Memory holds one page, whatever the
//! range (decision 0232).

use std::sync::Arc;

use actix_web::web::Bytes;
use futures_util::stream::{self, Stream};

use crate::blocking::blocking;
use crate::problem::ApiError;

/// Writes a journal's rows in one format.
pub trait Encoder<R>: Send + 'static {
    /// What precedes the first row (BOM and header, or the JSON object's opening).
    fn head(&mut self, out: &mut String);
    /// One row.
    fn row(&mut self, row: &R, out: &mut String);
    /// What follows the last row (the JSON totals and closing).
    fn tail(&mut self, out: &mut String);
}

enum Step<R, C> {
    /// A page read, with what precedes it.
    Page(Vec<R>, String),
    /// Read the page after this cursor.
    Fetch(C),
    /// Write the tail.
    Tail,
    End,
}

/// The body: `first` page, then pages fetched after each last row's cursor until a page is
/// shorter than `page_size`. A failure after the answer started ends the body early (the
/// client sees a truncated file) and is logged.
pub fn paged<R, C, F, K>(
    first: Vec<R>,
    page_size: usize,
    fetch: F,
    cursor_of: K,
    mut encoder: Box<dyn Encoder<R>>,
) -> impl Stream<Item = Result<Bytes, ApiError>>
where
    R: Send + 'static,
    C: Send + 'static,
    F: Fn(C) -> domain::Result<Vec<R>> + Clone + Send + 'static,
    K: Fn(&R) -> C + Send + Sync + 'static,
{
    let mut head = String::new();
    encoder.head(&mut head);
    let cursor_of = Arc::new(cursor_of);
    stream::unfold(
        (Step::Page(first, head), encoder),
        move |(step, mut encoder)| {
            let fetch = fetch.clone();
            let cursor_of = cursor_of.clone();
            async move {
                let (rows, mut out) = match step {
                    Step::Page(rows, head) => (rows, head),
                    Step::Fetch(cursor) => match blocking(move || fetch(cursor)).await {
                        Ok(rows) => (rows, String::new()),
                        Err(error) => {
                            tracing::error!(error = %error, "export stopped after its answer began");
                            return Some((Err(error), (Step::End, encoder)));
                        }
                    },
                    Step::Tail => {
                        let mut out = String::new();
                        encoder.tail(&mut out);
                        return Some((Ok(Bytes::from(out)), (Step::End, encoder)));
                    }
                    Step::End => return None,
                };
                for row in &rows {
                    encoder.row(row, &mut out);
                }
                let next = match rows.last() {
                    Some(last) if rows.len() >= page_size => Step::Fetch(cursor_of(last)),
                    _ => Step::Tail,
                };
                Some((Ok(Bytes::from(out)), (next, encoder)))
            }
        },
    )
}
