//! The landing token secret: configured, or generated once and kept in the data folder.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::crypto::random_secret;

/// The webhook key: `MTF_WEBHOOK_KEY` when set (checked by the configuration), else 32
/// random bytes stored in `data_dir/webhook_key` (hex, owner-only), created on first use so
/// stored endpoint secrets stay readable across restarts.
pub fn webhook_key(configured: Option<[u8; 32]>, data_dir: &Path) -> std::io::Result<[u8; 32]> {
    if let Some(key) = configured {
        return Ok(key);
    }
    let path = data_dir.join("webhook_key");
    if let Ok(existing) = fs::read_to_string(&path) {
        if let Some(key) = crate::webhooks::cipher::parse_key(&existing) {
            return Ok(key);
        }
        return Err(std::io::Error::other(format!(
            "{} does not hold a 32-byte key (64 hex digits)",
            path.display()
        )));
    }
    fs::create_dir_all(data_dir)?;
    let mut key = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
    match write_private(&path, crate::crypto::hex(&key).as_bytes()) {
        Ok(()) => Ok(key),
        // Another instance made it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let existing = fs::read_to_string(&path)?;
            crate::webhooks::cipher::parse_key(&existing)
                .ok_or_else(|| std::io::Error::other("webhook_key being written; start again"))
        }
        Err(e) => Err(e),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    // create_new: two instances starting together on one data folder cannot both write.
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

/// `configured`, else the secret stored in `data_dir/token_secret`, created on first use
/// (owner-only permissions) so tokens stay valid across restarts.
pub fn token_secret(configured: Option<&str>, data_dir: &Path) -> std::io::Result<Vec<u8>> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join("token_secret");
    if let Ok(existing) = fs::read_to_string(&path) {
        let existing = existing.trim();
        if !existing.is_empty() {
            return Ok(existing.as_bytes().to_vec());
        }
    }
    fs::create_dir_all(data_dir)?;
    let secret = random_secret();
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&path)?.write_all(secret.as_bytes())?;
    Ok(secret.into_bytes())
}
