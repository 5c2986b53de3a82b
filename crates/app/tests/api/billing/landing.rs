//! P13 on the public landing: the client's invoices by CIN with a lookup token, and each
//! invoice's PDF through a token bound to it alone.

use domain::tokens::TokenPurpose;
use serde_json::Value;
use time::{Duration, OffsetDateTime};

use super::World;

impl World {
    fn lookup_token(&self, cin: &str, valid_for: Duration) -> String {
        self.app.services.ports.tokens.issue(
            TokenPurpose::Lookup,
            cin,
            self.app.clock_now() + valid_for,
        )
    }

    async fn client_invoices(&self, cin: &str, query: &str) -> crate::support::Answer {
        self.app
            .get(&format!("/landing/clients/{cin}/invoices{query}"))
            .send()
            .await
    }
}

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().unwrap()
}

#[actix_web::test]
async fn a_client_lists_its_own_invoices_masked_and_downloads_each_pdf() {
    let w = World::new().await;
    w.bill_february().await;
    let token = w.lookup_token("AB123456", Duration::minutes(15));
    // The CIN is normalised: lower case and spaces are the same client.
    let answer = w
        .client_invoices("ab123456", &format!("?lookup_token={token}"))
        .await;
    answer.assert_status(200);
    let body = answer.json();
    let listed: Vec<&str> = items(&body)
        .iter()
        .map(|i| i["contract_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&w.full_month.as_str()) && listed.contains(&w.half_internet.as_str()));
    let text = String::from_utf8(answer.body.clone()).unwrap();
    for private in [
        "hajar@example.ma",
        "+212612345678",
        "Benkirane",
        "12 rue Talaa",
    ] {
        assert!(!text.contains(private), "{private} leaked: {text}");
    }
    let item = items(&body)
        .iter()
        .find(|i| i["contract_id"] == w.full_month.as_str())
        .unwrap();
    assert!(item["service_identifier_masked"]
        .as_str()
        .unwrap()
        .contains('•'));
    assert_eq!(item["total_incl_tax"], 11_880);
    assert_eq!(item["outstanding"], 11_880);
    assert_eq!(item["status"], "issued");
    let expires = OffsetDateTime::parse(
        item["document_expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires, w.app.clock_now() + Duration::days(7));
    let url = item["document_download_url"].as_str().unwrap();
    let id = item["invoice_id"].as_str().unwrap();
    assert!(url.starts_with(&format!("/api/v1/landing/invoices/{id}/document?token=")));
    let pdf = w.app.get(url).send().await;
    pdf.assert_status(200);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    let internal = w
        .app
        .get(&format!("/invoices/{id}/pdf"))
        .token(&w.billing)
        .send()
        .await;
    assert_eq!(
        pdf.body, internal.body,
        "one document, whoever downloads it"
    );
}

#[actix_web::test]
async fn a_lookup_token_opens_only_its_own_cin_while_valid() {
    let w = World::new().await;
    w.bill_february().await;
    let other = w.lookup_token("CD789012", Duration::minutes(15));
    w.client_invoices("AB123456", &format!("?lookup_token={other}"))
        .await
        .assert_problem(403, "forbidden");
    w.client_invoices("AB123456", "")
        .await
        .assert_problem(403, "forbidden");
    let token = w.lookup_token("AB123456", Duration::minutes(15));
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    w.client_invoices("AB123456", &format!("?lookup_token={tampered}"))
        .await
        .assert_problem(403, "forbidden");
    w.client_invoices("not-a-cin", &format!("?lookup_token={token}"))
        .await
        .assert_problem(403, "forbidden");
    w.app.clock.advance(Duration::minutes(16));
    w.client_invoices("AB123456", &format!("?lookup_token={token}"))
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn an_unknown_cin_with_a_valid_token_is_only_not_found() {
    let w = World::new().await;
    let token = w.lookup_token("ZZ999999", Duration::minutes(15));
    let answer = w
        .client_invoices("ZZ999999", &format!("?lookup_token={token}"))
        .await;
    answer.assert_problem(404, "client_not_found");
}

#[actix_web::test]
async fn a_document_token_opens_its_invoice_only_until_it_expires() {
    let w = World::new().await;
    w.bill_february().await;
    let token = w.lookup_token("AB123456", Duration::minutes(15));
    let body = w
        .client_invoices("AB123456", &format!("?lookup_token={token}"))
        .await
        .json();
    let first = &items(&body)[0];
    let url = first["document_download_url"].as_str().unwrap().to_owned();
    let doc_token = url.split("token=").nth(1).unwrap().to_owned();
    let other_id = items(&body)[1]["invoice_id"].as_str().unwrap().to_owned();
    let document = |id: &str, query: &str| format!("/landing/invoices/{id}/document{query}");
    w.app
        .get(&document(&other_id, &format!("?token={doc_token}")))
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get(&document(&other_id, ""))
        .send()
        .await
        .assert_problem(403, "forbidden");
    // A lookup token is not a document token, even for the client's own invoice.
    w.app
        .get(&document(&other_id, &format!("?token={token}")))
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get(&document(&other_id, &format!("?token={doc_token}x")))
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app.get(&url).send().await.assert_status(200);
    w.app
        .clock
        .advance(Duration::days(7) + Duration::minutes(1));
    w.app
        .get(&url)
        .send()
        .await
        .assert_problem(403, "forbidden");
}

#[actix_web::test]
async fn unknown_list_parameters_and_repeated_ones_are_400_naming_the_parameter() {
    let w = World::new().await;
    w.bill_february().await;
    let token = w.lookup_token("AB123456", Duration::minutes(15));
    for (query, field) in [
        (
            format!("?lookup_token={token}&lookup_token={token}"),
            "lookup_token",
        ),
        (format!("?lookup_token={token}&page=2"), "page"),
    ] {
        let answer = w.client_invoices("AB123456", &query).await;
        answer.assert_problem(400, "invalid_query");
        assert_eq!(answer.error_fields(), [field], "{query}");
    }
    let body = w
        .client_invoices("AB123456", &format!("?lookup_token={token}"))
        .await
        .json();
    let url = items(&body)[0]["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let doc_token = url.split("token=").nth(1).unwrap().to_owned();
    // The document link ignores unknown parameters (see `landing::document_links`), but a
    // repeated token is still ambiguous.
    let answer = w.app.get(&format!("{url}&token={doc_token}")).send().await;
    answer.assert_problem(400, "invalid_query");
    assert_eq!(answer.error_fields(), ["token"]);
}
