//! Calendar dates on the wire as `YYYY-MM-DD` (serde's default for `time::Date` is a tuple).

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");
