//! Small cryptographic adapters: bearer-token credentials (SHA-256), opaque signed landing
//! tokens and keyed hashes of one-time codes (HMAC-SHA256).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use domain::access::Credentials;
use domain::error::{Error, Result};
use domain::landing::OtpCodes;
use domain::tokens::{TokenPurpose, TokenService};
use domain::typed_ids::OtpChallengeId;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
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

/// Opaque tokens `base64url(nonce ‖ expiry) . base64url(HMAC(purpose ‖ subject ‖ nonce ‖
/// expiry))`, signed with a server secret. The subject (a CIN, a contract or invoice id) is
/// never inside: the caller supplies it at verification (it is in the URL), so a token read
/// from a log, a proxy or a browser history gives away no personal data.
#[derive(Clone)]
pub struct HmacTokens {
    secret: Vec<u8>,
}

/// Random part of a token: 128 bits from the OS source.
const NONCE_BYTES: usize = 16;
/// Expiry, Unix seconds, big-endian.
const EXPIRY_BYTES: usize = 8;

impl HmacTokens {
    /// Signs with `secret` (at least 32 bytes recommended).
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    fn mac(&self) -> Hmac<Sha256> {
        keyed(&self.secret)
    }

    /// The MAC of a token. Each variable-length part is length-prefixed so no two
    /// (purpose, subject) pairs sign the same bytes.
    fn sign(&self, purpose: TokenPurpose, subject: &str, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = self.mac();
        for part in [purpose.tag().as_bytes(), subject.as_bytes()] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.update(body);
        mac
    }
}

/// HMAC-SHA256 keyed with `secret`.
fn keyed(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable_key(),
    }
}

fn unreachable_key() -> Hmac<Sha256> {
    // Only reachable if the hmac crate stopped accepting arbitrary key sizes.
    #[allow(clippy::expect_used)]
    Hmac::<Sha256>::new_from_slice(&[0u8; 32]).expect("HMAC accepts a 32-byte key")
}

impl TokenService for HmacTokens {
    fn issue(&self, purpose: TokenPurpose, subject: &str, expires_at: OffsetDateTime) -> String {
        let mut body = [0u8; NONCE_BYTES + EXPIRY_BYTES];
        OsRng.fill_bytes(&mut body[..NONCE_BYTES]);
        body[NONCE_BYTES..].copy_from_slice(&expires_at.unix_timestamp().to_be_bytes());
        let signature = self.sign(purpose, subject, &body).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(body),
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
        let (body_b64, signature_b64) = token.split_once('.').ok_or(Error::Forbidden)?;
        let body = URL_SAFE_NO_PAD
            .decode(body_b64)
            .map_err(|_| Error::Forbidden)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| Error::Forbidden)?;
        if body.len() != NONCE_BYTES + EXPIRY_BYTES {
            return Err(Error::Forbidden);
        }
        // Constant-time comparison; a token of another purpose or subject fails here.
        self.sign(purpose, subject, &body)
            .verify_slice(&signature)
            .map_err(|_| Error::Forbidden)?;
        let mut expiry = [0u8; EXPIRY_BYTES];
        expiry.copy_from_slice(&body[NONCE_BYTES..]);
        if now.unix_timestamp() >= i64::from_be_bytes(expiry) {
            return Err(Error::Forbidden);
        }
        Ok(())
    }

    /// HMAC of `pseudonym|scope|value`, first 128 bits in hex: enough never to collide among
    /// the values counted, short enough for a bucket name. The `pseudonym` tag keeps these
    /// digests apart from token signatures made with the same secret (those begin with a
    /// binary length prefix, never with this ASCII tag).
    fn pseudonym(&self, scope: &str, value: &str) -> String {
        let mut mac = self.mac();
        mac.update(format!("pseudonym|{scope}|{value}").as_bytes());
        let mac = mac.finalize().into_bytes();
        hex(&mac[..16])
    }
}

/// One-time codes from the OS random source, stored as HMAC-SHA256 under the server secret
/// and bound to their challenge id: a stolen table row alone does not reveal a code without
/// the secret (six digits are too few to resist an unkeyed brute force).
#[derive(Clone)]
pub struct HmacOtpCodes {
    secret: Vec<u8>,
}

impl HmacOtpCodes {
    /// Hashes with `secret` (the token secret).
    pub fn new(secret: Vec<u8>) -> Self {
        Self { secret }
    }

    fn mac(&self, challenge_id: &str, code: &str) -> Hmac<Sha256> {
        let mut mac = keyed(&self.secret);
        mac.update(b"landing-otp\0");
        mac.update(challenge_id.as_bytes());
        mac.update(b"\0");
        mac.update(code.as_bytes());
        mac
    }
}

impl OtpCodes for HmacOtpCodes {
    fn generate(&self) -> String {
        format!("{:06}", OsRng.gen_range(0..1_000_000u32))
    }

    fn hash(&self, challenge_id: &OtpChallengeId, code: &str) -> String {
        hex(&self
            .mac(challenge_id.as_str(), code)
            .finalize()
            .into_bytes())
    }

    fn matches(&self, challenge_id: &OtpChallengeId, code: &str, stored_hash: &str) -> bool {
        let Some(stored) = unhex(stored_hash) else {
            return false;
        };
        self.mac(challenge_id.as_str(), code)
            .verify_slice(&stored)
            .is_ok()
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
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
    fn tokens_carry_no_subject_and_differ_each_time() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let a = tokens().issue(TokenPurpose::Lookup, "AB123456", now);
        let b = tokens().issue(TokenPurpose::Lookup, "AB123456", now);
        assert_ne!(a, b);
        for part in a.split('.') {
            let bytes = URL_SAFE_NO_PAD.decode(part).unwrap();
            assert!(!bytes.windows(8).any(|w| w == b"AB123456"));
        }
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(a.split('.').next().unwrap())
                .unwrap()
                .len(),
            24
        );
    }

    #[test]
    fn otp_codes_are_six_digits_hashed_per_challenge() {
        let codes = HmacOtpCodes::new(b"0123456789abcdef0123456789abcdef".to_vec());
        let code = codes.generate();
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        let (one, two) = (
            OtpChallengeId::from_stored("otp_1"),
            OtpChallengeId::from_stored("otp_2"),
        );
        let hash = codes.hash(&one, &code);
        assert!(!hash.contains(&code));
        assert!(codes.matches(&one, &code, &hash));
        assert!(!codes.matches(&two, &code, &hash));
        let other = if code == "000000" { "000001" } else { "000000" };
        assert!(!codes.matches(&one, other, &hash));
        assert!(!codes.matches(&one, &code, "zz"));
        let foreign = HmacOtpCodes::new(b"another secret of thirty-two byte".to_vec());
        assert!(!foreign.matches(&one, &code, &hash));
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
