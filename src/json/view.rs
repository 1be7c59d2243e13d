//! A borrowed view of a token segment's JSON, for verification's hot path: the same strict rules
//! as [`super::parse_object`] (an object at the top, no duplicate member names, depth at most
//! [`super::MAX_DEPTH`]), but names and strings without escapes point into the input instead of
//! being copied, numbers are kept as the `f64` JavaScript reads, and objects are plain vectors
//! rather than ordered maps. Verification only reads a few members and hands the JSON text itself
//! on, so building a `serde_json::Value` tree was most of its JSON cost.
//!
//! ```
//! use jwtward::json::view::{parse_object_view, JsonView};
//! let header = parse_object_view(r#"{"alg":"ES256","kid":"k1"}"#)?;
//! assert_eq!(header.get("alg").and_then(JsonView::as_str), Some("ES256"));
//! assert!(parse_object_view(r#"{"a":1,"a":2}"#).is_err()); // duplicate member
//! # Ok::<(), String>(())
//! ```

use super::{deeper, duplicate_member};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

/// One JSON value, borrowing from the text it was parsed from where it can.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonView<'a> {
    Null,
    Bool(bool),
    /// Every JSON number as JavaScript's `JSON.parse` would read it.
    Number(f64),
    String(Cow<'a, str>),
    Array(Vec<JsonView<'a>>),
    Object(ObjectView<'a>),
}

impl<'a> JsonView<'a> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonView::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A JSON object's members in the order they were written; names are unique.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectView<'a> {
    members: Vec<(Cow<'a, str>, JsonView<'a>)>,
}

impl<'a> ObjectView<'a> {
    /// The member called `name`. A linear search: a token's objects have a handful of members,
    /// and a hostile one is bounded by the token size limit.
    #[inline] // every claim check: the slim module is built with a low inline threshold, which hints still pass
    pub fn get(&self, name: &str) -> Option<&JsonView<'a>> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The members in the order they were written.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &JsonView<'a>)> {
        self.members.iter().map(|(n, v)| (n.as_ref(), v))
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// The names of one object seen so far, to refuse a repeated one as soon as it appears (where
/// the `Map` parser refuses it, so both report the same error). Pairwise while the object is
/// small; from the 16th member on, a set, so thousands of members cost n log n, not n².
#[derive(Default)]
struct SeenNames<'a> {
    large: Option<BTreeSet<Cow<'a, str>>>,
}

impl<'a> SeenNames<'a> {
    // Takes the `Cow` itself, not `&str`: the set keeps a clone, which for a borrowed name is
    // a pointer, not a copy of the text.
    #[allow(clippy::ptr_arg)]
    fn repeats(&mut self, members: &[(Cow<'a, str>, JsonView<'a>)], name: &Cow<'a, str>) -> bool {
        if members.len() < 16 {
            return members.iter().any(|(n, _)| n == name);
        }
        let set = self.large.get_or_insert_with(|| members.iter().map(|(n, _)| n.clone()).collect());
        !set.insert(name.clone())
    }
}

/// Parses `text` as a JSON object under the strict rules of [`super::parse_object`], with the
/// same error messages.
pub fn parse_object_view(text: &str) -> Result<ObjectView<'_>, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed { depth: 0 }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    match value {
        JsonView::Object(object) => Ok(object),
        _ => Err("not a JSON object".to_owned()),
    }
}

struct Seed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = JsonView<'de>;
    #[inline] // the parse of every token's header and payload: see ObjectView::get
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<JsonView<'de>, D::Error> {
        d.deserialize_any(ViewVisitor { depth: self.depth })
    }
}

/// A member name, borrowed when it has no escapes.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(NameVisitor)
    }
}

struct NameVisitor;

impl<'de> Visitor<'de> for NameVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

struct ViewVisitor {
    depth: usize,
}

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = JsonView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<JsonView<'de>, E> {
        Ok(JsonView::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<JsonView<'de>, E> {
        Ok(JsonView::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<JsonView<'de>, E> {
        Ok(JsonView::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonView<'de>, E> {
        // serde_json never yields a non-finite number from text; kept as the Map parser has it.
        if v.is_finite() {
            Ok(JsonView::Number(v))
        } else {
            Err(E::custom("number out of range"))
        }
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<JsonView<'de>, E> {
        Ok(JsonView::String(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<JsonView<'de>, E> {
        Ok(JsonView::String(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<JsonView<'de>, E> {
        Ok(JsonView::String(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<JsonView<'de>, E> {
        Ok(JsonView::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonView<'de>, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed { depth: deeper(self.depth)? })? {
            out.push(v);
        }
        Ok(JsonView::Array(out))
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonView<'de>, A::Error> {
        let mut members = Vec::with_capacity(8);
        let mut seen = SeenNames::default();
        while let Some(name) = access.next_key_seed(Name)? {
            let value = access.next_value_seed(Seed { depth: deeper(self.depth)? })?;
            if seen.repeats(&members, &name) {
                return Err(duplicate_member(&name));
            }
            members.push((name, value));
        }
        Ok(JsonView::Object(ObjectView { members }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_object, MAX_DEPTH};
    use super::*;

    /// The view and the `serde_json` parser must accept and refuse exactly the same texts, with
    /// the same messages: decode (the `Map`) and verify (the view) must never disagree.
    #[test]
    fn agrees_with_the_map_parser() {
        let deep_ok = format!("{{\"a\":{}{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        let deep_bad = format!("{{\"a\":{}{}}}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let many: String = (0..40).map(|i| format!("\"m{i}\":{i},")).collect();
        let many_dup = format!("{{{many}\"m7\":0}}");
        let many_ok = format!("{{{many}\"end\":0}}");
        let cases = [
            r#"{"a":1}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":{"b":1,"b":1}}"#,
            r#"{"a":[{"x":1,"x":1}]}"#,
            r#"{"\u0061":1,"a":2}"#,
            r#"{"a":1} x"#,
            r#"{"a":"\ud800"}"#,
            r#"{"a":1e400}"#,
            r#"{"a":-0,"b":1.5e3,"c":12345678901234567890,"d":-9223372036854775809}"#,
            "[1]",
            "1",
            "null",
            "",
            "{",
            r#"{"a":"é\n","b":"\u00e9"}"#,
            "\u{feff}{}",
            &deep_ok,
            &deep_bad,
            &many_dup,
            &many_ok,
        ];
        for text in cases {
            let map = parse_object(text.as_bytes());
            let view = parse_object_view(text);
            assert_eq!(map.as_ref().err(), view.as_ref().err(), "{text}");
            if let (Ok(map), Ok(view)) = (map, view) {
                assert_eq!(map.len(), view.len(), "{text}");
                for (name, value) in &map {
                    let seen = view.get(name).unwrap_or_else(|| panic!("{name} missing in {text}"));
                    match (value, seen) {
                        (serde_json::Value::Number(n), JsonView::Number(m)) => assert_eq!(n.as_f64(), Some(*m)),
                        (serde_json::Value::String(s), JsonView::String(t)) => assert_eq!(s, t),
                        (serde_json::Value::Object(_), JsonView::Object(_))
                        | (serde_json::Value::Array(_), JsonView::Array(_)) => {}
                        other => panic!("{text}: {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn borrows_plain_strings_and_keeps_order() {
        let text = r#"{"z":"plain","a":"esc\"aped"}"#;
        let view = parse_object_view(text).unwrap();
        assert!(matches!(view.get("z"), Some(JsonView::String(Cow::Borrowed("plain")))));
        assert!(matches!(view.get("a"), Some(JsonView::String(Cow::Owned(s))) if s == "esc\"aped"));
        assert_eq!(view.members.first().map(|(n, _)| n.as_ref()), Some("z"));
    }
}
