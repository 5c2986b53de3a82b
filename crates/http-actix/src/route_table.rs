//! The API's routes as registered: for each path template, the methods its handlers take. The
//! 405 answers are computed from it, not from the served OpenAPI document, so what the
//! document says (its conventions, its wording) can never change how a request is routed.

use utoipa::openapi::path::{HttpMethod, PathItem};
use utoipa::openapi::Paths;

/// (path template segments, methods) of every registered handler.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    /// The routes `utoipa_actix_web` collected while the handlers were registered (each from
    /// its `#[get("…")]`-style route attribute, under its scopes' prefixes).
    pub fn registered(paths: &Paths) -> RouteTable {
        let routes = paths
            .paths
            .iter()
            .map(|(path, item)| (split(path), methods_of(item)))
            .collect();
        RouteTable { routes }
    }

    /// Methods accepted at `path`, if some route matches it. Like the router, a literal
    /// segment wins over a parameter: `/contracts/provision` is not a contract id.
    pub fn methods_for(&self, path: &str) -> Option<Vec<String>> {
        let segments = split(path);
        let matching: Vec<&(Vec<String>, Vec<String>)> = self
            .routes
            .iter()
            .filter(|(template, _)| matches(template, &segments))
            .collect();
        let fewest = matching.iter().map(|(t, _)| parameters(t)).min()?;
        let mut methods: Vec<String> = matching
            .into_iter()
            .filter(|(template, _)| parameters(template) == fewest)
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }
}

fn methods_of(item: &PathItem) -> Vec<String> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method_name(method).to_owned())
    .collect()
}

fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}

fn split(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_owned)
        .collect()
}

fn parameters(template: &[String]) -> usize {
    template.iter().filter(|t| t.starts_with('{')).count()
}

fn matches(template: &[String], segments: &[String]) -> bool {
    template.len() == segments.len()
        && template
            .iter()
            .zip(segments)
            .all(|(t, s)| (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s)
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{OperationBuilder, PathItem, PathsBuilder};

    use super::*;

    fn table(routes: &[(&str, HttpMethod)]) -> RouteTable {
        let paths = routes
            .iter()
            .fold(PathsBuilder::new(), |paths, (path, method)| {
                paths.path(
                    *path,
                    PathItem::new(method.clone(), OperationBuilder::new().build()),
                )
            })
            .build();
        RouteTable::registered(&paths)
    }

    #[test]
    fn methods_of_one_path_are_gathered_and_sorted() {
        let routes = table(&[
            ("/api/v1/offers/{offer_id}", HttpMethod::Put),
            ("/api/v1/offers/{offer_id}", HttpMethod::Get),
            ("/api/v1/offers/{offer_id}", HttpMethod::Delete),
        ]);
        assert_eq!(
            routes.methods_for("/api/v1/offers/ofr_1"),
            Some(vec!["DELETE".into(), "GET".into(), "PUT".into()])
        );
        assert_eq!(routes.methods_for("/api/v1/offers/"), None);
        assert_eq!(routes.methods_for("/api/v1/offers/ofr_1/x"), None);
    }

    #[test]
    fn a_literal_segment_wins_over_a_parameter() {
        let routes = table(&[
            ("/api/v1/contracts/provision", HttpMethod::Post),
            ("/api/v1/contracts/{contract_id}", HttpMethod::Get),
        ]);
        assert_eq!(
            routes.methods_for("/api/v1/contracts/provision"),
            Some(vec!["POST".into()])
        );
        assert_eq!(
            routes.methods_for("/api/v1/contracts/ctr_1"),
            Some(vec!["GET".into()])
        );
    }
}
