//! HMAC secrets. A secret is raw bytes kept in zeroizing memory; it is only usable with HS*,
//! and only when at least as long as the hash output (RFC 7518 3.2). Bytes that are plainly an
//! asymmetric key in a form it is published in (PEM, DER, JWK JSON, OpenSSH) are refused: a
//! public key is known to everyone, so as an HMAC secret it would let anyone sign (the RS256 to
//! HS256 confusion). Raw key bytes look like any random secret and cannot be refused, which is
//! why a secret is also bound to HS* and a public key never does HS*.

use super::Key;
use crate::alg::{Alg, Family};
use crate::crypto::{KeyMaterial, Secret};
use crate::error::{jwk_invalid, Result};

/// Refuses secrets shorter than the hash output of `alg`. The message carries lengths only.
pub(super) fn check_length(len: usize, alg: Alg) -> Result<()> {
    let need = alg.hash().output_len();
    if len < need {
        return Err(jwk_invalid(format!("{alg} needs a secret of at least {need} bytes (RFC 7518 3.2), got {len}")));
    }
    Ok(())
}

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

/// A DER SubjectPublicKeyInfo anywhere in the bytes (alone, or inside a certificate), or the
/// whole input a PKCS#1 RSAPublicKey.
fn holds_der_public_key(secret: &[u8]) -> bool {
    use rsa::pkcs8::der::{Decode, Reader, SliceReader};
    let spki_at = |i: usize| {
        let Some(rest) = secret.get(i..) else { return false };
        let Ok(mut reader) = SliceReader::new(rest) else { return false };
        reader.decode::<rsa::pkcs8::SubjectPublicKeyInfoRef<'_>>().is_ok()
    };
    let pkcs1 = rsa::pkcs1::RsaPublicKeyRef::from_der(secret)
        .is_ok_and(|k| k.modulus.as_bytes().len() >= PKCS1_MIN_MODULUS_BYTES);
    pkcs1 || secret.iter().enumerate().any(|(i, &b)| b == 0x30 && spki_at(i))
}

/// What an asymmetric key in one of its published forms looks like, if `secret` is one.
/// Raw key bytes (a modulus, a curve point) cannot be told from a random secret; they are
/// harmless anyway, because a secret only ever does HS*.
fn published_key_form(secret: &[u8]) -> Option<&'static str> {
    if PEM_MARKERS.iter().any(|m| contains(secret, m)) {
        return Some("this looks like a PEM key, not an HMAC secret; load it with Key::from_pem");
    }
    if holds_openssh_line(secret) {
        return Some(
            "this looks like an OpenSSH public key, not an HMAC secret; convert it (ssh-keygen -e -m PKCS8) and load it with Key::from_pem",
        );
    }
    if holds_jwk_json(secret) {
        return Some("this looks like a JWK or JWKS, not an HMAC secret; load it with Key::from_jwk (an oct key's secret is its \"k\")");
    }
    if holds_der_public_key(secret) {
        return Some("this looks like a DER public key or certificate, not an HMAC secret; load the public key with Key::from_pem");
    }
    None
}

impl Key {
    /// An HMAC secret for HS256/HS384/HS512.
    ///
    /// The secret must not be empty, must not be a public key in any form it is published in
    /// (PEM, DER, JWK/JWKS JSON, OpenSSH: an attacker knows those bytes), and if
    /// `alg` is given it must be an HS algorithm whose hash length the secret reaches. Without
    /// `alg` the length is checked at each use. Errors are `ERR_JWK_INVALID`.
    pub fn from_secret(secret: &[u8], alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        if secret.is_empty() {
            return Err(jwk_invalid("an HMAC secret must not be empty"));
        }
        if let Some(why) = published_key_form(secret) {
            return Err(jwk_invalid(why));
        }
        if let Some(alg) = alg {
            if alg.family() != Family::Hmac {
                return Err(jwk_invalid(format!("a secret key cannot be used with {alg}")));
            }
        }
        Key::new(KeyMaterial::Secret(Secret::new(secret)), alg, kid)
    }
}
