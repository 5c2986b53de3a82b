//! The portal's embedded files and their content-hashed names.
//!
//! Each file is also served as `stem.<hash>.ext`, where the hash covers its own bytes and those
//! of every file it reaches through references: a changed module renames every module that
//! imports it, so a browser may keep any hashed file forever (`immutable`). References inside
//! the files (`from './dom.js'`, `/assets/styles.css"`) are rewritten to the hashed names, and
//! the page gets one `modulepreload` link per module, so the whole module graph is requested
//! in one round right after the page instead of one round per import depth.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::OnceLock;

use actix_web::web::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

/// One embedded file as written in `assets/`.
struct Source {
    /// Name under `/assets/`.
    name: &'static str,
    /// `Content-Type` it is served with.
    content_type: &'static str,
    /// Its bytes, compiled in.
    body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

/// The page itself.
const INDEX: Source = Source {
    name: "index.html",
    content_type: "text/html; charset=utf-8",
    body: include_bytes!("../../assets/index.html"),
};

/// Everything under `/assets/` (the page's modules, styles and icon). The page preloads the
/// modules in this order: what the first view (the catalog) needs comes first.
const SOURCES: &[Source] = &[
    Source {
        name: "styles.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../assets/styles.css"),
    },
    Source {
        name: "app.js",
        content_type: JS,
        body: include_bytes!("../../assets/app.js"),
    },
    Source {
        name: "dom.js",
        content_type: JS,
        body: include_bytes!("../../assets/dom.js"),
    },
    Source {
        name: "api.js",
        content_type: JS,
        body: include_bytes!("../../assets/api.js"),
    },
    Source {
        name: "format.js",
        content_type: JS,
        body: include_bytes!("../../assets/format.js"),
    },
    Source {
        name: "messages.js",
        content_type: JS,
        body: include_bytes!("../../assets/messages.js"),
    },
    Source {
        name: "catalog.js",
        content_type: JS,
        body: include_bytes!("../../assets/catalog.js"),
    },
    Source {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../assets/favicon.svg"),
    },
    Source {
        name: "session.js",
        content_type: JS,
        body: include_bytes!("../../assets/session.js"),
    },
    Source {
        name: "validate.js",
        content_type: JS,
        body: include_bytes!("../../assets/validate.js"),
    },
    Source {
        name: "otp.js",
        content_type: JS,
        body: include_bytes!("../../assets/otp.js"),
    },
    Source {
        name: "subscribe-steps.js",
        content_type: JS,
        body: include_bytes!("../../assets/subscribe-steps.js"),
    },
    Source {
        name: "subscribe.js",
        content_type: JS,
        body: include_bytes!("../../assets/subscribe.js"),
    },
    Source {
        name: "usage.js",
        content_type: JS,
        body: include_bytes!("../../assets/usage.js"),
    },
    Source {
        name: "account.js",
        content_type: JS,
        body: include_bytes!("../../assets/account.js"),
    },
];

/// A file as served: references rewritten to hashed names.
pub(super) struct Served {
    /// The name it was written under (`app.js`).
    pub name: &'static str,
    /// Its content-hashed name (`app.0123456789.js`).
    pub hashed: String,
    pub content_type: &'static str,
    pub body: Bytes,
    /// Strong ETag of `body`.
    pub etag: String,
    /// `body` gzipped at the best level, once (the middleware's on-the-fly level is the fastest).
    pub gzip: Bytes,
    /// Strong ETag of `gzip` (another representation, so another tag).
    pub gzip_etag: String,
}

/// Every served file, computed once per process.
pub(super) struct Files {
    pub index: Served,
    pub assets: Vec<Served>,
}

/// How an asset name was matched.
pub(super) enum Found<'a> {
    /// By its content-hashed name: the bytes behind that name never change.
    Hashed(&'a Served),
    /// By its plain name: the bytes change with each release.
    Plain(&'a Served),
}

impl Files {
    pub fn find(&self, name: &str) -> Option<Found<'_>> {
        self.assets.iter().find_map(|a| {
            if a.hashed == name {
                Some(Found::Hashed(a))
            } else if a.name == name {
                Some(Found::Plain(a))
            } else {
                None
            }
        })
    }
}

/// The served files (hashed names, rewritten references), built on first use.
pub(super) fn files() -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(build)
}

fn build() -> Files {
    let hashed: Vec<(&'static str, String)> = SOURCES
        .iter()
        .map(|s| (s.name, hashed_name(s.name, &closure_digest(s))))
        .collect();
    let rewrite = |body: &[u8]| -> String {
        let mut text = String::from_utf8_lossy(body).into_owned();
        for (name, new) in &hashed {
            for (before, after) in QUOTES {
                text = text.replace(
                    &format!("{before}{name}{after}"),
                    &format!("{before}{new}{after}"),
                );
            }
        }
        text
    };
    let assets = SOURCES
        .iter()
        .zip(&hashed)
        .map(|(s, (_, new))| served(s, new.clone(), rewrite(s.body)))
        .collect();
    let page = with_preloads(&rewrite(INDEX.body), &hashed);
    Files {
        index: served(&INDEX, INDEX.name.to_owned(), page),
        assets,
    }
}

fn served(source: &Source, hashed: String, text: String) -> Served {
    let body = Bytes::from(text.into_bytes());
    let gzip = Bytes::from(gzip(&body));
    Served {
        name: source.name,
        hashed,
        content_type: source.content_type,
        etag: etag(&body),
        gzip_etag: etag(&gzip),
        body,
        gzip,
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::best());
    // Writing to a Vec cannot fail; on the impossible error the file is served uncompressed
    // by the middleware instead, hence no panic here.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

/// How a file names another: a relative module import, or an absolute asset URL.
const QUOTES: [(&str, &str); 4] = [
    ("'./", "'"),
    ("\"./", "\""),
    ("\"/assets/", "\""),
    ("'/assets/", "'"),
];

/// The embedded files `body` refers to.
fn references(body: &[u8]) -> Vec<&'static Source> {
    let text = String::from_utf8_lossy(body);
    SOURCES
        .iter()
        .filter(|s| {
            QUOTES
                .iter()
                .any(|(before, after)| text.contains(&format!("{before}{}{after}", s.name)))
        })
        .collect()
}

/// `source` and every file it reaches, in name order (import cycles are fine).
fn reachable(source: &'static Source) -> BTreeSet<&'static str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![source];
    while let Some(next) = todo.pop() {
        if seen.insert(next.name) {
            todo.extend(references(next.body));
        }
    }
    seen
}

/// Digest over the names and bytes of `source` and everything it reaches.
fn closure_digest(source: &'static Source) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for name in reachable(source) {
        if let Some(file) = SOURCES.iter().find(|s| s.name == name) {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update((file.body.len() as u64).to_le_bytes());
            hasher.update(file.body);
        }
    }
    hasher.finalize().into()
}

/// `subscribe-steps.js` + digest → `subscribe-steps.<10 hex>.js`.
fn hashed_name(name: &str, digest: &[u8; 32]) -> String {
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hex}.{ext}"),
        None => format!("{name}.{hex}"),
    }
}

/// The page with a `modulepreload` link for every module its scripts reach, before `</head>`.
fn with_preloads(page: &str, hashed: &[(&'static str, String)]) -> String {
    let entries: Vec<&'static Source> = references(INDEX.body)
        .into_iter()
        .filter(|s| s.content_type == JS)
        .collect();
    let mut modules = BTreeSet::new();
    for entry in &entries {
        modules.extend(reachable(entry));
    }
    // The entry scripts are already requested by their own tags.
    for entry in &entries {
        modules.remove(entry.name);
    }
    let links: String = hashed
        .iter()
        .filter(|(name, _)| modules.contains(name))
        .map(|(_, new)| format!("  <link rel=\"modulepreload\" href=\"/assets/{new}\">\n"))
        .collect();
    match page.find("</head>") {
        Some(at) => format!("{}{links}{}", &page[..at], &page[at..]),
        None => page.to_owned(),
    }
}

/// Strong ETag: a quoted SHA-256 prefix of the bytes.
fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_module_the_page_imports_is_embedded() {
        // A module imported by the page but missing from SOURCES would 404 in the browser only.
        let names: Vec<&str> = SOURCES.iter().map(|a| a.name).collect();
        for file in std::iter::once(&INDEX).chain(SOURCES.iter()) {
            let text = String::from_utf8_lossy(file.body);
            for part in text
                .split("/assets/")
                .skip(1)
                .chain(text.split("from './").skip(1))
            {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                assert!(
                    names.contains(&name.as_str()),
                    "{} refers to missing {name}",
                    file.name
                );
            }
        }
    }

    #[test]
    fn served_files_refer_only_to_hashed_names() {
        let files = files();
        for file in std::iter::once(&files.index).chain(files.assets.iter()) {
            let text = String::from_utf8_lossy(&file.body);
            for source in SOURCES {
                for (before, after) in QUOTES {
                    let plain = format!("{before}{}{after}", source.name);
                    assert!(!text.contains(&plain), "{} still names {plain}", file.name);
                }
            }
        }
    }

    #[test]
    fn a_hash_covers_the_files_a_module_imports() {
        let app = SOURCES.iter().find(|s| s.name == "app.js").unwrap();
        let reached = reachable(app);
        for module in [
            "dom.js",
            "api.js",
            "catalog.js",
            "account.js",
            "usage.js",
            "subscribe-steps.js",
        ] {
            assert!(reached.contains(module), "app.js reaches {module}");
        }
        assert!(!reached.contains("styles.css"));
        let hashed = hashed_name("subscribe-steps.js", &closure_digest(app));
        assert!(hashed.starts_with("subscribe-steps.") && hashed.ends_with(".js"));
        assert_eq!(hashed.len(), "subscribe-steps..js".len() + 10);
    }

    #[test]
    fn the_page_preloads_every_module_once() {
        let page = String::from_utf8_lossy(&files().index.body).into_owned();
        for asset in files().assets.iter().filter(|a| a.content_type == JS) {
            let link = format!(
                "<link rel=\"modulepreload\" href=\"/assets/{}\">",
                asset.hashed
            );
            let expected = usize::from(asset.name != "app.js");
            assert_eq!(
                page.matches(&link).count(),
                expected,
                "{} preloaded",
                asset.name
            );
        }
        assert!(page.find("modulepreload") < page.find("</head>"));
    }

    #[test]
    fn etags_differ_between_files_and_are_quoted() {
        let assets = &files().assets;
        let a = &assets[0].etag;
        let b = &assets[1].etag;
        assert_ne!(a, b);
        assert!(a.starts_with('"') && a.ends_with('"') && a.len() == 26);
    }
}
