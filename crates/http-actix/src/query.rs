//! `QueryParams`: strict query-string parsing for list endpoints. Every problem is a
//! problem+json 400 `invalid_query` naming the parameter (actix's own `Query` extractor
//! would answer plain text), and unknown parameters are refused so a typo never silently
//! widens a search.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use domain::error::{Error, FieldError};
use domain::ids::IdKind;
use domain::page::{PageRequest, DEFAULT_LIMIT, MAX_LIMIT};
use domain::typed_ids::TypedId;
use time::macros::format_description;
use time::Date;

use crate::problem::ApiError;

/// Stable code of every query-string problem.
pub const INVALID_QUERY: &str = "invalid_query";

/// The query string as name/value pairs, consumed parameter by parameter.
#[derive(Debug, Default)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    /// Parses a raw query string (`a=1&b=x%20y`).
    pub fn parse(query: &str) -> Result<QueryParams, ApiError> {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query)
            .map_err(|e| ApiError::bad_field(INVALID_QUERY, "query", e.to_string()))?
            .into_inner();
        refuse_nul_characters(&pairs)?;
        Ok(QueryParams { pairs })
    }

    /// Removes and returns the parameter `name`, trimmed; a blank value counts as absent.
    /// Given twice: 400.
    pub fn take(&mut self, name: &str) -> Result<Option<String>, ApiError> {
        let mut values = Vec::new();
        self.pairs.retain(|(key, value)| {
            if key == name {
                values.push(value.trim().to_owned());
                false
            } else {
                true
            }
        });
        if values.len() > 1 {
            return Err(ApiError::bad_field(
                INVALID_QUERY,
                name,
                "must be given at most once",
            ));
        }
        Ok(values.pop().filter(|v| !v.is_empty()))
    }

    /// Removes the parameter `name` and parses it with `parse`; its error message becomes
    /// a 400 naming the parameter.
    pub fn parse_with<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ApiError> {
        match self.take(name)? {
            None => Ok(None),
            Some(raw) => parse(&raw)
                .map(Some)
                .map_err(|message| ApiError::bad_field(INVALID_QUERY, name, message)),
        }
    }

    /// The parameter `name`, also accepted under its other spelling `alias` (parsed with
    /// `parse`). Both given with different values: 422 `validation_failed` naming both, since
    /// each is well-formed but they disagree.
    pub fn parse_aliased<T: PartialEq>(
        &mut self,
        name: &str,
        alias: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ApiError> {
        let value = self.parse_with(name, &parse)?;
        let other = self.parse_with(alias, &parse)?;
        match (value, other) {
            (Some(value), Some(other)) if value != other => {
                let message = format!("`{name}` and `{alias}` name the same filter and differ");
                Err(Error::Validation(vec![
                    FieldError::new(name, message.clone()),
                    FieldError::new(alias, message),
                ])
                .into())
            }
            (value, other) => Ok(value.or(other)),
        }
    }

    /// `limit` (default 50, 1 to 500) and `cursor` (an id of `kind`, the previous page's
    /// `next_cursor`).
    pub fn page(&mut self, kind: IdKind) -> Result<PageRequest, ApiError> {
        let limit = self
            .parse_with("limit", |raw| {
                raw.parse::<usize>()
                    .map_err(|_| format!("must be a whole number between 1 and {MAX_LIMIT}"))
            })?
            .unwrap_or(DEFAULT_LIMIT);
        let cursor = self.parse_with("cursor", |raw| {
            if kind.matches(raw) {
                Ok(raw.to_owned())
            } else {
                Err("must be the next_cursor of a previous page".to_owned())
            }
        })?;
        PageRequest::new(limit, cursor)
            .map_err(|message| ApiError::bad_field(INVALID_QUERY, "limit", message))
    }

    /// Parses the query struct `T` from every parameter, refusing any left over.
    pub fn read<T: FromQuery>(mut self) -> Result<T, ApiError> {
        let parsed = T::from_query(&mut self)?;
        self.finish()?;
        Ok(parsed)
    }

    /// Parses `T` and ignores whatever parameters are left: for public links, which mail
    /// tools extend with tracking parameters (decision 0192). Repeated parameters of `T`
    /// are still refused.
    pub fn read_ignoring_others<T: FromQuery>(mut self) -> Result<T, ApiError> {
        T::from_query(&mut self)
    }

    /// Succeeds when every parameter was consumed; otherwise a 400 naming the first unknown
    /// one.
    pub fn finish(self) -> Result<(), ApiError> {
        match self.pairs.into_iter().next() {
            None => Ok(()),
            Some((name, _)) => Err(ApiError::bad_field(
                INVALID_QUERY,
                &name,
                "unknown query parameter",
            )),
        }
    }
}

/// A query struct: its fields are the parsed parameters, and it derives `utoipa::IntoParams`
/// so the same declaration documents them (`#[param(value_type = …)]` where the parsed type
/// differs from what the client sends). A handler takes `QueryParams` and calls
/// [`QueryParams::read`] once the caller is authenticated and authorised: an extractor would
/// race the `Caller` extractor and could answer a bad query before a bad token.
pub trait FromQuery: Sized {
    /// Takes this struct's parameters out of `params`; whatever is left is refused as unknown.
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError>;
}

/// A filter naming an id: a well-formed id of `T`'s kind (a malformed one could match nothing).
pub fn id_of<T: TypedId>() -> impl Fn(&str) -> Result<T, String> {
    |raw| {
        if T::KIND.matches(raw) {
            Ok(T::from_stored(raw.to_owned()))
        } else {
            Err(format!(
                "must be an id starting with `{}`",
                T::KIND.prefix()
            ))
        }
    }
}

/// A whole number from `min` to `max`.
pub fn int_between(min: i64, max: i64) -> impl Fn(&str) -> Result<i64, String> {
    move |raw| match raw.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected an integer from {min} to {max}")),
    }
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(raw: &str) -> Result<Date, String> {
    Date::parse(raw, format_description!("[year]-[month]-[day]"))
        .map_err(|_| "expected a date YYYY-MM-DD".to_owned())
}

/// `true` or `false`.
pub fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}

/// A decoded `%00` would reach PostgreSQL, which cannot store it in text: refused as a 400.
pub fn refuse_nul_characters(pairs: &[(String, String)]) -> Result<(), ApiError> {
    match pairs
        .iter()
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
    {
        Some((name, _)) => Err(ApiError::bad_field(
            INVALID_QUERY,
            &name.replace('\0', "\\0"),
            "must not contain the NUL character",
        )),
        None => Ok(()),
    }
}

impl FromRequest for QueryParams {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(QueryParams::parse(req.query_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::typed_ids::ClientId;

    fn field(error: ApiError) -> String {
        match error {
            ApiError::BadRequest { errors, .. } => errors[0].field.clone(),
            other => panic!("expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn pages_default_to_fifty_from_the_start() {
        let mut params = QueryParams::parse("").unwrap();
        let page = params.page(IdKind::Offer).unwrap();
        assert_eq!((page.limit(), page.after()), (50, None));
    }

    #[test]
    fn limits_outside_one_to_five_hundred_and_foreign_cursors_are_refused() {
        for query in ["limit=0", "limit=501", "limit=ten", "limit=-1"] {
            let mut params = QueryParams::parse(query).unwrap();
            assert_eq!(field(params.page(IdKind::Offer).unwrap_err()), "limit");
        }
        let mut params = QueryParams::parse("cursor=cli_01JD0000000000000000000000").unwrap();
        assert_eq!(field(params.page(IdKind::Offer).unwrap_err()), "cursor");
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let mut params = QueryParams::parse("q=a&stauts=active").unwrap();
        assert_eq!(params.take("q").unwrap().as_deref(), Some("a"));
        assert_eq!(field(params.finish().unwrap_err()), "stauts");
        let mut twice = QueryParams::parse("q=a&q=b").unwrap();
        assert_eq!(field(twice.take("q").unwrap_err()), "q");
    }

    #[test]
    fn id_and_boolean_filters_name_what_they_expect() {
        let mut params =
            QueryParams::parse("client_id=cli_01JD0000000000000000000000&overdue=yes").unwrap();
        assert_eq!(
            params.parse_with("client_id", id_of::<ClientId>()).unwrap(),
            Some(ClientId::from_stored("cli_01JD0000000000000000000000"))
        );
        assert_eq!(
            field(params.parse_with("overdue", parse_bool).unwrap_err()),
            "overdue"
        );
        let mut other = QueryParams::parse("client_id=ofr_01JD0000000000000000000000").unwrap();
        assert_eq!(
            field(
                other
                    .parse_with("client_id", id_of::<ClientId>())
                    .unwrap_err()
            ),
            "client_id"
        );
    }

    /// A query struct as endpoints declare them.
    #[derive(Debug)]
    struct Listing {
        overdue: Option<bool>,
        page: PageRequest,
    }

    impl FromQuery for Listing {
        fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
            Ok(Listing {
                overdue: params.parse_with("overdue", parse_bool)?,
                page: params.page(IdKind::Invoice)?,
            })
        }
    }

    fn read(query: &str) -> Result<Listing, ApiError> {
        QueryParams::parse(query).unwrap().read()
    }

    #[test]
    fn a_query_struct_takes_its_parameters_and_refuses_the_rest_by_name() {
        let listing = read("overdue=true&limit=5").unwrap();
        assert_eq!(listing.overdue, Some(true));
        assert_eq!(listing.page.limit(), 5);
        assert_eq!(
            field(read("overdue=true&status=paid").unwrap_err()),
            "status"
        );
        assert_eq!(field(read("overdue=maybe").unwrap_err()), "overdue");
        assert_eq!(
            field(read("overdue=true&overdue=false").unwrap_err()),
            "overdue"
        );
        assert_eq!(field(read("limit=0").unwrap_err()), "limit");
    }

    #[test]
    fn blank_values_count_as_absent_and_values_are_decoded() {
        let mut params = QueryParams::parse("status=&q=Ben%20K").unwrap();
        assert_eq!(params.take("status").unwrap(), None);
        assert_eq!(params.take("q").unwrap().as_deref(), Some("Ben K"));
        params.finish().unwrap();
    }
}
