//! Endpoint secrets sealed with AES-256-GCM under the webhook key, and the making of new
//! `whsec_` secrets.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::error::{Error, Result};
use domain::webhooks::SecretCipher;
use rand::rngs::OsRng;
use rand::RngCore;

/// Random bytes of a new secret (Standard Webhooks asks for 24 to 64).
const SECRET_BYTES: usize = 32;
/// AES-GCM nonce length.
const NONCE_BYTES: usize = 12;

/// Seals and opens secrets under one 256-bit key.
pub struct AesSecretCipher {
    cipher: Aes256Gcm,
}

impl AesSecretCipher {
    /// A cipher under `key` (32 bytes).
    pub fn new(key: &[u8; 32]) -> Self {
        Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
        }
    }
}

impl SecretCipher for AesSecretCipher {
    fn new_secret(&self) -> String {
        let mut bytes = [0u8; SECRET_BYTES];
        OsRng.fill_bytes(&mut bytes);
        format!("whsec_{}", STANDARD.encode(bytes))
    }

    /// `nonce || ciphertext+tag`, a fresh random nonce each time.
    fn seal(&self, secret: &str) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), secret.as_bytes())
            .map_err(|_| Error::Storage("webhook secret could not be sealed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open(&self, sealed: &[u8]) -> Result<String> {
        if sealed.len() <= NONCE_BYTES {
            return Err(Error::Storage(
                "webhook secret: sealed value too short".into(),
            ));
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), body)
            .map_err(|_| {
                Error::Storage(
                    "webhook secret could not be opened: MTF_WEBHOOK_KEY differs from the key \
                     it was sealed with"
                        .into(),
                )
            })?;
        String::from_utf8(plain)
            .map_err(|_| Error::Storage("webhook secret: not UTF-8 once opened".into()))
    }
}

/// The 32-byte key from `MTF_WEBHOOK_KEY` (base64 or 64 hex digits).
pub fn parse_key(raw: &str) -> Option<[u8; 32]> {
    let raw = raw.trim();
    let bytes = if raw.len() == 64 && raw.chars().all(|c| c.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&raw[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?
    } else {
        STANDARD.decode(raw).ok()?
    };
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_under_its_key() {
        let cipher = AesSecretCipher::new(&[7; 32]);
        let secret = cipher.new_secret();
        assert!(secret.starts_with("whsec_"));
        assert_eq!(
            STANDARD.decode(&secret[6..]).map(|b| b.len()).ok(),
            Some(32)
        );
        let sealed = cipher.seal(&secret).unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"whsec_"));
        assert_eq!(cipher.open(&sealed).unwrap(), secret);
        assert_ne!(
            cipher.seal(&secret).unwrap(),
            sealed,
            "a fresh nonce each time"
        );
        assert!(AesSecretCipher::new(&[8; 32]).open(&sealed).is_err());
    }

    #[test]
    fn the_key_is_base64_or_hex_of_32_bytes() {
        assert_eq!(parse_key(&"ab".repeat(32)), Some([0xab; 32]));
        assert_eq!(parse_key(&STANDARD.encode([1u8; 32])), Some([1; 32]));
        assert_eq!(parse_key("short"), None);
        assert_eq!(parse_key(&STANDARD.encode([1u8; 16])), None);
    }
}
