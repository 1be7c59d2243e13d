//! Recognising an asymmetric key in the forms it is published in, so that it is never taken
//! for an HMAC secret: a public key is known to everyone, so as a secret it would let anyone
//! sign (the RS256 to HS256 confusion). Recognised: PEM (RFC 7468) and RFC 4716 blocks,
//! OpenSSH lines, JWK/JWKS JSON, DER (SubjectPublicKeyInfo, an X.509 certificate, PKCS#1), and
//! each of these again once encoded as base64, base64url or hex, with any whitespace: Keycloak
//! publishes a realm's `public_key` as bare base64 SPKI, `x5c` holds base64 certificates, and a
//! PEM body is often pasted without its armour.
//!
//! The DER check is structural and exact (every length must close where it should), so random
//! secrets, whatever their encoding, are not refused by accident. Nothing here returns or
//! prints the material: the answer is a fixed description of what it looks like.

use zeroize::Zeroizing;

/// Text that marks a PEM document (RFC 7468) or an RFC 4716 SSH public key block, wherever it
/// stands: a prefix of any kind (whitespace, a BOM, a "subject=" line) must not hide it
/// (fast-jwt GHSA-mvf2-f6gm-w987 and GHSA-ww5h-9m49-7xx4 were prefix bypasses).
const PEM_MARKERS: [&[u8]; 2] = [b"-----BEGIN", b"---- BEGIN SSH2 PUBLIC KEY"];

/// Prefixes of the OpenSSH one-line public key types (RFC 4253 6.6, RFC 5656, PROTOCOL.u2f);
/// the type is followed by the base64 of its length-prefixed name, which starts "AAAA"
/// (CVE-2022-29217: PyJWT took such lines for secrets).
const OPENSSH_TYPES: [&str; 8] = [
    "ssh-rsa",
    "ssh-dss",
    "ssh-ed25519",
    "ssh-ed448",
    "ecdsa-sha2-nistp",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "x509v3-",
];

/// An RSA modulus shorter than this is not taken for a key when the bytes parse as PKCS#1:
/// a real key is far longer, and a short random secret must never be refused by accident.
const PKCS1_MIN_MODULUS_BYTES: usize = 64;

/// The shortest public key a SubjectPublicKeyInfo carries (Ed25519 and X25519: 32 bytes).
const SPKI_MIN_KEY_BYTES: usize = 32;

/// What the bytes look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Pem,
    OpenSsh,
    OpenSshBlob,
    Jwk,
    Certificate,
    Spki,
    Pkcs1,
}

/// How the key was written down: as is, or as text encoding its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Raw,
    Base64,
    Hex,
}

/// Why `secret` cannot be an HMAC secret, if it is a public key in a published form. Raw key
/// bytes (a modulus, a curve point) cannot be told from a random secret; they are harmless
/// anyway, because a secret only ever does HS*.
pub(super) fn published_key_form(secret: &[u8]) -> Option<String> {
    if let Some(form) = form_of(secret) {
        return Some(message(form, Encoding::Raw));
    }
    let text = compact_text(secret)?;
    let decoded = [(Encoding::Hex, hex_decode(&text)), (Encoding::Base64, base64_decode(&text))];
    decoded.into_iter().find_map(|(encoding, bytes)| {
        let bytes = bytes?;
        form_of(&bytes).map(|form| message(form, encoding))
    })
}

fn message(form: Form, encoding: Encoding) -> String {
    const FROM_PEM: &str = "Key.fromPem (Key::from_pem in Rust)";
    let as_pem = |label: &str| {
        format!(
            "write it as PEM (its base64 between -----BEGIN {label}----- and -----END {label}----- lines) and \
             load it with {FROM_PEM}, or load the issuer's JWK with Key.fromJwk"
        )
    };
    let (looks_like, instead) = match form {
        Form::Pem => ("a PEM key", format!("load the PEM text with {FROM_PEM}")),
        Form::OpenSsh | Form::OpenSshBlob => (
            "an OpenSSH public key",
            format!("convert it (ssh-keygen -e -m PKCS8 -f key.pub) and load it with {FROM_PEM}"),
        ),
        Form::Jwk => (
            "a JWK or JWKS",
            "load it with Key.fromJwk or KeySet.fromJwks (Key::from_jwk in Rust; an oct key's secret is its \"k\")"
                .to_owned(),
        ),
        Form::Certificate => (
            "an X.509 certificate",
            format!("load it as PEM (its base64 between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines) with {FROM_PEM}, or the issuer's JWK with Key.fromJwk"),
        ),
        Form::Spki => ("a DER public key (SubjectPublicKeyInfo)", as_pem("PUBLIC KEY")),
        Form::Pkcs1 => ("a DER PKCS#1 RSA public key", as_pem("RSA PUBLIC KEY")),
    };
    let written = match (encoding, form) {
        (Encoding::Raw, _) => "",
        (Encoding::Hex, _) => " written in hex",
        // The bare base64 forms people meet: Keycloak's realm `public_key`, an `x5c` entry,
        // a PEM body without its BEGIN/END lines.
        (Encoding::Base64, Form::Spki) => {
            " in base64 (as Keycloak publishes a realm's public_key, or a PEM body without its armour)"
        }
        (Encoding::Base64, Form::Certificate) => " in base64 (an x5c entry, or a PEM body without its armour)",
        (Encoding::Base64, Form::OpenSshBlob) => " in base64 (the middle field of its line)",
        (Encoding::Base64, _) => " in base64",
    };
    format!("this looks like {looks_like}{written}, not an HMAC secret; {instead}")
}

/// The published form `bytes` are in, if any. Decoded text is checked for the same forms.
fn form_of(bytes: &[u8]) -> Option<Form> {
    if PEM_MARKERS.iter().any(|m| contains(bytes, m)) {
        return Some(Form::Pem);
    }
    if holds_openssh_line(bytes) {
        return Some(Form::OpenSsh);
    }
    if is_openssh_blob(bytes) {
        return Some(Form::OpenSshBlob);
    }
    if holds_jwk_json(bytes) {
        return Some(Form::Jwk);
    }
    der::public_key_form(bytes)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A word starting with an OpenSSH key type, then " AAAA", anywhere in the bytes.
fn holds_openssh_line(secret: &[u8]) -> bool {
    secret.windows(5).enumerate().filter(|(_, w)| *w == b" AAAA").any(|(end, _)| {
        let before = secret.get(..end).unwrap_or_default();
        let start = before.iter().rposition(|b| b.is_ascii_whitespace()).map_or(0, |p| p.saturating_add(1));
        let word = before.get(start..).unwrap_or_default();
        OPENSSH_TYPES.iter().any(|t| word.starts_with(t.as_bytes()))
    })
}

/// The binary of an OpenSSH public key (the base64 field of its line, decoded): a 32-bit
/// big-endian length, then the key type's name.
fn is_openssh_blob(bytes: &[u8]) -> bool {
    let Some((len, rest)) = bytes.split_first_chunk::<4>() else { return false };
    let Ok(len) = usize::try_from(u32::from_be_bytes(*len)) else { return false };
    let Some(name) = rest.get(..len) else { return false };
    OPENSSH_TYPES.iter().any(|t| name.starts_with(t.as_bytes()))
}

/// A JSON object with `kty` (a JWK) or `keys` (a JWKS) somewhere in the bytes: the public
/// JSON of a key is not a secret (fast-jwt GHSA-g3jj-5cmm-3hxx).
fn holds_jwk_json(secret: &[u8]) -> bool {
    let (Some(start), Some(end)) = (secret.iter().position(|&b| b == b'{'), secret.iter().rposition(|&b| b == b'}'))
    else {
        return false;
    };
    let Some(text) = secret.get(start..=end) else { return false };
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("kty") || map.contains_key("keys"),
        _ => false,
    }
}

/// The secret as text without whitespace (and without a leading BOM), if it is text made only
/// of the characters of base64, base64url and hex (with `:` between hex pairs, as OpenSSL
/// prints them). Wiped afterwards, as the secret it is.
fn compact_text(secret: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let body = secret.strip_prefix("\u{feff}".as_bytes()).unwrap_or(secret);
    let text: Zeroizing<Vec<u8>> = Zeroizing::new(body.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect());
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=' | b':');
    (!text.is_empty() && text.iter().all(allowed)).then_some(text)
}

/// Hex digits, optionally in `:`-separated pairs; `None` if the text is anything else.
fn hex_decode(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let digits: Zeroizing<Vec<u8>> = Zeroizing::new(text.iter().copied().filter(|&b| b != b':').collect());
    if digits.len() % 2 != 0 {
        return None;
    }
    let value = |b: u8| char::from(b).to_digit(16).and_then(|v| u8::try_from(v).ok());
    let pair = |p: &[u8]| match p {
        [high, low] => Some(value(*high)? << 4 | value(*low)?),
        _ => None,
    };
    let bytes = digits.chunks_exact(2).map(pair).collect::<Option<Vec<u8>>>();
    bytes.map(Zeroizing::new)
}

/// Lenient base64: either alphabet (or both), padding optional, trailing bits ignored. Lenient
/// on purpose: this only recognises keys, and any spelling of one must be recognised.
fn base64_decode(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let body = text.strip_suffix(b"==").or_else(|| text.strip_suffix(b"=")).unwrap_or(text);
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(body.len() / 4 * 3 + 2));
    for chunk in body.chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)?) << (18 - 6 * i);
        }
        let [_, b0, b1, b2] = n.to_be_bytes();
        out.extend_from_slice([b0, b1, b2].get(..chunk.len() - 1).unwrap_or_default());
    }
    Some(out)
}

/// Just enough DER (X.690) to recognise the outline of a public key, never to use one.
mod der {
    use super::{Form, PKCS1_MIN_MODULUS_BYTES, SPKI_MIN_KEY_BYTES};

    const SEQUENCE: u8 = 0x30;
    const INTEGER: u8 = 0x02;
    const BIT_STRING: u8 = 0x03;
    const OID: u8 = 0x06;

    /// One element: its tag, its content, and the bytes after it.
    fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = input.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // multi-byte tags never occur in these structures
        }
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            // DER: definite, minimal, at most 4 length octets here (no key is 4 GiB).
            let count = usize::from(first & 0x7f);
            let octets = rest.get(..count).filter(|o| (1..=4).contains(&o.len()) && o.first() != Some(&0))?;
            let len = octets.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            let len = usize::try_from(len).ok().filter(|&l| l >= 0x80)?;
            (len, rest.get(count..)?)
        };
        Some((tag, rest.get(..len)?, rest.get(len..)?))
    }

    /// An element with `tag`, and the bytes after it.
    fn expect(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        element(input).and_then(|(t, content, rest)| (t == tag).then_some((content, rest)))
    }

    /// AlgorithmIdentifier: a well-formed OID, then at most one parameter element.
    fn is_algorithm_identifier(content: &[u8]) -> bool {
        let Some((oid, rest)) = expect(content, OID) else { return false };
        let oid_ok = oid.last().is_some_and(|&b| b < 0x80) && oid.first() != Some(&0x80);
        oid_ok && (rest.is_empty() || element(rest).is_some_and(|(_, _, after)| after.is_empty()))
    }

    /// A BIT STRING holding whole octets, as every key and signature does.
    fn is_octet_bit_string(content: &[u8], min_octets: usize) -> bool {
        content.split_first().is_some_and(|(&unused, octets)| unused == 0 && octets.len() >= min_octets)
    }

    /// SubjectPublicKeyInfo (RFC 5280 4.1): SEQUENCE { AlgorithmIdentifier, BIT STRING }, exactly.
    fn is_spki(content: &[u8]) -> bool {
        let Some((algorithm, rest)) = expect(content, SEQUENCE) else { return false };
        let Some((key, rest)) = expect(rest, BIT_STRING) else { return false };
        rest.is_empty() && is_algorithm_identifier(algorithm) && is_octet_bit_string(key, SPKI_MIN_KEY_BYTES)
    }

    /// A SubjectPublicKeyInfo starting at some offset of `bytes` (alone, or inside a
    /// certificate or any other structure).
    fn holds_spki(bytes: &[u8]) -> bool {
        (0..bytes.len()).filter(|&i| bytes.get(i) == Some(&SEQUENCE)).any(|i| {
            let element = bytes.get(i..).and_then(|at| expect(at, SEQUENCE));
            element.is_some_and(|(content, _)| is_spki(content))
        })
    }

    /// Certificate (RFC 5280 4.1): SEQUENCE { tbsCertificate, signatureAlgorithm, signature },
    /// exactly the whole input, with a SubjectPublicKeyInfo inside the tbsCertificate.
    fn is_certificate(bytes: &[u8]) -> bool {
        let Some((content, [])) = expect(bytes, SEQUENCE) else { return false };
        let Some((tbs, rest)) = expect(content, SEQUENCE) else { return false };
        let Some((algorithm, rest)) = expect(rest, SEQUENCE) else { return false };
        let Some((signature, [])) = expect(rest, BIT_STRING) else { return false };
        is_algorithm_identifier(algorithm) && is_octet_bit_string(signature, 1) && holds_spki(tbs)
    }

    /// RSAPublicKey (RFC 8017 A.1.1): SEQUENCE { modulus, publicExponent }, exactly the whole
    /// input, with a modulus of real size and an exponent of at most 8 octets.
    fn is_pkcs1_public_key(bytes: &[u8]) -> bool {
        let Some((content, [])) = expect(bytes, SEQUENCE) else { return false };
        let Some((modulus, rest)) = expect(content, INTEGER) else { return false };
        let Some((exponent, [])) = expect(rest, INTEGER) else { return false };
        let modulus = modulus.strip_prefix(&[0]).unwrap_or(modulus);
        modulus.len() >= PKCS1_MIN_MODULUS_BYTES && (1..=8).contains(&exponent.len())
    }

    /// What DER public key `bytes` hold, if any.
    pub(super) fn public_key_form(bytes: &[u8]) -> Option<Form> {
        if is_certificate(bytes) {
            Some(Form::Certificate)
        } else if holds_spki(bytes) {
            Some(Form::Spki)
        } else if is_pkcs1_public_key(bytes) {
            Some(Form::Pkcs1)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_decoders() {
        assert_eq!(base64_decode(b"aGk_").as_deref().map(Vec::as_slice), Some(&b"hi?"[..]));
        assert_eq!(base64_decode(b"aGk/").as_deref().map(Vec::as_slice), Some(&b"hi?"[..]));
        assert_eq!(base64_decode(b"aGk=").as_deref().map(Vec::as_slice), Some(&b"hi"[..]));
        assert!(base64_decode(b"aGk=a").is_none());
        assert!(base64_decode(b"a").is_none());
        assert_eq!(hex_decode(b"30:0a:FF").as_deref().map(Vec::as_slice), Some(&[0x30, 0x0a, 0xff][..]));
        assert!(hex_decode(b"300").is_none());
        assert!(hex_decode(b"3g").is_none());
        assert!(compact_text(" aG k=\r\n".as_bytes()).is_some());
        assert!(compact_text(b"a secret!").is_none());
        assert!(compact_text(b"").is_none());
    }

    #[test]
    fn der_lengths_must_be_minimal_and_close_exactly() {
        // A 41-byte key in a minimal SPKI: recognised. Then each way of breaking its outline.
        let mut spki = vec![0x30, 0x33, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x2a, 0x00];
        spki.extend([7u8; 41]);
        assert_eq!(der::public_key_form(&spki), Some(Form::Spki));
        let mut long_form = spki.clone();
        long_form.splice(1..2, [0x81, 0x33]); // 0x81 0x33: a long form for a short length
        assert_eq!(der::public_key_form(&long_form), None);
        let mut short = spki.clone();
        short.pop();
        assert_eq!(der::public_key_form(&short), None);
        let mut unused_bits = spki.clone();
        unused_bits[11] = 1;
        assert_eq!(der::public_key_form(&unused_bits), None);
    }
}
