//! The platform unavailable, then back: the document stays pending, is submitted again
//! after the backoff (not before), and is cleared once the platform answers.

use time::Duration;

use super::World;

#[actix_web::test]
async fn an_unavailable_platform_is_retried_after_the_backoff_until_it_clears() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    w.simulator.set_unavailable(true);
    assert_eq!(w.submit_due(), 1);
    let waiting = w.invoice(&id).await;
    assert_eq!(waiting["clearance"]["status"], "pending");
    assert_eq!(waiting["clearance"]["attempts"], 1);
    let status = w.status().await;
    assert_eq!(status["counts"]["pending"], 1);
    assert_eq!(status["last_error"]["document_id"], id.as_str());
    assert!(status["last_error"]["error"]
        .as_str()
        .unwrap()
        .contains("unavailable"));
    assert_eq!(status["oldest_pending"]["attempts"], 1);
    w.invoice_pdf(&id)
        .await
        .assert_problem(409, "document_not_cleared");

    // Not due before the backoff (30 s after the first attempt).
    w.app.clock.advance(Duration::seconds(29));
    assert_eq!(w.submit_due(), 0);
    w.app.clock.advance(Duration::seconds(1));
    assert_eq!(w.submit_due(), 1, "due again after 30 s");
    assert_eq!(w.invoice(&id).await["clearance"]["attempts"], 2);
    // The second failure waits twice as long.
    w.app.clock.advance(Duration::seconds(59));
    assert_eq!(w.submit_due(), 0);
    w.simulator.set_unavailable(false);
    w.app.clock.advance(Duration::seconds(1));
    assert_eq!(w.submit_due(), 1);
    let cleared = w.invoice(&id).await;
    assert_eq!(cleared["clearance"]["status"], "cleared");
    assert_eq!(cleared["clearance"]["attempts"], 3);
    assert_eq!(w.simulator.submitted().len(), 3);
    w.invoice_pdf(&id).await.assert_status(200);
}
