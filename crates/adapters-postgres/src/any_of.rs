//! `column = ANY($1)` with the values bound as one array, in a statement diesel finds in its
//! prepared-statement cache by type (decision 0398).
//!
//! `eq_any` with a list writes the same SQL, but its node has no static query id: diesel then
//! writes the statement's whole text again on every call, only to look it up in the cache by
//! that text. On the invoice list that was about a tenth of the server's CPU per request,
//! walking some thirty columns three times over. This node's id is its type, so a query built
//! from it and from columns is found without writing anything.

use diesel::expression::{
    AppearsOnTable, AsExpression, Expression, SelectableExpression, ValidGrouping,
};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Bool, SqlType};
use diesel::QueryResult;

/// `column = ANY(values)`; see [`any_of`].
#[derive(Debug, Clone, Copy, QueryId, ValidGrouping)]
pub struct AnyOf<C, V> {
    column: C,
    values: V,
}

/// `column = ANY($1)`, `values` bound as one array of the column's type.
pub fn any_of<C, T>(column: C, values: T) -> AnyOf<C, T::Expression>
where
    C: Expression,
    C::SqlType: SqlType,
    T: AsExpression<Array<C::SqlType>>,
{
    AnyOf {
        column,
        values: values.as_expression(),
    }
}

impl<C: Expression, V: Expression> Expression for AnyOf<C, V> {
    type SqlType = Bool;
}

impl<C: QueryFragment<Pg>, V: QueryFragment<Pg>> QueryFragment<Pg> for AnyOf<C, V> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        self.values.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C, V, QS> AppearsOnTable<QS> for AnyOf<C, V>
where
    Self: Expression,
    C: AppearsOnTable<QS>,
    V: AppearsOnTable<QS>,
{
}

impl<C, V, QS> SelectableExpression<QS> for AnyOf<C, V>
where
    Self: AppearsOnTable<QS>,
    C: SelectableExpression<QS>,
    V: SelectableExpression<QS>,
{
}
