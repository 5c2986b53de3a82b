//! Clearance on: a run's invoices wait `pending`, are offered nowhere until the worker has
//! them cleared, then carry the authority's reference.

use super::World;

#[actix_web::test]
async fn a_runs_invoices_wait_pending_and_are_offered_once_cleared() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    let number = invoice["invoice_number"].as_str().unwrap().to_owned();
    // The list and the invoice itself show the clearance.
    assert_eq!(invoice["clearance"]["status"], "pending");
    assert_eq!(invoice["clearance"]["attempts"], 0);
    assert_eq!(invoice["clearance"]["reference"], serde_json::Value::Null);
    assert_eq!(w.invoice(&id).await["clearance"]["status"], "pending");
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM clearances WHERE status = 'pending'"),
        1
    );
    // Not offered while pending: the operator's PDF, no link in the client's landing list,
    // and a link made some other way is refused.
    w.invoice_pdf(&id)
        .await
        .assert_problem(409, "document_not_cleared");
    let item = w.landing_item(&id).await;
    assert_eq!(item["clearance_status"], "pending");
    assert_eq!(item["document_download_url"], serde_json::Value::Null);
    assert_eq!(item["document_expires_at"], serde_json::Value::Null);
    w.app
        .get(&w.direct_link(&id))
        .send()
        .await
        .assert_problem(409, "document_not_cleared");
    assert_eq!(w.app.count("SELECT count(*) FROM invoice_documents"), 0);

    assert_eq!(w.submit_due(), 1);
    assert_eq!(w.simulator.submitted(), std::slice::from_ref(&number));
    let cleared = w.invoice(&id).await;
    let clearance = &cleared["clearance"];
    assert_eq!(clearance["status"], "cleared");
    assert_eq!(clearance["attempts"], 1);
    assert!(clearance["reference"]
        .as_str()
        .unwrap()
        .starts_with("SIM-2026-"));
    assert_eq!(clearance["cleared_at"], "2026-03-10T09:00:00Z");
    assert_eq!(clearance["reasons"], serde_json::json!([]));
    w.invoice_pdf(&id).await.assert_status(200);
    let item = w.landing_item(&id).await;
    assert_eq!(item["clearance_status"], "cleared");
    assert_eq!(item["document_expires_at"], "2026-03-17T09:00:00Z");
    let link = w.landing_link(&id).await;
    w.app.get(&link).send().await.assert_status(200);
    assert_eq!(w.submit_due(), 0, "nothing more is due");
}

#[actix_web::test]
async fn the_status_counts_by_status_and_names_the_oldest_waiting_document() {
    let w = World::new().await;
    let empty = w.status().await;
    assert_eq!(empty["enabled"], true);
    assert_eq!(
        empty["counts"],
        serde_json::json!({"pending": 0, "submitted": 0, "cleared": 0, "rejected": 0})
    );
    assert_eq!(empty["oldest_pending"], serde_json::Value::Null);
    let invoice = w.bill_february().await;
    let status = w.status().await;
    assert_eq!(status["counts"]["pending"], 1);
    assert_eq!(status["oldest_pending"]["document_type"], "invoice");
    assert_eq!(status["oldest_pending"]["document_id"], invoice["id"]);
    assert_eq!(
        status["oldest_pending"]["number"],
        invoice["invoice_number"]
    );
    assert_eq!(status["oldest_pending"]["attempts"], 0);
    w.submit_due();
    let after = w.status().await;
    assert_eq!(after["counts"]["cleared"], 1);
    assert_eq!(after["counts"]["pending"], 0);
    assert_eq!(after["oldest_pending"], serde_json::Value::Null);
}

#[actix_web::test]
async fn the_status_is_for_billing_viewers_and_admins_only() {
    let w = World::new().await;
    let viewer = w.app.actor_token(&["viewer"]).await;
    let agent = w.app.actor_token(&["agent"]).await;
    for token in [&viewer, &w.billing, &crate::support::ADMIN_TOKEN.to_owned()] {
        w.app
            .get("/einvoicing/status")
            .token(token)
            .send()
            .await
            .assert_status(200);
    }
    w.app
        .get("/einvoicing/status")
        .token(&agent)
        .send()
        .await
        .assert_problem(403, "forbidden");
    w.app
        .get("/einvoicing/status")
        .send()
        .await
        .assert_status(401);
}

#[actix_web::test]
async fn two_workers_never_submit_the_same_document() {
    let w = World::new().await;
    w.bill("2026-01", "2026-02-01").await;
    w.bill("2026-02", "2026-03-01").await;
    // A second instance's worker over the same database and simulator, at the same time.
    let other = w.worker.clone();
    let mine = w.worker.clone();
    let (a, b) = std::thread::scope(|scope| {
        let first = scope.spawn(move || mine.run_round().unwrap());
        let second = scope.spawn(move || other.run_round().unwrap());
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_eq!(a + b, 2, "each document claimed once");
    let mut submitted = w.simulator.submitted();
    submitted.sort();
    submitted.dedup();
    assert_eq!(submitted.len(), 2);
    assert_eq!(
        w.app
            .count("SELECT count(*) FROM clearances WHERE status = 'cleared' AND attempts = 1"),
        2
    );
}
