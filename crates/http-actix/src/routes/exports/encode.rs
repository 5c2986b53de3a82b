//! The journals' encoders: CSV (decision 0231) and streamed JSON, with the JSON totals
//! summed as the rows go by.

use std::collections::BTreeMap;

use domain::exports::{DateRange, ReceiptDocument, ReceiptEntry, SalesEntry};
use domain::money::CURRENCY;
use serde::Serialize;

use super::dto::{
    RateFigures, ReceiptsJournalRow, ReceiptsJournalTotals, SalesJournalRow, SalesJournalTotals,
};
use crate::csv::{rate_label, Record, BOM};
use crate::export_stream::Encoder;

fn json<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs and strings cannot fail; an empty value would show.
    serde_json::to_string(value).unwrap_or_default()
}

fn json_head(range: &DateRange, extra: &str) -> String {
    format!(
        "{{\"from\":{},\"to\":{},\"currency\":{}{extra},\"items\":[",
        json(&range.from().to_string()),
        json(&range.to().to_string()),
        json(&CURRENCY),
    )
}

/// The sales journal as CSV: one column of TVA per rate of the range.
pub struct SalesCsv {
    /// The range's rates, highest first.
    pub rates: Vec<i32>,
}

impl Encoder<SalesEntry> for SalesCsv {
    fn head(&mut self, out: &mut String) {
        out.push_str(BOM);
        let mut record = Record::new(out);
        for name in [
            "date",
            "kind",
            "number",
            "document_id",
            "invoice_number",
            "client_id",
            "client_name",
            "client_tax_id",
            "total_excl_tax",
        ] {
            record.raw(name);
        }
        for rate in &self.rates {
            record.raw(&format!("tax_{}", rate_label(*rate)));
        }
        record
            .raw("total_tax")
            .raw("total_incl_tax")
            .raw("currency")
            .end();
    }

    fn row(&mut self, entry: &SalesEntry, out: &mut String) {
        let row = SalesJournalRow::new(entry);
        let mut record = Record::new(out);
        record
            .raw(&row.date)
            .raw(&row.kind)
            .text(&row.number)
            .raw(&row.document_id)
            .opt(row.invoice_number.as_deref())
            .raw(&row.client_id)
            .text(&row.client_name)
            .text(&row.client_tax_id)
            .amount(row.total_excl_tax);
        for rate in &self.rates {
            let tax = row
                .taxes
                .iter()
                .filter(|t| t.rate_bp == *rate)
                .map(|t| t.tax)
                .sum();
            record.amount(tax);
        }
        record
            .amount(row.total_tax)
            .amount(row.total_incl_tax)
            .text(&row.currency)
            .end();
    }

    fn tail(&mut self, _out: &mut String) {}
}

/// The sales journal as JSON, its totals summed on the way.
pub struct SalesJson {
    /// The range.
    pub range: DateRange,
    /// The range's rates, highest first.
    pub rates: Vec<i32>,
    totals: SalesJournalTotals,
    by_rate: BTreeMap<i32, (i64, i64)>,
}

impl SalesJson {
    /// An encoder for `range`, whose rates are `rates`.
    pub fn new(range: DateRange, rates: Vec<i32>) -> Self {
        Self {
            range,
            rates,
            totals: SalesJournalTotals::default(),
            by_rate: BTreeMap::new(),
        }
    }
}

impl Encoder<SalesEntry> for SalesJson {
    fn head(&mut self, out: &mut String) {
        out.push_str(&json_head(
            &self.range,
            &format!(",\"tax_rates_bp\":{}", json(&self.rates)),
        ));
    }

    fn row(&mut self, entry: &SalesEntry, out: &mut String) {
        let row = SalesJournalRow::new(entry);
        if self.totals.count > 0 {
            out.push(',');
        }
        let t = &mut self.totals;
        t.count += 1;
        t.total_excl_tax = t.total_excl_tax.saturating_add(row.total_excl_tax);
        t.total_tax = t.total_tax.saturating_add(row.total_tax);
        t.total_incl_tax = t.total_incl_tax.saturating_add(row.total_incl_tax);
        for tax in &row.taxes {
            let sums = self.by_rate.entry(tax.rate_bp).or_default();
            sums.0 = sums.0.saturating_add(tax.excl_tax);
            sums.1 = sums.1.saturating_add(tax.tax);
        }
        out.push_str(&json(&row));
    }

    fn tail(&mut self, out: &mut String) {
        self.totals.taxes = self
            .by_rate
            .iter()
            .rev()
            .map(|(rate_bp, (excl_tax, tax))| RateFigures {
                rate_bp: *rate_bp,
                excl_tax: *excl_tax,
                tax: *tax,
            })
            .collect();
        out.push_str("],\"totals\":");
        out.push_str(&json(&self.totals));
        out.push('}');
    }
}

/// The receipts journal as CSV: a row per movement (with its amount), then a row per
/// allocation (the movement's columns repeated, its amount empty).
pub struct ReceiptsCsv;

impl Encoder<ReceiptEntry> for ReceiptsCsv {
    fn head(&mut self, out: &mut String) {
        out.push_str(BOM);
        let mut record = Record::new(out);
        for name in [
            "date",
            "kind",
            "id",
            "payment_id",
            "client_id",
            "client_name",
            "client_tax_id",
            "method",
            "reference",
            "amount",
            "allocation_kind",
            "allocation_id",
            "allocation_number",
            "allocation_amount",
            "allocation_date",
            "currency",
        ] {
            record.raw(name);
        }
        record.end();
    }

    fn row(&mut self, entry: &ReceiptEntry, out: &mut String) {
        let row = ReceiptsJournalRow::new(entry);
        let mut record = Record::new(out);
        movement_fields(&mut record, &row);
        record
            .amount(row.amount)
            .raw("")
            .raw("")
            .raw("")
            .raw("")
            .raw("")
            .text(&row.currency)
            .end();
        for allocation in &row.allocations {
            let mut record = Record::new(out);
            movement_fields(&mut record, &row);
            record
                .raw("")
                .raw(&allocation.kind)
                .raw(&allocation.id)
                .opt(allocation.number.as_deref())
                .amount(allocation.amount)
                .raw(&allocation.date)
                .text(&row.currency)
                .end();
        }
    }

    fn tail(&mut self, _out: &mut String) {}
}

/// The columns that say which movement a receipts-journal row belongs to.
fn movement_fields(record: &mut Record<'_>, row: &ReceiptsJournalRow) {
    record
        .raw(&row.date)
        .raw(&row.kind)
        .raw(&row.id)
        .opt(row.payment_id.as_deref())
        .raw(&row.client_id)
        .text(&row.client_name)
        .text(&row.client_tax_id)
        .opt(row.method.as_deref())
        .opt(row.reference.as_deref());
}

/// The receipts journal as JSON, its totals summed on the way.
pub struct ReceiptsJson {
    /// The range.
    pub range: DateRange,
    totals: ReceiptsJournalTotals,
}

impl ReceiptsJson {
    /// An encoder for `range`.
    pub fn new(range: DateRange) -> Self {
        Self {
            range,
            totals: ReceiptsJournalTotals::default(),
        }
    }
}

impl Encoder<ReceiptEntry> for ReceiptsJson {
    fn head(&mut self, out: &mut String) {
        out.push_str(&json_head(&self.range, ""));
    }

    fn row(&mut self, entry: &ReceiptEntry, out: &mut String) {
        if self.totals.count > 0 {
            out.push(',');
        }
        let t = &mut self.totals;
        t.count += 1;
        let amount = entry.document.signed(entry.amount);
        match entry.document {
            ReceiptDocument::Payment(_) => t.received = t.received.saturating_add(amount),
            ReceiptDocument::Refund(_) => t.refunded = t.refunded.saturating_add(amount),
            ReceiptDocument::Reversal { .. } => t.reversed = t.reversed.saturating_add(amount),
        }
        t.net = t.net.saturating_add(amount);
        out.push_str(&json(&ReceiptsJournalRow::new(entry)));
    }

    fn tail(&mut self, out: &mut String) {
        out.push_str("],\"totals\":");
        out.push_str(&json(&self.totals));
        out.push('}');
    }
}
