//! Small cryptographic adapters: bearer-token credentials (SHA-256) and signed landing tokens
//! (HMAC-SHA256).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::access::Credentials;
use domain::error::{Error, Result};
use domain::tokens::{TokenPurpose, TokenService};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Random 256-bit bearer tokens, stored as their SHA-256 (tokens are high-entropy, so a
/// fast hash is enough; no password stretching needed).
#[derive(Debug, Default, Clone, Copy)]
pub struct Sha256Credentials;

impl Credentials for Sha256Credentials {
    fn generate_token(&self) -> String {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        format!("mtf_{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    fn hash_token(&self, token: &str) -> String {
        hex(&Sha256::digest(token.as_bytes()))
    }
}

/// Tokens `base64url(purpose|subject|expiry).base64url(hmac)`, signed with a server secret.
#[derive(Clone)]
pub struct HmacTokens {
    secret: Vec<u8>,
}

impl HmacTokens {
    /// Signs with `secret` (at least 32 bytes recommended).
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    fn sign(&self, payload: &[u8]) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.secret) {
            Ok(mac) => mac,
            Err(_) => unreachable_key(),
        };
        mac.update(payload);
        mac
    }
}

fn unreachable_key() -> Hmac<Sha256> {
    // Only reachable if the hmac crate stopped accepting arbitrary key sizes.
    #[allow(clippy::expect_used)]
    Hmac::<Sha256>::new_from_slice(&[0u8; 32]).expect("HMAC accepts a 32-byte key")
}

impl TokenService for HmacTokens {
    fn issue(&self, purpose: TokenPurpose, subject: &str, expires_at: OffsetDateTime) -> String {
        let payload = format!(
            "{}|{}|{}",
            purpose.tag(),
            subject,
            expires_at.unix_timestamp()
        );
        let signature = self.sign(payload.as_bytes()).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(signature)
        )
    }

    fn verify(
        &self,
        token: &str,
        purpose: TokenPurpose,
        subject: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (payload_b64, signature_b64) = token.split_once('.').ok_or(Error::Forbidden)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload_b64)
            .map_err(|_| Error::Forbidden)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| Error::Forbidden)?;
        // Constant-time comparison of the signature.
        self.sign(&payload)
            .verify_slice(&signature)
            .map_err(|_| Error::Forbidden)?;
        let text = String::from_utf8(payload).map_err(|_| Error::Forbidden)?;
        let mut parts = text.splitn(3, '|');
        let (Some(tag), Some(signed_subject), Some(expiry)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::Forbidden);
        };
        let expiry: i64 = expiry.parse().map_err(|_| Error::Forbidden)?;
        if tag != purpose.tag() || signed_subject != subject || now.unix_timestamp() >= expiry {
            return Err(Error::Forbidden);
        }
        Ok(())
    }

    /// HMAC of `pseudonym|scope|value`, first 128 bits in hex: enough never to collide among
    /// the values counted, short enough for a bucket name. The `pseudonym` tag keeps these
    /// digests apart from token signatures made with the same secret.
    fn pseudonym(&self, scope: &str, value: &str) -> String {
        let payload = format!("pseudonym|{scope}|{value}");
        let mac = self.sign(payload.as_bytes()).finalize().into_bytes();
        hex(&mac[..16])
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes, hex-encoded: a fresh token-signing secret.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn tokens() -> HmacTokens {
        HmacTokens::new(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn pseudonyms_are_stable_keyed_and_scoped() {
        let a = tokens().pseudonym("cin", "AB123456");
        assert_eq!(a, tokens().pseudonym("cin", "AB123456"));
        assert_eq!(a.len(), 32);
        assert!(!a.contains("AB123456"));
        assert_ne!(a, tokens().pseudonym("address", "AB123456"));
        assert_ne!(a, tokens().pseudonym("cin", "AB123457"));
        let other_key = HmacTokens::new(b"another secret, another digest!!".to_vec());
        assert_ne!(a, other_key.pseudonym("cin", "AB123456"));
    }

    #[test]
    fn a_token_opens_only_its_purpose_and_subject_until_expiry() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let t = tokens().issue(
            TokenPurpose::Lookup,
            "AB123456",
            now + Duration::minutes(15),
        );
        assert!(tokens()
            .verify(&t, TokenPurpose::Lookup, "AB123456", now)
            .is_ok());
        assert!(tokens()
            .verify(&t, TokenPurpose::Lookup, "AB123457", now)
            .is_err());
        assert!(tokens()
            .verify(&t, TokenPurpose::ContractDocument, "AB123456", now)
            .is_err());
        let later = now + Duration::minutes(15);
        assert!(tokens()
            .verify(&t, TokenPurpose::Lookup, "AB123456", later)
            .is_err());
    }

    #[test]
    fn tampered_or_foreign_tokens_are_refused() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let t = tokens().issue(
            TokenPurpose::InvoiceDocument,
            "inv_1",
            now + Duration::days(7),
        );
        let mut tampered = t.clone();
        tampered.replace_range(0..1, if t.starts_with('a') { "b" } else { "a" });
        assert!(tokens()
            .verify(&tampered, TokenPurpose::InvoiceDocument, "inv_1", now)
            .is_err());
        let other = HmacTokens::new(b"another secret of thirty-two byte".to_vec());
        assert!(other
            .verify(&t, TokenPurpose::InvoiceDocument, "inv_1", now)
            .is_err());
        assert!(tokens()
            .verify("garbage", TokenPurpose::InvoiceDocument, "inv_1", now)
            .is_err());
    }

    #[test]
    fn credentials_hash_deterministically_and_tokens_differ() {
        let c = Sha256Credentials;
        let a = c.generate_token();
        assert_ne!(a, c.generate_token());
        assert_eq!(c.hash_token(&a), c.hash_token(&a));
        assert_eq!(c.hash_token("x").len(), 64);
    }
}
