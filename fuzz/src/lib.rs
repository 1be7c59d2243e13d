//! Shared by the fuzz targets: fixed keys (test keys, committed in fuzz/keys/, never used
//! anywhere else), the verifiers each target drives, and the invariants every outcome must
//! hold. A violated invariant panics, which libFuzzer reports as a crash with its input.

use jwtward::base64url;
use jwtward::json::view::{JsonView, ObjectView};
use jwtward::keys::KeyOp;
use jwtward::{Alg, Error, ErrorCode, Key, KeySet, Verified, Verifier, VerifyOptions};
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The instant every target verifies at; the seed tokens are valid at it.
pub const NOW: f64 = 1_763_900_000.0;

/// Untrusted text in a message is cut to 32-64 characters; 1 KiB means something echoed input.
const MAX_MESSAGE: usize = 1024;

const HMAC_SECRET: &[u8] = b"fuzz-hmac-secret-0123456789abcdef0123456789abcdef0123456789abcdef";

/// Every claim check and the `typ` check, so fuzzed payloads can reach each of them. The
/// seed tokens of fuzz/make_seeds.mjs satisfy these.
const STRICT: &str = r#""typ":"at+jwt","issuer":["https://id.example","other"],"audience":"api",
    "subject":"user-1","clockTolerance":"30s","maxTokenAge":"1h","requiredClaims":["jti"],
    "requiredScopes":["read"],"requiredRoles":["ops"],"claims":{"tenant":"acme","n":2}"#;

fn from_pem(pem: &str, kid: &str) -> (Key, Key) {
    let private = Key::from_pem(pem, None, Some(kid.to_owned())).expect("fixture key");
    let public = private.public_key().expect("fixture public key");
    (private, public)
}

pub fn hmac_key() -> &'static Key {
    static KEY: OnceLock<Key> = OnceLock::new();
    KEY.get_or_init(|| Key::from_secret(HMAC_SECRET, None, None).expect("fixture secret"))
}

pub fn rsa() -> &'static (Key, Key) {
    static KEY: OnceLock<(Key, Key)> = OnceLock::new();
    KEY.get_or_init(|| from_pem(include_str!("../keys/rsa.pem"), "rsa"))
}

/// P-256, P-384 and P-521, with kids "p256", "p384", "p521".
pub fn ec() -> &'static [(Key, Key); 3] {
    static KEYS: OnceLock<[(Key, Key); 3]> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            from_pem(include_str!("../keys/p256.pem"), "p256"),
            from_pem(include_str!("../keys/p384.pem"), "p384"),
            from_pem(include_str!("../keys/p521.pem"), "p521"),
        ]
    })
}

pub fn ed25519() -> &'static (Key, Key) {
    static KEY: OnceLock<(Key, Key)> = OnceLock::new();
    KEY.get_or_init(|| from_pem(include_str!("../keys/ed25519.pem"), "ed"))
}

/// A verifier without claim checks and one with all of them, over the same keys.
pub struct Verifiers {
    plain: Verifier,
    strict: Verifier,
}

impl Verifiers {
    pub fn new(keys: Vec<Key>, algs: &[Alg]) -> Verifiers {
        let names: Vec<String> = algs.iter().map(|a| format!("{:?}", a.as_str())).collect();
        let list = names.join(",");
        let options = |extra: &str| {
            VerifyOptions::from_json(&format!(r#"{{"algorithms":[{list}]{extra}}}"#)).expect("fixture options")
        };
        let set = KeySet::new(keys);
        Verifiers {
            plain: Verifier::new(set.clone(), options("")).expect("fixture verifier"),
            strict: Verifier::new(set, options(&format!(",{STRICT}"))).expect("fixture verifier"),
        }
    }

    /// Verifies `token` with both, checking every outcome.
    pub fn verify(&self, token: &str) {
        check_verified(token, self.plain.verify(token, NOW));
        check_verified(token, self.strict.verify(token, NOW));
    }

    /// Verifies fuzz input taken as token text (tokens are strings: other bytes are skipped).
    pub fn verify_bytes(&self, data: &[u8]) {
        if let Ok(token) = std::str::from_utf8(data) {
            self.verify(token);
        }
    }
}

/// The verifiers of each target, built once per process.
macro_rules! verifiers {
    ($name:ident, $keys:expr, $algs:expr) => {
        pub fn $name() -> &'static Verifiers {
            static V: OnceLock<Verifiers> = OnceLock::new();
            V.get_or_init(|| Verifiers::new($keys, &$algs))
        }
    };
}
verifiers!(hmac_verifiers, vec![hmac_key().clone()], [Alg::HS256, Alg::HS384, Alg::HS512]);
verifiers!(
    rsa_verifiers,
    vec![rsa().1.clone()],
    [Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512]
);
verifiers!(ec_verifiers, ec().iter().map(|(_, public)| public.clone()).collect(), [Alg::ES256, Alg::ES384, Alg::ES512]);
verifiers!(eddsa_verifiers, vec![ed25519().1.clone()], [Alg::EdDSA]);

/// Every error: a code that describes input (never `InvalidArgument`, which would mean the
/// library blamed its caller for a token), and a short, non-empty message.
pub fn check_error(e: &Error) {
    assert_ne!(e.code(), ErrorCode::InvalidArgument, "input reported as misuse: {e}");
    assert!(!e.message().is_empty(), "empty message for {:?}", e.code());
    assert!(e.message().len() <= MAX_MESSAGE, "{} byte message: {}", e.message().len(), e.message());
}

/// A verified token is exactly what `decode` reads from it, and its JSON text is what it claims.
pub fn check_verified(token: &str, result: jwtward::Result<Verified>) {
    let verified = match result {
        Ok(v) => v,
        Err(e) => return check_error(&e),
    };
    let (header, payload) = (verified.header(), verified.payload());
    let alg = header.get("alg").and_then(Value::as_str).expect("verified without a string alg");
    assert!(Alg::parse(alg).is_ok(), "verified with alg {alg:?}");
    assert!(!alg.eq_ignore_ascii_case("none"));
    let decoded = jwtward::decode(token).expect("verify accepted a token decode refuses");
    assert_eq!(header, decoded.header);
    assert_eq!(payload, decoded.payload);
    assert_eq!(verified.header_json, decoded.header_json);
    assert_eq!(verified.payload_json, decoded.payload_json);
    assert_eq!(parse(&verified.header_json), header);
    assert_eq!(parse(&verified.payload_json), payload);
}

fn parse(json: &str) -> Map<String, Value> {
    jwtward::json::parse_object(json.as_bytes()).expect("returned JSON text does not parse back")
}

/// The two strict JSON parsers (the `serde_json` map that `decode` returns, the borrowed view
/// that `verify` reads) must accept and refuse the same texts, with the same message, and read
/// the same values.
pub fn check_json_parsers(text: &str) {
    let map = jwtward::json::parse_object(text.as_bytes());
    let view = jwtward::json::view::parse_object_view(text);
    match (map, view) {
        (Ok(map), Ok(view)) => assert!(same_object(&map, &view), "the parsers read different values"),
        (Err(a), Err(b)) => assert_eq!(a, b, "the parsers refuse with different messages"),
        (a, b) => panic!("one parser accepts, the other refuses: {:?} / {:?}", a.err(), b.err()),
    }
}

fn same_object(map: &Map<String, Value>, view: &ObjectView) -> bool {
    map.len() == view.len() && map.iter().all(|(name, value)| view.get(name).is_some_and(|v| same_value(value, v)))
}

fn same_value(value: &Value, view: &JsonView) -> bool {
    match (value, view) {
        (Value::Null, JsonView::Null) => true,
        (Value::Bool(a), JsonView::Bool(b)) => a == b,
        (Value::Number(a), JsonView::Number(b)) => a.as_f64() == Some(*b),
        (Value::String(a), JsonView::String(b)) => a == b,
        (Value::Array(a), JsonView::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y)),
        (Value::Object(a), JsonView::Object(b)) => same_object(a, b),
        _ => false,
    }
}

/// `header.payload.signature` with both segments encoded as given and signed by `key`.
pub fn sign(key: &Key, alg: Alg, signing_input: &str) -> String {
    let sig = key.sign(alg, signing_input.as_bytes()).expect("fixture key signs");
    format!("{signing_input}.{}", base64url::encode(&sig))
}

/// The HMAC algorithm a header names, so a re-signed token can verify; HS256 otherwise.
pub fn hmac_alg_of(header_json: &[u8]) -> Alg {
    let alg = serde_json::from_slice::<Value>(header_json).ok().and_then(|h| h.get("alg").cloned());
    match alg.as_ref().and_then(Value::as_str) {
        Some("HS384") => Alg::HS384,
        Some("HS512") => Alg::HS512,
        _ => Alg::HS256,
    }
}

/// Every error a key loader may give: a key error, never a token or misuse code.
pub fn check_key_error(e: &Error) {
    check_error(e);
    assert!(
        matches!(e.code(), ErrorCode::JwkInvalid | ErrorCode::JwksInvalid | ErrorCode::NotSupported),
        "key loading failed with {:?}: {e}",
        e.code()
    );
}

/// A loaded key fits only algorithms of its own type, exports a public JWK without private
/// members that loads back to the same public key, and signs and verifies (except RSA, whose
/// signing is too slow to run on every input).
pub fn check_key(key: &Key) {
    for alg in Alg::ALL {
        if key.fits(alg) {
            assert_eq!(alg.kty(), key.kty(), "{} key fits {alg}", key.kty());
        }
    }
    let _ = format!("{key:?}");
    match key.to_public_jwk() {
        Err(e) => {
            assert_eq!(key.kty(), "oct", "no public JWK for a {} key: {e}", key.kty());
        }
        Ok(jwk) => {
            for member in ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] {
                assert!(!jwk.contains_key(member), "public JWK has {member}");
            }
            let back = Key::from_jwk(&jwk).expect("the public JWK of a loaded key must load");
            assert!(!back.is_private());
            assert_eq!(back.to_public_jwk().expect("public JWK again"), jwk);
        }
    }
    if key.is_private() && key.kty() != "RSA" {
        // A key whose `key_ops` allow only one of sign and verify cannot do both (by design).
        let usable = |a: &Alg| key.check_use_for(*a, KeyOp::Sign).is_ok() && key.check_use(*a).is_ok();
        if let Some(alg) = Alg::ALL.into_iter().find(usable) {
            let sig = key.sign(alg, b"fuzz.input").expect("a usable private key signs");
            key.verify(alg, b"fuzz.input", &sig).expect("and verifies its own signature");
        }
    }
}

/// A PEM document (RFC 7468) around `der`, in the standard base64 alphabet with 64-column lines.
pub fn pem(label: &str, der: &[u8]) -> String {
    let mut body = base64url::encode(der).replace('-', "+").replace('_', "/");
    while !body.len().is_multiple_of(4) {
        body.push('=');
    }
    let lines: Vec<&str> = body.as_bytes().chunks(64).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}
