//! Links handed to clients (`document_download_url`): a path by default, an absolute URL on
//! `MTF_PUBLIC_BASE_URL` when the operator sets it (decision 0193), so a link copied into a
//! mail or an SMS opens on the public address whatever host the request came through.

use actix_web::{web, HttpRequest};

use crate::network::HttpSettings;

/// The public origin (and optional path prefix) links are built on: an absolute `http` or
/// `https` URL without query, fragment or user information, stored without its final `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicBaseUrl(String);

impl PublicBaseUrl {
    /// Parses `MTF_PUBLIC_BASE_URL`; the reason when it is not a usable base.
    pub fn parse(text: &str) -> Result<PublicBaseUrl, &'static str> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let rest = ["https://", "http://"]
            .iter()
            .find_map(|scheme| lower.strip_prefix(scheme).map(|_| &text[scheme.len()..]))
            .ok_or("expected an absolute http:// or https:// URL")?;
        if text.contains(['?', '#']) {
            return Err("expected no query or fragment");
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("expected no spaces or control characters");
        }
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() || authority.starts_with(':') {
            return Err("expected a host");
        }
        if authority.contains('@') {
            return Err("expected no user information");
        }
        Ok(PublicBaseUrl(text.trim_end_matches('/').to_owned()))
    }

    /// The base, without a final `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The public base URL of the server answering `req`, if the operator set one.
pub fn link_base(req: &HttpRequest) -> Option<PublicBaseUrl> {
    req.app_data::<web::Data<HttpSettings>>()
        .and_then(|settings| settings.public_base_url.clone())
}

/// `path` (absolute, from `/api/v1/…`) as the client should see it: on the public base URL
/// when one is set, unchanged otherwise.
pub fn public_link(base: Option<&PublicBaseUrl>, path: &str) -> String {
    match base {
        Some(base) => format!("{}{path}", base.as_str()),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_is_an_absolute_http_url_without_query_or_fragment() {
        for (text, base) in [
            ("https://espace.operateur.ma", "https://espace.operateur.ma"),
            (
                "https://espace.operateur.ma/",
                "https://espace.operateur.ma",
            ),
            ("HTTP://127.0.0.1:8080/mtf/", "HTTP://127.0.0.1:8080/mtf"),
        ] {
            assert_eq!(PublicBaseUrl::parse(text).map(|b| b.0), Ok(base.to_owned()));
        }
        for bad in [
            "espace.operateur.ma",
            "ftp://espace.operateur.ma",
            "https://",
            "https:///path",
            "https://espace.operateur.ma/?a=1",
            "https://espace.operateur.ma/#top",
            "https://user@espace.operateur.ma",
            "https://espace operateur.ma",
        ] {
            assert!(PublicBaseUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
