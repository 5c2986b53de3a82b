//! The client journey P7 → P8 → P9 → P10 in the process map's order: bootstrap, draft,
//! subscribe, download the PDF, verify the CIN, list subscriptions, upgrade, then downgrade
//! — every document version stays retrievable — and a fresh link by CIN. Run with `LANDING_GUIDE=1 -- --nocapture` to print the exchanges
//! (docs/guide/feat-landing.md was written from them).

use serde_json::{json, Value};
use time::Duration;

use super::{get_url, new_subscription, plan_change, submit_new, CIN};
use crate::support::{seed, Answer, TestApp};

fn show(step: &str, answer: &Answer) {
    if std::env::var_os("LANDING_GUIDE").is_some() {
        let body = if answer.header("content-type").as_deref() == Some("application/pdf") {
            format!("<{} bytes of PDF>", answer.body.len())
        } else {
            serde_json::to_string_pretty(&answer.json()).unwrap()
        };
        println!("--- {step}: {}\n{body}", answer.status);
    }
}

#[actix_web::test]
async fn subscribe_then_upgrade_then_downgrade_keeping_every_document_version() {
    let app = TestApp::new().await;
    let basic = seed::offer(&app, "MOB-100", "mobile", 10_000);
    let premium = seed::offer(&app, "MOB-200", "mobile", 20_000);
    let light = seed::offer(&app, "MOB-50", "mobile", 5_000);

    // P7 — the offers, and a draft of the form saved, then updated.
    let bootstrap = app.get("/landing/bootstrap").send().await;
    show("GET /landing/bootstrap", &bootstrap);
    let draft = app
        .post("/landing/drafts")
        .json(&json!({"payload": {"step": "offer", "offer_id": basic}}))
        .send()
        .await;
    show("POST /landing/drafts", &draft);
    let draft_id = draft.json()["draft_id"].as_str().unwrap().to_owned();
    let updated = app
        .put(&format!("/landing/drafts/{draft_id}"))
        .json(&json!({"payload": {"step": "client", "offer_id": basic, "first_name": "Hajar"}}))
        .send()
        .await;
    show("PUT /landing/drafts/{draft_id}", &updated);
    updated.assert_status(200);

    // P8.2 — subscribe, finishing the draft.
    let mut request = new_subscription(&basic);
    request["draft_id"] = json!(draft_id);
    let subscribed = submit_new(&app, "9b1f6c1e-new", &request).await;
    show("POST /landing/submit/new", &subscribed);
    subscribed.assert_status(201);
    let contract = subscribed.json()["contract_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // P8.3–4 — download the contract PDF.
    let first_url = subscribed.json()["document_download_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let v1 = get_url(&app, &first_url).await;
    show("GET document_download_url", &v1);
    v1.assert_status(200);

    // P9.1 — verify the CIN.
    app.clock.advance(Duration::days(2)); // 2026-03-12
    let verified = app
        .post("/landing/clients/verify-cin")
        .json(&json!({"cin": CIN}))
        .send()
        .await;
    show("POST /landing/clients/verify-cin", &verified);
    let token = verified.json()["lookup_token"].as_str().unwrap().to_owned();

    // P9.2 — subscriptions and eligible offers.
    let listed = app
        .get(&format!(
            "/landing/clients/{CIN}/subscriptions?lookup_token={token}"
        ))
        .send()
        .await;
    show("GET /landing/clients/{cin}/subscriptions", &listed);
    let item = listed.json()["items"][0].clone();
    let directions: Vec<(String, String)> = item["eligible_offers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["offer"]["code"].as_str().unwrap().into(),
                e["direction"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        directions,
        vec![
            ("MOB-50".into(), "downgrade".into()),
            ("MOB-200".into(), "upgrade".into())
        ]
    );

    // P9.3 — upgrade from 2026-04-01: the commitment restarts there.
    let body = |target: &str, date: &str| -> Value {
        json!({"cin": CIN, "lookup_token": token, "contract_id": contract,
               "target_offer_id": target, "contract_start_date": date})
    };
    let upgraded = plan_change(&app, "c7e0-upgrade", &body(&premium, "2026-04-01")).await;
    show("POST /landing/submit/plan-change (upgrade)", &upgraded);
    upgraded.assert_status(200);
    let up = upgraded.json();
    assert_eq!(up["direction"], "upgrade");
    assert_eq!(up["previous_offer_id"], basic.as_str());
    assert_eq!(up["offer_id"], premium.as_str());
    assert_eq!(up["contract_start_date"], "2026-04-01");
    assert_eq!(up["commitment_end_date"], "2027-04-01");
    assert_eq!(up["document_version"], 2);

    // … then a downgrade from 2026-05-01.
    let downgraded = plan_change(&app, "c7e0-downgrade", &body(&light, "2026-05-01")).await;
    show("POST /landing/submit/plan-change (downgrade)", &downgraded);
    downgraded.assert_status(200);
    let down = downgraded.json();
    assert_eq!(down["direction"], "downgrade");
    assert_eq!(down["previous_offer_id"], premium.as_str());
    assert_eq!(down["commitment_end_date"], "2027-05-01");
    assert_eq!(down["document_version"], 3);

    // P9.4 — the latest document, and every earlier version with the same token.
    let latest_url = down["document_download_url"].as_str().unwrap();
    let latest = get_url(&app, latest_url).await;
    show("GET document_download_url (latest)", &latest);
    let v2 = get_url(&app, &format!("{latest_url}&version=2")).await;
    let v1_again = get_url(&app, &format!("{latest_url}&version=1")).await;
    for answer in [&latest, &v2, &v1_again] {
        answer.assert_status(200);
        assert!(answer.body.starts_with(b"%PDF"));
    }
    assert_eq!(
        v1_again.body, v1.body,
        "a document, once produced, never changes"
    );
    assert_ne!(v2.body, latest.body);
    assert_ne!(v2.body, v1.body);
    assert_eq!(
        latest.header("content-disposition").as_deref(),
        Some("inline; filename=\"contract-v3.pdf\"")
    );
    // The first link still opens the contract (now its latest version).
    assert_eq!(get_url(&app, &first_url).await.body, latest.body);

    // P10 — a fresh link at any time, by CIN ownership.
    let link = app
        .post(&format!("/landing/contracts/{contract}/document-link"))
        .json(&json!({"cin": CIN}))
        .send()
        .await;
    show("POST /landing/contracts/{contract_id}/document-link", &link);
    let fresh = get_url(&app, link.json()["document_download_url"].as_str().unwrap()).await;
    assert_eq!(fresh.body, latest.body);

    // The offer history keeps every period, and the audit names the client.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contract_offer_periods WHERE contract_id = '{contract}' AND ( \
             (offer_id = '{basic}' AND start_date = '2026-03-15' AND end_date = '2026-04-01') OR \
             (offer_id = '{premium}' AND start_date = '2026-04-01' AND end_date = '2026-05-01') OR \
             (offer_id = '{light}' AND start_date = '2026-05-01' AND end_date IS NULL))"
        )),
        3
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contract_audit WHERE contract_id = '{contract}' \
             AND action = 'plan_changed' AND actor_id = 'landing:{CIN}'"
        )),
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM contracts WHERE id = '{contract}' AND offer_id = '{light}' \
             AND monthly_price = 5000 AND contract_start_date = '2026-05-01' \
             AND commitment_months = 12"
        )),
        1
    );
}
