//! The PDF of a cleared document prints its clearance reference and verification code, and
//! a QR code of that code: read back from the drawing and compared module by module.

use qrcode::{Color, EcLevel, QrCode};

use super::World;
use crate::support::pdf_text::text_of;

/// The QR code drawn in `pdf`: each dark run is two 1-pt horizontal strokes, one point
/// apart, 2 pt per module. Returns the dark modules as (row, column) from the top left.
fn drawn_modules(pdf: &[u8]) -> Vec<(i64, i64)> {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let mut strokes: Vec<(f64, f64, f64)> = Vec::new();
    for page in document.get_pages().values() {
        let content = document.get_page_content(*page).unwrap();
        let content = lopdf::content::Content::decode(&content).unwrap();
        let mut start: Option<(f64, f64)> = None;
        for operation in &content.operations {
            let number = |i: usize| -> f64 {
                match &operation.operands[i] {
                    lopdf::Object::Integer(n) => *n as f64,
                    lopdf::Object::Real(r) => *r,
                    other => panic!("{other:?}"),
                }
            };
            match operation.operator.as_str() {
                "m" => start = Some((number(0), number(1))),
                "l" => {
                    if let Some((x0, y0)) = start {
                        let (x1, y1) = (number(0), number(1));
                        if (y0 - y1).abs() < 1e-3 && x1 > x0 {
                            strokes.push((x0, x1, y0));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // QR strokes come in pairs: the same run one point lower.
    let mut tops: Vec<(f64, f64, f64)> = strokes
        .iter()
        .filter(|(x0, x1, y)| {
            strokes.iter().any(|(a0, a1, b)| {
                (a0 - x0).abs() < 1e-3 && (a1 - x1).abs() < 1e-3 && (y - b - 1.0).abs() < 1e-2
            })
        })
        .copied()
        .collect();
    tops.sort_by(|a, b| b.2.total_cmp(&a.2));
    let left = tops.iter().map(|t| t.0).fold(f64::MAX, f64::min);
    let top = tops.iter().map(|t| t.2).fold(f64::MIN, f64::max);
    let mut modules = Vec::new();
    for (x0, x1, y) in tops {
        // The upper stroke of each module row lies an even number of points below the first
        // row's; the lower one of a row may pair with the upper one of the next: skipped.
        let rows = (top - y) / 2.0;
        if (rows - rows.round()).abs() > 0.1 {
            continue;
        }
        let row = rows.round() as i64;
        let first = ((x0 - left) / 2.0).round() as i64;
        let end = ((x1 - left) / 2.0).round() as i64;
        modules.extend((first..end).map(|column| (row, column)));
    }
    modules.sort_unstable();
    modules
}

fn expected_modules(code: &str) -> Vec<(i64, i64)> {
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M).unwrap();
    let width = qr.width();
    let colors = qr.to_colors();
    let mut modules = Vec::new();
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            modules.push(((i / width) as i64, (i % width) as i64));
        }
    }
    modules
}

fn verification_code(w: &World, id: &str) -> String {
    use diesel::{QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Code {
        #[diesel(sql_type = diesel::sql_types::Text)]
        verification_code: String,
    }
    let mut conn = w.app.db.connect();
    diesel::sql_query(format!(
        "SELECT verification_code FROM clearances WHERE document_id = '{id}'"
    ))
    .get_result::<Code>(&mut conn)
    .unwrap()
    .verification_code
}

#[actix_web::test]
async fn a_cleared_invoice_prints_its_reference_and_the_qr_code_of_its_verification_code() {
    let w = World::new().await;
    let invoice = w.bill_february().await;
    let id = invoice["id"].as_str().unwrap().to_owned();
    w.submit_due();
    let reference = w.invoice(&id).await["clearance"]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = verification_code(&w, &id);
    let answer = w.invoice_pdf(&id).await;
    answer.assert_status(200);
    let text = text_of(&answer.body);
    assert!(text.contains("Validation DGI"), "{text}");
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains(&code), "{text}");
    assert_eq!(drawn_modules(&answer.body), expected_modules(&code));
    // Served unchanged ever after.
    assert_eq!(w.invoice_pdf(&id).await.body, answer.body);
}
