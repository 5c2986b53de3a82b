//! JSON parsing that refuses an object naming the same key twice, at any depth. serde_json
//! keeps the last value silently, so `{"amount": 1, "amount": 9}` would mean different things
//! to a proxy or log reader (first wins) and to this server (last wins). Parsed in one pass
//! into a `serde_json::Value`, the duplicate check costs one map lookup per key.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Marker of the error raised for a duplicate, followed by the key's path and a backtick.
const DUPLICATE: &str = "duplicate key `";

/// Why a body is not an acceptable JSON document.
#[derive(Debug, PartialEq, Eq)]
pub enum StrictJsonError {
    /// Not JSON at all (the parser's message).
    Malformed(String),
    /// This key (`client.cin`, `lines.0.amount`) appears twice in its object.
    DuplicateKey(String),
}

/// Parses `bytes` as one JSON document, refusing duplicate keys.
pub fn parse(bytes: &[u8]) -> Result<Value, StrictJsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = Node { path: None }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|error| {
        let message = error.to_string();
        match message
            .strip_prefix(DUPLICATE)
            .and_then(|rest| rest.split_once('`'))
        {
            Some((path, _)) if error.is_data() => StrictJsonError::DuplicateKey(path.to_owned()),
            _ => StrictJsonError::Malformed(message),
        }
    })
}

/// One step of the path from the document's root.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A position in the document, linked to its parent (built only on the stack).
struct Path<'a> {
    step: Step<'a>,
    parent: Option<&'a Path<'a>>,
}

impl Path<'_> {
    /// `a.b.0.c`, root first.
    fn render(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(match path.step {
                Step::Key(key) => key.to_owned(),
                Step::Index(i) => i.to_string(),
            });
            at = path.parent;
        }
        steps.reverse();
        steps.join(".")
    }
}

/// The value at `path`.
#[derive(Clone, Copy)]
struct Node<'a> {
    path: Option<&'a Path<'a>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let path = Path {
                step: Step::Index(items.len()),
                parent: self.path,
            };
            match seq.next_element_seed(Node { path: Some(&path) })? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let path = Path {
                step: Step::Key(&key),
                parent: self.path,
            };
            if map.contains_key(&key) {
                return Err(A::Error::custom(format!("{DUPLICATE}{}`", path.render())));
            }
            let value = access.next_value_seed(Node { path: Some(&path) })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_without_duplicates_parse_as_serde_json_does() {
        let text = r#"{"a": [1, -2, 1.5, "x", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        let expected: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text.as_bytes()), Ok(expected));
        assert_eq!(parse(b"12"), Ok(Value::from(12)));
    }

    #[test]
    fn duplicate_keys_are_found_at_any_depth_with_their_path() {
        assert_eq!(
            parse(br#"{"amount": 1, "amount": 9}"#),
            Err(StrictJsonError::DuplicateKey("amount".into()))
        );
        assert_eq!(
            parse(br#"{"client": {"cin": "A1", "cin": "B2"}}"#),
            Err(StrictJsonError::DuplicateKey("client.cin".into()))
        );
        assert_eq!(
            parse(br#"{"lines": [{"a": 1}, {"a": 1, "a": 2}]}"#),
            Err(StrictJsonError::DuplicateKey("lines.1.a".into()))
        );
        // The same key in sibling objects is no duplicate.
        assert!(parse(br#"[{"a": 1}, {"a": 2}]"#).is_ok());
    }

    #[test]
    fn malformed_documents_keep_the_parser_message() {
        for bad in [
            &b"{"[..],
            b"{\"a\": 1} x",
            b"",
            b"{\"duplicate key `a`\": }",
        ] {
            assert!(matches!(parse(bad), Err(StrictJsonError::Malformed(_))));
        }
    }
}
