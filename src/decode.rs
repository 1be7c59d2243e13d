//! Splitting and decoding a compact JWS without checking its signature: the first stage of
//! verification, and on its own only for inspection (`decode` trusts nothing it returns).
//! Size is bounded before any decoding, there must be exactly three segments, every segment is
//! strict base64url, and the header and payload are strict JSON objects.

use crate::base64url;
use crate::error::{jws_invalid, jwt_invalid, Error, Result};
use crate::json;
use crate::json::view::ObjectView;
use serde_json::{Map, Value};

/// The default upper bound on a token's length in bytes, checked before any work.
pub const DEFAULT_MAX_TOKEN_SIZE: usize = 16 * 1024;

/// The three segments of a compact JWS, still encoded.
#[derive(Clone, Copy, Debug)]
pub struct Parts<'a> {
    pub header: &'a str,
    pub payload: &'a str,
    pub signature: &'a str,
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: &'a str,
}

/// Splits `token` into its segments after the size check. Empty header or payload segments are
/// malformed; an empty signature is left for the caller to judge (inspection may show it,
/// verification refuses it).
pub fn split(token: &str, max_size: usize) -> Result<Parts<'_>> {
    if token.is_empty() {
        return Err(jwt_invalid("token is empty"));
    }
    if token.len() > max_size {
        return Err(jwt_invalid(format!("token is {} bytes, more than the {max_size} allowed", token.len())));
    }
    check_no_surrounding_whitespace(token)?;
    let mut dots = token.match_indices('.').map(|(i, _)| i);
    let (first, second) = match (dots.next(), dots.next(), dots.next()) {
        (Some(a), Some(b), None) => (a, b),
        _ => {
            let segments = token.split('.').count();
            return Err(jws_invalid(format!(
                "a compact JWS has exactly three segments separated by '.', this one has {segments}"
            )));
        }
    };
    let parts = Parts {
        header: token.get(..first).unwrap_or_default(),
        payload: token.get(first + 1..second).unwrap_or_default(),
        signature: token.get(second + 1..).unwrap_or_default(),
        signing_input: token.get(..second).unwrap_or_default(),
    };
    if parts.header.is_empty() || parts.payload.is_empty() {
        return Err(jws_invalid("the header and payload segments must not be empty"));
    }
    Ok(parts)
}

/// Refuses a token with whitespace around it (a newline read from a file or a header, say),
/// as a token: no trimming, since what was signed is the exact text, but a message that names
/// the cause instead of "not valid base64url". Mirrored in pkg/src/decode.js.
fn check_no_surrounding_whitespace(token: &str) -> Result<()> {
    if token.ends_with(|c: char| c.is_ascii_whitespace()) {
        return Err(jws_invalid("the token ends with whitespace (a newline?); trim it before verifying"));
    }
    if token.starts_with(|c: char| c.is_ascii_whitespace()) {
        return Err(jws_invalid("the token starts with whitespace; trim it before verifying"));
    }
    Ok(())
}

/// Which segment is being decoded: fixes the error code and the wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    Header,
    Payload,
}

impl Segment {
    fn name(self) -> &'static str {
        match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
        }
    }

    fn error(self, message: String) -> Error {
        match self {
            Segment::Header => jws_invalid(message),
            Segment::Payload => jwt_invalid(message),
        }
    }

    /// The error for a segment whose text is not a strict JSON object (`detail` says why).
    pub fn not_an_object(self, detail: &str) -> Error {
        self.error(format!("the {} is not a valid JSON object: {detail}", self.name()))
    }
}

/// Decodes one segment to its JSON text, checked to be strict base64url and UTF-8 but not yet
/// parsed. Invalid UTF-8 can never be valid JSON, so it is refused first, with its own message.
pub fn segment_text(encoded: &str, which: Segment) -> Result<String> {
    let name = which.name();
    let bytes = base64url::decode(encoded).ok_or_else(|| {
        which.error(format!("the {name} is not valid base64url (no padding, no '+' or '/', no whitespace)"))
    })?;
    String::from_utf8(bytes).map_err(|_| which.error(format!("the {name} is not UTF-8")))
}

/// Decodes one segment into its JSON object and the exact JSON text it held.
pub fn segment_json(encoded: &str, which: Segment) -> Result<(Map<String, Value>, String)> {
    let text = segment_text(encoded, which)?;
    let object = json::parse_object(text.as_bytes()).map_err(|e| which.not_an_object(&e))?;
    Ok((object, text))
}

/// Checks a segment's text (from [`segment_text`]) to be a strict JSON object, and gives the
/// borrowed view of it that verification reads.
pub fn segment_view(text: &str, which: Segment) -> Result<ObjectView<'_>> {
    json::view::parse_object_view(text).map_err(|e| which.not_an_object(&e))
}

/// A segment's JSON text, checked to be a strict JSON object but not kept parsed: for callers
/// that only hand the text on.
fn checked_text(encoded: &str, which: Segment) -> Result<String> {
    let text = segment_text(encoded, which)?;
    segment_view(&text, which)?;
    Ok(text)
}

/// What `decode` returns: everything in the token, none of it verified.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub header: Map<String, Value>,
    pub payload: Map<String, Value>,
    /// The JSON text of the header and payload exactly as they were signed.
    pub header_json: String,
    pub payload_json: String,
    /// The signature segment, still base64url (checked to be well-formed).
    pub signature: String,
}

/// Decodes a token WITHOUT verifying it: for inspection and debugging only.
///
/// The checks are structural (three segments, strict base64url, strict JSON objects); the
/// header is returned as it is, never judged: `alg: "none"`, `crit`, or an `enc` member (a JWE
/// header, which [`crate::Verifier`] refuses) are all shown, not refused, so a token can be
/// inspected to see why it will not verify.
///
/// ```
/// let t = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln";
/// let d = jwtward::decode(t)?;
/// assert_eq!(d.header["alg"], "HS256");
/// assert_eq!(d.payload["sub"], "ada");
/// assert!(jwtward::decode("a.b").is_err());
/// # Ok::<(), jwtward::Error>(())
/// ```
pub fn decode(token: &str) -> Result<Decoded> {
    decode_with_limit(token, DEFAULT_MAX_TOKEN_SIZE)
}

/// [`decode`] under another size limit than [`DEFAULT_MAX_TOKEN_SIZE`]: a verifier's
/// `max_token_size`, so every token it would accept can also be inspected.
pub fn decode_with_limit(token: &str, max_size: usize) -> Result<Decoded> {
    let parts = split(token, max_size)?;
    let (header, header_json) = segment_json(parts.header, Segment::Header)?;
    let (payload, payload_json) = segment_json(parts.payload, Segment::Payload)?;
    if base64url::decode(parts.signature).is_none() {
        return Err(jws_invalid("the signature is not valid base64url"));
    }
    Ok(Decoded { header, payload, header_json, payload_json, signature: parts.signature.to_owned() })
}

/// [`decode`]'s checks, in the same order and with the same errors, without building maps: the
/// header and payload JSON texts and the signature segment, for a binding that hands the text on
/// (the JS `decode` parses it once, with `JSON.parse`).
pub fn decode_json(token: &str) -> Result<(String, String, &str)> {
    decode_json_with_limit(token, DEFAULT_MAX_TOKEN_SIZE)
}

/// [`decode_json`] under another size limit (see [`decode_with_limit`]).
pub fn decode_json_with_limit(token: &str, max_size: usize) -> Result<(String, String, &str)> {
    let parts = split(token, max_size)?;
    let header_json = checked_text(parts.header, Segment::Header)?;
    let payload_json = checked_text(parts.payload, Segment::Payload)?;
    if base64url::decode(parts.signature).is_none() {
        return Err(jws_invalid("the signature is not valid base64url"));
    }
    Ok((header_json, payload_json, parts.signature))
}

/// [`decode_header`]'s checks without building a map: the header's JSON text.
pub fn decode_header_json(token: &str) -> Result<String> {
    decode_header_json_with_limit(token, DEFAULT_MAX_TOKEN_SIZE)
}

/// [`decode_header_json`] under another size limit (see [`decode_with_limit`]).
pub fn decode_header_json_with_limit(token: &str, max_size: usize) -> Result<String> {
    let parts = split(token, max_size)?;
    checked_text(parts.header, Segment::Header)
}

/// Decodes only the protected header, WITHOUT verifying anything.
pub fn decode_header(token: &str) -> Result<(Map<String, Value>, String)> {
    decode_header_with_limit(token, DEFAULT_MAX_TOKEN_SIZE)
}

/// [`decode_header`] under another size limit (see [`decode_with_limit`]).
pub fn decode_header_with_limit(token: &str, max_size: usize) -> Result<(Map<String, Value>, String)> {
    let parts = split(token, max_size)?;
    segment_json(parts.header, Segment::Header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn segment_count_and_size_are_checked_first() {
        for t in ["a.b", "a.b.c.d", "abc", "..", "a..c"] {
            assert_eq!(split(t, 100).unwrap_err().code(), ErrorCode::JwsInvalid, "{t}");
        }
        assert_eq!(split(&"a".repeat(101), 100).unwrap_err().code(), ErrorCode::JwtInvalid);
        assert!(split("a.b.", 100).is_ok());
    }

    /// The map-free path the JS `decode` takes must refuse exactly what `decode` refuses, with
    /// the same error, and return the same texts.
    #[test]
    fn decode_json_agrees_with_decode() {
        let h = base64url::encode(br#"{"alg":"HS256"}"#);
        let p = base64url::encode(br#"{"sub":"ada","n":[1,{"x":null}]}"#);
        let bad_json = base64url::encode(br#"{"a":1,"\u0061":2}"#);
        let not_utf8 = base64url::encode(b"{\"a\":\"\xff\"}");
        for t in [
            format!("{h}.{p}.c2ln"),
            format!("{h}.{p}."),
            format!("{h}.{p}.c2l"),
            format!("{h}.{bad_json}.c2ln"),
            format!("{bad_json}.{p}.c2ln"),
            format!("{h}.{not_utf8}.c2ln"),
            format!("{h}.{p}"),
            format!("{h}.{p}=.c2ln"),
        ] {
            let texts = decode_json(&t).map(|(h, p, s)| (h, p, s.to_owned()));
            let expected = decode(&t).map(|d| (d.header_json, d.payload_json, d.signature));
            assert_eq!(texts, expected, "{t}");
            assert_eq!(decode_header_json(&t), decode_header(&t).map(|(_, json)| json), "{t}");
        }
    }

    /// Issue 13: decode was capped at 16 KiB even for a verifier whose `max_token_size` is
    /// larger. The limit-taking variants read any token under their limit exactly as decode
    /// does, and refuse a larger one with the same error as `split`.
    #[test]
    fn decode_takes_a_larger_limit() {
        let h = base64url::encode(br#"{"alg":"HS256"}"#);
        let big = base64url::encode(format!(r#"{{"blob":"{}"}}"#, "x".repeat(20 * 1024)).as_bytes());
        let t = format!("{h}.{big}.c2ln");
        assert_eq!(decode(&t).unwrap_err().code(), ErrorCode::JwtInvalid);
        assert_eq!(decode_header(&t).unwrap_err().code(), ErrorCode::JwtInvalid);
        let limit = 64 * 1024;
        let d = decode_with_limit(&t, limit).unwrap();
        assert_eq!(d.payload["blob"].as_str().map(str::len), Some(20 * 1024));
        let texts = decode_json_with_limit(&t, limit).map(|(h, p, s)| (h, p, s.to_owned())).unwrap();
        assert_eq!(texts, (d.header_json.clone(), d.payload_json.clone(), d.signature.clone()));
        assert_eq!(decode_header_with_limit(&t, limit).unwrap(), (d.header, d.header_json.clone()));
        assert_eq!(decode_header_json_with_limit(&t, limit).unwrap(), d.header_json);
        assert_eq!(decode_with_limit(&t, t.len() - 1).unwrap_err(), split(&t, t.len() - 1).unwrap_err());
        let small = format!("{h}.{}.c2ln", base64url::encode(b"{}"));
        assert_eq!(decode_with_limit(&small, limit).map(|d| d.payload_json), decode(&small).map(|d| d.payload_json));
    }

    #[test]
    fn payload_must_be_an_object() {
        let h = base64url::encode(br#"{"alg":"HS256"}"#);
        for p in [&b"[1]"[..], b"1", b"\"x\"", b"null", b"{\"a\":1,\"a\":2}"] {
            let t = format!("{h}.{}.", base64url::encode(p));
            assert_eq!(decode(&t).unwrap_err().code(), ErrorCode::JwtInvalid);
        }
    }
}
