//! Interop with the Rust `jsonwebtoken` crate (issue 12): for every algorithm it supports,
//! tokens it signs verify in the core, and tokens the core signs verify in it, with the same
//! claims read back on both sides. Keys: the openssl-made fixtures (tests/fixtures/x509), and for
//! the core's own signing also keys the core generates, exported as JWK for `jsonwebtoken`.
//! Full build only (the slim core signs with RSA, ECDSA and Ed25519 through a host it lacks
//! here), and native only (the dev-dependency is not built for wasm32).
#![cfg(all(feature = "wasm-asym", not(target_arch = "wasm32")))]

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use jwtward::claims::OneOrMany;
use jwtward::{Alg, ErrorCode, Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};
use std::time::{SystemTime, UNIX_EPOCH};

const ISSUER: &str = "https://issuer.example";
const AUDIENCE: &str = "interop-api";
const SECRET: &[u8] = b"interop-hmac-secret-long-enough-for-hs512-0123456789abcdef0123456789";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/x509/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64().floor()
}

/// Each algorithm `jsonwebtoken` 10 supports (it has no ES512), with the core's name for it and
/// the fixture key files (or none, for HMAC).
const ALGS: [(Algorithm, Alg, Option<&str>); 12] = [
    (Algorithm::HS256, Alg::HS256, None),
    (Algorithm::HS384, Alg::HS384, None),
    (Algorithm::HS512, Alg::HS512, None),
    (Algorithm::RS256, Alg::RS256, Some("rsa")),
    (Algorithm::RS384, Alg::RS384, Some("rsa")),
    (Algorithm::RS512, Alg::RS512, Some("rsa")),
    (Algorithm::PS256, Alg::PS256, Some("rsa")),
    (Algorithm::PS384, Alg::PS384, Some("rsa")),
    (Algorithm::PS512, Alg::PS512, Some("rsa")),
    (Algorithm::ES256, Alg::ES256, Some("p256")),
    (Algorithm::ES384, Alg::ES384, Some("p384")),
    (Algorithm::EdDSA, Alg::EdDSA, Some("ed25519")),
];

fn their_encoding_key(alg: Algorithm, file: Option<&str>) -> EncodingKey {
    let Some(file) = file else { return EncodingKey::from_secret(SECRET) };
    let pem = fixture(&format!("{file}.key"));
    match alg {
        Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(pem.as_bytes()),
        Algorithm::EdDSA => EncodingKey::from_ed_pem(pem.as_bytes()),
        _ => EncodingKey::from_rsa_pem(pem.as_bytes()),
    }
    .unwrap_or_else(|e| panic!("{alg:?}: {e}"))
}

fn their_decoding_key(alg: Algorithm, file: Option<&str>) -> DecodingKey {
    let Some(file) = file else { return DecodingKey::from_secret(SECRET) };
    let pem = fixture(&format!("{file}.pub"));
    match alg {
        Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(pem.as_bytes()),
        Algorithm::EdDSA => DecodingKey::from_ed_pem(pem.as_bytes()),
        _ => DecodingKey::from_rsa_pem(pem.as_bytes()),
    }
    .unwrap_or_else(|e| panic!("{alg:?}: {e}"))
}

/// The core's verification key: the SPKI public key, or the certificate made for the same key.
fn our_public_keys(file: Option<&str>) -> Vec<Key> {
    match file {
        None => vec![Key::from_secret(SECRET, None, None).unwrap()],
        Some(file) => vec![
            Key::from_pem(&fixture(&format!("{file}.pub")), None, None).unwrap(),
            Key::from_pem(&fixture(&format!("{file}.crt")), None, None).unwrap(),
        ],
    }
}

fn our_private_key(file: Option<&str>) -> Key {
    match file {
        None => Key::from_secret(SECRET, None, None).unwrap(),
        Some(file) => Key::from_pem(&fixture(&format!("{file}.key")), None, None).unwrap(),
    }
}

fn our_verifier(key: Key, alg: Alg) -> Verifier {
    let mut options = VerifyOptions::new(vec![alg]);
    options.claims.issuer = Some(vec![ISSUER.to_owned()]);
    options.claims.audience = Some(vec![AUDIENCE.to_owned()]);
    Verifier::new(KeySet::single(key), options).unwrap()
}

fn our_signer(key: Key, alg: Alg, kid: &str) -> Signer {
    let mut options = SignerOptions::new(alg);
    options.kid = Some(kid.to_owned());
    options.issuer = Some(ISSUER.to_owned());
    options.audience = Some(OneOrMany::One(AUDIENCE.to_owned()));
    Signer::new(key, options).unwrap()
}

fn their_validation(alg: Algorithm) -> Validation {
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation
}

fn flip_last_signature_char(token: &str) -> String {
    let mut t = token.to_owned();
    let last = t.pop().unwrap();
    t.push(if last == 'A' { 'Q' } else { 'A' });
    t
}

#[test]
fn tokens_jsonwebtoken_signs_verify_in_the_core() {
    let now = now();
    for (theirs, ours, file) in ALGS {
        let mut header = Header::new(theirs);
        header.kid = Some("their-key".into());
        let claims = json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": "user-1", "iat": now as u64, "exp": now as u64 + 600,
            "scope": "read write", "nested": {"n": [1, 2.5, "ü"]},
        });
        let token = jsonwebtoken::encode(&header, &claims, &their_encoding_key(theirs, file))
            .unwrap_or_else(|e| panic!("{theirs:?}: {e}"));
        for key in our_public_keys(file) {
            let verified =
                our_verifier(key.clone(), ours).verify(&token, now).unwrap_or_else(|e| panic!("{ours}: {e}"));
            assert_eq!(Value::Object(verified.payload()), claims, "{ours}");
            assert_eq!(verified.header().get("kid"), Some(&json!("their-key")));
            let tampered = flip_last_signature_char(&token);
            let e = our_verifier(key, ours).verify(&tampered, now).unwrap_err();
            assert!(matches!(e.code(), ErrorCode::SignatureVerificationFailed | ErrorCode::JwsInvalid), "{ours}: {e}");
        }
    }
}

#[test]
fn tokens_the_core_signs_verify_in_jsonwebtoken() {
    let now = now();
    for (theirs, ours, file) in ALGS {
        let mut claims = Map::new();
        claims.insert("sub".into(), json!("user-2"));
        claims.insert("roles".into(), json!(["admin"]));
        let token = our_signer(our_private_key(file), ours, "our-key").sign(&claims, now).unwrap();
        let data = jsonwebtoken::decode::<Value>(&token, &their_decoding_key(theirs, file), &their_validation(theirs))
            .unwrap_or_else(|e| panic!("{ours}: {e}"));
        assert_eq!(data.header.alg, theirs);
        assert_eq!(data.header.kid.as_deref(), Some("our-key"));
        assert_eq!(data.claims["sub"], "user-2");
        assert_eq!(data.claims["roles"], json!(["admin"]));
        assert_eq!(data.claims["iss"], ISSUER);
        assert!(jsonwebtoken::decode::<Value>(
            &flip_last_signature_char(&token),
            &their_decoding_key(theirs, file),
            &their_validation(theirs)
        )
        .is_err());
    }
}

#[test]
fn keys_the_core_generates_verify_in_jsonwebtoken_through_their_jwk() {
    let now = now();
    for (theirs, ours, file) in ALGS {
        if file.is_none() {
            continue;
        }
        let (private, public) = Key::generate(ours, Some("generated".into())).unwrap();
        let token = our_signer(private, ours, "generated").sign(&Map::new(), now).unwrap();
        let jwk: jsonwebtoken::jwk::Jwk =
            serde_json::from_value(Value::Object(public.to_public_jwk().unwrap())).unwrap();
        let key = DecodingKey::from_jwk(&jwk).unwrap_or_else(|e| panic!("{ours}: {e}"));
        jsonwebtoken::decode::<Value>(&token, &key, &their_validation(theirs))
            .unwrap_or_else(|e| panic!("{ours}: {e}"));
    }
}
