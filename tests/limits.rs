//! Resource limits: each one accepts input exactly at the limit, refuses one byte (key, level)
//! more with a clear message naming the limit, and refuses a far larger input by its size alone,
//! before any parsing (shown by giving input that would not even parse: the error is the size).

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::{hs_key, pem, signed, verifier, NOW};
use jwtward::crypto::{RSA_MAX_BITS, RSA_MIN_BITS};
use jwtward::decode::DEFAULT_MAX_TOKEN_SIZE;
use jwtward::json::MAX_DEPTH;
use jwtward::keys::{MAX_JWKS_KEYS, MAX_JWKS_SIZE, MAX_PEM_SIZE};
use jwtward::{Alg, ErrorCode, Key, KeySet};
use serde_json::json;

/// An HS256 token of exactly `len` bytes (header and payload padded to land on it).
fn token_of_len(len: usize) -> String {
    for h in 0..3 {
        // Payload bytes are 3/4 of their encoding; start just above and walk down.
        for p in (0..(len * 3 / 4).saturating_sub(30)).rev() {
            let header = format!(r#"{{"alg":"HS256"{}}}"#, " ".repeat(h));
            let t =
                signed(&hs_key(), Alg::HS256, header.as_bytes(), format!(r#"{{"p":"{}"}}"#, "x".repeat(p)).as_bytes());
            if t.len() == len {
                return t;
            }
            if t.len() < len {
                break;
            }
        }
    }
    panic!("no token of {len} bytes");
}

#[test]
fn token_size() {
    let v = verifier(vec![hs_key()], vec![Alg::HS256]);
    assert!(v.verify(&token_of_len(DEFAULT_MAX_TOKEN_SIZE), NOW).is_ok());
    let e = v.verify(&token_of_len(DEFAULT_MAX_TOKEN_SIZE + 1), NOW).unwrap_err();
    assert_eq!((e.code(), e.message()), (ErrorCode::JwtInvalid, "token is 16385 bytes, more than the 16384 allowed"));
    let garbage = "!".repeat(10 << 20);
    assert!(v.verify(&garbage, NOW).unwrap_err().message().contains("more than the 16384 allowed"));
    assert!(jwtward::decode(&garbage).unwrap_err().message().contains("more than the 16384 allowed"));
}

#[test]
fn json_nesting_depth() {
    let v = verifier(vec![hs_key()], vec![Alg::HS256]);
    // MAX_DEPTH levels in all: the top-level object and MAX_DEPTH - 1 arrays inside it.
    let nested = |levels: usize| format!(r#"{{"a":{}{}}}"#, "[".repeat(levels - 1), "]".repeat(levels - 1));
    let token = |h: &str, p: &str| signed(&hs_key(), Alg::HS256, h.as_bytes(), p.as_bytes());
    let header = |levels: usize| nested(levels).replacen('{', r#"{"alg":"HS256","#, 1);
    assert!(v.verify(&token(r#"{"alg":"HS256"}"#, &nested(MAX_DEPTH)), NOW).is_ok());
    assert!(v.verify(&token(&header(MAX_DEPTH), "{}"), NOW).is_ok());
    let e = v.verify(&token(r#"{"alg":"HS256"}"#, &nested(MAX_DEPTH + 1)), NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwtInvalid);
    assert!(e.message().contains("nested deeper than 32"), "{e}");
    assert_eq!(v.verify(&token(&header(MAX_DEPTH + 1), "{}"), NOW).unwrap_err().code(), ErrorCode::JwsInvalid);
    // The deepest a 16 KiB token can nest is refused as cheaply as one level too deep.
    let deep = format!(r#"{{"a":{}}}"#, "[".repeat(12_000));
    assert_eq!(v.verify(&token(r#"{"alg":"HS256"}"#, &deep), NOW).unwrap_err().code(), ErrorCode::JwtInvalid);
}

#[test]
fn jwks_size_and_key_count() {
    let entry = json!({"kty": "EC", "crv": "P-256"}); // malformed: skipped, never an error
    let at_count = json!({ "keys": vec![entry.clone(); MAX_JWKS_KEYS] }).to_string();
    let set = KeySet::from_jwks_json(&at_count).unwrap();
    assert_eq!((set.len(), set.skipped()), (0, MAX_JWKS_KEYS));
    let over = json!({ "keys": vec![entry; MAX_JWKS_KEYS + 1] }).to_string();
    let e = KeySet::from_jwks_json(&over).unwrap_err();
    assert_eq!((e.code(), e.message()), (ErrorCode::JwksInvalid, "JWKS has 101 keys; at most 100 are accepted"));

    let padded = |len: usize| format!(r#"{{"keys":[]}}{}"#, " ".repeat(len - 11));
    assert!(KeySet::from_jwks_json(&padded(MAX_JWKS_SIZE)).is_ok());
    let e = KeySet::from_jwks_json(&padded(MAX_JWKS_SIZE + 1)).unwrap_err();
    assert_eq!((e.code(), e.message()), (ErrorCode::JwksInvalid, "JWKS is 262145 bytes, more than the 262144 allowed"));
    let garbage = "[".repeat(10 << 20);
    assert!(KeySet::from_jwks_json(&garbage).unwrap_err().message().contains("more than the 262144 allowed"));
}

/// An RSA public JWK whose modulus has exactly `bits` bits (odd, not a real key: loading checks
/// sizes and the exponent, not primality).
fn rsa_jwk(bits: usize) -> serde_json::Map<String, serde_json::Value> {
    let mut n = vec![0x5au8; bits.div_ceil(8)];
    n[0] = 1 << ((bits - 1) % 8);
    *n.last_mut().unwrap() |= 1;
    json!({"kty": "RSA", "n": jwtward::base64url::encode(&n), "e": "AQAB"}).as_object().cloned().unwrap()
}

#[test]
fn rsa_modulus_size() {
    assert_eq!((RSA_MIN_BITS, RSA_MAX_BITS), (2048, 4096));
    for bits in [RSA_MIN_BITS, 3072, RSA_MAX_BITS] {
        assert!(Key::from_jwk(&rsa_jwk(bits)).is_ok(), "{bits}");
    }
    for (bits, message) in [
        (RSA_MIN_BITS - 1, "RSA keys must be at least 2048 bits, got 2047"),
        (RSA_MAX_BITS + 1, "RSA keys must be at most 4096 bits, got 4097"),
        (16384, "RSA keys must be at most 4096 bits, got 16384"),
    ] {
        let e = Key::from_jwk(&rsa_jwk(bits)).unwrap_err();
        assert_eq!((e.code(), e.message()), (ErrorCode::JwkInvalid, message));
    }
    // The largest key is refused before any arithmetic, however large.
    let e = Key::from_jwk(&rsa_jwk(1 << 20)).unwrap_err();
    assert_eq!(e.message(), "RSA keys must be at most 4096 bits, got 1048576");
}

#[test]
fn pem_size() {
    let (private, _) = Key::generate(Alg::ES256, None).unwrap();
    let text = pem("PRIVATE KEY", &private.material().pkcs8_der().unwrap().unwrap());
    let padded = |len: usize| format!("{text:>len$}"); // leading spaces, trimmed when read
    assert!(Key::from_pem(&padded(MAX_PEM_SIZE), None, None).is_ok());
    let e = Key::from_pem(&padded(MAX_PEM_SIZE + 1), None, None).unwrap_err();
    assert_eq!((e.code(), e.message()), (ErrorCode::JwkInvalid, "PEM is 16385 bytes, more than the 16384 allowed"));
    let garbage = "-----BEGIN PUBLIC KEY-----\n".repeat(100_000);
    assert!(Key::from_pem(&garbage, None, None).unwrap_err().message().contains("more than the 16384 allowed"));
}

/// No limit on the number of JSON members is needed: the token size bounds it (about 2,000 in
/// 16 KiB), repeated names are found with a set once an object passes 16 members (O(log n) per
/// member), and no check looks at every pair of members. A payload of as many members as fit
/// still verifies.
#[test]
fn many_members_fit_the_size_limit() {
    let v = verifier(vec![hs_key()], vec![Alg::HS256]);
    let members: Vec<String> = (0..1_500).map(|i| format!(r#""{i:x}":0"#)).collect();
    let payload = format!("{{{}}}", members.join(","));
    let token = signed(&hs_key(), Alg::HS256, br#"{"alg":"HS256"}"#, payload.as_bytes());
    assert!(token.len() <= DEFAULT_MAX_TOKEN_SIZE, "{}", token.len());
    assert_eq!(v.verify(&token, NOW).unwrap().payload().len(), 1_500);
}
