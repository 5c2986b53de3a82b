//! The load benchmark's ceilings: bare actix-web handlers doing the same database work as the
//! API through diesel + r2d2 on the same PostgreSQL — no auth, no middleware, no domain
//! mapping. `GET /offers/{id}`: the primary-key read of an offer. `GET /invoices?client_id=`:
//! a client's first 50 invoices, their lines with each line's service identifier, their credit
//! notes' ids and their usage (the four statements of `GET /api/v1/invoices`), as JSON with
//! the same fields. `POST /payments`: the minimum SQL
//! for a payment's effect (see `payment`). `DATABASE_URL` and `BIND` (default
//! 127.0.0.1:18081) configure it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;

use actix_web::{web, App, HttpResponse, HttpServer};
use adapters_postgres::prepared::{constant_sql, keep_prepared};
use adapters_postgres::schema::{
    contracts, credit_notes, idempotency_records, invoice_lines, invoice_usage, invoices, offers,
    subscribers,
};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use serde_json::json;
use time::{Date, OffsetDateTime};

type PgPool = Pool<ConnectionManager<PgConnection>>;

async fn offer(pool: web::Data<PgPool>, id: web::Path<String>) -> HttpResponse {
    let pool = pool.clone();
    let row = web::block(move || {
        let mut conn = pool.get().expect("connection");
        offers::table
            .find(id.into_inner())
            .select((
                offers::id,
                offers::code,
                offers::name,
                offers::monthly_price,
            ))
            .first::<(String, String, String, i64)>(&mut conn)
            .optional()
            .expect("query")
    })
    .await
    .expect("blocking");
    match row {
        Some((id, code, name, price)) => HttpResponse::Ok().json(json!({
            "id": id, "code": code, "name": name, "monthly_price": price
        })),
        None => HttpResponse::NotFound().finish(),
    }
}

/// Dates as `YYYY-MM-DD`, like the API.
fn iso_date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

#[derive(Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = invoices)]
struct InvoiceRow {
    id: String,
    invoice_number: String,
    billing_run_id: String,
    client_id: String,
    contract_id: String,
    offer_id: String,
    service_type: String,
    period: String,
    #[serde(serialize_with = "iso_date")]
    issue_date: Date,
    #[serde(serialize_with = "iso_date")]
    due_date: Date,
    status: String,
    total_excl_tax: i64,
    total_tax: i64,
    total_incl_tax: i64,
    amount_paid: i64,
    currency: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    credited_amount: i64,
    buyer_name: String,
    buyer_cin: Option<String>,
    buyer_ice: Option<String>,
    buyer_address: Option<String>,
    buyer_city: Option<String>,
    invoicing: String,
    replaces_invoice_id: Option<String>,
}

#[derive(Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = invoice_lines)]
struct LineRow {
    #[serde(skip)]
    invoice_id: String,
    position: i32,
    description: String,
    offer_id: String,
    #[serde(serialize_with = "iso_date")]
    start_date: Date,
    #[serde(serialize_with = "iso_date")]
    end_date: Date,
    days: i32,
    monthly_price: i64,
    amount_excl_tax: i64,
    tax_rate_bp: i32,
    tax_amount: i64,
    amount_incl_tax: i64,
    contract_id: String,
    usage_kind: Option<String>,
    quantity: Option<i64>,
    unit_price: Option<i64>,
}

/// A line as answered: its row and the service identifier of its contract.
#[derive(serde::Serialize)]
struct Line {
    #[serde(flatten)]
    row: LineRow,
    service_identifier: String,
}

#[derive(Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = invoice_usage)]
struct UsageRow {
    #[serde(skip)]
    invoice_id: String,
    contract_id: String,
    kind: String,
    used: i64,
    included: Option<i64>,
}

/// One list item: the row, its outstanding amount and its lines (typed, as the API does).
#[derive(serde::Serialize)]
struct Item {
    #[serde(flatten)]
    invoice: InvoiceRow,
    outstanding: i64,
    credit_note_ids: Vec<String>,
    lines: Vec<Line>,
    usage: Vec<UsageRow>,
}

#[derive(serde::Serialize)]
struct Listing {
    items: Vec<Item>,
    next_cursor: Option<String>,
}

#[derive(serde::Deserialize)]
struct ClientQuery {
    client_id: String,
}

async fn client_invoices(pool: web::Data<PgPool>, query: web::Query<ClientQuery>) -> HttpResponse {
    let pool = pool.clone();
    let client_id = query.into_inner().client_id;
    let (rows, lines, notes, usage) = web::block(move || {
        let mut conn = pool.get().expect("connection");
        let rows: Vec<InvoiceRow> = invoices::table
            .filter(invoices::client_id.eq(client_id))
            .order(invoices::id)
            .limit(51)
            .select(InvoiceRow::as_select())
            .load(&mut conn)
            .expect("invoices");
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let lines: Vec<(LineRow, String)> = invoice_lines::table
            .inner_join(contracts::table.on(contracts::id.eq(invoice_lines::contract_id)))
            .inner_join(subscribers::table.on(subscribers::id.eq(contracts::subscriber_id)))
            .filter(invoice_lines::invoice_id.eq_any(ids))
            .order((invoice_lines::invoice_id, invoice_lines::position))
            .select((LineRow::as_select(), subscribers::service_identifier))
            .load(&mut conn)
            .expect("lines");
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let notes: Vec<(String, String)> = credit_notes::table
            .filter(credit_notes::invoice_id.eq_any(ids))
            .order((credit_notes::invoice_id, credit_notes::id))
            .select((credit_notes::invoice_id, credit_notes::id))
            .load(&mut conn)
            .expect("credit notes");
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let usage: Vec<UsageRow> = invoice_usage::table
            .filter(invoice_usage::invoice_id.eq_any(ids))
            .select(UsageRow::as_select())
            .load(&mut conn)
            .expect("usage");
        (rows, lines, notes, usage)
    })
    .await
    .expect("blocking");
    let mut by_invoice: HashMap<String, Vec<Line>> = HashMap::new();
    for (row, service_identifier) in lines {
        by_invoice
            .entry(row.invoice_id.clone())
            .or_default()
            .push(Line {
                row,
                service_identifier,
            });
    }
    let mut usage_of: HashMap<String, Vec<UsageRow>> = HashMap::new();
    for row in usage {
        usage_of
            .entry(row.invoice_id.clone())
            .or_default()
            .push(row);
    }
    let mut notes_of: HashMap<String, Vec<String>> = HashMap::new();
    for (invoice_id, note_id) in notes {
        notes_of.entry(invoice_id).or_default().push(note_id);
    }
    let items = rows
        .into_iter()
        .take(50)
        .map(|invoice| Item {
            outstanding: invoice.total_incl_tax - invoice.amount_paid - invoice.credited_amount,
            credit_note_ids: notes_of.remove(&invoice.id).unwrap_or_default(),
            lines: by_invoice.remove(&invoice.id).unwrap_or_default(),
            usage: usage_of.remove(&invoice.id).unwrap_or_default(),
            invoice,
        })
        .collect();
    HttpResponse::Ok().json(Listing {
        items,
        next_cursor: None,
    })
}

/// The key's lock, whether it was used before, and whether the client exists: one statement.
const PAYMENT_CLAIM: &str = "\
SELECT pg_try_advisory_xact_lock(hashtextextended($1 || E'\\x1f' || $2, 0)) AS locked,
       EXISTS (SELECT 1 FROM idempotency_records WHERE scope = $1 AND idempotency_key = $2) AS used,
       EXISTS (SELECT 1 FROM clients WHERE id = $3) AS client_found";

/// Everything a payment writes, set-based in one statement: the client's open invoices
/// locked in due-date order, the amount spread over them (a running sum), the invoices
/// settled, the payment, its allocations, its `payment.received` event and the
/// `invoice.paid` of each invoice it settled. Answers one row
/// per allocation (none when nothing was open) with the client's credit.
const PAYMENT_WRITE: &str = "\
WITH open AS (
  SELECT id, due_date, total_incl_tax, amount_paid, credited_amount,
         total_incl_tax - amount_paid - credited_amount AS outstanding
  FROM invoices
  WHERE client_id = $2 AND status IN ('issued', 'partially_paid')
  ORDER BY due_date, id
  FOR UPDATE
), plan AS (
  SELECT id, total_incl_tax, amount_paid, credited_amount, ord,
         -- The window sum of bigints is numeric: back to int8 for the take.
         least(outstanding, greatest(0, $3 - (running - outstanding)))::int8 AS take
  FROM (SELECT o.*, sum(outstanding) OVER (ORDER BY due_date, id) AS running,
               row_number() OVER (ORDER BY due_date, id) AS ord
        FROM open o) s
), taken AS (
  SELECT * FROM plan WHERE take > 0
), settled AS (
  UPDATE invoices i
  SET amount_paid = i.amount_paid + t.take,
      status = CASE WHEN i.amount_paid + t.take + i.credited_amount >= i.total_incl_tax
                    THEN 'paid' ELSE 'partially_paid' END,
      updated_at = now()
  FROM taken t WHERE i.id = t.id
  RETURNING i.id, i.status, i.total_incl_tax - i.amount_paid - i.credited_amount AS outstanding
), payment AS (
  INSERT INTO payments (id, client_id, amount, currency, method, reference, received_at,
                        unallocated_amount, actor_id, created_at, updated_at)
  SELECT $1, $2, $3, 'MAD', $4, $5, current_date,
         $3 - COALESCE((SELECT sum(take) FROM taken), 0), 'act_bench', now(), now()
  RETURNING id, unallocated_amount
), allocations AS (
  INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at)
  SELECT $1, id, take, now() FROM taken ORDER BY ord
), event AS (
  INSERT INTO events (id, type, occurred_at, actor_id, data)
  SELECT $6, 'payment.received', now(), 'act_bench',
         jsonb_build_object('id', $1, 'client_id', $2, 'amount', $3, 'currency', 'MAD',
                            'method', $4, 'reference', $5, 'received_at', current_date,
                            'unallocated_amount', p.unallocated_amount,
                            'allocations', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                                'invoice_id', id, 'amount', take) ORDER BY ord), '[]')
                                            FROM taken))
  FROM payment p
  UNION ALL
  SELECT $6 || '_' || s.id, 'invoice.paid', now(), 'act_bench',
         jsonb_build_object('id', s.id, 'status', s.status, 'outstanding', s.outstanding)
  FROM settled s WHERE s.status = 'paid'
)
SELECT s.id AS invoice_id, s.status, s.outstanding, t.take,
       (SELECT unallocated_amount FROM payment) AS unallocated,
       (COALESCE((SELECT sum(unallocated_amount) FROM payments
                  WHERE client_id = $2 AND unallocated_amount > 0), 0)
        + COALESCE((SELECT sum(credit_remaining) FROM credit_notes
                    WHERE client_id = $2 AND credit_remaining > 0), 0))::int8 AS credit
FROM (VALUES (1)) AS one (x)
LEFT JOIN taken t ON true
LEFT JOIN settled s ON s.id = t.id
ORDER BY t.ord";

#[derive(QueryableByName)]
struct PaymentClaim {
    #[diesel(sql_type = Bool)]
    locked: bool,
    #[diesel(sql_type = Bool)]
    used: bool,
    #[diesel(sql_type = Bool)]
    client_found: bool,
}

#[derive(QueryableByName)]
struct PaymentLine {
    #[diesel(sql_type = Nullable<Text>)]
    invoice_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    status: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    outstanding: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    take: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    unallocated: Option<i64>,
    #[diesel(sql_type = BigInt)]
    credit: i64,
}

#[derive(serde::Deserialize)]
struct PaymentBody {
    client_id: String,
    amount: i64,
    method: String,
    reference: Option<String>,
}

/// A payment with the API's guarantees and the fewest statements: the claim, the set-based
/// write, the stored response — three statements in one transaction (the API: its domain
/// plans the allocation between a read and the writes). Ids are random, as the API's.
async fn payment(
    pool: web::Data<PgPool>,
    req: actix_web::HttpRequest,
    body: web::Json<PaymentBody>,
) -> HttpResponse {
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = body.into_inner();
    let pool = pool.clone();
    let answer = web::block(move || {
        let mut conn = pool.get().expect("connection");
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            // Kept prepared as the API's statements are (decision 0342): the floor plans
            // nothing the API does not.
            let claim: PaymentClaim = keep_prepared(
                constant_sql(PAYMENT_CLAIM)
                    .bind::<Text, _>("act_bench")
                    .bind::<Text, _>(&key)
                    .bind::<Text, _>(&body.client_id),
            )
            .get_result(conn)?;
            if !claim.locked || claim.used || !claim.client_found {
                return Ok(None);
            }
            let id = format!("pay_{}", ulid_like());
            let lines: Vec<PaymentLine> = keep_prepared(
                constant_sql(PAYMENT_WRITE)
                    .bind::<Text, _>(&id)
                    .bind::<Text, _>(&body.client_id)
                    .bind::<BigInt, _>(body.amount)
                    .bind::<Text, _>(&body.method)
                    .bind::<Nullable<Text>, _>(body.reference.as_deref())
                    .bind::<Text, _>(format!("evt_{}", ulid_like())),
            )
            .load(conn)?;
            let allocations: Vec<_> = lines
                .iter()
                .filter_map(|l| {
                    Some(json!({"invoice_id": l.invoice_id.as_ref()?, "amount": l.take?}))
                })
                .collect();
            let first = lines.first();
            let response = serde_json::to_vec(&json!({
                "id": id, "payment_id": id, "client_id": body.client_id, "amount": body.amount,
                "currency": "MAD", "method": body.method, "reference": body.reference,
                "invoice_id": first.and_then(|l| l.invoice_id.clone()),
                "invoice_status": first.and_then(|l| l.status.clone()),
                "outstanding_amount": first.and_then(|l| l.outstanding),
                "allocations": allocations,
                "unallocated_amount": first.and_then(|l| l.unallocated),
                "credit_available": first.map(|l| l.credit),
            }))
            .expect("json");
            diesel::insert_into(idempotency_records::table)
                .values((
                    idempotency_records::scope.eq("act_bench"),
                    idempotency_records::idempotency_key.eq(&key),
                    idempotency_records::request_hash.eq("bench"),
                    idempotency_records::response_status.eq(201_i16),
                    idempotency_records::response_body.eq(&response),
                    idempotency_records::created_at.eq(diesel::dsl::now),
                ))
                .execute(conn)?;
            Ok(Some(response))
        })
        .expect("payment")
    })
    .await
    .expect("blocking");
    match answer {
        Some(body) => HttpResponse::Created()
            .content_type("application/json")
            .body(body),
        None => HttpResponse::Conflict().finish(),
    }
}

/// A new ULID, as the API's ids.
fn ulid_like() -> String {
    ulid::Ulid::new().to_string()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:18081".into());
    let pool = Pool::builder()
        .max_size(16)
        .build(ConnectionManager::<PgConnection>::new(url))
        .expect("pool");
    let pool = web::Data::new(pool);
    HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .route("/offers/{id}", web::get().to(offer))
            .route("/invoices", web::get().to(client_invoices))
            .route("/payments", web::post().to(payment))
    })
    .bind(bind)?
    .run()
    .await
}
