//! P1–P3 over HTTP: offers, categories, clients and their lines.

mod categories;
mod client_audit;
mod client_delete;
mod client_patch;
mod client_search;
mod clients;
mod companies;
mod offer_guards;
mod offer_patch;
mod offer_service_filter;
mod offer_usage;
mod offers;
mod subscribers;

use serde_json::{json, Value};

use crate::support::TestApp;

/// A valid offer body with this code and service type.
pub fn offer_body(code: &str, service_type: &str) -> Value {
    json!({
        "code": code,
        "name": format!("Offre {code}"),
        "description": "",
        "service_type": service_type,
        "monthly_price": 9900,
        "currency": "MAD",
        "tax_rate_bp": 2000,
        "commitment_months": 0,
        "status": "active",
        "allowances": null,
        "overage_rates": null
    })
}

/// Creates an offer as admin and returns it.
pub async fn create_offer(app: &TestApp, body: &Value) -> Value {
    let answer = app.post("/offers").admin().json(body).send().await;
    answer.assert_status(201);
    answer.json()
}

/// A valid client body with this CIN.
pub fn client_body(cin: &str) -> Value {
    json!({
        "cin": cin,
        "first_name": "Hajar",
        "last_name": "Benkirane",
        "email": "Hajar.Benkirane@Example.MA",
        "phone": "06 12 34 56 78",
        "address": "12 rue Talaa",
        "city": "Fès",
        "birth_date": "1990-05-17",
        "status": "active"
    })
}

/// Creates a client as admin and returns it.
pub async fn create_client(app: &TestApp, body: &Value) -> Value {
    let answer = app.post("/customers").admin().json(body).send().await;
    answer.assert_status(201);
    answer.json()
}

/// The `id` of a resource body.
pub fn id(resource: &Value) -> String {
    resource["id"].as_str().unwrap().to_owned()
}

/// The ids of a list answer's items.
pub fn ids(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(id).collect()
}
