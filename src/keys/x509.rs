//! X.509 certificates (RFC 5280), read only as far as their SubjectPublicKeyInfo: the form in
//! which Google (Firebase ID tokens) and others publish keys, and what a JWK's `x5c` carries.
//!
//! Only the public key is taken. Nothing else in the certificate is checked: not its signature,
//! chain, validity dates, names or extensions (as jose's `importX509`). The certificate is a
//! container for a key that is trusted because of where it was obtained, never because of what
//! the certificate says.
//!
//! The walk is strict DER (X.690 section 10): single-byte tags, definite lengths in their
//! shortest form, every constructed element made of whole elements, no constructed strings,
//! nothing after the certificate, at most [`MAX_CERT_SIZE`] bytes and [`MAX_DEPTH`] levels. The
//! SubjectPublicKeyInfo is then read by `der_in::spki` like any public key, with the same policy.

use crate::crypto::der_in::spki;
use crate::crypto::KeyMaterial;
use crate::error::{jwk_invalid, Error, Result};

/// The largest certificate accepted, in DER bytes. Certificates that carry a signing key are
/// 1 to 2 KiB; this leaves room for long names and many extensions, and its PEM fits in
/// `MAX_PEM_SIZE`, so a certificate loads alike as PEM and in an `x5c`.
pub const MAX_CERT_SIZE: usize = 8 * 1024;

/// The deepest nesting of constructed elements accepted (real certificates stay under 10).
const MAX_DEPTH: usize = 24;

const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const CONSTRUCTED: u8 = 0x20;
/// `[0] EXPLICIT Version`, `[1] IMPLICIT issuerUniqueID`, `[2] IMPLICIT subjectUniqueID`,
/// `[3] EXPLICIT extensions` of a TBSCertificate.
const VERSION: u8 = 0xa0;
const ISSUER_UID: u8 = 0x81;
const SUBJECT_UID: u8 = 0x82;
const EXTENSIONS: u8 = 0xa3;

fn malformed(what: &str) -> Error {
    jwk_invalid(format!("malformed X.509 certificate: {what}"))
}

/// One DER element: its tag, its encoding as a whole, and its content.
struct Element<'a> {
    tag: u8,
    whole: &'a [u8],
    content: &'a [u8],
}

/// The element at the start of `input`, and the bytes after it.
fn element(input: &[u8]) -> Result<(Element<'_>, &[u8])> {
    let truncated = || malformed("it is cut short (an element runs past the end)");
    let (&tag, rest) = input.split_first().ok_or_else(truncated)?;
    if tag & 0x1f == 0x1f {
        return Err(malformed("a multi-byte tag (none occurs in a certificate)"));
    }
    if tag == 0 {
        return Err(malformed("an end-of-contents marker (indefinite lengths are not DER)"));
    }
    let (&first, rest) = rest.split_first().ok_or_else(truncated)?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x80 => return Err(malformed("an indefinite length (not DER)")),
        _ => {
            let count = usize::from(first & 0x7f);
            // Three length octets reach 16 MiB, far above MAX_CERT_SIZE.
            if count > 3 {
                return Err(malformed("a length of more than three octets"));
            }
            let octets = rest.get(..count).ok_or_else(truncated)?;
            let len = octets.iter().fold(0usize, |acc, &b| acc << 8 | usize::from(b));
            if octets.first() == Some(&0) || len < 0x80 {
                return Err(malformed("a length not in its shortest form (not DER)"));
            }
            (len, rest.get(count..).ok_or_else(truncated)?)
        }
    };
    let content = rest.get(..len).ok_or_else(truncated)?;
    let after = rest.get(len..).ok_or_else(truncated)?;
    let header = input.len().saturating_sub(rest.len());
    let whole = input.get(..header.saturating_add(len)).ok_or_else(truncated)?;
    Ok((Element { tag, whole, content }, after))
}

/// The element at the start of `input`, which must have `tag`.
fn expect<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<(Element<'a>, &'a [u8])> {
    if input.is_empty() {
        return Err(malformed(&format!("the {what} is missing")));
    }
    let (el, rest) = element(input)?;
    if el.tag != tag {
        return Err(malformed(&format!("the {what} is not where it should be")));
    }
    Ok((el, rest))
}

/// `content` is a run of whole elements, and so is every constructed element in it. In DER
/// only SEQUENCE, SET and context/application/private tags are constructed (X.690 10.2).
fn check_elements(content: &[u8], depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(malformed("nested too deeply"));
    }
    let mut rest = content;
    while !rest.is_empty() {
        let (el, after) = element(rest)?;
        let universal = el.tag & 0xc0 == 0;
        let constructed = el.tag & CONSTRUCTED != 0;
        let number = el.tag & 0x1f;
        let sequence_or_set = number == SEQUENCE & 0x1f || number == SET & 0x1f;
        if universal && constructed != sequence_or_set {
            return Err(malformed("a constructed string or a primitive SEQUENCE (not DER)"));
        }
        if constructed {
            check_elements(el.content, depth.saturating_add(1))?;
        }
        rest = after;
    }
    Ok(())
}

/// A DER INTEGER's content: at least one octet, in its shortest form.
fn check_integer(content: &[u8], what: &str) -> Result<()> {
    match content {
        [] => Err(malformed(&format!("the {what} is empty"))),
        [0x00, next, ..] if *next < 0x80 => Err(malformed(&format!("the {what} is not in its shortest form"))),
        [0xff, next, ..] if *next >= 0x80 => Err(malformed(&format!("the {what} is not in its shortest form"))),
        _ => Ok(()),
    }
}

/// The DER SubjectPublicKeyInfo of a certificate, after checking the certificate's outline:
///
/// ```text
/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
/// TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber INTEGER, signature,
///     issuer, validity, subject, subjectPublicKeyInfo, [1] OPTIONAL, [2] OPTIONAL, [3] OPTIONAL }
/// ```
pub(crate) fn spki_of_certificate(der: &[u8]) -> Result<&[u8]> {
    if der.len() > MAX_CERT_SIZE {
        return Err(malformed(&format!("it is {} bytes, more than the {MAX_CERT_SIZE} allowed", der.len())));
    }
    let (cert, after) = expect(der, SEQUENCE, "certificate SEQUENCE")?;
    if !after.is_empty() {
        return Err(malformed(&format!("{} bytes follow the certificate", after.len())));
    }
    check_elements(cert.content, 1)?;
    let (tbs, rest) = expect(cert.content, SEQUENCE, "tbsCertificate")?;
    let (signature_alg, rest) = expect(rest, SEQUENCE, "signatureAlgorithm")?;
    let (signature, rest) = expect(rest, BIT_STRING, "signatureValue")?;
    if !rest.is_empty() {
        return Err(malformed("elements follow the signature"));
    }
    if !matches!(signature.content.first(), Some(0..=7)) {
        return Err(malformed("the signature BIT STRING is malformed"));
    }

    let mut rest = tbs.content;
    // Version: absent means v1 (DER omits a DEFAULT value, so an explicit v1 is not DER).
    let mut version = 0u8;
    if let Ok((el, after)) = element(rest) {
        if el.tag == VERSION {
            let (number, inner_rest) = expect(el.content, INTEGER, "version")?;
            version = match (number.content, inner_rest) {
                ([v @ (1 | 2)], []) => *v,
                _ => return Err(malformed("the version is not v2 or v3")),
            };
            rest = after;
        }
    }
    let (serial, rest) = expect(rest, INTEGER, "serialNumber")?;
    check_integer(serial.content, "serialNumber")?;
    let (inner_alg, rest) = expect(rest, SEQUENCE, "signature algorithm of the tbsCertificate")?;
    if inner_alg.whole != signature_alg.whole {
        return Err(malformed("its two signature algorithms differ"));
    }
    let (_issuer, rest) = expect(rest, SEQUENCE, "issuer")?;
    let (_validity, rest) = expect(rest, SEQUENCE, "validity")?;
    let (_subject, rest) = expect(rest, SEQUENCE, "subject")?;
    let (key_info, mut rest) = expect(rest, SEQUENCE, "subjectPublicKeyInfo")?;
    // Then [1], [2] (v2 and v3) and [3] (v3 only), each at most once, in this order.
    let mut allowed: &[u8] = match version {
        0 => &[],
        1 => &[ISSUER_UID, SUBJECT_UID],
        _ => &[ISSUER_UID, SUBJECT_UID, EXTENSIONS],
    };
    while !rest.is_empty() {
        let (el, after) = element(rest)?;
        let at = allowed
            .iter()
            .position(|&t| t == el.tag)
            .ok_or_else(|| malformed("an unexpected field follows the subjectPublicKeyInfo"))?;
        allowed = allowed.get(at.saturating_add(1)..).unwrap_or_default();
        rest = after;
    }
    Ok(key_info.whole)
}

/// The public key of a DER certificate, with the same policy as any SPKI public key.
pub(crate) fn certificate_public_key(der: &[u8]) -> Result<KeyMaterial> {
    spki(spki_of_certificate(der)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            n @ 0..=0x7f => out.push(n as u8),
            n @ 0x80..=0xff => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(content);
        out
    }

    /// A minimal v3 certificate around `spki_der`, built by hand.
    fn wrap(spki_der: &[u8]) -> Vec<u8> {
        let alg = tlv(SEQUENCE, &[0x06, 0x03, 0x2b, 0x65, 0x70]);
        let name = tlv(SEQUENCE, &tlv(SET, &tlv(SEQUENCE, &[0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, b'a'])));
        let time = |s: &[u8]| tlv(0x17, s);
        let validity = tlv(SEQUENCE, &[time(b"250101000000Z"), time(b"350101000000Z")].concat());
        let version = tlv(VERSION, &[0x02, 0x01, 0x02]);
        let tbs = [version, vec![0x02, 0x01, 0x01], alg.clone(), name.clone(), validity, name, spki_der.to_vec()];
        let tbs = tlv(SEQUENCE, &tbs.concat());
        tlv(SEQUENCE, &[tbs, alg, tlv(BIT_STRING, &[0, 1, 2, 3])].concat())
    }

    const ED25519_SPKI: [u8; 44] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1,
        0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
        0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
    ];

    #[test]
    fn finds_the_key_of_a_minimal_certificate() {
        let cert = wrap(&ED25519_SPKI);
        assert_eq!(spki_of_certificate(&cert).unwrap(), &ED25519_SPKI);
        let key = certificate_public_key(&cert).unwrap();
        assert_eq!(key.kty(), "OKP");
    }

    #[test]
    fn every_truncation_and_extension_is_refused_without_panic() {
        let cert = wrap(&ED25519_SPKI);
        for len in 0..cert.len() {
            assert!(spki_of_certificate(&cert[..len]).is_err(), "prefix of {len} bytes");
        }
        let mut longer = cert.clone();
        longer.push(0);
        assert!(spki_of_certificate(&longer).unwrap_err().message().contains("follow the certificate"));
        // Every single-byte change either still parses or is refused; none panics.
        for i in 0..cert.len() {
            for delta in [1u8, 0x80, 0xff] {
                let mut changed = cert.clone();
                changed[i] = changed[i].wrapping_add(delta);
                let _ = certificate_public_key(&changed);
            }
        }
    }

    #[test]
    fn non_der_lengths_are_refused() {
        let cert = wrap(&ED25519_SPKI);
        // The outer length written with a needless leading zero octet is not DER.
        assert_eq!(cert[1], 0x81, "a certificate of 128 to 255 bytes");
        let body = &cert[3..];
        let padded = [&[0x30u8, 0x82, 0x00, cert[2]][..], body].concat();
        assert!(spki_of_certificate(&padded).unwrap_err().message().contains("shortest form"));
        let indefinite = [&[0x30u8, 0x80][..], body, &[0, 0]].concat();
        assert!(spki_of_certificate(&indefinite).unwrap_err().message().contains("indefinite"));
        // A constructed BIT STRING (allowed in BER) is not DER.
        let mut constructed = cert.clone();
        let at = constructed.len() - 6;
        assert_eq!(constructed[at], BIT_STRING);
        constructed[at] |= CONSTRUCTED;
        assert!(certificate_public_key(&constructed).is_err());
    }

    #[test]
    fn the_largest_certificate_fits_in_the_largest_pem() {
        let base64 = MAX_CERT_SIZE.div_ceil(3) * 4;
        let pem = base64 + base64.div_ceil(64) + "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".len();
        assert!(pem <= crate::keys::MAX_PEM_SIZE, "{pem}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut nested = vec![0x05, 0x00];
        for _ in 0..200 {
            nested = tlv(SEQUENCE, &nested);
        }
        assert!(spki_of_certificate(&nested).unwrap_err().message().contains("nested too deeply"));
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/x509/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn real_certificates_give_the_key_they_were_made_with() {
        use crate::keys::Key;
        for (name, kty, alg) in [
            ("rsa", "RSA", "RS256"),
            ("p256", "EC", "ES256"),
            ("p384", "EC", "ES384"),
            ("p521", "EC", "ES512"),
            ("ed25519", "OKP", "EdDSA"),
        ] {
            let from_cert = Key::from_pem(&fixture(&format!("{name}.crt")), None, None).unwrap();
            let from_spki = Key::from_pem(&fixture(&format!("{name}.pub")), None, None).unwrap();
            assert_eq!(from_cert.kty(), kty, "{name}");
            assert!(!from_cert.is_private());
            assert_eq!(from_cert.to_public_jwk().unwrap(), from_spki.to_public_jwk().unwrap(), "{name}");
            let alg = crate::alg::Alg::parse(alg).unwrap();
            assert!(from_cert.fits(alg), "{name}");
            Key::from_pem(&fixture(&format!("{name}.crt")), Some(alg), None).unwrap();
        }
        // A v1 certificate (no version field) signed by another key: the subject's key is taken.
        let leaf = Key::from_pem(&fixture("leaf.crt"), None, None).unwrap();
        let p256 = Key::from_pem(&fixture("p256.pub"), None, None).unwrap();
        assert_eq!(leaf.to_public_jwk().unwrap(), p256.to_public_jwk().unwrap());
    }

    #[test]
    fn hostile_and_unsupported_certificates_are_refused() {
        use crate::error::ErrorCode;
        use crate::keys::Key;
        for (name, code, says) in [
            ("hostile-truncated.crt", ErrorCode::JwkInvalid, "cut short"),
            ("hostile-length.crt", ErrorCode::JwkInvalid, "cut short"),
            ("hostile-trailing.crt", ErrorCode::JwkInvalid, "follow the certificate"),
            ("dsa.crt", ErrorCode::NotSupported, "DSA keys are not supported"),
            ("rsa-pss.crt", ErrorCode::NotSupported, "RSASSA-PSS"),
        ] {
            let e = Key::from_pem(&fixture(name), None, None).unwrap_err();
            assert_eq!(e.code(), code, "{name}: {e}");
            assert!(e.message().contains(says), "{name}: {e}");
        }
    }

    /// The base64 DER of a PEM certificate fixture, as an `x5c` entry holds it.
    fn x5c_entry(name: &str) -> String {
        fixture(name).lines().filter(|l| !l.starts_with("-----")).collect()
    }

    fn jwk(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn x5c_gives_the_key_or_must_agree_with_it() {
        use crate::error::ErrorCode;
        use crate::keys::Key;
        use serde_json::json;
        let rsa = Key::from_pem(&fixture("rsa.pub"), None, None).unwrap().to_public_jwk().unwrap();
        let ec = Key::from_pem(&fixture("p256.pub"), None, None).unwrap().to_public_jwk().unwrap();
        let rsa_cert = x5c_entry("rsa.crt");
        // x5c only: the key of the first certificate (the rest of the chain is not read).
        let only = Key::from_jwk(&jwk(json!({"kty": "RSA", "kid": "a", "x5c": [rsa_cert, "not read"]}))).unwrap();
        assert_eq!(only.to_public_jwk().unwrap().get("n"), rsa.get("n"));
        let leaf = Key::from_jwk(&jwk(
            json!({"kty": "EC", "crv": "P-256", "x5c": [x5c_entry("leaf.crt"), x5c_entry("ca.crt")]}),
        ));
        assert_eq!(leaf.unwrap().to_public_jwk().unwrap().get("x"), ec.get("x"));
        // Both, agreeing (as Entra and Keycloak publish them).
        let mut both = rsa.clone();
        both.insert("x5c".into(), json!([rsa_cert]));
        Key::from_jwk(&both).unwrap();
        // Both, disagreeing; a certificate of another type or curve; malformed x5c members.
        let mut other = rsa.clone();
        other.insert("x5c".into(), json!([x5c_entry("p256.crt")]));
        let cases = [
            (Value::Object(other), "differ|kty is RSA"),
            (json!({"kty": "RSA", "n": ec.get("x"), "e": "AQAB", "x5c": [rsa_cert]}), ""),
            (json!({"kty": "EC", "x5c": [rsa_cert]}), "kty is EC but its x5c certificate holds an RSA key"),
            (json!({"kty": "EC", "crv": "P-384", "x5c": [x5c_entry("p256.crt")]}), "crv is \"P-384\""),
            (json!({"kty": "RSA", "x5c": []}), "non-empty array"),
            (json!({"kty": "RSA", "x5c": rsa_cert}), "non-empty array"),
            (json!({"kty": "RSA", "x5c": [rsa_cert.replace('+', "-").replace('/', "_")]}), ""),
            (json!({"kty": "RSA", "x5c": [x5c_entry("hostile-trailing.crt")]}), "follow the certificate"),
            (json!({"kty": "oct", "k": "c2VjcmV0", "x5c": [rsa_cert]}), "cannot carry an x5c"),
        ];
        for (value, says) in cases {
            let e = Key::from_jwk(&jwk(value.clone())).unwrap_err();
            assert_eq!(e.code(), ErrorCode::JwkInvalid, "{value}: {e}");
            assert!(says.split('|').any(|s| e.message().contains(s)), "{value}: {e}");
        }
        let mut rsa_with_ec = rsa.clone();
        rsa_with_ec.insert("x5c".into(), json!([x5c_entry("rsa-pss.crt")]));
        assert_eq!(Key::from_jwk(&rsa_with_ec).unwrap_err().code(), ErrorCode::NotSupported);
    }

    #[test]
    fn certificate_maps_locally_and_as_published() {
        use crate::error::ErrorCode;
        use crate::keys::{Key, KeySet};
        use serde_json::json;
        let map = json!({"k-rsa": fixture("rsa.crt"), "k-ec": fixture("p384.crt"), "k-bad": fixture("dsa.crt")});
        let set = KeySet::from_x509_map(&map).unwrap();
        assert_eq!((set.len(), set.skipped()), (2, 1));
        let rs256 = crate::alg::Alg::parse("RS256").unwrap();
        assert_eq!(set.select(rs256, Some("k-rsa")).unwrap().kid(), Some("k-rsa"));
        assert!(set.select(rs256, Some("k-ec")).is_err());
        // The same document from a URL; a JWKS from a URL still reads as one.
        let published = KeySet::from_published_json(&map.to_string()).unwrap();
        assert_eq!((published.len(), published.skipped()), (2, 1));
        let jwks = json!({"keys": [Key::from_pem(&fixture("rsa.crt"), None, Some("j".into())).unwrap().to_public_jwk().unwrap()]});
        assert_eq!(KeySet::from_published_json(&jwks.to_string()).unwrap().len(), 1);
        // Neither shape, or values that are not strings.
        for (doc, says) in [
            (json!({"a": 1}), "either a JWKS"),
            (json!({}), "either a JWKS"),
            (json!({"a": "-----BEGIN PUBLIC KEY-----"}), "either a JWKS"),
            (json!(["x"]), "either a JWKS"),
        ] {
            let e = KeySet::from_published_json(&doc.to_string()).unwrap_err();
            assert_eq!(e.code(), ErrorCode::JwksInvalid, "{doc}");
            assert!(e.message().contains(says), "{doc}: {e}");
        }
        assert_eq!(KeySet::from_x509_map(&json!({"a": 1})).unwrap_err().code(), ErrorCode::JwksInvalid);
        assert_eq!(KeySet::from_x509_map(&json!([])).unwrap_err().code(), ErrorCode::JwksInvalid);
        let public_key = json!({"a": fixture("rsa.pub")});
        assert_eq!(KeySet::from_x509_map(&public_key).unwrap().skipped(), 1);
        let many: serde_json::Map<String, Value> =
            (0..=crate::keys::MAX_JWKS_KEYS).map(|i| (i.to_string(), json!("x"))).collect();
        assert_eq!(KeySet::from_x509_map(&Value::Object(many)).unwrap_err().code(), ErrorCode::JwksInvalid);
    }
}
