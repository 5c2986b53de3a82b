//! `ExportRepository` on PostgreSQL: journal pages (documents, then their rates or
//! allocations in one more statement) and the month's figures of the reports.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, Date as SqlDate, Int8, Text};
use domain::billing::Period;
use domain::error::Result;
use domain::exports::{
    DateRange, ExportRepository, InvoiceCollection, RateAmounts, ReceiptAllocation, ReceiptCursor,
    ReceiptEntry, RevenueLine, SalesCursor, SalesEntry, TaxByRate,
};
use domain::money::Money;
use domain::typed_ids::InvoiceId;

use super::exports_sql::{
    receipts_page, sales_page, COLLECTIONS, DOCUMENT_RATES, RECEIPT_ALLOCATIONS, REVENUE,
    SALES_RATES, TAX_ISSUED,
};
use crate::errors::storage;
use crate::rows::export::{
    CollectionRow, DocumentRateRow, RateRow, ReceiptAllocationRow, ReceiptRow, RevenueRow,
    SalesRow, TaxByRateRow,
};
use crate::tx::PgTx;

impl ExportRepository for PgTx<'_> {
    fn sales_rates(&mut self, range: &DateRange) -> Result<Vec<i32>> {
        let rows: Vec<RateRow> = diesel::sql_query(SALES_RATES)
            .bind::<SqlDate, _>(range.from())
            .bind::<SqlDate, _>(range.to())
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows.into_iter().map(|r| r.rate_bp).collect())
    }

    fn sales_page(
        &mut self,
        range: &DateRange,
        after: &SalesCursor,
        limit: i64,
    ) -> Result<Vec<SalesEntry>> {
        let rows: Vec<SalesRow> = diesel::sql_query(sales_page())
            .bind::<SqlDate, _>(range.from())
            .bind::<SqlDate, _>(range.to())
            .bind::<SqlDate, _>(after.date)
            .bind::<Text, _>(&after.number)
            .bind::<Int8, _>(limit)
            .load(self.conn)
            .map_err(storage)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let rates: Vec<DocumentRateRow> = diesel::sql_query(DOCUMENT_RATES)
            .bind::<Array<Text>, _>(ids_of(&rows, "invoice", |r| {
                (r.kind.as_str(), r.id.as_str())
            }))
            .bind::<Array<Text>, _>(ids_of(&rows, "credit_note", |r| {
                (r.kind.as_str(), r.id.as_str())
            }))
            .load(self.conn)
            .map_err(storage)?;
        let mut by_document: HashMap<String, Vec<RateAmounts>> = grouped(
            rates,
            |rate| rate.document_id.clone(),
            |rate| Ok(rate.amounts()),
        )?;
        rows.into_iter()
            .map(|row| {
                let by_rate = by_document.remove(&row.id).unwrap_or_default();
                row.into_domain(by_rate)
            })
            .collect()
    }

    fn receipts_page(
        &mut self,
        range: &DateRange,
        after: &ReceiptCursor,
        limit: i64,
    ) -> Result<Vec<ReceiptEntry>> {
        let rows: Vec<ReceiptRow> = diesel::sql_query(receipts_page())
            .bind::<SqlDate, _>(range.from())
            .bind::<SqlDate, _>(range.to())
            .bind::<SqlDate, _>(after.date)
            .bind::<Text, _>(&after.id)
            .bind::<Int8, _>(limit)
            .load(self.conn)
            .map_err(storage)?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let allocations: Vec<ReceiptAllocationRow> = diesel::sql_query(RECEIPT_ALLOCATIONS)
            .bind::<Array<Text>, _>(ids_of(&rows, "payment", |r| {
                (r.kind.as_str(), r.id.as_str())
            }))
            .bind::<Array<Text>, _>(ids_of(&rows, "refund", |r| {
                (r.kind.as_str(), r.id.as_str())
            }))
            .bind::<Array<Text>, _>(ids_of(&rows, "reversal", |r| {
                (r.kind.as_str(), r.id.as_str())
            }))
            .load(self.conn)
            .map_err(storage)?;
        let mut by_owner: HashMap<String, Vec<ReceiptAllocation>> = grouped(
            allocations,
            |allocation| allocation.owner_id.clone(),
            ReceiptAllocationRow::into_domain,
        )?;
        rows.into_iter()
            .map(|row| {
                let allocations = by_owner.remove(&row.id).unwrap_or_default();
                row.into_domain(allocations)
            })
            .collect()
    }

    fn tax_issued(&mut self, month: Period) -> Result<Vec<TaxByRate>> {
        let rows: Vec<TaxByRateRow> = diesel::sql_query(TAX_ISSUED)
            .bind::<SqlDate, _>(month.first_day())
            .bind::<SqlDate, _>(month.last_day())
            .load(self.conn)
            .map_err(storage)?;
        Ok(rows.into_iter().map(TaxByRateRow::into_domain).collect())
    }

    fn collections(&mut self, month: Period) -> Result<Vec<InvoiceCollection>> {
        let rows: Vec<CollectionRow> = diesel::sql_query(COLLECTIONS)
            .bind::<SqlDate, _>(month.first_day())
            .bind::<SqlDate, _>(month.last_day())
            .load(self.conn)
            .map_err(storage)?;
        // Rows come by invoice, so each invoice's rates are consecutive.
        let mut collections: Vec<InvoiceCollection> = Vec::new();
        for row in rows {
            let rate = RateAmounts {
                rate_bp: row.rate_bp,
                excl_tax: Money::from_stored(row.excl_tax),
                tax: Money::from_stored(row.tax),
            };
            match collections.last_mut() {
                Some(last) if last.invoice_id.as_str() == row.invoice_id => last.by_rate.push(rate),
                _ => collections.push(InvoiceCollection {
                    invoice_id: InvoiceId::from_stored(row.invoice_id),
                    total_incl_tax: Money::from_stored(row.total_incl_tax),
                    by_rate: vec![rate],
                    // A reversal never gives back more than its payment's allocations.
                    collected_before: Money::from_stored(row.collected_before.max(0)),
                    collected_through: Money::from_stored(row.collected_through.max(0)),
                }),
            }
        }
        Ok(collections)
    }

    fn revenue_lines(&mut self, month: Period) -> Result<Vec<RevenueLine>> {
        let rows: Vec<RevenueRow> = diesel::sql_query(REVENUE)
            .bind::<SqlDate, _>(month.first_day())
            .bind::<SqlDate, _>(month.last_day())
            .load(self.conn)
            .map_err(storage)?;
        rows.into_iter().map(RevenueRow::into_domain).collect()
    }
}

/// The ids of a page's rows of one kind, bound to the one statement that reads the child rows
/// of the whole page.
fn ids_of<'a, R>(
    rows: &'a [R],
    kind: &str,
    key: impl Fn(&'a R) -> (&'a str, &'a str),
) -> Vec<&'a str> {
    rows.iter()
        .map(key)
        .filter(|(row_kind, _)| *row_kind == kind)
        .map(|(_, id)| id)
        .collect()
}

/// Child rows grouped by the page row they belong to, each group in its read order.
fn grouped<C, T>(
    children: Vec<C>,
    owner: impl Fn(&C) -> String,
    into: impl Fn(C) -> Result<T>,
) -> Result<HashMap<String, Vec<T>>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for child in children {
        let key = owner(&child);
        groups.entry(key).or_default().push(into(child)?);
    }
    Ok(groups)
}
