//! Attack-class tests: every known way a JWT verifier has been fooled, through the public core
//! API, each row citing the CVE, advisory or RFC section it comes from and asserting the exact
//! error code. Classes already pinned in tests/verify_rules.rs are referenced, not repeated:
//! the four case variants of `none`, duplicate members, the size limit, signature-before-claims
//! order, and the basic `crit`/`b64` cases. Key-level checks (PEM labels, curve validity, RSA
//! sizes) live in src/keys/tests.rs; Wycheproof vectors in tests/wycheproof.rs.

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::*;
use hmac::{Hmac, KeyInit, Mac};
use jwtward::base64url::{decode as b64d, encode};
use jwtward::{Alg, ErrorCode, Key, KeySet, Verifier, VerifyOptions};
use serde_json::{json, Value};

use ErrorCode::{
    AlgNotAllowed, ClaimValidationFailed, Expired, JwkInvalid, JwksNoMatchingKey, JwsInvalid, JwtInvalid, NotSupported,
    SignatureVerificationFailed as BadSig,
};

const CVE_NONE: &str = "CVE-2015-9235 (node-jsonwebtoken alg none), RFC 8725 3.1";
const CVE_CONFUSION: &str =
    "CVE-2016-10555 (jwt-simple), CVE-2015-9235, CVE-2022-23541 (node-jsonwebtoken), CVE-2023-48223 (fast-jwt)";
const ADV_PREFIX: &str = "GHSA-mvf2-f6gm-w987 / GHSA-ww5h-9m49-7xx4 (fast-jwt: prefixed PEM read as a secret)";
const ADV_JWK_SECRET: &str = "GHSA-g3jj-5cmm-3hxx (fast-jwt: JWK JSON read as an HMAC secret)";
const CVE_SSH: &str = "CVE-2022-29217 (PyJWT: OpenSSH public key read as an HMAC secret)";
const CVE_EMBEDDED: &str = "CVE-2018-0114 (node-jose embedded jwk), RFC 8725 3.10";
const KID: &str = "RFC 7515 4.1.4, RFC 8725 3.10 (kid injection)";
const CVE_PSYCHIC: &str = "CVE-2022-21449 (Java ECDSA r = s = 0)";
const ECDSA_RANGE: &str = "SEC 1 v2 4.1.4 step 1 (r, s in [1, n-1])";
const ECDSA_FORM: &str = "RFC 7518 3.4 (raw R||S, fixed length)";
const ED_CANONICAL: &str = "RFC 8032 5.1.7 (S < L), Chalkias et al. 2020 'Taming the many EdDSAs'";
const RSA_LEN: &str = "RFC 8017 8.2.2 step 1 (signature length = k octets)";
const MAC: &str = "RFC 7518 3.2 (full-length HMAC output)";
const B64: &str = "RFC 7515 2 and appendix C (base64url, no padding, no whitespace)";
const SEGMENTS: &str = "RFC 7515 7.1, RFC 7519 7.2 step 1 (three segments)";
const UTF8: &str = "RFC 8259 8.1 (UTF-8, no BOM), RFC 7519 7.2 steps 3-4";
const SURROGATE: &str = "RFC 8259 8.2 (unpaired surrogates)";
const JSON_STRICT: &str = "RFC 8259 2-7 (strict JSON grammar)";
const NUMERIC_DATE: &str = "RFC 7519 2 and 4.1.4-4.1.6 (NumericDate is a JSON number)";
const AUD: &str = "RFC 7519 4.1.3 (aud: string or array of strings)";
const STRING_CLAIM: &str = "RFC 7519 4.1.1, 4.1.2 (iss, sub are strings)";
const NUMBERS: &str = "RFC 8259 6 (numbers beyond IEEE 754 binary64)";
const CRIT: &str = "RFC 7515 4.1.11 (crit)";
const B64_EXT: &str = "RFC 7797 3, 6 (b64)";

fn hmac_sha256(secret: &[u8], input: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    m.update(input);
    m.finalize().into_bytes().to_vec()
}

/// An HS256 token whose MAC is computed independently of jwtward, with any bytes as the secret
/// (including bytes jwtward itself would refuse as a secret).
fn forged_hs256(secret: &[u8], header: &Value, payload: &Value) -> String {
    let input = format!("{}.{}", encode(header.to_string().as_bytes()), encode(payload.to_string().as_bytes()));
    with_signature(&input, &hmac_sha256(secret, input.as_bytes()))
}

fn header(alg: &str) -> Vec<u8> {
    json!({ "alg": alg }).to_string().into_bytes()
}

fn hs256(payload: &Value) -> String {
    signed(&hs_key(), Alg::HS256, &header("HS256"), payload.to_string().as_bytes())
}

fn hs256_raw(header_json: &[u8], payload_json: &[u8]) -> String {
    signed(&hs_key(), Alg::HS256, header_json, payload_json)
}

// ------------------------------------------------------------------ alg: none

/// Every `none` spelling and every non-string `alg`, with every algorithm allowed: `none` is not
/// an algorithm here, so the allowlist cannot contain it. (The four case variants with and
/// without a signature are also in verify_rules.rs `none_is_refused_in_every_spelling`.)
#[test]
fn alg_none_in_every_spelling() {
    let v = verifier(vec![hs_key()], Alg::ALL.to_vec());
    let payload = encode(br#"{"sub":"admin"}"#);
    let mut rows = Vec::new();
    let spellings = [
        "none",
        "None",
        "NONE",
        "nOnE",
        "NoNe",
        "nonE",
        "none ",
        " none",
        "none\t",
        "none\u{0}",
        "\u{0}",
        "",
        "null",
        "n\u{f3}ne",
        "\u{ff4e}\u{ff4f}\u{ff4e}\u{ff45}",
    ];
    for alg in spellings {
        let h = encode(&header(alg));
        rows.push(row(CVE_NONE, format!("alg {alg:?}, empty signature"), format!("{h}.{payload}."), AlgNotAllowed));
        rows.push(row(CVE_NONE, format!("alg {alg:?}, junk signature"), format!("{h}.{payload}.c2ln"), AlgNotAllowed));
        let hmac_signed = forged_hs256(SECRET, &json!({ "alg": alg }), &json!({"sub": "admin"}));
        rows.push(row(CVE_NONE, format!("alg {alg:?}, valid HMAC"), hmac_signed, AlgNotAllowed));
    }
    // Look-alikes of allowed names are not those names (RFC 7515 4.1.1: case-sensitive).
    for alg in ["hs256", "HS256 ", "HS256\u{0}", "\u{397}S256", "HS-256", "HS256,none"] {
        rows.push(row("RFC 7515 4.1.1", format!("alg {alg:?}"), hs256_raw(&header(alg), b"{}"), AlgNotAllowed));
    }
    for bad in [json!(null), json!(0), json!(false), json!(["none"]), json!({"none": true}), json!(["HS256"])] {
        let h = json!({ "alg": bad }).to_string();
        rows.push(row(CVE_NONE, format!("alg {bad}"), hs256_raw(h.as_bytes(), b"{}"), JwsInvalid));
    }
    rows.push(row(CVE_NONE, "no alg member", hs256_raw(br#"{"typ":"JWT"}"#, b"{}"), JwsInvalid));
    check_rows(&v, &rows);

    // The allowlist itself can neither name `none` nor be empty (CVE-2022-23540: no algorithms
    // given meant "whatever the header says"), and an empty secret is not a key.
    for name in ["none", "None", "NONE", "nOnE"] {
        let e = VerifyOptions::from_json(&format!(r#"{{"algorithms":["{name}"]}}"#)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{name}");
    }
    assert_eq!(VerifyOptions::from_json(r#"{"algorithms":[]}"#).unwrap_err().code(), ErrorCode::InvalidArgument);
    let empty = Verifier::new(KeySet::new(vec![hs_key()]), VerifyOptions::new(vec![])).unwrap_err();
    assert_eq!(empty.code(), ErrorCode::InvalidArgument);
    assert_eq!(Key::from_secret(b"", None, None).unwrap_err().code(), JwkInvalid);
    assert_eq!(Alg::parse("none").unwrap_err().code(), NotSupported);
}

// ------------------------------------------------------------------ algorithm confusion

/// An OpenSSH public key line (RFC 4253 6.6, RFC 5656 3.1): length-prefixed fields, base64.
fn openssh(kind: &str, fields: &[&[u8]]) -> String {
    let mut blob = Vec::new();
    for f in std::iter::once(&kind.as_bytes()).chain(fields) {
        blob.extend_from_slice(&(f.len() as u32).to_be_bytes());
        blob.extend_from_slice(f);
    }
    format!("{kind} {} attacker@example", std_base64(&blob))
}

/// An SSH mpint: big-endian, with a zero octet in front when the top bit is set.
fn mpint(bytes: &[u8]) -> Vec<u8> {
    let mut out = if bytes.first().is_some_and(|b| b & 0x80 != 0) { vec![0] } else { vec![] };
    out.extend_from_slice(bytes);
    out
}

/// One public key in every form it is published in, the private half to sign real tokens, and
/// whether each form is recognisably a public key (raw bytes are not: they look like any secret).
struct PublicForms {
    alg: Alg,
    private: Key,
    public: Key,
    forms: Vec<(String, Vec<u8>, bool)>,
}

fn public_forms(alg: Alg, private: Key) -> PublicForms {
    let public = private.public_key().unwrap();
    let spki = public.material().spki_der().unwrap();
    let jwk = Value::Object(public.to_public_jwk().unwrap());
    let member = |name: &str| b64d(jwk[name].as_str().unwrap()).unwrap();
    let spki_pem = pem("PUBLIC KEY", &spki);
    let mut forms: Vec<(String, Vec<u8>, bool)> = vec![
        ("PEM SPKI".into(), spki_pem.clone().into_bytes(), true),
        ("PEM SPKI with CRLF line ends".into(), spki_pem.replace('\n', "\r\n").into_bytes(), true),
        ("PEM SPKI after a newline".into(), format!("\n{spki_pem}").into_bytes(), true),
        ("PEM SPKI after a BOM".into(), format!("\u{feff}{spki_pem}").into_bytes(), true),
        ("PEM SPKI after a no-break space".into(), format!("\u{a0}{spki_pem}").into_bytes(), true),
        ("PEM SPKI after a text line".into(), format!("subject=CN=id.example\n{spki_pem}").into_bytes(), true),
        ("DER SPKI".into(), spki.clone(), true),
        ("JWK JSON".into(), jwk.to_string().into_bytes(), true),
        ("JWK JSON, pretty".into(), serde_json::to_string_pretty(&jwk).unwrap().into_bytes(), true),
        ("JWKS JSON".into(), json!({ "keys": [jwk] }).to_string().into_bytes(), true),
    ];
    match alg {
        Alg::RS256 => {
            let info = rsa::pkcs8::SubjectPublicKeyInfoRef::try_from(spki.as_slice()).unwrap();
            let pkcs1 = info.subject_public_key.raw_bytes().to_vec();
            let (n, e) = (member("n"), member("e"));
            forms.push(("PEM PKCS#1 RSA PUBLIC KEY".into(), pem("RSA PUBLIC KEY", &pkcs1).into_bytes(), true));
            forms.push(("DER PKCS#1".into(), pkcs1, true));
            forms.push(("OpenSSH ssh-rsa".into(), openssh("ssh-rsa", &[&mpint(&e), &mpint(&n)]).into_bytes(), true));
            forms.push(("raw modulus".into(), n, false));
        }
        Alg::ES256 => {
            let mut point = vec![4u8];
            point.extend(member("x"));
            point.extend(member("y"));
            let ssh = openssh("ecdsa-sha2-nistp256", &[b"nistp256", &point]);
            forms.push(("OpenSSH ecdsa-sha2-nistp256".into(), ssh.into_bytes(), true));
            forms.push(("raw SEC1 point".into(), point, false));
            forms.push(("raw x coordinate".into(), member("x"), false));
        }
        _ => {
            let x = member("x");
            forms.push(("OpenSSH ssh-ed25519".into(), openssh("ssh-ed25519", &[&x]).into_bytes(), true));
            forms.push(("raw public key".into(), x, false));
        }
    }
    PublicForms { alg, private, public, forms }
}

fn all_public_forms() -> Vec<PublicForms> {
    let (ec, _) = Key::generate(Alg::ES256, None).unwrap();
    let (ed, _) = Key::generate(Alg::EdDSA, None).unwrap();
    vec![public_forms(Alg::RS256, rsa_private()), public_forms(Alg::ES256, ec), public_forms(Alg::EdDSA, ed)]
}

/// The attack itself: an HS256 token MACed with the verifier's public key, in each form it is
/// published in. The verifier holds the real public key and allows HS256 too (the worst case);
/// the key is bound to its family, so no key fits HS256.
#[test]
fn public_key_bytes_as_hmac_secret_never_verify() {
    for set in all_public_forms() {
        let mut jwk = set.public.to_public_jwk().unwrap();
        jwk.insert("kid".into(), json!("k1"));
        let public_with_kid = Key::from_jwk(&jwk).unwrap();
        let both = verifier(vec![set.public.clone()], vec![Alg::HS256, set.alg]);
        let only_asym = verifier(vec![set.public.clone()], vec![set.alg]);
        let mut rows = Vec::new();
        for (form, bytes, _) in &set.forms {
            let claims = json!({"sub": "admin"});
            let t = forged_hs256(bytes, &json!({"alg": "HS256"}), &claims);
            rows.push(row(CVE_CONFUSION, format!("{} key as {form}", set.alg), t, JwksNoMatchingKey));
            let with_kid = forged_hs256(bytes, &json!({"alg": "HS256", "kid": "k1"}), &claims);
            rows.push(row(
                CVE_CONFUSION,
                format!("{} key as {form}, kid of the key", set.alg),
                with_kid,
                JwksNoMatchingKey,
            ));
        }
        check_rows(&both, &rows);
        check_rows(&verifier(vec![public_with_kid], vec![Alg::HS256, set.alg]), &rows);
        // With only the asymmetric algorithm allowed, the allowlist stops them first.
        let not_allowed: Vec<Row> = rows.into_iter().map(|r| Row { want: AlgNotAllowed, ..r }).collect();
        check_rows(&only_asym, &not_allowed);
        // And the real token still verifies, so the rows above failed for the right reason.
        let real = signed(&set.private, set.alg, &header(set.alg.as_str()), b"{}");
        assert!(both.verify(&real, NOW).is_ok(), "{}", set.alg);
    }
}

/// The misconfiguration that makes the attack work elsewhere: the application passing the
/// public key where a secret goes. Every recognisable public-key form is refused as a secret
/// (PEM anywhere in the text, DER, JWK/JWKS JSON, OpenSSH lines), directly and as an `oct`
/// JWK's `k`. Raw key bytes cannot be told from a random secret; they become an HMAC-only key
/// that never verifies the asymmetric algorithm.
#[test]
fn public_keys_are_refused_as_hmac_secrets() {
    let mut failures = Vec::new();
    for set in all_public_forms() {
        for (form, bytes, recognisable) in &set.forms {
            let cite = if form.contains("after") {
                ADV_PREFIX
            } else if form.starts_with("JWK") {
                ADV_JWK_SECRET
            } else if form.starts_with("OpenSSH") {
                CVE_SSH
            } else {
                CVE_CONFUSION
            };
            let direct = Key::from_secret(bytes, None, None).map(|k| k.kty());
            let as_oct = Key::from_jwk(json!({"kty": "oct", "k": encode(bytes)}).as_object().unwrap()).map(|k| k.kty());
            for (how, got) in [("Key::from_secret", direct), ("oct JWK", as_oct)] {
                match (recognisable, got) {
                    (true, Err(e)) if e.code() == JwkInvalid => {}
                    (false, Ok("oct")) => {}
                    (_, got) => failures.push(format!("[{cite}] {} key as {form} via {how}: {got:?}", set.alg)),
                }
            }
            if !recognisable {
                let secret = Key::from_secret(bytes, None, None).unwrap();
                let v = verifier(vec![secret], vec![Alg::HS256, set.alg]);
                let real = signed(&set.private, set.alg, &header(set.alg.as_str()), b"{}");
                assert_eq!(v.verify(&real, NOW).unwrap_err().code(), JwksNoMatchingKey, "{form}");
            }
        }
    }
    assert!(failures.is_empty(), "public keys accepted as HMAC secrets:\n{}", failures.join("\n"));
    // Random binary secrets (0x30 is DER's SEQUENCE tag), and text that merely mentions keys, stay usable.
    assert!(Key::from_secret(&[0x30u8; 64], Some(Alg::HS256), None).is_ok());
    let mut state = 0x9e37_79b9_7f4a_7c15_u64; // xorshift64*: 20,000 reproducible random secrets
    for i in 0..20_000usize {
        let secret: Vec<u8> = (0..32 + i % 97)
            .map(|_| {
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
            })
            .collect();
        assert!(Key::from_secret(&secret, None, None).is_ok(), "random secret {i} refused: {secret:02x?}");
    }
    for text in [
        &b"a secret that says BEGIN PUBLIC KEY and ssh-rsa but is none"[..],
        br#"{"purpose":"a JSON secret without kty"}"#,
    ] {
        assert!(Key::from_secret(text, None, None).is_ok(), "{}", String::from_utf8_lossy(text));
    }
}

/// Self-signed test certificates (`openssl req -x509`, CN=id.example), base64 DER as in `x5c`.
const X5C_P256: &str = "MIIBfzCCASWgAwIBAgIUTBm58DXkJkFhD9MBfjEYIwQztN8wCgYIKoZIzj0EAwIwFTETMBEGA1UEAwwKaWQuZXhhbXBsZTAeFw0yNjEyMDQxOTE3NDZaFw0zNjEyMDExOTE3NDZaMBUxEzARBgNVBAMMCmlkLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQdn7Nf9Xwq8hzj9KfK98d1abNhJMx6getFXWOkmuCwHW9pHjQzObSiBH5hd5rEJBz+TiXbF2DVToMJsniA0ldKo1MwUTAdBgNVHQ4EFgQUlwXo+qRVf8ffeRzejPJq7S6qrUcwHwYDVR0jBBgwFoAUlwXo+qRVf8ffeRzejPJq7S6qrUcwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA45okLBuZSH/tbqDEitHCKRlxGy3qryIkvkvKfOIvEYkCIG+2KvXctxyyh9fQuNkZAgaizlkW5xOi/mq48n/yz53D";
const X5C_ED25519: &str = "MIIBPjCB8aADAgECAhQ5nseBor4DBPMcm0k7tnb0Wbo4STAFBgMrZXAwFTETMBEGA1UEAwwKaWQuZXhhbXBsZTAeFw0yNjEyMDQxOTE3NDZaFw0zNjEyMDExOTE3NDZaMBUxEzARBgNVBAMMCmlkLmV4YW1wbGUwKjAFBgMrZXADIQAeW0iJF5oA4ZDdRinK+MdRqqu8yY2D354eaq/CLy0Qr6NTMFEwHQYDVR0OBBYEFKPx2tq6EIua40y8IDm6vdOdjg0GMB8GA1UdIwQYMBaAFKPx2tq6EIua40y8IDm6vdOdjg0GMA8GA1UdEwEB/wQFMAMBAf8wBQYDK2VwA0EA57W73YQUD5c0Aro/bfxAFFpQH5baayfdDQTosic63jYqLE/t1bM3K4g2hc0SGOcJLSeGHoahbFNAVy3XKKadCQ==";

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A PEM document's body without its BEGIN/END lines: what is left when the armour is lost.
fn pem_body(label: &str, der: &[u8]) -> String {
    pem(label, der).lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n")
}

/// The DER of a public key written as text: bare base64 (Keycloak's realm `public_key`), a PEM
/// body without its armour, hex (with OpenSSL's colons, or upper case, or wrapped), base64url.
fn der_as_text(what: &str, label: &str, der: &[u8]) -> Vec<(String, String)> {
    let hex = hex_lower(der);
    let colons: Vec<String> = der.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        (format!("base64 {what}"), std_base64(der)),
        (format!("base64 {what} without padding"), std_base64(der).trim_end_matches('=').to_owned()),
        (format!("base64url {what}"), encode(der)),
        (format!("{what} PEM body without armour"), pem_body(label, der)),
        (
            format!("{what} PEM body without armour, CRLF, indented"),
            format!("  {}\r\n", pem_body(label, der).replace('\n', "\r\n  ")),
        ),
        (format!("hex {what}"), hex.clone()),
        (format!("hex {what}, upper case"), hex.to_uppercase()),
        (format!("hex {what}, colon-separated"), colons.join(":")),
        (
            format!("hex {what}, wrapped"),
            hex.as_bytes().chunks(32).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n"),
        ),
        (format!("base64 of the {what} PEM"), std_base64(pem(label, der).as_bytes())),
    ]
}

/// Public keys written as text encoding their DER (issue 13): refused as secrets with
/// ERR_JWK_INVALID and a message that says what the text looks like and what to use, without
/// echoing it. Random secrets written the same ways stay usable.
#[test]
fn public_keys_as_encoded_text_are_refused_as_hmac_secrets() {
    let mut inputs: Vec<(String, Vec<u8>, &str)> = Vec::new();
    let mut add = |form: String, text: String, looks_like| inputs.push((form, text.into_bytes(), looks_like));
    for set in all_public_forms() {
        let spki = set.public.material().spki_der().unwrap();
        for (form, text) in der_as_text("SPKI", "PUBLIC KEY", &spki) {
            add(format!("{} {form}", set.alg), text, "public key");
        }
        if set.alg == Alg::RS256 {
            let info = rsa::pkcs8::SubjectPublicKeyInfoRef::try_from(spki.as_slice()).unwrap();
            let pkcs1 = info.subject_public_key.raw_bytes().to_vec();
            for (form, text) in der_as_text("PKCS#1", "RSA PUBLIC KEY", &pkcs1) {
                add(format!("RS256 {form}"), text, "PKCS#1 RSA public key");
            }
        }
    }
    let mut certificates = Vec::new();
    for (name, x5c) in [("P-256", X5C_P256), ("Ed25519", X5C_ED25519)] {
        let der = b64d(&x5c.replace('+', "-").replace('/', "_").replace('=', "")).unwrap();
        add(format!("{name} x5c certificate"), x5c.to_owned(), "certificate");
        for (form, text) in der_as_text("certificate", "CERTIFICATE", &der) {
            add(format!("{name} {form}"), text, "certificate");
        }
        certificates.push((format!("{name} DER certificate"), der, "certificate"));
    }
    inputs.extend(certificates);
    let mut failures = Vec::new();
    for (form, bytes, looks_like) in &inputs {
        // Base64 of a whole PEM document is recognised as the PEM it decodes to.
        let looks_like = if form.ends_with(" PEM") { "PEM" } else { looks_like };
        let direct = Key::from_secret(bytes, None, None);
        let as_oct = Key::from_jwk(json!({"kty": "oct", "k": encode(bytes)}).as_object().unwrap());
        for (how, got) in [("Key::from_secret", direct), ("oct JWK", as_oct)] {
            match got {
                Err(e) if e.code() == JwkInvalid => {
                    let m = e.message().as_bytes();
                    let echoed = bytes.windows(12).any(|w| m.windows(12).any(|v| v == w));
                    if !e.message().contains(looks_like) || !e.message().contains("Key.fromPem") || echoed {
                        failures.push(format!("{form} via {how}: message {:?}", e.message()));
                    }
                }
                got => failures.push(format!("[{CVE_CONFUSION}] {form} via {how}: {:?}", got.map(|k| k.kty()))),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} public keys as text accepted or badly refused:\n{}",
        failures.len(),
        inputs.len() * 2,
        failures.join("\n")
    );
}

/// Random secrets of the common lengths, written in the same encodings the check decodes, are
/// never taken for keys.
#[test]
fn random_secrets_as_base64_or_hex_stay_usable() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64; // xorshift64*, reproducible
    let mut next = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
    };
    for i in 0..20_000usize {
        let len = [16, 24, 32, 48, 64, 96, 128][i % 7] + i % 3;
        let mut raw: Vec<u8> = (0..len).map(|_| next()).collect();
        if i % 5 == 0 {
            raw[0] = 0x30; // DER's SEQUENCE tag at the start, to tempt the check
        }
        for text in [std_base64(&raw), encode(&raw), hex_lower(&raw), hex_lower(&raw).to_uppercase()] {
            assert!(Key::from_secret(text.as_bytes(), None, None).is_ok(), "random secret {i} refused as {text}");
        }
    }
}

// ------------------------------------------------------------------ header keys and kid

/// A token may carry `jwk`, `jku`, `x5u`, `x5c`, `x5t`: none is ever used to pick or fetch a
/// key. (verify_rules.rs `embedded_keys_in_the_header_are_ignored` has the basic ES256 case.)
#[test]
fn keys_named_by_the_token_are_ignored() {
    let (attacker, attacker_pub) = Key::generate(Alg::ES256, Some("legit".into())).unwrap();
    let (_, legit) = Key::generate(Alg::ES256, Some("legit".into())).unwrap();
    let attacker_jwk = Value::Object(attacker_pub.to_public_jwk().unwrap());
    let attacker_secret = b"attacker-chosen-secret-0123456789abcdef";
    let oct_jwk = json!({"kty": "oct", "k": encode(attacker_secret), "alg": "HS256"});
    let cert = std_base64(b"\x30\x82\x01\x00 not a real certificate, and never parsed");
    let es256 = |h: Value| signed(&attacker, Alg::ES256, h.to_string().as_bytes(), br#"{"sub":"admin"}"#);
    let hs256_attacker = |h: Value| forged_hs256(attacker_secret, &h, &json!({"sub": "admin"}));

    let headers = [
        ("jwk", json!({"alg": "ES256", "jwk": attacker_jwk})),
        ("jwk + kid of the legit key", json!({"alg": "ES256", "kid": "legit", "jwk": attacker_jwk})),
        ("jku", json!({"alg": "ES256", "jku": "https://attacker.example/jwks.json"})),
        ("jku + kid", json!({"alg": "ES256", "kid": "legit", "jku": "https://attacker.example/jwks.json"})),
        ("x5u", json!({"alg": "ES256", "x5u": "https://attacker.example/cert.pem"})),
        ("x5c", json!({"alg": "ES256", "x5c": [cert]})),
        ("x5t", json!({"alg": "ES256", "x5t": "dGh1bWJwcmludA", "x5t#S256": "dGh1bWJwcmludA"})),
        ("jwk as a string", json!({"alg": "ES256", "jwk": attacker_jwk.to_string()})),
    ];
    let mut rows: Vec<Row> =
        headers.iter().map(|(what, h)| row(CVE_EMBEDDED, *what, es256(h.clone()), BadSig)).collect();
    rows.push(row(
        CVE_EMBEDDED,
        "oct jwk, HS256",
        hs256_attacker(json!({"alg": "HS256", "jwk": oct_jwk})),
        JwksNoMatchingKey,
    ));
    let legit_v = verifier(vec![legit.clone()], vec![Alg::ES256, Alg::HS256]);
    check_rows(&legit_v, &rows);

    // With a secret in the set, the embedded oct key still does not replace it.
    let hs_v = verifier(vec![hs_key()], vec![Alg::HS256]);
    let embedded_oct = hs256_attacker(json!({"alg": "HS256", "jwk": oct_jwk}));
    check_rows(&hs_v, &[row(CVE_EMBEDDED, "oct jwk vs a configured secret", embedded_oct, BadSig)]);
    // An empty key set finds nothing, whatever the header offers.
    let empty = verifier(vec![], vec![Alg::ES256]);
    let none_found: Vec<Row> =
        headers.iter().map(|(w, h)| row(CVE_EMBEDDED, *w, es256(h.clone()), JwksNoMatchingKey)).collect();
    check_rows(&empty, &none_found);
}

/// `kid` is matched byte for byte against the configured keys and never used as a path, a
/// query or anything else: every trick simply does not match.
#[test]
fn kid_tricks_do_not_match() {
    let one = Key::from_secret(SECRET, None, Some("one".into())).unwrap();
    let two = Key::from_secret(&[7u8; 64], None, Some("two".into())).unwrap();
    let v = verifier(vec![one, two], vec![Alg::HS256]);
    let long = "A".repeat(10_000);
    let tricks: [(&str, &[u8]); 16] = [
        ("../../../../../../dev/null", b""),
        ("/dev/null", b""),
        ("../../../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"),
        ("x' UNION SELECT 'attacker-secret' -- ", b"attacker-secret"),
        ("1; DROP TABLE keys; --", b"attacker-secret"),
        ("one\u{0}", b"attacker-secret"),
        ("\u{0}", b""),
        ("one\u{0}../../dev/null", b""),
        ("ONE", b"attacker-secret"),
        (" one", b"attacker-secret"),
        ("one ", b"attacker-secret"),
        ("\u{ff4f}\u{ff4e}\u{ff45}", b"attacker-secret"),
        ("", b"attacker-secret"),
        ("*", b"attacker-secret"),
        ("one|two", b"attacker-secret"),
        (&long, b"attacker-secret"),
    ];
    let mut rows: Vec<Row> = tricks
        .iter()
        .map(|(kid, secret)| {
            let t = forged_hs256(secret, &json!({"alg": "HS256", "kid": kid}), &json!({"sub": "admin"}));
            row(KID, format!("kid {:?}", kid.get(..40).unwrap_or(kid)), t, JwksNoMatchingKey)
        })
        .collect();
    for bad in [json!(1), json!(null), json!(true), json!([]), json!(["one"]), json!({"kid": "one"})] {
        let h = json!({"alg": "HS256", "kid": bad}).to_string();
        rows.push(row(KID, format!("kid {bad}"), hs256_raw(h.as_bytes(), b"{}"), JwsInvalid));
    }
    check_rows(&v, &rows);
    let long_kid = rows.iter().find(|r| r.what.starts_with("kid \"AAAA")).unwrap();
    let e = v.verify(&long_kid.token, NOW).unwrap_err();
    assert!(e.message().len() < 200, "a 10,000-character kid is cut short in the message: {}", e.message().len());
}

// ------------------------------------------------------------------ ECDSA

/// Big-endian hex, as the curve orders below are written in SEC 2.
fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// `a - b` for equal-length big-endian numbers with `a >= b`.
fn sub_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let d = a[i] as i16 - b[i] as i16 - borrow;
        borrow = i16::from(d < 0);
        out[i] = d.rem_euclid(256) as u8;
    }
    out
}

/// The group orders n of P-256, P-384 and P-521 (SEC 2 2.4.2, 2.5.1, 2.6.1).
const ORDERS: [(Alg, &str); 3] = [
    (Alg::ES256, "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    (
        Alg::ES384,
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
    ),
    (
        Alg::ES512,
        "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    ),
];

fn ecdsa_der(alg: Alg, raw: &[u8]) -> Vec<u8> {
    match alg {
        Alg::ES256 => p256::ecdsa::Signature::from_slice(raw).unwrap().to_der().as_bytes().to_vec(),
        Alg::ES384 => p384::ecdsa::Signature::from_slice(raw).unwrap().to_der().as_bytes().to_vec(),
        _ => p521::ecdsa::Signature::from_slice(raw).unwrap().to_der().as_bytes().to_vec(),
    }
}

/// Zero, out-of-range and non-raw ECDSA signatures on every curve. r and s must be in [1, n-1]
/// and the signature exactly 2 x the field length; high-S stays valid (as in Wycheproof: JWS
/// does not require low-S, and a token is not identified by its signature bytes).
#[test]
fn ecdsa_signature_tricks() {
    for (alg, order) in ORDERS {
        let n = hex(order);
        let (private, public) = Key::generate(alg, None).unwrap();
        let v = verifier(vec![public], vec![alg]);
        let good = signed(&private, alg, &header(alg.as_str()), br#"{"sub":"admin"}"#);
        let (input, sig) = split_signature(&good);
        let len = n.len();
        let (r, s) = sig.split_at(len);
        let cat = |a: &[u8], b: &[u8]| [a, b].concat();
        let zero = vec![0u8; len];
        let ones = vec![0xffu8; len];
        let mut n_plus_1 = n.clone();
        *n_plus_1.last_mut().unwrap() += 1;
        let cases: Vec<(&str, &str, Vec<u8>)> = vec![
            (CVE_PSYCHIC, "r = s = 0", cat(&zero, &zero)),
            (CVE_PSYCHIC, "r = 0", cat(&zero, s)),
            (CVE_PSYCHIC, "s = 0", cat(r, &zero)),
            (ECDSA_RANGE, "r = n", cat(&n, s)),
            (ECDSA_RANGE, "s = n", cat(r, &n)),
            (ECDSA_RANGE, "r = s = n", cat(&n, &n)),
            (ECDSA_RANGE, "s = n + 1", cat(r, &n_plus_1)),
            (ECDSA_RANGE, "r = 2^k - 1", cat(&ones, s)),
            (ECDSA_RANGE, "s = n + s (same s mod n)", cat(r, &add_be(s, &n))),
            (ECDSA_FORM, "DER-encoded signature", ecdsa_der(alg, &sig)),
            (ECDSA_FORM, "one byte short", sig[..sig.len() - 1].to_vec()),
            (ECDSA_FORM, "one byte long", cat(&sig, &[0])),
            (ECDSA_FORM, "r and s each with a leading zero", cat(&cat(&[0], r), &cat(&[0], s))),
            (ECDSA_FORM, "r alone", r.to_vec()),
            (ECDSA_FORM, "swapped r and s", cat(s, r)),
        ];
        let rows: Vec<Row> = cases
            .into_iter()
            .filter(|(_, _, bytes)| !bytes.is_empty())
            .map(|(cite, what, bytes)| row(cite, format!("{alg} {what}"), with_signature(input, &bytes), BadSig))
            .collect();
        check_rows(&v, &rows);
        let high_s = with_signature(input, &cat(r, &sub_be(&n, s)));
        assert!(v.verify(&high_s, NOW).is_ok(), "{alg}: high-S (n - s) is a valid ECDSA signature");
    }
}

/// `a + b` for big-endian numbers, one octet longer when it carries out of `a`'s length (in
/// which case the result no longer fits the signature and must be refused for its length).
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut carry = 0u16;
    for i in (0..a.len()).rev() {
        let t = a[i] as u16 + b[i] as u16 + carry;
        out[i] = t as u8;
        carry = t >> 8;
    }
    if carry != 0 {
        out.insert(0, carry as u8);
    }
    out
}

// ------------------------------------------------------------------ EdDSA

/// The order L of the Ed25519 base point, little-endian (RFC 8032 5.1).
const ED25519_L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The eight small-order points of edwards25519 (and a non-canonical encoding), little-endian.
const SMALL_ORDER: [&str; 9] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

fn add_le(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut rev_a = a.to_vec();
    let mut rev_b = b.to_vec();
    rev_a.reverse();
    rev_b.reverse();
    let mut sum = add_be(&rev_a, &rev_b);
    sum.reverse();
    sum
}

/// Non-canonical S (S + L, S with the top bit set, S = L), a small-order R, wrong lengths; and
/// small-order public keys, refused when loaded (every signature would be "valid" for some of
/// them under a lax verifier).
#[test]
fn eddsa_signature_and_key_tricks() {
    let (private, public) = Key::generate(Alg::EdDSA, None).unwrap();
    let v = verifier(vec![public], vec![Alg::EdDSA]);
    let good = signed(&private, Alg::EdDSA, &header("EdDSA"), br#"{"sub":"admin"}"#);
    let (input, sig) = split_signature(&good);
    let (r, s) = sig.split_at(32);
    let mut top_bit = s.to_vec();
    top_bit[31] |= 0x80;
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("S + L", [r, &add_le(s, &ED25519_L)].concat()),
        ("S with bit 255 set", [r, &top_bit].concat()),
        ("S = L", [r, &ED25519_L[..]].concat()),
        ("R = identity, S = 0", [&identity[..], &[0u8; 32]].concat()),
        ("all zero", vec![0u8; 64]),
        ("63 bytes", sig[..63].to_vec()),
        ("65 bytes", [&sig[..], &[0]].concat()),
    ];
    let rows: Vec<Row> =
        cases.into_iter().map(|(what, bytes)| row(ED_CANONICAL, what, with_signature(input, &bytes), BadSig)).collect();
    check_rows(&v, &rows);

    for point in SMALL_ORDER {
        let x = hex(point);
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": encode(&x)});
        assert_eq!(Key::from_jwk(jwk.as_object().unwrap()).unwrap_err().code(), JwkInvalid, "JWK {point}");
        let spki = [&hex("302a300506032b6570032100")[..], &x].concat();
        let e = Key::from_pem(&pem("PUBLIC KEY", &spki), None, None).unwrap_err();
        assert_eq!(e.code(), JwkInvalid, "PEM {point}");
        let set = KeySet::from_jwks(&json!({ "keys": [jwk] })).unwrap();
        assert_eq!((set.len(), set.skipped()), (0, 1), "JWKS {point}");
    }
}

// ------------------------------------------------------------------ RSA

/// RSA signatures must be exactly the modulus length: shorter, longer, zero-padded and
/// zero-stripped encodings of the same integer are all refused, as are values >= n.
#[test]
fn rsa_signature_lengths_and_values() {
    let private = rsa_private();
    let public = private.public_key().unwrap();
    let n = b64d(public.to_public_jwk().unwrap()["n"].as_str().unwrap()).unwrap();
    let v = verifier(vec![public], vec![Alg::RS256, Alg::PS256]);
    // RFC 7520's key signs this payload (counter 342, found once) with a leading zero octet:
    // stripping it leaves the same integer in k - 1 octets.
    let zero_led = signed(&private, Alg::RS256, &header("RS256"), br#"{"n":342}"#);
    let (zl_input, zl_sig) = split_signature(&zero_led);
    assert_eq!((zl_sig.len(), zl_sig[0]), (256, 0), "the fixture must start with a zero octet");
    assert!(v.verify(&zero_led, NOW).is_ok());
    let mut rows = vec![row(
        RSA_LEN,
        "RS256 leading zero stripped (k - 1 octets)",
        with_signature(zl_input, &zl_sig[1..]),
        BadSig,
    )];
    for alg in [Alg::RS256, Alg::PS256] {
        let good = signed(&private, alg, &header(alg.as_str()), br#"{"sub":"admin"}"#);
        let (input, sig) = split_signature(&good);
        let mut n_minus_1 = n.clone();
        *n_minus_1.last_mut().unwrap() -= 1;
        let mut one = vec![0u8; 256];
        one[255] = 1;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("one octet short", sig[1..].to_vec()),
            ("one octet long (zero appended)", [&sig[..], &[0]].concat()),
            ("zero octet prepended (k + 1)", [&[0], &sig[..]].concat()),
            ("doubled", [&sig[..], &sig[..]].concat()),
            ("half", sig[..128].to_vec()),
            ("all zero", vec![0u8; 256]),
            ("one", one),
            ("n", n.clone()),
            ("n - 1", n_minus_1),
            ("all ones (> n)", vec![0xffu8; 256]),
        ];
        rows.extend(
            cases
                .into_iter()
                .map(|(what, bytes)| row(RSA_LEN, format!("{alg} {what}"), with_signature(input, &bytes), BadSig)),
        );
    }
    check_rows(&v, &rows);
}

// ------------------------------------------------------------------ MACs

/// HMAC tags must be the full hash output: truncated, extended and cross-algorithm tags fail.
#[test]
fn truncated_and_extended_macs() {
    let key = hs_key();
    let v = verifier(vec![key.clone()], vec![Alg::HS256, Alg::HS384, Alg::HS512]);
    let mut rows = Vec::new();
    for alg in [Alg::HS256, Alg::HS384, Alg::HS512] {
        let good = signed(&key, alg, &header(alg.as_str()), br#"{"sub":"admin"}"#);
        let (input, tag) = split_signature(&good);
        let len = tag.len();
        let mut flipped = tag.clone();
        flipped[len - 1] ^= 1;
        let cases: Vec<(String, Vec<u8>)> = vec![
            ("truncated to 16 bytes".into(), tag[..16].to_vec()),
            ("truncated by one byte".into(), tag[..len - 1].to_vec()),
            ("first byte only".into(), tag[..1].to_vec()),
            ("one zero byte appended".into(), [&tag[..], &[0]].concat()),
            ("doubled".into(), [&tag[..], &tag[..]].concat()),
            ("all zero".into(), vec![0u8; len]),
            ("last bit flipped".into(), flipped),
        ];
        rows.extend(
            cases
                .into_iter()
                .map(|(what, bytes)| row(MAC, format!("{alg} {what}"), with_signature(input, &bytes), BadSig)),
        );
    }
    // The HS512 tag of the same input under an HS256 header, and HS256's under HS512.
    let input = format!("{}.{}", encode(&header("HS256")), encode(b"{}"));
    let hs512_tag = key.sign(Alg::HS512, input.as_bytes()).unwrap();
    rows.push(row(MAC, "HS512 tag under HS256", with_signature(&input, &hs512_tag), BadSig));
    rows.push(row(MAC, "HS512 tag cut to 32 bytes under HS256", with_signature(&input, &hs512_tag[..32]), BadSig));
    let input512 = format!("{}.{}", encode(&header("HS512")), encode(b"{}"));
    let hs256_tag = key.sign(Alg::HS256, input512.as_bytes()).unwrap();
    rows.push(row(MAC, "HS256 tag under HS512", with_signature(&input512, &hs256_tag), BadSig));
    rows.push(row(MAC, "empty tag", format!("{input}."), JwsInvalid));
    check_rows(&v, &rows);
}

// ------------------------------------------------------------------ encoding tricks

/// The same bytes with a non-zero unused bit in the last character: decodes identically under a
/// lax decoder, so two token strings would carry one signature.
fn non_canonical(segment: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (head, last) = segment.split_at(segment.len() - 1);
    let value = ALPHABET.iter().position(|&c| c == last.as_bytes()[0]).unwrap();
    assert!(segment.len() % 4 != 0 && value & 1 == 0, "needs a final partial group with a zero low bit");
    format!("{head}{}", ALPHABET[value | 1] as char)
}

/// Malformed encodings, each signed as it stands so the check behind the signature is what
/// refuses it: a header problem is ERR_JWS_INVALID, a payload problem ERR_JWT_INVALID.
#[test]
fn encoding_tricks() {
    let v = verifier(vec![hs_key()], vec![Alg::HS256]);
    let key = hs_key();
    // Chosen so both encodings contain '-' and '_' (to swap for '+' and '/').
    let h_json = br#"{"alg":"HS256","x":"??>~~~"}"#;
    let p_json = br#"{"sub":"??>~~~","n":1}"#;
    let (h, p) = (encode(h_json), encode(p_json));
    assert!(h.contains('-') && h.contains('_') && p.contains('-') && p.contains('_'));
    let good = signed_segments(&key, Alg::HS256, &h, &p);
    assert!(v.verify(&good, NOW).is_ok());
    let std_alpha = |s: &str| s.replace('-', "+").replace('_', "/");
    let seg = |a: &str, b: &str| signed_segments(&key, Alg::HS256, a, b);
    let (good_input, good_sig) = good.rsplit_once('.').unwrap();
    // A 3-character final group, whose last character carries 2 unused bits.
    let p2 = encode(br#"{"n":12}"#);
    assert_eq!(p2.len() % 4, 3);
    let mut rows = vec![
        row(B64, "header padded with '='", seg(&format!("{h}="), &p), JwsInvalid),
        row(B64, "header padded with '=='", seg(&format!("{h}=="), &p), JwsInvalid),
        row(B64, "payload padded with '='", seg(&h, &format!("{p}=")), JwtInvalid),
        row(B64, "signature padded with '='", format!("{good}="), JwsInvalid),
        row(B64, "header in the '+' '/' alphabet", seg(&std_alpha(&h), &p), JwsInvalid),
        row(B64, "payload in the '+' '/' alphabet", seg(&h, &std_alpha(&p)), JwtInvalid),
        row(B64, "signature in the '+' '/' alphabet", format!("{good_input}.{}", std_alpha(good_sig)), JwsInvalid),
        row(B64, "space inside the header", seg(&format!("{} {}", &h[..8], &h[8..]), &p), JwsInvalid),
        row(B64, "line break inside the payload", seg(&h, &format!("{}\n{}", &p[..8], &p[8..])), JwtInvalid),
        row(B64, "tab inside the payload", seg(&h, &format!("{}\t{}", &p[..8], &p[8..])), JwtInvalid),
        row(B64, "leading space", format!(" {good}"), JwsInvalid),
        row(B64, "trailing newline", format!("{good}\n"), JwsInvalid),
        row(B64, "trailing CRLF", format!("{good}\r\n"), JwsInvalid),
        row(B64, "percent-encoded '-'", seg(&h.replacen('-', "%2D", 1), &p), JwsInvalid),
        row(B64, "non-canonical trailing bits, payload", seg(&h, &non_canonical(&p2)), JwtInvalid),
        row(
            B64,
            "non-canonical trailing bits, signature",
            format!("{good_input}.{}", non_canonical(good_sig)),
            JwsInvalid,
        ),
        row(B64, "payload length = 1 mod 4", seg(&h, &format!("{p2}AA")), JwtInvalid),
        row(SEGMENTS, "empty header", format!(".{p}.{good_sig}"), JwsInvalid),
        row(SEGMENTS, "empty payload", seg(&h, ""), JwsInvalid),
        row(SEGMENTS, "empty signature", format!("{good_input}."), JwsInvalid),
        row(SEGMENTS, "all empty", "..".into(), JwsInvalid),
        row(SEGMENTS, "two segments", good_input.to_owned(), JwsInvalid),
        row(SEGMENTS, "four segments", format!("{good}.{good_sig}"), JwsInvalid),
        row(SEGMENTS, "four segments, empty last", format!("{good}."), JwsInvalid),
        row(SEGMENTS, "five segments (JWE shape)", format!("{h}.{p}.{p}.{p}.{good_sig}"), JwsInvalid),
        row(SEGMENTS, "one segment", h.clone(), JwsInvalid),
        row(SEGMENTS, "empty token", String::new(), JwtInvalid),
        row(UTF8, "BOM before the token", format!("\u{feff}{good}"), JwsInvalid),
        row(
            UTF8,
            "BOM inside the header JSON",
            hs256_raw(&[b"\xef\xbb\xbf", &h_json[..]].concat(), p_json),
            JwsInvalid,
        ),
        row(
            UTF8,
            "BOM inside the payload JSON",
            hs256_raw(h_json, &[b"\xef\xbb\xbf", &p_json[..]].concat()),
            JwtInvalid,
        ),
        row(UTF8, "invalid UTF-8 in the header", hs256_raw(b"{\"alg\":\"HS256\",\"x\":\"\xff\"}", p_json), JwsInvalid),
        row(UTF8, "invalid UTF-8 in the payload", hs256_raw(h_json, b"{\"sub\":\"\xfe\xff\"}"), JwtInvalid),
        row(UTF8, "overlong '/' in the payload", hs256_raw(h_json, b"{\"sub\":\"\xc0\xaf\"}"), JwtInvalid),
        row(UTF8, "UTF-8-encoded surrogate (CESU)", hs256_raw(h_json, b"{\"sub\":\"\xed\xa0\x80\"}"), JwtInvalid),
        row(UTF8, "invalid UTF-8 in a member name", hs256_raw(h_json, b"{\"\x80\":1}"), JwtInvalid),
        row(UTF8, "UTF-16 payload", hs256_raw(h_json, b"\xff\xfe{\x00}\x00"), JwtInvalid),
        row(
            SURROGATE,
            "lone high surrogate in the header",
            hs256_raw(br#"{"alg":"HS256","x":"\ud800"}"#, p_json),
            JwsInvalid,
        ),
        row(SURROGATE, "lone high surrogate in the payload", hs256_raw(h_json, br#"{"sub":"\ud800"}"#), JwtInvalid),
        row(SURROGATE, "lone low surrogate", hs256_raw(h_json, br#"{"sub":"\udc00"}"#), JwtInvalid),
        row(SURROGATE, "high surrogate then a letter", hs256_raw(h_json, br#"{"sub":"\ud800\u0041"}"#), JwtInvalid),
        row(SURROGATE, "surrogates reversed", hs256_raw(h_json, br#"{"sub":"\ude00\ud83d"}"#), JwtInvalid),
        row(SURROGATE, "lone surrogate in a member name", hs256_raw(h_json, br#"{"\ud800":1}"#), JwtInvalid),
    ];
    let lax_json: [(&str, &[u8]); 14] = [
        ("trailing comma", br#"{"sub":"a",}"#),
        ("single quotes", br#"{'sub':'a'}"#),
        ("comment", br#"{"sub":"a"/* c */}"#),
        ("NaN", br#"{"exp":NaN}"#),
        ("Infinity", br#"{"exp":Infinity}"#),
        ("leading zero", br#"{"exp":01}"#),
        ("hex number", br#"{"exp":0x10}"#),
        ("unquoted name", br#"{sub:"a"}"#),
        ("trailing data", br#"{"sub":"a"} x"#),
        ("two objects", br#"{"sub":"a"}{"sub":"b"}"#),
        ("raw control character", b"{\"sub\":\"a\x01b\"}"),
        ("invalid escape", br#"{"sub":"\x41"}"#),
        ("duplicate name through an escape", br#"{"sub":"a","\u0073ub":"admin"}"#),
        ("duplicate name, nested", br#"{"o":{"a":1,"a":2}}"#),
    ];
    rows.extend(lax_json.iter().map(|(what, p)| row(JSON_STRICT, *what, hs256_raw(h_json, p), JwtInvalid)));
    rows.push(row(
        JSON_STRICT,
        "duplicate alg through an escape",
        hs256_raw(br#"{"alg":"HS256","\u0061lg":"none"}"#, p_json),
        JwsInvalid,
    ));
    check_rows(&v, &rows);
}

// ------------------------------------------------------------------ claims

fn claims_verifier() -> Verifier {
    verifier_json(
        vec![hs_key()],
        r#"{"algorithms":["HS256"],"issuer":"https://id.example","audience":"api","subject":"user-1",
            "requiredScopes":["read"],"requiredRoles":["ops"]}"#,
    )
}

/// A payload that passes `claims_verifier`, with `changes` applied (`null` removes a member).
fn payload_with(changes: Value) -> Value {
    let mut p = json!({"iss": "https://id.example", "aud": "api", "sub": "user-1", "scope": "read",
        "roles": ["ops"], "iat": NOW - 10.0, "exp": NOW + 600.0});
    for (k, v) in changes.as_object().unwrap() {
        match v {
            Value::Null => p.as_object_mut().unwrap().remove(k),
            _ => p.as_object_mut().unwrap().insert(k.clone(), v.clone()),
        };
    }
    p
}

/// Claims of the wrong JSON type are refused, never coerced. ERR_JWT_CLAIM_VALIDATION_FAILED
/// with the claim named; the row's own check is the code.
#[test]
fn claims_of_the_wrong_type() {
    let v = claims_verifier();
    assert!(v.verify(&hs256(&payload_with(json!({}))), NOW).is_ok());
    let cases: Vec<(&str, Value)> = vec![
        (NUMERIC_DATE, json!({"exp": "1900000000"})),
        (NUMERIC_DATE, json!({"exp": true})),
        (NUMERIC_DATE, json!({"exp": [1900000000]})),
        (NUMERIC_DATE, json!({"exp": {"$date": 1900000000}})),
        (NUMERIC_DATE, json!({"exp": ""})),
        (NUMERIC_DATE, json!({"nbf": "0"})),
        (NUMERIC_DATE, json!({"nbf": false})),
        (NUMERIC_DATE, json!({"iat": "now"})),
        (NUMERIC_DATE, json!({"iat": [0]})),
        (AUD, json!({"aud": 1})),
        (AUD, json!({"aud": ["api", 1]})),
        (AUD, json!({"aud": {"api": true}})),
        (AUD, json!({"aud": true})),
        (AUD, json!({"aud": []})),
        (AUD, json!({"aud": ["API"]})),
        (STRING_CLAIM, json!({"iss": 1})),
        (STRING_CLAIM, json!({"iss": ["https://id.example"]})),
        (STRING_CLAIM, json!({"sub": 1})),
        (STRING_CLAIM, json!({"sub": ["user-1"]})),
        ("RFC 8693 4.2, RFC 9068 2.2.3 (scope: space-separated string)", json!({"scope": ["read"]})),
        ("RFC 9068 2.2.3.1, RFC 7643 (roles: array of strings)", json!({"roles": "ops"})),
        ("RFC 9068 2.2.3.1, RFC 7643 (roles: array of strings)", json!({"roles": [1]})),
    ];
    let rows: Vec<Row> = cases
        .into_iter()
        .map(|(cite, c)| row(cite, c.to_string(), hs256(&payload_with(c)), ClaimValidationFailed))
        .collect();
    check_rows(&v, &rows);
    // Absent claims that a check needs are reported as missing, not as a type error.
    for name in ["iss", "aud", "sub"] {
        let e = v.verify(&hs256(&payload_with(json!({ name: null }))), NOW).unwrap_err();
        assert_eq!((e.code(), e.claim_name(), e.reason()), (ClaimValidationFailed, Some(name), Some("missing")));
    }
}

/// Numbers beyond binary64, negative zero, integers past 2^53: parsed once, by one rule.
#[test]
fn huge_and_odd_numbers() {
    let v = verifier_json(vec![hs_key()], r#"{"algorithms":["HS256"],"maxTokenAge":"1h"}"#);
    let raw = |p: &str| hs256_raw(&header("HS256"), p.as_bytes());
    let iat = NOW - 10.0;
    let digits = "9".repeat(400);
    let rows = vec![
        row(NUMBERS, "exp 1e400 (infinite as binary64)", raw(&format!(r#"{{"iat":{iat},"exp":1e400}}"#)), JwtInvalid),
        row(NUMBERS, "exp -1e400", raw(&format!(r#"{{"iat":{iat},"exp":-1e400}}"#)), JwtInvalid),
        row(NUMBERS, "nbf 1e400", raw(&format!(r#"{{"iat":{iat},"nbf":1e400}}"#)), JwtInvalid),
        row(NUMBERS, "iat 1e400", raw(r#"{"iat":1e400}"#), JwtInvalid),
        row(NUMBERS, "exp of 400 digits", raw(&format!(r#"{{"iat":{iat},"exp":{digits}}}"#)), JwtInvalid),
        row(NUMBERS, "exp -0", raw(&format!(r#"{{"iat":{iat},"exp":-0}}"#)), Expired),
        row(NUMBERS, "exp -0.0", raw(&format!(r#"{{"iat":{iat},"exp":-0.0}}"#)), Expired),
        row(NUMBERS, "exp 1e-400 (underflows to 0)", raw(&format!(r#"{{"iat":{iat},"exp":1e-400}}"#)), Expired),
        row(NUMBERS, "exp -2^63 - 1", raw(&format!(r#"{{"iat":{iat},"exp":-9223372036854775809}}"#)), Expired),
        row(NUMBERS, "exp -1e308", raw(&format!(r#"{{"iat":{iat},"exp":-1e308}}"#)), Expired),
        row(NUMBERS, "nbf 1e308", raw(&format!(r#"{{"iat":{iat},"nbf":1e308}}"#)), ClaimValidationFailed),
        row(NUMBERS, "iat 1e308 (future)", raw(r#"{"iat":1e308}"#), ClaimValidationFailed),
        row(NUMBERS, "iat -1e308 (older than maxTokenAge)", raw(r#"{"iat":-1e308}"#), Expired),
        row(NUMBERS, "iat 2^64", raw(r#"{"iat":18446744073709551616}"#), ClaimValidationFailed),
    ];
    check_rows(&v, &rows);
    for ok in [
        format!(r#"{{"iat":{iat},"exp":9007199254740993}}"#), // 2^53 + 1: rounds to 2^53, far future
        format!(r#"{{"iat":{iat},"exp":18446744073709551616}}"#),
        format!(r#"{{"iat":{iat},"exp":1e308}}"#),
        format!(r#"{{"iat":{iat},"nbf":-0}}"#),
        format!(r#"{{"iat":{iat},"exp":{}}}"#, NOW + 0.5),
    ] {
        assert!(v.verify(&raw(&ok), NOW).is_ok(), "{ok}");
    }
}

/// `exp` is expired at `now >= exp + tolerance`, `nbf` not yet valid at `now < nbf - tolerance`,
/// `maxTokenAge` exceeded at `now - iat > maxTokenAge + tolerance`: checked at the exact instants.
#[test]
fn boundary_times_with_and_without_tolerance() {
    const T: f64 = 30.0;
    let strict = verifier_json(vec![hs_key()], r#"{"algorithms":["HS256"],"maxTokenAge":60}"#);
    let tolerant = verifier_json(vec![hs_key()], r#"{"algorithms":["HS256"],"maxTokenAge":60,"clockTolerance":"30s"}"#);
    let at = |claims: Value| {
        let mut p = json!({"iat": NOW});
        p.as_object_mut().unwrap().extend(claims.as_object().unwrap().clone());
        hs256(&p)
    };
    const EXP: &str = "RFC 7519 4.1.4 (exp: on or after is invalid)";
    const NBF: &str = "RFC 7519 4.1.5 (nbf: before is invalid)";
    const AGE: &str = "RFC 7519 4.1.6 (iat) with maxTokenAge";
    check_rows(
        &strict,
        &[
            row(EXP, "exp = now", at(json!({"exp": NOW})), Expired),
            row(EXP, "exp = now - 0.001", at(json!({"exp": NOW - 0.001})), Expired),
            row(NBF, "nbf = now + 1", at(json!({"nbf": NOW + 1.0})), ClaimValidationFailed),
            row(NBF, "nbf = now + 0.001", at(json!({"nbf": NOW + 0.001})), ClaimValidationFailed),
            row(AGE, "iat = now - 61", at(json!({"iat": NOW - 61.0})), Expired),
            row(AGE, "iat = now + 1", at(json!({"iat": NOW + 1.0})), ClaimValidationFailed),
        ],
    );
    check_rows(
        &tolerant,
        &[
            row(EXP, "exp = now - 30 (tolerance 30)", at(json!({"exp": NOW - T})), Expired),
            row(NBF, "nbf = now + 31 (tolerance 30)", at(json!({"nbf": NOW + T + 1.0})), ClaimValidationFailed),
            row(AGE, "iat = now - 91 (tolerance 30)", at(json!({"iat": NOW - 91.0})), Expired),
            row(AGE, "iat = now + 31 (tolerance 30)", at(json!({"iat": NOW + T + 1.0})), ClaimValidationFailed),
        ],
    );
    for (v, claims) in [
        (&strict, json!({"exp": NOW + 0.001})),
        (&strict, json!({"nbf": NOW})),
        (&strict, json!({"iat": NOW - 60.0})),
        (&strict, json!({"exp": NOW + 1.0, "nbf": NOW})),
        (&tolerant, json!({"exp": NOW - T + 0.001})),
        (&tolerant, json!({"exp": NOW - 29.0})),
        (&tolerant, json!({"nbf": NOW + T})),
        (&tolerant, json!({"iat": NOW - 90.0})),
        (&tolerant, json!({"iat": NOW + T})),
    ] {
        assert!(v.verify(&at(claims.clone()), NOW).is_ok(), "{claims}");
    }
}

// ------------------------------------------------------------------ crit and b64

/// Beyond verify_rules.rs `crit_and_b64_are_refused`: every malformed `crit`, and `b64` in any
/// form but `true`, whether or not `crit` lists it.
#[test]
fn crit_and_b64_extensions() {
    let v = verifier(vec![hs_key()], vec![Alg::HS256]);
    let h = |v: Value| hs256_raw(v.to_string().as_bytes(), b"{}");
    let rows = vec![
        row(
            CRIT,
            "crit lists a present unknown extension",
            h(json!({"alg": "HS256", "crit": ["x"], "x": 1})),
            NotSupported,
        ),
        row(CRIT, "crit lists it twice", h(json!({"alg": "HS256", "crit": ["x", "x"], "x": 1})), NotSupported),
        row(CRIT, "crit lists b64 = true", h(json!({"alg": "HS256", "crit": ["b64"], "b64": true})), NotSupported),
        row(CRIT, "crit null", h(json!({"alg": "HS256", "crit": null})), JwsInvalid),
        row(CRIT, "crit object", h(json!({"alg": "HS256", "crit": {"x": 1}, "x": 1})), JwsInvalid),
        row(CRIT, "crit with a number", h(json!({"alg": "HS256", "crit": [1]})), JwsInvalid),
        row(CRIT, "crit with an empty name", h(json!({"alg": "HS256", "crit": [""]})), JwsInvalid),
        row(CRIT, "crit lists kid", h(json!({"alg": "HS256", "crit": ["kid"], "kid": "a"})), JwsInvalid),
        row(CRIT, "crit lists x5t#S256", h(json!({"alg": "HS256", "crit": ["x5t#S256"], "x5t#S256": "a"})), JwsInvalid),
        row(
            CRIT,
            "crit lists an absent name after a present one",
            h(json!({"alg": "HS256", "crit": ["x", "y"], "x": 1})),
            JwsInvalid,
        ),
        row(B64_EXT, "b64 \"false\"", h(json!({"alg": "HS256", "b64": "false"})), NotSupported),
        row(B64_EXT, "b64 0", h(json!({"alg": "HS256", "b64": 0})), NotSupported),
        row(B64_EXT, "b64 null", h(json!({"alg": "HS256", "b64": null})), NotSupported),
        row(
            B64_EXT,
            "b64 false, crit lists it, payload unencoded",
            signed_segments(&hs_key(), Alg::HS256, &encode(br#"{"alg":"HS256","b64":false,"crit":["b64"]}"#), "$02"),
            NotSupported,
        ),
    ];
    check_rows(&v, &rows);
}

const JWE: &str = "RFC 7516 9 (a header with \"enc\" is a JWE, not a JWS)";

/// Issue 13: a three-segment token whose header carries `enc` (a JWE header) was taken as a
/// JWS. It is refused, whatever `alg` says and whatever the other checks would have said, with
/// a message that says JWE is not supported. `decode` stays structural: it shows the header.
#[test]
fn jwe_headers_are_never_read_as_jws() {
    let v = verifier(vec![hs_key()], vec![Alg::HS256]);
    let h = |v: Value| hs256_raw(v.to_string().as_bytes(), br#"{"sub":"admin"}"#);
    let rows = vec![
        row(
            JWE,
            "enc A256GCM beside a valid HS256 signature",
            h(json!({"alg": "HS256", "enc": "A256GCM"})),
            JwsInvalid,
        ),
        row(JWE, "enc with a JWE alg", h(json!({"alg": "dir", "enc": "A128CBC-HS256"})), JwsInvalid),
        row(JWE, "enc null", h(json!({"alg": "HS256", "enc": null})), JwsInvalid),
        row(JWE, "enc empty", h(json!({"alg": "HS256", "enc": ""})), JwsInvalid),
        row(JWE, "enc and zip", h(json!({"alg": "HS256", "enc": "A256GCM", "zip": "DEF"})), JwsInvalid),
        row(JWE, "enc beside alg none", h(json!({"alg": "none", "enc": "A256GCM"})), JwsInvalid),
        row(
            JWE,
            "compact JWE (five segments)",
            format!("{}.a2V5.aXY.Y2lwaGVy.dGFn", encode(br#"{"alg":"dir","enc":"A256GCM"}"#)),
            JwsInvalid,
        ),
    ];
    check_rows(&v, &rows);
    let t = h(json!({"alg": "HS256", "enc": "A256GCM"}));
    let e = v.verify(&t, NOW).unwrap_err();
    assert!(e.message().contains("JWE") && e.message().contains("not supported"), "{e}");
    // The same header without enc verifies: the rows failed for the right reason.
    assert!(v.verify(&h(json!({"alg": "HS256"})), NOW).is_ok());
    // decode is inspection: it returns the header as it is, enc included.
    assert_eq!(jwtward::decode(&t).unwrap().header["enc"], "A256GCM");
    assert_eq!(jwtward::decode_header(&t).unwrap().0["enc"], "A256GCM");
}
