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

/// New settlement of invoices: (id, amount_paid, status) arrays, `$4` the time.
pub(super) const SAVE_SETTLEMENTS: &str = "\
UPDATE invoices AS i
SET amount_paid = u.amount_paid, status = u.status, updated_at = $4
FROM unnest($1::text[], $2::int8[], $3::text[]) AS u (id, amount_paid, status)
WHERE i.id = u.id";

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

/// The client's unused credit.
pub(super) const CREDIT_AVAILABLE: &str = "\
SELECT (COALESCE((SELECT sum(unallocated_amount) FROM payments WHERE client_id = $1), 0)
      + COALESCE((SELECT sum(credit_remaining) FROM credit_notes WHERE client_id = $1), 0))::int8
      AS amount";
