//! Substring search with `LIKE`: escaping the user's text so `%` and `_` match themselves.

/// `text` with the `LIKE` wildcards `%`, `_` and the escape character `\` escaped (PostgreSQL's
/// default escape character is the backslash), ready to be wrapped in `'%' || … || '%'`.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn wildcards_and_the_escape_character_match_themselves() {
        assert_eq!(escape("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape("Benkirane"), "Benkirane");
    }
}
