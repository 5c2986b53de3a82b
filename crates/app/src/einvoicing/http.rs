//! The DGI platform over HTTP: POSTs each submission's UBL to `MTF_EINVOICING_URL` with a
//! time-out and no redirects; `http_mapping` holds what is sent and how answers read.
//! Blocking (ureq), as the port is: the worker runs on the blocking pool (decision 0314).

use std::io::Read;
use std::time::Duration;

use domain::clock::Clock;
use domain::einvoicing::{Submission, TaxAuthority, Verdict};
use std::sync::Arc;

use super::http_mapping::{self, MAX_ANSWER_BYTES};

/// The HTTP adapter of the `TaxAuthority` port.
pub struct HttpTaxAuthority {
    url: String,
    authorization: Option<String>,
    agent: ureq::Agent,
    clock: Arc<dyn Clock>,
}

impl HttpTaxAuthority {
    /// Submits to `url` (with `Authorization: Bearer <token>` when given), each submission
    /// bounded by `timeout`, connection included.
    pub fn new(
        url: String,
        bearer_token: Option<String>,
        timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            url,
            authorization: bearer_token.map(|t| format!("Bearer {t}")),
            agent: ureq::AgentBuilder::new()
                .timeout(timeout)
                .redirects(0)
                .user_agent("MT-Facturation-Einvoicing/1")
                .build(),
            clock,
        }
    }
}

impl TaxAuthority for HttpTaxAuthority {
    fn submit(&self, submission: &Submission) -> Verdict {
        let mut request = self.agent.post(&self.url);
        for (name, value) in http_mapping::headers(submission) {
            request = request.set(name, &value);
        }
        if let Some(value) = &self.authorization {
            request = request.set("Authorization", value);
        }
        let (status, response) = match request.send_bytes(&submission.ubl) {
            Ok(response) => (response.status(), response),
            // 4xx and 5xx come back as errors in ureq; their body still tells the verdict.
            Err(ureq::Error::Status(status, response)) => (status, response),
            Err(ureq::Error::Transport(error)) => {
                return Verdict::Unavailable {
                    error: format!("the platform could not be reached: {error}"),
                }
            }
        };
        let mut body = String::new();
        if let Err(error) = response
            .into_reader()
            .take(MAX_ANSWER_BYTES)
            .read_to_string(&mut body)
        {
            return Verdict::Unavailable {
                error: format!("answered {status}, then the body failed: {error}"),
            };
        }
        http_mapping::verdict(status, &body, self.clock.now())
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use actix_web::{web, App, HttpResponse, HttpServer};
    use domain::clock::SystemClock;
    use domain::einvoicing::DocumentKind;
    use std::sync::Mutex;
    use time::macros::date;

    type Seen = Arc<Mutex<Vec<(String, String, Vec<u8>)>>>;

    /// A platform on 127.0.0.1 that records what it receives and answers `status` `body`.
    async fn platform(status: u16, answer: &'static str) -> (String, Seen) {
        let seen: Seen = Arc::default();
        let shared = seen.clone();
        let server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new().route(
                "/clearance",
                web::post().to(move |req: actix_web::HttpRequest, body: web::Bytes| {
                    let shared = shared.clone();
                    async move {
                        let header = |name: &str| {
                            req.headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned()
                        };
                        shared.lock().expect("lock").push((
                            header("authorization"),
                            header("idempotency-key"),
                            body.to_vec(),
                        ));
                        HttpResponse::build(
                            actix_web::http::StatusCode::from_u16(status).expect("status"),
                        )
                        .content_type("application/json")
                        .body(answer)
                    }
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .expect("bind");
        let address = server.addrs()[0];
        actix_web::rt::spawn(server.run());
        (format!("http://{address}/clearance"), seen)
    }

    fn submission() -> Submission {
        Submission {
            kind: DocumentKind::Invoice,
            document_id: "inv_1".into(),
            number: "FAC-2026-000001".into(),
            issue_date: date!(2026 - 03 - 01),
            total_incl_tax: 11_880,
            currency: "MAD".into(),
            seller_ice: "001234567000089".into(),
            ubl: b"<Invoice/>".to_vec(),
        }
    }

    fn authority(url: String) -> HttpTaxAuthority {
        HttpTaxAuthority::new(
            url,
            Some("dgi-token".into()),
            Duration::from_secs(5),
            Arc::new(SystemClock),
        )
    }

    #[actix_web::test]
    async fn the_ubl_is_posted_with_the_token_and_the_document_id_as_key() {
        let (url, seen) = platform(
            200,
            r#"{"status":"cleared","reference":"DGI-9","verification_code":"V9"}"#,
        )
        .await;
        let client = authority(url);
        let verdict = web::block(move || client.submit(&submission()))
            .await
            .expect("join");
        assert!(matches!(verdict, Verdict::Cleared { ref reference, .. } if reference == "DGI-9"));
        let seen = seen.lock().expect("lock").clone();
        assert_eq!(
            seen,
            [(
                "Bearer dgi-token".to_owned(),
                "inv_1".to_owned(),
                b"<Invoice/>".to_vec()
            )]
        );
    }

    #[actix_web::test]
    async fn a_refusal_is_a_rejection_and_a_down_platform_is_unavailable() {
        let (url, _) = platform(422, r#"{"reasons":["total faux"]}"#).await;
        let client = authority(url);
        let rejected = web::block(move || client.submit(&submission()))
            .await
            .expect("join");
        assert_eq!(
            rejected,
            Verdict::Rejected {
                reasons: vec!["total faux".into()]
            }
        );
        let absent = authority("http://127.0.0.1:9/clearance".into());
        let down = web::block(move || absent.submit(&submission()))
            .await
            .expect("join");
        assert!(matches!(down, Verdict::Unavailable { .. }));
    }
}
