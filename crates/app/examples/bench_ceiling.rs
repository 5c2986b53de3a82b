//! The load benchmark's ceilings: bare actix-web handlers doing the same database work as the
//! API through diesel + r2d2 on the same PostgreSQL — no auth, no middleware, no domain
//! mapping. `GET /offers/{id}`: the primary-key read of an offer. `GET /invoices?client_id=`:
//! a client's first 50 invoices and their lines (the two statements of `GET /api/v1/invoices`),
//! as JSON with the same fields. `DATABASE_URL` and `BIND` (default 127.0.0.1:18081) configure
//! it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;

use actix_web::{web, App, HttpResponse, HttpServer};
use adapters_postgres::schema::{invoice_lines, invoices, offers};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use serde_json::{json, Value};
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

#[derive(Queryable, Selectable)]
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
    issue_date: Date,
    due_date: Date,
    status: String,
    total_excl_tax: i64,
    total_tax: i64,
    total_incl_tax: i64,
    amount_paid: i64,
    currency: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = invoice_lines)]
struct LineRow {
    invoice_id: String,
    position: i32,
    description: String,
    offer_id: String,
    start_date: Date,
    end_date: Date,
    days: i32,
    monthly_price: i64,
    amount_excl_tax: i64,
    tax_rate_bp: i32,
    tax_amount: i64,
    amount_incl_tax: i64,
}

#[derive(serde::Deserialize)]
struct ClientQuery {
    client_id: String,
}

async fn client_invoices(pool: web::Data<PgPool>, query: web::Query<ClientQuery>) -> HttpResponse {
    let pool = pool.clone();
    let client_id = query.into_inner().client_id;
    let (rows, lines) = web::block(move || {
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
        (rows, lines)
    })
    .await
    .expect("blocking");
    let mut by_invoice: HashMap<String, Vec<Value>> = HashMap::new();
    for l in lines {
        by_invoice.entry(l.invoice_id).or_default().push(json!({
            "position": l.position, "description": l.description, "offer_id": l.offer_id,
            "start_date": l.start_date.to_string(), "end_date": l.end_date.to_string(),
            "days": l.days, "monthly_price": l.monthly_price,
            "amount_excl_tax": l.amount_excl_tax, "tax_rate_bp": l.tax_rate_bp,
            "tax_amount": l.tax_amount, "amount_incl_tax": l.amount_incl_tax
        }));
    }
    let items: Vec<Value> = rows
        .into_iter()
        .take(50)
        .map(|r| {
            json!({
                "id": r.id, "invoice_number": r.invoice_number,
                "billing_run_id": r.billing_run_id, "client_id": r.client_id,
                "contract_id": r.contract_id, "offer_id": r.offer_id,
                "service_type": r.service_type, "period": r.period,
                "issue_date": r.issue_date.to_string(), "due_date": r.due_date.to_string(),
                "status": r.status, "total_excl_tax": r.total_excl_tax, "total_tax": r.total_tax,
                "total_incl_tax": r.total_incl_tax, "amount_paid": r.amount_paid,
                "outstanding": r.total_incl_tax - r.amount_paid, "currency": r.currency,
                "created_at": r.created_at.to_string(), "updated_at": r.updated_at.to_string(),
                "lines": by_invoice.remove(&r.id).unwrap_or_default()
            })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "items": items, "next_cursor": null }))
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
