//! P3: listing and searching clients — the free-text `q` over the trigram index, the exact
//! filters, pages, and the query plan at scale.

use adapters_postgres::explain;
use domain::clients::ClientFilter;
use domain::page::PageRequest;
use serde_json::json;

use super::{client_body, create_client, id, ids};
use crate::support::TestApp;

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    let answer = app.get(&format!("/customers?{query}")).admin().send().await;
    answer.assert_status(200);
    ids(&answer.json())
}

#[actix_web::test]
async fn q_finds_clients_by_name_cin_phone_or_email_in_any_case() {
    let app = TestApp::new().await;
    let hajar = id(&create_client(&app, &client_body("AB123456")).await);
    let mut omar = client_body("K98765");
    omar["first_name"] = json!("Omar");
    omar["last_name"] = json!("Alaoui_Tazi");
    omar["email"] = json!("omar@menara.ma");
    omar["phone"] = json!("0522123456");
    let omar = id(&create_client(&app, &omar).await);
    assert_eq!(search(&app, "q=BENKIR").await, [hajar.as_str()]);
    assert_eq!(
        search(&app, "q=hajar%20benkirane").await,
        [hajar.as_str()],
        "first + last"
    );
    assert_eq!(search(&app, "q=k9876").await, [omar.as_str()], "CIN");
    assert_eq!(search(&app, "q=MENARA.MA").await, [omar.as_str()], "e-mail");
    assert_eq!(
        search(&app, "q=%2B2125221").await,
        [omar.as_str()],
        "E.164 digits"
    );
    assert_eq!(
        search(&app, "q=05%2022%2012%2034%2056").await,
        [omar.as_str()],
        "a national number finds the stored E.164 phone"
    );
}

#[actix_web::test]
async fn q_wildcards_match_themselves() {
    let app = TestApp::new().await;
    let mut underscored = client_body("K98765");
    underscored["last_name"] = json!("Alaoui_Tazi");
    let underscored = id(&create_client(&app, &underscored).await);
    let mut spaced = client_body("K98766");
    spaced["last_name"] = json!("AlaouiXTazi");
    create_client(&app, &spaced).await;
    assert_eq!(search(&app, "q=alaoui_t").await, [underscored]);
    assert!(search(&app, "q=%25%25%25").await.is_empty());
}

#[actix_web::test]
async fn clients_are_filtered_by_normalised_cin_and_by_status() {
    let app = TestApp::new().await;
    let active = id(&create_client(&app, &client_body("AB123456")).await);
    let mut inactive = client_body("K98765");
    inactive["status"] = json!("inactive");
    let inactive = id(&create_client(&app, &inactive).await);
    assert_eq!(search(&app, "cin=%20ab123456").await, [active.as_str()]);
    assert_eq!(search(&app, "status=inactive").await, [inactive.as_str()]);
    assert_eq!(
        search(&app, "status=active&q=benkirane").await,
        [active.as_str()]
    );
    assert!(search(&app, "cin=AB123456&status=inactive")
        .await
        .is_empty());
    assert_eq!(search(&app, "").await, [active, inactive]);
}

#[actix_web::test]
async fn client_pages_follow_the_cursor() {
    let app = TestApp::new().await;
    let mut created = Vec::new();
    for n in 0..3 {
        created.push(id(&create_client(
            &app,
            &client_body(&format!("P{n}12345")),
        )
        .await));
    }
    let first = app
        .get("/customers?limit=2&q=benkirane")
        .admin()
        .send()
        .await
        .json();
    assert_eq!(ids(&first), created[..2]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/customers?limit=2&q=benkirane&cursor={cursor}"))
        .admin()
        .send()
        .await
        .json();
    assert_eq!(ids(&rest), created[2..]);
    assert_eq!(rest["next_cursor"], serde_json::Value::Null);
}

#[actix_web::test]
async fn client_list_parameters_are_checked_and_named() {
    let app = TestApp::new().await;
    let cases = [
        ("q=ab", "q"),
        ("q=%20%20abc", "q"),
        ("cin=12", "cin"),
        ("status=gone", "status"),
        ("limit=0", "limit"),
        ("cursor=ofr_01JD0000000000000000000000", "cursor"),
        ("name=hajar", "name"),
    ];
    for (query, field) in cases {
        let answer = app.get(&format!("/customers?{query}")).admin().send().await;
        if query == "q=%20%20abc" {
            // Trimmed to `abc`: long enough.
            answer.assert_status(200);
            continue;
        }
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
}

#[actix_web::test]
async fn the_search_query_uses_the_trigram_index_on_a_large_table() {
    let app = TestApp::new().await;
    // 50 000 clients with distinct names, CINs, phones and e-mails, then fresh statistics.
    app.sql(
        "INSERT INTO clients (id, cin, first_name, last_name, email, phone, status, created_at, \
         updated_at) SELECT 'cli_' || lpad(n::text, 26, '0'), 'ZZ' || lpad(n::text, 6, '0'), \
         'Prenom' || n, 'Nom' || md5(n::text), 'client' || n || '@example.ma', \
         '+2126' || lpad(n::text, 8, '0'), 'active', now(), now() \
         FROM generate_series(1, 50000) AS n",
    );
    app.sql("ANALYZE clients");
    let mut conn = app.db.connect();
    let filter = ClientFilter {
        q: Some(ClientFilter::search("Benkirane").unwrap()),
        ..ClientFilter::default()
    };
    let plan = explain::client_list(&mut conn, &filter, &PageRequest::first())
        .unwrap()
        .join("\n");
    assert!(
        plan.contains("clients_search_trgm"),
        "the search should use the trigram index:\n{plan}"
    );
    let phone = ClientFilter {
        q: Some(ClientFilter::search("0600012345").unwrap()),
        ..ClientFilter::default()
    };
    let plan = explain::client_list(&mut conn, &phone, &PageRequest::first())
        .unwrap()
        .join("\n");
    assert!(plan.contains("clients_search_trgm"), "{plan}");
    // And the answer is still right.
    let found = app
        .get("/customers?q=0600012345")
        .admin()
        .send()
        .await
        .json();
    assert_eq!(found["items"][0]["cin"], "ZZ012345");
}
