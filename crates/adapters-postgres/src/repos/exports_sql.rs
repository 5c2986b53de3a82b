//! SQL of the accounting exports. Each journal branch seeks its own (date, key) index and
//! stops at the page size before the union sorts the page.

use super::buyer::{issued_name, issued_tax_id, join_buyer, BUYER_NAME, BUYER_TAX_ID};

/// `$1` from, `$2` to, `$3`/`$4` the cursor's (date, number), `$5` the page size.
pub(crate) fn sales_page() -> String {
    format!(
        "SELECT kind, id, number, date, invoice_number, client_id, client_name, client_tax_id, \
                total_excl_tax, total_tax, total_incl_tax, currency FROM (\
           (SELECT 'invoice' AS kind, i.id, i.invoice_number AS number, i.issue_date AS date, \
                   NULL::text AS invoice_number, i.client_id, {invoice_name} AS client_name, \
                   {invoice_tax_id} AS client_tax_id, i.total_excl_tax, i.total_tax, \
                   i.total_incl_tax, i.currency \
              FROM invoices i \
             WHERE i.issue_date >= $1 AND i.issue_date <= $2 \
               AND (i.issue_date, i.invoice_number) > ($3, $4) \
             ORDER BY i.issue_date, i.invoice_number LIMIT $5) \
           UNION ALL \
           (SELECT 'credit_note', n.id, n.credit_note_number, n.issue_date, c.invoice_number, \
                   n.client_id, {note_name}, {note_tax_id}, n.total_excl_tax, n.total_tax, \
                   n.total_incl_tax, n.currency \
              FROM credit_notes n JOIN invoices c ON c.id = n.invoice_id \
             WHERE n.issue_date >= $1 AND n.issue_date <= $2 \
               AND (n.issue_date, n.credit_note_number) > ($3, $4) \
             ORDER BY n.issue_date, n.credit_note_number LIMIT $5)\
         ) d ORDER BY date, number LIMIT $5",
        // The buyer as issued; a credit note names its invoice's (decision 0200).
        invoice_name = issued_name("i"),
        invoice_tax_id = issued_tax_id("i"),
        note_name = issued_name("c"),
        note_tax_id = issued_tax_id("c"),
    )
}

/// Base and TVA per rate of the invoices `$1` and the credit notes `$2`.
pub(crate) const DOCUMENT_RATES: &str = "\
SELECT invoice_id AS document_id, tax_rate_bp AS rate_bp, \
       sum(amount_excl_tax)::int8 AS excl_tax, sum(tax_amount)::int8 AS tax \
  FROM invoice_lines WHERE invoice_id = ANY($1) GROUP BY invoice_id, tax_rate_bp \
UNION ALL \
SELECT credit_note_id, tax_rate_bp, sum(amount_excl_tax)::int8, sum(tax_amount)::int8 \
  FROM credit_note_lines WHERE credit_note_id = ANY($2) GROUP BY credit_note_id, tax_rate_bp \
ORDER BY 1, 2 DESC";

/// TVA rates of the documents issued from `$1` to `$2`, highest first.
pub(crate) const SALES_RATES: &str = "\
SELECT rate_bp FROM (\
  SELECT l.tax_rate_bp AS rate_bp FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id \
   WHERE i.issue_date BETWEEN $1 AND $2 \
  UNION \
  SELECT l.tax_rate_bp FROM credit_notes n JOIN credit_note_lines l ON l.credit_note_id = n.id \
   WHERE n.issue_date BETWEEN $1 AND $2\
) r ORDER BY rate_bp DESC";

/// A refund's or reversal's day: its UTC day of recording (decision 0182).
const UTC_DAY: &str = "(created_at AT TIME ZONE 'UTC')::date";

/// `$1` from, `$2` to, `$3`/`$4` the cursor's (date, id), `$5` the page size.
pub(crate) fn receipts_page() -> String {
    format!(
        "SELECT kind, id, date, payment_id, client_id, client_name, client_tax_id, method, \
                reference, amount, currency FROM (\
           (SELECT 'payment' AS kind, p.id, p.received_at AS date, NULL::text AS payment_id, \
                   p.client_id, {BUYER_NAME} AS client_name, {BUYER_TAX_ID} AS client_tax_id, \
                   p.method AS method, p.reference AS reference, p.amount, p.currency \
              FROM payments p {join_payment} \
             WHERE p.received_at >= $1 AND p.received_at <= $2 \
               AND (p.received_at, p.id) > ($3, $4) \
             ORDER BY p.received_at, p.id LIMIT $5) \
           UNION ALL \
           (SELECT 'refund', r.id, r.day, NULL, r.client_id, {BUYER_NAME}, {BUYER_TAX_ID}, \
                   r.method, r.reference, r.amount, r.currency \
              FROM (SELECT *, {UTC_DAY} AS day FROM refunds \
                     WHERE created_at >= $3::timestamp AT TIME ZONE 'UTC' \
                       AND created_at < ($2 + 1)::timestamp AT TIME ZONE 'UTC') r \
              {join_refund} \
             WHERE (r.day, r.id) > ($3, $4) ORDER BY r.day, r.id LIMIT $5) \
           UNION ALL \
           (SELECT 'reversal', v.id, v.day, v.payment_id, v.client_id, {BUYER_NAME}, \
                   {BUYER_TAX_ID}, NULL, v.reason, v.amount, p.currency \
              FROM (SELECT *, {UTC_DAY} AS day FROM payment_reversals \
                     WHERE created_at >= $3::timestamp AT TIME ZONE 'UTC' \
                       AND created_at < ($2 + 1)::timestamp AT TIME ZONE 'UTC') v \
              JOIN payments p ON p.id = v.payment_id {join_reversal} \
             WHERE (v.day, v.id) > ($3, $4) ORDER BY v.day, v.id LIMIT $5)\
         ) d ORDER BY date, id LIMIT $5",
        join_payment = join_buyer("p"),
        join_refund = join_buyer("r"),
        join_reversal = join_buyer("v"),
    )
}

/// Allocations of the payments `$1`, the refunds `$2` (the credit they paid back) and the
/// reversals `$3` (what each invoice got back), oldest first.
pub(crate) const RECEIPT_ALLOCATIONS: &str = "\
SELECT owner_id, kind, target_id, number, amount, date FROM (\
  SELECT pa.payment_id AS owner_id, 'invoice' AS kind, pa.invoice_id AS target_id, \
         i.invoice_number AS number, pa.amount, \
         CASE WHEN pa.kind = 'posting' THEN p.received_at \
              ELSE (pa.created_at AT TIME ZONE 'UTC')::date END AS date, pa.id AS seq \
    FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id \
    JOIN invoices i ON i.id = pa.invoice_id \
   WHERE pa.payment_id = ANY($1) \
  UNION ALL \
  SELECT rs.refund_id, CASE WHEN rs.payment_id IS NULL THEN 'credit_note' ELSE 'payment' END, \
         COALESCE(rs.payment_id, rs.credit_note_id), n.credit_note_number, rs.amount, \
         (r.created_at AT TIME ZONE 'UTC')::date, rs.id \
    FROM refund_sources rs JOIN refunds r ON r.id = rs.refund_id \
    LEFT JOIN credit_notes n ON n.id = rs.credit_note_id \
   WHERE rs.refund_id = ANY($2) \
  UNION ALL \
  SELECT v.id, 'invoice', pa.invoice_id, i.invoice_number, sum(pa.amount)::int8, \
         (v.created_at AT TIME ZONE 'UTC')::date, min(pa.id) \
    FROM payment_reversals v JOIN payment_allocations pa ON pa.payment_id = v.payment_id \
    JOIN invoices i ON i.id = pa.invoice_id \
   WHERE v.id = ANY($3) \
   GROUP BY v.id, v.created_at, pa.invoice_id, i.invoice_number\
) a ORDER BY owner_id, seq";

/// Base and TVA per rate of the documents issued from `$1` to `$2`: invoice lines minus
/// credit-note lines.
pub(crate) const TAX_ISSUED: &str = "\
SELECT rate_bp, sum(excl_tax)::int8 AS excl_tax, sum(tax)::int8 AS tax FROM (\
  SELECT l.tax_rate_bp AS rate_bp, l.amount_excl_tax AS excl_tax, l.tax_amount AS tax \
    FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id \
   WHERE i.issue_date BETWEEN $1 AND $2 \
  UNION ALL \
  SELECT l.tax_rate_bp, -l.amount_excl_tax, -l.tax_amount \
    FROM credit_notes n JOIN credit_note_lines l ON l.credit_note_id = n.id \
   WHERE n.issue_date BETWEEN $1 AND $2\
) x GROUP BY rate_bp ORDER BY rate_bp DESC";

/// Invoices whose collected money changed from `$1` to `$2`, per rate, with the money
/// collected before `$1` and through `$2`. A posting allocation is dated by its payment's
/// day of receipt; a later application of a payment's credit and a reversal by their UTC
/// day of recording.
pub(crate) const COLLECTIONS: &str = "\
WITH events AS (\
  SELECT pa.invoice_id, \
         CASE WHEN pa.kind = 'posting' THEN p.received_at \
              ELSE (pa.created_at AT TIME ZONE 'UTC')::date END AS day, pa.amount \
    FROM payment_allocations pa JOIN payments p ON p.id = pa.payment_id \
  UNION ALL \
  SELECT pa.invoice_id, (v.created_at AT TIME ZONE 'UTC')::date, -pa.amount \
    FROM payment_reversals v JOIN payment_allocations pa ON pa.payment_id = v.payment_id\
), touched AS (\
  SELECT invoice_id, \
         COALESCE(sum(amount) FILTER (WHERE day < $1), 0)::int8 AS collected_before, \
         COALESCE(sum(amount) FILTER (WHERE day <= $2), 0)::int8 AS collected_through \
    FROM events GROUP BY invoice_id HAVING bool_or(day BETWEEN $1 AND $2)\
) \
SELECT t.invoice_id, i.total_incl_tax, l.tax_rate_bp AS rate_bp, \
       sum(l.amount_excl_tax)::int8 AS excl_tax, sum(l.tax_amount)::int8 AS tax, \
       t.collected_before, t.collected_through \
  FROM touched t JOIN invoices i ON i.id = t.invoice_id \
  JOIN invoice_lines l ON l.invoice_id = t.invoice_id \
 GROUP BY t.invoice_id, i.total_incl_tax, l.tax_rate_bp, t.collected_before, \
          t.collected_through \
 ORDER BY t.invoice_id, l.tax_rate_bp DESC";

/// Excl. tax per offer of the invoice lines issued from `$1` to `$2`, and minus that of the
/// credit-note lines issued then (each credited line is the invoice line at its position).
/// The service type is the offer's: an invoice billed per account mixes services.
pub(crate) const REVENUE: &str = "\
SELECT l.offer_id, o.name AS offer_name, o.service_type, sum(l.amount_excl_tax)::int8 AS excl_tax \
  FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id JOIN offers o ON o.id = l.offer_id \
 WHERE i.issue_date BETWEEN $1 AND $2 \
 GROUP BY l.offer_id, o.name, o.service_type \
UNION ALL \
SELECT l.offer_id, o.name, o.service_type, -sum(cl.amount_excl_tax)::int8 \
  FROM credit_notes n JOIN credit_note_lines cl ON cl.credit_note_id = n.id \
  JOIN invoice_lines l ON l.invoice_id = n.invoice_id AND l.position = cl.position \
  JOIN offers o ON o.id = l.offer_id \
 WHERE n.issue_date BETWEEN $1 AND $2 \
 GROUP BY l.offer_id, o.name, o.service_type";
