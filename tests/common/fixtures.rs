//! Fixtures shared by the attack-class and secrets tests (tests/attacks.rs, tests/secrets.rs):
//! fixed keys, PEM encoding, tokens built byte by byte (so malformed segments can still carry a valid
//! signature and reach the parser behind the signature check), and a table runner that
//! reports every row that went wrong at once, each with the advisory or RFC it comes from.
#![allow(dead_code)] // each including test file uses its own subset

use jwtward::base64url::encode;
use jwtward::{Alg, ErrorCode, Key, KeySet, Verifier, VerifyOptions};

/// The instant every test verifies at (epoch seconds).
pub const NOW: f64 = 1_763_900_000.0;

/// An HMAC secret long enough for HS512.
pub const SECRET: &[u8] = b"attack-tests-hmac-secret-0123456789abcdef0123456789abcdef01234567";

pub fn vector(path: &str) -> String {
    let full = format!("{}/tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

/// The RFC 7520 section 3.4 RSA private key (2048 bits): fixed, so no test waits for RSA
/// key generation, and deterministic RS256 signatures are reproducible.
pub fn rsa_private() -> Key {
    Key::from_jwk_json(&vector("jose-cookbook/jwk/3_4.rsa_private_key.json")).unwrap()
}

pub fn hs_key() -> Key {
    Key::from_secret(SECRET, None, None).unwrap()
}

/// `base64url(header).base64url(payload).base64url(sig)`, signed with `key` under `alg`.
/// Header and payload are raw bytes: they need not be JSON, UTF-8 or anything else.
pub fn signed(key: &Key, alg: Alg, header: &[u8], payload: &[u8]) -> String {
    signed_segments(key, alg, &encode(header), &encode(payload))
}

/// Signs two already-encoded segments exactly as given (which may be malformed base64url).
pub fn signed_segments(key: &Key, alg: Alg, header: &str, payload: &str) -> String {
    let input = format!("{header}.{payload}");
    let sig = key.sign(alg, input.as_bytes()).unwrap();
    format!("{input}.{}", encode(&sig))
}

/// `header.payload` of a token and its decoded signature, to tamper with the signature.
pub fn split_signature(token: &str) -> (&str, Vec<u8>) {
    let (input, sig) = token.rsplit_once('.').unwrap();
    (input, jwtward::base64url::decode(sig).unwrap())
}

pub fn with_signature(input: &str, sig: &[u8]) -> String {
    format!("{input}.{}", encode(sig))
}

/// The standard (padded) base64 alphabet, for PEM bodies and OpenSSH key lines.
pub fn std_base64(bytes: &[u8]) -> String {
    let mut s = encode(bytes).replace('-', "+").replace('_', "/");
    while s.len() % 4 != 0 {
        s.push('=');
    }
    s
}

/// A PEM document (RFC 7468) with 64-character lines.
pub fn pem(label: &str, der: &[u8]) -> String {
    let body = std_base64(der);
    let lines: Vec<&str> = body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

pub fn verifier(keys: Vec<Key>, algs: Vec<Alg>) -> Verifier {
    Verifier::new(KeySet::new(keys), VerifyOptions::new(algs)).unwrap()
}

/// A verifier from the JSON options of the JS API, e.g. `{"algorithms":["HS256"],"audience":"api"}`.
pub fn verifier_json(keys: Vec<Key>, options: &str) -> Verifier {
    Verifier::new(KeySet::new(keys), VerifyOptions::from_json(options).unwrap()).unwrap()
}

/// One attack: where it comes from, what it does, the token, and the exact code it must get.
pub struct Row {
    pub cite: &'static str,
    pub what: String,
    pub token: String,
    pub want: ErrorCode,
}

pub fn row(cite: &'static str, what: impl Into<String>, token: String, want: ErrorCode) -> Row {
    Row { cite, what: what.into(), token, want }
}

/// Verifies every row, collecting all mismatches (an accepted token included) before failing,
/// so one run shows the whole picture. Returns the number of rows checked.
pub fn check_rows(v: &Verifier, rows: &[Row]) -> usize {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let got = v.verify(&r.token, NOW).map(|_| ()).map_err(|e| (e.code(), e.to_string()));
            match got {
                Err((code, _)) if code == r.want => None,
                Err((code, msg)) => Some(format!("[{}] {}: got {code:?} ({msg}), want {:?}", r.cite, r.what, r.want)),
                Ok(()) => Some(format!("[{}] {}: ACCEPTED, want {:?}", r.cite, r.what, r.want)),
            }
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), rows.len(), failures.join("\n"));
    rows.len()
}
