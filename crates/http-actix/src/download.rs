//! Documents downloaded as files (contract and invoice PDFs, on the landing and internal).
//! Landing links carry their token in the URL, so every such answer keeps out of caches and
//! out of `Referer` headers; one helper so no download forgets a header.

use actix_web::http::header;
use actix_web::HttpResponse;

/// A PDF shown inline as `{name}.pdf`, never stored by a cache, never leaking its URL (and
/// so its token) through `Referer`.
pub fn pdf(name: &str, pdf: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(pdf)
}

/// A UBL document (`application/xml`) as the attachment `{name}.xml`, with the same privacy
/// headers as a PDF.
pub fn xml(name: &str, xml: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.xml\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_download_names_its_file_and_keeps_its_url_private() {
        let response = pdf("contract-v2", b"%PDF-1.4".to_vec());
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            header(header::CONTENT_TYPE).as_deref(),
            Some("application/pdf")
        );
        assert_eq!(
            header(header::CONTENT_DISPOSITION).as_deref(),
            Some("inline; filename=\"contract-v2.pdf\"")
        );
        assert_eq!(header(header::CACHE_CONTROL).as_deref(), Some("no-store"));
        assert_eq!(
            header(header::REFERRER_POLICY).as_deref(),
            Some("no-referrer")
        );
    }
}
