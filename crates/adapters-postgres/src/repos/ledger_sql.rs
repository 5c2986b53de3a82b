//! Statements of the ledger repository, set-based: one statement per kind of change,
//! whatever the number of invoices or sources (a billing batch applies credit for many
//! clients at once).

/// Clients among `$1` holding credit (partial indexes on both sources).
pub(super) const CLIENTS_WITH_CREDIT: &str = "\
SELECT client_id FROM payments WHERE client_id = ANY($1) AND unallocated_amount > 0
UNION
SELECT client_id FROM credit_notes WHERE client_id = ANY($1) AND credit_remaining > 0";

/// Payments of `$1` with credit left, locked oldest first.
pub(super) const LOCK_PAYMENT_SOURCES: &str = "\
SELECT 'payment' AS kind, id, client_id, unallocated_amount AS remaining, created_at
FROM payments WHERE client_id = ANY($1) AND unallocated_amount > 0
ORDER BY created_at, id FOR UPDATE";

/// Credit notes of `$1` with credit left, locked oldest first.
pub(super) const LOCK_CREDIT_NOTE_SOURCES: &str = "\
SELECT 'credit_note' AS kind, id, client_id, credit_remaining AS remaining, created_at
FROM credit_notes WHERE client_id = ANY($1) AND credit_remaining > 0
ORDER BY created_at, id FOR UPDATE";

/// Allocations of payment credit: (payment, invoice, amount) arrays, `$4` the time.
pub(super) const INSERT_PAYMENT_APPLICATIONS: &str = "\
INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at, kind)
SELECT u.payment_id, u.invoice_id, u.amount, $4, 'credit'
FROM unnest($1::text[], $2::text[], $3::int8[]) WITH ORDINALITY AS u (payment_id, invoice_id, amount, n)
ORDER BY u.n";

/// Allocations of credit-note credit: (note, invoice, amount) arrays, `$4` the time.
pub(super) const INSERT_CREDIT_NOTE_APPLICATIONS: &str = "\
INSERT INTO credit_note_allocations (credit_note_id, invoice_id, amount, created_at)
SELECT u.credit_note_id, u.invoice_id, u.amount, $4
FROM unnest($1::text[], $2::text[], $3::int8[]) WITH ORDINALITY AS u (credit_note_id, invoice_id, amount, n)
ORDER BY u.n";

/// Takes (payment, amount) arrays off the payments' credit, `$3` the time.
pub(super) const TAKE_PAYMENT_CREDIT: &str = "\
UPDATE payments AS p
SET unallocated_amount = p.unallocated_amount - u.amount, updated_at = $3
FROM (SELECT id, sum(amount)::int8 AS amount FROM unnest($1::text[], $2::int8[]) AS t (id, amount)
      GROUP BY id) AS u
WHERE p.id = u.id";

/// Takes (credit note, amount) arrays off the notes' credit.
pub(super) const TAKE_CREDIT_NOTE_CREDIT: &str = "\
UPDATE credit_notes AS c
SET credit_remaining = c.credit_remaining - u.amount
FROM (SELECT id, sum(amount)::int8 AS amount FROM unnest($1::text[], $2::int8[]) AS t (id, amount)
      GROUP BY id) AS u
WHERE c.id = u.id";

/// The unused credit of the client bound as `$client` (a parameter such as `"$1"`), as an
/// `int8` expression: shared by [`CREDIT_AVAILABLE`] and the payment posting, which reads it in
/// its own statement (decision 0396).
///
/// The `> 0` filters add nothing to the sums but let the partial indexes `payments_with_credit`
/// and `credit_notes_with_credit` answer, instead of every payment the client ever made
/// (every payment's answer reads this; decision 0340).
macro_rules! credit_available_of {
    ($client:literal) => {
        concat!(
            "(COALESCE((SELECT sum(unallocated_amount) FROM payments
                  WHERE client_id = ",
            $client,
            " AND unallocated_amount > 0), 0)
      + COALESCE((SELECT sum(credit_remaining) FROM credit_notes
                  WHERE client_id = ",
            $client,
            " AND credit_remaining > 0), 0))::int8"
        )
    };
}
pub(super) use credit_available_of;

/// The client's unused credit.
pub(super) const CREDIT_AVAILABLE: &str =
    concat!("SELECT ", credit_available_of!("$1"), " AS amount");

/// The client's balance, every figure from the documents.
pub(super) const BALANCE: &str = "\
SELECT
  COALESCE((SELECT sum(total_incl_tax) FROM invoices WHERE client_id = $1), 0)::int8 AS invoiced,
  COALESCE((SELECT sum(total_incl_tax) FROM credit_notes WHERE client_id = $1), 0)::int8 AS credited,
  (COALESCE((SELECT sum(amount) FROM payments WHERE client_id = $1), 0)
   - COALESCE((SELECT sum(amount) FROM payment_reversals WHERE client_id = $1), 0))::int8 AS paid,
  COALESCE((SELECT sum(amount) FROM refunds WHERE client_id = $1), 0)::int8 AS refunded,
  COALESCE((SELECT sum(total_incl_tax - amount_paid - credited_amount) FROM invoices
            WHERE client_id = $1), 0)::int8 AS outstanding,
  (COALESCE((SELECT sum(unallocated_amount) FROM payments WHERE client_id = $1), 0)
   + COALESCE((SELECT sum(credit_remaining) FROM credit_notes WHERE client_id = $1), 0))::int8
  AS credit_available";

/// Every movement of the client; a credit application names its source as the document and
/// the invoice paid as the related id. Days of recorded movements are UTC days.
pub(super) const MOVEMENTS: &str = "\
SELECT issue_date AS day, created_at AS recorded_at, 'invoice' AS kind, id AS document_id,
       invoice_number AS reference, NULL::text AS related_id, total_incl_tax AS amount
FROM invoices WHERE client_id = $1
UNION ALL
SELECT issue_date, created_at, 'credit_note', id, credit_note_number, invoice_id, total_incl_tax
FROM credit_notes WHERE client_id = $1
UNION ALL
SELECT received_at, created_at, 'payment', id, reference, NULL, amount
FROM payments WHERE client_id = $1
UNION ALL
SELECT (a.created_at AT TIME ZONE 'UTC')::date, a.created_at, 'credit_application', a.payment_id,
       NULL, a.invoice_id, a.amount
FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
WHERE p.client_id = $1 AND a.kind = 'credit'
UNION ALL
SELECT (a.created_at AT TIME ZONE 'UTC')::date, a.created_at, 'credit_application',
       a.credit_note_id, NULL, a.invoice_id, a.amount
FROM credit_note_allocations a JOIN credit_notes c ON c.id = a.credit_note_id
WHERE c.client_id = $1
UNION ALL
SELECT (created_at AT TIME ZONE 'UTC')::date, created_at, 'refund', id, reference, NULL, amount
FROM refunds WHERE client_id = $1
UNION ALL
SELECT (created_at AT TIME ZONE 'UTC')::date, created_at, 'payment_reversal', id, NULL,
       payment_id, amount
FROM payment_reversals WHERE client_id = $1";
