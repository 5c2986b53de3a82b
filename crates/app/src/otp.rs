//! Adapters of the `OtpSender` port: a development sender that writes the code to the log,
//! and an HTTP SMS-gateway sender (decision 0112).

use std::time::Duration;

use domain::error::{Error, Result};
use domain::landing::{OtpChannel, OtpMessage, OtpSender};
use serde::Serialize;

/// Writes each code to the log at INFO instead of sending it. For development and tests
/// only: anyone who reads the log can confirm any challenge.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogOtpSender;

impl OtpSender for LogOtpSender {
    fn supports(&self, _channel: OtpChannel) -> bool {
        true
    }

    fn send(&self, message: &OtpMessage) -> Result<()> {
        let id = &message.challenge_id;
        let code = &message.code;
        let masked = &message.masked_destination;
        // The portal's end-to-end test reads this exact line; keep its fields and text.
        tracing::info!(challenge_id = %id, code = %code, destination = %masked, "landing one-time code (development sender)");
        Ok(())
    }
}

/// Posts `{"to": "+2126…", "text": "…"}` as JSON to an SMS gateway. SMS only: a client
/// without a mobile line on file gets `otp_no_destination`.
#[derive(Debug, Clone)]
pub struct HttpSmsSender {
    url: String,
    authorization: Option<String>,
    agent: ureq::Agent,
}

/// The gateway's request body.
#[derive(Debug, Serialize)]
struct SmsRequest<'a> {
    to: &'a str,
    text: &'a str,
}

/// A gateway that does not answer within this is treated as down: the caller is waiting.
const GATEWAY_TIMEOUT: Duration = Duration::from_secs(10);

impl HttpSmsSender {
    /// Sends to `url`, with `Authorization: Bearer <token>` when a token is given.
    pub fn new(url: String, bearer_token: Option<String>) -> Self {
        Self {
            url,
            authorization: bearer_token.map(|t| format!("Bearer {t}")),
            agent: ureq::AgentBuilder::new()
                .timeout(GATEWAY_TIMEOUT)
                .redirects(0)
                .build(),
        }
    }
}

impl OtpSender for HttpSmsSender {
    fn supports(&self, channel: OtpChannel) -> bool {
        channel == OtpChannel::Sms
    }

    fn send(&self, message: &OtpMessage) -> Result<()> {
        if message.channel != OtpChannel::Sms {
            return Err(Error::Unavailable(
                "the SMS gateway sends text messages only".into(),
            ));
        }
        let body = serde_json::to_string(&SmsRequest {
            to: &message.to,
            text: &message.text,
        })
        .map_err(|e| Error::Storage(format!("SMS request: {e}")))?;
        let mut request = self
            .agent
            .post(&self.url)
            .set("Content-Type", "application/json");
        if let Some(value) = &self.authorization {
            request = request.set("Authorization", value);
        }
        match request.send_string(&body) {
            Ok(_) => {
                tracing::info!(challenge_id = %message.challenge_id, destination = %message.masked_destination, "landing one-time code sent by SMS");
                Ok(())
            }
            // The cause goes to the log (without the code); the client sees 503.
            Err(ureq::Error::Status(status, _)) => {
                tracing::warn!(status, challenge_id = %message.challenge_id, "SMS gateway refused the message");
                Err(Error::Unavailable(format!("SMS gateway answered {status}")))
            }
            Err(error) => {
                tracing::warn!(error = %error, challenge_id = %message.challenge_id, "SMS gateway unreachable");
                Err(Error::Unavailable("SMS gateway unreachable".into()))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use actix_web::{web, App, HttpResponse, HttpServer};
    use std::sync::{Arc, Mutex};

    fn message(channel: OtpChannel) -> OtpMessage {
        OtpMessage {
            challenge_id: "otp_1".into(),
            channel,
            to: "+212612345678".into(),
            masked_destination: "06••••••78".into(),
            code: "123456".into(),
            text: "code 123456".into(),
        }
    }

    /// A gateway on 127.0.0.1 that records what it receives and answers `status`.
    async fn gateway(status: u16) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
        let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        let shared = seen.clone();
        let server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new().route(
                "/sms",
                web::post().to(move |req: actix_web::HttpRequest, body: String| {
                    let shared = shared.clone();
                    async move {
                        let auth = req
                            .headers()
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned();
                        shared.lock().expect("lock").push((auth, body));
                        HttpResponse::build(
                            actix_web::http::StatusCode::from_u16(status).expect("status"),
                        )
                        .finish()
                    }
                }),
            )
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .expect("bind");
        let address = server.addrs()[0];
        actix_web::rt::spawn(server.run());
        (format!("http://{address}/sms"), seen)
    }

    #[actix_web::test]
    async fn the_gateway_receives_the_number_and_text_as_json() {
        let (url, seen) = gateway(200).await;
        let sender = HttpSmsSender::new(url, Some("gw-token".into()));
        let sent = web::block(move || sender.send(&message(OtpChannel::Sms)))
            .await
            .expect("join");
        assert!(sent.is_ok());
        let seen = seen.lock().expect("lock").clone();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, "Bearer gw-token");
        let body: serde_json::Value = serde_json::from_str(&seen[0].1).expect("json");
        assert_eq!(
            body,
            serde_json::json!({"to": "+212612345678", "text": "code 123456"})
        );
    }

    #[actix_web::test]
    async fn a_refusing_or_absent_gateway_is_unavailable_and_e_mail_is_not_its_channel() {
        let (url, _) = gateway(500).await;
        let sender = HttpSmsSender::new(url, None);
        assert!(!sender.supports(OtpChannel::Email));
        let refused = web::block(move || {
            (
                sender.send(&message(OtpChannel::Sms)),
                sender.send(&message(OtpChannel::Email)),
            )
        })
        .await
        .expect("join");
        assert!(matches!(refused.0, Err(Error::Unavailable(_))));
        assert!(matches!(refused.1, Err(Error::Unavailable(_))));
        let absent = HttpSmsSender::new("http://127.0.0.1:9/sms".into(), None);
        let down = web::block(move || absent.send(&message(OtpChannel::Sms)))
            .await
            .expect("join");
        assert!(matches!(down, Err(Error::Unavailable(_))));
    }

    #[test]
    fn the_log_sender_accepts_every_channel() {
        assert!(LogOtpSender.supports(OtpChannel::Email));
        assert!(LogOtpSender.send(&message(OtpChannel::Sms)).is_ok());
    }
}
