//! `usage.allowance_threshold_reached`: once at 80 % and once at 100 % of an allowance.

use super::{ndjson, record, send_ndjson, usage_contract_of};
use crate::support::TestApp;

const LINE: &str = "+212611000004";
const EVENT: &str = "usage.allowance_threshold_reached";

fn events(app: &TestApp, percent: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) FROM events WHERE type = '{EVENT}' AND (data->>'percent')::int = {percent}"
    ))
}

#[actix_web::test]
async fn thresholds_fire_once_at_eighty_and_at_one_hundred_percent() {
    let app = TestApp::new().await;
    let (client, contract) = usage_contract_of(&app, "AB300001", LINE);
    // 1 h of calls: 2,879 s is under 80 %.
    let send = |id: &str, seconds: i64| {
        ndjson(&[record(id, LINE, "voice", "2026-04-10T08:00:00Z", seconds)])
    };
    send_ndjson(&app, send("t-1", 2_879))
        .await
        .assert_status(200);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM events WHERE type = '{EVENT}'"
        )),
        0
    );
    // One more second: exactly 80 %.
    send_ndjson(&app, send("t-2", 1)).await.assert_status(200);
    assert_eq!((events(&app, 80), events(&app, 100)), (1, 0));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM events WHERE type = '{EVENT}' \
             AND data->>'contract_id' = '{contract}' AND data->>'client_id' = '{client}' \
             AND data->>'period' = '2026-04' AND data->>'kind' = 'voice' \
             AND (data->>'used')::int8 = 2880 AND (data->>'included')::int8 = 3600"
        )),
        1
    );
    // More usage under 100 %, and the same record again: nothing new.
    send_ndjson(&app, send("t-3", 100)).await.assert_status(200);
    send_ndjson(&app, send("t-2", 1)).await.assert_status(200);
    assert_eq!((events(&app, 80), events(&app, 100)), (1, 0));
    // 100 %: fires once, and never again that month.
    send_ndjson(&app, send("t-4", 620)).await.assert_status(200);
    send_ndjson(&app, send("t-5", 600)).await.assert_status(200);
    assert_eq!((events(&app, 80), events(&app, 100)), (1, 1));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM usage_thresholds WHERE contract_id = '{contract}' \
             AND period = '2026-04' AND kind = 'voice'"
        )),
        2
    );
    // Another month starts again from nothing.
    let may = ndjson(&[record("t-6", LINE, "voice", "2026-05-10T08:00:00Z", 3_600)]);
    send_ndjson(&app, may).await.assert_status(200);
    assert_eq!((events(&app, 80), events(&app, 100)), (2, 2));
}

#[actix_web::test]
async fn one_batch_over_the_whole_allowance_fires_both_thresholds_and_unlimited_data_none() {
    let app = TestApp::new().await;
    usage_contract_of(&app, "AB300002", LINE);
    let body = ndjson(&[
        record("s-1", LINE, "sms", "2026-04-10T08:00:00Z", 150),
        record("d-1", LINE, "data", "2026-04-10T08:00:00Z", 1 << 39),
    ]);
    send_ndjson(&app, body).await.assert_status(200);
    assert_eq!((events(&app, 80), events(&app, 100)), (1, 1));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM events WHERE type = '{EVENT}' AND data->>'kind' <> 'sms'"
        )),
        0
    );
}
