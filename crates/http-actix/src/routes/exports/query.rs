//! Query strings of the exports and reports. A missing or invalid `from`, `to`, `period`,
//! `regime` or `format` is a 422 naming each such field (they are the export's subject, not a
//! list filter); unknown or repeated parameters stay a 400 `invalid_query`.

use domain::billing::Period;
use domain::error::{Error, FieldError};
use domain::exports::{DateRange, TvaRegime};
use time::Date;
use utoipa::IntoParams;

use crate::problem::ApiError;
use crate::query::{parse_date, FromQuery, QueryParams};

/// `csv` (default) or `json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// `;`-separated, decimal comma, UTF-8 with BOM.
    Csv,
    /// JSON, amounts in centimes.
    Json,
}

impl ExportFormat {
    fn parse(raw: &str) -> Result<ExportFormat, String> {
        match raw {
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            _ => Err("must be csv or json".into()),
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// Field problems gathered over every parameter, so one answer names them all.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    /// The parameter `name` parsed with `parse`; absent and `required`, or unparsable, it is
    /// recorded as a problem.
    fn read<T>(
        &mut self,
        params: &mut QueryParams,
        name: &str,
        required: bool,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ApiError> {
        match params.take(name)? {
            None if required => {
                self.0.push(FieldError::new(name, "is required"));
                Ok(None)
            }
            None => Ok(None),
            Some(raw) => match parse(&raw) {
                Ok(value) => Ok(Some(value)),
                Err(message) => {
                    self.0.push(FieldError::new(name, message));
                    Ok(None)
                }
            },
        }
    }

    fn format(&mut self, params: &mut QueryParams) -> Result<ExportFormat, ApiError> {
        Ok(self
            .read(params, "format", false, ExportFormat::parse)?
            .unwrap_or(ExportFormat::Csv))
    }

    /// `value` when no parameter had a problem (a required one is `None` only after its
    /// problem was recorded); otherwise the 422 naming every problem.
    fn finish<T>(self, value: Option<T>) -> Result<T, ApiError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => Err(Error::Validation(self.0).into()),
        }
    }
}

/// Query of a journal: `from`, `to` (at most 366 days, both included) and `format`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// First day, `YYYY-MM-DD` (required)
    #[param(value_type = String, format = Date)]
    pub from: Date,
    /// Last day, included, `YYYY-MM-DD`; at most 366 days after `from` counted inclusively
    /// (required)
    #[param(value_type = String, format = Date)]
    pub to: Date,
    /// `csv` (default: `;`, decimal comma, UTF-8 with BOM) or `json` (centimes)
    #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
    pub format: ExportFormat,
    /// `from` and `to` as one valid range.
    #[param(ignore)]
    pub range: DateRange,
}

impl FromQuery for JournalQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let from = problems.read(params, "from", true, parse_date)?;
        let to = problems.read(params, "to", true, parse_date)?;
        let format = problems.format(params)?;
        let (from, to) = problems.finish(from.zip(to))?;
        let range = DateRange::new(from, to).map_err(Error::Validation)?;
        Ok(JournalQuery {
            from,
            to,
            format,
            range,
        })
    }
}

/// Query of `GET /reports/tva`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TvaQuery {
    /// Month, `YYYY-MM` (required)
    #[param(value_type = String, pattern = "^\\s*2[0-9]{3}-(0[1-9]|1[0-2])\\s*$")]
    pub period: Period,
    /// `debits` or `encaissements`; default the `MTF_TVA_REGIME` setting (`encaissements`)
    #[param(value_type = Option<String>, pattern = "^(debits|encaissements)$")]
    pub regime: Option<TvaRegime>,
    /// `csv` (default) or `json`
    #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
    pub format: ExportFormat,
}

impl FromQuery for TvaQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let period = problems.read(params, "period", true, Period::parse)?;
        let regime = problems.read(params, "regime", false, TvaRegime::parse)?;
        let format = problems.format(params)?;
        let period = problems.finish(period)?;
        Ok(TvaQuery {
            period,
            regime,
            format,
        })
    }
}

/// Query of `GET /reports/revenue`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevenueQuery {
    /// Month, `YYYY-MM` (required)
    #[param(value_type = String, pattern = "^\\s*2[0-9]{3}-(0[1-9]|1[0-2])\\s*$")]
    pub period: Period,
    /// `csv` (default) or `json`
    #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
    pub format: ExportFormat,
}

impl FromQuery for RevenueQuery {
    fn from_query(params: &mut QueryParams) -> Result<Self, ApiError> {
        let mut problems = Problems::default();
        let period = problems.read(params, "period", true, Period::parse)?;
        let format = problems.format(params)?;
        let period = problems.finish(period)?;
        Ok(RevenueQuery { period, format })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(query: &str) -> Vec<String> {
        let error = QueryParams::parse(query)
            .unwrap()
            .read::<JournalQuery>()
            .unwrap_err();
        match error {
            ApiError::Domain(Error::Validation(errors)) => {
                errors.into_iter().map(|e| e.field).collect()
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_missing_or_invalid_parameter_is_named_at_once() {
        assert_eq!(fields(""), ["from", "to"]);
        assert_eq!(
            fields("from=2026-13-01&to=2026-03-31&format=xlsx"),
            ["from", "format"]
        );
        assert_eq!(fields("from=2026-01-01&to=2027-01-02"), ["to"]);
    }

    #[test]
    fn a_journal_defaults_to_csv() {
        let query = QueryParams::parse("from=2026-03-01&to=2026-03-31")
            .unwrap()
            .read::<JournalQuery>()
            .unwrap();
        assert_eq!(query.format, ExportFormat::Csv);
        assert_eq!(query.range.to(), query.to);
    }
}
