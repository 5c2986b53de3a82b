//! The load benchmark's ceiling: a bare actix-web handler doing the same primary-key read of
//! an offer through diesel + r2d2 on the same PostgreSQL — no auth, no middleware, no JSON
//! mapping beyond the row. `DATABASE_URL` and `BIND` (default 127.0.0.1:18081) configure it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use actix_web::{web, App, HttpResponse, HttpServer};
use adapters_postgres::schema::offers;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

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
        Some((id, code, name, price)) => HttpResponse::Ok().json(serde_json::json!({
            "id": id, "code": code, "name": name, "monthly_price": price
        })),
        None => HttpResponse::NotFound().finish(),
    }
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
    })
    .bind(bind)?
    .run()
    .await
}
