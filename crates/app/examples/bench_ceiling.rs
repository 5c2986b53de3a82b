//! The load benchmark's ceilings: bare actix-web handlers doing the same database work as the
//! API through diesel + r2d2 on the same PostgreSQL — no auth, no middleware, no domain
//! mapping. `GET /offers/{id}`: the primary-key read of an offer. `GET /invoices?client_id=`:
//! a client's first 50 invoices, their lines and their credit notes' ids (the three statements
//! of `GET /api/v1/invoices`), as JSON with the same fields. `DATABASE_URL` and `BIND` (default 127.0.0.1:18081) configure
//! it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;

use actix_web::{web, App, HttpResponse, HttpServer};
use adapters_postgres::schema::{credit_notes, invoice_lines, invoices, offers};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
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
}

/// One list item: the row, its outstanding amount and its lines (typed, as the API does).
#[derive(serde::Serialize)]
struct Item {
    #[serde(flatten)]
    invoice: InvoiceRow,
    outstanding: i64,
    credit_note_ids: Vec<String>,
    lines: Vec<LineRow>,
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
    let (rows, lines, notes) = web::block(move || {
        let mut conn = pool.get().expect("connection");
        let rows: Vec<InvoiceRow> = invoices::table
            .filter(invoices::client_id.eq(client_id))
            .order(invoices::id)
            .limit(51)
            .select(InvoiceRow::as_select())
            .load(&mut conn)
            .expect("invoices");
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let lines: Vec<LineRow> = invoice_lines::table
            .filter(invoice_lines::invoice_id.eq_any(ids))
            .order((invoice_lines::invoice_id, invoice_lines::position))
            .select(LineRow::as_select())
            .load(&mut conn)
            .expect("lines");
        let ids: Vec<&String> = rows.iter().map(|r| &r.id).collect();
        let notes: Vec<(String, String)> = credit_notes::table
            .filter(credit_notes::invoice_id.eq_any(ids))
            .order((credit_notes::invoice_id, credit_notes::id))
            .select((credit_notes::invoice_id, credit_notes::id))
            .load(&mut conn)
            .expect("credit notes");
        (rows, lines, notes)
    })
    .await
    .expect("blocking");
    let mut by_invoice: HashMap<String, Vec<LineRow>> = HashMap::new();
    for line in lines {
        by_invoice
            .entry(line.invoice_id.clone())
            .or_default()
            .push(line);
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
            invoice,
        })
        .collect();
    HttpResponse::Ok().json(Listing {
        items,
        next_cursor: None,
    })
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
    })
    .bind(bind)?
    .run()
    .await
}
