//! The core's tests inside wasm32: the same crate, compiled as it ships, must sign and verify
//! every algorithm, draw randomness from the host, and survive malformed input without trapping
//! (a trap would poison the instance for every later caller).
//!
//! wasm-bindgen-test-runner runs this file under Node by default, and in headless Chromium
//! when `WASM_BINDGEN_USE_BROWSER=1` is set (with `CHROMEDRIVER=/usr/bin/chromedriver`; the
//! browser's flags come from `webdriver.json` at the crate root). There is deliberately no
//! `wasm_bindgen_test_configure!`: it would pin one environment and ignore the variable, and
//! `scripts/test.sh` runs the file in both.
#![cfg(target_arch = "wasm32")]

use jwtward::{decode, Alg, ClaimOptions, ErrorCode, Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "common/wycheproof.rs"]
mod wycheproof;

const NOW: f64 = 1_763_900_000.0;
const RSA_JWK: &str = include_str!("vectors/jose-cookbook/jwk/3_4.rsa_private_key.json");

fn claims(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn keys_for(alg: Alg) -> (Key, Key) {
    match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => {
            let k = Key::from_secret(&[7u8; 64], None, None).unwrap();
            (k.clone(), k)
        }
        // One RSA key for the six RSA algorithms: key generation is slow in pure wasm.
        Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
            let private = Key::from_jwk_json(RSA_JWK).unwrap();
            let public = Key::from_jwk(&private.to_public_jwk().unwrap()).unwrap();
            (private, public)
        }
        _ => Key::generate(alg, None).unwrap(),
    }
}

#[wasm_bindgen_test]
fn every_algorithm_signs_and_verifies() {
    for alg in Alg::ALL {
        let (private, public) = keys_for(alg);
        let mut so = SignerOptions::new(alg);
        so.issuer = Some("https://id.example".into());
        let token = Signer::new(private, so).unwrap().sign(&claims(json!({"sub": "ada"})), NOW).unwrap();
        let mut vo = VerifyOptions::new(vec![alg]);
        vo.claims = ClaimOptions::from_json(r#"{"issuer":"https://id.example"}"#).unwrap();
        let verifier = Verifier::new(KeySet::new(vec![public]), vo).unwrap();
        let verified = verifier.verify(&token, NOW + 1.0).unwrap();
        assert_eq!(verified.payload()["sub"], "ada", "{alg}");

        let mut tampered = token.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let err = verifier.verify(std::str::from_utf8(&tampered).unwrap(), NOW).unwrap_err();
        assert!(matches!(err.code(), ErrorCode::SignatureVerificationFailed | ErrorCode::JwsInvalid), "{alg}: {err}");
        assert_eq!(verifier.verify(&token, NOW + 3600.0).unwrap_err().code(), ErrorCode::Expired);
    }
}

#[wasm_bindgen_test]
fn randomness_comes_from_the_host() {
    let (private, _) = keys_for(Alg::HS256);
    let signer = Signer::new(private, SignerOptions::new(Alg::HS256)).unwrap();
    let a = decode(&signer.sign(&Map::new(), NOW).unwrap()).unwrap();
    let b = decode(&signer.sign(&Map::new(), NOW).unwrap()).unwrap();
    assert_ne!(a.payload["jti"], b.payload["jti"]);
    assert!(a.payload["jti"].as_str().unwrap().len() >= 22);
}

#[wasm_bindgen_test]
fn malformed_input_never_traps() {
    let (private, public) = keys_for(Alg::ES256);
    let verifier = Verifier::new(KeySet::new(vec![public]), VerifyOptions::new(vec![Alg::ES256])).unwrap();
    let good = Signer::new(private, SignerOptions::new(Alg::ES256)).unwrap().sign(&Map::new(), NOW).unwrap();
    let long = "a".repeat(100_000);
    let deep = jwtward::base64url::encode(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).as_bytes());
    let bad_tokens = [
        "",
        ".",
        "..",
        "...",
        "a.b.c",
        "\u{0}.\u{0}.\u{0}",
        long.as_str(),
        "eyJhbGciOiJFUzI1NiJ9..",
        "eyJhbGciOiJub25lIn0.e30.",
        "eyJhbGciOiJFUzI1NiJ9.e30.AAAA",
        "eyJhbGciOiJFUzI1NiJ9.e30.====",
    ];
    for t in bad_tokens {
        assert!(verifier.verify(t, NOW).is_err());
        let _ = decode(t);
    }
    assert!(verifier.verify(&format!("eyJhbGciOiJFUzI1NiJ9.{deep}.AAAA"), NOW).is_err());
    for pem in [
        "",
        "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ] {
        assert!(Key::from_pem(pem, None, None).is_err());
    }
    for jwk in [
        "",
        "{}",
        "[]",
        r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
        r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#,
        r#"{"kty":"OKP","crv":"Ed25519","x":""}"#,
    ] {
        assert!(Key::from_jwk_json(jwk).is_err());
    }
    for jwks in ["", "{}", r#"{"keys":{}}"#, r#"{"keys":[1]}"#] {
        let _ = KeySet::from_jwks_json(jwks);
    }
    // The same instance still works.
    assert!(verifier.verify(&good, NOW).is_ok());
}

/// Every Wycheproof file, embedded (wasm has no file system), through the same harness and
/// pinned tallies as the native test: the shipped build must judge every vector the same way.
#[wasm_bindgen_test]
fn wycheproof_vectors_inside_wasm() {
    assert_eq!(wycheproof::expected_files().len(), 15);
    wycheproof::run_all(|file| {
        match file {
            "ecdsa_secp256r1_sha256_p1363_test.json" => {
                include_str!("vectors/wycheproof/ecdsa_secp256r1_sha256_p1363_test.json")
            }
            "ecdsa_secp384r1_sha384_p1363_test.json" => {
                include_str!("vectors/wycheproof/ecdsa_secp384r1_sha384_p1363_test.json")
            }
            "ecdsa_secp521r1_sha512_p1363_test.json" => {
                include_str!("vectors/wycheproof/ecdsa_secp521r1_sha512_p1363_test.json")
            }
            "ed25519_test.json" => include_str!("vectors/wycheproof/ed25519_test.json"),
            "hmac_sha256_test.json" => include_str!("vectors/wycheproof/hmac_sha256_test.json"),
            "hmac_sha384_test.json" => include_str!("vectors/wycheproof/hmac_sha384_test.json"),
            "hmac_sha512_test.json" => include_str!("vectors/wycheproof/hmac_sha512_test.json"),
            "rsa_pss_2048_sha256_mgf1_32_test.json" => {
                include_str!("vectors/wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json")
            }
            "rsa_pss_4096_sha384_mgf1_48_test.json" => {
                include_str!("vectors/wycheproof/rsa_pss_4096_sha384_mgf1_48_test.json")
            }
            "rsa_pss_4096_sha512_mgf1_64_test.json" => {
                include_str!("vectors/wycheproof/rsa_pss_4096_sha512_mgf1_64_test.json")
            }
            "rsa_signature_2048_sha256_test.json" => {
                include_str!("vectors/wycheproof/rsa_signature_2048_sha256_test.json")
            }
            "rsa_signature_2048_sha384_test.json" => {
                include_str!("vectors/wycheproof/rsa_signature_2048_sha384_test.json")
            }
            "rsa_signature_2048_sha512_test.json" => {
                include_str!("vectors/wycheproof/rsa_signature_2048_sha512_test.json")
            }
            "rsa_signature_3072_sha256_test.json" => {
                include_str!("vectors/wycheproof/rsa_signature_3072_sha256_test.json")
            }
            "rsa_signature_4096_sha256_test.json" => {
                include_str!("vectors/wycheproof/rsa_signature_4096_sha256_test.json")
            }
            other => panic!("{other} is not embedded in tests/wasm.rs"),
        }
        .to_owned()
    });
}

#[wasm_bindgen_test]
fn refresh_rotation_rules_inside_wasm() {
    use jwtward::refresh::{decide, generate_refresh_token, hash_token, issue, Decision, RefreshPolicy, Stored};
    assert_eq!(hash_token("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    let (a, b) = (generate_refresh_token(32).unwrap(), generate_refresh_token(32).unwrap());
    assert_ne!(a.expose(), b.expose(), "randomness comes from the host");
    assert_eq!(generate_refresh_token(15).unwrap_err().code(), ErrorCode::InvalidArgument);

    let policy = RefreshPolicy::new(3600.0, 86_400.0, 10.0).unwrap();
    let issued = issue(&policy, "ada", None, NOW).unwrap();
    let family = issued.commit.family.record.clone();
    let record = issued.commit.tokens[0].record.clone();
    let t1 = issued.token;
    let stored = Stored { token: Some(&record), sealed: None, family: Some(&family) };
    let Decision::Rotate { commit, result } = decide(&policy, t1.expose(), stored, NOW + 1.0, &a).unwrap() else {
        panic!("expected Rotate");
    };
    // Routed: `<family id>.<secret>`, the secret the caller drew.
    assert_eq!(result.token.expose(), format!("{}.{}", issued.family_id, a.expose()));

    // The old record as the commit wrote it, with its sealed successor: a concurrent retry inside
    // the window gets the same successor; after the window, reuse revokes the family.
    let old = &commit.tokens[0];
    let sealed = old.sealed.as_ref().unwrap().value.clone();
    let stored = Stored { token: Some(&old.record), sealed: Some(&sealed), family: Some(&family) };
    let Decision::Replay(again) = decide(&policy, t1.expose(), stored, NOW + 5.0, &b).unwrap() else {
        panic!("expected Replay");
    };
    assert_eq!(again.token.expose(), result.token.expose());
    let Decision::RevokeFamily { error, .. } = decide(&policy, t1.expose(), stored, NOW + 11.0, &b).unwrap() else {
        panic!("expected RevokeFamily");
    };
    assert_eq!(error.code(), ErrorCode::RefreshReused);
    let e = decide(&policy, "not a token", Stored::default(), NOW, &b).unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefreshInvalid);
    assert_eq!(decide(&policy, t1.expose(), stored, NOW + 3600.0, &b).unwrap_err().code(), ErrorCode::RefreshExpired);
}
