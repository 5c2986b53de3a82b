//! E-invoicing off (the default): today's behaviour exactly, no clearance anywhere.

use crate::billing::World;

#[actix_web::test]
async fn with_e_invoicing_off_invoices_have_no_clearance_and_are_offered_at_once() {
    let w = World::new().await;
    w.bill_february().await;
    let invoice = w.invoice_of(&w.full_month).await;
    assert!(invoice.get("clearance").is_none(), "{invoice}");
    let id = invoice["id"].as_str().unwrap();
    let one = w
        .app
        .get(&format!("/invoices/{id}"))
        .token(&w.billing)
        .send()
        .await;
    assert!(one.json().get("clearance").is_none());
    w.app
        .get(&format!("/invoices/{id}/pdf"))
        .token(&w.billing)
        .send()
        .await
        .assert_status(200);
    assert_eq!(w.app.count("SELECT count(*) FROM clearances"), 0);
    let status = w
        .app
        .get("/einvoicing/status")
        .token(&w.billing)
        .send()
        .await;
    status.assert_status(200);
    assert_eq!(status.json()["enabled"], false);
    assert_eq!(status.json()["counts"]["pending"], 0);
}
