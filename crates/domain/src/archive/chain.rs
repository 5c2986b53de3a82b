//! The chain rule (decision 0321): each document's chain hash covers the previous one's, its
//! own document hashes and its number, so changing, removing or reordering any sealed
//! document changes every chain hash after it.

use sha2::{Digest as _, Sha256};

/// A SHA-256 value.
pub type Digest = [u8; 32];

/// What the first document of a series links to.
pub const GENESIS: Digest = [0; 32];

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Digest {
    Sha256::digest(bytes).into()
}

/// The chain hash of a document: SHA-256(previous chain hash ‖ PDF hash ‖ UBL hash, when the
/// series has UBL ‖ the document's label, UTF-8).
pub fn link(previous: &Digest, pdf: &Digest, ubl: Option<&Digest>, label: &str) -> Digest {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(pdf);
    if let Some(ubl) = ubl {
        hasher.update(ubl);
    }
    hasher.update(label.as_bytes());
    hasher.finalize().into()
}
