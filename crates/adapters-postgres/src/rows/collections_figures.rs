//! Aggregate rows of the collections reads (overview, dunning candidates).

use diesel::sql_types::{BigInt, Integer, Text};
use diesel::QueryableByName;
use domain::collections::{Aging, CaseStatus, Overview};
use domain::money::{Money, CURRENCY};
use time::OffsetDateTime;

/// One id.
#[derive(QueryableByName)]
pub(crate) struct Id {
    #[diesel(sql_type = Text)]
    pub(crate) id: String,
}

/// One sum.
#[derive(QueryableByName)]
pub(crate) struct Sum {
    #[diesel(sql_type = BigInt)]
    pub(crate) total: i64,
}

/// Cases in one status.
#[derive(QueryableByName)]
pub(crate) struct CaseStatusCount {
    #[diesel(sql_type = Text)]
    pub(crate) status: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) count: i64,
}

/// The open-invoice aggregates.
#[derive(QueryableByName)]
pub(crate) struct Figures {
    #[diesel(sql_type = BigInt)]
    pub(crate) outstanding_total: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) overdue_total: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) d0_30: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) d31_60: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) d61_90: i64,
    #[diesel(sql_type = BigInt)]
    pub(crate) d90_plus: i64,
}

impl Figures {
    /// The overview with these figures.
    pub(crate) fn into_overview(
        self,
        cases_by_status: Vec<(CaseStatus, i64)>,
        collected_this_month: i64,
        last_dunning_run_at: Option<OffsetDateTime>,
    ) -> Overview {
        Overview {
            currency: CURRENCY.into(),
            outstanding_total: Money::from_stored(self.outstanding_total),
            overdue_total: Money::from_stored(self.overdue_total),
            aging: Aging {
                d0_30: Money::from_stored(self.d0_30),
                d31_60: Money::from_stored(self.d31_60),
                d61_90: Money::from_stored(self.d61_90),
                d90_plus: Money::from_stored(self.d90_plus),
            },
            cases_by_status,
            collected_this_month: Money::from_stored(collected_this_month),
            last_dunning_run_at,
        }
    }
}

/// A time zone's UTC offset, in seconds.
#[derive(QueryableByName)]
pub(crate) struct ZoneOffset {
    /// East of UTC is positive.
    #[diesel(sql_type = Integer)]
    pub(crate) seconds: i32,
}

/// An amount of one client.
#[derive(QueryableByName)]
pub(crate) struct ClientAmount {
    #[diesel(sql_type = Text)]
    pub(crate) client_id: String,
    #[diesel(sql_type = BigInt)]
    pub(crate) amount: i64,
}

/// An instant of one client.
#[derive(QueryableByName)]
pub(crate) struct ClientInstant {
    #[diesel(sql_type = Text)]
    pub(crate) client_id: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub(crate) at: OffsetDateTime,
}
