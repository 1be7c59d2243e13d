//! Secrets never leave through an error: every error path reachable with a key involved (an
//! HMAC secret, RSA, EC and Ed25519 private keys, as raw bytes, PEM and JWK) is triggered, and
//! neither the message nor the `Debug` output of the error, nor the `Debug` of any key, set,
//! verifier or signer holding the key, may contain any 12 consecutive characters of the
//! material: the secret as text, the base64url private members (`d`, `p`, `q`, `dp`, `dq`,
//! `qi`, `k`) or a PEM body line.

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::{pem, std_base64, vector, NOW};
use jwtward::base64url::encode;
use jwtward::{Alg, Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions};
use serde_json::{json, Map, Value};

/// How many consecutive characters of secret material count as a leak.
const WINDOW: usize = 12;

const HMAC_SECRET: &str = "secrets-test-hmac-key-DO-NOT-LEAK-0123456789abcdef0123456789abcdefXYZ";

/// Everything secret the test knows, and every string an error or `Debug` produced.
#[derive(Default)]
struct Audit {
    needles: Vec<String>,
    outputs: Vec<(String, String)>,
    errors: usize,
}

impl Audit {
    fn secret(&mut self, s: impl Into<String>) {
        let s = s.into();
        assert!(s.len() >= WINDOW, "needle too short to audit: {s}");
        self.needles.push(s);
    }

    /// A PEM document: every body line is secret (labels and dashes are not).
    fn pem_body(&mut self, pem: &str) {
        for line in pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= WINDOW) {
            self.needles.push(line.to_owned());
        }
    }

    /// A private JWK: its private members are secret.
    fn jwk(&mut self, jwk: &Map<String, Value>) {
        for m in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            if let Some(v) = jwk.get(m).and_then(Value::as_str) {
                self.secret(v);
            }
        }
    }

    /// Records the error of `result` (which must be an error) under `what`.
    fn error<T: std::fmt::Debug>(&mut self, what: &str, result: jwtward::Result<T>) {
        match result {
            Ok(v) => panic!("{what}: expected an error, got {v:?}"),
            Err(e) => {
                self.errors += 1;
                self.outputs.push((format!("{what}: message"), e.to_string()));
                self.outputs.push((format!("{what}: Debug"), format!("{e:?} {e:#?}")));
            }
        }
    }

    fn debug(&mut self, what: &str, value: &impl std::fmt::Debug) {
        self.outputs.push((format!("{what}: Debug"), format!("{value:?} {value:#?}")));
    }

    fn assert_no_leak(&self) {
        let mut leaks = Vec::new();
        for (what, text) in &self.outputs {
            for needle in &self.needles {
                let chars: Vec<char> = needle.chars().collect();
                if let Some(w) = chars.windows(WINDOW).map(String::from_iter).find(|w| text.contains(w.as_str())) {
                    leaks.push(format!("{what} contains {w:?}: {text}"));
                    break;
                }
            }
        }
        assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn with(jwk: &Map<String, Value>, member: &str, value: Value) -> Map<String, Value> {
    let mut out = jwk.clone();
    match value {
        Value::Null => out.remove(member),
        v => out.insert(member.into(), v),
    };
    out
}

/// Malformed variants of a private-key PEM document: every way the PEM layer can fail.
fn broken_pems(label: &str, pem_text: &str) -> Vec<(String, String)> {
    let body: Vec<&str> = pem_text.lines().filter(|l| !l.starts_with("-----")).collect();
    let joined = body.join("\n");
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut corrupt = joined.clone().into_bytes();
    corrupt[40] = b'*';
    let corrupt = String::from_utf8(corrupt).unwrap();
    let half = &joined[..joined.len() / 2];
    vec![
        ("body cut in half".into(), format!("{begin}\n{half}\n{end}\n")),
        ("invalid base64 character".into(), format!("{begin}\n{corrupt}\n{end}\n")),
        ("no END line".into(), format!("{begin}\n{joined}\n")),
        ("END label differs".into(), format!("{begin}\n{joined}\n-----END PUBLIC KEY-----\n")),
        ("BEGIN line without closing dashes".into(), format!("-----BEGIN {label}\n{joined}\n{end}\n")),
        ("BEGIN line with the body on it".into(), format!("-----BEGIN {label} {}\n{end}\n", body.concat())),
        ("label CERTIFICATE".into(), format!("-----BEGIN CERTIFICATE-----\n{joined}\n-----END CERTIFICATE-----\n")),
        ("label unknown".into(), format!("-----BEGIN SECRET-----\n{joined}\n-----END SECRET-----\n")),
        (
            "label ENCRYPTED PRIVATE KEY".into(),
            format!("-----BEGIN ENCRYPTED PRIVATE KEY-----\n{joined}\n-----END ENCRYPTED PRIVATE KEY-----\n"),
        ),
        ("label PUBLIC KEY".into(), format!("-----BEGIN PUBLIC KEY-----\n{joined}\n-----END PUBLIC KEY-----\n")),
        (
            "encryption headers".into(),
            format!("{begin}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n{joined}\n{end}\n"),
        ),
        ("junk after END".into(), format!("{begin}\n{joined}\n{end}\n{joined}\n")),
        ("body doubled".into(), format!("{begin}\n{joined}\n{joined}\n{end}\n")),
        ("no PEM at all, only the body".into(), joined.clone()),
    ]
}

/// Every PEM, JWK and use error of one private key.
fn audit_private_key(audit: &mut Audit, name: &str, private_jwk: &Map<String, Value>, wrong_alg: &str) {
    audit.jwk(private_jwk);
    let key = Key::from_jwk(private_jwk).unwrap();
    let pkcs8 = key.material().pkcs8_der().unwrap().unwrap();
    let mut pems = vec![("PRIVATE KEY", pem("PRIVATE KEY", &pkcs8))];
    if key.kty() == "RSA" {
        let info = rsa::pkcs8::PrivateKeyInfoRef::try_from(pkcs8.as_slice()).unwrap();
        pems.push(("RSA PRIVATE KEY", pem("RSA PRIVATE KEY", info.private_key.as_bytes())));
    }
    for (label, text) in &pems {
        audit.pem_body(text);
        audit.error(&format!("{name} {label} as a secret"), Key::from_secret(text.as_bytes(), None, None));
        audit.error(
            &format!("{name} {label} with alg {wrong_alg}"),
            Key::from_pem(text, Alg::parse(wrong_alg).ok(), None),
        );
        for (how, broken) in broken_pems(label, text) {
            audit.error(&format!("{name} {label} PEM, {how}"), Key::from_pem(&broken, None, None));
        }
    }
    // JWK errors: every private member mangled, missing, mistyped or inconsistent.
    for member in ["d", "p", "q", "dp", "dq", "qi"].into_iter().filter(|m| private_jwk.contains_key(*m)) {
        let value = private_jwk[member].as_str().unwrap();
        let cases = [
            ("not base64url", json!(format!("{value}+/="))),
            ("a number", json!(12345)),
            ("one byte short", json!(&value[1..])),
            ("another value", json!(encode(&[0x5a; 66]))),
        ];
        for (how, v) in cases {
            let r = Key::from_jwk(&with(private_jwk, member, v));
            if member == "d" || member == "p" || member == "q" || how != "another value" {
                audit.error(&format!("{name} JWK {member} {how}"), r);
            }
        }
    }
    for (how, jwk) in [
        ("alg of another family", with(private_jwk, "alg", json!(wrong_alg))),
        ("alg unknown", with(private_jwk, "alg", json!("RSA-OAEP"))),
        ("kid a number", with(private_jwk, "kid", json!(1))),
        ("key_ops a string", with(private_jwk, "key_ops", json!("sign"))),
        ("kty unknown", with(private_jwk, "kty", json!("XYZ"))),
        ("public part missing", with(private_jwk, if key.kty() == "RSA" { "n" } else { "x" }, Value::Null)),
    ] {
        audit.error(&format!("{name} JWK {how}"), Key::from_jwk(&jwk));
    }
    if key.kty() == "RSA" {
        audit.error(&format!("{name} JWK without q"), Key::from_jwk(&with(private_jwk, "q", Value::Null)));
        audit.error(&format!("{name} JWK with oth"), Key::from_jwk(&with(private_jwk, "oth", json!([]))));
        let swapped = with(&with(private_jwk, "p", private_jwk["q"].clone()), "q", json!(encode(&[7u8; 128])));
        audit.error(&format!("{name} JWK p and q inconsistent"), Key::from_jwk(&swapped));
    }
    // JWK JSON text cut at every 23rd character: every JSON syntax error message.
    let text = Value::Object(private_jwk.clone()).to_string();
    for cut in (1..text.len()).step_by(23) {
        audit.error(&format!("{name} JWK JSON cut at {cut}"), Key::from_jwk_json(&text[..cut]));
    }
    let bad_escape = text.replacen(
        private_jwk["d"].as_str().unwrap(),
        &format!("\\q{}", &private_jwk["d"].as_str().unwrap()[1..]),
        1,
    );
    audit.error(&format!("{name} JWK JSON with an invalid escape in d"), Key::from_jwk_json(&bad_escape));
    let jwks = json!({ "keys": [private_jwk, 5] });
    audit.error(&format!("{name} in a JWKS with a non-object"), KeySet::from_jwks(&jwks));
    audit.error(&format!("{name} JWKS JSON cut"), KeySet::from_jwks_json(&jwks.to_string()[..60]));
    // Use errors, and the Debug of everything that holds the key.
    let alg = key.alg().unwrap_or(match key.kty() {
        "RSA" => Alg::RS256,
        "OKP" => Alg::EdDSA,
        _ => Alg::ES512,
    });
    audit.error(&format!("{name} verifies HS256"), key.verify(Alg::HS256, b"a.b", &[0u8; 32]));
    audit.error(&format!("{name} bad signature"), key.verify(alg, b"a.b", &[1u8; 64]));
    audit.error(&format!("{name} signs HS256"), key.sign(Alg::HS256, b"a.b"));
    audit.error(&format!("{name} Signer for HS256"), Signer::new(key.clone(), SignerOptions::new(Alg::HS256)));
    let set = KeySet::new(vec![key.clone()]);
    let verifier = Verifier::new(set.clone(), VerifyOptions::new(vec![alg])).unwrap();
    let signer = Signer::new(key.clone(), SignerOptions::new(alg)).unwrap();
    audit.error(&format!("{name} verifier, forged token"), verifier.verify("eyJhbGciOiJIUzI1NiJ9.e30.AAAA", NOW));
    for (what, d) in
        [("Key", format!("{key:?}")), ("KeySet", format!("{set:?}")), ("Verifier", format!("{verifier:?}"))]
    {
        audit.debug(&format!("{name} {what}"), &d);
    }
    audit.debug(&format!("{name} Signer"), &signer);
}

#[test]
fn no_error_message_or_debug_output_contains_key_material() {
    let mut audit = Audit::default();
    audit.secret(HMAC_SECRET);
    audit.secret(encode(HMAC_SECRET.as_bytes()));
    audit.secret(std_base64(HMAC_SECRET.as_bytes()));

    // HMAC secrets: every refusal and every use error.
    let s = HMAC_SECRET.as_bytes();
    let key = Key::from_secret(s, None, Some("k1".into())).unwrap();
    audit.error("secret with alg ES256", Key::from_secret(s, Some(Alg::ES256), None));
    audit.error("secret too short for HS256", Key::from_secret(&s[..20], Some(Alg::HS256), None));
    audit.error(
        "secret with a PEM marker",
        Key::from_secret(format!("-----BEGIN {HMAC_SECRET}").as_bytes(), None, None),
    );
    audit.error(
        "secret inside JWK JSON",
        Key::from_secret(json!({"kty": "oct", "k": HMAC_SECRET}).to_string().as_bytes(), None, None),
    );
    audit.error("secret as an ssh line", Key::from_secret(format!("ssh-rsa AAAA{HMAC_SECRET}").as_bytes(), None, None));
    let oct = obj(json!({"kty": "oct", "k": encode(s), "kid": "k1"}));
    audit.error("oct JWK alg ES256", Key::from_jwk(&with(&oct, "alg", json!("ES256"))));
    audit.error(
        "oct JWK alg HS512 too long",
        Key::from_jwk(&with(&with(&oct, "k", json!(encode(&s[..40]))), "alg", json!("HS512"))),
    );
    audit.error("oct JWK k not base64url", Key::from_jwk(&with(&oct, "k", json!(format!("{HMAC_SECRET}=")))));
    audit.error("oct JWK k a number", Key::from_jwk(&with(&oct, "k", json!(1))));
    let oct_text = Value::Object(oct.clone()).to_string();
    for cut in (1..oct_text.len()).step_by(7) {
        audit.error(&format!("oct JWK JSON cut at {cut}"), Key::from_jwk_json(&oct_text[..cut]));
    }
    audit.error("secret verifies RS256", key.verify(Alg::RS256, b"a.b", &[0u8; 256]));
    audit.error("secret bad MAC", key.verify(Alg::HS256, b"a.b", &[0u8; 32]));
    audit.error("secret truncated MAC", key.verify(Alg::HS256, b"a.b", &[0u8; 16]));
    audit.error("secret to_public_jwk", key.to_public_jwk());
    audit.error("secret public_key", key.public_key());
    let short = Key::from_secret(&s[..20], None, None).unwrap();
    audit.error("short secret HS256", short.verify(Alg::HS256, b"a.b", &[0u8; 32]));
    audit.error(
        "short secret in a Verifier",
        Verifier::new(KeySet::new(vec![short.clone()]), VerifyOptions::new(vec![Alg::HS256])),
    );
    audit.error("short secret in a Signer", Signer::new(short, SignerOptions::new(Alg::HS256)));
    audit.error("secret Signer for ES256", Signer::new(key.clone(), SignerOptions::new(Alg::ES256)));
    let verifier = Verifier::new(KeySet::new(vec![key.clone()]), VerifyOptions::new(vec![Alg::HS256])).unwrap();
    audit.error("secret verifier, bad token", verifier.verify("eyJhbGciOiJIUzI1NiJ9.e30.AAAA", NOW));
    audit.debug("secret Key", &key);
    audit.debug("secret KeySet", &KeySet::new(vec![key.clone()]));
    audit.debug("secret Verifier", &verifier);
    audit.debug("secret Signer", &Signer::new(key, SignerOptions::new(Alg::HS256)).unwrap());

    // Private keys: RSA (RFC 7520 3.4), EC P-521 (RFC 7520 3.2), Ed25519 (RFC 8037 A.1), and a
    // generated P-256 key (its PKCS#8 PEM is audited; it has no JWK with d).
    let rsa_jwk = obj(serde_json::from_str(&vector("jose-cookbook/jwk/3_4.rsa_private_key.json")).unwrap());
    audit_private_key(&mut audit, "RSA", &rsa_jwk, "ES256");
    let ec_jwk = obj(serde_json::from_str(&vector("jose-cookbook/jwk/3_2.ec_private_key.json")).unwrap());
    audit_private_key(&mut audit, "EC P-521", &ec_jwk, "RS256");
    audit.error("EC P-521 d of another key", Key::from_jwk(&with(&ec_jwk, "d", json!(encode(&[1u8; 66])))));
    let cookbook: Value = serde_json::from_str(&vector("jose-cookbook/curve25519/jws.json")).unwrap();
    let ed_jwk = obj(cookbook["input"]["key"].clone());
    audit_private_key(&mut audit, "Ed25519", &ed_jwk, "ES256");
    audit.error("Ed25519 d of another key", Key::from_jwk(&with(&ed_jwk, "d", json!(encode(&[1u8; 32])))));
    let (p256, _) = Key::generate(Alg::ES256, None).unwrap();
    let p256_pem = pem("PRIVATE KEY", &p256.material().pkcs8_der().unwrap().unwrap());
    audit.pem_body(&p256_pem);
    for (how, broken) in broken_pems("PRIVATE KEY", &p256_pem) {
        audit.error(&format!("P-256 PKCS#8 PEM, {how}"), Key::from_pem(&broken, None, None));
    }
    let sec1_pem = pem("EC PRIVATE KEY", &sec1_of(&p256));
    audit.pem_body(&sec1_pem);
    for (how, broken) in broken_pems("EC PRIVATE KEY", &sec1_pem) {
        audit.error(&format!("P-256 SEC1 PEM, {how}"), Key::from_pem(&broken, None, None));
    }
    audit.debug("P-256 Key", &p256);

    assert!(audit.errors > 250, "only {} error paths exercised", audit.errors);
    println!(
        "{} errors and {} outputs audited against {} secrets",
        audit.errors,
        audit.outputs.len(),
        audit.needles.len()
    );
    audit.assert_no_leak();
}

/// The SEC1 `EC PRIVATE KEY` DER of a generated P-256 key, through its PKCS#8 form.
fn sec1_of(key: &Key) -> Vec<u8> {
    use p256::pkcs8::DecodePrivateKey;
    let pkcs8 = key.material().pkcs8_der().unwrap().unwrap();
    let sk = p256::SecretKey::from_pkcs8_der(&pkcs8).unwrap();
    sk.to_sec1_der().unwrap().to_vec()
}
