//! Strict JSON for token segments: a JSON object at the top, no duplicate member names
//! (RFC 7515 section 5.2 lets us reject them, and accepting them lets two parsers disagree
//! about what a token says), and a bounded nesting depth so hostile input cannot recurse deep.

pub mod view;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// The deepest nesting of arrays and objects accepted in a header or payload.
pub const MAX_DEPTH: usize = 32;

/// Parses `bytes` as a JSON object under the strict rules above. The error text says what
/// was wrong and where, without echoing the input.
///
/// ```
/// use jwtward::json::parse_object;
/// assert!(parse_object(br#"{"a":1}"#).is_ok());
/// assert!(parse_object(br#"{"a":1,"a":2}"#).is_err()); // duplicate member
/// assert!(parse_object(b"[1]").is_err());              // not an object
/// ```
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Seed { depth: 0 }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("not a JSON object".to_owned()),
    }
}

/// The error for a repeated member name; the name is cut short, as it is untrusted.
fn duplicate_member<E: de::Error>(name: &str) -> E {
    E::custom(format!("duplicate member name {:?}", crate::alg::truncate(name, 40)))
}

/// The depth one level further in, or the error once that passes [`MAX_DEPTH`].
fn deeper<E: de::Error>(depth: usize) -> Result<usize, E> {
    if depth >= MAX_DEPTH {
        return Err(E::custom(format!("JSON nested deeper than {MAX_DEPTH} levels")));
    }
    Ok(depth + 1)
}

struct Seed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor { depth: self.depth })
    }
}

struct StrictVisitor {
    depth: usize,
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("number out of range"))
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
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed { depth: deeper(self.depth)? })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(Seed { depth: deeper(self.depth)? })?;
            // One lookup per member: the entry tells whether the name was seen before.
            match out.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(seen) => return Err(duplicate_member(seen.key())),
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_nested_duplicates_and_deep_nesting() {
        assert!(parse_object(br#"{"a":{"b":1,"b":1}}"#).unwrap_err().contains("duplicate"));
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse_object(deep.as_bytes()).unwrap_err().contains("nested"));
        let ok = format!("{{\"a\":{}{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse_object(ok.as_bytes()).is_ok());
    }

    #[test]
    fn rejects_trailing_data_invalid_utf8_and_lone_surrogates() {
        assert!(parse_object(br#"{"a":1} x"#).is_err());
        assert!(parse_object(b"{\"a\":\"\xff\"}").is_err());
        assert!(parse_object(br#"{"a":"\ud800"}"#).is_err());
        assert!(parse_object(b"\xef\xbb\xbf{}").is_err()); // BOM
    }
}
