//! Unit tests for keys: RFC 7520 vectors, every PEM label, sign/verify for every algorithm,
//! the size/curve policies, algorithm-confusion guards and key-set selection.
//! Test-only: declared in keys/mod.rs under #[cfg(test)].
// These tests make keys with the RustCrypto crates: the full build only (the slim build's key
// loading is tested in crypto/checks/slim_tests.rs).
#![cfg(feature = "wasm-asym")]

use super::*;
use crate::base64url;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

fn read_json(path: &str) -> Value {
    let full = format!("{}/tests/vectors/jose-cookbook/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn jwk_file(name: &str) -> Map<String, Value> {
    read_json(&format!("jwk/{name}")).as_object().unwrap().clone()
}

/// Generating RSA keys is slow in debug builds; share one pair (no alg) across tests.
fn rsa_private() -> &'static rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut rng = crate::random::seeded_rng().unwrap();
        rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap()
    })
}

fn rsa_pem_private_pkcs8() -> String {
    use rsa::pkcs8::EncodePrivateKey;
    rsa_private().to_pkcs8_pem(rsa::pkcs8::LineEnding::LF).unwrap().to_string()
}

fn rsa_pem_public_spki() -> String {
    use rsa::pkcs8::EncodePublicKey;
    rsa_private().to_public_key().to_public_key_pem(rsa::pkcs8::LineEnding::LF).unwrap()
}

#[test]
fn rfc7520_keys_verify_section_4_signatures() {
    let rsa_pub = Key::from_jwk(&jwk_file("3_3.rsa_public_key.json")).unwrap();
    let rsa_priv = Key::from_jwk(&jwk_file("3_4.rsa_private_key.json")).unwrap();
    let ec_pub = Key::from_jwk(&jwk_file("3_1.ec_public_key.json")).unwrap();
    let ec_priv = Key::from_jwk(&jwk_file("3_2.ec_private_key.json")).unwrap();
    let hmac = Key::from_jwk(&jwk_file("3_5.symmetric_key_mac_computation.json")).unwrap();
    assert!(!rsa_pub.is_private() && rsa_priv.is_private() && !ec_pub.is_private() && ec_priv.is_private());
    assert_eq!(rsa_pub.kid(), Some("bilbo.baggins@hobbiton.example"));
    assert_eq!(rsa_pub.key_use(), Some("sig"));
    // 3.6 is an encryption key with alg A256GCM: not a JWS algorithm.
    let enc = Key::from_jwk(&jwk_file("3_6.symmetric_key_encryption.json")).unwrap_err();
    assert_eq!(enc.code(), ErrorCode::NotSupported);

    let cases: [(&str, Alg, Vec<&Key>); 4] = [
        ("jws/4_1.rsa_v15_signature.json", Alg::RS256, vec![&rsa_pub, &rsa_priv]),
        ("jws/4_2.rsa-pss_signature.json", Alg::PS384, vec![&rsa_pub, &rsa_priv]),
        ("jws/4_3.ecdsa_signature.json", Alg::ES512, vec![&ec_pub, &ec_priv]),
        ("jws/4_4.hmac-sha2_integrity_protection.json", Alg::HS256, vec![&hmac]),
    ];
    for (file, alg, keys) in cases {
        let v = read_json(file);
        assert_eq!(v["input"]["alg"], alg.as_str(), "{file}");
        let input = v["signing"]["sig-input"].as_str().unwrap();
        let sig = base64url::decode(v["signing"]["sig"].as_str().unwrap()).unwrap();
        for key in keys {
            key.verify(alg, input.as_bytes(), &sig).unwrap_or_else(|e| panic!("{file}: {e}"));
            let mut tampered = input.as_bytes().to_vec();
            tampered.push(b'x');
            assert_eq!(key.verify(alg, &tampered, &sig).unwrap_err().code(), ErrorCode::SignatureVerificationFailed);
            // The public key in the JWK file is the one the private key derives.
            if key.is_private() && key.kty() != "oct" {
                let produced = key.sign(alg, input.as_bytes()).unwrap();
                key.verify(alg, input.as_bytes(), &produced).unwrap();
            }
        }
    }
    // RS256 in 4.1 is deterministic: our signature must equal the RFC's.
    let v = read_json("jws/4_1.rsa_v15_signature.json");
    let input = v["signing"]["sig-input"].as_str().unwrap();
    let ours = rsa_priv.sign(Alg::RS256, input.as_bytes()).unwrap();
    assert_eq!(base64url::encode(&ours), v["signing"]["sig"].as_str().unwrap());
    // The public JWK of the private key equals the RFC public key.
    assert_eq!(rsa_priv.to_public_jwk().unwrap(), rsa_pub.to_public_jwk().unwrap());
    assert_eq!(ec_priv.to_public_jwk().unwrap(), ec_pub.to_public_jwk().unwrap());
}

#[test]
fn sign_then_verify_every_alg() {
    for alg in Alg::ALL {
        let (private, public) = match alg.family() {
            Family::Hmac => {
                let k =
                    Key::from_secret(&crate::random::random_bytes(alg.hash().output_len()).unwrap(), Some(alg), None)
                        .unwrap();
                (k.clone(), k)
            }
            Family::RsaPkcs1 | Family::RsaPss => {
                let private = Key::from_pem(&rsa_pem_private_pkcs8(), Some(alg), Some("r".into())).unwrap();
                let public = private.public_key().unwrap();
                (private, public)
            }
            _ => Key::generate(alg, Some(format!("k-{alg}"))).unwrap(),
        };
        assert_eq!(private.alg(), Some(alg));
        assert_eq!(public.alg(), Some(alg));
        let sig = private.sign(alg, b"a.b").unwrap();
        match alg.family() {
            Family::Ecdsa => assert_eq!(sig.len(), 2 * private.material().curve().unwrap().field_len()),
            Family::EdDsa => assert_eq!(sig.len(), 64),
            Family::Hmac => assert_eq!(sig.len(), alg.hash().output_len()),
            _ => assert_eq!(sig.len(), 256),
        }
        public.verify(alg, b"a.b", &sig).unwrap();
        private.verify(alg, b"a.b", &sig).unwrap();
        assert_eq!(public.verify(alg, b"a.c", &sig).unwrap_err().code(), ErrorCode::SignatureVerificationFailed);
        let mut bad = sig.clone();
        bad[0] ^= 1;
        assert!(public.verify(alg, b"a.b", &bad).is_err());
        assert!(public.verify(alg, b"a.b", &sig[..sig.len() - 1]).is_err());
        let mut long = sig.clone();
        long.push(0);
        assert!(public.verify(alg, b"a.b", &long).is_err());
        if alg.family() != Family::Hmac {
            let e = public.sign(alg, b"a.b").unwrap_err();
            assert_eq!(e.code(), ErrorCode::NotSupported);
            assert_eq!(e.message(), "signing needs a private key");
        }
        // Bound to its alg: every other algorithm is refused.
        for other in Alg::ALL.into_iter().filter(|o| *o != alg) {
            assert!(!public.fits(other));
            assert_eq!(public.verify(other, b"a.b", &sig).unwrap_err().code(), ErrorCode::AlgNotAllowed);
        }
    }
}

#[test]
fn generate_rsa_and_refuse_hmac() {
    let (private, public) = Key::generate(Alg::PS256, Some("gen".into())).unwrap();
    assert_eq!(public.kid(), Some("gen"));
    let sig = private.sign(Alg::PS256, b"m").unwrap();
    public.verify(Alg::PS256, b"m", &sig).unwrap();
    let jwk = public.to_public_jwk().unwrap();
    assert_eq!(base64url::decode(jwk["n"].as_str().unwrap()).unwrap().len(), 256);
    assert_eq!(jwk["e"], "AQAB");
    let e = Key::generate(Alg::HS256, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotSupported);
    assert!(e.message().contains("Key::from_secret"));
}

#[test]
fn every_pem_label_round_trips() {
    use p256::pkcs8::{EncodePrivateKey, EncodePublicKey};
    use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
    let lf = rsa::pkcs8::LineEnding::LF;
    let rsa = rsa_private();
    let rsa_pems = [
        rsa.to_pkcs1_pem(lf).unwrap().to_string(),
        rsa.to_pkcs8_pem(lf).unwrap().to_string(),
        rsa.to_public_key().to_pkcs1_pem(lf).unwrap(),
        rsa_pem_public_spki(),
    ];
    let reference = Key::from_pem(&rsa_pems[1], None, None).unwrap();
    let sig = reference.sign(Alg::RS256, b"x").unwrap();
    for (i, pem) in rsa_pems.iter().enumerate() {
        let key = Key::from_pem(pem, Some(Alg::RS256), None).unwrap_or_else(|e| panic!("{i}: {e}"));
        assert_eq!(key.is_private(), i < 2);
        key.verify(Alg::RS256, b"x", &sig).unwrap();
        // Windows line endings are fine too.
        Key::from_pem(&pem.replace('\n', "\r\n"), None, None).unwrap();
    }

    macro_rules! ec_case {
        ($curve:ident, $alg:expr) => {{
            let sk = {
                use p256::elliptic_curve::Generate;
                $curve::SecretKey::try_generate_from_rng(&mut crate::random::system_rng()).unwrap()
            };
            let pems = [
                sk.to_sec1_pem(lf).unwrap().to_string(),
                sk.to_pkcs8_pem(lf).unwrap().to_string(),
                sk.public_key().to_public_key_pem(lf).unwrap(),
            ];
            let signer = Key::from_pem(&pems[0], Some($alg), None).unwrap();
            let sig = signer.sign($alg, b"x").unwrap();
            for (i, pem) in pems.iter().enumerate() {
                let key = Key::from_pem(pem, None, None).unwrap_or_else(|e| panic!("{}: {i}: {e}", $alg));
                assert_eq!(key.kty(), "EC");
                assert_eq!(key.is_private(), i < 2);
                key.verify($alg, b"x", &sig).unwrap();
                // A curve's key cannot be declared for another curve's alg.
                let wrong = if $alg == Alg::ES256 { Alg::ES384 } else { Alg::ES256 };
                assert_eq!(Key::from_pem(pem, Some(wrong), None).unwrap_err().code(), ErrorCode::JwkInvalid);
            }
        }};
    }
    ec_case!(p256, Alg::ES256);
    ec_case!(p384, Alg::ES384);
    ec_case!(p521, Alg::ES512);

    let mut seed = [0u8; 32];
    crate::random::fill(&mut seed).unwrap();
    let ed = ed25519_dalek::SigningKey::from_bytes(&seed);
    let ed_priv = Key::from_pem(&ed.to_pkcs8_pem(lf).unwrap(), Some(Alg::EdDSA), None).unwrap();
    let ed_pub = Key::from_pem(&ed.verifying_key().to_public_key_pem(lf).unwrap(), None, None).unwrap();
    let sig = ed_priv.sign(Alg::EdDSA, b"x").unwrap();
    ed_pub.verify(Alg::EdDSA, b"x", &sig).unwrap();
    assert_eq!(
        Key::from_pem(&ed.to_pkcs8_pem(lf).unwrap(), Some(Alg::RS256), None).unwrap_err().code(),
        ErrorCode::JwkInvalid
    );
}

#[test]
fn unsupported_pem_is_refused_with_advice() {
    let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    let e = Key::from_pem(cert, None, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwkInvalid);
    assert!(e.message().contains("malformed X.509 certificate"), "{e}");
    let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(Key::from_pem(enc, None, None).unwrap_err().message().contains("encrypted"));
    let legacy = rsa_private_pkcs1_encrypted_header();
    assert_eq!(Key::from_pem(&legacy, None, None).unwrap_err().code(), ErrorCode::JwkInvalid);
    for garbage in [
        "",
        "hello",
        "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n",
    ] {
        assert_eq!(Key::from_pem(garbage, None, None).unwrap_err().code(), ErrorCode::JwkInvalid, "{garbage:?}");
    }
    // X25519 SPKI (RFC 8410 example): a supported label, an unsupported algorithm.
    let x25519 = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    assert_eq!(Key::from_pem(x25519, None, None).unwrap_err().code(), ErrorCode::NotSupported);
}

fn rsa_private_pkcs1_encrypted_header() -> String {
    "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n".to_owned()
}

#[test]
fn small_rsa_keys_are_refused() {
    use rsa::pkcs8::EncodePublicKey;
    use rsa::traits::PublicKeyParts;
    let mut rng = crate::random::seeded_rng().unwrap();
    let small = rsa::RsaPrivateKey::new(&mut rng, 1024).unwrap();
    let pem = small.to_public_key().to_public_key_pem(rsa::pkcs8::LineEnding::LF).unwrap();
    let e = Key::from_pem(&pem, None, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwkInvalid);
    assert_eq!(e.message(), "RSA keys must be at least 2048 bits, got 1024");
    let jwk = json!({"kty": "RSA", "n": base64url::encode(&small.n().to_be_bytes()), "e": "AQAB"});
    assert_eq!(
        Key::from_jwk(jwk.as_object().unwrap()).unwrap_err().message(),
        "RSA keys must be at least 2048 bits, got 1024"
    );
    // Oversized moduli are refused before any arithmetic.
    let mut huge = vec![0xffu8; crate::crypto::RSA_MAX_BITS / 8 + 1];
    huge[0] = 1;
    let jwk = json!({"kty": "RSA", "n": base64url::encode(&huge), "e": "AQAB"});
    assert!(Key::from_jwk(jwk.as_object().unwrap()).unwrap_err().message().contains("at most 4096"));
}

#[test]
fn ec_points_must_be_on_the_curve_and_exact_length() {
    let good = jwk_file("3_1.ec_public_key.json");
    Key::from_jwk(&good).unwrap();
    let mut off = good.clone();
    let mut y = base64url::decode(good["y"].as_str().unwrap()).unwrap();
    let last = y.len() - 1;
    y[last] ^= 1;
    off.insert("y".into(), json!(base64url::encode(&y)));
    let e = Key::from_jwk(&off).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwkInvalid);
    assert!(e.message().contains("not a valid point"), "{e}");
    // x without its leading zero octet (65 bytes for P-521) is refused.
    let mut short = good.clone();
    let x = base64url::decode(good["x"].as_str().unwrap()).unwrap();
    short.insert("x".into(), json!(base64url::encode(&x[1..])));
    assert_eq!(Key::from_jwk(&short).unwrap_err().code(), ErrorCode::JwkInvalid);
    // A private d that does not match x/y is refused.
    let (other, _) = Key::generate(Alg::ES512, None).unwrap();
    let mut mixed = jwk_file("3_2.ec_private_key.json");
    let other_jwk = other.to_public_jwk().unwrap();
    mixed.insert("x".into(), other_jwk["x"].clone());
    mixed.insert("y".into(), other_jwk["y"].clone());
    assert_eq!(Key::from_jwk(&mixed).unwrap_err().code(), ErrorCode::JwkInvalid);
}

#[test]
fn ecdsa_rejects_zero_and_der_signatures() {
    let (private, public) = Key::generate(Alg::ES256, None).unwrap();
    assert!(public.verify(Alg::ES256, b"m", &[0u8; 64]).is_err()); // CVE-2022-21449
    let sig = private.sign(Alg::ES256, b"m").unwrap();
    let der = p256::ecdsa::Signature::from_slice(&sig).unwrap().to_der();
    assert_eq!(
        public.verify(Alg::ES256, b"m", der.as_bytes()).unwrap_err().code(),
        ErrorCode::SignatureVerificationFailed
    );
}

#[test]
fn algorithm_confusion_is_impossible() {
    let rsa_pem = rsa_pem_public_spki();
    // The PEM text of a public key is never an HMAC secret...
    let e = Key::from_secret(rsa_pem.as_bytes(), None, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwkInvalid);
    // ...and even raw bytes that happen to be a public key only ever do HS*.
    let as_secret = Key::from_secret(&rsa_pem.as_bytes()[5..], None, None).unwrap();
    let hs_sig = as_secret.sign(Alg::HS256, b"a.b").unwrap();
    let e = as_secret.verify(Alg::RS256, b"a.b", &hs_sig).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlgNotAllowed);
    assert_eq!(e.message(), "a secret key cannot be used with RS256");
    // An RSA key never does HS256, with its own PEM as the "secret" signature or otherwise.
    let rsa_key = Key::from_pem(&rsa_pem, None, None).unwrap();
    let e = rsa_key.verify(Alg::HS256, b"a.b", &hs_sig).unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlgNotAllowed);
    assert_eq!(e.message(), "an RSA key cannot be used with HS256");
    assert!(!rsa_key.fits(Alg::HS256) && rsa_key.fits(Alg::RS256) && rsa_key.fits(Alg::PS512));
    assert!(!rsa_key.fits(Alg::ES256) && !rsa_key.fits(Alg::EdDSA));
    // A JWK that declares a foreign alg is invalid.
    let mut jwk = rsa_key.to_public_jwk().unwrap();
    jwk.insert("alg".into(), json!("HS256"));
    assert_eq!(Key::from_jwk(&jwk).unwrap_err().code(), ErrorCode::JwkInvalid);
    jwk.insert("alg".into(), json!("RSA-OAEP"));
    assert_eq!(Key::from_jwk(&jwk).unwrap_err().code(), ErrorCode::NotSupported);
    jwk.insert("alg".into(), json!("RS256"));
    let bound = Key::from_jwk(&jwk).unwrap();
    assert!(bound.fits(Alg::RS256) && !bound.fits(Alg::PS256));
    jwk.insert("use".into(), json!("enc"));
    assert!(!Key::from_jwk(&jwk).unwrap().fits(Alg::RS256));
    jwk.insert("use".into(), json!("sig"));
    jwk.insert("key_ops".into(), json!(["encrypt"]));
    assert!(!Key::from_jwk(&jwk).unwrap().fits(Alg::RS256));
    jwk.insert("key_ops".into(), json!(["verify"]));
    assert!(Key::from_jwk(&jwk).unwrap().fits(Alg::RS256));
}

#[test]
fn hmac_secret_policy() {
    assert_eq!(Key::from_secret(b"", None, None).unwrap_err().code(), ErrorCode::JwkInvalid);
    let short = Key::from_secret(&[7u8; 32], None, None).unwrap();
    short.sign(Alg::HS256, b"m").unwrap();
    for alg in [Alg::HS384, Alg::HS512] {
        let e = short.sign(alg, b"m").unwrap_err();
        assert_eq!(e.code(), ErrorCode::JwkInvalid);
        assert!(e.message().contains("got 32"));
        assert_eq!(short.verify(alg, b"m", &[0u8; 64]).unwrap_err().code(), ErrorCode::JwkInvalid);
    }
    assert_eq!(Key::from_secret(&[7u8; 32], Some(Alg::HS384), None).unwrap_err().code(), ErrorCode::JwkInvalid);
    assert_eq!(Key::from_secret(&[7u8; 64], Some(Alg::ES256), None).unwrap_err().code(), ErrorCode::JwkInvalid);
    let tag = short.sign(Alg::HS256, b"m").unwrap();
    assert_eq!(short.verify(Alg::HS256, b"m", &tag[..16]).unwrap_err().code(), ErrorCode::SignatureVerificationFailed);
    let jwk = json!({"kty": "oct", "k": base64url::encode(&[1u8; 16]), "alg": "HS256"});
    assert_eq!(Key::from_jwk(jwk.as_object().unwrap()).unwrap_err().code(), ErrorCode::JwkInvalid);
    let e = short.to_public_jwk().unwrap_err();
    assert_eq!((e.code(), e.message()), (ErrorCode::NotSupported, "a secret key has no public form"));
}

#[test]
fn debug_never_shows_key_material() {
    let secret = b"super-secret-value-0123456789-abcdef";
    let key = Key::from_secret(secret, Some(Alg::HS256), Some("k1".into())).unwrap();
    let text = format!("{key:?} {key:#?}");
    assert!(!text.contains("super-secret"), "{text}");
    assert!(!text.contains(&format!("{:?}", &secret[..8])), "{text}");
    assert!(text.contains("k1") && text.contains("oct"));
    let e = key.verify(Alg::HS384, b"m", b"x").unwrap_err();
    assert!(!e.message().contains("super-secret"));
    let rsa_priv = Key::from_jwk(&jwk_file("3_4.rsa_private_key.json")).unwrap();
    let d = jwk_file("3_4.rsa_private_key.json")["d"].as_str().unwrap().to_owned();
    let text = format!("{rsa_priv:?}");
    assert!(!text.contains(&d[..20]) && !text.contains("BoxedUint"), "{text}");
}

#[test]
fn public_jwk_has_no_private_members() {
    let rsa_priv = Key::from_jwk(&jwk_file("3_4.rsa_private_key.json")).unwrap();
    let (ed, _) = Key::generate(Alg::EdDSA, Some("e".into())).unwrap();
    for key in [rsa_priv, Key::from_jwk(&jwk_file("3_2.ec_private_key.json")).unwrap(), ed] {
        let jwk = key.to_public_jwk().unwrap();
        for member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(!jwk.contains_key(member), "{member} in {jwk:?}");
        }
        let back = Key::from_jwk(&jwk).unwrap();
        assert!(!back.is_private());
        assert_eq!(back.to_public_jwk().unwrap(), jwk);
    }
}

#[test]
fn jwk_type_errors_are_invalid() {
    for bad in [
        json!({}),
        json!({"kty": 1}),
        json!({"kty": "RSA", "n": 5, "e": "AQAB"}),
        json!({"kty": "RSA", "n": "a+b", "e": "AQAB"}),
        json!({"kty": "EC", "crv": "P-256", "x": "AA"}),
        json!({"kty": "oct", "k": ""}),
        json!({"kty": "oct", "k": "AAAA", "kid": 3}),
        json!({"kty": "oct", "k": "AAAA", "key_ops": "sign"}),
    ] {
        assert_eq!(Key::from_jwk(bad.as_object().unwrap()).unwrap_err().code(), ErrorCode::JwkInvalid, "{bad}");
    }
    for unsupported in [
        json!({"kty": "OKP", "crv": "X25519", "x": "AAAA"}),
        json!({"kty": "OKP", "crv": "Ed448", "x": "AAAA"}),
        json!({"kty": "EC", "crv": "secp256k1", "x": "AAAA", "y": "AAAA"}),
        json!({"kty": "AKP"}),
    ] {
        assert_eq!(Key::from_jwk(unsupported.as_object().unwrap()).unwrap_err().code(), ErrorCode::NotSupported);
    }
    assert_eq!(Key::from_jwk_json("[1]").unwrap_err().code(), ErrorCode::JwkInvalid);
    assert_eq!(Key::from_jwk_json("{").unwrap_err().code(), ErrorCode::JwkInvalid);
}

#[test]
fn key_set_selection() {
    let (a, a_pub) = Key::generate(Alg::ES256, Some("a".into())).unwrap();
    let (_, b_pub) = Key::generate(Alg::ES256, Some("b".into())).unwrap();
    let (_, ed_pub) = Key::generate(Alg::EdDSA, None).unwrap();
    let set = KeySet::new(vec![a_pub.clone(), b_pub.clone(), ed_pub]);
    assert_eq!(set.select(Alg::ES256, Some("a")).unwrap().kid(), Some("a"));
    assert_eq!(set.select(Alg::EdDSA, None).unwrap().kty(), "OKP");
    let e = set.select(Alg::ES256, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwksMultipleMatchingKeys);
    let e = set.select(Alg::RS256, Some("abc")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwksNoMatchingKey);
    assert_eq!(e.message(), "no key in the set matches kid \"abc\" and alg RS256");
    let long = "x".repeat(1000);
    assert!(set.select(Alg::ES256, Some(&long)).unwrap_err().message().len() < 200);
    let sig = a.sign(Alg::ES256, b"m").unwrap();
    set.select(Alg::ES256, Some("a")).unwrap().verify(Alg::ES256, b"m", &sig).unwrap();

    // JWKS round trip: a local oct secret is kept (never exported); broken members are
    // skipped; structure errors are not.
    let mut jwks = set.to_jwks().unwrap();
    let keys = jwks["keys"].as_array_mut().unwrap();
    assert_eq!(keys.len(), 3);
    keys.push(json!({"kty": "oct", "k": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}));
    keys.push(json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
    keys.push(json!({"kty": "OKP", "crv": "X25519", "x": "AAAA"}));
    let parsed = KeySet::from_jwks(&jwks).unwrap();
    assert_eq!((parsed.len(), parsed.skipped()), (4, 2));
    assert_eq!(parsed.to_jwks().unwrap()["keys"].as_array().unwrap().len(), 3);
    let with_secret = KeySet::new(vec![Key::from_secret(&[1u8; 32], None, None).unwrap()]);
    assert_eq!(with_secret.to_jwks().unwrap(), json!({"keys": []}));
    for bad in [json!([]), json!({}), json!({"keys": {}}), json!({"keys": [1]}), json!({"keys": ["x"]})] {
        assert_eq!(KeySet::from_jwks(&bad).unwrap_err().code(), ErrorCode::JwksInvalid, "{bad}");
    }
    let too_many = json!({"keys": vec![json!({"kty": "EC"}); MAX_JWKS_KEYS + 1]});
    assert_eq!(KeySet::from_jwks(&too_many).unwrap_err().code(), ErrorCode::JwksInvalid);
    assert_eq!(KeySet::from_jwks_json("nope").unwrap_err().code(), ErrorCode::JwksInvalid);
}

#[test]
fn material_exports_for_other_backends() {
    let (private, public) = Key::generate(Alg::ES384, None).unwrap();
    let spki = public.material().spki_der().unwrap();
    assert_eq!(private.material().spki_der().unwrap(), spki);
    assert!(public.material().pkcs8_der().unwrap().is_none());
    assert!(private.material().pkcs8_der().unwrap().is_some());
}

#[test]
fn secret_and_private_material_is_wiped_on_drop() {
    // Checked at compile time: every type that holds a secret, a private key or state derived
    // from one wipes itself when dropped, so freed memory keeps no key.
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<zeroize::Zeroizing<Vec<u8>>>(); // HMAC secrets, decoded JWK members, PEM DER
    wiped_on_drop::<rsa::RsaPrivateKey>();
    wiped_on_drop::<p256::ecdsa::SigningKey>();
    wiped_on_drop::<p384::ecdsa::SigningKey>();
    wiped_on_drop::<p521::ecdsa::SigningKey>();
    wiped_on_drop::<p256::SecretKey>();
    wiped_on_drop::<ed25519_dalek::SigningKey>();
    // hmac 0.13 does not mark `Hmac<D>` itself, but its keyed state is two SHA-2 cores and a
    // block buffer, which wipe themselves (Cargo.toml enables the `zeroize` feature of both).
    wiped_on_drop::<sha2::Sha256>();
    wiped_on_drop::<sha2::Sha384>();
    wiped_on_drop::<sha2::Sha512>();
    wiped_on_drop::<chacha20::ChaCha20Rng>(); // seeds RSA key generation
}

#[test]
fn parsed_jwk_json_is_wiped() {
    let mut value = read_json("jwk/3_4.rsa_private_key.json");
    let mut nested = json!({"keys": [value.clone(), [value.clone()]]});
    jwk::wipe_strings(&mut value);
    jwk::wipe_strings(&mut nested);
    for member in ["d", "p", "q", "dp", "dq", "qi", "n"] {
        assert_eq!(value[member], "", "{member} not wiped");
        assert_eq!(nested["keys"][1][0][member], "", "{member} not wiped when nested");
    }
}
