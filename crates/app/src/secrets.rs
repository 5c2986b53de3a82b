//! The landing token secret: configured, or generated once and kept in the data folder.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::crypto::random_secret;

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
