//! Issue #21 over HTTP: a billing run rates the month's usage records (inserted here by SQL)
//! against the offer period's allowances, and the invoice shows the usage lines (JSON, PDF)
//! and what was used of what was included; a dry run previews the same amounts; a usage
//! line is credited like any line.

use serde_json::{json, Value};

use super::{World, FEBRUARY_EXCL, FEBRUARY_INVOICES, FEBRUARY_TAX};
use crate::support::pdf_text::text_of;

/// `full_month`'s period gets 1 h of calls, 10 SMS and unlimited data at 1.50 MAD a started
/// minute, 0.50 MAD an SMS; February brings 3,661 s of calls (61 s over: 2 minutes), 12 SMS
/// (2 over) and data, and a call of 1 March that February does not bill.
fn usage_world(w: &World) {
    w.app.sql(&format!(
        "UPDATE contract_offer_periods SET usage_terms = true, allowance_voice_seconds = 3600, \
           allowance_sms = 10, allowance_data_bytes = NULL, rate_voice_per_minute = 150, \
           rate_sms_each = 50, rate_data_per_mb = 10 WHERE contract_id = '{}'",
        w.full_month
    ));
    let record = |id: &str, kind: &str, at: &str, quantity: i64| {
        format!(
            "('{id}', '{c}', '+212600000001', '{kind}', '{at}', \
              ('{at}'::timestamptz AT TIME ZONE 'Africa/Casablanca')::date, {quantity}, \
              now())",
            c = w.full_month
        )
    };
    let mut rows = vec![
        record("cdr-v1", "voice", "2026-02-03T10:00:00Z", 3_000),
        record("cdr-v2", "voice", "2026-02-27T18:00:00Z", 661),
        record("cdr-d1", "data", "2026-02-05T08:00:00Z", 9_000_000_000),
        record("cdr-march", "voice", "2026-03-01T10:00:00Z", 6_000),
    ];
    for n in 0..12 {
        rows.push(record(
            &format!("cdr-s{n}"),
            "sms",
            "2026-02-11T09:00:00Z",
            1,
        ));
    }
    w.app.sql(&format!(
        "INSERT INTO usage_records (record_id, contract_id, service_identifier, kind, \
           started_at, usage_date, quantity, received_at) VALUES {}",
        rows.join(", ")
    ));
}

const USAGE_EXCL: i64 = 300 + 100;
const USAGE_TAX: i64 = 60 + 20;

#[actix_web::test]
async fn a_run_bills_usage_beyond_the_allowances_after_the_subscription_line() {
    let w = World::new().await;
    usage_world(&w);
    let preview = w
        .run(
            "feb-dry",
            json!({"period": "2026-02", "issue_date": "2026-03-01", "dry_run": true}),
        )
        .await;
    preview.assert_status(201);
    let preview = preview.json();
    assert_eq!(preview["invoice_count"], FEBRUARY_INVOICES);
    assert_eq!(preview["totals"]["excl_tax"], FEBRUARY_EXCL + USAGE_EXCL);
    assert_eq!(preview["totals"]["tax"], FEBRUARY_TAX + USAGE_TAX);
    let run = w.bill_february().await;
    assert_eq!(
        run["totals"], preview["totals"],
        "the dry run gives the same amounts"
    );

    let invoice = w.invoice_of(&w.full_month).await;
    let invoice = w.invoice(invoice["id"].as_str().unwrap()).await;
    let lines: Vec<Value> = invoice["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            json!([
                l["position"],
                l["kind"],
                l["usage_kind"],
                l["description"],
                l["quantity"],
                l["unit_price"],
                l["amount_excl_tax"],
                l["tax_amount"],
                l["start_date"],
                l["end_date"]
            ])
        })
        .collect();
    assert_eq!(
        lines,
        [
            json!([
                1,
                "subscription",
                null,
                "Offre MOB-99 – février 2026",
                null,
                null,
                9_900,
                1_980,
                "2026-02-01",
                "2026-02-28"
            ]),
            json!([
                2,
                "usage",
                "voice",
                "Appels hors forfait : 2 min",
                2,
                150,
                300,
                60,
                "2026-02-01",
                "2026-02-28"
            ]),
            json!([
                3,
                "usage",
                "sms",
                "SMS hors forfait : 2 SMS",
                2,
                50,
                100,
                20,
                "2026-02-01",
                "2026-02-28"
            ]),
        ]
    );
    assert_eq!(invoice["total_excl_tax"], 9_900 + USAGE_EXCL);
    assert_eq!(
        invoice["usage"],
        json!([
            {"contract_id": w.full_month, "kind": "voice", "used": 3_661, "included": 3_600,
             "unit": "second"},
            {"contract_id": w.full_month, "kind": "sms", "used": 12, "included": 10,
             "unit": "message"},
            {"contract_id": w.full_month, "kind": "data", "used": 9_000_000_000_i64,
             "included": null, "unit": "byte"},
        ])
    );
    // A plan without terms: no usage, its lines are subscriptions.
    let plain = w.invoice_of(&w.plan_change).await;
    let plain = w.invoice(plain["id"].as_str().unwrap()).await;
    assert_eq!(plain["usage"], json!([]));
    assert!(plain["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["kind"] == "subscription" && l["quantity"].is_null()));

    let pdf = w
        .app
        .get(&format!(
            "/invoices/{}/pdf",
            invoice["id"].as_str().unwrap()
        ))
        .token(&w.billing)
        .send()
        .await;
    pdf.assert_status(200);
    let text = text_of(&pdf.body);
    assert!(text.contains("Appels hors forfait : 2 min"), "{text}");
    assert!(text.contains("SMS hors forfait : 2 SMS"), "{text}");
    for fact in [
        "Consommation",
        "Appels : 62 min utilisées / 60 min incluses",
        "SMS : 12 SMS utilisées / 10 SMS incluses",
        "Internet : 8,38 Go utilisées / illimité",
    ] {
        assert!(text.contains(fact), "{fact} in {text}");
    }
}

#[actix_web::test]
async fn a_disputed_usage_line_is_credited_like_any_line() {
    let w = World::new().await;
    usage_world(&w);
    w.bill_february().await;
    let id = w.invoice_id_of(&w.full_month).await;
    let note = w
        .credit(
            &id,
            json!({"reason": "Appels contestés", "lines": [{"position": 2, "amount_excl_tax": 300}]}),
        )
        .await
        .assert_status(201)
        .json();
    assert_eq!(
        note["lines"],
        json!([{"position": 2, "description": "Appels hors forfait : 2 min",
                "amount_excl_tax": 300, "tax_rate_bp": 2000, "tax_amount": 60,
                "amount_incl_tax": 360}])
    );
    let invoice = w.invoice(&id).await;
    assert_eq!(invoice["credited_amount"], 360);
    assert_eq!(
        invoice["outstanding"],
        9_900 + 1_980 + USAGE_EXCL + USAGE_TAX - 360
    );
}
