//! X.509 certificates, by the three roads a certificate takes into the core: PEM
//! (`Key::from_pem`), a JWK's `x5c`, and the `{ kid: certificate }` document fetched by a remote
//! key set. The input is certificate DER (seeds: tests/fixtures/x509). The three must agree: the
//! same key or a refusal, never a panic; a loaded key holds every key invariant. A first byte of
//! `{` takes the input as a key set document instead (JWKS or certificate map).
#![no_main]

use jwtward::keys::MAX_JWKS_KEYS;
use jwtward::{Key, KeySet};
use jwtward_fuzz::{check_key, check_key_error, pem};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        let Ok(text) = std::str::from_utf8(data) else { return };
        match KeySet::from_published_json(text) {
            Ok(set) => {
                assert!(set.len() + set.skipped() <= MAX_JWKS_KEYS);
                assert!(set.keys().iter().all(|k| k.kty() != "oct"), "a published set kept a secret");
                set.keys().iter().for_each(check_key);
            }
            Err(e) => check_key_error(&e),
        }
        return;
    }
    let text = pem("CERTIFICATE", data);
    let from_pem = Key::from_pem(&text, None, None);
    let x5c = text.lines().filter(|l| !l.starts_with("-----")).collect::<String>();
    let kty = from_pem.as_ref().map_or("RSA", |k| k.kty());
    let jwk = json!({ "kty": kty, "x5c": [x5c] });
    let from_jwk = Key::from_jwk(jwk.as_object().expect("an object"));
    let map = json!({ "kid": text }).to_string();
    let from_map = KeySet::from_published_json(&map).expect("a certificate map is a valid document");
    match &from_pem {
        Ok(key) => {
            check_key(key);
            assert!(!key.is_private());
            let public = key.to_public_jwk().expect("a public key");
            let via_jwk = from_jwk.expect("x5c takes what PEM takes");
            assert_eq!(via_jwk.to_public_jwk().expect("a public key").get("n"), public.get("n"));
            assert_eq!(via_jwk.material().public_parts(), key.material().public_parts());
            assert_eq!(from_map.len(), 1);
            assert_eq!(from_map.keys()[0].material().public_parts(), key.material().public_parts());
            assert_eq!(from_map.keys()[0].kid(), Some("kid"));
        }
        Err(e) => {
            check_key_error(e);
            assert!(from_jwk.is_err(), "x5c took a certificate PEM refused");
            assert_eq!((from_map.len(), from_map.skipped()), (0, 1));
        }
    }
});
