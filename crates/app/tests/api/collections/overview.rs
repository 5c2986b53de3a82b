//! P15: the collections overview against hand-computed figures.

use serde_json::json;
use time::macros::date;

use super::fixtures::{case_in, collector, debtor, invoice_due};
use crate::support::{seed, TestApp};

#[actix_web::test]
async fn the_overview_matches_hand_computed_figures() {
    let app = TestApp::new().await;
    let token = collector(&app).await;
    // Today is 2026-03-10; days past due = today - due date.
    let d = debtor(&app, "600001");
    let e = debtor(&app, "600002");
    invoice_due(&app, &d, date!(2026 - 03 - 20), 10_000); // not due: outstanding only
    invoice_due(&app, &e, date!(2026 - 03 - 10), 1_000); // due today: not overdue
    let partly = invoice_due(&app, &d, date!(2026 - 03 - 09), 20_000); // 1 day
    app.sql(&format!(
        "UPDATE invoices SET amount_paid = 5000, status = 'partially_paid' WHERE id = '{partly}'"
    ));
    invoice_due(&app, &d, date!(2026 - 02 - 08), 3_000); // 30 days
    invoice_due(&app, &d, date!(2026 - 02 - 07), 4_000); // 31 days
    invoice_due(&app, &d, date!(2026 - 01 - 09), 5_000); // 60 days
    invoice_due(&app, &d, date!(2026 - 01 - 08), 6_000); // 61 days
    invoice_due(&app, &d, date!(2025 - 12 - 10), 7_000); // 90 days
    invoice_due(&app, &e, date!(2025 - 12 - 09), 8_000); // 91 days
    let paid = invoice_due(&app, &e, date!(2025 - 11 - 01), 9_000);
    app.sql(&format!(
        "UPDATE invoices SET amount_paid = 9000, status = 'paid' WHERE id = '{paid}'"
    ));
    let void = invoice_due(&app, &e, date!(2025 - 10 - 01), 9_500);
    app.sql(&format!(
        "UPDATE invoices SET status = 'void' WHERE id = '{void}'"
    ));
    for (amount, received) in [
        (5_000, "2026-03-01"),
        (1_200, "2026-03-10"),
        (999, "2026-02-28"),
    ] {
        app.sql(&format!(
            "INSERT INTO payments (id, client_id, amount, currency, method, reference, \
             received_at, unallocated_amount, actor_id, created_at, updated_at) VALUES \
             ('pay_{}', '{}', {amount}, 'MAD', 'cash', NULL, DATE '{received}', 0, 'system', \
             now(), now())",
            ulid::Ulid::new(),
            e.client_id
        ));
    }
    for status in ["open", "in_progress", "resolved", "resolved", "closed"] {
        let client = seed::client(&app, &format!("V{}", &ulid::Ulid::new().to_string()[20..]));
        case_in(&app, &client, status);
    }
    let viewer = app.actor_token(&["viewer"]).await;
    let answer = app.get("/collections/overview").token(&viewer).send().await;
    answer.assert_status(200);
    let body = answer.json();
    let d0_30 = 15_000 + 3_000;
    let d31_60 = 4_000 + 5_000;
    let d61_90 = 6_000 + 7_000;
    let d90_plus = 8_000;
    let overdue = d0_30 + d31_60 + d61_90 + d90_plus;
    assert_eq!(
        body,
        json!({
            "currency": "MAD",
            "as_of": "2026-03-10",
            "outstanding_total": overdue + 10_000 + 1_000,
            "overdue_total": overdue,
            "aging": {"d0_30": d0_30, "d31_60": d31_60, "d61_90": d61_90, "d90_plus": d90_plus},
            "cases_by_status": {"open": 1, "in_progress": 1, "promise_to_pay": 0,
                                "disputed": 0, "resolved": 2, "written_off": 0, "closed": 1},
            "collected_this_month": 6_200,
            "last_dunning_run_at": null
        })
    );
    let _ = token;
}

#[actix_web::test]
async fn an_empty_overview_is_all_zeros() {
    let app = TestApp::new().await;
    let body = app.get("/collections/overview").admin().send().await.json();
    assert_eq!(body["outstanding_total"], 0);
    assert_eq!(body["aging"]["d90_plus"], 0);
    assert_eq!(body["cases_by_status"]["written_off"], 0);
    assert_eq!(body["collected_this_month"], 0);
}
