//! Query-string parsing for the billing and invoice endpoints: every problem (unknown or
//! repeated parameter, bad value, bad `limit`) is a problem+json 400 `invalid_query` naming
//! the parameter, never actix's plain-text answer.

use actix_web::web::Query;
use actix_web::HttpRequest;
use domain::ids::IdKind;

use crate::problem::ApiError;

/// Default page size of lists.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size of lists.
pub const MAX_LIMIT: i64 = 500;

/// The parsed query string of one request.
#[derive(Debug)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Parses the query string, accepting only the `allowed` parameters, each at most once.
    pub fn parse(req: &HttpRequest, allowed: &[&str]) -> Result<QueryParams, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map_err(|e| ApiError::bad_field("invalid_query", "query", e.to_string()))?;
        crate::query::refuse_nul_characters(&pairs)?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(ApiError::bad_field(
                    "invalid_query",
                    name,
                    format!("unknown parameter; expected one of {}", allowed.join(", ")),
                ));
            }
            if pairs[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(ApiError::bad_field(
                    "invalid_query",
                    name,
                    "given more than once",
                ));
            }
        }
        Ok(QueryParams { pairs })
    }

    /// The raw value of `name`, if given (an empty value counts as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name` as an owned string.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// The value of `name` parsed by `parse`; its error message becomes the 400's.
    pub fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ApiError> {
        self.get(name)
            .map(|raw| parse(raw).map_err(|m| ApiError::bad_field("invalid_query", name, m)))
            .transpose()
    }

    /// `limit`: default 50, from 1 to 500.
    pub fn limit(&self) -> Result<i64, ApiError> {
        let limit = self.parsed("limit", |raw| {
            raw.parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| format!("must be a whole number from 1 to {MAX_LIMIT}"))
        })?;
        Ok(limit.unwrap_or(DEFAULT_LIMIT))
    }

    /// `cursor`: the last id of the previous page.
    pub fn cursor(&self) -> Option<String> {
        self.text("cursor")
    }
}

/// An id filter: a well-formed id of `kind` (a malformed one can match nothing: 400).
pub fn id_of(kind: IdKind) -> impl Fn(&str) -> Result<String, String> {
    move |raw| {
        if kind.matches(raw) {
            Ok(raw.to_owned())
        } else {
            Err(format!("must be an id starting with `{}`", kind.prefix()))
        }
    }
}

/// `true` or `false`.
pub fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}
