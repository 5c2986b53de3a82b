//! Posts one delivery with awc: Standard Webhooks headers, a time-out, no redirects, the
//! host rules applied to every resolved address, and a bounded read of the answer.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use awc::http::header;
use awc::Client;
use domain::webhooks::{address_allowed, DeliveryOutcome, DueDelivery};

use super::signature::sign;

/// Largest envelope posted: an event bigger than this is a fault of ours, failed at once.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// Most of an answer's body read (it is only drained, to reuse the connection).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// How the sender behaves.
#[derive(Debug, Clone, Copy)]
pub struct SenderSettings {
    /// Whole request time-out, connection included (`MTF_WEBHOOK_TIMEOUT_SECS`, default 10).
    pub timeout: Duration,
    /// `MTF_WEBHOOK_ALLOW_PRIVATE`: internal addresses allowed.
    pub allow_private: bool,
}

/// An awc client for deliveries: no redirects (a 3xx is a failed attempt), no default
/// headers beyond the user agent. Not `Send`: one per worker task.
pub fn client(settings: &SenderSettings) -> Client {
    Client::builder()
        .disable_redirects()
        .timeout(settings.timeout)
        .add_default_header((header::USER_AGENT, "MT-Facturation-Webhooks/1"))
        .finish()
}

/// Sends `delivery` once and says how it went, with the time it took.
pub async fn send(
    client: &Client,
    settings: &SenderSettings,
    delivery: &DueDelivery,
    timestamp: i64,
) -> DeliveryOutcome {
    let started = Instant::now();
    let outcome = attempt(client, settings, delivery, timestamp).await;
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match outcome {
        Ok(status) if (200..300).contains(&status) => DeliveryOutcome::Delivered {
            status_code: status,
            latency_ms,
        },
        Ok(status) => DeliveryOutcome::Failed {
            status_code: Some(status),
            latency_ms,
            error: format!("answered {status}"),
        },
        Err(error) => DeliveryOutcome::Failed {
            status_code: None,
            latency_ms,
            error,
        },
    }
}

async fn attempt(
    client: &Client,
    settings: &SenderSettings,
    delivery: &DueDelivery,
    timestamp: i64,
) -> Result<i32, String> {
    if delivery.payload.len() > MAX_PAYLOAD_BYTES {
        return Err(format!("payload larger than {MAX_PAYLOAD_BYTES} bytes"));
    }
    let address = resolve(delivery, settings.allow_private).await?;
    let signature = sign(
        &delivery.secrets,
        &delivery.event_id,
        timestamp,
        delivery.payload.as_bytes(),
    );
    let request = client
        .post(delivery.url.as_str())
        // The address checked above, so a second resolution cannot lead elsewhere (DNS
        // rebinding); the URL's host still names the site (Host header, TLS SNI).
        .address(address)
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header(("webhook-id", delivery.event_id.as_str()))
        .insert_header(("webhook-timestamp", timestamp.to_string()))
        .insert_header(("webhook-signature", signature));
    let mut response = request
        .send_body(delivery.payload.clone())
        .await
        .map_err(|e| describe(&e))?;
    let status = i32::from(response.status().as_u16());
    // Drained so the connection can be kept; an over-long or broken answer body does not
    // change the outcome, which the status decided.
    let _ = response.body().limit(MAX_ANSWER_BYTES).await;
    Ok(status)
}

/// The first address of the URL's host that the host rules allow; every address must pass
/// (a name that resolves to an internal address among public ones is refused).
async fn resolve(delivery: &DueDelivery, allow_private: bool) -> Result<SocketAddr, String> {
    let host = delivery.url.host();
    let port = delivery.url.port();
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("could not resolve {host}: {e}"))?
        .collect();
    if addresses.is_empty() {
        return Err(format!("could not resolve {host}"));
    }
    if let Some(refused) = addresses
        .iter()
        .find(|a| !address_allowed(a.ip(), allow_private))
    {
        return Err(format!(
            "address refused: {host} resolves to {}, an internal address",
            refused.ip()
        ));
    }
    Ok(addresses[0])
}

fn describe(error: &awc::error::SendRequestError) -> String {
    use awc::error::SendRequestError;
    match error {
        SendRequestError::Timeout => "timed out".to_owned(),
        SendRequestError::Connect(e) => format!("connection failed: {e}"),
        other => format!("request failed: {other}"),
    }
}
