//! Query-string parsing for the collections lists: unknown or repeated parameters, bad
//! values and out-of-range pages are 400 `invalid_query` naming the parameter.

use actix_web::web::Query;
use actix_web::HttpRequest;
use domain::ids::IdKind;
use time::macros::format_description;
use time::Date;

use crate::problem::ApiError;

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size.
pub const MAX_LIMIT: i64 = 500;

/// The parameters of one request.
pub struct Params {
    pairs: Vec<(String, String)>,
}

fn invalid(name: &str, message: impl Into<String>) -> ApiError {
    ApiError::bad_field("invalid_query", name, message)
}

impl Params {
    /// Parses the query string; only `allowed` names (plus `limit` and `cursor`) are accepted.
    pub fn parse(req: &HttpRequest, allowed: &[&str]) -> Result<Params, ApiError> {
        let pairs = Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map_err(|_| invalid("query", "the query string is malformed"))?
            .into_inner();
        crate::query::refuse_nul_characters(&pairs)?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) && name != "limit" && name != "cursor" {
                return Err(invalid(name, "unknown parameter"));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(invalid(name, "given more than once"));
            }
        }
        Ok(Params { pairs })
    }

    /// The trimmed value, `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// An id of `kind`.
    pub fn id(&self, name: &str, kind: IdKind) -> Result<Option<String>, ApiError> {
        match self.text(name) {
            Some(id) if !kind.matches(&id) => Err(invalid(
                name,
                format!("expected an id starting with `{}`", kind.prefix()),
            )),
            other => Ok(other),
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&self, name: &str) -> Result<Option<Date>, ApiError> {
        self.text(name)
            .map(|v| {
                Date::parse(&v, format_description!("[year]-[month]-[day]"))
                    .map_err(|_| invalid(name, "expected a date YYYY-MM-DD"))
            })
            .transpose()
    }

    /// An integer within `[min, max]`.
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        self.text(name)
            .map(|v| match v.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(invalid(
                    name,
                    format!("expected an integer from {min} to {max}"),
                )),
            })
            .transpose()
    }

    /// A value parsed by a domain parser (its message on failure).
    pub fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ApiError> {
        self.text(name)
            .map(|v| parse(&v).map_err(|m| invalid(name, m)))
            .transpose()
    }

    /// `cursor` (an id of `kind`) and `limit` (1 to 500, default 50).
    pub fn page(&self, kind: IdKind) -> Result<(Option<String>, i64), ApiError> {
        let cursor = self.id("cursor", kind)?;
        let limit = self.int("limit", 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT);
        Ok((cursor, limit))
    }
}
