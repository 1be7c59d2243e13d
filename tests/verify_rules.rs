//! The verification rules users rely on, through the public Rust API: the algorithm allowlist,
//! `none` in every spelling, `crit` and `b64`, `typ`, `kid` handling, key binding, strict
//! encoding, size limits, and the order of checks (signature before claims).

use jwtward::base64url::encode;
use jwtward::{Alg, ClaimOptions, ErrorCode, Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

const NOW: f64 = 1_763_900_000.0;
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

/// A token with any header and payload, signed with HS256 under `SECRET`.
fn hs256_token(header: &str, payload: &str) -> String {
    let key = Key::from_secret(SECRET, None, None).unwrap();
    let input = format!("{}.{}", encode(header.as_bytes()), encode(payload.as_bytes()));
    let sig = key.sign(Alg::HS256, input.as_bytes()).unwrap();
    format!("{input}.{}", encode(&sig))
}

fn hs_verifier(algs: Vec<Alg>) -> Verifier {
    Verifier::new(KeySet::new(vec![Key::from_secret(SECRET, None, None).unwrap()]), VerifyOptions::new(algs)).unwrap()
}

fn code(v: &Verifier, token: &str) -> ErrorCode {
    v.verify(token, NOW).unwrap_err().code()
}

#[test]
fn a_well_formed_token_verifies() {
    let v = hs_verifier(vec![Alg::HS256]);
    let t = hs256_token(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"ada","exp":1763900100}"#);
    let verified = v.verify(&t, NOW).unwrap();
    assert_eq!(verified.payload()["sub"], "ada");
    assert_eq!(verified.payload_json, r#"{"sub":"ada","exp":1763900100}"#);
}

#[test]
fn none_is_refused_in_every_spelling() {
    let v = hs_verifier(vec![Alg::HS256]);
    for alg in ["none", "None", "NONE", "nOnE"] {
        let t = format!("{}.{}.", encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()), encode(b"{}"));
        assert_eq!(code(&v, &t), ErrorCode::AlgNotAllowed, "{alg}");
        let with_sig = format!("{t}c2ln");
        assert_eq!(code(&v, &with_sig), ErrorCode::AlgNotAllowed, "{alg}");
    }
    assert!(VerifyOptions::from_json(r#"{"algorithms":["none"]}"#).is_err());
    assert!(VerifyOptions::from_json(r#"{"algorithms":["NONE"]}"#).is_err());
}

#[test]
fn algorithms_are_required_and_checked() {
    assert_eq!(VerifyOptions::from_json("{}").unwrap_err().code(), ErrorCode::InvalidArgument);
    assert_eq!(VerifyOptions::from_json(r#"{"algorithms":[]}"#).unwrap_err().code(), ErrorCode::InvalidArgument);
    assert!(VerifyOptions::from_json(r#"{"algorithms":["HS256"],"audiance":"x"}"#).is_err());
    let v = hs_verifier(vec![Alg::HS384]);
    let t = hs256_token(r#"{"alg":"HS256"}"#, "{}");
    assert_eq!(code(&v, &t), ErrorCode::AlgNotAllowed);
}

#[test]
fn an_asymmetric_key_never_verifies_hmac() {
    // The classic confusion: an HS256 token "signed" with the RSA public key's bytes as the secret.
    let (_, public) = Key::generate(Alg::RS256, None).unwrap();
    let public_jwk = serde_json::to_vec(&public.to_public_jwk().unwrap()).unwrap();
    // jwtward refuses those bytes as a secret (tests/attacks.rs), so the MAC is computed directly.
    assert_eq!(Key::from_secret(&public_jwk, None, None).unwrap_err().code(), ErrorCode::JwkInvalid);
    let input = format!("{}.{}", encode(br#"{"alg":"HS256"}"#), encode(b"{}"));
    let mut mac = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(&public_jwk).unwrap();
    hmac::Mac::update(&mut mac, input.as_bytes());
    let forged = format!("{input}.{}", encode(&hmac::Mac::finalize(mac).into_bytes()));
    let v = Verifier::new(KeySet::new(vec![public.clone()]), VerifyOptions::new(vec![Alg::HS256, Alg::RS256])).unwrap();
    assert_eq!(code(&v, &forged), ErrorCode::JwksNoMatchingKey);
    assert!(!public.fits(Alg::HS256));
    assert!(public.verify(Alg::HS256, input.as_bytes(), b"x").is_err());
}

#[test]
fn a_keys_own_alg_must_match() {
    let key = Key::from_secret(SECRET, Some(Alg::HS512), None).unwrap();
    let v = Verifier::new(KeySet::new(vec![key]), VerifyOptions::new(vec![Alg::HS256, Alg::HS512])).unwrap();
    assert_eq!(code(&v, &hs256_token(r#"{"alg":"HS256"}"#, "{}")), ErrorCode::JwksNoMatchingKey);
}

#[test]
fn crit_and_b64_are_refused() {
    let v = hs_verifier(vec![Alg::HS256]);
    let cases = [
        (r#"{"alg":"HS256","crit":["exp"],"exp":1}"#, ErrorCode::NotSupported),
        (r#"{"alg":"HS256","crit":["b64"],"b64":false}"#, ErrorCode::NotSupported),
        (r#"{"alg":"HS256","b64":false}"#, ErrorCode::NotSupported),
        (r#"{"alg":"HS256","crit":[]}"#, ErrorCode::JwsInvalid),
        (r#"{"alg":"HS256","crit":"exp"}"#, ErrorCode::JwsInvalid),
        (r#"{"alg":"HS256","crit":["alg"]}"#, ErrorCode::JwsInvalid),
        (r#"{"alg":"HS256","crit":["x"]}"#, ErrorCode::JwsInvalid),
    ];
    for (header, expected) in cases {
        assert_eq!(code(&v, &hs256_token(header, "{}")), expected, "{header}");
    }
    assert!(v.verify(&hs256_token(r#"{"alg":"HS256","b64":true}"#, "{}"), NOW).is_ok());
}

#[test]
fn typ_is_compared_as_a_media_type() {
    let mut o = VerifyOptions::new(vec![Alg::HS256]);
    o.typ = Some("at+jwt".into());
    let v = Verifier::new(KeySet::new(vec![Key::from_secret(SECRET, None, None).unwrap()]), o).unwrap();
    for ok in ["at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT"] {
        assert!(v.verify(&hs256_token(&format!(r#"{{"alg":"HS256","typ":"{ok}"}}"#), "{}"), NOW).is_ok(), "{ok}");
    }
    for bad in [r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"alg":"HS256"}"#, r#"{"alg":"HS256","typ":1}"#] {
        let e = v.verify(&hs256_token(bad, "{}"), NOW).unwrap_err();
        assert_eq!((e.code(), e.claim_name()), (ErrorCode::ClaimValidationFailed, Some("typ")), "{bad}");
    }
}

#[test]
fn kid_selects_and_must_be_a_string() {
    let k1 = Key::from_secret(SECRET, None, Some("one".into())).unwrap();
    let k2 = Key::from_secret(&[9u8; 32], None, Some("two".into())).unwrap();
    let v = Verifier::new(KeySet::new(vec![k1, k2]), VerifyOptions::new(vec![Alg::HS256])).unwrap();
    assert!(v.verify(&hs256_token(r#"{"alg":"HS256","kid":"one"}"#, "{}"), NOW).is_ok());
    assert_eq!(code(&v, &hs256_token(r#"{"alg":"HS256","kid":"two"}"#, "{}")), ErrorCode::SignatureVerificationFailed);
    assert_eq!(
        code(&v, &hs256_token(r#"{"alg":"HS256","kid":"../../etc/passwd"}"#, "{}")),
        ErrorCode::JwksNoMatchingKey
    );
    assert_eq!(code(&v, &hs256_token(r#"{"alg":"HS256","kid":1}"#, "{}")), ErrorCode::JwsInvalid);
    assert_eq!(code(&v, &hs256_token(r#"{"alg":"HS256"}"#, "{}")), ErrorCode::JwksMultipleMatchingKeys);
}

#[test]
fn embedded_keys_in_the_header_are_ignored() {
    // A token carrying its own key (CVE-2018-0114) still needs a key from the verifier's set.
    let (private, public) = Key::generate(Alg::ES256, None).unwrap();
    let jwk = serde_json::to_string(&public.to_public_jwk().unwrap()).unwrap();
    let header =
        format!(r#"{{"alg":"ES256","jwk":{jwk},"jku":"https://evil.example/jwks","x5u":"https://evil.example/c"}}"#);
    let input = format!("{}.{}", encode(header.as_bytes()), encode(b"{}"));
    let token = format!("{input}.{}", encode(&private.sign(Alg::ES256, input.as_bytes()).unwrap()));
    let (_, other) = Key::generate(Alg::ES256, None).unwrap();
    let v = Verifier::new(KeySet::new(vec![other]), VerifyOptions::new(vec![Alg::ES256])).unwrap();
    assert_eq!(code(&v, &token), ErrorCode::SignatureVerificationFailed);
}

#[test]
fn encoding_tricks_are_refused() {
    let v = hs_verifier(vec![Alg::HS256]);
    let good = hs256_token(r#"{"alg":"HS256"}"#, r#"{"a":"???"}"#);
    assert!(v.verify(&good, NOW).is_ok());
    let (head, rest) = good.split_once('.').unwrap();
    let variants = [
        format!("{head}=.{rest}"),
        format!(" {good}"),
        format!("{good}\n"),
        format!("{head}.{}", rest.replace('_', "/").replace('-', "+")),
        format!("{good}."),
        good.rsplit_once('.').unwrap().0.to_owned(),
        format!("\u{feff}{good}"),
        format!("{good}="),
    ];
    for t in &variants {
        if t != &good {
            assert!(v.verify(t, NOW).is_err(), "{t:?} accepted");
        }
    }
    let dup_header = hs256_token(r#"{"alg":"HS256","alg":"HS256"}"#, "{}");
    assert_eq!(code(&v, &dup_header), ErrorCode::JwsInvalid);
    let dup_payload = hs256_token(r#"{"alg":"HS256"}"#, r#"{"sub":"a","sub":"b"}"#);
    assert_eq!(code(&v, &dup_payload), ErrorCode::JwtInvalid);
    for header in ["[]", "1", "null", r#""HS256""#] {
        assert_eq!(code(&v, &hs256_token(header, "{}")), ErrorCode::JwsInvalid, "{header}");
    }
}

#[test]
fn size_limit_is_checked_before_decoding() {
    let v = hs_verifier(vec![Alg::HS256]);
    let big = hs256_token(r#"{"alg":"HS256"}"#, &format!(r#"{{"pad":"{}"}}"#, "x".repeat(20_000)));
    let e = v.verify(&big, NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwtInvalid);
    assert!(e.to_string().contains("16384"), "{e}");
    let mut o = VerifyOptions::from_json(r#"{"algorithms":["HS256"],"maxTokenSize":65536}"#).unwrap();
    o.claims = ClaimOptions::default();
    let roomy = Verifier::new(KeySet::new(vec![Key::from_secret(SECRET, None, None).unwrap()]), o).unwrap();
    assert!(roomy.verify(&big, NOW).is_ok());
}

#[test]
fn the_signature_is_checked_before_the_claims() {
    let v = hs_verifier(vec![Alg::HS256]);
    let expired = hs256_token(r#"{"alg":"HS256"}"#, r#"{"exp":1}"#);
    assert_eq!(code(&v, &expired), ErrorCode::Expired);
    let forged = format!("{}AAAA", expired.rsplit_once('.').unwrap().0.to_owned() + ".");
    assert_eq!(code(&v, &forged), ErrorCode::SignatureVerificationFailed);
    let empty_sig = format!("{}.", expired.rsplit_once('.').unwrap().0);
    assert_eq!(code(&v, &empty_sig), ErrorCode::JwsInvalid);
}

#[test]
fn signer_sets_registered_claims_and_refuses_duplicates() {
    let key = Key::from_secret(SECRET, None, Some("k1".into())).unwrap();
    let mut o = SignerOptions::new(Alg::HS256);
    o.issuer = Some("https://id.example".into());
    let signer = Signer::new(key, o).unwrap();
    let token = signer.sign(&obj(json!({"sub": "ada"})), NOW).unwrap();
    let d = jwtward::decode(&token).unwrap();
    assert_eq!(d.header["kid"], "k1");
    assert_eq!(d.header["typ"], "JWT");
    assert_eq!(d.payload["exp"].as_f64().unwrap() - d.payload["iat"].as_f64().unwrap(), 900.0);
    assert_eq!(d.payload["jti"].as_str().unwrap().len(), 22);
    let e = signer.sign(&obj(json!({"exp": 1})), NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    // Short secrets are refused up front (RFC 7518 3.2).
    let short = Key::from_secret(b"too short", None, None).unwrap();
    assert!(Signer::new(short, SignerOptions::new(Alg::HS256)).is_err());
}

#[test]
fn a_secret_too_short_for_every_allowed_hmac_alg_is_refused_when_the_verifier_is_built() {
    let keys = |len: usize| KeySet::new(vec![Key::from_secret(&vec![7u8; len], None, None).unwrap()]);
    let err = Verifier::new(keys(16), VerifyOptions::new(vec![Alg::HS256])).unwrap_err();
    assert_eq!(err.code(), ErrorCode::JwkInvalid);
    assert!(err.to_string().contains("32 bytes"), "{err}");
    // Usable by one of the allowed algorithms: fine (HS384 tokens will then fail per token).
    assert!(Verifier::new(keys(40), VerifyOptions::new(vec![Alg::HS256, Alg::HS384])).is_ok());
    // No HMAC algorithm allowed: the secret is simply never selected.
    assert!(Verifier::new(keys(16), VerifyOptions::new(vec![Alg::RS256])).is_ok());
}

#[test]
fn set_keys_swaps_the_keys_and_keeps_the_options() {
    let t = hs256_token(r#"{"alg":"HS256"}"#, r#"{"sub":"ada"}"#);
    let mut v = Verifier::new(KeySet::default(), VerifyOptions::new(vec![Alg::HS256])).unwrap();
    assert_eq!(code(&v, &t), ErrorCode::JwksNoMatchingKey);
    v.set_keys(KeySet::new(vec![Key::from_secret(SECRET, None, None).unwrap()])).unwrap();
    assert_eq!(v.verify(&t, NOW).unwrap().payload()["sub"], "ada");
    // The new set passes the same up-front checks as one given to `new`.
    let short = KeySet::new(vec![Key::from_secret(b"short", None, None).unwrap()]);
    assert_eq!(v.set_keys(short).unwrap_err().code(), ErrorCode::JwkInvalid);
}

#[test]
fn a_remote_set_drops_its_secrets() {
    let jwks = json!({"keys": [
        {"kty": "oct", "kid": "h", "k": encode(SECRET)},
        {"kty": "OKP", "crv": "Ed25519", "kid": "e", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
    ]});
    let set = KeySet::from_jwks(&jwks).unwrap();
    assert_eq!((set.len(), set.skipped()), (2, 0));
    let remote = set.without_secrets();
    assert_eq!((remote.len(), remote.skipped()), (1, 1));
    assert_eq!(remote.keys()[0].kty(), "OKP");
}

/// Issue 13: an `expiresIn`/`notBefore` whose NumericDate is beyond 2^53 - 1 (or not finite)
/// was written as 0. It is refused as a misuse (`InvalidArgument`, a TypeError in JS); up to
/// the limit the exact value is written.
#[test]
fn lifetimes_beyond_a_safe_numeric_date_are_refused_not_written_as_zero() {
    let key = || Key::from_secret(SECRET, None, None).unwrap();
    let sign = |o: SignerOptions| Signer::new(key(), o).and_then(|s| s.sign(&Map::new(), NOW));
    let exp_of = |t: String| jwtward::decode(&t).unwrap().payload["exp"].as_i64().unwrap();
    let max = 9_007_199_254_740_991.0_f64;
    // 9e15 s fits: exp is written exactly, not as 0.
    let mut o = SignerOptions::new(Alg::HS256);
    o.expires_in = 9.0e15;
    assert_eq!(exp_of(sign(o).unwrap()), 9_000_000_000_000_000 + NOW as i64);
    for (expires_in, not_before) in [(max, None), (max - NOW + 1.0, None), (1e300, None), (900.0, Some(max))] {
        let mut o = SignerOptions::new(Alg::HS256);
        o.expires_in = expires_in;
        o.not_before = not_before;
        let e = sign(o).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{expires_in} {not_before:?}: {e}");
    }
    for bad in [f64::NAN, f64::INFINITY, -1.0] {
        let mut o = SignerOptions::new(Alg::HS256);
        o.expires_in = bad;
        assert_eq!(Signer::new(key(), o).unwrap_err().code(), ErrorCode::InvalidArgument, "{bad}");
    }
    // Through the JSON options of the JS API, and the per-token override.
    for json in [
        r#"{"alg":"HS256","expiresIn":9.1e15}"#,
        r#"{"alg":"HS256","notBefore":1e16}"#,
        r#"{"alg":"HS256","expiresIn":"300000000y"}"#,
    ] {
        assert_eq!(SignerOptions::from_json(json).unwrap_err().code(), ErrorCode::InvalidArgument, "{json}");
    }
    let o = SignerOptions::from_json(r#"{"alg":"HS256","expiresIn":9007199254740000}"#).unwrap();
    let e = Signer::new(key(), o).unwrap().sign(&Map::new(), NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(e.message().contains("expiresIn"), "{e}");
    let signer = Signer::new(key(), SignerOptions::new(Alg::HS256)).unwrap();
    let overrides: jwtward::sign::SignOverrides = serde_json::from_str(r#"{"expiresIn":9.1e15}"#).unwrap();
    assert_eq!(signer.sign_with(&Map::new(), &overrides, NOW).unwrap_err().code(), ErrorCode::InvalidArgument);
    // A time that is not a number at all is refused too, never written as iat 0.
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300] {
        assert_eq!(signer.sign(&Map::new(), now).unwrap_err().code(), ErrorCode::InvalidArgument, "{now}");
    }
}

/// Issue 13: the subject override replaced a `sub` in the claims silently; the other managed
/// claims were refused. Now it is refused the same way.
#[test]
fn the_subject_override_does_not_silently_replace_sub() {
    let signer = Signer::new(Key::from_secret(SECRET, None, None).unwrap(), SignerOptions::new(Alg::HS256)).unwrap();
    let overrides: jwtward::sign::SignOverrides = serde_json::from_str(r#"{"subject":"bob"}"#).unwrap();
    let e = signer.sign_with(&obj(json!({"sub": "ada"})), &overrides, NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    let t = signer.sign_with(&obj(json!({"n": 1})), &overrides, NOW).unwrap();
    assert_eq!(jwtward::decode(&t).unwrap().payload["sub"], "bob");
}

/// The RFC 8037 A.1 Ed25519 key as a JWK with `extra` members (`d` too when `private`).
fn ed25519_jwk(private: bool, extra: Value) -> Key {
    let mut jwk = obj(json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}));
    if private {
        jwk.insert("d".into(), json!("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"));
    }
    jwk.extend(obj(extra));
    Key::from_jwk(&jwk).unwrap()
}

/// Issue 13: a JWK whose `key_ops` lack "verify" (or whose `use` is not "sig") verified tokens.
/// In a set it is no candidate, and the error names `key_ops`; as the only key of a verifier it
/// is refused when the verifier is built; `Key::verify` refuses it; a signer needs "sign".
#[test]
fn keys_whose_key_ops_lack_verify_never_verify() {
    let signer = Signer::new(ed25519_jwk(true, json!({"key_ops": ["sign"]})), SignerOptions::new(Alg::EdDSA)).unwrap();
    let token = signer.sign(&obj(json!({"sub": "ada"})), NOW).unwrap();
    let algs = || VerifyOptions::new(vec![Alg::EdDSA, Alg::HS256]);
    let other = || Key::from_secret(SECRET, None, None).unwrap();
    for (extra, names) in [
        (json!({"key_ops": ["sign"]}), "key_ops"),
        (json!({"key_ops": []}), "key_ops"),
        (json!({"key_ops": ["encrypt", "wrapKey"]}), "key_ops"),
        (json!({"use": "enc"}), "use"),
        (json!({"use": "enc", "key_ops": ["verify"]}), "use"),
    ] {
        let public = ed25519_jwk(false, extra.clone());
        let set = Verifier::new(KeySet::new(vec![other(), public.clone()]), algs()).unwrap();
        let e = set.verify(&token, NOW).unwrap_err();
        assert_eq!(e.code(), ErrorCode::JwksNoMatchingKey, "{extra}: {e}");
        assert!(e.message().contains(names), "{extra}: {e}");
        let e = Verifier::new(KeySet::new(vec![public.clone()]), algs()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::JwkInvalid, "{extra}: {e}");
        assert!(e.message().contains(names), "{extra}: {e}");
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = jwtward::base64url::decode(sig).unwrap();
        let e = public.verify(Alg::EdDSA, input.as_bytes(), &sig).unwrap_err();
        assert_eq!(e.code(), ErrorCode::AlgNotAllowed, "{extra}: {e}");
        assert!(!public.fits(Alg::EdDSA), "{extra}");
    }
    // The same key through a JWKS document.
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "key_ops": ["sign"]}, {"kty": "oct", "k": encode(SECRET)}]});
    let v = Verifier::new(KeySet::from_jwks(&jwks).unwrap(), algs()).unwrap();
    let e = v.verify(&token, NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwksNoMatchingKey);
    assert!(e.message().contains("key_ops [\"sign\"]"), "{e}");
    // "verify" among the key_ops, or no key_ops at all: it verifies.
    for extra in [json!({"key_ops": ["verify"]}), json!({"key_ops": ["sign", "verify"], "use": "sig"}), json!({})] {
        let v = Verifier::new(KeySet::new(vec![ed25519_jwk(false, extra.clone())]), algs()).unwrap();
        assert_eq!(v.verify(&token, NOW).unwrap().payload()["sub"], "ada", "{extra}");
    }
    // A signer needs "sign": a private key published for verifying only cannot sign.
    let e = Signer::new(ed25519_jwk(true, json!({"key_ops": ["verify"]})), SignerOptions::new(Alg::EdDSA)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(e.message().contains("key_ops"), "{e}");
    // The public half of a WebCrypto-style private JWK ("key_ops": ["sign"]) is for verifying.
    let public = ed25519_jwk(true, json!({"key_ops": ["sign"]})).public_key().unwrap();
    assert_eq!(public.key_ops(), Some(&["verify".to_owned()][..]));
    let v = Verifier::new(KeySet::new(vec![public]), algs()).unwrap();
    assert!(v.verify(&token, NOW).is_ok());
}

/// Issue 13: `Verifier::verify` took `now = NaN` (or ±infinity) and then passed every time
/// check, so an expired token verified. Such a time is refused as misuse, before the token is
/// read; so are non-finite durations put directly into the options.
#[test]
fn a_non_finite_now_is_refused_not_passed() {
    let v = hs_verifier(vec![Alg::HS256]);
    let expired = hs256_token(r#"{"alg":"HS256"}"#, r#"{"sub":"ada","exp":1000,"nbf":900}"#);
    assert_eq!(code(&v, &expired), ErrorCode::Expired);
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for token in [expired.as_str(), "not a token"] {
            let e = v.verify(token, now).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{now} {token}: {e}");
        }
        let claims = ClaimOptions::from_json("{}").unwrap();
        let payload = jwtward::json::view::parse_object_view(r#"{"exp":1000}"#).unwrap();
        assert_eq!(claims.check(&payload, now).unwrap_err().code(), ErrorCode::InvalidArgument);
    }
    let keys = || KeySet::new(vec![Key::from_secret(SECRET, None, None).unwrap()]);
    for bad in [f64::NAN, f64::INFINITY, -5.0] {
        let mut o = VerifyOptions::new(vec![Alg::HS256]);
        o.claims.clock_tolerance = bad;
        assert_eq!(Verifier::new(keys(), o).unwrap_err().code(), ErrorCode::InvalidArgument, "{bad}");
        let mut o = VerifyOptions::new(vec![Alg::HS256]);
        o.claims.max_token_age = Some(bad);
        assert_eq!(Verifier::new(keys(), o).unwrap_err().code(), ErrorCode::InvalidArgument, "{bad}");
    }
}

#[test]
fn a_key_given_alone_without_a_kid_verifies_whatever_kid_the_token_carries() {
    let o = || VerifyOptions::new(vec![Alg::HS256]);
    let secret = || Key::from_secret(SECRET, None, None).unwrap();
    let with_kid = hs256_token(r#"{"alg":"HS256","kid":"rotated-2026"}"#, "{}");
    // One key given alone, no kid of its own: the token's kid does not matter.
    let alone = Verifier::new(KeySet::single(secret()), o()).unwrap();
    assert!(alone.verify(&with_kid, NOW).is_ok());
    assert!(alone.verify(&hs256_token(r#"{"alg":"HS256"}"#, "{}"), NOW).is_ok());
    // A set of one still needs the kid to match.
    let set = Verifier::new(KeySet::new(vec![secret()]), o()).unwrap();
    assert_eq!(code(&set, &with_kid), ErrorCode::JwksNoMatchingKey);
    // A key alone with a kid must match, and the message speaks of the key, not of a set.
    let named = Key::from_secret(SECRET, None, Some("y".into())).unwrap();
    let named = Verifier::new(KeySet::single(named), o()).unwrap();
    let e = named.verify(&hs256_token(r#"{"alg":"HS256","kid":"x"}"#, "{}"), NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwksNoMatchingKey);
    assert_eq!(e.message(), r#"the token's kid "x" is not this key's kid "y""#);
    assert!(named.verify(&hs256_token(r#"{"alg":"HS256","kid":"y"}"#, "{}"), NOW).is_ok());
    assert!(named.verify(&hs256_token(r#"{"alg":"HS256"}"#, "{}"), NOW).is_ok());
    // The key's family and own alg still bind.
    let bound = Key::from_secret(SECRET, Some(Alg::HS512), None).unwrap();
    let bound = Verifier::new(KeySet::single(bound), VerifyOptions::new(vec![Alg::HS256, Alg::HS512])).unwrap();
    assert_eq!(code(&bound, &with_kid), ErrorCode::JwksNoMatchingKey);
    let (_, public) = Key::generate(Alg::ES256, None).unwrap();
    let es = Verifier::new(KeySet::single(public), VerifyOptions::new(vec![Alg::HS256, Alg::ES256])).unwrap();
    assert_eq!(code(&es, &with_kid), ErrorCode::JwksNoMatchingKey);
    // Adding a key makes it a set again.
    let mut grown = KeySet::single(secret());
    grown.push(Key::from_secret(&[9u8; 32], None, None).unwrap());
    assert!(!grown.is_single());
}

#[test]
fn a_key_of_the_wrong_type_says_what_it_is_and_what_it_can_verify() {
    let (private, public) = Key::generate(Alg::ES256, None).unwrap();
    let input = format!("{}.{}", encode(br#"{"alg":"ES256"}"#), encode(b"{}"));
    let token = format!("{input}.{}", encode(&private.sign(Alg::ES256, input.as_bytes()).unwrap()));
    let (_, rsa) = Key::generate(Alg::RS256, None).unwrap();
    let es_only = || VerifyOptions::new(vec![Alg::ES256]);
    let alone = Verifier::new(KeySet::single(rsa.clone()), es_only()).unwrap();
    let e = alone.verify(&token, NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwksNoMatchingKey);
    assert_eq!(
        e.message(),
        "the key is an RSA key, which cannot verify ES256 (it can verify RS256, RS384, RS512, PS256, PS384, PS512); \
         check options.algorithms or the key"
    );
    let secret = Verifier::new(KeySet::single(Key::from_secret(SECRET, None, None).unwrap()), es_only()).unwrap();
    assert_eq!(
        secret.verify(&token, NOW).unwrap_err().message(),
        "the key is a secret key, which cannot verify ES256 (it can verify HS256, HS384, HS512); \
         check options.algorithms or the key"
    );
    let set = KeySet::new(vec![rsa.clone(), rsa, Key::from_secret(SECRET, None, None).unwrap()]);
    let e = Verifier::new(set, es_only()).unwrap().verify(&token, NOW).unwrap_err();
    assert_eq!(e.code(), ErrorCode::JwksNoMatchingKey);
    assert_eq!(
        e.message(),
        "no key in the set matches alg ES256: the set has 3 keys (2 RSA, 1 secret), none of which can verify ES256; \
         check options.algorithms or the keys"
    );
    let empty = Verifier::new(KeySet::new(vec![]), es_only()).unwrap();
    assert!(empty.verify(&token, NOW).unwrap_err().message().contains("the set is empty"));
    assert!(Verifier::new(KeySet::single(public), es_only()).unwrap().verify(&token, NOW).is_ok());
}

#[test]
fn whitespace_around_a_token_is_refused_with_a_message_that_says_to_trim_it() {
    let v = hs_verifier(vec![Alg::HS256]);
    let good = hs256_token(r#"{"alg":"HS256"}"#, "{}");
    for ws in ["\n", "\r\n", " ", "\t"] {
        let e = v.verify(&format!("{good}{ws}"), NOW).unwrap_err();
        assert_eq!(e.code(), ErrorCode::JwsInvalid);
        assert_eq!(e.message(), "the token ends with whitespace (a newline?); trim it before verifying", "{ws:?}");
        let e = v.verify(&format!("{ws}{good}"), NOW).unwrap_err();
        assert_eq!(e.message(), "the token starts with whitespace; trim it before verifying", "{ws:?}");
    }
}
