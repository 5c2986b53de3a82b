//! Company clients (issue #22 §2): creation, validation, a unique ICE, `PUT` and `PATCH`, list
//! filters, persons unchanged, and the landing that serves persons only (decision 0210).

use serde_json::{json, Value};

use super::{client_body, create_client, id, ids};
use crate::support::TestApp;

const MERGE_PATCH: &str = "application/merge-patch+json";
const ICE: &str = "001525374000089";

/// A valid company body with this ICE.
pub fn company_body(ice: &str) -> Value {
    json!({
        "kind": "company",
        "company_name": "Atlas Logistique SARL",
        "ice": ice,
        "rc": "RC 12345",
        "if": "40123456",
        "legal_representative": {"name": "Karim Alaoui", "cin": "bk998877"},
        "email": "Contact@Atlas.ma",
        "phone": "05 22 12 34 56",
        "address": "Zone industrielle, lot 12",
        "city": "Casablanca",
        "status": "active"
    })
}

#[actix_web::test]
async fn an_agent_creates_a_company_billed_per_account_by_default() {
    let app = TestApp::new().await;
    let agent = app.actor_token(&["agent"]).await;
    let mut body = company_body("001 525 374 000 089");
    body["company_name"] = json!("  Atlas Logistique SARL ");
    let answer = app
        .post("/customers")
        .token(&agent)
        .json(&body)
        .send()
        .await;
    answer.assert_status(201);
    let company = answer.json();
    assert_eq!(company["kind"], "company");
    assert_eq!(company["company_name"], "Atlas Logistique SARL");
    assert_eq!(company["display_name"], "Atlas Logistique SARL");
    assert_eq!(company["ice"], ICE);
    assert_eq!(company["rc"], "RC 12345");
    assert_eq!(company["if"], "40123456");
    assert_eq!(
        company["legal_representative"],
        json!({"name": "Karim Alaoui", "cin": "BK998877"})
    );
    assert_eq!(company["invoicing"], "per_account");
    for none in ["cin", "first_name", "last_name", "birth_date"] {
        assert_eq!(company[none], Value::Null, "{none}");
    }
    assert_eq!(company["phone"], "+212522123456");
    let read = app
        .get(&format!("/customers/{}", id(&company)))
        .token(&agent)
        .send()
        .await;
    assert_eq!(read.json(), company);
    assert_eq!(
        app.count("SELECT count(*) FROM clients WHERE kind = 'company' AND cin IS NULL"),
        1
    );
}

#[actix_web::test]
async fn a_person_keeps_todays_shape_and_rules_with_the_new_members_filled_for_it() {
    let app = TestApp::new().await;
    let person = create_client(&app, &client_body("AB123456")).await;
    assert_eq!(person["kind"], "person");
    assert_eq!(person["cin"], "AB123456");
    assert_eq!(person["display_name"], "Hajar Benkirane");
    assert_eq!(person["invoicing"], "per_contract");
    assert_eq!(person["company_name"], Value::Null);
    // A person still needs its CIN and names, and a company's members are refused.
    let mut bad = client_body("AB123457");
    bad.as_object_mut().unwrap().remove("cin");
    bad["ice"] = json!(ICE);
    let answer = app.post("/customers").admin().json(&bad).send().await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(answer.error_fields(), ["cin", "ice"]);
    // The CIN stays unique among persons.
    app.post("/customers")
        .admin()
        .json(&client_body("ab123456"))
        .send()
        .await
        .assert_problem(409, "cin_already_exists");
}

#[actix_web::test]
async fn a_company_names_each_invalid_or_foreign_member_and_stores_nothing() {
    let app = TestApp::new().await;
    let answer = app
        .post("/customers")
        .admin()
        .json(&json!({
            "kind": "company",
            "cin": "AB123456",
            "first_name": "Karim",
            "company_name": " ",
            "ice": "12345",
            "if": "IF-12",
            "legal_representative": {"name": "", "cin": "42"},
            "invoicing": "monthly",
            "birth_date": "1990-05-17"
        }))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        [
            "cin",
            "first_name",
            "company_name",
            "ice",
            "if",
            "legal_representative.name",
            "legal_representative.cin",
            "invoicing",
            "birth_date"
        ]
    );
    app.post("/customers")
        .admin()
        .json(&json!({"kind": "firm", "company_name": "X", "ice": ICE}))
        .send()
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(app.count("SELECT count(*) FROM clients"), 0);
}

#[actix_web::test]
async fn a_second_company_with_the_same_ice_is_a_conflict_also_on_update() {
    let app = TestApp::new().await;
    create_client(&app, &company_body(ICE)).await;
    let twin = app
        .post("/customers")
        .admin()
        .json(&company_body("001525374 000089"))
        .send()
        .await;
    twin.assert_problem(409, "ice_already_exists");
    let other = create_client(&app, &company_body("002000000000001")).await;
    let answer = app
        .put(&format!("/customers/{}", id(&other)))
        .admin()
        .json(&company_body(ICE))
        .send()
        .await;
    answer.assert_problem(409, "ice_already_exists");
    assert_eq!(app.count("SELECT count(*) FROM clients"), 2);
}

#[actix_web::test]
async fn a_company_put_replaces_it_whole_and_names_the_members_of_its_kind_left_out() {
    let app = TestApp::new().await;
    let company = create_client(&app, &company_body(ICE)).await;
    let path = format!("/customers/{}", id(&company));
    let answer = app
        .put(&path)
        .admin()
        .json(&json!({"kind": "company", "company_name": "Atlas", "ice": ICE}))
        .send()
        .await;
    answer.assert_problem(422, "validation_failed");
    assert_eq!(
        answer.error_fields(),
        [
            "rc",
            "if",
            "legal_representative",
            "email",
            "phone",
            "address",
            "city",
            "status"
        ]
    );
    let mut body = company_body(ICE);
    body["company_name"] = json!("Atlas Logistique SA");
    body["legal_representative"] = Value::Null;
    body["rc"] = Value::Null;
    body["invoicing"] = json!("per_contract");
    let replaced = app.put(&path).admin().json(&body).send().await;
    replaced.assert_status(200);
    let replaced = replaced.json();
    assert_eq!(replaced["company_name"], "Atlas Logistique SA");
    assert_eq!(replaced["legal_representative"], Value::Null);
    assert_eq!(replaced["rc"], Value::Null);
    assert_eq!(replaced["invoicing"], "per_contract");
    assert_eq!(replaced["created_at"], company["created_at"]);
}

#[actix_web::test]
async fn a_company_patch_merges_and_is_validated_as_a_put() {
    let app = TestApp::new().await;
    let company = create_client(&app, &company_body(ICE)).await;
    let path = format!("/customers/{}", id(&company));
    let patched = app
        .patch(&path)
        .admin()
        .raw(
            MERGE_PATCH,
            json!({"legal_representative": {"name": "Salma Idrissi", "cin": "K12345"},
                   "city": "Rabat"})
            .to_string(),
        )
        .send()
        .await;
    patched.assert_status(200);
    let patched = patched.json();
    assert_eq!(
        patched["legal_representative"],
        json!({"name": "Salma Idrissi", "cin": "K12345"})
    );
    assert_eq!(patched["city"], "Rabat");
    assert_eq!(patched["ice"], ICE);
    // A person's member on a company is named, and nothing changes.
    let bad = app
        .patch(&path)
        .admin()
        .raw(
            MERGE_PATCH,
            json!({"first_name": "Karim", "ice": "1"}).to_string(),
        )
        .send()
        .await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.error_fields(), ["first_name", "ice"]);
    assert_eq!(app.get(&path).admin().send().await.json(), patched);
}

async fn list(app: &TestApp, query: &str) -> Vec<String> {
    let answer = app.get(&format!("/customers?{query}")).admin().send().await;
    answer.assert_status(200);
    ids(&answer.json())
}

#[actix_web::test]
async fn the_client_list_filters_by_kind_and_ice_and_searches_company_names() {
    let app = TestApp::new().await;
    let person = create_client(&app, &client_body("AB123456")).await;
    let company = create_client(&app, &company_body(ICE)).await;
    assert_eq!(list(&app, "kind=company").await, [id(&company)]);
    assert_eq!(list(&app, "kind=person").await, [id(&person)]);
    assert_eq!(list(&app, "ice=001525374000089").await, [id(&company)]);
    assert_eq!(list(&app, "q=atlas").await, [id(&company)]);
    assert_eq!(list(&app, "q=5253740").await, [id(&company)]);
    assert_eq!(list(&app, "q=benkirane").await, [id(&person)]);
    for bad in ["kind=firm", "ice=123"] {
        app.get(&format!("/customers?{bad}"))
            .admin()
            .send()
            .await
            .assert_problem(400, "invalid_query");
    }
}

#[actix_web::test]
async fn the_landing_does_not_know_a_company_or_its_representatives_cin() {
    let app = TestApp::new().await;
    create_client(&app, &company_body(ICE)).await;
    // The representative's CIN is not a client: verify-cin finds nobody.
    app.post("/landing/clients/verify-cin")
        .json(&json!({"cin": "BK998877"}))
        .send()
        .await
        .assert_problem(404, "client_not_found");
}
